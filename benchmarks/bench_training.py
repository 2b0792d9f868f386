"""Training overhead of the skorch estimators and memory of memmap training.

1. One epoch of ``CNNLSTMClassifier`` through skorch against a hand-written
   PyTorch loop over the same module (same initial weights), the same uint8
   data, batch size, optimizer and loss, in the same run. Prints the ratio
   (target <= 1.10 on CPU). With ``--device cuda`` it also prints samples/s
   with and without ``--amp`` and the peak GPU memory.
2. Peak anonymous resident memory of fitting from an ``np.memmap`` for two corpus sizes
   (each in a fresh subprocess), beside the in-memory array for contrast: the
   memmap peak should stay flat as the number of samples grows.

Run::

    python benchmarks/bench_training.py                 # CPU
    python benchmarks/bench_training.py --device cuda --amp
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np


def _data(n, t, size, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 256, size=(n, t, size, size, 3), dtype=np.uint8)
    y = (np.arange(n) % 4).astype(np.int64)
    return X, y


def _estimator(device, amp, batch_size):
    from skemotion.models import CNNLSTMClassifier

    return CNNLSTMClassifier(
        module__hidden_size=64,
        max_epochs=1,
        batch_size=batch_size,
        lr=1e-3,
        device=device,
        amp=amp,
        torch_num_threads=None,
        random_state=0,
        iterator_train__shuffle=True,
    )


def _skorch_epoch(X, y, device, amp, batch_size):
    import torch

    est = _estimator(device, amp, batch_size)
    # build the network outside the timed region, like the manual loop
    est.fit(X[:batch_size], y[:batch_size])
    state = {k: v.clone() for k, v in est.module_.state_dict().items()}
    if str(est.device_).startswith("cuda"):
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    start = time.perf_counter()
    est.partial_fit(X, y)  # exactly one more epoch over all samples, same network
    if str(est.device_).startswith("cuda"):
        torch.cuda.synchronize()
    elapsed = time.perf_counter() - start
    peak = torch.cuda.max_memory_allocated() if str(est.device_).startswith("cuda") else 0
    return elapsed, state, est, peak


def _manual_epoch(X, y, state, est, batch_size):
    """The same epoch written by hand: DataLoader, per-batch scaling, Adam, cross-entropy."""
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    device = est.device_
    amp = est.amp and str(device).startswith("cuda")
    module = est.module_  # the very same module object, reset to the same weights
    module.load_state_dict(state)
    module.train()
    optimizer = torch.optim.Adam(module.parameters(), lr=1e-3)
    criterion = torch.nn.CrossEntropyLoss()
    scaler = torch.amp.GradScaler("cuda") if amp else None
    loader = DataLoader(
        TensorDataset(torch.from_numpy(X), torch.from_numpy(y)),
        batch_size=batch_size,
        shuffle=True,
        pin_memory=str(device).startswith("cuda"),
    )
    if str(device).startswith("cuda"):
        torch.cuda.synchronize()
    start = time.perf_counter()
    for xb, yb in loader:
        xb = xb.to(device, non_blocking=True).float().div_(255.0)
        yb = yb.to(device, non_blocking=True)
        optimizer.zero_grad()
        if amp:
            with torch.autocast("cuda", dtype=torch.float16):
                loss = criterion(module(xb).float(), yb)
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
        else:
            loss = criterion(module(xb), yb)
            loss.backward()
            optimizer.step()
        loss.item()  # skorch records every batch loss, which syncs
    if str(device).startswith("cuda"):
        torch.cuda.synchronize()
    return time.perf_counter() - start


def bench_overhead(args):
    import torch

    torch.set_num_threads(args.threads)
    X, y = _data(args.n_samples, args.n_frames, args.size)
    print(
        f"CNNLSTM, one epoch: {args.n_samples} clips of {args.n_frames}x{args.size}x{args.size}x3 "
        f"uint8, batch {args.batch_size}, device={args.device}, torch threads={args.threads}"
    )
    amps = [False, True] if args.amp else [False]
    for amp in amps:
        # build the skorch network once (outside the timed region), then alternate one
        # skorch epoch (partial_fit) with one hand-written epoch from the same weights;
        # the minimum over repeats is the least disturbed run of each
        _, state, est, _ = _skorch_epoch(X[: 2 * args.batch_size], y[: 2 * args.batch_size],
                                         args.device, amp, args.batch_size)
        cuda = str(est.device_).startswith("cuda")
        skorch_times, manual_times = [], []
        peak = 0
        for _ in range(args.repeats):
            if cuda:
                torch.cuda.synchronize()
                torch.cuda.reset_peak_memory_stats()
            # same starting point as the hand-written loop: weights and a fresh optimizer
            # (weights trained further can hold denormal floats, which slow CPU math)
            est.module_.load_state_dict(state)
            est.initialize_optimizer()
            start = time.perf_counter()
            est.partial_fit(X, y)
            if cuda:
                torch.cuda.synchronize()
                peak = max(peak, torch.cuda.max_memory_allocated())
            skorch_times.append(time.perf_counter() - start)
            manual_times.append(_manual_epoch(X, y, state, est, args.batch_size))
        ts, tm = min(skorch_times), min(manual_times)
        label = f"cuda amp={amp}" if cuda else "cpu"
        print(
            f"  [{label}] skorch {ts:.3f} s ({args.n_samples / ts:.1f} samples/s)  "
            f"hand-written {tm:.3f} s ({args.n_samples / tm:.1f} samples/s)  "
            f"ratio skorch/hand-written = {ts / tm:.3f}  (target <= 1.10; min of {args.repeats})"
        )
        if peak:
            print(f"  [{label}] peak GPU memory (skorch epoch): {peak / 2**20:.1f} MiB")


def _rss_anon_mib():
    """Anonymous resident memory (heap, not file-backed pages of the memmap), Linux."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no RssAnon in /proc/self/status")


def _child(path, n, t, size, mode):
    """Fit one epoch from a memmap (or an in-memory copy); print peak anonymous RSS in MiB.

    File-backed pages of a memmap count in plain RSS but are page cache the
    kernel can drop, so the peak is taken over anonymous memory, sampled after
    every batch.
    """
    import torch
    from skorch.callbacks import Callback

    torch.set_num_threads(1)
    from skemotion.models import CNNLSTMClassifier

    class PeakMemory(Callback):
        peak = 0.0

        def on_batch_end(self, net, **kwargs):
            PeakMemory.peak = max(PeakMemory.peak, _rss_anon_mib())

    X = np.memmap(path, dtype=np.uint8, mode="r", shape=(n, t, size, size, 3))
    if mode == "memory":
        X = np.array(X)
    y = (np.arange(n) % 4).astype(np.int64)
    CNNLSTMClassifier(
        module__hidden_size=16,
        max_epochs=1,
        batch_size=16,
        random_state=0,
        callbacks=[("peak", PeakMemory())],
    ).fit(X, y)
    print(PeakMemory.peak)


def bench_memmap(args):
    t, size = args.n_frames, 64
    sizes = (args.memmap_n, 4 * args.memmap_n)
    print(
        f"Peak anonymous RSS fitting 1 epoch of CNNLSTM on {t}x{size}x{size}x3 uint8 clips "
        "(fresh process each):"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = os.path.join(tmp, f"clips_{n}.u8")
            mm = np.memmap(path, dtype=np.uint8, mode="w+", shape=(n, t, size, size, 3))
            rng = np.random.default_rng(0)
            for start in range(0, n, 64):
                stop = min(n, start + 64)
                mm[start:stop] = rng.integers(0, 256, size=(stop - start, t, size, size, 3), dtype=np.uint8)
            mm.flush()
            del mm
            data_mib = n * t * size * size * 3 / 2**20
            peaks = {}
            for mode in ("memmap", "memory"):
                out = subprocess.run(
                    [sys.executable, __file__, "--child", path, str(n), str(t), str(size), mode],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                peaks[mode] = float(out.stdout.strip().splitlines()[-1])
            print(
                f"  n={n:5d} ({data_mib:7.1f} MiB of frames): peak memmap {peaks['memmap']:7.1f} MiB, "
                f"in-memory {peaks['memory']:7.1f} MiB"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--amp", action="store_true", help="also time mixed precision (CUDA)")
    parser.add_argument("--n-samples", type=int, default=128)
    parser.add_argument("--n-frames", type=int, default=8)
    parser.add_argument("--size", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--memmap-n", type=int, default=250)
    parser.add_argument("--skip-memmap", action="store_true")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        path, n, t, size, mode = args.child
        _child(path, int(n), int(t), int(size), mode)
        return
    bench_overhead(args)
    if not args.skip_memmap:
        bench_memmap(args)


if __name__ == "__main__":
    main()
