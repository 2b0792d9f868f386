"""Metrics for emotion recognition: agreement (CCC), correlation and scorers.

numpy and scikit-learn only; importing this subpackage never imports torch.
"""

from ._regression import concordance_correlation_coefficient, pearson_r
from ._scorer import (
    ccc_scorer,
    get_scorer,
    get_scorer_names,
    pearson_scorer,
    per_output_scorers,
)

__all__ = [
    "ccc_scorer",
    "concordance_correlation_coefficient",
    "get_scorer",
    "get_scorer_names",
    "pearson_r",
    "pearson_scorer",
    "per_output_scorers",
]
