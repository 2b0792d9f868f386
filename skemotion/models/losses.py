"""Loss functions for continuous affect.

Classification uses :class:`torch.nn.CrossEntropyLoss` on logits; regression
defaults to :class:`torch.nn.MSELoss` and can use :class:`CCCLoss`, the
standard loss for continuous valence/arousal (AVEC, RECOLA).
"""

from torch import nn

__all__ = ["CCCLoss", "concordance_loss"]


def concordance_loss(y_pred, y_true, eps=1e-8):
    """One minus Lin's concordance correlation coefficient, averaged over outputs.

    .. math::

        \\rho_c = \\frac{2 \\sigma_{xy}}{\\sigma_x^2 + \\sigma_y^2 + (\\mu_x - \\mu_y)^2}

    computed per output column over the batch (biased moments), so
    ``1 - rho_c`` penalises low correlation, scale and location errors alike.

    Parameters
    ----------
    y_pred : torch.Tensor of shape (n_samples,) or (n_samples, n_outputs)
        Predictions.
    y_true : torch.Tensor of the same shape as ``y_pred``
        Targets; a column vector and a 1-D target of the same length are
        treated as the same shape.
    eps : float, default=1e-8
        Added to the denominator, so a constant batch gives a loss of 1, not NaN.

    Returns
    -------
    loss : torch.Tensor, scalar
        ``mean_k(1 - rho_c[k])``, in [0, 2].

    References
    ----------
    .. [1] L. I.-K. Lin, "A concordance correlation coefficient to evaluate
       reproducibility", Biometrics 45(1), 1989.

    Examples
    --------
    >>> import torch
    >>> from skemotion.models.losses import concordance_loss
    >>> y = torch.tensor([0.1, 0.5, 0.9])
    >>> round(float(concordance_loss(y, y)), 6)
    0.0
    >>> round(float(concordance_loss(-y, y)), 3)
    1.176
    """
    if y_pred.ndim == 1:
        y_pred = y_pred[:, None]
    if y_true.ndim == 1:
        y_true = y_true[:, None]
    if y_pred.shape != y_true.shape:
        raise ValueError(
            f"CCC loss needs predictions and targets of the same shape; got "
            f"{tuple(y_pred.shape)} and {tuple(y_true.shape)}."
        )
    y_pred = y_pred.float()
    y_true = y_true.float()
    mean_p = y_pred.mean(dim=0)
    mean_t = y_true.mean(dim=0)
    var_p = y_pred.var(dim=0, unbiased=False)
    var_t = y_true.var(dim=0, unbiased=False)
    cov = ((y_pred - mean_p) * (y_true - mean_t)).mean(dim=0)
    ccc = 2 * cov / (var_p + var_t + (mean_p - mean_t) ** 2 + eps)
    return (1 - ccc).mean()


class CCCLoss(nn.Module):
    """Concordance-correlation loss, ``1 - CCC`` averaged over outputs.

    Use it with the regressors as ``criterion="ccc"`` (or pass the class).
    The CCC is a batch statistic: use batches of at least ~16 samples so the
    moments it is built from are meaningful.

    Parameters
    ----------
    eps : float, default=1e-8
        Stabiliser added to the denominator.

    See Also
    --------
    concordance_loss : The functional form.
    skemotion.metrics.concordance_correlation_coefficient : The numpy metric.

    Examples
    --------
    >>> import torch
    >>> from skemotion.models.losses import CCCLoss
    >>> loss = CCCLoss()
    >>> y = torch.tensor([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]])
    >>> round(float(loss(y, y)), 6)
    0.0
    """

    def __init__(self, eps=1e-8):
        super().__init__()
        self.eps = eps

    def forward(self, y_pred, y_true):
        return concordance_loss(y_pred, y_true, eps=self.eps)

