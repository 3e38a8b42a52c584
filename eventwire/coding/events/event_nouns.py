"""Event nouns on their own: "a Turkish drone strike killed ...", "protests took place in X".

News names many events by a noun with at most one side in view: the actor
sits in a modifier ("Turkish", "Saudi-led coalition", "Russia's") or a "by"
phrase, the target behind "on" or "against", or in the verb the noun governs
("an air strike hit a prison"). Nouns under a verb that makes them unreal
("called for a ceasefire", "rallies are planned", "to prevent protests") are
no events. The coder merges such an event with a clause telling the same
event in the sentence ("... was killed in an airstrike").
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from eventwire.coding.events import modality
from eventwire.coding.events.base import Rule, register
from eventwire.coding.events.common import OBJECTS, Discourse, Found, SentenceInput, cues
from eventwire.records.model import Actor

MODIFIERS = ("amod", "compound", "poss", "nmod", "npadvmod")
"""Dependents of an event noun that may name who did it."""
HIT_VERBS = ("kill", "hit", "target", "strike", "wound", "injure", "destroy", "damage",
             "claim", "leave", "kill", "devastate")
"""Verbs whose subject is the event and whose object its victim ("the strike killed X")."""
TOPIC_DEPTH = 10
"""How far up the parse a verbal event may govern an event noun."""
NOUN_CONFIDENCE = 0.5
"""Below a clause's: a noun often names an event the sentence only mentions."""


@register("event-nouns")
class EventNouns(Rule):
    def find(self, sentence: SentenceInput, ctx: Discourse) -> Iterable[Found]:
        material = cues()["material_noun"]
        for token in sentence.span:
            if token.pos_ not in ("NOUN", "PROPN") or not self.triggers.knows(token):
                continue
            match = self.triggers.match(token, "noun")
            if match is None or match[0][:2] not in material or modality.unreal_noun(token):
                continue
            if token.ent_type_ in ("DATE", "TIME") or self._topic_of_words(token):
                continue
            cameo, trigger = match
            if len(trigger) == 1 and token.lemma_ in cues()["bare_ambiguous"]:
                continue  # a bare "strike" may be a walkout or an air strike
            source = self._modifier_actor(token, trigger, ctx, sentence)
            target = None
            for child in token.children:
                if child.dep_ != "prep":
                    continue
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if not objects:
                    continue
                if child.lower_ == "by" and source is None:
                    source = self.args.token(objects[0], ctx, sentence)
                elif child.lower_ in ("on", "against", "targeting") and target is None:
                    target = self.args.token(objects[0], ctx, sentence)
            if target is None:
                target = self._victim(token, ctx, sentence)
            if source is None and target is None and cameo[:2] not in cues()["sideless"]:
                continue  # "the fight against militants": a topic, not a reported event
            yield Found(cameo, trigger, source, target, NOUN_CONFIDENCE)

    def _topic_of_words(self, token: Token) -> bool:
        """'criticised the kidnappings', 'a deadline over the attack', 'expressed concern
        about the casualties of the attack': the noun is what a verbal event is about; the
        sentence reports the words, and the act is told elsewhere."""
        node = token
        for _ in range(TOPIC_DEPTH):
            if node.head is node:
                return False
            node = node.head
            if node.pos_ not in ("VERB", "AUX"):
                continue
            found = self.triggers.match(node, "verb") or self.triggers.light_verb(node)
            if found is None:
                continue
            root = found[0][:2]
            speech = cues()["speech"]
            if root in cues()["verbal_root"] or (root == "01" and node.lemma_ not in speech):
                return True
        return False

    def _modifier_actor(
        self, token: Token, trigger: list[Token], ctx: Discourse, sentence: SentenceInput
    ) -> Actor | None:
        """'Turkish', 'Saudi-led coalition', "Russia's": a modifier that names the actor."""
        skip = {t.i for t in trigger}
        words: list[Token] = []
        for child in token.children:
            if child.dep_ in MODIFIERS and child.i < token.i and child.i not in skip:
                words.extend(t for t in child.subtree if t.i not in skip and t.dep_ != "det")
        if not words:
            return None
        words.sort(key=lambda t: t.i)
        text = sentence.span.doc[words[0].i : words[-1].i + 1].text
        actor = self.args.actors.code(text, ctx.memory)
        if actor is not None:
            actor.start, actor.end = words[0].idx, words[-1].idx + len(words[-1])
        return actor

    def _victim(self, token: Token, ctx: Discourse, sentence: SentenceInput) -> Actor | None:
        """The object of the verb the event noun is the subject of ("the strike killed X")."""
        verb = token.head
        if token.dep_ != "nsubj" or verb.lemma_ not in HIT_VERBS:
            return None
        for child in verb.children:
            if child.dep_ in OBJECTS:
                return self.args.token(child, ctx, sentence)
        return None
