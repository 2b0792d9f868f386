"""Coercion of the ``X`` that video estimators and helpers receive: a 1-D array-like of paths.

The helper is shared with audio and lives in :mod:`skemotion.utils._paths`; it is
re-exported here, where the video code imports it from.
"""

from ..utils._paths import as_paths

__all__ = ["as_paths"]
