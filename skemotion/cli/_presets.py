"""Named pipelines of the ``skemotion`` command, mirroring the examples.

Each preset builds a fresh Pipeline for a task ("classification" or
"regression") and gives an Optuna search space over its parameters. Settings
are small so that the default evaluation runs in about a minute on 2 CPU cores;
``scale="full"`` gives the published sizes.
"""

__all__ = ["PRESETS", "DEFAULT_PRESETS", "build_preset", "modality_mismatch", "preset_modality",
           "preset_space"]

PRESETS = {
    "speech-functionals": "audio -> silence trimmed -> paralinguistic functionals (MFCC, log-mel, "
    "spectral shape, energy, f0, HNR, jitter, shimmer) -> linear SVM (recommended for speech)",
    "face-cnn-lstm": "frames -> face crop (aligned on landmarks when LiteRT is installed) -> CNN-LSTM "
    "(masked-face CNN-LSTM of the CREMA-D/RAVDESS study)",
    "face-geometry": "frames -> Face Mesh landmarks -> pose-invariant distances and angles pooled "
    "per clip -> linear SVM (a classic geometric baseline; needs LiteRT)",
    "frame-cnn": "frames -> custom CNN per frame, pooled over time (EEV custom CNN)",
    "convlstm": "frames -> stacked convolutional LSTM cells (EEV Conv-LSTM)",
    "audio-lstm": "audio -> silence trimmed, centre crop -> Hamming-window spectral and pitch sequences -> bidirectional LSTM (Hindi-video study)",
    "audio-logreg": "audio -> silence trimmed -> pooled Hamming-window spectral statistics -> logistic regression",
    "fusion": "frames + log-mel spectrogram -> two-branch fusion network",
}


#: The preset ``skemotion evaluate`` / ``search`` use without ``--preset``, by ``--modality``.
DEFAULT_PRESETS = {None: "face-cnn-lstm", "video": "face-cnn-lstm", "audiovisual": "face-cnn-lstm",
                   "audio": "speech-functionals"}

#: The speech front end of the audio presets: 16 kHz, silence 40 dB below the loudest frame
#: trimmed at both ends (RAVDESS clips open with about a second of it).
_SR = 16000
_TRIM_DB = 40.0


def preset_modality(name):
    """What the preset reads from each file: "audio", "video" or "audiovisual" (both tracks)."""
    if name.startswith(("audio", "speech")):
        return "audio"
    return "audiovisual" if name == "fusion" else "video"


_TRACKS = {"audio": {"audio"}, "video": {"video"}, "audiovisual": {"audio", "video"}}
_WORDS = {"audio": "audio-only files", "video": "video-only files",
          "audiovisual": "audio-visual files"}


def modality_mismatch(name, modality):
    """Why preset ``name`` cannot run on ``modality`` files, in one sentence; None if it can.

    A preset reads the tracks :func:`preset_modality` names; ``--modality`` says which
    files a corpus gives (RAVDESS: 03-* audio, 02-* video without sound, 01-* both). A
    video preset on audio files would fail on every file, so the command refuses it
    before loading anything.

    Examples
    --------
    >>> from skemotion.cli._presets import modality_mismatch
    >>> modality_mismatch("audio-lstm", "audiovisual") is None
    True
    >>> print(modality_mismatch("face-cnn-lstm", "audio"))
    --preset face-cnn-lstm reads video frames, but --modality audio gives audio-only files: choose --preset speech-functionals or audio-lstm or audio-logreg, or --modality video or audiovisual.
    """
    reads = preset_modality(name)
    if _TRACKS[reads] <= _TRACKS[modality]:
        return None
    fitting = [p for p in PRESETS if _TRACKS[preset_modality(p)] <= _TRACKS[modality]]
    modalities = [m for m in _TRACKS if _TRACKS[reads] <= _TRACKS[m]]
    what = {"audio": "audio", "video": "video frames", "audiovisual": "audio and video frames"}
    return (f"--preset {name} reads {what[reads]}, but --modality {modality} gives "
            f"{_WORDS[modality]}: choose --preset {' or '.join(fitting)}, or --modality "
            f"{' or '.join(modalities)}.")


def _frames(scale):
    from ..video import FrameSampler

    return FrameSampler(n_frames=8 if scale == "small" else 16, size=(64, 64) if scale == "small" else (112, 112))


def _net_kwargs(task, scale, random_state):
    # batch 8 for 30 epochs: 180 steps on 48 training clips. Measured on the main job (face
    # CNN-LSTM, unseen actors): 0.938; batch 16, 25 epochs at lr 2e-3 gave 0.734 once the
    # backbone had batch norm.
    return {"max_epochs": 30 if scale == "small" else 50, "lr": 1e-3,
            "batch_size": 8 if scale == "small" else 16,
            "random_state": random_state, "device": "auto"}


def _model(kind, task, scale, random_state):
    from .. import models

    suffix = "Classifier" if task == "classification" else "Regressor"
    cls = getattr(models, f"{kind}{suffix}")
    kwargs = _net_kwargs(task, scale, random_state)
    if kind == "CNNLSTM":
        kwargs["module__hidden_size"] = 32 if scale == "small" else 128
    if kind == "SequenceLSTM":
        # bidirectional, read at both ends, L2 decay: 0.96 on unseen actors of the synthetic
        # corpus against 0.88 for one direction with attention (docs, models guide); on real
        # speech (RAVDESS, GroupKFold(4)) 0.388, below speech-functionals' 0.504
        # (benchmarks/bench_speech_ravdess.py)
        kwargs.update(module__hidden_size=40 if scale == "small" else 120,
                      module__bidirectional=True, module__pooling="last",
                      optimizer__weight_decay=1e-3, max_epochs=60, lr=3e-3)
    return cls(**kwargs)


def _face_alignment():
    """FaceCropper settings: eyes levelled on MediaPipe landmarks when LiteRT is installed.

    The study's faces were aligned by OpenFace; without the runtime (``pip install
    skemotion[blazeface]``) the crop follows the Haar detector's box.
    """
    from ..face import has_litert

    return {"detector": "blazeface", "align": True} if has_litert() else {}


def build_preset(name, *, task="classification", scale="small", random_state=0):
    """Return a fresh Pipeline for preset ``name``."""
    from sklearn.pipeline import Pipeline

    if name not in PRESETS:
        raise KeyError(name)
    if name == "face-geometry":
        return _face_geometry(task, scale)
    if name in ("face-cnn-lstm", "frame-cnn", "convlstm"):
        from ..face import FaceCropper

        kind = {"face-cnn-lstm": "CNNLSTM", "frame-cnn": "FrameCNN", "convlstm": "ConvLSTM"}[name]
        steps = [("frames", _frames(scale))]
        if name == "face-cnn-lstm":
            steps.append(("face", FaceCropper(size=32 if scale == "small" else 112, margin=0.2,
                                              on_no_face="center", **_face_alignment())))
        steps.append(("model", _model(kind, task, scale, random_state)))
        return Pipeline(steps)
    from ..audio import AudioLoader, SequenceScaler, SpectralFeatures

    sr = _SR
    spectral = ("mfcc", "centroid", "bandwidth", "rolloff", "flatness", "zcr", "rms", "f0", "voicing")
    if name == "speech-functionals":
        return _speech_functionals(task)
    if name == "audio-lstm":
        # the middle of the speech: RAVDESS utterances last 1.5-3 s once trimmed
        return Pipeline([
            ("audio", AudioLoader(sr=sr, duration=1.5 if scale == "small" else 3.0,
                                  trim_db=_TRIM_DB, crop="center")),
            ("features", SpectralFeatures(sr=sr, features=spectral, pool=None, n_fft=512,
                                          hop_length=256, n_mfcc=13)),
            ("scale", SequenceScaler()),
            ("model", _model("SequenceLSTM", task, scale, random_state)),
        ])
    if name == "audio-logreg":
        from sklearn.linear_model import LogisticRegression, Ridge
        from sklearn.preprocessing import StandardScaler

        final = LogisticRegression(max_iter=2000) if task == "classification" else Ridge()
        return Pipeline([
            ("audio", AudioLoader(sr=sr, trim_db=_TRIM_DB, duration="variable")),
            # pitch relative to the clip: +5 to +8 points on unseen actors (docs, audio guide)
            ("features", SpectralFeatures(sr=sr, n_fft=512, hop_length=256, features=spectral)),
            ("scale", StandardScaler()),
            ("model", final),
        ])
    # fusion: FusionNet's audio branch is an LSTM over (n_steps, n_features) sequences,
    # here the log-mel spectrogram read frame by frame.
    from ..models import ModalityUnion

    union = ModalityUnion(
        video=_frames(scale),
        audio=Pipeline([("load", AudioLoader(sr=sr, duration=1.0 if scale == "small" else 3.0)),
                        ("logmel", SpectralFeatures(sr=sr, features=("mel",), pool=None, n_fft=512,
                                                    hop_length=256, n_mels=32))]),
    )
    return Pipeline([("union", union), ("model", _model("Fusion", task, scale, random_state))])


def _face_geometry(task, scale):
    """Landmark geometry of the face, pooled per clip, and a linear model.

    Frames keep their aspect (letterboxed): stretching them would change the very
    distances and angles measured. 0.95-0.97 on unseen actors of the synthetic corpus
    (GroupKFold(4), C from 0.01 to 1); that corpus only shows the mechanics work.
    """
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC

    from ..face import FaceLandmarker, LandmarkFeatures
    from ..video import FrameSampler

    final = LinearSVC(C=0.1) if task == "classification" else Ridge(alpha=10.0)
    return Pipeline([
        ("frames", FrameSampler(n_frames=8 if scale == "small" else 16, size=(320, 240),
                                keep_aspect=True)),
        # a clip without any face gets the training mean, with a FaceWarning naming it
        ("landmarks", FaceLandmarker(on_no_face="nan")),
        ("features", LandmarkFeatures(on_empty="nan")),
        ("impute", SimpleImputer()),
        ("scale", StandardScaler()),
        ("model", final),
    ])


def _speech_functionals(task):
    """The recommended speech pipeline: functionals of paralinguistic descriptors, linear model.

    25 ms Hamming windows every 10 ms (400 samples at 16 kHz, in a 512-point
    FFT), 40 log-mel bands and 20 MFCCs with deltas, spectral shape, energy and
    the voice features, each summarised by 15 functionals: 1470 columns. A
    linear SVM with strong regularisation (C=3e-4, as the ComParE baselines use
    1e-4 to 1e-3) on standardised columns. On RAVDESS speech (actors 09-24,
    GroupKFold(4)) it scored 0.504 accuracy against 0.487 for openSMILE's ComParE_2016 +
    LinearSVC (benchmarks/bench_speech_ravdess.py); C from 1e-4 to 1e-3 gave 0.49-0.50.
    """
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC

    from ..audio import AudioLoader, SpectralFeatures

    features = ("mel", "mfcc", "centroid", "bandwidth", "rolloff", "flatness", "contrast", "flux",
                "zcr", "log_energy", "f0", "hnr", "jitter", "shimmer", "voicing")
    final = LinearSVC(C=3e-4) if task == "classification" else Ridge(alpha=1e3)
    return Pipeline([
        ("audio", AudioLoader(sr=_SR, trim_db=_TRIM_DB, duration="variable")),
        ("features", SpectralFeatures(sr=_SR, n_fft=512, win_length=400, hop_length=160,
                                      n_mels=40, n_mfcc=20, delta_order=1, delta_width=5,
                                      n_bands=5, features=features, pool="functionals")),
        ("scale", StandardScaler()),
        ("model", final),
    ])


def preset_space(name, task="classification"):
    """Optuna distributions over the preset's parameters (Pipeline parameter names) for ``task``."""
    from optuna.distributions import CategoricalDistribution, FloatDistribution

    lr = {"model__lr": FloatDistribution(1e-4, 1e-2, log=True)}
    if name == "face-cnn-lstm":
        return {**lr, "model__module__hidden_size": CategoricalDistribution([16, 32, 64]),
                "face__margin": FloatDistribution(0.0, 0.4)}
    if name == "audio-lstm":
        return {**lr, "model__module__hidden_size": CategoricalDistribution([40, 80, 120])}
    if name == "face-geometry":
        model = ({"model__alpha": FloatDistribution(1e-1, 1e3, log=True)} if task == "regression"
                 else {"model__C": FloatDistribution(1e-3, 1e1, log=True)})
        # Optuna's storages keep only scalar choices, so the pooling is not searched
        return {**model, "landmarks__min_presence": FloatDistribution(0.5, 0.9)}
    if name == "speech-functionals":  # LinearSVC's C, or Ridge's alpha; the silence threshold
        model = ({"model__alpha": FloatDistribution(1e0, 1e5, log=True)} if task == "regression"
                 else {"model__C": FloatDistribution(1e-5, 1e-2, log=True)})
        return {**model, "audio__trim_db": CategoricalDistribution([30.0, 40.0, 50.0])}
    if name == "audio-logreg":  # LogisticRegression's C, or Ridge's alpha for regression
        if task == "regression":
            return {"model__alpha": FloatDistribution(1e-3, 1e3, log=True)}
        return {"model__C": FloatDistribution(1e-3, 1e2, log=True)}
    if name == "frame-cnn":
        return {**lr, "frames__n_frames": CategoricalDistribution([4, 8])}
    return lr
