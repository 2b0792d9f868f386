"""Video featurization: :class:`FrameSampler` and the clip helpers.

``FrameSampler`` is a transformer (paths in, ``(n_samples, n_frames, height,
width, channels)`` uint8 frames out). ``filter_clips``, ``split_clips`` and
``sliding_windows`` change the number of samples, so they are plain functions
applied once before cross-validation.
"""

from ._clips import filter_clips, sliding_windows, split_clips
from ._sampler import FrameSampler

__all__ = ["FrameSampler", "filter_clips", "sliding_windows", "split_clips"]
