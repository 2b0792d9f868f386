"""Argument parsing and dispatch for the ``skemotion`` command.

User mistakes (a missing path, an unknown preset, a file that is not a skemotion
model) print one line to stderr and exit with status 2, without a traceback.
"""

import argparse
import sys

from .._version import __version__

__all__ = ["main", "UserError"]


class UserError(Exception):
    """A mistake in the command line: printed as one line, exit status 2."""


def _cmd_corpus(args):
    from ..datasets import get_data_home, make_synthetic_expressions

    out = args.out or get_data_home() / "synthetic"
    corpus = make_synthetic_expressions(
        args.n_samples,
        out,
        n_classes=args.n_classes,
        n_actors=args.n_actors,
        duration=args.duration,
        fps=args.fps,
        size=(args.size, args.size),
        random_state=args.random_state,
    )
    frame = corpus.frame
    print(f"synthetic corpus: {len(frame)} clips in {out}")
    print(f"classes: {', '.join(map(str, corpus.target_names))}")
    print(f"actors: {len(set(corpus.groups))}; clip: {args.duration:g} s at {args.fps:g} fps, "
          f"{args.size}x{args.size} px, with audio")
    counts = frame.groupby("label").size()
    print("clips per class: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


def build_parser():
    parser = argparse.ArgumentParser(
        prog="skemotion",
        description="Emotion recognition from video and audio with scikit-learn estimators.",
    )
    parser.add_argument("--version", action="version", version=f"skemotion {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    corpus = sub.add_parser(
        "corpus", help="write the synthetic expression corpus and print a summary",
        description="Write the synthetic expression corpus (mp4 clips with a drawn face and a "
        "voice-like sound per emotion) and print a summary. Reuses an identical corpus on disk.",
    )
    corpus.add_argument("--out", help="output folder (default: <data home>/synthetic)")
    corpus.add_argument("--n-samples", type=int, default=64)
    corpus.add_argument("--n-classes", type=int, default=4)
    corpus.add_argument("--n-actors", type=int, default=4)
    corpus.add_argument("--duration", type=float, default=1.0, help="seconds per clip")
    corpus.add_argument("--fps", type=float, default=15)
    corpus.add_argument("--size", type=int, default=64, help="frame width and height in pixels")
    corpus.add_argument("--random-state", type=int, default=0)
    corpus.set_defaults(func=_cmd_corpus)
    return parser


def main(argv=None):
    """Run the ``skemotion`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except UserError as exc:
        print(f"skemotion {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, ValueError) as exc:
        # Validation errors from the library already say what was expected.
        print(f"skemotion {args.command}: error: {exc}", file=sys.stderr)
        return 2
