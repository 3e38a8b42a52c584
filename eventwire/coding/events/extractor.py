"""The learned event extractor (runtime side): which words are an event and its arguments.

A fine-tuned MiniLM-L6 encoder with two token-tagging heads, exported to int8
ONNX by ``scripts/train_extractor.py`` (artefact ``eventwire/data/models/extractor-v1``).
The trigger head reads "previous sentence [SEP] sentence" and tags the head word
of each event with its PLOVER type; the argument head reads the same text with one
trigger between marker tokens and tags that event's source, target and place
spans. Inference needs only onnxruntime and tokenizers, never torch. Activations
are quantised per sentence, so a sentence's tags do not depend on its batch:
sentences are run in padded batches of similar length.

What the spans are (country, sector, coordinates, dates, CAMEO code) is decided
by the project's own tables in ``extracted.py``; this module only reads text.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from eventwire.coding.classifier import int8_session, softmax
from eventwire.coding.events.tagging import Encoded, Encoder, bio_spans, word_end
from eventwire.data import DATA_DIR
from eventwire.records.errors import ErrorCode, EventwireError

DEFAULT_MODEL_DIR = DATA_DIR / "models" / "extractor-v1"
MODEL_ENV = "EVENTWIRE_EXTRACTOR"
"""A directory holding another artefact, or ``off`` to code with the rules alone."""
REQUIRED_FILES = ("model.onnx", "tokenizer.json", "labels.json")
BATCH_SIZE = 16


@dataclass(frozen=True)
class Argument:
    """A tagged span: ``segment`` "s" is the sentence, "p" the sentence before it."""

    role: str
    segment: str
    start: int
    end: int


@dataclass(frozen=True)
class Tagged:
    """One trigger of a sentence (char offsets in the sentence) and its arguments."""

    start: int
    end: int
    plover: str
    confidence: float
    arguments: tuple[Argument, ...] = field(default=())

    def spans(self, role: str) -> list[Argument]:
        return [a for a in self.arguments if a.role == role]


class Extractor:
    """Tags triggers and arguments of sentences with the packaged ONNX model."""

    def __init__(self, model_dir: Path | None = None, threads: int = 1) -> None:
        directory = Path(model_dir) if model_dir is not None else DEFAULT_MODEL_DIR
        missing = [n for n in REQUIRED_FILES if not (directory / n).is_file()]
        if missing:
            raise EventwireError(ErrorCode.E021_NO_ARTEFACT,
                                 f"{directory} lacks {', '.join(missing)}")
        from tokenizers import Tokenizer

        meta: dict[str, Any] = json.loads((directory / "labels.json").read_text("utf-8"))
        self.version = str(meta.get("version", directory.name))
        self.trigger_labels: list[str] = list(meta["trigger_labels"])
        self.argument_labels: list[str] = list(meta["argument_labels"])
        self.two_sided = frozenset(meta.get("two_sided", ()))
        """Head words the training data codes once in each direction ("clashed", "met")."""
        self.encoder = Encoder(Tokenizer.from_file(str(directory / "tokenizer.json")),
                               int(meta.get("max_length", 128)))
        self._session = int8_session(directory / "model.onnx", threads)

    def run(self, encoded: Sequence[Encoded], head: str,
            batch_size: int = BATCH_SIZE) -> list[np.ndarray]:
        """Each input's per-position probabilities from one head, in padded batches of
        similar length."""
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i].ids))
        out: list[np.ndarray | None] = [None] * len(encoded)
        name = "trigger_logits" if head == "trigger" else "argument_logits"
        for begin in range(0, len(order), max(1, batch_size)):
            chunk = order[begin : begin + batch_size]
            width = max(len(encoded[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            types = np.zeros_like(ids)
            for row, i in enumerate(chunk):
                n = len(encoded[i].ids)
                ids[row, :n] = encoded[i].ids
                mask[row, :n] = 1
                types[row, :n] = encoded[i].type_ids
            logits = self._session.run([name], {"input_ids": ids, "attention_mask": mask,
                                                "token_type_ids": types})[0]
            probs = softmax(np.asarray(logits))
            for row, i in enumerate(chunk):
                out[i] = probs[row, : len(encoded[i].ids)]
        return [p for p in out if p is not None]

    def tag(self, items: Sequence[tuple[str, str]]) -> list[list[Tagged]]:
        """Triggers and arguments of each (previous sentence, sentence) pair."""
        if not items:
            return []
        texts = list(dict.fromkeys(t for pair in items for t in pair))
        pieces = dict(zip(texts, self.encoder.pieces(texts), strict=True))
        plain = [self.encoder.build(pieces[p], pieces[s]) for p, s in items]
        triggers = [self._triggers(enc, probs, pieces[s][1])
                    for enc, probs, (_p, s) in zip(plain, self.run(plain, "trigger"), items,
                                                   strict=True)]
        marked = [(n, t, self.encoder.build(pieces[items[n][0]], pieces[items[n][1]],
                                            (t.start, t.end)))
                  for n, found in enumerate(triggers) for t in found]
        argued: list[list[Tagged]] = [[] for _ in items]
        probs = self.run([m[2] for m in marked], "argument")
        for (n, trig, enc), p in zip(marked, probs, strict=True):
            labels = [self.argument_labels[int(k)] for k in p.argmax(-1)]
            args = tuple(Argument(role, seg, a, b) for role, seg, a, b in
                         bio_spans(labels, enc.spans))
            argued[n].append(Tagged(trig.start, trig.end, trig.plover, trig.confidence, args))
        return argued

    def _triggers(self, enc: Encoded, probs: np.ndarray,
                  offsets: list[tuple[int, int]]) -> list[Tagged]:
        found: dict[int, Tagged] = {}
        for k, pos in enumerate(enc.sentence_tokens):
            best = int(probs[pos].argmax())
            if best == 0:
                continue
            first = k
            while first > 0 and offsets[first - 1][1] == offsets[first][0]:
                first -= 1  # a piece inside a word: the word is the trigger
            last = word_end(offsets, first)
            start, end = offsets[first][0], offsets[last][1]
            conf = float(probs[pos, best])
            if start not in found or found[start].confidence < conf:
                found[start] = Tagged(start, end, self.trigger_labels[best], conf)
        return [found[k] for k in sorted(found)]


@functools.lru_cache(maxsize=1)
def default_extractor() -> Extractor | None:
    """The packaged extractor (or ``$EVENTWIRE_EXTRACTOR``'s), loaded once; None when it is
    switched off, absent, or onnxruntime is not installed."""
    chosen = os.environ.get(MODEL_ENV, "")
    if chosen.lower() == "off":
        return None
    directory = Path(chosen) if chosen else DEFAULT_MODEL_DIR
    if any(not (directory / n).is_file() for n in REQUIRED_FILES):
        return None
    try:
        return Extractor(directory)
    except ImportError:
        return None
