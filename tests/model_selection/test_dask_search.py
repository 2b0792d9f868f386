"""Tests for searches on a Dask cluster over loopback, through joblib's dask backend."""

import os
import re

import numpy as np
import pytest

distributed = pytest.importorskip("distributed")

from sklearn.linear_model import Ridge  # noqa: E402
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_validate  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from skemotion.metrics import ccc_scorer  # noqa: E402
from skemotion.model_selection import local_dask_cluster, worker_config  # noqa: E402


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    y = X @ [1.0, -0.5, 0.2, 0.0] + 0.5 * rng.normal(size=60)
    groups = np.repeat(np.arange(10), 6)
    return X, y, groups


def test_default_dask_config_sets_the_trim_threshold():
    """Check that Dask's default nanny config sets MALLOC_TRIM_THRESHOLD_ (what we undo)."""
    import dask

    key = next(iter(worker_config()))
    assert dask.config.get(key) == 65536
    with dask.config.set(worker_config()):
        assert dask.config.get(key) is None


@pytest.mark.slow
def test_grid_search_on_local_cluster_matches_sequential():
    """Check that GridSearchCV and cross_validate on 2 Dask workers equal n_jobs=1."""
    import joblib

    X, y, groups = _data()
    pipe = make_pipeline(StandardScaler(), Ridge())
    grid = {"ridge__alpha": [0.01, 1.0, 100.0], "ridge__fit_intercept": [True, False]}

    def search(n_jobs):
        return GridSearchCV(pipe, grid, cv=GroupKFold(3), scoring=ccc_scorer, n_jobs=n_jobs).fit(
            X, y, groups=groups
        )

    sequential = search(1)
    seq_cv = cross_validate(pipe, X, y, groups=groups, cv=GroupKFold(5), scoring=ccc_scorer)
    with local_dask_cluster(2) as cluster, distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        # the nanny did not set the variable that slows torch; one thread per worker
        env = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
        assert list(env.values()) == [None, None]
        pids = set(client.run(os.getpid).values())
        assert len(pids) == 2 and os.getpid() not in pids
        with joblib.parallel_config(backend="dask"):
            parallel = search(-1)
            par_cv = cross_validate(
                pipe, X, y, groups=groups, cv=GroupKFold(5), scoring=ccc_scorer, n_jobs=-1
            )
    assert parallel.best_params_ == sequential.best_params_
    for key, value in sequential.cv_results_.items():
        if re.match(r"(split\d+|mean|std|rank)_test_score", key):
            np.testing.assert_allclose(parallel.cv_results_[key], value, rtol=1e-12)
    np.testing.assert_allclose(par_cv["test_score"], seq_cv["test_score"], rtol=1e-12)


def test_local_dask_cluster_bad_parameters():
    """Check that bad worker counts are rejected before starting anything."""
    with pytest.raises(
        ValueError, match=re.escape("The 'n_workers' parameter of local_dask_cluster")
    ):
        local_dask_cluster(0)


WORKER_YAML = """\
distributed:
  nanny:
    pre-spawn-environ:
      MALLOC_TRIM_THRESHOLD_: null
"""


@pytest.mark.slow
def test_documented_cli_commands_on_loopback(tmp_path):
    """Check the user guide's `dask scheduler` / `dask worker` commands and worker settings."""
    import shutil
    import subprocess
    import time

    import joblib

    dask_exe = shutil.which("dask")
    if dask_exe is None:
        pytest.skip("the `dask` command is not on PATH")
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "skemotion-worker.yaml").write_text(WORKER_YAML)
    sched_file = tmp_path / "scheduler.json"
    env = {**os.environ, "DASK_CONFIG": str(conf)}
    env.pop("MALLOC_TRIM_THRESHOLD_", None)
    logs = [open(tmp_path / f"{n}.log", "w") for n in ("scheduler", "worker")]  # noqa: SIM115
    scheduler = subprocess.Popen(
        [
            dask_exe,
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(sched_file),
        ],
        stdout=logs[0],
        stderr=subprocess.STDOUT,
        env=env,
    )
    worker = None
    try:
        deadline = time.monotonic() + 60
        while not sched_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        worker = subprocess.Popen(
            [
                dask_exe,
                "worker",
                "--scheduler-file",
                str(sched_file),
                "--nworkers",
                "2",
                "--nthreads",
                "1",
                "--host",
                "127.0.0.1",
                "--no-dashboard",
            ],
            stdout=logs[1],
            stderr=subprocess.STDOUT,
            env=env,
        )
        with distributed.Client(scheduler_file=str(sched_file), timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
            env_seen = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
            assert list(env_seen.values()) == [None, None]
            X, y, groups = _data()
            with joblib.parallel_config(backend="dask"):
                res = cross_validate(Ridge(), X, y, groups=groups, cv=GroupKFold(5), n_jobs=-1)
            expected = cross_validate(Ridge(), X, y, groups=groups, cv=GroupKFold(5))
            np.testing.assert_allclose(res["test_score"], expected["test_score"], rtol=1e-12)
            client.shutdown()  # stops the scheduler and the workers
    finally:
        for proc in (worker, scheduler):
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        for log in logs:
            log.close()
