"""Nominal events: the event is a noun ("fighting between X and Y", "an attack on Y by X")."""

from __future__ import annotations

from collections.abc import Iterable

from eventwire.coding.events import modality
from eventwire.coding.events.base import Rule, register
from eventwire.coding.events.common import Discourse, Found, SentenceInput, cues


@register("nominal")
class NominalEvents(Rule):
    def find(self, sentence: SentenceInput, ctx: Discourse) -> Iterable[Found]:
        between = cues()["between"]
        for token in sentence.span:
            if token.pos_ not in ("NOUN", "VERB") or not self.triggers.knows(token):
                continue
            if token.pos_ == "VERB" and token.dep_ not in ("pcomp", "pobj", "nsubj", "dobj"):
                continue
            match = self.triggers.match(token, "noun")
            if match is None or modality.unreal_noun(token):
                continue
            source = target = None
            mutual = False
            for prep in token.children:
                if prep.dep_ != "prep":
                    continue
                objects = [c for c in prep.children if c.dep_ == "pobj"]
                if not objects:
                    continue
                if prep.lower_ in between:
                    # "between X, backed by Z, and Y": the parser may hang Y under Z
                    sides = [objects[0], *(t for t in objects[0].subtree if t.dep_ == "conj")]
                    if len(sides) >= 2:
                        source = self.args.token(sides[0], ctx, sentence)
                        target = self.args.token(sides[-1], ctx, sentence)
                        mutual = True
                elif prep.lower_ == "by":
                    source = self.args.token(objects[0], ctx, sentence)
                elif prep.lower_ in ("on", "against", "with"):
                    target = self.args.token(objects[0], ctx, sentence)
            for child in token.children:
                if child.dep_ == "poss" and source is None:
                    source = self.args.token(child, ctx, sentence)
            if source is None or target is None:
                continue
            yield Found(match[0], match[1], source, target, 0.7, mutual=mutual)
