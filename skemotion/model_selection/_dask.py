"""Dask workers for torch: the one setting that matters, and a loopback cluster.

GridSearchCV, cross_validate and :func:`nested_cross_validate` scale past one
machine through joblib's ``"dask"`` backend; skemotion adds no scheduler of
its own. One default hurts torch: Dask's nanny starts every worker with
``MALLOC_TRIM_THRESHOLD_=65536`` (``distributed.nanny.pre-spawn-environ``).
Setting that variable at all also fixes glibc's mmap threshold, so each large
tensor allocation becomes a fresh ``mmap`` and its page faults; a CPU torch fit
ran 63 % slower under it. :func:`worker_config` removes the variable.
"""

__all__ = ["local_dask_cluster", "worker_config"]

_TRIM_KEY = "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"


def worker_config():
    """Dask configuration for workers that train torch models.

    Returns
    -------
    config : dict
        ``{"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}``:
        for ``dask.config.set(...)`` before creating a ``LocalCluster`` or
        ``Nanny`` in Python. For ``dask worker`` on the command line, put the
        same setting in a YAML file (see the user guide, "Scaling out"):
        ``distributed: nanny: pre-spawn-environ: MALLOC_TRIM_THRESHOLD_: null``.
        The nanny keeps ``OMP_NUM_THREADS=1``, right for one thread per
        worker process.

    Examples
    --------
    >>> from skemotion.model_selection import worker_config
    >>> worker_config()
    {'distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_': None}
    """
    return {_TRIM_KEY: None}


def local_dask_cluster(
    n_workers=2, *, threads_per_worker=1, host="127.0.0.1", dashboard_address=None, **kwargs
):
    """A ``distributed.LocalCluster`` of worker processes, configured for torch.

    Worker processes (not threads) give every fit its own torch generator and
    thread pool; :func:`worker_config` is applied so that the nanny does not
    set ``MALLOC_TRIM_THRESHOLD_``. Connect a ``distributed.Client`` to it and
    run searches under ``joblib.parallel_config(backend="dask")``.

    Parameters
    ----------
    n_workers : int, default=2
        Number of worker processes.
    threads_per_worker : int, default=1
        Threads per worker; keep 1 for torch.
    host : str, default="127.0.0.1"
        Interface to listen on (loopback by default).
    dashboard_address : str or None, default=None
        ``None`` disables the dashboard (":8787" enables it).
    **kwargs : dict
        Passed to ``distributed.LocalCluster``.

    Returns
    -------
    cluster : distributed.LocalCluster
        Use as a context manager, or call ``close()``.

    Examples
    --------
    Starting workers takes several seconds, so this example is not run as a
    doctest (``tests/model_selection/test_dask_search.py`` runs the same steps).

    >>> import joblib
    >>> import numpy as np
    >>> from distributed import Client
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.model_selection import GridSearchCV, GroupKFold
    >>> from skemotion.model_selection import local_dask_cluster
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(40, 3)), rng.normal(size=40)
    >>> groups = np.repeat(np.arange(8), 5)
    >>> search = GridSearchCV(Ridge(), {"alpha": [0.1, 1.0]}, cv=GroupKFold(4), n_jobs=-1)
    >>> with local_dask_cluster(2) as cluster, Client(cluster):  # doctest: +SKIP
    ...     with joblib.parallel_config(backend="dask"):
    ...         search.fit(X, y, groups=groups)
    ...     sorted(search.best_params_)
    ['alpha']
    """
    import dask
    from distributed import LocalCluster

    for name, value in (("n_workers", n_workers), ("threads_per_worker", threads_per_worker)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(
                f"The {name!r} parameter of local_dask_cluster must be an int in the range "
                f"[1, inf). Got {value!r} instead."
            )
    with dask.config.set(worker_config()):
        return LocalCluster(
            n_workers=n_workers,
            threads_per_worker=threads_per_worker,
            processes=True,
            host=host,
            dashboard_address=dashboard_address,
            **kwargs,
        )
