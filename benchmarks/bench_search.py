"""Benchmark: search storage overhead, and Dask's MALLOC_TRIM_THRESHOLD_ on a torch fit.

Run:  python benchmarks/bench_search.py [--trials 40] [--repeats 3]

1. Optuna storage: seconds per trial of a trivial objective (so the numbers are
   storage overhead) with OptunaSearch's storages: in memory, a journal file and
   SQLite, in one process. Ratios are relative to in memory.
2. Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536. A CPU torch
   fit (one thread) runs in a fresh subprocess with and without that variable;
   the ratio is with / without (>1 means slower). This is why
   skemotion.model_selection.worker_config() removes the variable.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time

TORCH_FIT = textwrap.dedent(
    """
    import time, torch
    torch.set_num_threads(1)
    torch.manual_seed(0)
    # a small conv net on 16-frame 64x64 batches: allocation-heavy like video models
    net = torch.nn.Sequential(
        torch.nn.Conv2d(3, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1),
        torch.nn.Flatten(), torch.nn.Linear(32, 4),
    )
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    x = torch.rand(32, 3, 64, 64)
    y = torch.randint(0, 4, (32,))
    start = time.perf_counter()
    for _ in range(STEPS):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(x), y).backward()
        opt.step()
    print(time.perf_counter() - start)
    """
)


def bench_storage(n_trials, repeats):
    import numpy as np
    from optuna.distributions import FloatDistribution
    from sklearn.dummy import DummyRegressor

    from skemotion.model_selection import OptunaSearch

    X = np.zeros((8, 1))
    y = np.arange(8.0)
    results = {}
    for name in ("memory", "journal", "sqlite"):
        times = []
        for r in range(repeats):
            with tempfile.TemporaryDirectory() as tmp:
                storage = {
                    "memory": None,
                    "journal": f"journal:///{tmp}/s.log",
                    "sqlite": f"sqlite:///{tmp}/s.db",
                }[name]
                search = OptunaSearch(
                    DummyRegressor(),
                    {"constant": FloatDistribution(0, 1)},
                    cv=2,
                    n_trials=n_trials,
                    storage=storage,
                    study_name=f"bench{r}",
                    refit=False,
                    random_state=r,
                )
                start = time.perf_counter()
                search.fit(X, y)
                times.append((time.perf_counter() - start) / n_trials)
        results[name] = min(times)
    print(f"Optuna storage, seconds per trial (best of {repeats}, {n_trials} trials, 1 process):")
    for name, t in results.items():
        print(
            f"  {name:8s} {t * 1000:7.1f} ms/trial   ratio vs memory {t / results['memory']:5.2f}"
        )


def bench_malloc(steps, repeats):
    script = TORCH_FIT.replace("STEPS", str(steps))
    env_base = {k: v for k, v in os.environ.items() if k != "MALLOC_TRIM_THRESHOLD_"}
    env_base["OMP_NUM_THREADS"] = "1"
    timings = {
        "unset (skemotion worker_config)": [],
        "MALLOC_TRIM_THRESHOLD_=65536 (Dask default)": [],
    }
    for _ in range(repeats):  # interleave to share the machine's load fairly
        for label in timings:
            env = dict(env_base)
            if "65536" in label:
                env["MALLOC_TRIM_THRESHOLD_"] = "65536"
            out = subprocess.run(
                [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
            )
            timings[label].append(float(out.stdout.strip()))
    base, trimmed = (min(v) for v in timings.values())
    print(f"CPU torch fit, {steps} Adam steps of a conv net, 1 thread (best of {repeats}):")
    for label, values in timings.items():
        print(f"  {label:45s} {min(values):6.2f} s")
    print(f"  ratio with / without the Dask default: {trimmed / base:.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    bench_storage(args.trials, args.repeats)
    bench_malloc(args.steps, args.repeats)


if __name__ == "__main__":
    main()
