"""Tests for shared Optuna storage: several processes on one study, and resume after SIGKILL."""

import glob
import importlib.util
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time

import numpy as np
import optuna
import pytest

from skemotion.model_selection import OptunaSearch, make_storage

# A worker script: a slow-ish objective (sleep in fit) so that processes overlap.
WORKER = textwrap.dedent(
    """
    import os, sys, time
    import numpy as np
    from optuna.distributions import FloatDistribution
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import GroupKFold
    from skemotion.model_selection import OptunaSearch

    class SlowRidge(Ridge):
        def fit(self, X, y, sample_weight=None):
            time.sleep(float(os.environ.get("FIT_SLEEP", "0.05")))
            return super().fit(X, y, sample_weight=sample_weight)

    storage, name, n_trials, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    go = os.environ.get("GO_FILE")
    print("ready", flush=True)
    while go and not os.path.exists(go):
        time.sleep(0.02)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = X @ [1.0, -0.5, 0.2] + 0.3 * rng.normal(size=40)
    groups = np.repeat(np.arange(8), 5)
    search = OptunaSearch(
        SlowRidge(), {"alpha": FloatDistribution(1e-3, 1e3, log=True)}, scoring="ccc",
        cv=GroupKFold(2), n_trials=n_trials, storage=storage, study_name=name,
        random_state=seed, refit=False,
    ).fit(X, y, groups=groups)
    print("ran", search.n_trials_run_, flush=True)
    """
)


def _start(script, args, env):
    full_env = {**os.environ, **env}
    return subprocess.Popen(
        [sys.executable, str(script), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=full_env,
    )


def _two_processes_optimise_one_study(storage, tmp_path, label):
    """Start two worker processes on one study at once; check it holds every trial of both."""
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    go = tmp_path / "go"
    env = {"GO_FILE": str(go), "FIT_SLEEP": "0.05"}
    procs = [_start(script, [storage, "shared", 10, seed], env) for seed in (1, 2)]
    for p in procs:  # both imported everything and wait at the barrier
        assert p.stdout.readline().strip() == "ready"
    go.touch()
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (_, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
    ran = [int(out.split("ran")[1]) for out, _ in outputs]
    study = optuna.load_study(study_name="shared", storage=make_storage(storage))
    complete = study.get_trials(states=(optuna.trial.TrialState.COMPLETE,))
    print(f"\n{label}: trials run per process = {ran}, trials in the study = {len(complete)}")
    assert all(r > 0 for r in ran)  # both processes contributed
    assert len(complete) == sum(ran) == len(study.trials)  # the study holds every trial of both
    assert 10 <= len(complete) <= 11  # n_trials is the study's total (one overshoot possible)
    # every trial carries its per-fold scores, whichever process ran it
    assert all(len(t.user_attrs["test_score"]) == 2 for t in complete)


@pytest.mark.slow
def test_two_processes_share_one_study(tmp_path):
    """Check that two processes optimise one study and it holds every trial of both.

    The journal file is the recommended storage for several processes on one machine
    (SQLite works too, measured slower; the SIGKILL test below uses it).
    """
    _two_processes_optimise_one_study(f"journal:///{tmp_path / 'study.log'}", tmp_path, "journal")


# -- PostgreSQL on loopback: a throw-away server in a temporary folder -----------------


def _postgres_bin():
    """Folder holding initdb and pg_ctl: on PATH, else Debian's /usr/lib/postgresql/<v>/bin."""
    found = [shutil.which(n) for n in ("initdb", "pg_ctl", "createdb")]
    if all(found) and len({os.path.dirname(os.path.realpath(f)) for f in found}) == 1:
        return os.path.dirname(os.path.realpath(found[0]))
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(re.sub(r"\D", "", p.split("/")[-3]) or 0),
    )
    return os.path.dirname(versions[-1]) if versions else None


@pytest.fixture
def postgres_url():
    """A PostgreSQL server on 127.0.0.1 and a free port, with database and user ``optuna``.

    Runs the commands of docs/user_guide/scaling_out.rst ("PostgreSQL on loopback"):
    initdb in a fresh folder, pg_ctl start, createdb; stops the server and removes the
    folder afterwards. The server refuses to run as root, so as root it runs as the
    ``postgres`` user (``runuser -u postgres``), in a folder under /tmp that this user
    owns (pytest's tmp_path lies in a folder only root may enter).
    """
    bindir = _postgres_bin()
    if bindir is None:
        pytest.skip(
            "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in "
            "/usr/lib/postgresql/*/bin; install Debian's 'postgresql' package"
        )
    if importlib.util.find_spec("psycopg2") is None:
        pytest.skip("no PostgreSQL driver: pip install psycopg2-binary (skemotion[distributed])")
    as_user = []
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run the server as")
        if shutil.which("runuser") is None:
            pytest.skip("running as root and 'runuser' is missing (util-linux)")
        as_user = ["runuser", "-u", "postgres", "--"]
    root = tempfile.mkdtemp(prefix="skemotion-pg-")
    if as_user:
        os.chown(root, account.pw_uid, account.pw_gid)
    data, log = os.path.join(root, "data"), os.path.join(root, "server.log")
    with socket.socket() as s:  # a free port; the server binds it a moment later
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    def run(cmd, user=as_user):
        res = subprocess.run(user + cmd, capture_output=True, text=True, timeout=120)
        assert res.returncode == 0, f"{' '.join(cmd)} failed:\n{res.stdout}\n{res.stderr}"

    pg_ctl = os.path.join(bindir, "pg_ctl")
    started = False
    try:
        run([os.path.join(bindir, "initdb"), "-D", data, "-U", "optuna", "-A", "trust",
             "-E", "UTF8", "--no-sync"])  # fmt: skip
        run([pg_ctl, "-D", data, "-l", log, "-w", "-t", "60", "-o",
             f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off", "start"])  # fmt: skip
        started = True
        run([os.path.join(bindir, "createdb"), "-h", "127.0.0.1", "-p", str(port),
             "-U", "optuna", "optuna"], user=[])  # fmt: skip
        yield f"postgresql+psycopg2://optuna@127.0.0.1:{port}/optuna"
    finally:
        if started:
            subprocess.run(
                as_user + [pg_ctl, "-D", data, "-m", "fast", "-w", "stop"],
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.slow
def test_two_processes_share_one_study_on_postgresql(postgres_url, tmp_path):
    """Check that two processes optimise one study on PostgreSQL (loopback) and it holds
    every trial of both; the storage for several machines."""
    _two_processes_optimise_one_study(postgres_url, tmp_path, "postgresql")


@pytest.mark.slow
def test_search_killed_with_sigkill_resumes(tmp_path):
    """Check that a search killed with SIGKILL and restarted keeps its finished trials."""
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    storage = f"sqlite:///{tmp_path / 'study.db'}"
    proc = _start(script, [storage, "resumable", 12, 0], {"FIT_SLEEP": "0.15"})
    assert proc.stdout.readline().strip() == "ready"
    complete_state = (optuna.trial.TrialState.COMPLETE,)
    deadline = time.monotonic() + 90
    done = []
    while time.monotonic() < deadline:
        try:
            study = optuna.load_study(study_name="resumable", storage=make_storage(storage))
            done = study.get_trials(states=complete_state)
        except KeyError:  # the study is not created yet
            done = []
        if len(done) >= 3:
            break
        time.sleep(0.1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    study = optuna.load_study(study_name="resumable", storage=make_storage(storage))
    before = {t.number: (t.params, t.value) for t in study.get_trials(states=complete_state)}
    assert 3 <= len(before) < 12, "the search must be killed mid-way"

    # restart in this process with the same storage and name: it tops the study up to 12
    from optuna.distributions import FloatDistribution
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import GroupKFold

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = X @ [1.0, -0.5, 0.2] + 0.3 * rng.normal(size=40)
    groups = np.repeat(np.arange(8), 5)
    search = OptunaSearch(
        Ridge(),
        {"alpha": FloatDistribution(1e-3, 1e3, log=True)},
        scoring="ccc",
        cv=GroupKFold(2),
        n_trials=12,
        storage=storage,
        study_name="resumable",
        random_state=1,
    ).fit(X, y, groups=groups)
    after = {t.number: (t.params, t.value) for t in search.study_.get_trials(states=complete_state)}
    print(
        f"\nkilled after {len(before)} complete trials; the restart ran {search.n_trials_run_}; "
        f"the study now holds {len(after)} complete trials"
    )
    assert all(after[k] == v for k, v in before.items())  # nothing finished was lost
    # the trial that was running when killed is marked FAIL at resume (its process is
    # gone), counts as finished, and no trial is left RUNNING
    states = [t.state for t in search.study_.trials]
    assert states.count(optuna.trial.TrialState.RUNNING) == 0
    failed = search.orphaned_trials_
    assert len(failed) <= 1 and states.count(optuna.trial.TrialState.FAIL) == len(failed)
    assert len(after) == 12 - len(failed) and search.n_trials_run_ == 12 - len(before) - len(failed)
    assert set(search.cv_results_["trial_number"]) == set(after) | set(failed)
    # no complete candidate was run again
    params = [t.params["alpha"] for t in search.study_.get_trials(states=complete_state)]
    assert len(set(params)) == len(params)
