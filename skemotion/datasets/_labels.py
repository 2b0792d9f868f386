"""A shared emotion vocabulary and :func:`map_labels` for cross-corpus evaluation.

Every categorical loader (RAVDESS, CREMA-D, DFEW, FER2013) reports its labels
in one canonical vocabulary, so that a model trained on one corpus can be
scored on another once the classes missing from either side are dropped
explicitly with :func:`map_labels`.
"""

import numbers

import numpy as np

__all__ = ["map_labels"]

#: The canonical emotion names shared by all loaders, in a fixed order.
EMOTIONS = (
    "neutral",
    "calm",
    "happy",
    "sad",
    "angry",
    "fearful",
    "disgust",
    "surprised",
    "contempt",
)

# Common spellings -> canonical name (matched case-insensitively).
_SYNONYMS = {
    "anger": "angry",
    "happiness": "happy",
    "joy": "happy",
    "sadness": "sad",
    "fear": "fearful",
    "disgusted": "disgust",
    "surprise": "surprised",
    "contemptuous": "contempt",
}

# Per corpus: its classes in the corpus's own order (the order of `target_names`)
# and its native codes -> canonical names (codes as they appear in the distribution).
CORPORA = {
    "ravdess": {
        "classes": ("neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"),
        "codes": {
            "01": "neutral",
            "02": "calm",
            "03": "happy",
            "04": "sad",
            "05": "angry",
            "06": "fearful",
            "07": "disgust",
            "08": "surprised",
        },
    },
    "crema-d": {
        "classes": ("angry", "disgust", "fearful", "happy", "neutral", "sad"),
        "codes": {
            "ANG": "angry",
            "DIS": "disgust",
            "FEA": "fearful",
            "HAP": "happy",
            "NEU": "neutral",
            "SAD": "sad",
        },
    },
    "dfew": {
        "classes": ("happy", "sad", "neutral", "angry", "surprised", "disgust", "fearful"),
        "codes": {
            "1": "happy",
            "2": "sad",
            "3": "neutral",
            "4": "angry",
            "5": "surprised",
            "6": "disgust",
            "7": "fearful",
        },
    },
    "fer2013": {
        "classes": ("angry", "disgust", "fearful", "happy", "sad", "surprised", "neutral"),
        "codes": {
            "0": "angry",
            "1": "disgust",
            "2": "fearful",
            "3": "happy",
            "4": "sad",
            "5": "surprised",
            "6": "neutral",
        },
    },
}


def _canonical(label):
    """Canonical name of a label written in any known spelling, else None."""
    key = str(label).strip().lower()
    if key in EMOTIONS:
        return key
    return _SYNONYMS.get(key)


def _check_corpus(name, param):
    if not isinstance(name, str) or name.lower() not in CORPORA:
        raise ValueError(
            f"The {param!r} parameter of map_labels must be a str among "
            f"{sorted(CORPORA)}{' or an iterable of labels' if param == 'target' else ''} "
            f"or None. Got {name!r} instead."
        )
    return CORPORA[name.lower()]


def _normalise(labels, source):
    """Map every label to the canonical vocabulary; raise listing the unknown ones."""
    if source is not None:
        spec = _check_corpus(source, "source")
        lookup = {code.lower(): name for code, name in spec["codes"].items()}
        allowed = set(spec["classes"])
    out = np.empty(len(labels), dtype=object)
    unknown = []
    for i, label in enumerate(labels):
        name = _canonical(label)
        if source is not None:
            if name is None:
                name = lookup.get(str(label).strip().lower())
            if name not in allowed:
                name = None
        if name is None:
            unknown.append(label)
        out[i] = name
    if unknown:
        where = f"the {source!r} vocabulary {list(CORPORA[source.lower()]['classes'])}" if (
            source is not None
        ) else f"the canonical vocabulary {list(EMOTIONS)} or its synonyms"
        raise ValueError(
            f"map_labels got labels outside {where}: {sorted(set(map(str, unknown)))}. "
            "Pass mapping={label: new_label_or_None} to handle them explicitly."
        )
    return out


def map_labels(y, *, source=None, target=None, mapping=None):
    """Align emotion labels across corpora and say which samples to keep.

    Labels are first brought into the canonical vocabulary shared by the
    loaders (``"neutral"``, ``"calm"``, ``"happy"``, ``"sad"``, ``"angry"``,
    ``"fearful"``, ``"disgust"``, ``"surprised"``, ``"contempt"``), optionally
    renamed or dropped through ``mapping``, then checked against the label set
    of ``target``. Samples whose class does not exist in the target corpus are
    not removed here: the returned mask says which ones to keep, so that the
    caller drops them explicitly (e.g. RAVDESS's *calm* and *surprised* when a
    model trained on CREMA-D's six classes is evaluated on RAVDESS).

    Parameters
    ----------
    y : array-like of str of shape (n_samples,)
        Labels as names (``"angry"``, ``"anger"``, ``"Fear"``…) or, when
        ``source`` is given, as that corpus's native codes (RAVDESS ``"05"``,
        CREMA-D ``"ANG"``, DFEW ``"4"``, FER2013 ``"0"``). Integer class
        indices are refused because their meaning depends on the corpus: pass
        ``bunch.target_names[bunch.target]``.
    source : {"ravdess", "crema-d", "dfew", "fer2013"} or None, default=None
        Corpus the labels come from. Enables its native codes and rejects
        labels that corpus does not have.
    target : {"ravdess", "crema-d", "dfew", "fer2013"}, iterable of str or None, default=None
        Label set to keep: a corpus name (its classes) or explicit labels.
        ``None`` keeps every mapped label.
    mapping : dict or None, default=None
        Applied after normalisation: ``{label: new_label}`` renames or merges
        classes (``{"calm": "neutral"}``) and ``{label: None}`` drops one.
        Keys are normalised like ``y``; values are kept as given so that new
        groupings (``{"angry": "negative"}``) are possible.

    Returns
    -------
    y_mapped : ndarray of object of shape (n_samples,)
        The mapped label of each sample, in input order, and ``None`` where the
        sample is not kept.
    keep : ndarray of bool of shape (n_samples,)
        ``True`` where the mapped label belongs to ``target`` (and was not
        dropped by ``mapping``).

    Raises
    ------
    ValueError
        If a label is unknown to ``source`` (or to the canonical vocabulary),
        naming the offending labels, or if ``source``/``target`` is not a
        known corpus.
    TypeError
        If ``y`` holds numbers instead of label strings.

    See Also
    --------
    load_ravdess, load_crema_d, load_dfew, load_fer2013

    Examples
    --------
    Train on CREMA-D's six classes, evaluate on RAVDESS without *calm* and
    *surprised*:

    >>> from skemotion.datasets import map_labels
    >>> y_ravdess = ["angry", "calm", "happy", "surprised", "fearful"]
    >>> y, keep = map_labels(y_ravdess, source="ravdess", target="crema-d")
    >>> keep
    array([ True, False,  True, False,  True])
    >>> y[keep]
    array(['angry', 'happy', 'fearful'], dtype=object)

    Native codes and merged classes:

    >>> map_labels(["ANG", "NEU"], source="crema-d")[0]
    array(['angry', 'neutral'], dtype=object)
    >>> map_labels(["calm", "neutral", "sad"], target=["neutral", "sad"],
    ...            mapping={"calm": "neutral"})[1]
    array([ True,  True,  True])
    """
    if isinstance(y, str):
        raise TypeError("map_labels expects an array-like of label strings, got a single str.")
    labels = list(np.asarray(y, dtype=object).ravel()) if np.ndim(y) else None
    if labels is None:
        raise TypeError(f"map_labels expects an array-like of label strings; got {y!r}.")
    numeric = [lab for lab in labels if isinstance(lab, numbers.Number)]
    if numeric:
        raise TypeError(
            "map_labels expects label strings, got numbers (e.g. "
            f"{numeric[0]!r}); integer targets depend on the corpus: pass "
            "bunch.target_names[bunch.target] instead."
        )
    if mapping is not None and not isinstance(mapping, dict):
        raise ValueError(
            "The 'mapping' parameter of map_labels must be a dict or None. "
            f"Got {mapping!r} instead."
        )

    mapped = _normalise(labels, source)

    if mapping:
        renames = {}
        for key, value in mapping.items():
            name = _canonical(key)
            if name is None and source is not None:
                name = {c.lower(): n for c, n in CORPORA[source.lower()]["codes"].items()}.get(
                    str(key).strip().lower()
                )
            renames[name if name is not None else key] = value
        mapped = np.array([renames.get(lab, lab) for lab in mapped], dtype=object)

    if target is None:
        allowed = None
    elif isinstance(target, str):
        allowed = set(_check_corpus(target, "target")["classes"])
    else:
        allowed = set()
        for lab in target:
            name = _canonical(lab)
            allowed.add(name if name is not None else lab)

    keep = np.array(
        [lab is not None and (allowed is None or lab in allowed) for lab in mapped], dtype=bool
    )
    mapped[~keep] = None
    return mapped, keep
