"""Behavioural checks of the event coder, CheckList-style: is its logic kept as wording changes?

Cases are generated, deterministically from a seed, from templates and fillers
in ``eventwire/data/check/`` (``templates_dev.tsv``, the set the checks were
written against, and ``templates_heldout.tsv``, written afterwards and never
tuned on). Each case is one or more sentences, each coded as a one-sentence
article by the full pipeline; a case passes or fails as a whole.

What the record must show, per behaviour (an *expected event* is a template's
``expect``: TYPES, ACTORS and forbidden types):

* An event **matches** an expectation when its ``plover`` is one of the TYPES
  (or its ``cameo`` starts with a listed code) and its ``source`` and
  ``target`` match the slots of ACTORS. A slot filled with a country matches an
  actor whose ``country`` is that country's ISO3 (and, when the slot is written
  only as a person, whose ``text`` holds the person's family name); a slot
  filled with an organisation matches an actor whose ``text`` holds the group's
  name and whose ``country`` is the group's (unchecked when it has none). Texts
  are compared case-folded, with Unicode hyphens and apostrophes made plain.
  ``/AGENT`` also requires that ``agent``; ``*`` accepts anything, a missing
  actor too. ``S<>T`` accepts either direction. A sentence
  **is coded as expected** when one of its events matches and none has a
  forbidden PLOVER type (``!*``: no event at all).
* **invariance** (swapped countries, persons, organisations, places, dates;
  tense; casing; straight or curly quotes; an added attribution or clause):
  the changed sentence is coded as expected (a country swap expects the new
  countries) and its events have the same set of PLOVER types as the
  original's. Only cases whose original is coded as expected are counted
  (a wrong original says nothing about invariance; it is reported as
  ``original_failed`` and shows in ``constructions/plain``).
* **direction**: ``swap`` codes the sentence with the two actors exchanged and
  expects them exchanged in ``source`` and ``target``; ``active_passive`` and
  ``passive_nominal`` code each wording of one event and expect the same
  source and target in every one.
* **constructions**: the sentence (a nominal event, victims as subject, a
  participial clause, a clash, a hedged or unnamed perpetrator; ``plain``: the
  plain active sentences that invariance and robustness start from) is coded
  as expected.
* **no_event** (negation, denial, hypotheticals, plans, obligations, questions,
  bare reporting, states): no event has a forbidden type.
* **boundaries**: the right type with its direction, and no event of the type
  it borders on (a threat is no ASSAULT, a demand no ACCUSE, an offer of talks
  no CONSULT).
* **robustness** (a typo in a word that is not a name; Unicode hyphens, dashes,
  apostrophes and quotes; doubled spaces, tabs, non-breaking spaces and line
  breaks inside the sentence): judged as invariance.

A behaviour's pass rate is the share of its cases that pass, over all its tests.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from eventwire.data import DATA_DIR

DATA = DATA_DIR / "check"
TEMPLATE_SETS = {"dev": "templates_dev.tsv", "heldout": "templates_heldout.tsv"}
BEHAVIOURS = ("invariance", "direction", "constructions", "no_event", "boundaries", "robustness")
PUBLISHED = "2024-03-05"
PER_TEST = 30
SLOT = re.compile(r"\{([A-Z])(?::(\w+))?\}")
ACTOR_SLOT = re.compile(r"^(\*|[A-Z])(?:/([A-Z]{3}))?$")
ORG_FORMS = {"armed": "armed", "armed_mod": "armed", "igo": "igo"}
ALL = "*"

# ----------------------------------------------------------------------------- data files


def _rows(name: str) -> list[dict[str, str]]:
    """Rows of a tab-separated data file: comment lines first, then a header."""
    lines = [
        line for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=False)) for line in lines[1:]]


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    adjective: str
    cities: tuple[str, ...]


@dataclass(frozen=True)
class Organisation:
    name: str
    bare: str
    kind: str
    country: str | None


@dataclass(frozen=True)
class Person:
    """A person in a sentence: country adjective, role and invented name."""

    role: str
    agent: str
    given: str
    family: str

    def render(self, country: Country) -> str:
        return f"{country.adjective} {self.role} {self.given} {self.family}"


@dataclass(frozen=True)
class Fillers:
    countries: tuple[Country, ...]
    organisations: tuple[Organisation, ...]
    persons: tuple[Person, ...]
    dates: tuple[str, ...]
    numbers: tuple[str, ...]
    attributions: tuple[tuple[str, str], ...]
    clauses: tuple[tuple[str, str], ...]


def load_fillers() -> Fillers:
    roles = [(r["role"], r["agent"]) for r in _rows("roles.tsv")]
    names = [(r["given"], r["family"]) for r in _rows("persons.tsv")]
    return Fillers(
        countries=tuple(
            Country(r["iso3"], r["name"], r["adjective"], tuple(r["cities"].split("|")))
            for r in _rows("countries.tsv")
        ),
        organisations=tuple(
            Organisation(r["name"], r["bare"], r["kind"], r.get("country") or None)
            for r in _rows("organisations.tsv")
        ),
        persons=tuple(
            Person(role, agent, given, family) for role, agent in roles for given, family in names
        ),
        dates=tuple(r["phrase"] for r in _rows("dates.tsv")),
        numbers=tuple(r["phrase"] for r in _rows("numbers.tsv")),
        attributions=tuple((r["position"], r["text"]) for r in _rows("attributions.tsv")),
        clauses=tuple((r["position"], r["text"]) for r in _rows("clauses.tsv")),
    )


# ----------------------------------------------------------------------------- expectations


@dataclass(frozen=True)
class ActorSpec:
    slot: str  # a slot letter or "*"
    agent: str | None = None


@dataclass(frozen=True)
class Expectation:
    """What the events of one sentence must show (see the module docstring)."""

    types: tuple[str, ...] = ()  # PLOVER types or CAMEO prefixes; empty: no event required
    source: ActorSpec = ActorSpec(ALL)
    target: ActorSpec = ActorSpec(ALL)
    either_direction: bool = False
    forbidden: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Expectation:
        parts = text.split()
        forbidden = tuple(
            t for p in parts if p.startswith("!") for t in p[1:].split("|") if t
        )
        parts = [p for p in parts if not p.startswith("!")]
        if parts == ["none"]:
            return cls(forbidden=forbidden)
        if len(parts) != 2:
            raise ValueError(f"expectation needs TYPES and ACTORS: {text!r}")
        types, actors = parts
        either = "<>" in actors
        left, right = actors.split("<>" if either else ">")
        return cls(tuple(types.split("|")), _actor_spec(left), _actor_spec(right), either,
                   forbidden)


def _actor_spec(text: str) -> ActorSpec:
    found = ACTOR_SLOT.match(text)
    if not found:
        raise ValueError(f"bad actor slot {text!r}")
    return ActorSpec(found.group(1), found.group(2))


# ----------------------------------------------------------------------------- templates


@dataclass(frozen=True)
class Template:
    id: str
    behaviour: str
    test: str
    expect: Expectation
    variants: tuple[str, ...]

    def roles(self) -> dict[str, str]:
        """Slot letter -> what fills it: country, person (a country with a person), armed or igo."""
        kinds: dict[str, str] = {}
        for text in self.variants:
            for letter, form in SLOT.findall(text):
                if letter in "DN":
                    continue
                kind = ORG_FORMS.get(form, "person" if form == "person" else "country")
                if kinds.get(letter) in (None, "country"):
                    kinds[letter] = kind
        return kinds

    def uses(self, form: str) -> bool:
        return any(f"{{{form}}}" in text or f":{form}}}" in text for text in self.variants)


def load_templates(set_name: str) -> list[Template]:
    out = []
    for row in _rows(TEMPLATE_SETS[set_name]):
        out.append(Template(
            row["id"], row["behaviour"], row["test"], Expectation.parse(row["expect"]),
            tuple(v.strip() for v in row["text"].split(" || ")),
        ))
    return out


@dataclass(frozen=True)
class Filling:
    """The fillers of one case: what stands in each slot."""

    countries: dict[str, Country]
    organisations: dict[str, Organisation]
    persons: dict[str, Person]
    city: int
    date: str
    number: str
    named: frozenset[str] = frozenset()
    """Slots written only as a person: the actor's text must hold the family name."""


def draw_filling(template: Template, fillers: Fillers, rng: random.Random) -> Filling:
    """Distinct countries, persons and groups for the slots; no two slots share a country."""
    roles = template.roles()
    organisations: dict[str, Organisation] = {}
    for letter, kind in sorted(roles.items()):
        if kind in ("armed", "igo"):
            pool = [o for o in fillers.organisations
                    if o.kind == kind and o not in organisations.values()]
            organisations[letter] = rng.choice(pool)
    taken = {o.country for o in organisations.values() if o.country}
    countries: dict[str, Country] = {}
    for letter in sorted(set(roles) | set(_country_letters(template))):
        if letter in organisations:
            continue
        free = [c for c in fillers.countries if c.iso3 not in taken]
        countries[letter] = rng.choice(free)
        taken.add(countries[letter].iso3)
    persons: dict[str, Person] = {}
    for letter, kind in sorted(roles.items()):
        if kind == "person":
            used = {p.family for p in persons.values()}
            persons[letter] = rng.choice([p for p in fillers.persons if p.family not in used])
    forms: dict[str, set[str]] = {}
    for text in template.variants:
        for letter, form in SLOT.findall(text):
            forms.setdefault(letter, set()).add(form)
    named = frozenset(letter for letter in persons if forms[letter] == {"person"})
    return Filling(countries, organisations, persons, rng.randrange(3),
                   rng.choice(fillers.dates), rng.choice(fillers.numbers), named)


def _country_letters(template: Template) -> list[str]:
    return [letter for text in template.variants for letter, form in SLOT.findall(text)
            if letter not in "DN" and form not in ORG_FORMS]


def render(text: str, filling: Filling) -> str:
    def fill(found: re.Match[str]) -> str:
        letter, form = found.group(1), found.group(2)
        if letter == "D":
            return filling.date
        if letter == "N":
            return filling.number
        if form in ORG_FORMS:
            org = filling.organisations[letter]
            return org.bare if form == "armed_mod" else org.name
        country = filling.countries[letter]
        if form == "adj":
            return country.adjective
        if form == "place":
            return country.cities[filling.city % len(country.cities)]
        if form == "person":
            return filling.persons[letter].render(country)
        return country.name

    out = SLOT.sub(fill, text)
    out = re.sub(r"\s+([,.?])", r"\1", out)  # an empty slot before punctuation
    out = re.sub(r"\b([Aa]) (?=[AEIOU])", r"\1n ", out)  # "an Armenian convoy"
    return out[:1].upper() + out[1:]


# ----------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Sentence:
    text: str
    expect: Expectation
    filling: Filling


@dataclass
class Case:
    behaviour: str
    test: str
    template: str
    sentences: list[Sentence]
    same_types: bool = False  # invariance: every sentence must give the same PLOVER types
    conditional: bool = False  # counted only when the first (original) sentence passes
    passed: bool = False
    counted: bool = True
    coded: list[list[dict[str, Any]]] = field(default_factory=list)
    reason: str = ""


Perturb = Callable[[Template, Filling, Fillers, random.Random], tuple[str, str, Filling] | None]
"""(original text, changed text, filling of the changed text), or None when it does not apply."""


def _refill(kind: str) -> Perturb:
    def perturb(t: Template, f: Filling, fillers: Fillers, rng: random.Random) -> Any:
        other = draw_filling(t, fillers, rng)
        if kind == "countries":
            if not f.countries:
                return None
            new = replace(f, countries=other.countries)
        elif kind == "persons":
            if not f.persons:
                return None
            new = replace(f, persons=other.persons)
        elif kind == "organisations":
            if not f.organisations:
                return None
            taken = {c.iso3 for c in f.countries.values()}
            for _ in range(20):
                if not {o.country for o in other.organisations.values()} & taken:
                    break
                other = draw_filling(t, fillers, rng)
            else:
                return None
            new = replace(f, organisations=other.organisations)
        elif kind == "places":
            if not t.uses("place"):
                return None
            new = replace(f, city=(f.city + 1 + rng.randrange(2)) % 3)
        else:
            if "{D}" not in t.variants[0]:
                return None
            new = replace(f, date=rng.choice([d for d in fillers.dates if d != f.date]))
        text = t.variants[0]
        return render(text, f), render(text, new), new
    return perturb


def _textual(change: Callable[[str, Fillers, random.Random, Filling], str | None]) -> Perturb:
    def perturb(t: Template, f: Filling, fillers: Fillers, rng: random.Random) -> Any:
        original = render(t.variants[0], f)
        changed = change(original, fillers, rng, f)
        return None if changed is None or changed == original else (original, changed, f)
    return perturb


def _casing(text: str, fillers: Fillers, rng: random.Random, f: Filling) -> str:
    style = rng.randrange(3)
    if style == 0:
        return text.lower()
    if style == 1:
        return text.upper()
    return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))


def _curly(text: str, fillers: Fillers, rng: random.Random, f: Filling) -> str | None:
    if "'" not in text and '"' not in text:
        return None
    out = text.replace("'", "\u2019")
    opened = False
    chars = []
    for char in out:
        if char == '"':
            chars.append("\u201d" if opened else "\u201c")
            opened = not opened
        else:
            chars.append(char)
    return "".join(chars)


def _add(pool: Callable[[Fillers], Sequence[tuple[str, str]]]) -> Callable[..., str | None]:
    def change(text: str, fillers: Fillers, rng: random.Random, f: Filling) -> str | None:
        position, words = rng.choice(list(pool(fillers)))
        end = text[-1] if text[-1] in ".?!" else ""
        body = text[:-1] if end else text
        if position == "suffix":
            return f"{body}{words}{end}"
        lowered = body if _starts_with_name(body, f) else body[:1].lower() + body[1:]
        return f"{words}{lowered}{end}"
    return change


def _starts_with_name(text: str, f: Filling) -> bool:
    names = [c.name for c in f.countries.values()] + [c.adjective for c in f.countries.values()]
    names += [o.name for o in f.organisations.values()] + [o.bare for o in f.organisations.values()]
    return any(text.startswith(n) and n[:1].isupper() for n in names if n)


def _protected(text: str, f: Filling) -> list[tuple[int, int]]:
    """Spans of the fillers' names in a sentence: typos go elsewhere."""
    names = [c.name for c in f.countries.values()] + [c.adjective for c in f.countries.values()]
    names += [city for c in f.countries.values() for city in c.cities]
    names += [o.name for o in f.organisations.values()] + [o.bare for o in f.organisations.values()]
    names += [p.given for p in f.persons.values()] + [p.family for p in f.persons.values()]
    spans = []
    for name in names:
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(name), text)]
    return spans


def _typo(text: str, fillers: Fillers, rng: random.Random, f: Filling) -> str | None:
    """One typing slip (two letters swapped, one dropped or doubled) in a word of four letters+."""
    protected = _protected(text, f)
    words = [m for m in re.finditer(r"[A-Za-z]{4,}", text)
             if not any(a < m.end() and m.start() < b for a, b in protected)]
    if not words:
        return None
    word = rng.choice(words)
    at = word.start() + 1 + rng.randrange(len(word.group()) - 2)
    kind = rng.randrange(3)
    if kind == 0:
        return text[:at] + text[at + 1] + text[at] + text[at + 2:]
    if kind == 1:
        return text[:at] + text[at + 1:]
    return text[:at] + text[at] + text[at:]


UNICODE_FORMS = {
    "-": ("\u2010", "\u2011", "\u2013"),  # hyphen, non-breaking hyphen, en dash
    "'": ("\u2019", "\u02bc", "\u2032"),  # right quote, modifier apostrophe, prime
    '"': ("\u00ab", "\u201c", "\u201e"),
}


def _unicode(text: str, fillers: Fillers, rng: random.Random, f: Filling) -> str:
    """Hyphens, apostrophes and quotes in other Unicode forms; with none, a dash for a comma."""
    if not any(ch in text for ch in UNICODE_FORMS):
        body, end = text[:-1], text[-1]
        return body + " \u2014 " + rng.choice(["officials said", "witnesses said"]) + end
    out = []
    style = rng.randrange(3)
    closes = {"\u00ab": "\u00bb", "\u201c": "\u201d", "\u201e": "\u201c"}
    opened = False
    for char in text:
        if char == '"':
            form = UNICODE_FORMS['"'][style]
            out.append(closes[form] if opened else form)
            opened = not opened
        elif char in UNICODE_FORMS:
            out.append(UNICODE_FORMS[char][style])
        else:
            out.append(char)
    return "".join(out)


def _whitespace(text: str, fillers: Fillers, rng: random.Random, f: Filling) -> str | None:
    """Doubled spaces, a tab, a non-breaking space or a line break between words."""
    gaps = [m.start() for m in re.finditer(" ", text)]
    if len(gaps) < 3:
        return None
    chosen = sorted(rng.sample(gaps, min(len(gaps), 1 + rng.randrange(3))))
    fills = ["  ", "\t", "\n", "\u00a0", " \n "]
    out, last = [], 0
    for gap in chosen:
        out += [text[last:gap], rng.choice(fills)]
        last = gap + 1
    out.append(text[last:])
    return ("  " if rng.random() < 0.3 else "") + "".join(out)


PERTURBATIONS: dict[tuple[str, str], Perturb] = {
    ("invariance", "countries"): _refill("countries"),
    ("invariance", "persons"): _refill("persons"),
    ("invariance", "organisations"): _refill("organisations"),
    ("invariance", "places"): _refill("places"),
    ("invariance", "dates"): _refill("dates"),
    ("invariance", "casing"): _textual(_casing),
    ("invariance", "quotes"): _textual(_curly),
    ("invariance", "attribution"): _textual(_add(lambda f: f.attributions)),
    ("invariance", "clause"): _textual(_add(lambda f: f.clauses)),
    ("robustness", "typos"): _textual(_typo),
    ("robustness", "unicode"): _textual(_unicode),
    ("robustness", "whitespace"): _textual(_whitespace),
}


def _swap(t: Template, f: Filling) -> Filling | None:
    """The filling with the source and target exchanged."""
    a, b = t.expect.source.slot, t.expect.target.slot
    if ALL in (a, b):
        return None
    if (a in f.organisations) != (b in f.organisations):
        return None  # a group and a country do not trade places
    return replace(f, countries=_swapped(f.countries, a, b),
                   organisations=_swapped(f.organisations, a, b),
                   persons=_swapped(f.persons, a, b))


def _swapped(table: dict[str, Any], a: str, b: str) -> dict[str, Any]:
    """A person's country comes with the slot, so one person alone stays where they are."""
    out = dict(table)
    if a in out and b in out:
        out[a], out[b] = out[b], out[a]
    return out


def generate(set_name: str = "dev", seed: int = 15, per_test: int = PER_TEST) -> list[Case]:
    """The cases of one template set: the same seed gives the same cases."""
    fillers = load_fillers()
    templates = load_templates(set_name)
    rng = random.Random(f"{set_name}:{seed}")
    bases = [t for t in templates if t.behaviour == "base"]
    cases: list[Case] = []

    def spread(pool: list[Template], make: Callable[[Template], Case | None]) -> list[Case]:
        """Up to per_test cases, the templates taken in turn."""
        out: list[Case] = []
        tries = 0
        while pool and len(out) < per_test and tries < per_test * 6:
            made = make(pool[tries % len(pool)])
            tries += 1
            if made is not None:
                out.append(made)
        return out

    for (behaviour, test), perturb in PERTURBATIONS.items():
        def perturbed(t: Template, b: str = behaviour, n: str = test,
                      p: Perturb = perturb) -> Case | None:
            filling = draw_filling(t, fillers, rng)
            made = p(t, filling, fillers, rng)
            if made is None:
                return None
            original, changed, new = made
            return Case(b, n, t.id, [Sentence(original, t.expect, filling),
                                     Sentence(changed, t.expect, new)], same_types=True,
                        conditional=True)
        cases += spread(bases, perturbed)

    def swapped(t: Template) -> Case | None:
        filling = draw_filling(t, fillers, rng)
        other = _swap(t, filling)
        if other is None:
            return None
        text = t.variants[0]
        return Case("direction", "swap", t.id, [Sentence(render(text, filling), t.expect, filling),
                                                Sentence(render(text, other), t.expect, other)])
    cases += spread(bases, swapped)

    groups: dict[tuple[str, str], list[Template]] = {}
    for t in templates:
        if t.behaviour != "base":
            groups.setdefault((t.behaviour, t.test), []).append(t)
    for (behaviour, _test), pool in groups.items():
        def written(t: Template, same: bool = behaviour == "invariance") -> Case | None:
            filling = draw_filling(t, fillers, rng)
            sentences = [Sentence(render(v, filling), t.expect, filling) for v in t.variants]
            return Case(t.behaviour, t.test, t.id, sentences, same_types=same, conditional=same)
        cases += spread(pool, written)

    def plain(t: Template) -> Case:
        filling = draw_filling(t, fillers, rng)
        return Case("constructions", "plain", t.id,
                    [Sentence(render(t.variants[0], filling), t.expect, filling)])
    cases += spread(bases, plain)
    return cases


# ----------------------------------------------------------------------------- judging


def _normal(text: str | None) -> str:
    text = (text or "").casefold()
    for forms in UNICODE_FORMS.values():
        for form in forms:
            text = text.replace(form, "-" if form in UNICODE_FORMS["-"] else "'")
    return " ".join(text.split())


def actor_matches(spec: ActorSpec, actor: dict[str, Any] | None, filling: Filling) -> bool:
    if spec.slot == ALL:
        return True
    if actor is None:
        return False
    if spec.agent and actor.get("agent") != spec.agent:
        return False
    text = _normal(actor.get("text"))
    if spec.slot in filling.organisations:
        org = filling.organisations[spec.slot]
        if _normal(org.bare) not in text and _normal(org.name) not in text:
            return False
        return org.country is None or actor.get("country") == org.country
    country = filling.countries.get(spec.slot)
    if country is None or actor.get("country") != country.iso3:
        return False
    person = filling.persons.get(spec.slot)
    return spec.slot not in filling.named or person is None or _normal(person.family) in text


def _type_ok(types: Sequence[str], event: dict[str, Any]) -> bool:
    for wanted in types:
        if wanted[:1].isdigit():
            if str(event.get("cameo") or "").startswith(wanted):
                return True
        elif event.get("plover") == wanted:
            return True
    return False


def event_matches(expect: Expectation, event: dict[str, Any], filling: Filling) -> bool:
    if not _type_ok(expect.types, event):
        return False
    src, tgt = event.get("source"), event.get("target")
    if actor_matches(expect.source, src, filling) and actor_matches(expect.target, tgt, filling):
        return True
    return expect.either_direction and actor_matches(expect.source, tgt, filling) and \
        actor_matches(expect.target, src, filling)


def sentence_verdict(expect: Expectation, events: list[dict[str, Any]], filling: Filling) -> str:
    """Empty when the events are as expected, else why not."""
    if ALL in expect.forbidden and events:
        return "an event where none may be"
    banned = [e["plover"] for e in events if e.get("plover") in expect.forbidden]
    if banned:
        return f"forbidden type {banned[0]}"
    if expect.types and not any(event_matches(expect, e, filling) for e in events):
        return "no event of the expected type and direction"
    return ""


def judge(case: Case, coded: list[list[dict[str, Any]]]) -> None:
    case.coded = coded
    for index, (sentence, events) in enumerate(zip(case.sentences, coded, strict=True)):
        why = sentence_verdict(sentence.expect, events, sentence.filling)
        if why:
            case.passed, case.reason = False, f"sentence {index + 1}: {why}"
            case.counted = not (case.conditional and index == 0)
            return
    if case.same_types:
        kinds = [sorted({str(e.get("plover")) for e in events}) for events in coded]
        if any(k != kinds[0] for k in kinds):
            case.passed, case.reason = False, f"types differ: {kinds}"
            return
    case.passed, case.reason = True, ""


def code_texts(texts: Iterable[str], use_model: bool = True) -> dict[str, list[dict[str, Any]]]:
    """Each distinct text coded as a one-sentence article, in batches through the pipeline."""
    from eventwire.coding.pipeline import Pipeline
    from eventwire.records.errors import InputError
    from eventwire.records.model import Article

    unique = list(dict.fromkeys(texts))
    articles = [Article(doc_id=f"check-{i}", text=t, body=t, body_offset=[(0, 0)],
                        published=PUBLISHED) for i, t in enumerate(unique)]
    out: dict[str, list[dict[str, Any]]] = {}
    for text, result in zip(unique, Pipeline(use_model=use_model).run(articles, batch_size=64),
                            strict=True):
        out[text] = [] if isinstance(result, InputError) else [e.to_dict() for e in result.events]
    return out


def run_check(set_names: Sequence[str] = tuple(TEMPLATE_SETS), seed: int = 15,
              per_test: int = PER_TEST, use_model: bool = True) -> dict[str, list[Case]]:
    """Generate, code (every distinct sentence once, one pipeline for all sets) and judge."""
    results = {name: generate(name, seed, per_test) for name in set_names}
    every = [c for cases in results.values() for c in cases]
    coded = code_texts((s.text for c in every for s in c.sentences), use_model)
    for case in every:
        judge(case, [coded[s.text] for s in case.sentences])
    return results


def summarise(cases: Sequence[Case]) -> dict[str, Any]:
    """Pass rates per behaviour and per test."""
    def rate(group: list[Case]) -> dict[str, Any]:
        counted = [c for c in group if c.counted]
        passed = sum(c.passed for c in counted)
        return {"cases": len(counted), "passed": passed,
                "pass_rate": round(passed / len(counted), 4) if counted else None,
                "original_failed": len(group) - len(counted)}

    behaviours: dict[str, Any] = {}
    for behaviour in BEHAVIOURS:
        group = [c for c in cases if c.behaviour == behaviour]
        tests = {}
        for test in dict.fromkeys(c.test for c in group):
            tests[test] = rate([c for c in group if c.test == test])
        behaviours[behaviour] = {**rate(group), "tests": tests}
    return {"cases": len(cases), "behaviours": behaviours}


def describe_event(event: dict[str, Any]) -> str:
    def actor(a: dict[str, Any] | None) -> str:
        if not a:
            return "-"
        return f"{a.get('text')!r} {a.get('country') or '?'}/{a.get('agent') or '?'}"
    return f"{event.get('plover')} {event.get('cameo')} {actor(event.get('source'))} -> " \
        f"{actor(event.get('target'))}"


# ----------------------------------------------------------------------------- report


def run_and_print(set_name: str, failures: bool, per_test: int, seed: int, as_json: bool,
                  no_model: bool) -> None:
    """The command line's report: a table per template set, failures when asked."""
    import json

    from rich.console import Console
    from rich.table import Table

    names = list(TEMPLATE_SETS) if set_name == "all" else [set_name]
    if any(n not in TEMPLATE_SETS for n in names):
        raise ValueError(f"choose a template set from {', '.join(TEMPLATE_SETS)} or all")
    results = run_check(names, seed, per_test, use_model=not no_model)
    summaries = {n: summarise(c) for n, c in results.items()}
    out = Console(width=None if Console().is_terminal else 120)
    if as_json:
        print(json.dumps(summaries, indent=2))
    else:
        table = Table(title=f"eventwire check (seed {seed}): pass rate per behaviour")
        table.add_column("behaviour")
        table.add_column("test")
        for n in names:
            table.add_column(f"{n} cases", justify="right")
            table.add_column(f"{n} pass", justify="right")
        for behaviour in BEHAVIOURS:
            tests = list(dict.fromkeys(
                t for n in names for t in summaries[n]["behaviours"][behaviour]["tests"]))
            for label, pick in [("all", None), *((t, t) for t in tests)]:
                row = [behaviour if pick is None else "", label]
                for n in names:
                    entry = summaries[n]["behaviours"][behaviour]
                    entry = entry if pick is None else entry["tests"].get(pick)
                    if entry is None:
                        row += ["", ""]
                    else:
                        figure = entry["pass_rate"]
                        row += [str(entry["cases"]), "-" if figure is None else f"{figure:.2f}"]
                table.add_row(*row, style="bold" if pick is None else None)
        out.print(table)
    if failures:
        for n, cases in results.items():
            for case in cases:
                if case.passed or not case.counted:
                    continue
                print(f"[{n}] {case.behaviour}/{case.test} {case.template}: {case.reason}")
                for sentence, events in zip(case.sentences, case.coded, strict=True):
                    print(f"    {sentence.text!r}")
                    for event in events:
                        print(f"        {describe_event(event)}")
                    if not events:
                        print("        (no event)")
