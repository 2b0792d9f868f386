"""Pure PyTorch networks behind the skemotion estimators.

Every network takes the data-derived sizes (``n_features``, ``frame_shape``,
``n_outputs``) as constructor arguments, filled in by the estimator from the
training data, and returns raw scores (logits for classification). Inputs
arrive sample-first and channels-last, as float32 in [0, 1] for frames (the
estimator scales uint8 batches on the device); the torch layouts are made
inside ``forward``.

The 2-D backbones (``make_backbone``: small CNNs, VGG-16 and ResNets with
torchvision's parameter names, loaded only from local files) live in
``_backbones.py`` and are public here.
"""

import torch
from torch import nn

from ._backbones import BACKBONES, _check_choice, _conv_block, make_backbone

__all__ = [
    "BACKBONES",
    "C3DLSTMNet",
    "CNNLSTMNet",
    "ConvLSTMCell",
    "ConvLSTMNet",
    "FrameCNNNet",
    "FrameEncoder",
    "FusionNet",
    "SequenceLSTMNet",
    "SequencePooling",
    "make_backbone",
    "normalize_frames",
]

POOLINGS = ("last", "mean", "attention")


# --------------------------------------------------------------------------- #
# Sequence pooling
# --------------------------------------------------------------------------- #
class SequencePooling(nn.Module):
    """Reduce LSTM outputs ``(N, T, D)`` to ``(N, D)``.

    Parameters
    ----------
    size : int
        Feature size ``D`` of the LSTM output (``2 * hidden_size`` when
        bidirectional).
    pooling : {"last", "mean", "attention"}, default="last"
        ``"last"`` takes the last step (for a bidirectional LSTM, the last
        forward step and the first backward step); ``"mean"`` averages over
        time; ``"attention"`` is a learned softmax-weighted sum over time.
    bidirectional : bool, default=False
        Whether the outputs come from a bidirectional LSTM.

    Examples
    --------
    >>> import torch
    >>> from skemotion.models.networks import SequencePooling
    >>> SequencePooling(8, pooling="attention")(torch.zeros(2, 5, 8)).shape
    torch.Size([2, 8])
    """

    def __init__(self, size, pooling="last", bidirectional=False):
        super().__init__()
        _check_choice("pooling", pooling, POOLINGS, type(self).__name__)
        self.pooling = pooling
        self.bidirectional = bidirectional
        self.attention = nn.Linear(size, 1) if pooling == "attention" else None

    def forward(self, out):
        if self.pooling == "mean":
            return out.mean(dim=1)
        if self.pooling == "attention":
            weights = torch.softmax(self.attention(out), dim=1)
            return (weights * out).sum(dim=1)
        if self.bidirectional:
            half = out.shape[-1] // 2
            return torch.cat([out[:, -1, :half], out[:, 0, half:]], dim=-1)
        return out[:, -1]


class _LSTMBlock(nn.Module):
    """``nn.LSTM`` (batch first) followed by :class:`SequencePooling`."""

    def __init__(self, input_size, hidden_size, num_layers, bidirectional, dropout, pooling):
        super().__init__()
        self.lstm = nn.LSTM(
            input_size,
            hidden_size,
            num_layers=num_layers,
            batch_first=True,
            bidirectional=bidirectional,
            dropout=dropout if num_layers > 1 else 0.0,
        )
        self.out_features = hidden_size * (2 if bidirectional else 1)
        self.pool = SequencePooling(self.out_features, pooling, bidirectional)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.pool(out)


class SequenceLSTMNet(nn.Module):
    """LSTM over feature sequences ``(N, T, F)``, pooled, then a linear head.

    Parameters
    ----------
    n_features : int
        Features per time step (``F``); set by the estimator.
    n_outputs : int
        Number of classes or regression targets; set by the estimator.
    hidden_size : int, default=64
        LSTM hidden units (the Hindi-video study compares 40, 80 and 120).
    num_layers : int, default=1
        Stacked LSTM layers.
    bidirectional : bool, default=False
        Use a bidirectional LSTM.
    dropout : float, default=0.0
        Dropout between LSTM layers and before the head.
    pooling : {"last", "mean", "attention"}, default="last"
        How the per-step outputs are reduced; see :class:`SequencePooling`.

    Examples
    --------
    >>> import torch
    >>> from skemotion.models.networks import SequenceLSTMNet
    >>> net = SequenceLSTMNet(n_features=13, n_outputs=4, hidden_size=8)
    >>> net(torch.zeros(2, 10, 13)).shape
    torch.Size([2, 4])
    """

    def __init__(
        self,
        n_features,
        n_outputs,
        hidden_size=64,
        num_layers=1,
        bidirectional=False,
        dropout=0.0,
        pooling="last",
    ):
        super().__init__()
        self.encoder = _LSTMBlock(n_features, hidden_size, num_layers, bidirectional, dropout, pooling)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(self.encoder.out_features, n_outputs)

    def forward(self, X):
        return self.head(self.dropout(self.encoder(X)))


class FrameEncoder(nn.Module):
    """Apply a 2-D backbone to channels-last frames ``(N, H, W, C)`` -> ``(N, D)``.

    Parameters
    ----------
    frame_shape : tuple of int
        ``(height, width, channels)``.
    backbone : str, default="simple"
        See :func:`make_backbone`.
    weights : str or os.PathLike, default=None
        Local state-dict file for the backbone.
    freeze : bool, default=False
        Keep the backbone's parameters fixed (and its batch-norm statistics, by
        holding it in eval mode); only the layers after it train.
    input_norm : {"channel", "frame", None}, default="channel"
        See :func:`normalize_frames`.
    batch_norm : bool, default=True
        See :func:`make_backbone`.

    Examples
    --------
    >>> import torch
    >>> from skemotion.models.networks import FrameEncoder
    >>> FrameEncoder((32, 32, 3))(torch.zeros(2, 32, 32, 3)).shape
    torch.Size([2, 128])
    """

    def __init__(
        self,
        frame_shape,
        backbone="simple",
        weights=None,
        freeze=False,
        input_norm="channel",
        batch_norm=True,
    ):
        super().__init__()
        _check_norm(input_norm, type(self).__name__)
        self.input_norm = input_norm
        height, width, channels = (int(v) for v in frame_shape)
        self.backbone = make_backbone(
            backbone, channels, height, width, weights=weights, batch_norm=batch_norm
        )
        self.out_features = self.backbone.out_features
        self.freeze = bool(freeze)
        if self.freeze:
            for p in self.backbone.parameters():
                p.requires_grad_(False)

    def train(self, mode=True):
        super().train(mode)
        if self.freeze:
            self.backbone.eval()
        return self

    def forward(self, x):
        return self.backbone(normalize_frames(x, self.input_norm).permute(0, 3, 1, 2))


def normalize_frames(x, mode):
    """Standardise each frame ``(..., H, W, C)`` or return it unchanged.

    Parameters
    ----------
    x : torch.Tensor of shape (..., height, width, channels)
        Float frames.
    mode : {"channel", "frame", None}
        ``"channel"``: zero mean and unit variance per frame and colour
        channel, which also removes colour casts and skin-tone hue;
        ``"frame"``: zero mean and unit variance per frame over its pixels
        and channels together; ``None``: unchanged.

    Returns
    -------
    x : torch.Tensor
        Same shape.

    Examples
    --------
    >>> import torch
    >>> from skemotion.models.networks import normalize_frames
    >>> out = normalize_frames(torch.rand(2, 3, 8, 8, 3) * 0.2 + 0.5, "frame")
    >>> round(float(out[0, 1].mean()), 4), round(float(out[0, 1].std(unbiased=False)), 2)
    (0.0, 1.0)
    >>> out = normalize_frames(torch.rand(2, 8, 8, 3) * torch.tensor([1.0, 0.5, 0.2]), "channel")
    >>> [round(float(v), 2) for v in out[0].std(dim=(0, 1), unbiased=False)]
    [1.0, 1.0, 1.0]
    """
    if mode is None:
        return x
    dims = (-3, -2, -1) if mode == "frame" else (-3, -2)
    mean = x.mean(dim=dims, keepdim=True)
    std = x.std(dim=dims, keepdim=True, unbiased=False)
    return (x - mean) / (std + 1e-5)


def _check_norm(value, owner):
    if value not in ("channel", "frame", None):
        raise ValueError(
            f"The 'input_norm' parameter of {owner} must be 'channel', 'frame' or None. "
            f"Got {value!r} instead."
        )


def _encode_clip(encoder, x):
    """(N, T, H, W, C) -> (N, T, D) by applying ``encoder`` to every frame."""
    n, t = x.shape[:2]
    feats = encoder(x.reshape(n * t, *x.shape[2:]))
    return feats.reshape(n, t, -1)


class FrameCNNNet(nn.Module):
    """A 2-D CNN on single frames ``(N, H, W, C)`` or clips ``(N, T, H, W, C)``.

    Clips are encoded frame by frame and the features pooled over time.

    Parameters
    ----------
    frame_shape : tuple of int
        ``(height, width, channels)``; set by the estimator.
    n_outputs : int
        Classes or targets; set by the estimator.
    backbone : {"simple", "quadrant", "vgg16", "resnet18", "resnet34", "resnet50"}, default="simple"
        See :func:`make_backbone`.
    weights : str or os.PathLike, default=None
        Local state-dict file for the backbone (transfer learning).
    freeze : bool, default=False
        Freeze the backbone.
    dropout : float, default=0.0
        Dropout before the head.
    temporal_pooling : {"mean", "max"}, default="mean"
        How frame features of a clip are pooled over time.
    input_norm : {"channel", "frame", None}, default="channel"
        ``"channel"`` standardises every frame and colour channel to zero mean
        and unit variance, which removes the lighting, colour-cast, skin-tone
        and background level differences between actors so that expression
        cues are comparable; ``"frame"`` standardises over all channels
        together; ``None`` keeps the ``[0, 1]`` scaling of uint8 input (e.g.
        for pretrained weights that expect it).
    batch_norm : bool, default=True
        Batch normalisation in the ``"simple"`` and ``"quadrant"`` backbones;
        see :func:`make_backbone`.

    Examples
    --------
    >>> import torch
    >>> from skemotion.models.networks import FrameCNNNet
    >>> net = FrameCNNNet((32, 32, 3), n_outputs=4)
    >>> net(torch.zeros(2, 32, 32, 3)).shape, net(torch.zeros(2, 5, 32, 32, 3)).shape
    (torch.Size([2, 4]), torch.Size([2, 4]))
    """

    def __init__(
        self,
        frame_shape,
        n_outputs,
        backbone="simple",
        weights=None,
        freeze=False,
        dropout=0.0,
        temporal_pooling="mean",
        input_norm="channel",
        batch_norm=True,
    ):
        super().__init__()
        _check_choice("temporal_pooling", temporal_pooling, ("mean", "max"), type(self).__name__)
        self.encoder = FrameEncoder(frame_shape, backbone, weights, freeze, input_norm, batch_norm)
        self.temporal_pooling = temporal_pooling
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(self.encoder.out_features, n_outputs)

    def forward(self, X):
        if X.ndim == 5:
            feats = _encode_clip(self.encoder, X)
            feats = feats.mean(dim=1) if self.temporal_pooling == "mean" else feats.amax(dim=1)
        else:
            feats = self.encoder(X)
        return self.head(self.dropout(feats))


class CNNLSTMNet(nn.Module):
    """A 2-D backbone per frame, then an LSTM over the frame features.

    The Conv-LSTM of the EEV study and the masked-face CNN-LSTM.

    Parameters
    ----------
    frame_shape : tuple of int
        ``(height, width, channels)``; set by the estimator.
    n_outputs : int
        Classes or targets; set by the estimator.
    backbone : str, default="simple"
        See :func:`make_backbone`.
    weights : str or os.PathLike, default=None
        Local state-dict file for the backbone.
    freeze : bool, default=False
        Freeze the backbone.
    hidden_size : int, default=64
        LSTM hidden units.
    num_layers : int, default=1
        Stacked LSTM layers.
    bidirectional : bool, default=False
        Bidirectional LSTM.
    dropout : float, default=0.0
        Dropout between LSTM layers and before the head.
    pooling : {"last", "mean", "attention"}, default="last"
        How the LSTM outputs are pooled over time.
    input_norm : {"channel", "frame", None}, default="channel"
        How each frame is standardised; see :class:`FrameCNNNet`.
    batch_norm : bool, default=True
        Batch normalisation in the ``"simple"`` and ``"quadrant"`` backbones;
        see :func:`make_backbone`.

    Examples
    --------
    >>> import torch
    >>> from skemotion.models.networks import CNNLSTMNet
    >>> CNNLSTMNet((32, 32, 3), n_outputs=4, hidden_size=8)(torch.zeros(2, 5, 32, 32, 3)).shape
    torch.Size([2, 4])
    """

    def __init__(
        self,
        frame_shape,
        n_outputs,
        backbone="simple",
        weights=None,
        freeze=False,
        hidden_size=64,
        num_layers=1,
        bidirectional=False,
        dropout=0.0,
        pooling="last",
        input_norm="channel",
        batch_norm=True,
    ):
        super().__init__()
        self.encoder = FrameEncoder(frame_shape, backbone, weights, freeze, input_norm, batch_norm)
        self.lstm = _LSTMBlock(
            self.encoder.out_features, hidden_size, num_layers, bidirectional, dropout, pooling
        )
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(self.lstm.out_features, n_outputs)

    def forward(self, X):
        return self.head(self.dropout(self.lstm(_encode_clip(self.encoder, X))))


# --------------------------------------------------------------------------- #
# Convolutional LSTM (Shi et al., 2015)
# --------------------------------------------------------------------------- #
class ConvLSTMCell(nn.Module):
    """One convolutional LSTM cell with peephole connections (Shi et al., 2015).

    .. math::

        i_t &= \\sigma(W_{xi} * X_t + W_{hi} * H_{t-1} + W_{ci} \\circ C_{t-1} + b_i) \\\\
        f_t &= \\sigma(W_{xf} * X_t + W_{hf} * H_{t-1} + W_{cf} \\circ C_{t-1} + b_f) \\\\
        C_t &= f_t \\circ C_{t-1} + i_t \\circ \\tanh(W_{xc} * X_t + W_{hc} * H_{t-1} + b_c) \\\\
        o_t &= \\sigma(W_{xo} * X_t + W_{ho} * H_{t-1} + W_{co} \\circ C_t + b_o) \\\\
        H_t &= o_t \\circ \\tanh(C_t)

    where ``*`` is a convolution and ``∘`` the Hadamard product.

    Parameters
    ----------
    in_channels : int
        Channels of ``X_t``.
    hidden_channels : int
        Channels of ``H_t`` and ``C_t``.
    spatial_shape : tuple of int
        ``(height, width)`` of the maps (the peephole weights are per position).
    kernel_size : int, default=3
        Odd convolution kernel size ("same" padding).

    References
    ----------
    .. [1] X. Shi et al., "Convolutional LSTM Network: A Machine Learning
       Approach for Precipitation Nowcasting", NeurIPS 2015.

    Examples
    --------
    >>> import torch
    >>> from skemotion.models.networks import ConvLSTMCell
    >>> cell = ConvLSTMCell(3, 8, (16, 16))
    >>> h, c = cell(torch.zeros(2, 3, 16, 16))
    >>> h.shape
    torch.Size([2, 8, 16, 16])
    """

    def __init__(self, in_channels, hidden_channels, spatial_shape, kernel_size=3):
        super().__init__()
        if kernel_size % 2 != 1:
            raise ValueError(
                f"The 'kernel_size' parameter of ConvLSTMCell must be odd. Got {kernel_size} instead."
            )
        self.hidden_channels = hidden_channels
        self.conv = nn.Conv2d(
            in_channels + hidden_channels, 4 * hidden_channels, kernel_size, padding=kernel_size // 2
        )
        h, w = spatial_shape
        self.w_ci = nn.Parameter(torch.zeros(1, hidden_channels, h, w))
        self.w_cf = nn.Parameter(torch.zeros(1, hidden_channels, h, w))
        self.w_co = nn.Parameter(torch.zeros(1, hidden_channels, h, w))

    def forward(self, x, state=None):
        if state is None:
            zeros = x.new_zeros(x.shape[0], self.hidden_channels, *x.shape[2:])
            state = (zeros, zeros)
        h, c = state
        gi, gf, gc, go = self.conv(torch.cat([x, h], dim=1)).chunk(4, dim=1)
        i = torch.sigmoid(gi + self.w_ci * c)
        f = torch.sigmoid(gf + self.w_cf * c)
        c = f * c + i * torch.tanh(gc)
        o = torch.sigmoid(go + self.w_co * c)
        h = o * torch.tanh(c)
        return h, c


class ConvLSTMNet(nn.Module):
    """A stack of convolutional LSTM cells over clips ``(N, T, H, W, C)``, then a head.

    Each frame first goes through a small convolutional stem (conv 3x3 ->
    BatchNorm -> ReLU -> 2x2 max pooling per entry of ``stem_channels``), so
    that the cells see features whose receptive field covers a mouth or a
    brow and the recurrence runs on smaller maps. The last hidden map of the
    top cell is average-pooled to a ``head_pool`` x ``head_pool`` grid, which
    keeps where on the face something moved, and fed to a linear head.

    Measured on the synthetic corpus (see the models guide): without the stem
    (cells on raw pixels) and with a global average over space, the network
    stayed at chance on unseen actors (0.27 for 4 classes); stem and a 4x4
    grid gave 0.91 to 1.0 over three seeds.

    Parameters
    ----------
    frame_shape : tuple of int
        ``(height, width, channels)``; set by the estimator.
    n_outputs : int
        Classes or targets; set by the estimator.
    hidden_channels : int, default=32
        Channels of every cell's hidden state.
    num_layers : int, default=1
        Stacked cells.
    kernel_size : int, default=3
        Odd kernel size of the cells' convolutions.
    stem_channels : tuple of int, default=(16, 32)
        Output channels of the per-frame conv blocks before the first cell,
        each halving the map; ``()`` feeds the pixels to the cells directly.
    head_pool : int, default=4
        Side of the grid the last hidden map is average-pooled to before the
        head (1 = global average).
    dropout : float, default=0.0
        Dropout before the head.
    input_norm : {"channel", "frame", None}, default="channel"
        How each frame is standardised (see :func:`normalize_frames`);
        ``None`` keeps the ``[0, 1]`` scaling.

    Examples
    --------
    >>> import torch
    >>> from skemotion.models.networks import ConvLSTMNet
    >>> ConvLSTMNet((16, 16, 3), n_outputs=4, hidden_channels=4)(torch.zeros(2, 3, 16, 16, 3)).shape
    torch.Size([2, 4])
    """

    def __init__(
        self,
        frame_shape,
        n_outputs,
        hidden_channels=32,
        num_layers=1,
        kernel_size=3,
        stem_channels=(16, 32),
        head_pool=4,
        dropout=0.0,
        input_norm="channel",
    ):
        super().__init__()
        _check_norm(input_norm, type(self).__name__)
        self.input_norm = input_norm
        height, width, channels = (int(v) for v in frame_shape)
        stem = []
        for out_channels in stem_channels:
            stem += _conv_block(channels, int(out_channels), batch_norm=True)
            channels, height, width = int(out_channels), -(-height // 2), -(-width // 2)
        self.stem = nn.Sequential(*stem)
        self.cells = nn.ModuleList(
            ConvLSTMCell(
                channels if i == 0 else hidden_channels, hidden_channels, (height, width), kernel_size
            )
            for i in range(num_layers)
        )
        with torch.no_grad():  # forget-gate bias 1: remember by default (Jozefowicz et al., 2015)
            for cell in self.cells:
                cell.conv.bias[hidden_channels : 2 * hidden_channels].fill_(1.0)
        self.head_pool = nn.AdaptiveAvgPool2d(int(head_pool))
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden_channels * int(head_pool) ** 2, n_outputs)

    def forward(self, X):
        X = normalize_frames(X, self.input_norm)
        n, t = X.shape[:2]
        frames = self.stem(X.reshape(n * t, *X.shape[2:]).permute(0, 3, 1, 2))
        seq = frames.reshape(n, t, *frames.shape[1:])
        for cell in self.cells:
            state = None
            outputs = []
            for step in range(t):
                state = cell(seq[:, step], state)
                outputs.append(state[0])
            seq = torch.stack(outputs, dim=1)
        last = self.head_pool(seq[:, -1]).flatten(1)
        return self.head(self.dropout(last))


# --------------------------------------------------------------------------- #
# C3D + LSTM (CREMA-D study)
# --------------------------------------------------------------------------- #
class C3DLSTMNet(nn.Module):
    """3-D convolution blocks, an LSTM of 64 and a dense layer of 32.

    Each block is Conv3d (3x3x3) -> LeakyReLU -> BatchNorm3d -> spatial
    dropout (``Dropout3d``) and, while the maps are larger than 1x1, a (1, 2, 2)
    max pooling that keeps the time axis. After the blocks the maps are
    averaged over space, and the LSTM reads the remaining time steps. L2
    regularisation comes from the optimizer's weight decay (the estimators
    default to ``optimizer__weight_decay=1e-4``).

    Parameters
    ----------
    frame_shape : tuple of int
        ``(height, width, channels)``; set by the estimator.
    n_outputs : int
        Classes or targets; set by the estimator.
    n_blocks : int, default=5
        Number of 3-D conv blocks: 5, 6 and 7 are the CREMA-D study's variants.
    base_filters : int, default=16
        Filters of the first block; doubled per block up to ``8 * base_filters``.
    lstm_size : int, default=64
        LSTM hidden units.
    dense_size : int, default=32
        Units of the dense layer before the head.
    dropout : float, default=0.0
        Spatial dropout in the blocks and dropout after the dense layer (the
        CREMA-D study's regularisation; measured on the 48 training clips of a
        synthetic fold: 0.2 lowered accuracy on unseen actors from 0.91 to
        0.69, so it is off by default).
    negative_slope : float, default=0.01
        LeakyReLU slope.
    input_norm : {"channel", "frame", None}, default="channel"
        How each frame is standardised (see :func:`normalize_frames`);
        ``None`` keeps the ``[0, 1]`` scaling.

    Examples
    --------
    >>> import torch
    >>> from skemotion.models.networks import C3DLSTMNet
    >>> C3DLSTMNet((16, 16, 3), n_outputs=4, base_filters=4)(torch.zeros(2, 4, 16, 16, 3)).shape
    torch.Size([2, 4])
    """

    def __init__(
        self,
        frame_shape,
        n_outputs,
        n_blocks=5,
        base_filters=16,
        lstm_size=64,
        dense_size=32,
        dropout=0.0,
        negative_slope=0.01,
        input_norm="channel",
    ):
        super().__init__()
        _check_norm(input_norm, type(self).__name__)
        self.input_norm = input_norm
        height, width, channels = (int(v) for v in frame_shape)
        blocks = []
        c_in = channels
        for i in range(int(n_blocks)):
            c_out = base_filters * 2 ** min(i, 3)
            layers = [
                nn.Conv3d(c_in, c_out, 3, padding=1),
                nn.LeakyReLU(negative_slope, inplace=True),
                nn.BatchNorm3d(c_out),
                nn.Dropout3d(dropout),
            ]
            if height > 1 or width > 1:
                layers.append(nn.MaxPool3d((1, 2, 2), ceil_mode=True))
                height, width = -(-height // 2), -(-width // 2)
            blocks.append(nn.Sequential(*layers))
            c_in = c_out
        self.blocks = nn.Sequential(*blocks)
        self.lstm = nn.LSTM(c_in, lstm_size, batch_first=True)
        self.dense = nn.Sequential(nn.Linear(lstm_size, dense_size), nn.ReLU(inplace=True), nn.Dropout(dropout))
        self.head = nn.Linear(dense_size, n_outputs)

    def forward(self, X):
        x = self.blocks(normalize_frames(X, self.input_norm).permute(0, 4, 1, 2, 3))  # (N, C, T, H, W)
        x = x.mean(dim=(3, 4)).transpose(1, 2)  # (N, T, C)
        out, _ = self.lstm(x)
        return self.head(self.dense(out[:, -1]))


# --------------------------------------------------------------------------- #
# Audio-visual fusion
# --------------------------------------------------------------------------- #
class FusionNet(nn.Module):
    """A video branch (CNN per frame + LSTM) and an audio branch (LSTM), fused.

    ``forward(video, audio)`` takes the two entries of the ``SliceDict`` built
    by :class:`~skemotion.models.ModalityUnion`.

    Parameters
    ----------
    frame_shape : tuple of int
        ``(height, width, channels)`` of the video frames; set by the estimator.
    n_audio_features : int
        Features per audio step; set by the estimator.
    n_outputs : int
        Classes or targets; set by the estimator.
    fusion : {"mid", "late"}, default="mid"
        ``"mid"`` concatenates the branch embeddings and learns a joint dense
        layer; ``"late"`` gives each branch its own head and averages the scores.
    backbone : str, default="simple"
        2-D backbone of the video branch; see :func:`make_backbone`.
    weights : str or os.PathLike, default=None
        Local state-dict file for the video backbone.
    freeze : bool, default=False
        Freeze the video backbone.
    video_hidden_size : int, default=64
        LSTM units of the video branch.
    audio_hidden_size : int, default=64
        LSTM units of the audio branch.
    fusion_size : int, default=64
        Units of the joint dense layer (``fusion="mid"``).
    dropout : float, default=0.0
        Dropout before the head(s).
    input_norm : {"channel", "frame", None}, default="channel"
        How each frame is standardised (see :func:`normalize_frames`);
        ``None`` keeps the ``[0, 1]`` scaling.
    batch_norm : bool, default=True
        Batch normalisation in the ``"simple"`` and ``"quadrant"`` video
        backbones; see :func:`make_backbone`.

    Examples
    --------
    >>> import torch
    >>> from skemotion.models.networks import FusionNet
    >>> net = FusionNet((16, 16, 3), n_audio_features=13, n_outputs=4, video_hidden_size=8,
    ...                 audio_hidden_size=8, fusion_size=8)
    >>> net(video=torch.zeros(2, 3, 16, 16, 3), audio=torch.zeros(2, 20, 13)).shape
    torch.Size([2, 4])
    """

    def __init__(
        self,
        frame_shape,
        n_audio_features,
        n_outputs,
        fusion="mid",
        backbone="simple",
        weights=None,
        freeze=False,
        video_hidden_size=64,
        audio_hidden_size=64,
        fusion_size=64,
        dropout=0.0,
        input_norm="channel",
        batch_norm=True,
    ):
        super().__init__()
        _check_choice("fusion", fusion, ("mid", "late"), type(self).__name__)
        self.fusion = fusion
        self.encoder = FrameEncoder(frame_shape, backbone, weights, freeze, input_norm, batch_norm)
        self.video_lstm = _LSTMBlock(self.encoder.out_features, video_hidden_size, 1, False, 0.0, "last")
        self.audio_lstm = _LSTMBlock(n_audio_features, audio_hidden_size, 1, False, 0.0, "last")
        self.dropout = nn.Dropout(dropout)
        if fusion == "mid":
            self.joint = nn.Sequential(
                nn.Linear(video_hidden_size + audio_hidden_size, fusion_size), nn.ReLU(inplace=True)
            )
            self.head = nn.Linear(fusion_size, n_outputs)
        else:
            self.video_head = nn.Linear(video_hidden_size, n_outputs)
            self.audio_head = nn.Linear(audio_hidden_size, n_outputs)

    def forward(self, video, audio):
        v = self.video_lstm(_encode_clip(self.encoder, video))
        a = self.audio_lstm(audio)
        if self.fusion == "mid":
            return self.head(self.dropout(self.joint(torch.cat([v, a], dim=1))))
        return 0.5 * (self.video_head(self.dropout(v)) + self.audio_head(self.dropout(a)))
