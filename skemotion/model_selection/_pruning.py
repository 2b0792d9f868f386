"""Skorch callback that reports each epoch's validation score to an Optuna trial.

Imported only when :class:`OptunaSearch` prunes, so ``skemotion.model_selection``
does not import skorch or torch by itself.
"""

import optuna
from skorch.callbacks import Callback

__all__ = ["OptunaPruning"]


class OptunaPruning(Callback):
    """Report ``net.history[-1, monitor]`` to ``trial`` after every epoch; prune if told.

    One instance serves every CV fold of a trial: ``__sklearn_clone__``
    returns the instance itself, so its step counter keeps counting across
    folds (step = epochs trained so far in this trial) instead of reporting
    epoch 1 once per fold, which Optuna would ignore.

    Parameters
    ----------
    trial : optuna.trial.Trial
        The running trial.
    monitor : str, default="valid_loss"
        A key of the net's history, computed every epoch (needs ``train_split``).
    lower_is_better : bool or None, default=None
        ``None`` means ``monitor.endswith("loss")``. Lower-is-better values are
        negated before reporting, because :class:`OptunaSearch` maximises.
    """

    def __init__(self, trial, monitor="valid_loss", lower_is_better=None):
        self.trial = trial
        self.monitor = monitor
        self.lower_is_better = lower_is_better
        self.step_ = 0

    def __sklearn_clone__(self):
        return self

    def initialize(self):
        # Keep ``step_``: skorch initialises callbacks again for every fold's fit.
        return self

    def on_epoch_end(self, net, **kwargs):
        row = net.history[-1]
        if self.monitor not in row:
            recorded = sorted(k for k in row if k not in ("batches", "epoch", "dur"))
            raise ValueError(
                f"Cannot prune on pruning_monitor={self.monitor!r}: the net's history has no "
                f"such key after epoch {row.get('epoch')}; it recorded {recorded}. Validation "
                "scores need train_split (e.g. skorch.dataset.ValidSplit or a group-aware split)."
            )
        value = float(row[self.monitor])
        lower = (
            self.monitor.endswith("loss") if self.lower_is_better is None else self.lower_is_better
        )
        self.step_ += 1
        self.trial.report(-value if lower else value, self.step_)
        if self.trial.should_prune():
            raise optuna.TrialPruned(
                f"Trial {self.trial.number} pruned at step {self.step_} "
                f"({self.monitor}={value:.6g})."
            )
