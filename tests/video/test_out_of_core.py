"""The out-of-core recipe of docs/user_guide/out_of_core.rst: memmap -> lazy dataset -> skorch."""

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.utils import _safe_indexing

from skemotion.video import FrameSampler

torch = pytest.importorskip("torch")
skorch = pytest.importorskip("skorch")


class MemmapFrames(torch.utils.data.Dataset):
    """Sample ``i`` of a FrameSampler ``.npy`` output, read from disk when asked for (docs copy)."""

    def __init__(self, path, y):
        self.path = path
        self.y = np.asarray(y)
        self._frames = None  # opened on first access, in each DataLoader worker

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        if self._frames is None:
            self._frames = np.load(self.path, mmap_mode="r")
        x = torch.from_numpy(self._frames[i].astype(np.float32) / 255.0)
        return x, self.y[i]

    def __getstate__(self):  # pickle (joblib workers) without the open map
        return {**self.__dict__, "_frames": None}


class TinyNet(torch.nn.Module):
    def __init__(self, n_inputs=1, n_classes=4):
        super().__init__()
        self.linear = torch.nn.Linear(n_inputs, n_classes)

    def forward(self, x):  # x: (N, T, H, W, C) float32 in [0, 1]
        return self.linear(x.mean(dim=1).flatten(1))


@pytest.fixture
def frames_on_disk(synthetic_corpus, tmp_path):
    corpus = synthetic_corpus
    X, y, groups = corpus.data[:16], corpus.target[:16], corpus.groups[:16]
    sampler = FrameSampler(n_frames=2, size=(8, 8), color="gray", memmap_dir=tmp_path)
    return sampler.fit_transform(X), y.astype(np.int64), groups


def test_sklearn_indexing_copies_a_memmap_but_not_a_slice_dataset(frames_on_disk):
    """Check why the recipe exists: fold indexing copies a memmap into RAM, not a SliceDataset."""
    from skorch.helper import SliceDataset

    frames, y, _ = frames_on_disk
    fold = np.arange(0, 16, 2)
    copied = _safe_indexing(frames, fold)
    assert not isinstance(copied, np.memmap) and not np.shares_memory(copied, frames)  # RAM copy
    lazy = _safe_indexing(SliceDataset(MemmapFrames(frames.filename, y)), fold)
    assert isinstance(lazy, SliceDataset) and lazy.indices_.tolist() == fold.tolist()
    np.testing.assert_allclose(lazy[1].numpy(), frames[2] / 255.0, rtol=1e-6)


def test_recipe_runs_a_grouped_search_out_of_core(frames_on_disk):
    """Check that the documented recipe fits a GridSearchCV of a skorch net on the memmap."""
    from skorch import NeuralNetClassifier
    from skorch.helper import SliceDataset

    frames, y, groups = frames_on_disk
    torch.manual_seed(0)  # test-only: the docs seed through the net's own settings
    net = NeuralNetClassifier(
        TinyNet,
        module__n_inputs=8 * 8,
        module__n_classes=4,
        max_epochs=2,
        batch_size=4,
        train_split=None,
        verbose=0,
    )
    search = GridSearchCV(net, {"lr": [0.01, 0.1]}, cv=GroupKFold(n_splits=2), n_jobs=1)
    search.fit(SliceDataset(MemmapFrames(frames.filename, y)), y, groups=groups)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    proba = search.predict_proba(SliceDataset(MemmapFrames(frames.filename, y)))
    assert proba.shape == (16, 4)
