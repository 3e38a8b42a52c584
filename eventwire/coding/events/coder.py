"""The coder: runs every construction on each sentence and turns what they find into events.

Constructions (``clauses``, ``nominal``, ``quotes``, ...) find events in the
grammar; the learned sentence classifier (``classifier.py``) confirms or
corrects the type of a lone event and codes sentences the rules miss. Every
event keeps the sentence, its span and the trigger words as evidence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace

from eventwire.coding.actors import ActorCoder
from eventwire.coding.classifier import Prediction, SentenceClassifier

# the constructions register themselves on import, in this order
from eventwire.coding.events import clauses, event_nouns, grammar, nominal, quotes  # noqa: F401
from eventwire.coding.events.arguments import Arguments
from eventwire.coding.events.base import REGISTRY, Construction
from eventwire.coding.events.common import (
    Discourse,
    Found,
    SentenceInput,
    cues,
    in_quote,
    same_actor,
)
from eventwire.coding.events.extracted import ExtractedEvents, combine
from eventwire.coding.events.extractor import Extractor
from eventwire.coding.events.triggers import Triggers
from eventwire.records import ontology
from eventwire.records.model import Actor, Event, Evidence

CODER_NAME = "rules+model v2"
RULES_ONLY_NAME = "rules v2"
EXTRACTOR_NAME = "extractor v1"
OVERRIDE_CONFIDENCE = 0.8
"""Classifier confidence above which its type replaces a lone rule event's type."""
RECONCILED = ("clauses", "quoted-orders", "reported-demands")
"""Constructions whose type the classifier may correct: a verb's sense is often
ambiguous ("pressed its offensive"), an event noun's rarely is."""
NOMINAL = frozenset({"nominal", "event-nouns"})
GROUP_OVERRIDE_CONFIDENCE = 0.9
"""Five-class confidence above which, with the PLOVER head agreeing, the classifier's type wins."""


class EventCoder:
    """Codes sentences into events; one instance serves many articles."""

    def __init__(
        self,
        actor_coder: ActorCoder,
        classifier: SentenceClassifier | None = None,
        threshold: float = 0.5,
        extractor: Extractor | None = None,
        merge: str = "fill",
    ) -> None:
        self.actors = actor_coder
        self.classifier = classifier
        self.threshold = threshold
        self.args = Arguments(actor_coder)
        self.triggers = Triggers()
        self.learned = (ExtractedEvents(extractor, actor_coder, self.triggers)
                        if extractor is not None else None)
        self.merge = merge
        """How rule events join the extractor's: ``replace`` (none do), ``merge`` (those of a
        type the extractor did not find in the sentence), ``fill`` (the rules lead, the
        extractor adds the types they did not find)."""
        self.constructions: dict[str, Construction] = {
            name: factory(self.args, self.triggers) for name, factory in REGISTRY.items()
        }

    def code_sentences(
        self,
        doc_id: str,
        sentences: Sequence[SentenceInput],
        ctx: Discourse,
    ) -> list[Event]:
        predictions: list[Prediction | None] = [None] * len(sentences)
        if self.classifier is not None and sentences:
            predictions = list(self.classifier.predict([s.span.text for s in sentences]))
        tagged = self.learned.tag(sentences) if self.learned is not None else None
        events: list[Event] = []
        for n, (sentence, prediction) in enumerate(zip(sentences, predictions, strict=True)):
            found = [] if tagged is not None and self.merge == "replace" else [
                replace(item, construction=name)
                for name, construction in self.constructions.items()
                for item in construction.find(sentence, ctx)]
            if tagged is not None and self.learned is not None:
                learned = self.learned.found(sentence, tagged[n], ctx)
                found = (combine(found, learned) if self.merge == "fill"
                         else combine(learned, found))
            if not found and prediction is not None:
                found = list(self._model_event(sentence, prediction, ctx))
            found = merge_tellings(found)
            typed_by_verb = [i for i, f in enumerate(found) if f.construction in RECONCILED]
            if len(typed_by_verb) == 1 and prediction is not None:
                found[typed_by_verb[0]] = self._reconcile(found[typed_by_verb[0]], prediction)
            found += [replace(f, source=f.target, target=f.source, mutual=False)
                      for f in found if f.mutual and f.target is not None]
            for item in found:
                if same_actor(item.source, item.target):
                    continue  # "Iranian officials denied that Tehran ...": not an interaction
                event = self._make_event(doc_id, sentence, item, prediction)
                if event.confidence < self.threshold:
                    continue
                events.append(event)
                self._remember_sides(item, event, ctx)
            self._remember_mentions(sentence, ctx)
        return events

    @property
    def name(self) -> str:
        """What coded the events: the extractor, the rules with the classifier, or rules."""
        if self.learned is not None:
            return EXTRACTOR_NAME if self.merge == "replace" else "extractor+rules v1"
        return CODER_NAME if self.classifier is not None else RULES_ONLY_NAME

    @staticmethod
    def _remember_sides(item: Found, event: Event, ctx: Discourse) -> None:
        if item.source is not None:
            ctx.perpetrators[event.cameo_root] = item.source
            if event.quad_class == 4:
                ctx.perpetrators["force"] = item.source
            ctx.memory.remember(item.source)
            ctx.last_source = item.source
            if event.quad_class in (1, 3):
                ctx.last_speaker = item.source
        if item.target is not None:
            ctx.memory.remember(item.target)
            ctx.last_target = item.target

    def _remember_mentions(self, sentence: SentenceInput, ctx: Discourse) -> None:
        """Actors named in a sentence, so later "the fighters" or "they" can resolve to them."""
        for chunk in sentence.span.noun_chunks:
            if chunk.root.pos_ == "PRON" or in_quote(chunk.root, sentence):
                continue
            actor = self.actors.code(chunk.text, ctx.memory)
            if actor is not None and (actor.country or actor.name):
                ctx.memory.remember(actor)

    def _reconcile(self, item: Found, prediction: Prediction) -> Found:
        """One event in the sentence and a confident classifier that reads it otherwise.

        The classifier is more often right about the type than a single trigger
        word, so its type wins; the rule's actors and evidence stay. Codes whose type
        the project takes from the PLOVER manual rather than the crosswalk the
        classifier learnt from (``settled`` in ``event_cues.tsv``) keep their type. With several
        events in a sentence the rules keep their codes: one sentence label cannot
        speak for each of them.
        """
        code = ontology.cameo(item.cameo)
        if item.firm or code.code in cues()["settled"] or (
                code.plover and ontology.plover_merged(code.plover) == prediction.plover):
            return item
        plover = ontology.plover_canonical(prediction.plover)
        try:
            cameo = ontology.plover_default_cameo(plover)
        except KeyError:
            return item
        if prediction.confidence >= OVERRIDE_CONFIDENCE or groups_agree(
            prediction, code.penta_class, ontology.cameo(cameo).penta_class
        ):
            return replace(item, cameo=cameo, overridden=True)
        return item

    def _model_event(
        self, sentence: SentenceInput, prediction: Prediction, ctx: Discourse
    ) -> Iterable[Found]:
        """A sentence the lexicon missed but the classifier is sure of: code its main clause."""
        if prediction.confidence < 0.8:
            return
        root = sentence.span.root
        subject, passive = grammar.subject(root)
        if subject is None or passive:
            return
        source = self.args.token(subject, ctx, sentence)
        target = None
        for candidate in grammar.target_tokens(root):
            target = self.args.token(candidate, ctx, sentence)
            if target is not None:
                break
        if source is None or target is None:
            return
        cameo = ontology.plover_default_cameo(prediction.plover)
        yield Found(cameo, [root], source, target, 0.5 + 0.3 * prediction.confidence)

    def _make_event(
        self,
        doc_id: str,
        sentence: SentenceInput,
        item: Found,
        prediction: Prediction | None,
    ) -> Event:
        code = ontology.cameo(item.cameo)
        confidence = item.confidence
        if prediction is not None and code.plover and not item.overridden:
            if ontology.plover_merged(prediction.plover) == ontology.plover_merged(code.plover):
                confidence = min(0.99, confidence + 0.15 * prediction.confidence)
            elif prediction.confidence > 0.9:
                confidence -= 0.1
        span = sentence.span
        sentence_text = span.text.rstrip()
        trigger_text = " ".join(t.text for t in sorted(item.trigger, key=lambda t: t.i))
        evidence = Evidence(
            sentence=sentence_text,
            sentence_index=sentence.index,
            start=sentence.text_start,
            end=sentence.text_start + len(sentence_text),
            trigger=trigger_text,
        )
        key = "|".join(
            [doc_id, str(sentence.index), code.code, trigger_text,
             item.source.code or "" if item.source else "",
             item.target.code or "" if item.target else ""]
        )
        return Event(
            event_id=hashlib.sha1(key.encode("utf-8")).hexdigest()[:20],
            doc_id=doc_id,
            cameo=code.code,
            cameo_root=code.root,
            plover=code.plover,
            plover_mode=code.plover_mode,
            quad_class=code.quad_class,
            goldstein=code.goldstein,
            source=item.source,
            target=item.target,
            evidence=evidence,
            confidence=confidence,
            coder=self.name,
            trigger_start=sentence.text_start + min(t.idx for t in item.trigger) - span.start_char,
            construction=item.construction,
            place_span=item.place,
        )


def _compatible(a: Actor | None, b: Actor | None) -> bool:
    """Two readings of one side: either unknown, the same code or text, or the same
    country where one reading lacks the sector ("Turkish" and "a Turkish drone")."""
    if a is None or b is None or a.code == b.code or a.text == b.text:
        return True
    return a.country is not None and a.country == b.country and None in (a.agent, b.agent)


def _counts_casualties(found: Found) -> bool:
    """'..., killing 12': a participle that counts the dead of the sentence's attack."""
    head = found.trigger[0]
    return head.lemma_ in cues()["casualty"] and (head.tag_ == "VBG" or head.dep_ in (
        "advcl", "acl", "xcomp"))


def merge_tellings(found: list[Found]) -> list[Found]:
    """One event told twice in a sentence is one event: "X was killed in an airstrike".

    Events of one PLOVER type whose sides agree where both are known merge into
    the most confident one, which takes the sides only the other knew. Two verbs
    of different CAMEO roots stay apart ("were tortured and killed"); a noun and
    a verb telling one act merge ("was killed in an airstrike"), and so do an
    attack and its casualties ("detonated a car bomb, killing 12").
    """
    kept: list[tuple[int, Found]] = []
    ranked = sorted(enumerate(found), key=lambda pair: -pair[1].confidence)
    for position, item in ranked:
        plover = ontology.cameo(item.cameo).plover
        for index, (first, other) in enumerate(kept):
            told_by_noun = NOMINAL & {item.construction, other.construction}
            casualties = any(_counts_casualties(f) for f in (item, other))
            if (ontology.cameo(other.cameo).plover == plover and plover is not None
                    and (told_by_noun or casualties or other.cameo[:2] == item.cameo[:2])
                    and _compatible(item.source, other.source)
                    and _compatible(item.target, other.target)):
                generic = other.cameo == other.cameo[:2] + "0" and item.cameo[:2] == other.cameo[:2]
                merged = replace(
                    other,
                    cameo=item.cameo if _counts_casualties(other) or generic else other.cameo,
                    source=other.source or item.source,
                    target=other.target or item.target,
                    trigger=other.trigger + [t for t in item.trigger if t not in other.trigger],
                    mutual=other.mutual or item.mutual,
                )
                if not same_actor(merged.source, merged.target):
                    kept[index] = first, merged
                break
        else:
            kept.append((position, item))
    return [item for _position, item in sorted(kept, key=lambda pair: pair[0])]


def groups_agree(prediction: Prediction, rule_group: int | None, plover_group: int | None) -> bool:
    """The five-class head is sure the rule's CAMEO group is wrong, and the PLOVER head agrees.

    Two heads reading the sentence the same way outweigh one trigger word.
    """
    return (
        prediction.penta is not None
        and (prediction.penta_confidence or 0.0) >= GROUP_OVERRIDE_CONFIDENCE
        and prediction.penta != rule_group
        and prediction.penta == plover_group
    )
