"""How the learned extractor reads a sentence: one encoding shared by training and runtime.

The encoder sees ``[CLS] previous sentence [SEP] sentence [SEP]``: the previous
sentence is there for "they" and "the attackers", and an actor named only there
may be tagged there. For the argument head the trigger is wrapped in two marker
tokens (``[unused0]`` ... ``[unused1]``, already in the WordPiece vocabulary, so
no embedding is added). Training (``scripts/train_extractor.py``) and the runtime
(``extractor.py``) both build their inputs here, so the two cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

MARK_OPEN = "[unused0]"
MARK_CLOSE = "[unused1]"
PREV_TOKENS = 24
"""Word pieces kept from the previous sentence (its end, nearest the sentence)."""
ROLES = ("SOURCE", "TARGET", "PLACE")
ARG_LABELS = ("O", *(f"{p}-{r}" for r in ROLES for p in ("B", "I")))
FUNCTION_WORDS = frozenset(
    "has have had was were is are be been being will would to did do does a an the of for on "
    "in with up out not also it its their they he she who that which been could may might "
    "shall should must reportedly allegedly".split())
"""Words a trigger phrase may start with that do not carry the event ("has requested")."""

_WORD = re.compile(r"\w[\w'\u2019-]*")


def head_word(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The word of a trigger phrase that names the event: its first content word."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(sentence, start, end)]
    for a, b in words:
        if sentence[a:b].lower() not in FUNCTION_WORDS:
            return a, b
    return words[0] if words else (start, end)


@dataclass
class Encoded:
    """One model input and where each of its positions came from."""

    ids: list[int]
    type_ids: list[int]
    spans: list[tuple[str, int, int] | None]
    """("s" or "p" for sentence or previous sentence, char start, char end); None: special."""
    sentence_tokens: list[int] = field(default_factory=list)
    """Positions of the sentence's word pieces, in order."""


class Encoder:
    """Builds model inputs from text with the artefact's WordPiece tokenizer."""

    def __init__(self, tokenizer: Any, max_length: int = 128) -> None:
        self.tokenizer = tokenizer
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.tokenizer.add_special_tokens([MARK_OPEN, MARK_CLOSE])
        self.max_length = max_length
        self.cls = int(tokenizer.token_to_id("[CLS]"))
        self.sep = int(tokenizer.token_to_id("[SEP]"))
        self.open = int(tokenizer.token_to_id(MARK_OPEN))
        self.close = int(tokenizer.token_to_id(MARK_CLOSE))

    def pieces(self, texts: list[str]) -> list[tuple[list[int], list[tuple[int, int]]]]:
        """Word pieces (ids and char offsets) of each text, without special tokens."""
        encs = self.tokenizer.encode_batch([t if t else " " for t in texts],
                                           add_special_tokens=False)
        return [(list(e.ids), [tuple(o) for o in e.offsets]) for e in encs]

    def build(self, prev: tuple[list[int], list[tuple[int, int]]],
              sent: tuple[list[int], list[tuple[int, int]]],
              trigger: tuple[int, int] | None = None) -> Encoded:
        """The model input; ``trigger`` (char offsets in the sentence) adds the markers."""
        markers = 2 if trigger is not None else 0
        room = self.max_length - 3 - markers
        s_ids, s_off = sent[0][:room], sent[1][:room]
        keep = min(PREV_TOKENS, max(0, room - len(s_ids)))
        p_ids = prev[0][len(prev[0]) - keep:] if keep else []
        p_off = prev[1][len(prev[1]) - keep:] if keep else []
        ids = [self.cls, *p_ids, self.sep]
        spans: list[tuple[str, int, int] | None] = [None, *(("p", a, b) for a, b in p_off), None]
        type_ids = [0] * len(ids)
        out = Encoded(ids, type_ids, spans)
        inside = [i for i, (a, b) in enumerate(s_off)
                  if trigger is not None and a < trigger[1] and b > trigger[0]]
        for i, (piece, (a, b)) in enumerate(zip(s_ids, s_off, strict=True)):
            if inside and i == inside[0]:
                self._append(out, self.open, None)
            out.sentence_tokens.append(len(out.ids))
            self._append(out, piece, ("s", a, b))
            if inside and i == inside[-1]:
                self._append(out, self.close, None)
        self._append(out, self.sep, None)
        return out

    @staticmethod
    def _append(out: Encoded, piece: int, span: tuple[str, int, int] | None) -> None:
        out.ids.append(piece)
        out.type_ids.append(1)
        out.spans.append(span)


def word_end(offsets: list[tuple[int, int]], index: int) -> int:
    """The last piece of the word that piece ``index`` starts: pieces that touch belong to it."""
    while index + 1 < len(offsets) and offsets[index + 1][0] == offsets[index][1]:
        index += 1
    return index


def bio_spans(labels: list[str], spans: list[tuple[str, int, int] | None]
              ) -> list[tuple[str, str, int, int]]:
    """(role, segment, char start, char end) of each tagged span; an I without B starts one."""
    out: list[tuple[str, str, int, int]] = []
    current: list[Any] | None = None
    for label, where in zip(labels, spans, strict=True):
        if where is None or label == "O":
            current = None
            continue
        tag, role = label.split("-", 1)
        seg, a, b = where
        if current is not None and tag == "I" and current[0] == role and current[1] == seg:
            current[3] = b
            out[-1] = (current[0], current[1], current[2], current[3])
            continue
        current = [role, seg, a, b]
        out.append((role, seg, a, b))
    return out
