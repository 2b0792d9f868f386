"""The command's user errors: the exception, the context that makes one, the one-line report.

Kept apart from ``_main`` (argument parsing and dispatch) so that the command
modules can raise them without importing the module that imports them.
"""

import contextlib
import re
import tempfile
from pathlib import Path

__all__ = ["UserError", "one_line_error", "user_error_types", "user_errors"]


class UserError(Exception):
    """A mistake in the command line: printed as one line, exit status 2."""


@contextlib.contextmanager
def user_errors(prefix=None, types=(ValueError,)):
    """Report an exception of ``types`` raised inside the block as a user mistake.

    Only for calls whose every input comes from the user (a dataset loader on
    ``--data``, the corpus generator on its options, a pipeline file), so
    their ``ValueError`` messages are about what the user gave.
    """
    try:
        yield
    except types as exc:
        if isinstance(exc, user_error_types()):  # already a user mistake (a MediaError ...)
            raise
        raise UserError(f"{prefix}: {exc}" if prefix else str(exc)) from exc


def user_error_types():
    from ..exceptions import MediaError, NoFaceError

    # FileNotFoundError & co. name the path; MediaError names the file and why
    # it cannot be decoded; NoFaceError names the samples.
    return (UserError, FileNotFoundError, NotADirectoryError, PermissionError, MediaError,
            NoFaceError)


_ITEM = re.compile(r"^\s*\[\d+\]\s+(.*)$")  # "  [3] msg": utils._errors.batch_error
_QUOTED = re.compile(r"'([^']+)'")
_GROUP_ABOVE = 3  # per-file lines printed as they are up to this many
_EXAMPLES = 3


def _file_items(text):
    """``(path, reason)`` of each per-file line of a batch error ("[i] msg" or "- msg")."""
    items = []
    for line in text.splitlines()[1:]:
        match = _ITEM.match(line)
        if not match:
            continue
        body = match.group(1)
        quoted = _QUOTED.search(body)
        path = quoted.group(1) if quoted else "?"
        reason = body.replace(f"'{path}': ", "", 1) if body.startswith(f"'{path}': ") else body
        items.append((path, reason.replace(f"'{path}'", "FILE").strip()))
    return items


def _errors_file(text, args):
    """Write the full message to ``<--out>/errors.txt`` (or the temp dir); return its path."""
    for folder in (getattr(args, "out", None), tempfile.gettempdir()):
        if folder is None:
            continue
        try:
            Path(folder).mkdir(parents=True, exist_ok=True)
            path = Path(folder) / f"skemotion-{args.command}-errors.txt"
            path.write_text(text + "\n", encoding="utf-8")
            return path
        except OSError:
            continue
    return None


def one_line_error(exc, args):
    """The exception as one line; many per-file errors are grouped by reason.

    A batch error lists every bad file (thousands on a corpus): the line gives, per
    reason, the count and a few example paths, and where the full list was written.
    """
    text = str(exc)
    items = _file_items(text)
    if len(items) <= _GROUP_ABOVE:
        return " ".join(text.split())
    groups = {}
    for path, reason in items:
        groups.setdefault(" ".join(reason.split()), []).append(path)
    parts = []
    for reason, paths in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        examples = ", ".join(paths[:_EXAMPLES]) + (", ..." if len(paths) > _EXAMPLES else "")
        parts.append(f"{len(paths)} x {reason} (e.g. {examples})")
    head = " ".join(text.splitlines()[0].split()).rstrip(":")
    where = _errors_file(text, args)
    tail = f"; full list in {where}" if where else ""
    return f"{head}, by reason: " + "; ".join(parts) + tail
