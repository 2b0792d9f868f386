"""skorch callbacks for skemotion's estimators.

:class:`WeightAveraging` ends training on the mean of the weights of the last
epochs (stochastic weight averaging) instead of the last epoch's weights, which
steadies networks whose held-out accuracy swings from seed to seed.
:class:`SpecAugment` masks frequency bands and time spans of training
spectrograms, the usual regulariser of CNNs on small speech corpora.
"""

import numbers
import warnings

import torch
from skorch.callbacks import Callback
from skorch.dataset import unpack_data

__all__ = ["SpecAugment", "WeightAveraging"]


class WeightAveraging(Callback):
    """Finish training on the average of the weights of the last epochs.

    Stochastic weight averaging (Izmailov et al., 2018): after each epoch past
    ``start``, the network's parameters enter a running mean;
    when training ends the mean replaces the last weights, and batch
    normalisation statistics are recomputed for it by one pass over the
    training data in training mode (statistics gathered for other weights do
    not fit the mean). Layers the network keeps in evaluation mode while
    training, such as a frozen backbone's (``module__freeze=True``), keep
    their statistics. The epochs averaged are recorded in the history as
    ``"averaged_epochs"``.

    Pass it to any skemotion (or skorch) estimator through ``callbacks``;
    its parameters are then reachable as ``callbacks__<name>__start``, so a
    grid search can tune it. It acts on ``module_``.

    Parameters
    ----------
    start : int or float, default=1/3
        When averaging begins. An int ``k >= 0`` averages the weights after
        epochs ``k + 1, k + 2, ...`` of each ``fit`` (or ``partial_fit``) call;
        a float in ``[0, 1)`` is that share of ``max_epochs``, so
        ``start=1/3`` with 45 epochs averages epochs 16 to 45. When training
        stops before any epoch is averaged (``max_epochs`` or early stopping),
        the weights are left as they are, with a warning.

    Attributes
    ----------
    n_averaged_ : int
        Epochs averaged in the last training call.

    Notes
    -----
    With ``early_stopping=True`` the average of the epochs up to the stop
    replaces the best weights early stopping restores, because skorch runs
    user callbacks after its own. The batch-normalisation pass reads all of
    ``fit``'s ``X`` (with early stopping, the held-out part too; labels are
    not used). Dropout stays on during it, as in
    :func:`torch.optim.swa_utils.update_bn`, drawing from the fit's own
    generator, so results stay reproducible.

    References
    ----------
    .. [1] P. Izmailov, D. Podoprikhin, T. Garipov, D. Vetrov and A. G.
       Wilson, "Averaging weights leads to wider optima and better
       generalization", UAI 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.models import SequenceLSTMClassifier, WeightAveraging
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(32, 5, 3)).astype(np.float32)
    >>> y = (X[:, :, 0].mean(axis=1) > 0).astype(int)
    >>> clf = SequenceLSTMClassifier(
    ...     max_epochs=6, callbacks=[("average", WeightAveraging(start=2))], random_state=0
    ... )
    >>> clf = clf.fit(X, y)
    >>> clf.history_[-1, "averaged_epochs"]
    4
    >>> clf.set_params(callbacks__average__start=0.5).fit(X, y).history_[-1, "averaged_epochs"]
    3
    """

    def __init__(self, start=1 / 3):
        self.start = start

    def initialize(self):
        start = self.start
        if isinstance(start, numbers.Integral) and not isinstance(start, bool):
            ok = start >= 0
        elif isinstance(start, numbers.Real) and not isinstance(start, bool):
            ok = 0 <= start < 1
        else:
            ok = False
        if not ok:
            raise ValueError(
                "The 'start' parameter of WeightAveraging must be an int >= 0 (epochs) or a "
                f"float in [0, 1) (share of max_epochs). Got {start!r} instead."
            )
        return self

    def _first_averaged_epoch(self, net):
        if isinstance(self.start, numbers.Integral):
            return int(self.start) + 1
        return int(self.start * net.max_epochs) + 1

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        self.n_averaged_ = 0
        self._epochs_done = 0
        self._mean = None

    # torch.optim.swa_utils has the same two steps, but AveragedModel keeps a second
    # module to copy back and update_bn calls module(x) on raw batches: no uint8
    # scaling, device move, autocast or fusion mappings, which net.infer does.
    def on_epoch_end(self, net, **kwargs):
        self._epochs_done += 1
        if self._epochs_done < self._first_averaged_epoch(net):
            return
        params = dict(net.module_.named_parameters())
        with torch.no_grad():
            if self._mean is None:
                self._mean = {k: p.detach().clone() for k, p in params.items()}
            else:
                # running mean: m_{n+1} = m_n + (p - m_n) / (n + 1)
                for k, p in params.items():
                    self._mean[k].add_(p.detach() - self._mean[k], alpha=1 / (self.n_averaged_ + 1))
        self.n_averaged_ += 1

    def on_train_end(self, net, X=None, y=None, **kwargs):
        mean, self._mean = self._mean, None  # do not keep a second copy of the weights
        if mean is None:
            warnings.warn(
                f"WeightAveraging(start={self.start!r}) averaged no epoch: training stopped "
                f"after {self._epochs_done} epoch(s); the last weights are kept.",
                UserWarning,
                stacklevel=2,
            )
            return
        with torch.no_grad():
            for k, p in net.module_.named_parameters():
                p.copy_(mean[k])
        self._recompute_batch_norm(net, X, y)
        net.history.record("averaged_epochs", self.n_averaged_)

    @staticmethod
    def _recompute_batch_norm(net, X, y):
        """Cumulative batch-norm statistics of the averaged weights (one pass, training mode)."""
        module = net.module_
        if X is None:
            return
        was_training = module.training
        module.train()
        # layers a network keeps in eval mode while training (a frozen backbone) keep
        # their statistics; only the layers training updated are recomputed
        norms = [
            m
            for m in module.modules()
            if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)
            and m.training
            and m.track_running_stats
        ]
        momenta = {m: m.momentum for m in norms}
        try:
            if not norms:
                return
            for m in norms:
                m.reset_running_stats()
                m.momentum = None  # a plain average over batches, not an exponential one
            # net.infer moves the batch to the device and scales uint8 frames
            iterator = net.get_iterator(net.get_dataset(X, y), training=False)
            with torch.no_grad():
                for batch in iterator:
                    Xi, _ = unpack_data(batch)
                    net.infer(Xi)
        finally:
            for m, momentum in momenta.items():
                m.momentum = momentum
            module.train(was_training)


class SpecAugment(Callback):
    """Mask random frequency bands and time spans of each training batch (SpecAugment).

    SpecAugment (Park et al., 2019) regularises networks trained on
    spectrograms by blanking, in every training example, ``freq_masks``
    stripes of up to ``freq_width`` mel bands and ``time_masks`` spans of up to
    ``time_width`` frames, each stripe's width drawn uniformly from 0 to its
    maximum. On corpora of a few hundred to a few thousand clips it keeps a
    CNN from learning a speaker's or a recording's fixed spectral detail. Only
    training batches are masked; validation, ``predict`` and
    ``predict_proba`` see the input unchanged.

    Pass it to any skemotion (or skorch) estimator through ``callbacks``
    (``callbacks=[("augment", SpecAugment())]``); its parameters are then
    reachable as ``callbacks__augment__time_width`` in a search.

    Parameters
    ----------
    freq_masks : int, default=2
        Frequency stripes per example.
    freq_width : int, default=8
        Widest frequency stripe, in bins.
    time_masks : int, default=2
        Time spans per example.
    time_width : int, default=20
        Longest time span, in frames (20 frames of 10 ms: 0.2 s).
    layout : {"image", "sequence"}, default="image"
        Where the axes are in the batch: ``"image"`` for spectrogram images
        ``(n, n_mels, n_steps, channels)`` as :class:`~skemotion.audio.Spectrogram`
        gives them, ``"sequence"`` for ``(n, n_steps, n_features)`` as
        :class:`~skemotion.audio.SpectralFeatures` (``pool=None``) gives them.
    fill : float, default=0.0
        Value written into the masked cells (0 is the floor of
        ``Spectrogram(normalize="minmax")`` and the mean of standardised input).

    Notes
    -----
    The masks are drawn from a generator seeded, when training begins, from
    torch's random state, which inside a skemotion estimator's ``fit`` is the
    fit's own generator seeded by ``random_state``: the same ``random_state``
    gives the same masks, and global random state is left alone.

    References
    ----------
    .. [1] Park, D. S. et al. (2019). SpecAugment: A Simple Data Augmentation
       Method for Automatic Speech Recognition. Interspeech 2019.

    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.models import FrameCNNClassifier, SpecAugment
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((8, 16, 24, 1), dtype=np.float32)  # 16 mel bands, 24 frames
    >>> y = np.array([0, 1] * 4)
    >>> clf = FrameCNNClassifier(max_epochs=2, random_state=0,
    ...                          callbacks=[("augment", SpecAugment(time_width=4))])
    >>> clf.fit(X, y).predict(X).shape
    (8,)
    """

    def __init__(self, freq_masks=2, freq_width=8, time_masks=2, time_width=20, layout="image",
                 fill=0.0):
        self.freq_masks = freq_masks
        self.freq_width = freq_width
        self.time_masks = time_masks
        self.time_width = time_width
        self.layout = layout
        self.fill = fill

    def initialize(self):
        for name in ("freq_masks", "freq_width", "time_masks", "time_width"):
            value = getattr(self, name)
            if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 0:
                raise ValueError(
                    f"The {name!r} parameter of SpecAugment must be an int in the range "
                    f"[0, inf). Got {value!r} instead."
                )
        if self.layout not in ("image", "sequence"):
            raise ValueError(
                "The 'layout' parameter of SpecAugment must be a str among {'image', "
                f"'sequence'}}. Got {self.layout!r} instead."
            )
        self._generator = None
        return self

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        seed = int(torch.randint(0, 2**31 - 1, (1,)).item())
        self._generator = torch.Generator().manual_seed(seed)

    def on_batch_begin(self, net, batch=None, training=False, **kwargs):
        if not training:
            return
        Xi = unpack_data(batch)[0]
        if not isinstance(Xi, torch.Tensor) or Xi.ndim < 3:
            return
        freq_axis, time_axis = (1, 2) if self.layout == "image" else (2, 1)
        for i in range(Xi.shape[0]):
            for axis, count, width in ((freq_axis, self.freq_masks, self.freq_width),
                                       (time_axis, self.time_masks, self.time_width)):
                self._mask(Xi[i], axis - 1, count, width)

    def _mask(self, example, axis, count, width):
        size = example.shape[axis]
        for _ in range(count):
            w = int(torch.randint(0, min(width, size) + 1, (1,), generator=self._generator))
            if w == 0:
                continue
            start = int(torch.randint(0, size - w + 1, (1,), generator=self._generator))
            example.narrow(axis, start, w).fill_(self.fill)
