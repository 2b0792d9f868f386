"""Cost of WeightAveraging: the same fit with and without it, in the same run.

``C3DLSTMClassifier`` (the defaults) on 48 uint8 clips of 8x32x32x3, batch 8,
``max_epochs`` epochs, the last two thirds averaged. The extra work is a copy
of the parameters after each averaged epoch and one pass over the training
data for the batch-norm statistics. Fits alternate, the same seed each; the
minimum over repeats is the least disturbed run of each.

Run::

    python benchmarks/bench_weight_averaging.py
"""

import argparse
import time

import numpy as np


def _fit_seconds(X, y, epochs, callbacks):
    from skemotion.models import C3DLSTMClassifier

    model = C3DLSTMClassifier(
        max_epochs=epochs, batch_size=8, callbacks=callbacks, torch_num_threads=None, random_state=0
    )
    start = time.perf_counter()
    model.fit(X, y)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=45)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    import torch

    from skemotion.models import WeightAveraging

    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(48, 8, 32, 32, 3), dtype=np.uint8)
    y = np.arange(48) % 4
    start = args.epochs // 3
    print(
        f"C3DLSTMClassifier, {args.epochs} epochs on 48 clips of 8x32x32x3 uint8, batch 8, "
        f"torch threads={args.threads}; WeightAveraging(start={start})"
    )
    plain, averaged = [], []
    for _ in range(args.repeats):
        plain.append(_fit_seconds(X, y, args.epochs, None))
        averaged.append(_fit_seconds(X, y, args.epochs, [("average", WeightAveraging(start=start))]))
    tp, ta = min(plain), min(averaged)
    print(
        f"  plain {tp:.2f} s  averaged {ta:.2f} s  ratio averaged/plain = {ta / tp:.3f}  "
        f"(min of {args.repeats})"
    )


if __name__ == "__main__":
    main()
