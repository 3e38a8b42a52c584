"""Events: each parsed sentence becomes zero or more coded events.

Rules find the trigger (a verb or nominal event from ``data/event_triggers.tsv``),
its source and target in the dependency parse, and what changes its meaning:
negation, future or conditional modality, quotes whose speaker is the real
source, passive voice. A learned sentence classifier (``classifier.py``), when
its artefact is present, confirms or corrects the rule's type and codes
sentences the lexicon misses. Every event keeps the sentence, its span and the
trigger words as evidence.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span, Token

from eventwire import ontology
from eventwire.actors import ActorCoder, ArticleActors
from eventwire.classifier import Prediction, SentenceClassifier
from eventwire.model import Actor, Event, Evidence

DATA = Path(__file__).parent / "data"
CODER_NAME = "rules+model v1"
RULES_ONLY_NAME = "rules v1"
OVERRIDE_CONFIDENCE = 0.8
"""Classifier confidence above which its type replaces a lone rule event's type."""
GROUP_OVERRIDE_CONFIDENCE = 0.9
"""Five-class confidence above which, with the PLOVER head agreeing, the classifier's type wins."""
SUBORDINATE_PENALTY = 0.1
"""Confidence taken from events in subordinate clauses, so the main clause's event leads."""
SUBORDINATE = ("relcl", "acl", "advcl")
SUBJECTS = ("nsubj", "csubj")
PASSIVE_SUBJECTS = ("nsubjpass", "csubjpass")
OBJECTS = ("dobj", "dative", "attr", "oprd")
TARGET_PREPS = ("against", "on", "at", "with", "to", "into", "from", "toward", "towards", "upon")
CLAUSE_LINKS = ("xcomp", "advcl", "conj", "ccomp", "pcomp")
QUOTE_CHARS = '"\u201c\u201d'
REPORTED_SELF = ("it", "they", "he", "she")
"""Subject pronouns that, in a reported clause, stand for the reporter ("X said it would")."""


@lru_cache(maxsize=1)
def cues() -> dict[str, frozenset[str]]:
    """Cue lemmas by kind from ``data/event_cues.tsv``."""
    table: dict[str, set[str]] = defaultdict(set)
    for line in (DATA / "event_cues.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, lemma = line.split("\t")[:2]
        table[kind].add(lemma)
    return {kind: frozenset(lemmas) for kind, lemmas in table.items()}


@dataclass
class SentenceInput:
    """A parsed sentence with where it sits in the article's text."""

    span: Span
    index: int
    text_start: int  # offset of the sentence in Article.text
    quoted: list[tuple[int, int]] = field(default_factory=list)  # quote ranges, span-relative


@dataclass
class Discourse:
    """What the coder knows of the article so far: its actors and the last event's sides.

    Quotes need it: "we" is the speaker, "you" the last addressee, and a speaker
    we cannot code ("another read") is the last source.
    """

    memory: ArticleActors
    last_source: Actor | None = None
    last_target: Actor | None = None
    last_speaker: Actor | None = None


@dataclass
class Found:
    """An event the rules found in one sentence, before ontology lookup."""

    cameo: str
    trigger: list[Token]
    source: Actor | None
    target: Actor | None
    confidence: float
    overridden: bool = False  # the type came from the classifier, not the trigger


def quote_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks (pairs of straight or curly quotes)."""
    marks = [i for i, ch in enumerate(text) if ch in QUOTE_CHARS]
    return [(marks[i], marks[i + 1]) for i in range(0, len(marks) - 1, 2)]


def _in_quote(token: Token, sentence: SentenceInput) -> bool:
    rel = token.idx - sentence.span.start_char
    return any(start < rel < end for start, end in sentence.quoted)


def phrase_tokens(head: Token) -> list[Token]:
    """The noun phrase of ``head``: its left modifiers, appositions and backing clauses.

    Relative clauses and most prepositional phrases are left out, so "a copy of
    the leaflets provided to Reuters" does not turn into Reuters; "of" or "from"
    a name stays ("diplomats from Poland").
    """
    backing = cues()["backing"]
    tokens = [t for t in head.subtree if t.i <= head.i and t.i >= head.left_edge.i]
    for child in head.rights:
        if child.dep_ in ("appos", "compound", "nummod", "amod") or (
            child.dep_ in ("acl", "relcl") and child.lemma_ in backing
        ):
            tokens.extend(_without_coordination(child))
        elif child.dep_ == "punct" and child.text == "," and any(
            c.dep_ == "appos" for c in head.rights
        ):
            tokens.append(child)
        elif child.dep_ == "prep" and child.lower_ in ("of", "from") and any(
            c.dep_ == "pobj" and c.pos_ == "PROPN" for c in child.children
        ):
            # "diplomats from Poland", "the president of France": the name says whose
            tokens.extend(_without_coordination(child))
    return sorted(set(tokens), key=lambda t: t.i)


def _without_coordination(token: Token) -> list[Token]:
    """A subtree without coordinated branches: "backed by Iran, and rebels" -> "backed by Iran"."""
    out = [token]
    for child in token.children:
        if child.dep_ not in ("conj", "cc"):
            out.extend(_without_coordination(child))
    return out


def _same_actor(source: Actor | None, target: Actor | None) -> bool:
    return bool(source and target and source.code and source.code == target.code)


def _self_reference(token: Token) -> bool:
    """'our forces', 'us': the speaker's own side, inside a quote."""
    return token.lower_ in ("we", "us") or any(
        c.dep_ == "poss" and c.lower_ in ("our", "my") for c in token.children
    )


def _quantity_head(head: Token) -> Token:
    """'a number of fighters' stands for the fighters."""
    if head.lemma_.lower() in cues()["quantity"]:
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return objects[0]
    return head


def _clause_dependency(token: Token) -> str | None:
    """The subordinate link ("relcl", "acl", "advcl") above the token's clause, if any."""
    current = token
    for _ in range(6):
        if current.dep_ in SUBORDINATE:
            return str(current.dep_)
        if current.head is current or current.dep_ not in CLAUSE_LINKS + ("xcomp", "pcomp"):
            return None
        current = current.head
    return None


def _background_clause(token: Token) -> bool:
    """A relative clause describing a party ("the group, which attacked X in 2015").

    Such a clause tells who the party is, not what happened now; it counts as news
    only when it carries a date finer than a year ("which attacked X on Monday").
    """
    if token.dep_ != "relcl" or token.head.pos_ not in ("NOUN", "PROPN"):
        return False
    for ent in token.sent.ents:
        if ent.label_ in ("DATE", "TIME") and token.left_edge.i <= ent.start <= token.right_edge.i:
            if not (len(ent) == 1 and ent[0].like_num):
                return False
    return True


class EventCoder:
    """Codes sentences into events; one instance serves many articles."""

    def __init__(
        self,
        actor_coder: ActorCoder,
        classifier: SentenceClassifier | None = None,
        threshold: float = 0.5,
    ) -> None:
        self.actors = actor_coder
        self.classifier = classifier
        self.threshold = threshold
        self.by_head = ontology.triggers_by_head()

    # ---- actors in the parse -------------------------------------------------

    def _code_token(
        self, head: Token, ctx: Discourse, sentence: SentenceInput
    ) -> Actor | None:
        head = _quantity_head(head)
        if head.pos_ == "PRON" and head.lower_ in ("we", "us", "our") and _in_quote(head, sentence):
            speaker, _ = self._quote_parties(sentence, ctx)
            if speaker:
                return replace(speaker, text=head.text)
        if head.pos_ == "PRON" and head.dep_ in SUBJECTS and head.lower_ in REPORTED_SELF:
            reporter = self._reporting_subject(head)
            if reporter is not None:
                # "Russia said it had expelled ...": the pronoun is the one who said it
                actor = self._code_phrase(reporter, ctx, sentence)
                if actor is not None:
                    return replace(actor, text=head.text)
        actor = self._code_phrase(head, ctx, sentence)
        if actor is None and head.dep_ in ("nsubj", "pobj", "dobj"):
            for conj in head.children:
                if conj.dep_ == "conj":
                    return self._code_token(conj, ctx, sentence)
        return actor

    def _quote_parties(
        self, sentence: SentenceInput, ctx: Discourse
    ) -> tuple[Actor | None, Actor | None]:
        """Who speaks the quotes in this sentence, and to whom.

        The speaker is the subject of the speech verb outside the quotes; one we
        cannot code ("another read") is the last known source. The addressee is
        the speech verb's object ("told the fighters"), else the last target.
        """
        speech = cues()["speech"]
        for token in sentence.span:
            if token.lemma_ not in speech or _in_quote(token, sentence):
                continue
            speaker = addressee = None
            for child in token.children:
                if _in_quote(child, sentence):
                    continue
                if child.dep_ in SUBJECTS and speaker is None:
                    speaker = self._code_phrase(child, ctx, sentence)
                elif child.dep_ in ("dobj", "dative") and addressee is None:
                    addressee = self._code_phrase(child, ctx, sentence)
            if speaker is not None:
                ctx.last_speaker = speaker
            return speaker or ctx.last_speaker or ctx.last_source, addressee or ctx.last_target
        return None, None

    @staticmethod
    def _reporting_subject(pronoun: Token) -> Token | None:
        """The subject of the verb that reports the pronoun's clause, if it is a name."""
        clause = pronoun.head
        if clause.dep_ != "ccomp" or clause.head is clause:
            return None
        for child in clause.head.children:
            if child.dep_ in SUBJECTS and child.pos_ != "PRON":
                return child
        return None

    def _code_phrase(self, head: Token, ctx: Discourse, sentence: SentenceInput) -> Actor | None:
        """The actor the noun phrase headed by ``head`` names, if any."""
        head = _quantity_head(head)
        tokens = phrase_tokens(head)
        actor = self.actors.code(sentence.span.doc[tokens[0].i : tokens[-1].i + 1].text, ctx.memory)
        if actor is not None:
            actor.start, actor.end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        return actor

    def _coordinated_modifiers(
        self, head: Token, ctx: Discourse, sentence: SentenceInput
    ) -> list[Actor | None]:
        """'Hungarian and Romanian officials': the second adjective makes a second actor."""
        extra: list[Actor | None] = []
        for modifier in head.children:
            if modifier.dep_ != "amod":
                continue
            for conj in modifier.children:
                if conj.dep_ == "conj" and conj.pos_ in ("ADJ", "PROPN"):
                    actor = self.actors.code(f"{conj.text} {head.text}", ctx.memory)
                    if actor is not None:
                        actor.text = f"{conj.text} {head.text}"
                    extra.append(actor)
        return extra

    def _subject(self, verb: Token) -> tuple[Token | None, bool]:
        """The verb's subject, climbing through purpose, complement and coordinated clauses.

        Returns the subject token and whether the clause is passive.
        """
        current: Token | None = verb
        for _ in range(4):
            if current is None:
                break
            for child in current.children:
                if child.dep_ in SUBJECTS:
                    return child, False
                if child.dep_ in PASSIVE_SUBJECTS:
                    return child, True
            if current.dep_ in CLAUSE_LINKS and current.head is not current:
                current = current.head
            else:
                break
        return None, False

    def _target_tokens(self, verb: Token) -> list[Token]:
        """Candidate targets in order of preference: objects, then prepositional objects."""
        objects = [c for c in verb.children if c.dep_ in OBJECTS]
        preps: list[Token] = []
        clauses: list[Token] = []
        for child in verb.children:
            if child.dep_ in ("prep", "agent") and child.lower_ in TARGET_PREPS:
                preps.extend(c for c in child.children if c.dep_ == "pobj")
            elif child.dep_ == "xcomp":
                # "threatened to retaliate against the Houthis"
                clauses.extend(self._target_tokens(child))
            elif child.dep_ == "ccomp" and not objects:
                # "demanded that the government withdraw the bill"
                clauses.extend(c for c in child.children if c.dep_ in SUBJECTS)
        for obj in list(objects):  # "recaptured the town from X", "launched an assault on X"
            for prep in obj.children:
                if prep.dep_ == "prep" and prep.lower_ in ("from", "against", "on", "with"):
                    preps.extend(c for c in prep.children if c.dep_ == "pobj")
        return objects + preps + clauses

    def _agent(self, verb: Token) -> Token | None:
        """The 'by' phrase of a passive, or of the passive it is coordinated with.

        "were tortured and killed by X": both verbs share the agent.
        """
        related = [verb, *(c for c in verb.children if c.dep_ == "conj")]
        if verb.dep_ == "conj":
            related.append(verb.head)
        for node in related:
            for child in node.children:
                if child.dep_ == "agent":
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            return pobj
        return None

    # ---- triggers --------------------------------------------------------------

    def _match_trigger(self, token: Token, kind: str) -> tuple[str, list[Token]] | None:
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

    def _light_verb_match(self, verb: Token) -> tuple[str, list[Token]] | None:
        """'launched an assault', 'filed a complaint': the object noun carries the event."""
        for child in verb.children:
            if child.dep_ == "dobj" and child.pos_ in ("NOUN", "PROPN"):
                match = self._match_trigger(child, "noun")
                if match is not None:
                    return match[0], [verb, *match[1]]
        return None

    def _negated(self, verb: Token) -> bool:
        """Negated, or governed by a verb that cancels it ("refused to attack", "intend to ...")."""
        if any(c.dep_ == "neg" for c in verb.children):
            return True
        current = verb
        for _ in range(3):
            if current.dep_ not in ("xcomp", "advcl", "ccomp") or current.head is current:
                return False
            current = current.head
            if current.lemma_ in cues()["block"]:
                return True
        return False

    def _future(self, verb: Token) -> bool:
        return any(c.dep_ == "aux" and c.lemma_ in cues()["future"] for c in verb.children)

    def _conditional(self, verb: Token) -> bool:
        return any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in verb.children)

    def _refusal(self, verb: Token) -> bool:
        """'will not accept', 'would not end the strike': a negated promise is a refusal.

        CAMEO codes refusing to act (12) even when the refused act is not in the lexicon.
        """
        return (
            verb.pos_ == "VERB"
            and verb.lemma_ not in cues()["speech"]
            and any(c.dep_ == "neg" for c in verb.children)
            and any(c.dep_ == "aux" and c.lemma_ in cues()["refusal"] for c in verb.children)
            and not self._negated_by_governor(verb)
        )

    def _negated_by_governor(self, verb: Token) -> bool:
        """'refused to say it would not ...': a governing verb already cancels the clause."""
        current = verb
        for _ in range(3):
            if current.dep_ not in ("xcomp", "advcl", "ccomp") or current.head is current:
                return False
            current = current.head
            if current.lemma_ in cues()["block"] or any(c.dep_ == "neg" for c in current.children):
                return True
        return False

    def _obligation_events(
        self, sentence: SentenceInput, ctx: Discourse
    ) -> Iterable[Found]:
        """'X said Y must withdraw': what a speaker says another must do is a demand."""
        speech = cues()["speech"]
        for clause in sentence.span:
            if clause.dep_ != "ccomp" or clause.head.lemma_ not in speech:
                continue
            if not any(c.dep_ == "aux" and c.lemma_ in cues()["obligation"]
                       for c in clause.children) or any(c.dep_ == "neg" for c in clause.children):
                continue
            verb = clause.head
            if any(c.dep_ == "neg" for c in verb.children) or _in_quote(verb, sentence):
                continue
            speaker = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
            addressee = next((c for c in clause.children if c.dep_ in SUBJECTS), None)
            if speaker is None:
                continue
            source = self._code_token(speaker, ctx, sentence)
            target = self._code_token(addressee, ctx, sentence) if addressee is not None else None
            if source is None or _same_actor(source, target):
                continue
            aux = [c for c in clause.children if c.dep_ == "aux"]
            yield Found("100", [verb, *aux], source, target, 0.7 if target is not None else 0.6)

    def _verb_events(
        self, sentence: SentenceInput, ctx: Discourse
    ) -> Iterable[Found]:
        for token in sentence.span:
            if token.pos_ not in ("VERB", "AUX") or token.dep_ in ("amod", "compound"):
                continue
            match = self._match_trigger(token, "verb")
            if token.lemma_ in cues()["light"] and (match is None or match[0].startswith("01")):
                match = self._light_verb_match(token) or match
            response = token.lemma_ in cues()["response"]
            if self._conditional(token):
                continue
            if self._refusal(token):
                # "X will not accept the plan", "said it would not end the strike"
                match = ("120", [token, *(c for c in token.children if c.dep_ == "neg")])
            elif match is None and not (response and self._future(token)):
                continue
            elif self._negated(token):
                continue
            if token.lemma_ in cues()["speech"] and (match is None or match[0].startswith("01")):
                continue  # a speech verb introduces what was said; the quote holds the event
            cameo = match[0] if match else "138"
            trigger = match[1] if match else [token]
            confidence = 0.7
            root = cameo[:2]
            if _background_clause(token):
                continue
            if _clause_dependency(token) is not None:
                confidence -= SUBORDINATE_PENALTY
            if self._future(token) and root in ("14", "15", "17", "18", "19", "20"):
                cameo = "138" if root in ("15", "18", "19", "20") else "130"
                confidence = 0.65
            subject, passive = self._subject(token)
            if subject is not None and subject.tag_ in ("WDT", "WP") and token.dep_ == "relcl":
                subject = token.head  # "fighters, who attacked ...": the fighters act
            source = target = None
            if passive:
                agent = self._agent(token)
                source = self._code_token(agent, ctx, sentence) if agent else None
                target = self._code_token(subject, ctx, sentence) if subject else None
            else:
                source = self._code_token(subject, ctx, sentence) if subject else None
                for candidate in self._target_tokens(token):
                    if _in_quote(candidate, sentence) and _self_reference(candidate):
                        # "we will defend our forces": the threat is aimed at the addressee
                        target = self._quote_parties(sentence, ctx)[1]
                    else:
                        target = self._code_token(candidate, ctx, sentence)
                    if _same_actor(source, target) and root != "01":
                        target = None  # "agreed to resign from the government": not a target
                    if target is not None:
                        break
            partners = [c for c in subject.children if c.dep_ == "conj"] if subject else []
            if target is None and partners and not passive:
                # "Ethiopia and Eritrea signed an agreement": each side is the other's target
                target = self._code_token(partners[0], ctx, sentence)
                partners = []
            sources = [source]
            if not passive:
                # "Hungarian and Romanian officials", "Rwanda and Uganda accused ...": each acts
                sources += [self._code_token(p, ctx, sentence) for p in partners]
                sources += self._coordinated_modifiers(subject, ctx, sentence) if subject else []
            for actor in sources:
                if actor is None:
                    continue
                if root == "01":
                    if target is None and cameo in cues()["plain"]:
                        continue  # a bare statement aimed at no one is not worth a row
                    # statements lose to any typed event in the sentence
                    yield Found(cameo, trigger, actor, target,
                                confidence - 0.15 + (0.1 if target is not None else 0.0))
                    continue
                bonus = 0.15 if target is not None else 0.0
                yield Found(cameo, trigger, actor, target, confidence + bonus)

    def _imperative_events(
        self, sentence: SentenceInput, ctx: Discourse
    ) -> Iterable[Found]:
        """Orders inside quotes ("leave the area immediately") are demands by the speaker."""
        if not sentence.quoted:
            return
        for token in sentence.span:
            if (
                token.tag_ == "VB"
                and _in_quote(token, sentence)
                and token.dep_ in ("ROOT", "ccomp", "conj", "parataxis")
                and not any(c.dep_ in SUBJECTS + ("aux",) for c in token.children)
                and (token.i == sentence.span.start or token.nbor(-1).text in (",", ";", ":", '"',
                                                                            "\u201c", "and"))
            ):
                speaker, addressee = self._quote_parties(sentence, ctx)
                if speaker is None:
                    continue
                yield Found("100", [token], speaker, addressee, 0.6)

    def _nominal_events(
        self, sentence: SentenceInput, ctx: Discourse
    ) -> Iterable[Found]:
        """Events named by a noun: "fighting between X and Y", "an attack on X by Y"."""
        between = cues()["between"]
        for token in sentence.span:
            if token.pos_ not in ("NOUN", "VERB") or token.lemma_.lower() not in self.by_head:
                continue
            if token.pos_ == "VERB" and token.dep_ not in ("pcomp", "pobj", "nsubj", "dobj"):
                continue
            match = self._match_trigger(token, "noun")
            if match is None:
                continue
            source = target = None
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
                        source = self._code_token(sides[0], ctx, sentence)
                        target = self._code_token(sides[-1], ctx, sentence)
                elif prep.lower_ == "by":
                    source = self._code_token(objects[0], ctx, sentence)
                elif prep.lower_ in ("on", "against", "with"):
                    target = self._code_token(objects[0], ctx, sentence)
            for child in token.children:
                if child.dep_ == "poss" and source is None:
                    source = self._code_token(child, ctx, sentence)
            if source is None or target is None:
                continue
            yield Found(match[0], match[1], source, target, 0.7)

    def lexicon_guess(self, span: Span) -> str | None:
        """The CAMEO code of the sentence's main trigger, actors or not.

        Used when a sentence is known to report an event but no coded event came
        out: the trigger nearest the root of the parse wins; bare statements lose.
        """
        best: tuple[int, int, str] | None = None
        for token in span:
            kind = "verb" if token.pos_ in ("VERB", "AUX") else "noun"
            match = self._match_trigger(token, kind)
            if match is None or self._negated(token):
                continue
            depth = 0
            node = token
            while node.head is not node and depth < 10:
                node, depth = node.head, depth + 1
            statement = 1 if match[0].startswith("01") else 0
            rank = (statement, depth, match[0])
            if best is None or rank < best:
                best = rank
        return best[2] if best else None

    # ---- the public entry point ------------------------------------------------

    def code_sentences(
        self,
        doc_id: str,
        sentences: Sequence[SentenceInput],
        ctx: Discourse,
    ) -> list[Event]:
        predictions: list[Prediction | None] = [None] * len(sentences)
        if self.classifier is not None and sentences:
            predictions = list(self.classifier.predict([s.span.text for s in sentences]))
        events: list[Event] = []
        for sentence, prediction in zip(sentences, predictions, strict=True):
            found = [
                *self._verb_events(sentence, ctx),
                *self._nominal_events(sentence, ctx),
                *self._imperative_events(sentence, ctx),
                *self._obligation_events(sentence, ctx),
            ]
            if not found and prediction is not None:
                found = list(self._model_event(sentence, prediction, ctx))
            elif len(found) == 1 and prediction is not None:
                found = [self._reconcile(found[0], prediction)]
            for item in found:
                if _same_actor(item.source, item.target):
                    continue  # "Iranian officials denied that Tehran ...": not an interaction
                event = self._make_event(doc_id, sentence, item, prediction)
                if event.confidence < self.threshold:
                    continue
                events.append(event)
                if item.source is not None:
                    ctx.memory.remember(item.source)
                    ctx.last_source = item.source
                    if event.quad_class in (1, 3):
                        ctx.last_speaker = item.source
                if item.target is not None:
                    ctx.memory.remember(item.target)
                    ctx.last_target = item.target
            self._remember_mentions(sentence, ctx)
        return events

    def _remember_mentions(self, sentence: SentenceInput, ctx: Discourse) -> None:
        """Actors named in a sentence, so later "the fighters" or "they" can resolve to them."""
        for chunk in sentence.span.noun_chunks:
            if chunk.root.pos_ == "PRON" or _in_quote(chunk.root, sentence):
                continue
            actor = self.actors.code(chunk.text, ctx.memory)
            if actor is not None and actor.country or actor is not None and actor.name:
                ctx.memory.remember(actor)

    def _reconcile(self, item: Found, prediction: Prediction) -> Found:
        """One event in the sentence and a confident classifier that reads it otherwise.

        The classifier (0.875 PLOVER macro-F1 held out) is more often right about the type
        than a single trigger word, so its type wins; the rule's actors and
        evidence stay. With several events in a sentence the rules keep their codes:
        one sentence label cannot speak for each of them.
        """
        code = ontology.cameo(item.cameo)
        if code.plover and ontology.plover_merged(code.plover) == prediction.plover:
            return item
        plover = ontology.plover_canonical(prediction.plover)
        try:
            cameo = ontology.plover_default_cameo(plover)
        except KeyError:
            return item
        if prediction.confidence >= OVERRIDE_CONFIDENCE or self._groups_agree(
            prediction, code.penta_class, ontology.cameo(cameo).penta_class
        ):
            return replace(item, cameo=cameo, overridden=True)
        return item

    @staticmethod
    def _groups_agree(
        prediction: Prediction, rule_group: int | None, plover_group: int | None
    ) -> bool:
        """The five-class head is sure the rule's CAMEO group is wrong, and the PLOVER head agrees.

        Two heads reading the sentence the same way outweigh one trigger word.
        """
        return (
            prediction.penta is not None
            and (prediction.penta_confidence or 0.0) >= GROUP_OVERRIDE_CONFIDENCE
            and prediction.penta != rule_group
            and prediction.penta == plover_group
        )

    def _model_event(
        self, sentence: SentenceInput, prediction: Prediction, ctx: Discourse
    ) -> Iterable[Found]:
        """A sentence the lexicon missed but the classifier is sure of: code its main clause."""
        if prediction.confidence < 0.8:
            return
        root = sentence.span.root
        subject, passive = self._subject(root)
        if subject is None or passive:
            return
        source = self._code_token(subject, ctx, sentence)
        target = None
        for candidate in self._target_tokens(root):
            target = self._code_token(candidate, ctx, sentence)
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
            coder=CODER_NAME if self.classifier is not None else RULES_ONLY_NAME,
            trigger_start=sentence.text_start + min(t.idx for t in item.trigger) - span.start_char,
        )


