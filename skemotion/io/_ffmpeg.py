"""Running the bundled ffmpeg: one place that starts, drains and reaps processes."""

import collections
import errno
import os
import re
import subprocess
import threading
from functools import lru_cache

from ..exceptions import MediaError

__all__ = ["ffmpeg_exe", "FFmpegProcess", "check_media_file", "run_ffmpeg"]

_STDERR_LINES = 12  # how much of ffmpeg's diagnostics an error quotes
# With ``-loglevel level+LEVEL`` ffmpeg tags each line "[info] ", "[error] ", ...
_ERROR_TAG = re.compile(r"\[(?:panic|fatal|error)\] ")


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


def check_media_file(path):
    """Raise FileNotFoundError / MediaError for a missing, non-regular or empty file."""
    if not os.path.exists(path):
        # errno form: str() reads "[Errno 2] No such media file: 'x.mp4'" and .filename is set.
        raise FileNotFoundError(errno.ENOENT, "No such media file", str(path))
    if os.path.isdir(path):
        raise MediaError(f"Could not decode '{path}': it is a directory, not a media file.", path)
    if os.path.getsize(path) == 0:
        raise MediaError(f"Could not decode '{path}': the file is empty (0 bytes).", path)


def _tail(lines):
    text = "\n".join(line.rstrip() for line in lines if line.strip())
    return text


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
        self.args = [ffmpeg_exe(), "-hide_banner", "-nostdin", *args]
        self._tagged = any(str(a).startswith("level+") for a in args)
        self.stderr_lines = collections.deque(maxlen=keep_stderr)
        self.proc = subprocess.Popen(
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
        self._drain.join(timeout=5)
        return code

    def stderr_tail(self, n=_STDERR_LINES):
        """The last ``n`` error lines ffmpeg wrote (all of stderr unless level-tagged)."""
        lines = list(self.stderr_lines)
        if self._tagged:
            lines = [_ERROR_TAG.sub("", line, count=1) for line in lines if _ERROR_TAG.search(line)]
        return _tail(lines[-n:])

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
        self._drain.join(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def run_ffmpeg(args, *, path, input_bytes=None, what="decode"):
    """Run ffmpeg to completion; return (stdout bytes, stderr text) or raise MediaError."""
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", *args],
        input=input_bytes,
        capture_output=True,
        check=False,
    )
    stderr = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        tail = _tail(stderr.splitlines()[-_STDERR_LINES:])
        raise MediaError(f"Could not {what} '{path}': ffmpeg failed (ffmpeg: {tail})", path, tail)
    return proc.stdout, stderr
