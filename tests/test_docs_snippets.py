"""Every Python code block of README.md and docs/**/*.rst runs as written.

Blocks are found the way a reader sees them:

- README.md: fenced blocks opened with `` ```python ``; other fences (``bash``) are not run.
- .rst files: ``.. code-block:: python`` (or ``pycon``) and the literal blocks introduced by
  ``::``, which Sphinx highlights as Python (its default ``highlight_language``). A literal
  block that is not Python must say what it is with an explicit ``.. code-block:: bash`` (or
  ``text``, ``yaml``, ``console``...), so nothing is left out by accident.

Doctest blocks (a paragraph of ``>>>`` lines) are found too. A block whose lines start
with ``>>>`` runs as a doctest (its printed output is checked);
any other block runs with ``exec``, as the body of a script (a fresh module ``__main__``,
so functions it defines pickle as a user's would). Each block runs in a fresh namespace, in a
fresh temporary working directory, unless it carries a marker. Markers are comments the rendered pages do not
show, placed between the previous block and this one: ``.. snippet-test: DIRECTIVE`` in
.rst, ``<!-- snippet-test: DIRECTIVE -->`` in README.md. Directives:

``continues``
    Run in the namespace (and directory) left by the previous Python block of the same
    file, like the next cell of a notebook. A chain of such blocks is one test.
``substitute "OLD" "NEW"``
    Replace the text OLD by NEW before running: to shrink data, epochs or search grids for
    CI, or to stand in for what a test cannot reach (a remote Dask scheduler, a process
    index from the command line). OLD must occur in the block, so a stale substitution
    fails instead of silently doing nothing.
``corpus NAME``
    The block reads a local copy of a corpus (``ravdess``, ``CREMA-D`` or ``eev``, the
    folder names the docs use). The working directory gets a miniature copy laid out and
    named like the official release, with short real audio files (tones) and, for EEV, a
    real video, so the block runs as written. No real corpus is needed: the loaders' tests
    read the real clips of ``../shared/data``.
``slow``
    Mark the test slow (it still runs in CI).
"""

import doctest
import re
import shlex
import sys
import textwrap
import types
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
_NOT_PYTHON = {"bash", "console", "shell", "sh", "text", "none", "yaml", "toml", "ini", "csv"}
_OPTIONFLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _tone(path, seconds=0.5, sr=16000, pitch=220.0):
    from scipy.io import wavfile

    t = np.arange(int(seconds * sr)) / sr
    wavfile.write(path, sr, (8000 * np.sin(2 * np.pi * pitch * t)).astype(np.int16))


def _miniature_ravdess(root):
    """Audio_Speech_Actors_01-24/Actor_01..04: one tone per emotion, statement and actor."""
    for actor in range(1, 5):
        folder = root / "Audio_Speech_Actors_01-24" / f"Actor_{actor:02d}"
        folder.mkdir(parents=True)
        for emotion in range(1, 9):
            for statement in (1, 2):
                name = f"03-01-{emotion:02d}-01-{statement:02d}-01-{actor:02d}.wav"
                _tone(folder / name, pitch=110.0 * emotion + 7 * actor)


def _miniature_crema_d(root):
    """AudioWAV with 6 actors x 6 emotions (sentence DFA) and VideoDemographics.csv."""
    (root / "AudioWAV").mkdir(parents=True)
    emotions = ["ANG", "DIS", "FEA", "HAP", "NEU", "SAD"]
    for actor in range(1001, 1007):
        for k, emotion in enumerate(emotions):
            _tone(root / "AudioWAV" / f"{actor}_DFA_{emotion}_XX.wav", pitch=110.0 * (k + 1) + actor % 7)
    rows = [f'{actor},{30 + actor % 20},"{"Male" if actor % 2 else "Female"}","Caucasian","Not Hispanic"'
            for actor in range(1001, 1007)]
    (root / "VideoDemographics.csv").write_text(
        '"ActorID","Age","Sex","Race","Ethnicity"\n' + "\n".join(rows) + "\n"
    )


def _miniature_eev(root):
    """train.csv with two videos' 6 Hz tracks; one 3 s video in videos/, the other missing."""
    from skemotion.io import write_video

    expressions = ["amusement", "anger", "awe", "concentration", "confusion", "contempt",
                   "contentment", "disappointment", "doubt", "elation", "interest",
                   "pain", "sadness", "surprise", "triumph"]  # fmt: skip
    rng = np.random.default_rng(0)
    lines = ["Video ID,Timestamp (milliseconds)," + ",".join(expressions)]
    for vid in ("vidA", "vidB"):
        for i in range(18):
            stamp = 1_000_000 * (i // 6) + [0, 166666, 333333, 500000, 666666, 833333][i % 6]
            lines.append(",".join([vid, str(stamp)] + [f"{v:.3f}" for v in rng.random(15)]))
    root.mkdir()
    (root / "train.csv").write_text("\n".join(lines) + "\n")
    (root / "videos").mkdir()
    write_video(root / "videos" / "vidA.mp4", np.zeros((36, 32, 32, 3), np.uint8), fps=12)


_CORPORA = {"ravdess": _miniature_ravdess, "CREMA-D": _miniature_crema_d, "eev": _miniature_eev}


@dataclass
class Block:
    path: Path
    line: int
    lang: str
    code: str
    markers: list = field(default_factory=list)

    @property
    def name(self):
        return f"{self.path.relative_to(ROOT).as_posix()}:{self.line}"


def _rst_blocks(path):
    """Literal and code-block blocks of an .rst file, with the markers before each."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks, markers = [], []
    i = 0
    while i < len(lines):
        line = lines[i]
        marker = re.match(r"^\s*\.\. snippet-test:\s*(.+?)\s*$", line)
        if marker:
            markers.append(marker.group(1))
            i += 1
            continue
        directive = re.match(r"^(\s*)\.\. code-block::\s*(\S*)\s*$", line)
        literal = (
            directive is None
            and line.rstrip().endswith("::")
            and not re.match(r"^\s*\.\. ", line)
            and line.strip() != "::"
            or line.strip() == "::"
        )
        if line.lstrip().startswith(">>>") and (i == 0 or not lines[i - 1].strip()):
            j = i  # a doctest block: a paragraph of ">>>" lines and their output
            while j < len(lines) and lines[j].strip():
                j += 1
            code = textwrap.dedent("\n".join(lines[i:j])) + "\n"
            blocks.append(Block(path, i + 1, "pycon", code, markers))
            markers = []
            i = j
            continue
        if not (directive or literal):
            i += 1
            continue
        lang = (directive.group(2) or "python") if directive else "python"
        indent = len(line) - len(line.lstrip())
        j = i + 1
        if directive:  # skip the directive's options (":caption:", ...)
            while j < len(lines) and re.match(r"^\s+:[\w-]+:", lines[j]):
                j += 1
        body = []
        while j < len(lines) and (
            not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > indent
        ):
            body.append(lines[j])
            j += 1
        code = textwrap.dedent("\n".join(body)).strip("\n") + "\n"
        blocks.append(Block(path, i + 1, lang, code, markers))
        markers = []
        i = j
    return blocks


def _markdown_blocks(path):
    """Fenced blocks of a Markdown file, with the markers before each."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks, markers = [], []
    i = 0
    while i < len(lines):
        marker = re.match(r"^<!--\s*snippet-test:\s*(.+?)\s*-->\s*$", lines[i])
        fence = re.match(r"^```(\w*)\s*$", lines[i])
        if marker:
            markers.append(marker.group(1))
        elif fence:
            j = i + 1
            while not lines[j].startswith("```"):
                j += 1
            code = "\n".join(lines[i + 1 : j]) + "\n"
            blocks.append(Block(path, i + 1, fence.group(1) or "text", code, markers))
            markers = []
            i = j
        i += 1
    return blocks


def _all_blocks():
    blocks = _markdown_blocks(ROOT / "README.md")
    for path in sorted((ROOT / "docs").rglob("*.rst")):
        if "_build" in path.parts or "generated" in path.parts or "auto_examples" in path.parts:
            continue
        blocks += _rst_blocks(path)
    return blocks


def _python_chains():
    """Python blocks grouped into chains: a block plus the ``continues`` blocks after it."""
    chains = []
    for block in _all_blocks():
        if block.lang not in ("python", "python3", "py", "pycon"):
            continue
        if "continues" in block.markers:
            if not chains or chains[-1][-1].path != block.path:
                raise AssertionError(f"{block.name}: 'continues' but no Python block before it")
            chains[-1].append(block)
        else:
            chains.append([block])
    return chains


def _directives(block):
    parsed = []
    for marker in block.markers:
        words = shlex.split(marker)
        parsed.append((words[0], words[1:]))
    return parsed


def _params():
    params = []
    for chain in _python_chains():
        kinds = {kind for block in chain for kind, _ in _directives(block)}
        marks = [pytest.mark.slow] if "slow" in kinds else []
        params.append(pytest.param(chain, id=chain[0].name, marks=marks))
    return params


def _prepared_code(block):
    code = block.code
    for kind, args in _directives(block):
        if kind == "substitute":
            old, new = args
            assert old in code, f"{block.name}: substitution text {old!r} is not in the block"
            code = code.replace(old, new)
        elif kind not in ("continues", "corpus", "slow"):
            raise AssertionError(f"{block.name}: unknown snippet-test directive {kind!r}")
    return code


def _run(block, code, namespace):
    if code.lstrip().startswith(">>>"):
        parser = doctest.DocTestParser()
        test = parser.get_doctest(code, namespace, block.name, str(block.path), block.line)
        runner = doctest.DocTestRunner(optionflags=_OPTIONFLAGS)
        runner.run(test, out=lambda text: report.append(text), clear_globs=False)
        assert runner.failures == 0, f"{block.name}: doctest failed\n" + "".join(report)
        namespace.update(test.globs)  # DocTest runs on a copy; later blocks see its names
    else:
        exec(compile(code, block.name, "exec"), namespace)  # noqa: S102 - the docs' own code


report = []


@pytest.mark.parametrize("chain", _params())
def test_code_block_runs(chain, tmp_path, monkeypatch):
    """Check that a documentation code block (and the blocks continuing it) runs as written.

    A search the block fitted must have fitted every candidate: a snippet whose fits all
    fail (scikit-learn only warns and scores them NaN) is a failing snippet.
    """
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)
    for block in chain:
        for kind, args in _directives(block):
            if kind == "corpus" and not (tmp_path / args[0]).exists():
                _CORPORA[args[0]](tmp_path / args[0])
    # The blocks run as the body of a script, i.e. as the module __main__: functions they
    # define are pickled (joblib's Memory, process pools) exactly as from a user's script.
    module = types.ModuleType("__main__")
    monkeypatch.setitem(sys.modules, "__main__", module)
    namespace = module.__dict__
    report.clear()
    for block in chain:
        _run(block, _prepared_code(block), namespace)
    for name, value in namespace.items():
        results = getattr(value, "cv_results_", None)
        if isinstance(results, dict) and "mean_test_score" in results:
            scores = np.asarray(results["mean_test_score"], dtype=float)
            assert np.isfinite(scores).all(), f"{chain[0].name}: fits of {name!r} failed: {scores}"


def test_blocks_are_found():
    """Check that the extraction sees the README snippet, rst code blocks and literal blocks."""
    names = [block.name for chain in _python_chains() for block in chain]
    assert any(name.startswith("README.md:") for name in names)
    assert any(name.startswith("docs/index.rst:") for name in names)
    assert any(name.startswith("docs/quickstart.rst:") for name in names)
    langs = {block.lang for block in _all_blocks()}
    assert "bash" in langs  # bash blocks are found, and not run


def test_literal_blocks_say_their_language():
    """Check that every block is Python or explicitly another language we know not to run."""
    for block in _all_blocks():
        assert block.lang in {"python", "python3", "py", "pycon"} | _NOT_PYTHON, (
            f"{block.name}: unknown block language {block.lang!r}"
        )
        if block.lang in ("python", "python3", "py"):
            stripped = block.code.lstrip()
            shell = stripped.startswith(("pip ", "$ ", "export ", "sudo ", "find ", "python -m "))
            assert not shell, f"{block.name}: a shell command in a Python block; use code-block:: bash"


def test_substitution_must_match():
    """Check that a substitution whose text is absent fails instead of doing nothing."""
    block = Block(ROOT / "README.md", 1, "python", "x = 1\n", ['substitute "x = 2" "x = 3"'])
    with pytest.raises(AssertionError, match=re.escape("substitution text 'x = 2' is not in")):
        _prepared_code(block)
