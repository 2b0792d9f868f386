"""Model selection for emotion recognition: grouped CV, Optuna search, reports.

What scikit-learn lacks for affect corpora: grouped (actor-independent)
nested evaluation wired through metadata routing, a resumable and shareable
Optuna search over whole Pipelines, a Dask cluster without the worker setting
that slows torch, and tidy reports and figures (matplotlib imported lazily).
"""

from ._dask import local_dask_cluster, worker_config
from ._grouped import check_group_cv, nested_cross_validate
from ._optuna import OptunaSearch, make_storage
from ._reports import (
    classification_report_frame,
    cv_results_frame,
    plot_confusion_matrix,
    plot_timeline,
    plot_training_curves,
)

__all__ = [
    "OptunaSearch",
    "check_group_cv",
    "classification_report_frame",
    "cv_results_frame",
    "local_dask_cluster",
    "make_storage",
    "nested_cross_validate",
    "plot_confusion_matrix",
    "plot_timeline",
    "plot_training_curves",
    "worker_config",
]
