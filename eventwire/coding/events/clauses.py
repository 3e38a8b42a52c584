"""Clauses: a verb trigger with its subject and object, active or passive.

"X attacked Y", "Y was attacked by X", "X launched an assault on Y" (light
verbs), "X and Z accused Y" (one event per joined source), a future or
conditional act of force coded as a threat, a negated promise as a refusal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from spacy.tokens import Token

from eventwire.coding.events import grammar, modality
from eventwire.coding.events.base import Rule, register
from eventwire.coding.events.common import (
    SUBORDINATE_PENALTY,
    Discourse,
    Found,
    SentenceInput,
    background_clause,
    clause_dependency,
    cues,
    in_quote,
    same_actor,
    self_reference,
)
from eventwire.records.model import Actor

FORCE_ROOTS = ("14", "15", "17", "18", "19", "20")
UNKNOWN_SOURCE_PENALTY = 0.2


@register("clauses")
class VerbClauses(Rule):
    def _trigger(self, token: Token) -> tuple[str, list[Token]] | None:
        match = self.triggers.match(token, "verb")
        if token.lemma_ in cues()["light"] and (match is None or match[0].startswith("01")):
            match = self.triggers.light_verb(token) or match
        return match

    def find(self, sentence: SentenceInput, ctx: Discourse) -> Iterable[Found]:
        for token in sentence.span:
            if token.pos_ not in ("VERB", "AUX") or token.dep_ in ("amod", "compound"):
                continue
            match = self._trigger(token)
            response = token.lemma_ in cues()["response"]
            if modality.conditional(token) or modality.unasserted(token):
                continue
            if modality.refusal(token):
                # "X will not accept the plan", "said it would not end the strike"
                match = ("120", [token, *(c for c in token.children if c.dep_ == "neg")])
            elif match is None and not (response and modality.future(token)):
                continue
            elif modality.negated(token):
                continue
            if token.lemma_ in cues()["speech"] and (match is None or match[0].startswith("01")):
                continue  # a speech verb introduces what was said; the quote holds the event
            cameo = match[0] if match else "138"
            trigger = match[1] if match else [token]
            agreed = self._agreed_act(token) if cameo[:2] == "03" else None
            if agreed is not None:
                cameo, trigger = agreed[0], trigger + agreed[1]
            if background_clause(token):
                continue
            for found in self._events(token, cameo, trigger, sentence, ctx):
                yield replace(found, firm=agreed is not None)

    def _events(
        self, token: Token, cameo: str, trigger: list[Token], sentence: SentenceInput,
        ctx: Discourse,
    ) -> Iterable[Found]:
        confidence = 0.7
        root = cameo[:2]
        if clause_dependency(token) is not None:
            confidence -= SUBORDINATE_PENALTY
        if modality.future(token) and root in FORCE_ROOTS:
            cameo = "138" if root in ("15", "18", "19", "20") else "130"
            confidence = 0.65
        subject, passive = grammar.subject(token)
        if subject is not None and subject.tag_ in ("WDT", "WP") and token.dep_ == "relcl":
            subject = token.head  # "fighters, who attacked ...": the fighters act
        source = target = None
        if passive:
            agent = grammar.agent(token)
            source = self.args.token(agent, ctx, sentence) if agent else None
            target = self.args.token(subject, ctx, sentence) if subject else None
        else:
            source = self.args.token(subject, ctx, sentence) if subject else None
            target = self._target(token, source, root, sentence, ctx)
        partners = [c for c in subject.children if c.dep_ == "conj"] if subject else []
        mutual = False
        if target is None and partners and not passive and any(
                cameo.startswith(p) for p in cues()["mutual"]):
            # "Ethiopia and Eritrea signed an agreement": each side is the other's target
            target = self.args.token(partners[0], ctx, sentence)
            partners = []
            mutual = target is not None
        sources: list[Actor | None] = [source]
        if not passive:
            # "Hungarian and Romanian officials", "Rwanda and Uganda accused ...": each acts
            sources += [self.args.token(p, ctx, sentence) for p in partners]
            sources += self.args.coordinated_modifiers(subject, ctx) if subject else []
        if all(actor is None for actor in sources) and target is not None and (
                passive or subject is None) and root in FORCE_ROOTS:
            # "four aid workers were killed": the act happened, whoever did it; it ranks
            # below events whose doer the sentence names
            sources = [None]
            confidence -= UNKNOWN_SOURCE_PENALTY
        else:
            sources = [actor for actor in sources if actor is not None]
        for actor in sources:
            if root == "01":
                if target is None and cameo in cues()["plain"]:
                    continue  # a bare statement aimed at no one is not worth a row
                # statements lose to any typed event in the sentence
                yield Found(cameo, trigger, actor, target,
                            confidence - 0.15 + (0.1 if target is not None else 0.0))
                continue
            bonus = 0.15 if target is not None else 0.0
            yield Found(cameo, trigger, actor, target, confidence + bonus, mutual=mutual)

    def _perpetrator(self, candidate: Token, ctx: Discourse) -> Actor | None:
        """'condemned the coup', 'blamed the abduction on ...': words aimed at an act are
        aimed at whoever the article says did it."""
        found = self.triggers.match(candidate, "noun")
        if found is None:
            return None
        return ctx.perpetrators.get(found[0][:2]) or ctx.perpetrators.get("force")

    def _agreed_act(self, token: Token) -> tuple[str, list[Token]] | None:
        """'agreed to a ceasefire', 'agreed to impose sanctions', 'reached an agreement for a
        truce': agreeing to an act that takes effect at once is that act (PLOVER codes a
        ceasefire agreement as RETREAT and agreed sanctions as SANCTION)."""
        frontier = list(token.children)
        for _ in range(3):
            following: list[Token] = []
            for node in frontier:
                kind = "verb" if node.pos_ in ("VERB", "AUX") else "noun"
                found = self.triggers.match(node, kind)
                if found and found[0] in cues()["agreed_act"] and (
                        kind == "verb" or found[0] in cues()["agreed_noun"]):
                    return found
                following.extend(node.children)
            frontier = following
        return None

    def _target(
        self, token: Token, source: Actor | None, root: str, sentence: SentenceInput,
        ctx: Discourse,
    ) -> Actor | None:
        for candidate in grammar.target_tokens(token):
            if in_quote(candidate, sentence) and self_reference(candidate):
                # "we will defend our forces": the threat is aimed at the addressee
                target = self.args.quote_parties(sentence, ctx)[1]
            else:
                target = self.args.token(candidate, ctx, sentence)
                if target is None and root in cues()["verbal_root"]:
                    target = self._perpetrator(candidate, ctx)
            if same_actor(source, target) and root != "01":
                target = None  # "agreed to resign from the government": not a target
            if target is not None:
                return target
        return None
