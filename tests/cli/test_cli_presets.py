"""The command's presets: each builds, fits briefly and takes every point of its search space."""

import numpy as np
import optuna
import pytest

from skemotion.cli._presets import PRESETS, build_preset, preset_modality, preset_space

# Tiny settings per preset, so that one epoch on 8 clips takes a few seconds.
TINY = {
    "face-cnn-lstm": {"frames__n_frames": 2, "frames__size": (32, 32), "face__size": 16},
    "face-geometry": {"frames__n_frames": 2, "frames__size": (128, 96)},
    "frame-cnn": {"frames__n_frames": 2, "frames__size": (32, 32)},
    "convlstm": {"frames__n_frames": 2, "frames__size": (32, 32)},
    "audio-lstm": {"audio__duration": 0.5},
    "audio-logreg": {"audio__duration": 0.5},
    "speech-functionals": {"features__n_mels": 16, "features__n_mfcc": 8},
    "fusion": {"union__video__n_frames": 2, "union__video__size": (32, 32), "union__audio__load__duration": 0.5,
               "model__module__video_hidden_size": 8, "model__module__audio_hidden_size": 8},
}


def test_every_preset_has_tiny_settings():
    """Check that the table below covers every preset, so none goes untested."""
    assert set(TINY) == set(PRESETS)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_preset_builds_fits_and_takes_its_space(name, synthetic_corpus):
    """Check that a preset fits and predicts after set_params(a sampled point of its space)."""
    if name == "face-geometry":
        pytest.importorskip("ai_edge_litert.interpreter", reason="face-geometry needs ai-edge-litert")
    space = preset_space(name)
    assert space, name
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    for task in ("classification", "regression"):
        pipe = build_preset(name, task=task, random_state=0)
        task_space = preset_space(name, task)
        assert set(task_space) <= set(pipe.get_params()), set(task_space) - set(pipe.get_params())
        pipe.set_params(**study.ask(task_space).params)
    pipe = build_preset(name, task="classification", random_state=0)
    point = study.ask(space).params
    pipe.set_params(**{**TINY[name], **point})
    if "model__max_epochs" in pipe.get_params():
        pipe.set_params(model__max_epochs=1, model__batch_size=8, model__torch_num_threads=1)
    for key, value in point.items():
        assert pipe.get_params()[key] == value
    X = np.asarray(synthetic_corpus.data[:8], dtype=object)
    y = np.asarray(synthetic_corpus.target_names)[synthetic_corpus.target[:8]]
    pred = pipe.fit(X, y).predict(X)
    assert pred.shape == (8,) and set(pred) <= set(y)


def test_preset_modality():
    """Check what each preset reads: audio presets audio, fusion both tracks, the rest video."""
    assert {n: preset_modality(n) for n in PRESETS} == {
        "face-cnn-lstm": "video", "face-geometry": "video", "frame-cnn": "video", "convlstm": "video",
        "audio-lstm": "audio", "audio-logreg": "audio", "speech-functionals": "audio",
        "fusion": "audiovisual",
    }
