"""Media I/O on imageio-ffmpeg's bundled ffmpeg: the only code that touches media files.

It owns the wording of errors for missing, corrupt, silent and zero-length files.
"""

from ._ffmpeg import ffmpeg_exe
from ._fragment import make_fragment, parse_fragment
from ._probe import MediaInfo, probe
from ._read import iter_frames, read_audio, read_frames
from ._sequence_write import write_sequence
from ._write import write_audio, write_video

__all__ = [
    "MediaInfo",
    "ffmpeg_exe",
    "iter_frames",
    "make_fragment",
    "parse_fragment",
    "probe",
    "read_audio",
    "read_frames",
    "write_audio",
    "write_sequence",
    "write_video",
]
