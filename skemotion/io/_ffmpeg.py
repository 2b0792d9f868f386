"""Running the bundled ffmpeg: one place that starts, drains and reaps processes."""

import collections
import errno
import os
import re
import signal
import stat
import subprocess
import sys
import threading
from functools import lru_cache

from ..exceptions import MediaError

__all__ = ["ffmpeg_exe", "FFmpegProcess", "check_media_file", "local_url", "run_ffmpeg", "ffmpeg_command",
           "run_process", "spawn", "watch_parent"]

_STDERR_LINES = 12  # how much of ffmpeg's diagnostics an error quotes
# With ``-loglevel level+LEVEL`` ffmpeg tags each line "[info] ", "[error] ", ...
_ERROR_TAG = re.compile(r"\[(?:panic|fatal|error)\] ")
# ffmpeg names its contexts with their memory address ("[h264 @ 0x55d1c3a0]"), which
# changes from run to run; quoted lines drop it so messages are reproducible.
_ADDRESS = re.compile(r" @ 0x[0-9a-fA-F]+")
# Inputs may only be local files (``file``) or our own pipes (``pipe``): whatever
# the path or the file's contents (an HLS playlist, a concat list), ffmpeg opens
# no socket.
_INPUT_PROTOCOLS = "file"
_PIPE_PROTOCOLS = "pipe,fd"


@lru_cache(maxsize=1)
def ffmpeg_exe():
    """Path of the ffmpeg binary bundled with imageio-ffmpeg.

    ``IMAGEIO_FFMPEG_EXE`` overrides it, as in imageio-ffmpeg.

    Examples
    --------
    >>> from skemotion.io import ffmpeg_exe
    >>> "ffmpeg" in ffmpeg_exe().lower()
    True
    """
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def local_url(path):
    """The ffmpeg URL of the local file ``path``: ``"file:"`` plus its absolute path.

    ffmpeg reads ``file:clip.mp4`` as the file ``clip.mp4`` and ``http:/x.mp4``
    as a web address; with the ``file:`` prefix, any local path means that file.

    Examples
    --------
    >>> from skemotion.io._ffmpeg import local_url
    >>> local_url("/data/http:/clip.mp4")
    'file:/data/http:/clip.mp4'
    """
    return "file:" + os.path.abspath(os.fspath(path))


def check_media_file(path):
    """Raise FileNotFoundError / MediaError for a missing, non-regular or empty file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        # errno form: str() reads "[Errno 2] No such media file: 'x.mp4'" and .filename is set.
        raise FileNotFoundError(errno.ENOENT, "No such media file", str(path)) from None
    if stat.S_ISDIR(st.st_mode):
        raise MediaError(f"Could not decode '{path}': it is a directory, not a media file.", path)
    if not stat.S_ISREG(st.st_mode):
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else (
            "a socket" if stat.S_ISSOCK(st.st_mode) else "a device")
        raise MediaError(f"Could not decode '{path}': it is {kind}, not a regular file.", path)
    if st.st_size == 0:
        raise MediaError(f"Could not decode '{path}': the file is empty (0 bytes).", path)


def clean_stderr(text):
    """ffmpeg's diagnostics without the memory addresses that differ between runs."""
    return _ADDRESS.sub("", text)


_REPEATED = re.compile(r"^\s*Last message repeated \d+ times?\s*$")


def _tail(lines, n=_STDERR_LINES):
    """Up to ``n`` of ffmpeg's error lines, the same on every run over the same input.

    Threaded decoders report errors in an order (and "Last message repeated N
    times" counts) that vary from run to run, and each line names its context
    by a memory address. The distinct lines, without addresses and repeat
    counts, sorted, are quoted instead.
    """
    distinct = {clean_stderr(line.rstrip()) for line in lines
                if line.strip() and not _REPEATED.match(line)}
    return "\n".join(sorted(distinct)[:n])


def ffmpeg_command(args):
    """The full command line for ffmpeg ``args``; every process skemotion starts goes through it.

    Each input (``-i``) is restricted to local files (``-protocol_whitelist
    file``), or to our stdin for ``-i -``; every other input is a local path
    and is made a ``file:`` URL first (:func:`local_url`), so a file named
    ``http:/x.mp4`` or ``file:clip.mp4`` is read as that file.
    """
    out = [ffmpeg_exe(), "-hide_banner", "-nostdin"]
    args = [os.fspath(a) if isinstance(a, os.PathLike) else str(a) for a in args]
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "-i" and i + 1 < len(args):
            source = args[i + 1]
            if source == "-":  # our own stdin
                out += ["-protocol_whitelist", _PIPE_PROTOCOLS, "-i", source]
            else:  # always a local path, whatever it looks like ("file:x", "http:/x")
                out += ["-protocol_whitelist", _INPUT_PROTOCOLS, "-i", local_url(source)]
            i += 2
            continue
        out.append(arg)
        i += 1
    return out


# The guard: one small process per reading process that kills the ffmpeg children
# it was told about once its stdin, a pipe from this process, reaches EOF, i.e.
# when this process ends in any way (SIGKILL included). It costs one pipe write per
# child; a preexec_fn (prctl(PR_SET_PDEATHSIG)) would instead force fork() for every
# ffmpeg start, measured at about twice the cost of a start in a process that has
# torch loaded.
_GUARD_CODE = """
import os, signal, sys
pids = set()
for line in sys.stdin.buffer:
    op, pid = line[:1], int(line[1:])
    if op == b"+":
        pids.add(pid)
    else:
        pids.discard(pid)
for pid in pids:
    try:
        os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
    except OSError:
        pass
"""
_guard_lock = threading.Lock()
_guard_state = {"proc": None, "owner": None}


def _guard():
    """This process's guard (started on first use, again after a fork), or None."""
    state = _guard_state
    proc = state["proc"]
    if proc is not None and state["owner"] == os.getpid() and proc.poll() is None:
        return proc
    if not sys.executable:
        return None
    try:
        proc = subprocess.Popen(
            [sys.executable, "-S", "-E", "-c", _GUARD_CODE],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            bufsize=0,
            start_new_session=True,  # a Ctrl-C in the terminal reaches the readers, not it
        )
    except OSError:
        return None
    state["proc"], state["owner"] = proc, os.getpid()
    return proc


def _tell_guard(op, pid):
    with _guard_lock:
        guard = _guard()
        if guard is None:
            return
        try:
            guard.stdin.write(f"{op}{pid}\n".encode())
        except (OSError, ValueError):  # the guard died: the next start makes a new one
            _guard_state["proc"] = None


def spawn(args, **kwargs):
    """``subprocess.Popen(args, **kwargs)`` for an ffmpeg that must not outlive this process.

    The child is registered with this process's guard, which kills it if this
    process ends first (even by SIGKILL, which no handler sees). Call
    :func:`reaped` once the child has been waited for.
    """
    proc = subprocess.Popen(args, **kwargs)
    _tell_guard("+", proc.pid)
    return proc


def reaped(proc):
    """Tell the guard that ``proc`` (from :func:`spawn`) has been waited for."""
    _tell_guard("-", proc.pid)


def run_process(args, *, input=None, stdout=subprocess.PIPE, stderr=subprocess.PIPE):
    """Run ``args`` to completion like ``subprocess.run``, guarded as :func:`spawn` does."""
    proc = spawn(args, stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                 stdout=stdout, stderr=stderr)
    try:
        out, err = proc.communicate(input)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    finally:
        if proc.returncode is not None:
            reaped(proc)
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


_WATCHED = []  # the parent pid this process watches, once started


def watch_parent(parent, interval=0.2):
    """Kill this (worker) process as soon as ``parent`` is no longer its parent.

    For worker processes (joblib/loky): a daemon thread polls ``os.getppid()``
    and sends SIGKILL to its own process when the parent has died, whichever
    thread of the parent started the worker and even if the worker is idle,
    waiting for its next task. The ffmpeg children the worker started then die
    with it (see :func:`spawn`). Does nothing when ``parent`` is not this
    process's parent (threads, nested schedulers) or when a watch runs already.
    """
    if _WATCHED or os.getppid() != parent:
        return
    _WATCHED.append(parent)

    def watch():
        import time

        while os.getppid() == parent:
            time.sleep(interval)
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))

    threading.Thread(target=watch, name="skemotion-watch-parent", daemon=True).start()


class FFmpegProcess:
    """An ffmpeg child whose stdout is read by the caller and whose stderr is drained.

    Used as a context manager: on exit (normal, exception, or a generator closed
    early) the process is killed if still running and always reaped, so no
    ffmpeg outlives its reader. Stderr is drained by a thread into a bounded
    buffer, so a chatty ffmpeg can never block on a full pipe.

    Run at ``-loglevel error``, everything ffmpeg writes to stderr is an error
    report. A command that needs informational output too (``showinfo``) runs at
    ``-loglevel level+info``: then only the lines tagged ``[error]`` or worse
    count as errors, and only they are quoted.
    """

    def __init__(self, args, *, path, stdin=None, keep_stderr=200):
        self.path = path
        self.args = ffmpeg_command(args)
        self._tagged = any(str(a).startswith("level+") for a in args)
        self.stderr_lines = collections.deque(maxlen=keep_stderr)
        self.proc = spawn(
            self.args,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
        )
        self._drain = threading.Thread(target=self._read_stderr, daemon=True)
        self._drain.start()

    def _read_stderr(self):
        for raw in iter(self.proc.stderr.readline, b""):
            self.stderr_lines.append(raw.decode("utf-8", "replace"))
        self.proc.stderr.close()

    def read_exactly(self, n_bytes):
        """Read ``n_bytes`` from stdout; returns fewer only at end of stream."""
        chunks, remaining = [], n_bytes
        while remaining:
            chunk = self.proc.stdout.read(remaining)
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def read_all(self):
        return self.proc.stdout.read()

    def finish(self):
        """Wait for exit; returns the exit code."""
        self.proc.stdout.close()
        code = self.proc.wait()
        reaped(self.proc)
        self._drain.join(timeout=5)
        return code

    def stderr_tail(self, n=_STDERR_LINES):
        """Up to ``n`` distinct error lines ffmpeg wrote (all of stderr unless level-tagged).

        Sorted and without memory addresses, so that messages quoting them are
        the same on every run (see :func:`_tail`).
        """
        lines = list(self.stderr_lines)
        if self._tagged:
            lines = [_ERROR_TAG.sub("", line, count=1) for line in lines if _ERROR_TAG.search(line)]
        return _tail(lines, n)

    def error(self, reason, what="decode"):
        tail = self.stderr_tail()
        message = f"Could not {what} '{self.path}': {reason}"
        if tail:
            message += f" (ffmpeg: {tail})"
        return MediaError(message, self.path, tail)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        for stream in (self.proc.stdout, self.proc.stdin):
            if stream is not None and not stream.closed:
                try:
                    stream.close()
                except OSError:
                    pass
        self.proc.wait()
        reaped(self.proc)
        self._drain.join(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def run_ffmpeg(args, *, path, input_bytes=None, what="decode"):
    """Run ffmpeg to completion; return (stdout bytes, stderr text) or raise MediaError."""
    proc = run_process(ffmpeg_command(args), input=input_bytes)
    stderr = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        tail = _tail(stderr.splitlines())
        raise MediaError(f"Could not {what} '{path}': ffmpeg failed (ffmpeg: {tail})", path, tail)
    return proc.stdout, stderr
