"""Learned sentence classifier for PLOVER event types (runtime side).

The shipped artefact is a fine-tuned MiniLM-L6 encoder exported to ONNX and
quantised to int8, so inference needs only onnxruntime and tokenizers: torch is
a training-time dependency, never imported here. The artefact lives in
``eventwire/data/models/plover-v2`` (a PLOVER head and a CAMEO five-class head on one
encoder) and is built by ``scripts/train_classifier.py``; an artefact without the
five-class head still loads, with ``penta`` None.

Each layer's input is quantised per row (one token of one sentence, see
``scripts/quantise_rows.py``), so a sentence's scores do not depend on the batch it
is scored in: sentences are scored in padded batches of similar length.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from eventwire.data import DATA_DIR
from eventwire.records.errors import ErrorCode, EventwireError

DEFAULT_MODEL_DIR = DATA_DIR / "models" / "plover-v2"
REQUIRED_FILES = ("model.onnx", "tokenizer.json", "labels.json")
DEFAULT_BATCH_SIZE = 16
"""Sentences per model call; measured fastest on 2 cores (about 1.6 times batch 1)."""


@dataclass(frozen=True)
class Prediction:
    """One sentence's label; ``scores`` keeps every class so callers can set their own cut-off."""

    plover: str
    confidence: float
    scores: dict[str, float]
    penta: int | None
    penta_confidence: float | None = None


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return np.asarray(exp / exp.sum(axis=-1, keepdims=True))


def int8_session(path: Path, threads: int) -> Any:
    """An onnxruntime session for an artefact quantised per sentence (``quantise_rows.py``)."""
    # telemetry off before the first import (the package sets it too; this keeps it so
    # for a caller that imported this module in some other way)
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = max(1, threads)
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    # the extended fusions (MatMulIntegerToFloat) assume one activation scale per tensor
    # and miscompute the per-row scales of the artefact
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def missing_files(model_dir: Path) -> list[str]:
    """Files of an artefact that are absent, so callers can explain what is wrong."""
    return [name for name in REQUIRED_FILES if not (model_dir / name).is_file()]


class SentenceClassifier:
    """Assigns a PLOVER event type (and a five-class CAMEO group, if trained) to sentences."""

    def __init__(self, model_dir: Path | None = None, threads: int = 1) -> None:
        directory = Path(model_dir) if model_dir is not None else DEFAULT_MODEL_DIR
        missing = missing_files(directory)
        if missing:
            raise EventwireError(ErrorCode.E021_NO_ARTEFACT,
                                 f"{directory} lacks {', '.join(missing)}")
        from tokenizers import Tokenizer

        meta: dict[str, Any] = json.loads((directory / "labels.json").read_text("utf-8"))
        self.model_dir = directory
        self.plover_labels: list[str] = list(meta["plover"])
        self.penta_labels: list[str] | None = meta.get("penta") or None
        self.version: str = str(meta.get("version", directory.name))
        self.max_length = int(meta.get("max_length", 128))

        self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=self.max_length)
        self._tokenizer.no_padding()

        self._session = int8_session(directory / "model.onnx", threads)
        self._inputs = {i.name for i in self._session.get_inputs()}
        outputs = {o.name for o in self._session.get_outputs()}
        if self.penta_labels and "penta_logits" not in outputs:
            raise EventwireError(ErrorCode.E021_NO_ARTEFACT,
                                 f"{directory}/labels.json names a five-class head that "
                                 "model.onnx lacks")
        # labels.json decides whether the five-class head is read: an artefact without
        # group names has no trustworthy penta output.
        self._outputs = ["plover_logits"] + (["penta_logits"] if self.penta_labels else [])
        self._memory: dict[str, Prediction] = {}

    @property
    def has_penta(self) -> bool:
        """Whether predictions carry a CAMEO five-class group (0 statement/appeal .. 4 material
        conflict)."""
        return bool(self.penta_labels)

    def _run(self, encodings: list[Any]) -> tuple[np.ndarray, np.ndarray | None]:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        results = self._session.run(self._outputs, feed)
        named = dict(zip(self._outputs, results, strict=True))
        penta = named.get("penta_logits")
        return np.asarray(named["plover_logits"]), (None if penta is None else np.asarray(penta))

    def remember(self, sentences: Sequence[str]) -> None:
        """Score sentences now, all in padded batches, so that later ``predict`` calls for
        them are look-ups: the pipeline scores the candidates of many articles at once."""
        new = [s for s in dict.fromkeys(sentences) if s not in self._memory]
        self._memory.update(zip(new, self._score(new, DEFAULT_BATCH_SIZE), strict=True))

    def forget(self) -> None:
        """Drop the remembered scores (after a batch of articles)."""
        self._memory.clear()

    def predict(
        self, sentences: Sequence[str], batch_size: int = DEFAULT_BATCH_SIZE
    ) -> list[Prediction]:
        """Classify sentences, one model call per ``batch_size`` sentences of similar length.

        Sentences are sorted by length so a batch pads little; scores are the same as one
        sentence at a time up to float noise (``tests/test_classifier.py`` checks it), so
        remembered scores and repeated sentences are served without a model call.
        """
        if isinstance(sentences, str):
            sentences = [sentences]
        missing = [s for s in dict.fromkeys(sentences) if s not in self._memory]
        scored = dict(zip(missing, self._score(missing, batch_size), strict=True))
        return [self._memory[s] if s in self._memory else scored[s] for s in sentences]

    def _score(self, sentences: Sequence[str], batch_size: int) -> list[Prediction]:
        if not sentences:
            return []
        encodings = self._tokenizer.encode_batch([s if s else " " for s in sentences])
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        out: list[Prediction | None] = [None] * len(encodings)
        step = max(1, batch_size)
        for start in range(0, len(order), step):
            chunk = order[start : start + step]
            plover_logits, penta_logits = self._run([encodings[i] for i in chunk])
            probs = softmax(plover_logits)
            penta_probs = None if penta_logits is None else softmax(penta_logits)
            for row, index in enumerate(chunk):
                best = int(probs[row].argmax())
                out[index] = Prediction(
                    plover=self.plover_labels[best],
                    confidence=float(probs[row, best]),
                    scores={lab: float(p) for lab, p in zip(self.plover_labels, probs[row],
                                                             strict=True)},
                    penta=None if penta_probs is None else int(penta_probs[row].argmax()),
                    penta_confidence=None if penta_probs is None else float(penta_probs[row].max()),
                )
        return [p for p in out if p is not None]


@functools.lru_cache(maxsize=1)
def default_classifier() -> SentenceClassifier | None:
    """The packaged classifier, loaded once; None when the artefact or runtime is absent."""
    if missing_files(DEFAULT_MODEL_DIR):
        return None
    try:
        return SentenceClassifier()
    except ImportError:
        return None
