"""Optuna search over a whole scikit-learn Pipeline, on in-memory or shared storage.

Why not ``optuna_integration.OptunaSearchCV`` (tried with optuna 5.0 /
optuna-integration 5.0): it takes no storage, only a ``study`` built on one,
so resuming or sharing needs boilerplate around it; its ``n_jobs`` runs trials
in threads, which share torch's global generator and thread pool; it is
experimental (it warns on every construction) and builds on private Optuna
helpers (the old-distribution conversion goes in v6.0); its search space is a flat
dict of distributions, so conditional spaces (a choice of model, each with its
own parameters) are impossible; and its pruning drives ``partial_fit`` one
step at a time, which does not fit skorch's per-epoch validation. This module
is a thin layer over Optuna's core API instead: ``create_study`` /
``optimize`` plus scikit-learn's ``cross_validate``.
"""

import os
import time
from numbers import Real

import numpy as np
from sklearn import get_config
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone, is_classifier
from sklearn.metrics import check_scoring
from sklearn.model_selection import check_cv, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ..metrics._scorer import resolve_scoring
from ..utils import Interval, validate_params
from ..utils._random import seed_int

__all__ = ["OptunaSearch", "make_storage"]

_FINISHED = ("COMPLETE", "PRUNED", "FAIL")
# User attributes OptunaSearch sets on its trials.
_PROCESS_ATTR = "skemotion_process"  # {"host", "pid", "started"}: who runs the trial
_SAME_AS_ATTR = "same_as_trial"  # a candidate already complete: its result, not a rerun
_ORPHAN_ATTR = "fail_reason"


def _process_start(pid):
    """Start time of process ``pid`` in clock ticks since boot (Linux), else None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    try:
        # Field 22; the command name (field 2) may hold spaces, so count after its ")".
        return int(stat[stat.rindex(b")") + 2 :].split()[19])
    except (ValueError, IndexError):
        return None


def _this_process():
    import socket

    pid = os.getpid()
    return {"host": socket.gethostname(), "pid": pid, "started": _process_start(pid)}


def _process_is_gone(owner):
    """Whether the process recorded in ``owner`` (on this host) no longer runs.

    A pid alone can be reused; where the start time is known it must match too.
    """
    pid = owner.get("pid")
    if not isinstance(pid, int):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # exists, owned by another user
    started = owner.get("started")
    return started is not None and _process_start(pid) != started


def _fail_orphaned_trials(study, storage):
    """Mark FAIL the RUNNING trials whose process, on this machine, has died.

    A search killed mid-trial (SIGKILL, a crash, a lost machine) leaves its
    trial RUNNING for ever. Trials record which process runs them; at resume,
    those of a process on this host that no longer exists (same pid and start
    time) are failed, with the reason as user attribute ``fail_reason``.
    Trials of other hosts are left alone: their processes cannot be checked.
    Returns the numbers of the trials failed.
    """
    import socket

    import optuna

    host = socket.gethostname()
    running = study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.RUNNING,))
    failed = []
    study_id = None
    for trial in running:
        owner = trial.user_attrs.get(_PROCESS_ATTR)
        if not owner or owner.get("host") != host or not _process_is_gone(owner):
            continue
        if study_id is None:
            study_id = storage.get_study_id_from_name(study.study_name)
        trial_id = storage.get_trial_id_from_study_id_trial_number(study_id, trial.number)
        try:
            storage.set_trial_user_attr(
                trial_id, _ORPHAN_ATTR,
                f"its process (pid {owner['pid']} on {host}) ended while the trial ran",
            )
            storage.set_trial_state_values(trial_id, optuna.trial.TrialState.FAIL)
        except RuntimeError:  # another process finished or failed it meanwhile
            continue
        failed.append(trial.number)
    return failed


def _resume_seed(random_state, n_existing):
    """The sampler seed for a study that holds ``n_existing`` trials already.

    A fresh study uses ``random_state`` itself; a resumed one a seed derived
    from it and the number of trials, so the restarted sampler does not draw
    the first candidates again.
    """
    seed = seed_int(random_state)
    if seed is None or n_existing == 0:
        return seed
    return int(np.random.SeedSequence([seed, n_existing]).generate_state(1)[0])


def make_storage(storage):
    """Turn a storage description into an Optuna storage.

    Parameters
    ----------
    storage : None, str or optuna.storages.BaseStorage
        - ``None``: in memory (the study lives as long as the Python object).
        - ``"sqlite:///search.db"``: an embedded SQLite file, the default for a
          persistent study on one machine (``sqlite:////abs/path.db`` for an
          absolute path).
        - ``"journal:///search.log"``: Optuna's append-only journal file
          (``JournalFileBackend``); the fastest choice for several processes
          on one machine (``journal:////abs/path.log`` for an absolute path).
        - any other SQLAlchemy URL, e.g.
          ``"postgresql+psycopg2://user:pw@host/db"``, for many machines.
        - an Optuna storage object, returned unchanged.

    Returns
    -------
    storage : optuna.storages.BaseStorage or None

    Examples
    --------
    >>> import tempfile, os
    >>> from skemotion.model_selection import make_storage
    >>> make_storage(None) is None
    True
    >>> path = os.path.join(tempfile.mkdtemp(), "search.log")
    >>> type(make_storage("journal:///" + path)).__name__
    'JournalStorage'
    """
    import optuna

    if storage is None or isinstance(storage, optuna.storages.BaseStorage):
        return storage
    if not isinstance(storage, str):
        raise ValueError(
            "The 'storage' parameter of OptunaSearch must be None, a str (a database URL such "
            "as 'sqlite:///search.db' or 'journal:///search.log') or an "
            f"optuna.storages.BaseStorage. Got {storage!r} instead."
        )
    if storage.startswith("journal:///"):
        from optuna.storages.journal import JournalFileBackend, JournalStorage

        path = storage[len("journal:///") :]
        if not path:
            raise ValueError(f"storage={storage!r} names no file; expected 'journal:///path.log'.")
        return JournalStorage(JournalFileBackend(path))
    if "://" not in storage:
        raise ValueError(
            f"storage={storage!r} is not a URL; expected e.g. 'sqlite:///search.db', "
            "'journal:///search.log' or 'postgresql+psycopg2://user:password@host/db'."
        )
    # Processes starting together race to create the schema; the loser retries and finds
    # the tables made. SQLite reports "table studies already exists" (OperationalError);
    # PostgreSQL a duplicate enum type (IntegrityError, UniqueViolation on pg_type) or a
    # duplicate table (ProgrammingError). Measured with two processes on both.
    import sqlalchemy.exc

    schema_race = (
        sqlalchemy.exc.OperationalError,
        sqlalchemy.exc.IntegrityError,
        sqlalchemy.exc.ProgrammingError,
    )
    for attempt in range(5):
        try:
            return optuna.storages.RDBStorage(storage)
        except schema_race:
            if attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))


def _suggest(trial, param_distributions):
    """Sample one candidate: a dict of distributions, or a callable ``trial -> params``."""
    if callable(param_distributions):
        params = param_distributions(trial)
        if not isinstance(params, dict):
            raise TypeError(
                "param_distributions(trial) must return a dict of estimator parameters; "
                f"got {type(params).__name__}."
            )
        return params
    from optuna.distributions import (
        CategoricalDistribution,
        FloatDistribution,
        IntDistribution,
    )

    params = {}
    for name, dist in param_distributions.items():
        if isinstance(dist, FloatDistribution):
            params[name] = trial.suggest_float(
                name, dist.low, dist.high, step=dist.step, log=dist.log
            )
        elif isinstance(dist, IntDistribution):
            params[name] = trial.suggest_int(
                name, dist.low, dist.high, step=dist.step, log=dist.log
            )
        elif isinstance(dist, CategoricalDistribution):
            params[name] = trial.suggest_categorical(name, dist.choices)
        else:
            raise TypeError(
                f"param_distributions[{name!r}] must be an optuna FloatDistribution, "
                f"IntDistribution or CategoricalDistribution; got {dist!r}."
            )
    return params


def _final_step(estimator):
    """(set_params prefix, final estimator) of a Pipeline or a plain estimator."""
    if isinstance(estimator, Pipeline):
        name, step = estimator.steps[-1]
        prefix, inner = _final_step(step)
        return f"{name}__{prefix}", inner
    return "", estimator


def _search_estimator_has(attr):
    def check(self):
        if hasattr(self, "best_estimator_"):
            return hasattr(self.best_estimator_, attr)
        return hasattr(self.estimator, attr)

    return check


class OptunaSearch(MetaEstimatorMixin, BaseEstimator):
    """Hyper-parameter search with Optuna, cross-validated, resumable and shareable.

    Each Optuna trial samples a candidate, sets it on a clone of ``estimator``
    (a whole Pipeline: sampler, face, audio and model parameters together, with
    the usual ``step__param`` names) and scores it with
    :func:`sklearn.model_selection.cross_validate`. ``groups`` reach the
    splitter, and with metadata routing enabled, any estimator step that
    requests them (group-aware early stopping). With a ``storage`` the study
    outlives the process: several processes or machines can optimise one
    study at once, and a search killed mid-way resumes with
    ``load_if_exists=True`` without losing its finished trials.

    Parameters
    ----------
    estimator : estimator object
        The estimator or Pipeline to tune.
    param_distributions : dict of str to optuna distribution, or callable
        Either ``{"ridge__alpha": FloatDistribution(1e-3, 1e3, log=True), ...}``
        (Float-, Int- and CategoricalDistribution), or a function
        ``param_distributions(trial) -> dict`` that calls ``trial.suggest_*``
        itself, for conditional spaces and non-scalar values (estimator
        objects, tuples of layer sizes).
    scoring : str, callable, list, dict or None, default=None
        As in :class:`~sklearn.model_selection.GridSearchCV`; names also
        include skemotion's (``"ccc"``, ``"pearson_r"``, see
        :func:`skemotion.metrics.get_scorer`). ``None`` uses the estimator's
        ``score``. With several metrics, ``refit`` names the one optimised.
    cv : int, cross-validation generator or iterable, default=5
        As in GridSearchCV. Use a group-aware splitter (``GroupKFold``) and
        pass ``groups`` so that no actor is in both a training and a test fold.
    n_trials : int or None, default=10
        Number of finished trials (complete, pruned or failed) the study should
        hold. It counts trials from earlier runs and from other processes on
        the same storage, so a restarted search only runs what is missing.
        ``None`` runs until ``timeout``. Several workers may overshoot by up
        to one trial each.
    timeout : float or None, default=None
        Stop starting trials after this many seconds (this call only).
    storage : None, str or optuna.storages.BaseStorage, default=None
        Where the study lives; see :func:`make_storage` (``None`` in memory,
        ``"sqlite:///file.db"``, ``"journal:///file.log"``, any database URL).
    study_name : str or None, default=None
        Name of the study in ``storage``. Give one to resume or share a study;
        ``None`` lets Optuna generate a fresh unique name.
    load_if_exists : bool, default=True
        Continue the study of that name if it exists, else fail if it exists.
    sampler : optuna.samplers.BaseSampler or None, default=None
        ``None`` uses ``TPESampler(seed=random_state)``. Give each worker of a
        shared study its own ``random_state``, else their first random trials
        coincide.
    pruner : optuna.pruners.BasePruner or None, default=None
        Stop unpromising trials early, e.g. ``MedianPruner(n_warmup_steps=5)``.
        Needs a skorch net as the final estimator (alone or ending a
        Pipeline) with a ``train_split``: its ``pruning_monitor`` is reported
        after every epoch. ``None`` never prunes.
    pruning_monitor : str, default="valid_loss"
        Skorch history key reported to the pruner; keys ending in ``"loss"``
        are negated, as the study maximises.
    refit : bool or str, default=True
        Refit ``best_estimator_`` on the whole data. With several metrics,
        the name of the metric to optimise (required then).
    error_score : "raise" or float, default=np.nan
        Score of a failing fit, as in GridSearchCV. A trial with a ``nan``
        mean score is recorded as failed. While pruning, fits raise.
    return_train_score : bool, default=False
        Also record training scores.
    random_state : int, RandomState instance or None, default=None
        Seeds the default sampler. Does not touch global random state.
    verbose : int, default=0
        0 silences Optuna's per-trial log lines during ``fit`` (its logging
        level is restored afterwards); 1 or more keeps them.

    Attributes
    ----------
    study_ : optuna.study.Study
        The study, including trials run by other processes or earlier runs.
    cv_results_ : dict of ndarray
        One entry per finished trial of the study, in GridSearchCV's layout
        (``params``, ``mean_test_<metric>``, ``split<k>_test_<metric>``,
        ``rank_test_<metric>``, fit and score times) plus ``trial_number``
        and ``state``. :func:`cv_results_frame` makes it a tidy DataFrame.
    best_index_ : int
        Index of the best trial in ``cv_results_``.
    best_params_ : dict
        Estimator parameters of the best trial.
    best_score_ : float
        Mean cross-validated score of the best trial.
    best_estimator_ : estimator
        Refitted on all data (only when ``refit`` is not False).
    refit_time_ : float
        Seconds spent refitting.
    scorer_ : callable or dict
        The scorer(s) used.
    multimetric_ : bool
        Whether several metrics were evaluated.
    n_splits_ : int
        Number of CV splits.
    n_trials_run_ : int
        Candidates this call cross-validated (others come from earlier runs or
        other workers, or repeat a complete candidate and reuse its result).
    orphaned_trials_ : list of int
        Numbers of the trials left ``RUNNING`` by a dead process on this
        machine that this call marked ``FAIL``.

    See Also
    --------
    nested_cross_validate : Evaluate the whole search with an outer grouped CV.
    make_storage : The storage strings accepted.

    Notes
    -----
    To run one study from several processes or machines, start the same
    script in each with the same ``storage`` and ``study_name`` and a
    different ``random_state``; each process runs trials until the study holds
    ``n_trials``. SQLite serialises writers; for many machines use a server
    database (PostgreSQL).

    Resuming never runs a completed candidate again: the default sampler of a
    study that already holds trials is seeded from ``random_state`` and the
    number of trials (so it does not draw the first candidates again), and a
    candidate whose parameters equal those of a complete trial takes that
    trial's result without being fitted (user attribute ``same_as_trial``).
    A trial left ``RUNNING`` by a process that died (SIGKILL, crash) on this
    machine is marked ``FAIL`` when the search resumes (user attribute
    ``fail_reason``, numbers in ``orphaned_trials_``); trials of other
    machines are left alone.

    Examples
    --------
    >>> import numpy as np
    >>> from optuna.distributions import FloatDistribution
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.model_selection import GroupKFold
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skemotion.model_selection import OptunaSearch
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(40, 3))
    >>> y = X @ [1.0, -0.5, 0.2] + 0.1 * rng.normal(size=40)
    >>> groups = np.repeat(np.arange(8), 5)  # 8 actors
    >>> search = OptunaSearch(
    ...     make_pipeline(StandardScaler(), Ridge()),
    ...     {"ridge__alpha": FloatDistribution(1e-3, 1e2, log=True)},
    ...     scoring="ccc", cv=GroupKFold(4), n_trials=5, random_state=0,
    ... ).fit(X, y, groups=groups)
    >>> len(search.study_.trials), sorted(search.best_params_)
    (5, ['ridge__alpha'])
    >>> bool(search.best_score_ > 0.9)
    True
    """

    def __init__(
        self,
        estimator,
        param_distributions,
        *,
        scoring=None,
        cv=5,
        n_trials=10,
        timeout=None,
        storage=None,
        study_name=None,
        load_if_exists=True,
        sampler=None,
        pruner=None,
        pruning_monitor="valid_loss",
        refit=True,
        error_score=np.nan,
        return_train_score=False,
        random_state=None,
        verbose=0,
    ):
        self.estimator = estimator
        self.param_distributions = param_distributions
        self.scoring = scoring
        self.cv = cv
        self.n_trials = n_trials
        self.timeout = timeout
        self.storage = storage
        self.study_name = study_name
        self.load_if_exists = load_if_exists
        self.sampler = sampler
        self.pruner = pruner
        self.pruning_monitor = pruning_monitor
        self.refit = refit
        self.error_score = error_score
        self.return_train_score = return_train_score
        self.random_state = random_state
        self.verbose = verbose

    # -- parameter checks -------------------------------------------------
    def _check_params(self):
        import optuna

        validate_params(
            self,
            self.get_params(deep=False),
            {
                "param_distributions": [dict, "callable"],
                "n_trials": [Interval(int, 1, None, closed="left"), None],
                "timeout": [Interval(float, 0, None, closed="neither"), None],
                "study_name": [str, None],
                "load_if_exists": ["boolean"],
                "sampler": [optuna.samplers.BaseSampler, None],
                "pruner": [optuna.pruners.BasePruner, None],
                "pruning_monitor": [str],
                "refit": ["boolean", str],
                "return_train_score": ["boolean"],
                "random_state": ["random_state"],
                "verbose": [Interval(int, 0, None, closed="left")],
            },
        )
        if self.n_trials is None and self.timeout is None:
            raise ValueError(
                "OptunaSearch needs a stopping rule: n_trials and timeout cannot both be None."
            )
        if not (self.error_score == "raise" or isinstance(self.error_score, Real)):
            raise ValueError(
                "The 'error_score' parameter of OptunaSearch must be 'raise' or a float. "
                f"Got {self.error_score!r} instead."
            )

    def _objective_metric(self, scorers):
        if not isinstance(scorers, dict):
            return "score"
        if not isinstance(self.refit, str) or self.refit not in scorers:
            raise ValueError(
                "For multi-metric scoring, the 'refit' parameter of OptunaSearch must be the "
                f"name of the metric to optimise, one of {sorted(scorers)}. "
                f"Got {self.refit!r} instead."
            )
        return self.refit

    # -- metadata routing -------------------------------------------------
    def get_metadata_routing(self):
        """Route ``fit`` metadata to the estimator, the CV splitter and the scorer.

        Returns
        -------
        routing : MetadataRouter
        """
        router = MetadataRouter(owner=self)
        router.add(
            estimator=self.estimator,
            method_mapping=MethodMapping().add(caller="fit", callee="fit"),
        )
        router.add(
            splitter=check_cv(self.cv, classifier=is_classifier(self.estimator)),
            method_mapping=MethodMapping().add(caller="fit", callee="split"),
        )
        router.add(
            scorer=check_scoring(self.estimator, resolve_scoring(self.scoring, type(self).__name__)),
            method_mapping=MethodMapping().add(caller="fit", callee="score"),
        )
        return router

    # -- the search ---------------------------------------------------------
    def _pruning_setup(self, estimator):
        """Return (set_params key, existing callbacks) for the skorch net, or raise."""
        try:
            from skorch import NeuralNet
        except ImportError as exc:  # pragma: no cover - skorch is a dependency
            raise ImportError("Pruning in OptunaSearch needs skorch.") from exc
        prefix, final = _final_step(estimator)
        if not isinstance(final, NeuralNet):
            raise ValueError(
                "OptunaSearch prunes from a skorch net's per-epoch validation score, so "
                "pruner= needs a skorch NeuralNet as the final estimator (alone or ending a "
                f"Pipeline); got {type(final).__name__}. Use pruner=None."
            )
        callbacks = final.callbacks
        if callbacks == "disable":
            raise ValueError(
                "Cannot prune: the skorch net has callbacks='disable'; pruning adds a callback."
            )
        return f"{prefix}callbacks", list(callbacks or [])

    def fit(self, X, y=None, *, groups=None, **params):
        """Run trials until the study holds ``n_trials`` (or ``timeout``), then refit.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Training data (whatever the estimator accepts, e.g. clip paths).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
            Targets.
        groups : array-like of shape (n_samples,), default=None
            Actor or speaker ids, for group-aware ``cv`` (and, with metadata
            routing enabled, for any step that requests them).
        **params : dict
            Fit parameters; with metadata routing enabled they are routed to
            whichever step requested them.

        Returns
        -------
        self : OptunaSearch
        """
        import optuna

        self._check_params()
        if y is None and self.estimator.__sklearn_tags__().target_tags.required:
            raise ValueError(
                f"{type(self.estimator).__name__} requires y to be passed, but the target y "
                "is None."
            )
        scorers = resolve_scoring(self.scoring, type(self).__name__)
        self.multimetric_ = isinstance(scorers, dict)
        metric = self._objective_metric(scorers)
        self.scorer_ = scorers if self.multimetric_ else check_scoring(self.estimator, scorers)
        cv = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        routing = get_config()["enable_metadata_routing"]
        if routing:
            all_params = dict(params)
            if groups is not None:
                all_params["groups"] = groups
            routed = process_routing(self, "fit", **all_params)
            cv_kwargs = {"params": all_params}
            refit_params = routed.estimator.fit
            self.n_splits_ = cv.get_n_splits(X, y, **routed.splitter.split)
        else:
            cv_kwargs = {"groups": groups, "params": params}
            refit_params = params
            self.n_splits_ = cv.get_n_splits(X, y, groups)
        pruning = self.pruner is not None
        if pruning:
            callbacks_key, callbacks = self._pruning_setup(self.estimator)
        sampler = self.sampler
        if sampler is None:
            sampler = optuna.samplers.TPESampler(seed=seed_int(self.random_state))
        names = [metric] if not self.multimetric_ else list(scorers)

        ran = [0]
        owner = _this_process()

        def objective(trial):
            trial.set_user_attr(_PROCESS_ATTR, owner)
            candidate = _suggest(trial, self.param_distributions)
            done = next(
                (t for t in study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
                 if t.params == trial.params and _SAME_AS_ATTR not in t.user_attrs),
                None,
            )
            if done is not None:
                # A candidate already complete is not run again: its result is reused.
                for key, value in done.user_attrs.items():
                    if key != _PROCESS_ATTR:
                        trial.set_user_attr(key, value)
                trial.set_user_attr(_SAME_AS_ATTR, done.number)
                return done.value
            ran[0] += 1
            estimator = clone(self.estimator).set_params(**clone(candidate, safe=False))
            if pruning:
                from ._pruning import OptunaPruning

                callback = OptunaPruning(trial, monitor=self.pruning_monitor)
                estimator.set_params(**{callbacks_key: callbacks + [("optuna_pruning", callback)]})
            result = cross_validate(
                estimator,
                X,
                y,
                cv=cv,
                scoring=scorers,
                error_score="raise" if pruning else self.error_score,
                return_train_score=self.return_train_score,
                **cv_kwargs,
            )
            for key in ("fit_time", "score_time"):
                trial.set_user_attr(key, [float(v) for v in result[key]])
            for name in names:
                for subset in ("test", "train"):
                    key = f"{subset}_{name}" if self.multimetric_ else f"{subset}_score"
                    if key in result:
                        trial.set_user_attr(f"{subset}_{name}", [float(v) for v in result[key]])
            test = result[f"test_{metric}" if self.multimetric_ else "test_score"]
            return float(np.mean(test))

        def n_finished():
            states = tuple(getattr(optuna.trial.TrialState, s) for s in _FINISHED)
            return len(study.get_trials(deepcopy=False, states=states))

        verbosity = optuna.logging.get_verbosity()
        if self.verbose == 0:
            optuna.logging.set_verbosity(optuna.logging.WARNING)
        try:
            storage = make_storage(self.storage)
            study = optuna.create_study(
                storage=storage,
                study_name=self.study_name,
                load_if_exists=self.load_if_exists,
                direction="maximize",
                sampler=sampler,
                pruner=self.pruner if pruning else optuna.pruners.NopPruner(),
            )
            if storage is not None:
                self.orphaned_trials_ = _fail_orphaned_trials(study, storage)
            else:
                self.orphaned_trials_ = []
            if self.sampler is None and study.trials:
                study.sampler = optuna.samplers.TPESampler(
                    seed=_resume_seed(self.random_state, len(study.trials))
                )
            finished = n_finished()
            remaining = None if self.n_trials is None else self.n_trials - finished
            if remaining is None or remaining > 0:
                callbacks_stop = []
                if self.n_trials is not None:
                    states = tuple(getattr(optuna.trial.TrialState, s) for s in _FINISHED)
                    callbacks_stop.append(optuna.study.MaxTrialsCallback(self.n_trials, states))
                study.optimize(
                    objective,
                    n_trials=remaining,
                    timeout=self.timeout,
                    callbacks=callbacks_stop,
                    gc_after_trial=False,
                )
            self.n_trials_run_ = ran[0]
        finally:
            optuna.logging.set_verbosity(verbosity)
        self.study_ = study
        self.cv_results_ = self._cv_results(study, names)
        complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
        if not complete:
            message = (
                f"OptunaSearch: no trial of study {study.study_name!r} completed "
                f"({n_finished()} finished as pruned or failed); cannot choose best_params_."
            )
            if self.error_score != "raise" and len(self.cv_results_["params"]):
                # error_score swallowed the fit errors: show the first candidate's.
                first = clone(self.estimator).set_params(
                    **clone(self.cv_results_["params"][0], safe=False)
                )
                try:
                    cross_validate(
                        first, X, y, cv=cv, scoring=scorers, error_score="raise", **cv_kwargs
                    )
                except Exception as exc:
                    # Re-raise the fit's own error (type and message), with our context.
                    if hasattr(exc, "add_note"):  # Python >= 3.11
                        exc.add_note(message)
                    raise
            raise ValueError(message)
        best = study.best_trial
        self.best_index_ = int(np.flatnonzero(self.cv_results_["trial_number"] == best.number)[0])
        self.best_params_ = self.cv_results_["params"][self.best_index_]
        self.best_score_ = float(best.value)
        if self.refit is not False:
            start = time.perf_counter()
            self.best_estimator_ = clone(self.estimator).set_params(
                **clone(self.best_params_, safe=False)
            )
            if y is None:
                self.best_estimator_.fit(X, **refit_params)
            else:
                self.best_estimator_.fit(X, y, **refit_params)
            self.refit_time_ = time.perf_counter() - start
        return self

    def _candidate_params(self, frozen_trial):
        import optuna

        if callable(self.param_distributions):
            return self.param_distributions(optuna.trial.FixedTrial(frozen_trial.params))
        return dict(frozen_trial.params)

    def _cv_results(self, study, names):
        import optuna

        states = tuple(getattr(optuna.trial.TrialState, s) for s in _FINISHED)
        trials = sorted(study.get_trials(states=states), key=lambda t: t.number)
        n = len(trials)
        results = {
            "trial_number": np.array([t.number for t in trials], dtype=int),
            "state": np.array([t.state.name for t in trials], dtype=object),
        }
        params = []
        for t in trials:
            try:
                params.append(self._candidate_params(t))
            except Exception:  # noqa: BLE001 - a failed trial may hold partial params
                params.append(dict(t.params))
        param_names = sorted({k for p in params for k in p})
        for key in param_names:
            column = np.ma.masked_all(n, dtype=object)
            for i, p in enumerate(params):
                if key in p:
                    column[i] = p[key]
            results[f"param_{key}"] = column
        results["params"] = params
        for key in ("fit_time", "score_time"):
            values = [t.user_attrs.get(key) for t in trials]
            results[f"mean_{key}"] = np.array([np.mean(v) if v else np.nan for v in values])
            results[f"std_{key}"] = np.array([np.std(v) if v else np.nan for v in values])
        subsets = ("test", "train") if self.return_train_score else ("test",)
        for name in names:
            for subset in subsets:
                splits = [t.user_attrs.get(f"{subset}_{name}") for t in trials]
                n_splits = max((len(s) for s in splits if s), default=0)
                matrix = np.full((n, n_splits), np.nan)
                for i, s in enumerate(splits):
                    if s and trials[i].state == optuna.trial.TrialState.COMPLETE:
                        matrix[i, : len(s)] = s
                for k in range(n_splits):
                    results[f"split{k}_{subset}_{name}"] = matrix[:, k]
                with np.errstate(invalid="ignore"):
                    mean = matrix.mean(axis=1) if n_splits else np.full(n, np.nan)
                    std = matrix.std(axis=1) if n_splits else np.full(n, np.nan)
                results[f"mean_{subset}_{name}"] = mean
                results[f"std_{subset}_{name}"] = std
                if subset == "test":
                    order = np.where(np.isnan(mean), -np.inf, mean)
                    # rank 1 = best; ties share the smallest rank, as in GridSearchCV.
                    ranks = np.array([1 + int(np.sum(order > v)) for v in order], dtype=np.int32)
                    results[f"rank_{subset}_{name}"] = ranks
        return results

    # -- delegation -----------------------------------------------------------
    def _check_refit(self, method):
        check_is_fitted(self)
        if not hasattr(self, "best_estimator_"):
            raise AttributeError(
                f"This OptunaSearch was fit with refit=False; {method} is available only "
                "after refitting the best candidate (refit=True)."
            )

    @available_if(_search_estimator_has("predict"))
    def predict(self, X):
        """Predict with ``best_estimator_``.

        Parameters
        ----------
        X : array-like
            Input data.

        Returns
        -------
        y_pred : ndarray
        """
        self._check_refit("predict")
        return self.best_estimator_.predict(X)

    @available_if(_search_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities from ``best_estimator_``.

        Parameters
        ----------
        X : array-like
            Input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        self._check_refit("predict_proba")
        return self.best_estimator_.predict_proba(X)

    @available_if(_search_estimator_has("decision_function"))
    def decision_function(self, X):
        """Decision function of ``best_estimator_``.

        Parameters
        ----------
        X : array-like
            Input data.

        Returns
        -------
        scores : ndarray
        """
        self._check_refit("decision_function")
        return self.best_estimator_.decision_function(X)

    @available_if(_search_estimator_has("transform"))
    def transform(self, X):
        """Transform with ``best_estimator_``.

        Parameters
        ----------
        X : array-like
            Input data.

        Returns
        -------
        Xt : ndarray
        """
        self._check_refit("transform")
        return self.best_estimator_.transform(X)

    def score(self, X, y=None, **params):
        """Score ``best_estimator_`` with the optimised metric.

        Parameters
        ----------
        X : array-like
            Input data.
        y : array-like, default=None
            Targets.
        **params : dict
            Passed to the scorer.

        Returns
        -------
        score : float
        """
        self._check_refit("score")
        scorer = self.scorer_[self.refit] if self.multimetric_ else self.scorer_
        return scorer(self.best_estimator_, X, y, **params)

    @property
    def n_features_in_(self):
        """Number of features seen by ``best_estimator_`` during fit."""
        self._check_refit("n_features_in_")
        return self.best_estimator_.n_features_in_

    @property
    def classes_(self):
        """Class labels of ``best_estimator_`` (classifiers only)."""
        self._check_refit("classes_")
        return self.best_estimator_.classes_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        sub = self.estimator.__sklearn_tags__()
        tags.estimator_type = sub.estimator_type
        tags.classifier_tags = sub.classifier_tags
        tags.regressor_tags = sub.regressor_tags
        tags.input_tags = sub.input_tags
        tags.target_tags.required = sub.target_tags.required
        return tags
