"""Tests for the report helpers: tidy frames and figures (Agg backend)."""

import re

import matplotlib
import numpy as np
import pytest
from sklearn.linear_model import Ridge
from sklearn.metrics import classification_report
from sklearn.model_selection import GridSearchCV, cross_validate

from skemotion.metrics import concordance_correlation_coefficient
from skemotion.model_selection import (
    classification_report_frame,
    cv_results_frame,
    plot_confusion_matrix,
    plot_timeline,
    plot_training_curves,
)

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def test_cv_results_frame_from_search():
    """Check that the tidy frame holds exactly the split scores of cv_results_."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 2)), rng.normal(size=30)
    search = GridSearchCV(
        Ridge(),
        {"alpha": [0.1, 10.0]},
        cv=3,
        scoring={"r2": "r2", "mae": "neg_mean_absolute_error"},
        refit="r2",
        return_train_score=True,
    ).fit(X, y)
    frame = cv_results_frame(search)
    assert len(frame) == 2 * 3 * 2 * 2  # candidates x splits x metrics x subsets
    row = frame.query("candidate == 1 and split == 2 and subset == 'test' and metric == 'mae'")
    assert row["score"].item() == search.cv_results_["split2_test_mae"][1]
    assert row["alpha"].item() == 10.0
    assert row["rank"].item() == search.cv_results_["rank_test_mae"][1]
    means = frame.query("subset == 'test' and metric == 'r2'").groupby("candidate")["score"].mean()
    np.testing.assert_allclose(means.to_numpy(), search.cv_results_["mean_test_r2"])


def test_cv_results_frame_from_cross_validate():
    """Check the frame for cross_validate's output, with fit times per split."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 2)), rng.normal(size=30)
    res = cross_validate(Ridge(), X, y, cv=3, scoring=["r2", "neg_mean_squared_error"])
    frame = cv_results_frame(res)
    assert list(frame.columns) == ["split", "subset", "metric", "score", "fit_time", "score_time"]
    assert len(frame) == 6
    np.testing.assert_array_equal(frame.query("metric == 'r2'")["score"], res["test_r2"])
    with pytest.raises(ValueError, match=re.escape("the dict has neither 'params'")):
        cv_results_frame({"fit_time": [1.0]})
    with pytest.raises(ValueError, match=re.escape("cv_results_frame expects a fitted search")):
        cv_results_frame([1, 2])


def test_classification_report_frame_matches_sklearn():
    """Check that the frame holds sklearn's classification report values."""
    y_true = ["angry", "happy", "sad", "happy", "sad", "sad"]
    y_pred = ["angry", "sad", "sad", "happy", "happy", "sad"]
    frame = classification_report_frame(y_true, y_pred)
    expected = classification_report(y_true, y_pred, output_dict=True)
    assert list(frame.index) == ["angry", "happy", "sad", "macro avg", "weighted avg"]
    for label in ("sad", "macro avg"):
        for col in ("precision", "recall", "f1-score", "support"):
            assert frame.loc[label, col] == pytest.approx(expected[label][col])
    assert frame.attrs["accuracy"] == pytest.approx(4 / 6)


def test_plot_confusion_matrix_values():
    """Check that the drawn matrix is the (row-normalised) confusion matrix."""
    disp = plot_confusion_matrix([0, 0, 1, 1], [0, 1, 1, 1], display_labels=["calm", "angry"])
    np.testing.assert_allclose(disp.confusion_matrix, [[0.5, 0.5], [0.0, 1.0]])
    assert [t.get_text() for t in disp.ax_.get_xticklabels()] == ["calm", "angry"]
    counts = plot_confusion_matrix([0, 0, 1, 1], [0, 1, 1, 1], normalize=None)
    np.testing.assert_array_equal(counts.confusion_matrix, [[1, 1], [0, 2]])


def test_plot_training_curves_from_history():
    """Check that every numeric per-epoch key is drawn, losses and scores apart."""
    history = [
        {
            "epoch": e,
            "train_loss": 1.0 / e,
            "valid_loss": 1.5 / e,
            "valid_acc": e / 5,
            "valid_loss_best": e == 4,
            "dur": 0.1,
            "batches": [],
        }
        for e in range(1, 5)
    ]
    loss_ax, score_ax = plot_training_curves(history)
    assert [line.get_label() for line in loss_ax.lines] == ["train_loss", "valid_loss"]
    np.testing.assert_allclose(loss_ax.lines[1].get_ydata(), [1.5, 0.75, 0.5, 0.375])
    assert [line.get_label() for line in score_ax.lines] == ["valid_acc"]
    (only,) = plot_training_curves(history, keys=["valid_acc"])
    assert only.get_ylabel() == "score"
    with pytest.raises(ValueError, match=re.escape("keys ['f1'] are missing from some epochs")):
        plot_training_curves(history, keys=["f1"])
    with pytest.raises(ValueError, match=re.escape("expects a fitted skorch net or its history")):
        plot_training_curves([])


def test_plot_training_curves_from_skorch_net():
    """Check that a fitted skorch net's history is read directly, without its batch counts.

    skorch records train_batch_count and valid_batch_count every epoch; they are not
    scores, so no score panel is drawn for a net that only has losses.
    """
    import torch
    from skorch import NeuralNetRegressor

    X = np.random.default_rng(0).normal(size=(16, 2)).astype(np.float32)
    net = NeuralNetRegressor(
        torch.nn.Linear, module__in_features=2, module__out_features=1, max_epochs=3, verbose=0
    ).fit(X, X[:, :1])
    assert "train_batch_count" in net.history[-1] and "valid_batch_count" in net.history[-1]
    axes = plot_training_curves(net)
    assert len(axes) == 1 and axes[0].get_ylabel() == "loss"
    assert [line.get_label() for line in axes[0].lines] == ["train_loss", "valid_loss"]
    assert len(axes[0].lines[0].get_ydata()) == 3


def test_plot_timeline():
    """Check the timeline draws both series against time and reports the CCC."""
    t = np.linspace(0, 5, 50)
    truth, pred = np.sin(t), 0.5 * np.sin(t)
    ax = plot_timeline(t, truth, pred, label="arousal")
    np.testing.assert_allclose(ax.lines[0].get_xdata(), t)
    np.testing.assert_allclose(ax.lines[1].get_ydata(), pred)
    ccc = concordance_correlation_coefficient(truth, pred)
    assert ax.get_title() == f"arousal over time (CCC = {ccc:.3f})"
    with pytest.raises(ValueError, match=re.escape("times, y_true and y_pred differ in length")):
        plot_timeline(t, truth, pred[:-1])
    with pytest.raises(ValueError, match=re.escape("times must be non-decreasing")):
        plot_timeline(t[::-1], truth, pred)
    with pytest.raises(ValueError, match=re.escape("expected y_true of shape (n_samples,)")):
        plot_timeline(t, truth[:, None], pred)
