"""Tests for searches on a Dask cluster over loopback, through joblib's dask backend."""

import os
import re
import shlex
import textwrap
import uuid
from pathlib import Path

import numpy as np
import pytest

distributed = pytest.importorskip("distributed")

from sklearn.linear_model import Ridge  # noqa: E402
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_validate  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from skemotion.metrics import ccc_scorer  # noqa: E402
from skemotion.model_selection import local_dask_cluster, worker_config  # noqa: E402


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    y = X @ [1.0, -0.5, 0.2, 0.0] + 0.5 * rng.normal(size=60)
    groups = np.repeat(np.arange(10), 6)
    return X, y, groups


SCALING_OUT = Path(__file__).resolve().parents[2] / "docs" / "user_guide" / "scaling_out.rst"


def _pid_recording_ridge():
    """A Ridge whose ``fit`` leaves a file named after its process id in ``log_dir``.

    The class is made inside a function so that cloudpickle ships it by value: the
    workers cannot import this test module.
    """

    class PidRecordingRidge(Ridge):
        def __init__(self, alpha=1.0, *, fit_intercept=True, log_dir=None):
            super().__init__(alpha=alpha, fit_intercept=fit_intercept)
            self.log_dir = log_dir

        def fit(self, X, y, sample_weight=None):
            if self.log_dir is not None:
                (Path(self.log_dir) / f"{os.getpid()}-{uuid.uuid4().hex}").touch()
            return super().fit(X, y, sample_weight=sample_weight)

    return PidRecordingRidge


def _fit_pids(log_dir):
    """Process id of every fit recorded in ``log_dir``, one entry per fit."""
    return [int(f.name.split("-")[0]) for f in Path(log_dir).iterdir()]


def _rst_code_blocks(path, language):
    """The ``.. code-block:: <language>`` blocks of an rst file, dedented."""
    lines = Path(path).read_text().splitlines()
    blocks = []
    for i, line in enumerate(lines):
        if line.strip() != f".. code-block:: {language}":
            continue
        indent = len(line) - len(line.lstrip())
        body = []
        for nxt in lines[i + 1 :]:
            if nxt.strip() and len(nxt) - len(nxt.lstrip()) <= indent:
                break
            body.append(nxt)
        blocks.append(textwrap.dedent("\n".join(body)).strip("\n") + "\n")
    return blocks


def test_default_dask_config_sets_the_trim_threshold():
    """Check that Dask's default nanny config sets MALLOC_TRIM_THRESHOLD_ (what we undo)."""
    import dask

    key = next(iter(worker_config()))
    assert dask.config.get(key) == 65536
    with dask.config.set(worker_config()):
        assert dask.config.get(key) is None


@pytest.mark.slow
def test_grid_search_on_local_cluster_matches_sequential(tmp_path):
    """Check that GridSearchCV and cross_validate on 2 Dask workers equal n_jobs=1.

    Every fit records its process id: under the dask backend the CV fits must have run
    in the worker processes, and only GridSearchCV's refit in the test process.
    """
    import joblib

    X, y, groups = _data()
    ridge = _pid_recording_ridge()
    pipe = Pipeline([("scale", StandardScaler()), ("ridge", ridge())])
    grid = {"ridge__alpha": [0.01, 1.0, 100.0], "ridge__fit_intercept": [True, False]}
    n_fits = 6 * 3  # candidates x folds

    def search(n_jobs, log_dir):
        log_dir.mkdir()
        return GridSearchCV(
            pipe.set_params(ridge__log_dir=str(log_dir)),
            grid,
            cv=GroupKFold(3),
            scoring=ccc_scorer,
            n_jobs=n_jobs,
        ).fit(X, y, groups=groups)

    def cv(n_jobs, log_dir):
        log_dir.mkdir()
        return cross_validate(
            pipe.set_params(ridge__log_dir=str(log_dir)),
            X,
            y,
            groups=groups,
            cv=GroupKFold(5),
            scoring=ccc_scorer,
            n_jobs=n_jobs,
        )

    sequential = search(1, tmp_path / "seq_search")
    seq_cv = cv(1, tmp_path / "seq_cv")
    # the recorder works: sequentially, every fit (and the refit) is in this process
    assert _fit_pids(tmp_path / "seq_search") == [os.getpid()] * (n_fits + 1)
    with local_dask_cluster(2) as cluster, distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        # the nanny did not set the variable that slows torch; one thread per worker
        env = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
        assert list(env.values()) == [None, None]
        worker_pids = set(client.run(os.getpid).values())
        assert len(worker_pids) == 2 and os.getpid() not in worker_pids
        with joblib.parallel_config(backend="dask"):
            parallel = search(-1, tmp_path / "dask_search")
            par_cv = cv(-1, tmp_path / "dask_cv")
    search_pids = _fit_pids(tmp_path / "dask_search")
    cv_pids = _fit_pids(tmp_path / "dask_cv")
    per_process = {
        int(p): int(n) for p, n in zip(*np.unique(search_pids, return_counts=True), strict=True)
    }
    print(
        f"\ntest process {os.getpid()}, workers {sorted(worker_pids)}; GridSearchCV fits per "
        f"process {per_process}"
    )
    # every CV fit ran on a worker; the refit (one fit) ran here
    assert len(search_pids) == n_fits + 1
    assert search_pids.count(os.getpid()) == 1
    assert set(search_pids) - {os.getpid()} <= worker_pids
    assert len(cv_pids) == 5 and set(cv_pids) <= worker_pids
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


def _documented_loopback_commands():
    """The worker YAML and the loopback scheduler / worker commands of the user guide."""
    (yaml,) = _rst_code_blocks(SCALING_OUT, "yaml")
    loopback = [
        b
        for b in _rst_code_blocks(SCALING_OUT, "bash")
        if b.startswith("dask scheduler --host 127.0.0.1")
    ]
    assert len(loopback) == 1, f"expected one loopback block in {SCALING_OUT}"
    commands = [shlex.split(line) for line in loopback[0].replace("\\\n", " ").splitlines()]
    return yaml, commands


def test_documented_worker_settings_remove_the_trim_threshold():
    """Check that the user guide's worker YAML is the setting of worker_config()."""
    import dask
    import yaml as pyyaml

    text, commands = _documented_loopback_commands()
    key = next(iter(worker_config()))
    with dask.config.set(pyyaml.safe_load(text)):
        assert dask.config.get(key) is None
    scheduler, worker = commands
    assert scheduler[:2] == ["dask", "scheduler"]
    assert worker[0].startswith("DASK_CONFIG=") and worker[1:3] == ["dask", "worker"]
    assert {"--nthreads", "--nworkers", "--host"} <= set(worker)
    assert worker[worker.index("--nthreads") + 1] == "1"


@pytest.mark.slow
def test_documented_cli_commands_on_loopback(tmp_path):
    """Check the user guide's `dask scheduler` / `dask worker` commands and worker settings.

    The YAML file and both commands are read from docs/user_guide/scaling_out.rst and
    run as written, with a free port instead of 8786 and DASK_CONFIG in tmp_path.
    """
    import shutil
    import socket
    import subprocess

    import joblib

    dask_exe = shutil.which("dask")
    if dask_exe is None:
        pytest.skip("the `dask` command is not on PATH")
    yaml, (scheduler_cmd, worker_cmd) = _documented_loopback_commands()
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "skemotion-worker.yaml").write_text(yaml)
    with socket.socket() as s:  # a free port; the scheduler binds it a moment later
        s.bind(("127.0.0.1", 0))
        port = str(s.getsockname()[1])

    def prepare(cmd):
        env = {k: v for k, v in os.environ.items() if not k.startswith("DASK_")}
        env.pop("MALLOC_TRIM_THRESHOLD_", None)
        while "=" in cmd[0]:  # leading VAR=value assignments, as a shell reads them
            name, _ = cmd[0].split("=", 1)
            assert name == "DASK_CONFIG", cmd
            env[name] = str(conf)
            cmd = cmd[1:]
        assert cmd[0] == "dask"
        cmd = [dask_exe] + [a.replace("8786", port) for a in cmd[1:]]
        return cmd, env

    logs = [open(tmp_path / f"{n}.log", "w") for n in ("scheduler", "worker")]  # noqa: SIM115
    procs = []
    try:
        for cmd, log in zip((scheduler_cmd, worker_cmd), logs, strict=True):
            cmd, env = prepare(cmd)
            procs.append(subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env))
        with distributed.Client(f"tcp://127.0.0.1:{port}", timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
            env_seen = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
            assert list(env_seen.values()) == [None, None]
            worker_pids = set(client.run(os.getpid).values())
            assert len(worker_pids) == 2 and os.getpid() not in worker_pids
            X, y, groups = _data()
            ridge = _pid_recording_ridge()
            log_dir = tmp_path / "fits"
            log_dir.mkdir()
            with joblib.parallel_config(backend="dask"):
                res = cross_validate(
                    ridge(log_dir=str(log_dir)), X, y, groups=groups, cv=GroupKFold(5), n_jobs=-1
                )
            expected = cross_validate(Ridge(), X, y, groups=groups, cv=GroupKFold(5))
            np.testing.assert_allclose(res["test_score"], expected["test_score"], rtol=1e-12)
            fit_pids = _fit_pids(log_dir)
            assert len(fit_pids) == 5 and set(fit_pids) <= worker_pids
            client.shutdown()  # stops the scheduler and the workers
    finally:
        for proc in reversed(procs):
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for log in logs:
            log.close()
