"""The 2-D frame backbones: small CNNs written here, VGG-16 and ResNets as torchvision has them.

torchvision is not a dependency, so VGG-16 and the ResNets are written here with
torchvision's parameter names, and a local torchvision state dict loads through
``weights=``. Nothing is ever downloaded. :func:`make_backbone` is public through
:mod:`skemotion.models.networks`.
"""

import os

import torch
from torch import nn

__all__ = ["BACKBONES", "make_backbone"]

BACKBONES = ("simple", "quadrant", "vgg16", "resnet18", "resnet34", "resnet50")


def _check_choice(name, value, options, owner):
    if value not in options:
        raise ValueError(
            f"The {name!r} parameter of {owner} must be a str among "
            f"{{{', '.join(repr(o) for o in options)}}}. Got {value!r} instead."
        )


def _conv_block(in_channels, out_channels, batch_norm, pool=True):
    """conv 3x3 -> [BatchNorm] -> ReLU -> [2x2 max pooling]."""
    layers = [nn.Conv2d(in_channels, out_channels, 3, padding=1)]
    if batch_norm:
        layers.append(nn.BatchNorm2d(out_channels))
    layers.append(nn.ReLU(inplace=True))
    if pool:
        layers.append(nn.MaxPool2d(2, ceil_mode=True))
    return layers


class _SimpleCNN(nn.Module):
    """conv 32 -> pool -> conv 64 -> pool -> dense 128 (the EEV study's custom CNN)."""

    def __init__(self, in_channels, height, width, batch_norm=True):
        super().__init__()
        self.features = nn.Sequential(
            *_conv_block(in_channels, 32, batch_norm), *_conv_block(32, 64, batch_norm)
        )
        h, w = -(-height // 4), -(-width // 4)  # two ceil-mode 2x2 poolings: ceil(ceil(x/2)/2)
        self.dense = nn.Sequential(nn.Flatten(), nn.Linear(64 * h * w, 128), nn.ReLU(inplace=True))
        self.out_features = 128

    def forward(self, x):
        return self.dense(self.features(x))


class _QuadrantCNN(nn.Module):
    """conv 64/128/256, 2x2 max pooling twice, quadrant pooling, dense 200.

    Quadrant pooling max-pools each quarter of the last feature map, keeping
    coarse spatial layout (which half of the face moved) in 4 x 256 features.
    """

    def __init__(self, in_channels, batch_norm=True):
        super().__init__()
        self.features = nn.Sequential(
            *_conv_block(in_channels, 64, batch_norm),
            *_conv_block(64, 128, batch_norm),
            *_conv_block(128, 256, batch_norm, pool=False),
        )
        self.quadrant_pool = nn.AdaptiveMaxPool2d(2)
        self.dense = nn.Sequential(nn.Flatten(), nn.Linear(4 * 256, 200), nn.ReLU(inplace=True))
        self.out_features = 200

    def forward(self, x):
        return self.dense(self.quadrant_pool(self.features(x)))


class _VGG16(nn.Module):
    """VGG-16 convolutional part, torchvision names (``features.N.*``), global average pool."""

    _CFG = (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M")

    def __init__(self, in_channels):
        super().__init__()
        layers = []
        channels = in_channels
        for v in self._CFG:
            if v == "M":
                layers.append(nn.MaxPool2d(2, ceil_mode=True))
            else:
                layers += [nn.Conv2d(channels, v, 3, padding=1), nn.ReLU(inplace=True)]
                channels = v
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.out_features = 512

    def forward(self, x):
        return torch.flatten(self.avgpool(self.features(x)), 1)


class _BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class _Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)


class _ResNet(nn.Module):
    """ResNet without its classifier, torchvision parameter names."""

    _SPECS = {
        "resnet18": (_BasicBlock, (2, 2, 2, 2)),
        "resnet34": (_BasicBlock, (3, 4, 6, 3)),
        "resnet50": (_Bottleneck, (3, 4, 6, 3)),
    }

    def __init__(self, name, in_channels):
        super().__init__()
        block, layers = self._SPECS[name]
        self.inplanes = 64
        self.conv1 = nn.Conv2d(in_channels, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = self._make_layer(block, 64, layers[0])
        self.layer2 = self._make_layer(block, 128, layers[1], stride=2)
        self.layer3 = self._make_layer(block, 256, layers[2], stride=2)
        self.layer4 = self._make_layer(block, 512, layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.out_features = 512 * block.expansion
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def _make_layer(self, block, planes, blocks, stride=1):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(
                nn.Conv2d(self.inplanes, planes * block.expansion, 1, stride, bias=False),
                nn.BatchNorm2d(planes * block.expansion),
            )
        layers = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return torch.flatten(self.avgpool(x), 1)


# keys of a full torchvision / skemotion state dict that belong to a classifier head
_HEAD_PREFIXES = ("fc.", "classifier.")


def _load_weights(backbone, weights, name):
    path = os.fspath(weights)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"Backbone weights file not found: {path!r}.")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001 - torch raises many kinds here
        raise ValueError(
            f"Could not read backbone weights from {path!r}: expected a state dict saved "
            f"with torch.save ({type(exc).__name__}: {exc})."
        ) from exc
    if isinstance(state, dict) and "state_dict" in state and isinstance(state["state_dict"], dict):
        state = state["state_dict"]
    if not isinstance(state, dict):
        raise ValueError(
            f"Could not read backbone weights from {path!r}: expected a state dict "
            f"(a mapping of parameter names to tensors); got {type(state).__name__}."
        )
    state = {k: v for k, v in state.items() if not k.startswith(_HEAD_PREFIXES)}
    try:
        backbone.load_state_dict(state, strict=True)
    except RuntimeError as exc:
        raise ValueError(
            f"The weights in {path!r} do not fit the {name!r} backbone: {exc}"
        ) from exc


def make_backbone(name, in_channels, height, width, weights=None, batch_norm=True):
    """Build a 2-D backbone that maps ``(N, C, H, W)`` to ``(N, out_features)``.

    Parameters
    ----------
    name : {"simple", "quadrant", "vgg16", "resnet18", "resnet34", "resnet50"}
        Architecture. ``"simple"`` is conv 32 -> pool -> conv 64 -> pool ->
        dense 128; ``"quadrant"`` is conv 64/128/256 with 2x2 max pooling
        after the first two and quadrant pooling after the third, then dense
        200; the others follow torchvision's layouts and parameter names.
    in_channels : int
        Input channels (3 for RGB, 1 for gray).
    height, width : int
        Frame size (used by ``"simple"``'s dense layer).
    weights : str or os.PathLike, default=None
        Local file with a state dict for the backbone (``torch.save``); keys of
        a classifier head (``fc.*``, ``classifier.*``) are ignored, so a
        torchvision checkpoint loads as is. Nothing is downloaded.
    batch_norm : bool, default=True
        Batch normalisation after every convolution of ``"simple"`` and
        ``"quadrant"`` (measured: steadier training and higher accuracy on
        unseen actors, see the models guide); ``False`` gives the layers
        exactly as published. VGG-16 and the ResNets keep torchvision's
        layouts whatever this says, so their checkpoints load.

    Returns
    -------
    backbone : torch.nn.Module
        With an ``out_features`` attribute.

    Examples
    --------
    >>> import torch
    >>> from skemotion.models.networks import make_backbone
    >>> bb = make_backbone("simple", 3, 32, 32)
    >>> bb(torch.zeros(2, 3, 32, 32)).shape
    torch.Size([2, 128])
    """
    _check_choice("backbone", name, BACKBONES, "make_backbone")
    if name == "simple":
        backbone = _SimpleCNN(in_channels, height, width, batch_norm)
    elif name == "quadrant":
        backbone = _QuadrantCNN(in_channels, batch_norm)
    elif name == "vgg16":
        backbone = _VGG16(in_channels)
    else:
        backbone = _ResNet(name, in_channels)
    if weights is not None:
        _load_weights(backbone, weights, name)
    return backbone
