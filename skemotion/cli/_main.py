"""Argument parsing and dispatch for the ``skemotion`` command.

User mistakes (a bad option, a missing path, an unknown preset or dataset, a
file that is not a skemotion model, a corpus the loader refuses, an unreadable
media file) print one line to stderr and exit with status 2, without a
traceback. Anything else is a bug and keeps its traceback; ``SKEMOTION_DEBUG=1``
shows the traceback of user mistakes too.
"""

import argparse
import os
import sys

from .._version import __version__
from ._errors import one_line_error, user_error_types, user_errors

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line, ``skemotion <cmd>: error: ...``, status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _count(minimum):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer; got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be an integer >= {minimum}; got {value}")
        return value

    return parse


def _seconds(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds; got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds > 0; got {text}")
    return value


def _cmd_corpus(args):
    from ..datasets import get_data_home, make_synthetic_expressions

    out = args.out or os.path.join(get_data_home(), "synthetic")
    with user_errors():  # every argument comes from the command line
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
    parser = _Parser(
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
    corpus.set_defaults(func=_cmd_corpus, parser=corpus)

    from ._data import DATASETS
    from ._presets import PRESETS

    presets = "; ".join(f"{k}: {v}" for k, v in PRESETS.items())
    datasets = "; ".join(f"{k}: {v}" for k, v in DATASETS.items())

    def data_args(p, default_out):
        p.add_argument("--preset", help=f"named pipeline ({presets}); default: speech-functionals "
                       "with --modality audio, else face-cnn-lstm")
        p.add_argument("--dataset", default="synthetic", choices=list(DATASETS), metavar="NAME",
                       help=f"dataset ({datasets})")
        p.add_argument("--data", help="folder of the corpus (a local copy; for synthetic: where to write it)")
        p.add_argument("--modality", choices=["audio", "video", "audiovisual"], metavar="KIND",
                       help="which recordings a corpus gives: audio, video or audiovisual (default: "
                       "from the preset; audiovisual for fusion and --pipeline files)")
        p.add_argument("--n-samples", type=_count(1), default=64, help="clips in the synthetic corpus")
        p.add_argument("--cv", type=_count(2), default=5,
                       help="folds of GroupKFold, at most the number of groups (actors, sessions; "
                       "for DFEW the official folds: 5 gives the official protocol)")
        p.add_argument("--scale", choices=["small", "full"], default="small",
                       help="small, fast settings (default) or the published sizes")
        p.add_argument("--out", default=default_out, help=f"output folder (default: {default_out})")
        p.add_argument("--random-state", type=int, default=0)
        p.add_argument("--n-jobs", type=int, default=-1,
                       help="processes that decode and featurize clips (default: -1, all cores); "
                       "each clip is featurized once for all folds and candidates")

    evaluate = sub.add_parser(
        "evaluate", help="grouped cross-validated evaluation of a preset or pipeline file",
        description="Cross-validate a named preset (or a pipeline described in a YAML/JSON file) with "
        "GroupKFold by actor, print the scores, and write the refitted model (model.joblib), per-fold "
        "results (cv_results.csv), out-of-fold predictions, a JSON report and a confusion-matrix or "
        "timeline figure under --out. With no arguments: the face CNN-LSTM on the synthetic corpus.",
    )
    data_args(evaluate, "skemotion_out")
    evaluate.add_argument("--pipeline", help="YAML or JSON file describing the pipeline (overrides --preset)")
    evaluate.set_defaults(func=lambda a: _commands().cmd_evaluate(a), parser=evaluate)

    search = sub.add_parser(
        "search", help="Optuna search of a preset's parameter space (resumable)",
        description="Optuna search over a preset's space with grouped CV. With --storage "
        "sqlite:///study.db (or a PostgreSQL URL) the study persists: running the same command again "
        "resumes it, and several processes or machines can share it.",
    )
    data_args(search, "skemotion_search")
    search.add_argument("--pipeline", help=argparse.SUPPRESS)
    search.add_argument("--storage", help="optuna storage URL, e.g. sqlite:///study.db (default: in memory)")
    search.add_argument("--study", default="skemotion", help="study name (default: skemotion)")
    search.add_argument("--n-trials", type=_count(1), default=10,
                        help="finished trials (complete, pruned or failed) the study should hold in "
                        "all, counting earlier runs; a rerun resumes up to it")
    search.add_argument("--timeout", type=_seconds, help="stop starting trials after this many seconds")
    search.set_defaults(func=lambda a: _commands().cmd_search(a), parser=search)

    predict = sub.add_parser(
        "predict", help="predict labels and probabilities, or a timeline, for media files",
        description="Load a model written by `skemotion evaluate` and predict each MEDIA file (or "
        "fragment path#t=a,b). With --window/--hop, predict over sliding windows of each video.",
    )
    predict.add_argument("model", help="model.joblib written by `skemotion evaluate`")
    predict.add_argument("media", nargs="+", help="media files or fragments")
    predict.add_argument("--window", type=_seconds, help="window length in seconds for a timeline")
    predict.add_argument("--hop", type=_seconds, help="hop between windows in seconds (default: window)")
    predict.add_argument("--csv", help="write predictions to this CSV (default: print to stdout)")
    predict.add_argument("--figure", help="write a timeline figure (PNG) of the windowed predictions")
    predict.set_defaults(func=lambda a: _commands().cmd_predict(a), parser=predict)
    return parser


def _commands():
    from . import _commands

    return _commands


def main(argv=None):
    """Run the ``skemotion`` command; returns the exit status."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # reported by the subcommand, so that the line names it
        getattr(args, "parser", parser).error(f"unrecognized arguments: {' '.join(extra)}")
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except user_error_types() as exc:
        if os.environ.get("SKEMOTION_DEBUG", "") not in ("", "0"):
            raise
        message = one_line_error(exc, args)  # one line, even for multi-line messages
        print(f"skemotion {args.command}: error: {message}", file=sys.stderr)
        return 2
