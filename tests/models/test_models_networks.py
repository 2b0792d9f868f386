"""Shapes and details of the pure torch networks and losses."""

import re

import pytest
import torch

from skemotion.models.losses import CCCLoss, concordance_loss
from skemotion.models.networks import (
    BACKBONES,
    C3DLSTMNet,
    ConvLSTMCell,
    ConvLSTMNet,
    FrameEncoder,
    SequenceLSTMNet,
    make_backbone,
)


@pytest.mark.parametrize(
    "name, out",
    [("simple", 128), ("quadrant", 200), ("vgg16", 512), ("resnet18", 512), ("resnet34", 512), ("resnet50", 2048)],
)
def test_backbones_map_frames_to_features(name, out):
    """Check every backbone maps (N, C, H, W) to (N, out_features), gray or RGB."""
    assert name in BACKBONES
    bb = make_backbone(name, 1, 32, 32).eval()
    assert bb.out_features == out
    assert bb(torch.zeros(1, 1, 32, 32)).shape == (1, out)


def test_resnet_and_vgg_use_torchvision_parameter_names():
    """Check the parameter names match torchvision's, so local torchvision weights load."""
    keys = set(make_backbone("resnet18", 3, 32, 32).state_dict())
    assert {"conv1.weight", "bn1.running_mean", "layer1.0.conv1.weight", "layer4.1.bn2.weight"} <= keys
    assert "layer2.0.downsample.0.weight" in keys
    keys = set(make_backbone("vgg16", 3, 32, 32).state_dict())
    assert {"features.0.weight", "features.28.weight"} <= keys


def test_unknown_backbone_and_even_kernel_are_refused():
    """Check the network-level errors name the parameter."""
    msg = "The 'backbone' parameter of make_backbone must be a str among {'simple', 'quadrant',"
    with pytest.raises(ValueError, match=re.escape(msg)):
        make_backbone("alexnet", 3, 32, 32)
    msg = "The 'kernel_size' parameter of ConvLSTMCell must be odd. Got 2 instead."
    with pytest.raises(ValueError, match=re.escape(msg)):
        ConvLSTMCell(3, 4, (8, 8), kernel_size=2)


def test_frozen_encoder_keeps_backbone_in_eval_mode():
    """Check freeze=True fixes the backbone's parameters and batch-norm statistics."""
    enc = FrameEncoder((16, 16, 3), backbone="resnet18", freeze=True).train()
    assert not any(p.requires_grad for p in enc.backbone.parameters())
    assert not enc.backbone.training


@pytest.mark.parametrize("pooling", ["last", "mean", "attention"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_sequence_pooling_variants(pooling, bidirectional):
    """Check every pooling with uni- and bidirectional LSTMs gives (N, n_outputs)."""
    net = SequenceLSTMNet(4, 3, hidden_size=5, num_layers=2, bidirectional=bidirectional, pooling=pooling)
    assert net(torch.zeros(2, 7, 4)).shape == (2, 3)


def test_bidirectional_last_pooling_reads_both_directions():
    """Check 'last' pooling of a bidirectional LSTM sees the first step through the backward pass."""
    torch.manual_seed(0)
    net = SequenceLSTMNet(2, 1, hidden_size=3, bidirectional=True).eval()
    x = torch.zeros(1, 5, 2)
    y = x.clone()
    y[0, 0] = 5.0  # change only the first step
    assert not torch.allclose(net(x), net(y))


@pytest.mark.parametrize("n_blocks", [5, 6, 7])
def test_c3dlstm_variants(n_blocks):
    """Check the 5/6/7-block C3D-LSTM variants run on small clips and keep time for the LSTM."""
    net = C3DLSTMNet((16, 16, 3), 4, n_blocks=n_blocks, base_filters=2)
    assert len(net.blocks) == n_blocks
    assert net(torch.zeros(2, 4, 16, 16, 3)).shape == (2, 4)


def test_convlstm_cell_is_recurrent_with_peepholes():
    """Check the ConvLSTM cell carries state and has per-position peephole weights."""
    cell = ConvLSTMCell(1, 2, (4, 4))
    assert cell.w_ci.shape == (1, 2, 4, 4)
    h1, c1 = cell(torch.ones(1, 1, 4, 4))
    h2, _ = cell(torch.ones(1, 1, 4, 4), (h1, c1))
    assert not torch.allclose(h1, h2)
    assert ConvLSTMNet((8, 8, 1), 2, hidden_channels=2)(torch.zeros(1, 3, 8, 8, 1)).shape == (1, 2)


def test_ccc_loss_values():
    """Check 1 - CCC is 0 for perfect agreement, penalises bias, and averages outputs."""
    y = torch.tensor([[0.0, 1.0], [1.0, 2.0], [2.0, 4.0]])
    assert float(CCCLoss()(y, y)) == pytest.approx(0.0, abs=1e-6)
    shifted = float(concordance_loss(y + 1.0, y))
    assert shifted > 0.3  # Pearson would be 1 here
    assert float(concordance_loss(torch.ones(4), torch.arange(4.0))) == pytest.approx(1.0)
    msg = "CCC loss needs predictions and targets of the same shape; got (3, 2) and (3, 1)."
    with pytest.raises(ValueError, match=re.escape(msg)):
        concordance_loss(y, y[:, :1])
