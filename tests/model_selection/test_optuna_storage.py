"""Tests for shared Optuna storage: several processes on one study, and resume after SIGKILL."""

import os
import signal
import subprocess
import sys
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


@pytest.mark.slow
def test_two_processes_share_one_study(tmp_path):
    """Check that two processes optimise one study and it holds every trial of both.

    The journal file is the recommended storage for several processes on one machine
    (SQLite works too, measured slower; the SIGKILL test below uses it).
    """
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    storage = f"journal:///{tmp_path / 'study.log'}"
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
    print(f"\njournal: trials run per process = {ran}, trials in the study = {len(complete)}")
    assert all(r > 0 for r in ran)  # both processes contributed
    assert len(complete) == sum(ran) == len(study.trials)  # the study holds every trial of both
    assert 10 <= len(complete) <= 11  # n_trials is the study's total (one overshoot possible)
    # every trial carries its per-fold scores, whichever process ran it
    assert all(len(t.user_attrs["test_score"]) == 2 for t in complete)


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
    assert len(after) == 12 and search.n_trials_run_ == 12 - len(before)
    # the trial that was running when killed stays RUNNING and is not counted
    states = [t.state for t in search.study_.trials]
    assert states.count(optuna.trial.TrialState.RUNNING) <= 1
    assert set(search.cv_results_["trial_number"]) == set(after)
