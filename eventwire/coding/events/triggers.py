"""Trigger words: which lemma, with which companions, names which CAMEO code."""

from __future__ import annotations

from spacy.tokens import Span, Token

from eventwire.coding.events.modality import negated
from eventwire.records import ontology


class Triggers:
    """The lexicon of ``data/event_triggers.tsv``, matched against the parse."""

    def __init__(self) -> None:
        self.by_head = ontology.triggers_by_head()

    def knows(self, token: Token) -> bool:
        return token.lemma_.lower() in self.by_head

    def match(self, token: Token, kind: str) -> tuple[str, list[Token]] | None:
        """The first pattern of ``kind`` headed by the token whose other lemmas are near it."""
        patterns = self.by_head.get(token.lemma_.lower())
        if not patterns:
            return None
        near: dict[str, Token] = {}
        for child in token.children:
            near.setdefault(child.lemma_.lower(), child)
            for grandchild in child.children:
                near.setdefault(grandchild.lemma_.lower(), grandchild)
        for pattern in patterns:
            if pattern.kind != kind:
                continue
            extra = pattern.lemmas[1:]
            if all(lemma in near for lemma in extra):
                return pattern.cameo, [token, *(near[lemma] for lemma in extra)]
        return None

    def light_verb(self, verb: Token) -> tuple[str, list[Token]] | None:
        """'launched an assault', 'filed a complaint': the object noun carries the event."""
        for child in verb.children:
            if child.dep_ == "dobj" and child.pos_ in ("NOUN", "PROPN"):
                found = self.match(child, "noun")
                if found is not None:
                    return found[0], [verb, *found[1]]
        return None

    def guess(self, span: Span) -> str | None:
        """The CAMEO code of the sentence's main trigger, actors or not.

        Used when a sentence is known to report an event but no coded event came
        out: the trigger nearest the root of the parse wins; bare statements lose.
        """
        best: tuple[int, int, str] | None = None
        for token in span:
            kind = "verb" if token.pos_ in ("VERB", "AUX") else "noun"
            found = self.match(token, kind)
            if found is None or negated(token):
                continue
            depth = 0
            node = token
            while node.head is not node and depth < 10:
                node, depth = node.head, depth + 1
            statement = 1 if found[0].startswith("01") else 0
            rank = (statement, depth, found[0])
            if best is None or rank < best:
                best = rank
        return best[2] if best else None
