"""Peak memory of FrameSampler's on-disk output, and of searching over it.

1. Featurize 20 and then 200 synthetic clips with
   ``FrameSampler(n_frames=32, size=(224, 224), memmap_dir=...)`` (4.8 MB of
   frames per clip, so 963 MB for 200) and print both peaks; target: the peak
   for 200 stays within 300 MB of the peak for 20. The same 200 clips in RAM
   (``memmap_dir=None``) are printed for reference.
2. Run a ``GridSearchCV`` (``GroupKFold(2)``; a ``DummyClassifier``, so the
   cost is the data handling alone) over the 200-clip store given (a) as the
   ``np.memmap`` itself, which sklearn's fold indexing copies into RAM, and
   (b) through the lazy ``skorch.helper.SliceDataset`` recipe of
   docs/user_guide/out_of_core.rst, which keeps memory flat.

Each measurement runs in a fresh child process; the parent polls the child and
its workers (and ffmpeg processes) every 10 ms and prints the peak of their summed
PSS (proportional set size: resident memory with shared pages split between the
processes sharing them, so a fork is not counted twice; it includes mapped file
pages, which the kernel can drop) and of their anonymous PSS (``Pss_Anon``:
memory that must stay in RAM). Linux only (``/proc/<pid>/smaps_rollup``).

Usage: python benchmarks/bench_memmap.py [--n-small 20] [--n-large 200] [--n-jobs 1]
                                         [--workdir DIR] [--skip-search]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

MB = 1024**2


# -- children -------------------------------------------------------------------------------


def child_featurize(corpus_dir, n_corpus, n, memmap_dir, n_jobs):
    from skemotion.video import FrameSampler

    # The corpus is always the n_corpus-clip one the parent generated (its files
    # are reused); asking for n clips would be another corpus with another
    # fingerprint, regenerated here, inside the measurement.
    corpus = _corpus(corpus_dir, n_corpus)
    sampler = FrameSampler(n_frames=32, size=(224, 224), memmap_dir=memmap_dir or None,
                           n_jobs=n_jobs)
    frames = sampler.fit_transform(corpus.data[:n])
    assert frames.shape == (n, 32, 224, 224, 3)
    print(getattr(frames, "filename", "in RAM"))


class _LazyFrames:
    """Sample i of the store read from disk on access (the out-of-core recipe's dataset)."""

    def __init__(self, path, y):
        self.path, self.y, self._frames = path, np.asarray(y), None

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        if self._frames is None:
            self._frames = np.load(self.path, mmap_mode="r")
        return self._frames[i], self.y[i]


def child_search(corpus_dir, n_corpus, n, store, kind):
    from sklearn.dummy import DummyClassifier
    from sklearn.model_selection import GridSearchCV, GroupKFold

    corpus = _corpus(corpus_dir, n_corpus)
    y, groups = corpus.target[:n], corpus.groups[:n]
    if kind == "memmap":
        X = np.load(store, mmap_mode="r")
    else:
        from skorch.helper import SliceDataset

        X = SliceDataset(_LazyFrames(store, y))
    search = GridSearchCV(DummyClassifier(), {"strategy": ["prior", "most_frequent"]},
                          cv=GroupKFold(n_splits=2), n_jobs=1)
    search.fit(X, y, groups=groups)
    print(f"best score {search.best_score_:.3f}")


def _corpus(corpus_dir, n):
    from skemotion.datasets import make_synthetic_expressions

    return make_synthetic_expressions(n, corpus_dir, duration=1.0, fps=15, size=(64, 64),
                                      with_audio=False, random_state=0)


# -- parent ---------------------------------------------------------------------------------


def _pss(pid):
    """(Pss, Pss_Anon) in bytes of one process, or (0, 0) once it is gone."""
    pss = anon = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
                elif line.startswith("Pss_Anon:"):
                    anon = int(line.split()[1]) * 1024
    except OSError:
        pass
    return pss, anon


def _cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return None


def _tree(pid):
    """pid and its descendants, from /proc, leaving out forks that have not exec'd yet.

    A child between (v)fork and exec (subprocess starting ffmpeg) still shows its
    parent's memory and command line; counting it would double the parent.
    """
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        parent_cmd = _cmdline(p)
        todo.extend(c for c in children.get(p, []) if _cmdline(c) != parent_cmd)
    return found


def measure(args):
    """Run ``this script --child args``; return (peak PSS, peak anonymous PSS, stdout)."""
    proc = subprocess.Popen([sys.executable, __file__, "--child", *map(str, args)],
                            stdout=subprocess.PIPE, text=True)
    peak_pss = peak_anon = 0
    while proc.poll() is None:
        sizes = [_pss(p) for p in _tree(proc.pid)]
        peak_pss = max(peak_pss, sum(s[0] for s in sizes))
        peak_anon = max(peak_anon, sum(s[1] for s in sizes))
        time.sleep(0.01)
    out = proc.stdout.read().strip()
    if proc.returncode != 0:
        raise SystemExit(f"child {args} failed with code {proc.returncode}")
    return peak_pss, peak_anon, out


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, *rest = sys.argv[2:]
        if kind == "featurize":
            corpus_dir, n_corpus, n, memmap_dir, n_jobs = rest
            child_featurize(corpus_dir, int(n_corpus), int(n),
                            memmap_dir if memmap_dir != "-" else None, int(n_jobs))
        else:
            corpus_dir, n_corpus, n, store, how = rest
            child_search(corpus_dir, int(n_corpus), int(n), store, how)
        return

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-small", type=int, default=20)
    parser.add_argument("--n-large", type=int, default=200)
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--skip-search", action="store_true")
    args = parser.parse_args()
    workdir = args.workdir or tempfile.mkdtemp(prefix="bench_memmap_")
    corpus_dir = os.path.join(workdir, "corpus")
    t0 = time.perf_counter()
    _corpus(corpus_dir, args.n_large)
    print(f"corpus: {args.n_large} synthetic clips (64x64, 1 s, 15 fps) in {corpus_dir} "
          f"({time.perf_counter() - t0:.0f} s); output 32 frames at 224x224 RGB = "
          f"{32 * 224 * 224 * 3 / MB:.1f} MB per clip; n_jobs={args.n_jobs}")

    peaks = {}
    store = None
    for n in (args.n_small, args.n_large):
        memmap_dir = os.path.join(workdir, f"frames_{n}")
        rss, anon, out = measure(["featurize", corpus_dir, args.n_large, n, memmap_dir,
                                  args.n_jobs])
        peaks[n] = (rss, anon)
        store = out.splitlines()[-1]
        print(f"memmap output, {n:4d} clips ({n * 32 * 224 * 224 * 3 / MB:6.0f} MB on disk): "
              f"peak PSS {rss / MB:7.1f} MB, peak anonymous {anon / MB:7.1f} MB")
    d_rss = (peaks[args.n_large][0] - peaks[args.n_small][0]) / MB
    d_anon = (peaks[args.n_large][1] - peaks[args.n_small][1]) / MB
    print(f"-> peak({args.n_large}) - peak({args.n_small}): PSS {d_rss:+.1f} MB, anonymous "
          f"{d_anon:+.1f} MB (target: within 300 MB) -> {'OK' if d_rss < 300 else 'MISSED'}")
    rss, anon, _ = measure(["featurize", corpus_dir, args.n_large, args.n_large, "-", args.n_jobs])
    print(f"reference, in-RAM output, {args.n_large} clips: peak PSS {rss / MB:7.1f} MB, "
          f"peak anonymous {anon / MB:7.1f} MB")

    if args.skip_search:
        return
    print(f"GridSearchCV(DummyClassifier, GroupKFold(2)) over the {args.n_large}-clip store "
          f"({os.path.getsize(store) / MB:.0f} MB):")
    for how in ("memmap", "slicedataset"):
        rss, anon, _ = measure(["search", corpus_dir, args.n_large, args.n_large, store, how])
        label = "np.memmap as X        " if how == "memmap" else "SliceDataset recipe   "
        print(f"  {label}: peak PSS {rss / MB:7.1f} MB, peak anonymous {anon / MB:7.1f} MB")


if __name__ == "__main__":
    main()
