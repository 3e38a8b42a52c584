"""Toponyms: recognition (spaCy NER plus gazetteer matching), resolution using the
whole article, the article's focus and each event's own location.

Recognition takes GPE/LOC entities (FAC ones only when the gazetteer knows them) and
adds gazetteer matches over capitalised proper-noun runs, which catches names NER misses
or calls ORG ("At Tanf", "Bukamal", "Badia"). Demonyms and nationality adjectives are not
places: "the Iraqi border" yields no mention (a listed choice, see gazetteer_notplaces.tsv).

Resolution scores each gazetteer candidate by kind (country > continent > region >
city by population), by agreement with the countries and US states the article names,
and by closeness to the article's other places, so "Badia" in a Syria story is the
Syrian desert and "Iraq" is the country, not Arak.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from eventwire.coding.gazetteer import (
    DATA_DIR,
    KIND_ADMIN1,
    KIND_ADMIN2,
    KIND_CITY,
    KIND_CONTINENT,
    KIND_COUNTRY,
    KIND_FEATURE,
    Gazetteer,
    get_gazetteer,
    normalize,
    strip_articles,
)
from eventwire.records.geometry import haversine_km as _haversine
from eventwire.records.model import Actor, Article, Place, PlaceMention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

NER_LABELS = frozenset({"GPE", "LOC"})
BLOCKING_LABELS = frozenset({"PERSON", "NORP", "LANGUAGE", "DATE", "TIME", "MONEY",
                             "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "WORK_OF_ART",
                             "EVENT", "LAW", "PRODUCT"})
MAX_NGRAM = 5
MAX_EXTEND = 3
POINT_FEATURES = frozenset({"garrison", "military base", "border crossing", "street"})
REGION_FEATURES = frozenset({"admin1", "continent", "desert", "region", "river", "sea",
                             "ocean", "strait", "peninsula", "disputed area", "district",
                             "county"})
_ORDINAL = re.compile(r"\d+(st|nd|rd|th)", re.IGNORECASE)
TRAILING_PUNCT = frozenset(",.;:-–—'’\"”“()[]")

# resolution weights (tuned on the train split of the gold sets only)
W_KIND = {KIND_COUNTRY: 9.0, KIND_CONTINENT: 7.5, KIND_ADMIN1: 8.0, KIND_FEATURE: 7.0,
          KIND_ADMIN2: 7.5}
W_PRIMARY_NAME = 1.0
W_COUNTRY_CONTEXT = 4.0
W_STATE_CONTEXT = 2.5
W_NEAR = 3.0
GAZ_ONLY_MIN_POP = 1000
GAZ_ONLY_MIN_POP_UNCUED = 20_000
EMBEDDED_MIN_POP = 50_000
HOMONYM_MAX_POP = 100_000
ABROAD_CONFIDENCE = 0.3
"""The confidence of a mention left unresolved as a homonym abroad (see ``_abroad``)."""
HOMONYM_MIN_CONTEXT = 1.0  # country votes: a place name 0.5 to 1, a nationality word 0.5
W_PEOPLE = 0.5  # a nationality word's vote for its country, half a place name's
FOCUS_MIN_MENTIONS = 2
FOCUS_SHARE = 0.5  # of the country's own mentions (tuned on the realnews dev split's train part)


Votes = defaultdict[str, float]


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    """Word lists from gazetteer_words.tsv, by kind."""
    out: dict[str, set[str]] = {}
    with (DATA_DIR / "gazetteer_words.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            kind, word = line.rstrip("\n").split("\t")[:2]
            out.setdefault(kind, set()).add(word.strip())
    return {kind: frozenset(words) for kind, words in out.items()}


def words(kind: str) -> frozenset[str]:
    return _words().get(kind, frozenset())


@lru_cache(maxsize=1)
def _suffix_re() -> re.Pattern[str]:
    alts = "|".join(sorted(map(re.escape, words("suffix")), key=len, reverse=True))
    return re.compile(rf"\s+({alts})$", re.IGNORECASE)


@dataclass
class LocatedMention(PlaceMention):
    """A place mention that also remembers the preposition governing it."""

    preposition: str | None = None
    sentence_start: int = 0


@lru_cache(maxsize=1)
def not_places() -> frozenset[str]:
    """Capitalised words that are never taken as places (from gazetteer_notplaces.tsv)."""
    words = set()
    with (DATA_DIR / "gazetteer_notplaces.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#"):
                words.add(normalize(line))
    return frozenset(words)


def _clean_span(span: Span) -> Span:
    """Drop a leading determiner, a trailing possessive and stray punctuation."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in ("the", "a", "an")
                           or doc[start].text in TRAILING_PUNCT):
        start += 1
    while end > start and (doc[end - 1].text in ("'s", "’s", "'", "’")
                           or doc[end - 1].text in TRAILING_PUNCT):
        end -= 1
    return doc[start:end]


def _capitalised(text: str) -> bool:
    return text[:1].isupper()


def _lookup(gaz: Gazetteer, text: str, fuzzy: bool) -> list[int]:
    hits = gaz.lookup(text, fuzzy=fuzzy)
    if not hits:
        bare = _suffix_re().sub("", text)
        if bare != text:
            hits = gaz.lookup(bare, fuzzy=False)
            if re.search(r"(county|parish)$", text, re.IGNORECASE):
                # a county the table lacks: its namesake US town stands in for it
                hits = [i for i in hits if gaz.countries[i] == "USA"]
    return hits


def _fuzzy_ok(gaz: Gazetteer, text: str, ids: list[int]) -> list[int]:
    """Skeleton matches keep only entries that start like the query: transliterations
    differ in vowels, not in their first letter ("Verduin" is not "Oradea")."""
    if gaz.lookup(text, fuzzy=False):
        return ids
    head = strip_articles(normalize(text))[:1]
    return [i for i in ids if strip_articles(normalize(gaz.names[i]))[:1] == head]


def _gaz_only_ok(gaz: Gazetteer, ids: list[int], cued: bool) -> bool:
    """A match found by the gazetteer alone needs a place of some standing; a lone word
    (often a surname) needs a large town unless a preposition or a region cues it."""
    least = GAZ_ONLY_MIN_POP if cued else GAZ_ONLY_MIN_POP_UNCUED
    for i in ids:
        if gaz.kinds[i] != KIND_CITY or gaz.populations[i] >= least:
            return True
    return False


def _qualifier(doc: Doc, span: Span, gaz: Gazetteer) -> tuple[int, list[int]]:
    """"Dublin, Ohio": the state or country named after a comma, as (tokens, entry ids)."""
    end = span.end
    if end + 1 < len(doc) and doc[end].text == ",":
        for size in (3, 2, 1):
            if end + 1 + size > len(doc):
                continue
            nxt = doc[end + 1:end + 1 + size]
            if not _capitalised(nxt[0].text):
                continue
            ids = [i for i in gaz.lookup(nxt.text, fuzzy=False)
                   if gaz.kinds[i] in (KIND_ADMIN1, KIND_COUNTRY)]
            if ids:
                return size, ids
    return 0, []


def _followed_by_region(doc: Doc, span: Span, gaz: Gazetteer) -> bool:
    return _qualifier(doc, span, gaz)[0] > 0


@dataclass
class _Candidate:
    start: int  # body offsets
    end: int
    text: str
    ids: list[int]
    source: str  # "ner" or "gaz"
    preposition: str | None
    sentence_start: int
    qualifier: list[int] = field(default_factory=list)  # entries of a ", State" after it


def _preposition(span: Span) -> str | None:
    doc = span.doc
    i = span.start - 1
    skip = words("place_noun")
    while i >= span.sent.start and doc[i].lower_ in skip:
        i -= 1
    if i >= span.sent.start and doc[i].lower_ in words("locative"):
        return doc[i].lower_
    head = span.root.head
    if head.dep_ == "prep" and head.lower_ in words("locative"):
        return head.lower_
    return None


def _extend(doc: Doc, span: Span, gaz: Gazetteer) -> Span:
    """The longest gazetteer name that continues a recognised span: NER often stops at
    the first word ("Tal" of "Tal Abyad", "Ras" of "Ras al-Ain") and before a division's
    kind in lower case ("Kaduna state")."""
    connectors = words("connector")
    sent_end = span.sent.end
    best = span
    for extra in range(1, MAX_EXTEND + 1):
        end = span.end + extra
        if end > sent_end:
            break
        last = doc[end - 1]
        suffix = last.lower_ in words("suffix")  # "Kaduna state", "Saada province"
        if not (_capitalised(last.text) or last.lower_ in connectors or suffix):
            break
        if (_capitalised(last.text) or suffix) and gaz.is_exact(doc[span.start:end].text):
            best = doc[span.start:end]
        if suffix and not _capitalised(last.text):
            break
    if best is span and span.start > 0 and _capitalised(doc[span.start - 1].text) \
            and gaz.is_exact(doc[span.start - 1:span.end].text):
        best = doc[span.start - 1:span.end]  # "At Tanf" where NER saw "Tanf"
    return best


def _person_words(doc: Doc) -> frozenset[str]:
    """Words of multi-word person names ("Andrew Trapani"): a lone "Trapani" later in the
    same article is the person, not the Sicilian town."""
    out: set[str] = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON" and len(ent) >= 2:
            out.update(normalize(t.text) for t in ent if _capitalised(t.text) and len(t) > 1)
    return frozenset(out)


def _strong_place(gaz: Gazetteer, ids: list[int]) -> bool:
    return any(gaz.kinds[i] in (KIND_COUNTRY, KIND_ADMIN1, KIND_CONTINENT) for i in ids)


def _embedded_place(doc: Doc, org: Span, span: Span, gaz: Gazetteer, ids: list[int]) -> bool:
    """A well-known place named inside an organisation's name ("Texas Department of
    Transportation", "University of Nebraska", "U.S. Army") is still a place mention:
    a country, state or county heading the name, or such a place or a city after "of"."""
    heads = span.start == _clean_span(org).start
    after_of = span.start > org.start and doc[span.start - 1].lower_ in ("of", "in", "at", "for")
    if not (heads or after_of) or (len(span.text) < 3 and not span.text.isupper()):
        return False
    key = normalize(span.text)
    long_name = heads and _clean_span(org).end - span.end >= 2
    # a town only after "of" or heading a longer name ("Paris Hilton" is a person), and
    # only under its own name:
    # alternates ("Human" for Uman) are ordinary words
    return any(gaz.kinds[x] in (KIND_COUNTRY, KIND_ADMIN1, KIND_ADMIN2, KIND_CONTINENT)
               or (after_of or long_name) and gaz.kinds[x] == KIND_CITY
               and gaz.populations[x] >= EMBEDDED_MIN_POP and normalize(gaz.names[x]) == key
               for x in ids)


def recognise(doc: Doc, gaz: Gazetteer | None = None) -> list[_Candidate]:
    """Toponym spans in ``doc``, with their gazetteer candidates."""
    scan = _Recogniser(doc, gaz or get_gazetteer())
    scan.entities()
    scan.gazetteer_names()
    _streets(doc, scan.taken, scan.add)
    _propagate(doc, scan.gaz, scan.found, scan.taken, scan.blocked, scan.people, scan.add)
    scan.found.sort(key=lambda c: c.start)
    return scan.found


def place_slot(span: Span) -> bool:
    """Whether the syntax puts a place here: after a locative preposition, as the object of
    an attack or movement verb ("shelled Bakhmut", "stormed Palmyra") or in apposition to a
    place noun ("the region's capital, Nukus"). spaCy's small model often calls such a
    town a person, a nationality or an organisation."""
    if _preposition(span) is not None:
        return True
    root = span.root
    head = root.head
    if root.dep_ in ("dobj", "obj", "advmod", "npadvmod") and head.pos_ in ("VERB", "AUX"):
        return head.lemma_.lower() in words("place_verb")
    if root.dep_ == "pobj" and head.lower_ == "of":
        return head.head.lemma_.lower() in words("place_head")
    return root.dep_ == "appos" and head.lemma_.lower() in words("place_head")


class _Recogniser:
    """One pass over a parsed article: NER spans first, then gazetteer names NER missed."""

    def __init__(self, doc: Doc, gaz: Gazetteer) -> None:
        self.doc, self.gaz = doc, gaz
        self.stop = not_places()
        self.people = _person_words(doc)
        self.found: list[_Candidate] = []
        self.taken = [False] * len(doc)
        self.blocked = [""] * len(doc)
        for ent in doc.ents:
            for t in range(ent.start, ent.end):
                self.blocked[t] = ent.label_

    def add(self, span: Span, ids: list[int], source: str) -> None:
        _size, qual = _qualifier(self.doc, span, self.gaz)
        self.found.append(_Candidate(span.start_char, span.end_char, span.text, ids, source,
                                     _preposition(span), span.sent.start_char, qual))
        for t in range(span.start, span.end):
            self.taken[t] = True

    def person_like(self, span: Span, ids: list[int]) -> bool:
        return (len(span) == 1 and normalize(span.text) in self.people
                and not _strong_place(self.gaz, ids)
                and not _followed_by_region(self.doc, span, self.gaz))

    def entities(self) -> None:
        """GPE and LOC entities (FAC ones the gazetteer knows), extended and looked up."""
        gaz = self.gaz
        for ent in self.doc.ents:
            if ent.label_ not in NER_LABELS and ent.label_ != "FAC":
                continue
            span = _clean_span(ent)
            if not len(span) or normalize(span.text) in self.stop:
                continue
            span = _extend(self.doc, span, gaz)
            if any(self.taken[t] for t in range(span.start, span.end)):
                continue
            ids = _fuzzy_ok(gaz, span.text, _lookup(gaz, span.text, fuzzy=True))
            if ent.label_ == "FAC" and not ids:
                continue
            if self.person_like(span, ids):
                continue
            self.add(span, ids, "ner")

    def gazetteer_names(self) -> None:
        """Capitalised runs the gazetteer knows, longest first, where NER saw no place."""
        doc, n = self.doc, len(self.doc)
        lead_articles = words("lead_article")
        i = 0
        while i < n:
            tok = doc[i]
            lead = tok.lower_ in lead_articles
            lead_article = lead and i + 1 < n and doc[i + 1].text == "-"
            # "At Tanf": a capitalised article heads the name only where the gazetteer
            # has the whole name with it; lower-case "at Tanf" is a preposition
            lead_word = lead and not lead_article and _capitalised(tok.text)
            if self.taken[i] or not (_capitalised(tok.text) or lead_article) or (
                    tok.pos_ not in ("PROPN", "NOUN", "ADJ", "X") and not lead_word
                    and not (i > tok.sent.start and place_slot(doc[i:i + 1]))):
                i += 1
                continue
            match = self._longest_at(i, lead_word)
            if match is not None and self._accept(*match, lead_word):
                self.add(match[0], match[1], "gaz")
                i = match[0].end
            else:
                i += 1

    def _longest_at(self, i: int, lead_word: bool) -> tuple[Span, list[int]] | None:
        doc, gaz = self.doc, self.gaz
        connectors = words("connector")
        for size in range(min(MAX_NGRAM, len(doc) - i), 0, -1):
            span = doc[i:i + size]
            if any(self.taken[t] for t in range(span.start, span.end)):
                continue
            if lead_word and (size == 1 or not gaz.is_exact(span.text)):
                continue
            if not _capitalised(span[-1].text) or span.sent.start != doc[span.end - 1].sent.start:
                continue
            if any(not _capitalised(t.text) and t.lower_ not in connectors for t in span):
                continue
            if normalize(span.text) in self.stop:
                continue
            ids = _lookup(gaz, span.text, fuzzy=False)
            if ids:
                return span, ids
        return None

    def _accept(self, span: Span, ids: list[int], lead_word: bool) -> bool:
        """Whether a gazetteer match is a place here, given what NER and the syntax say."""
        doc, gaz = self.doc, self.gaz
        labels = {self.blocked[t] for t in range(span.start, span.end)} - {""}
        slot = span.start > span.sent.start and place_slot(span)
        cued = len(span) > 1 or slot or _followed_by_region(doc, span, gaz)
        ok = _gaz_only_ok(gaz, ids, cued) and (slot or all(
            t.pos_ == "PROPN" for t in span[1 if lead_word else 0:] if _capitalised(t.text)))
        ok = ok and not self.person_like(span, ids)
        if labels & BLOCKING_LABELS:
            # NER said person/nationality/...: overruled by a country name or by the syntax
            # of a place ("towards Dayr az Zawr", "shelled Kidal", "its capital, Nukus")
            ok = ok and (any(gaz.kinds[x] == KIND_COUNTRY for x in ids) or slot)
        if ok and "ORG" in labels:
            # an ORG entity may be a place NER mislabelled; take it only when it is the
            # whole entity and the gazetteer knows it as more than a small village
            ent_span = next((e for e in doc.ents if e.label_ == "ORG"
                             and e.start < span.end and span.start < e.end), None)
            whole = ent_span is not None and _clean_span(ent_span).start == span.start and (
                _clean_span(ent_span).end == span.end)
            ok = (whole and any(gaz.kinds[x] != KIND_CITY or gaz.populations[x] >= 20_000
                                for x in ids)) or (
                ent_span is not None and _embedded_place(doc, ent_span, span, gaz, ids))
        return ok


def _streets(doc: Doc, taken: list[bool], add: Callable[[Span, list[int], str], None]
             ) -> None:
    """Street names ("Main Street", "Hungerford St.", "14th Avenue"): capitalised words
    closed by a street word. The gazetteer has no streets; they are placed in the
    article's town at resolution."""
    closers = words("street")
    for i, tok in enumerate(doc):
        if taken[i] or i == 0 or tok.lower_.rstrip(".") not in closers \
                or not _capitalised(tok.text):
            continue
        start = i
        while start > tok.sent.start and i - start < MAX_EXTEND and not taken[start - 1] and (
                _capitalised(doc[start - 1].text) or _ORDINAL.fullmatch(doc[start - 1].text)):
            start -= 1
        while start < i and doc[start].lower_ in ("the", "a", "an"):
            start += 1
        if start == i:
            continue
        add(doc[start:i + 1], [], "street")


def _propagate(doc: Doc, gaz: Gazetteer, found: list[_Candidate], taken: list[bool],
               blocked: list[str], people: frozenset[str],
               add: Callable[[Span, list[int], str], None]) -> None:
    """A name taken as a place once is a place elsewhere in the article too, even where
    NER called it a person ("Alexandria woman charged ..."), unless the article also
    uses it inside a full person name, or NER sees it inside a longer person name."""
    known = {normalize(c.text): c.ids for c in found if c.ids}
    n = len(doc)
    for i, tok in enumerate(doc):
        if taken[i] or not _capitalised(tok.text):
            continue
        for size in range(min(MAX_NGRAM, n - i), 0, -1):
            span = doc[i:i + size]
            key = normalize(span.text)
            if key not in known or any(taken[t] for t in range(span.start, span.end)):
                continue
            ids = known[key]
            if size == 1 and key in people and not _strong_place(gaz, ids):
                break
            person = [e for e in doc.ents if e.label_ == "PERSON" and e.start <= i < e.end]
            if person and (len(person[0]) > size or not _strong_place(gaz, ids)
                           and _preposition(span) is None):
                # "Alexandria" labelled PERSON alone at the head of a sentence is taken
                # only when a preposition or the name's standing backs it
                if len(person[0]) > size or not any(
                        gaz.kinds[x] != KIND_CITY or gaz.populations[x] >= 20_000
                        for x in ids):
                    break
            add(span, ids, "gaz")
            break


def _prior(gaz: Gazetteer, idx: int, key: str) -> float:
    kind = gaz.kinds[idx]
    score = W_KIND.get(kind, 0.0)
    if kind == KIND_CITY:
        score += math.log10(gaz.populations[idx] + 1)
    if normalize(gaz.names[idx]) == key:
        score += W_PRIMARY_NAME
    return score


def _qualified(gaz: Gazetteer, cand: _Candidate) -> list[int]:
    """Candidates that agree with a ", State" or ", Country" written after the name."""
    if not cand.qualifier:
        return cand.ids
    keep = []
    for i in cand.ids:
        for q in cand.qualifier:
            if gaz.kinds[q] == KIND_COUNTRY and gaz.countries[i] == gaz.countries[q] \
                    and i != q:
                keep.append(i)
                break
            if gaz.kinds[q] == KIND_ADMIN1 and gaz.countries[i] == gaz.countries[q] \
                    and gaz.admin1s[i] == gaz.admin1s[q] and i != q:
                keep.append(i)
                break
    return keep or cand.ids


def resolve(candidates: list[_Candidate], gaz: Gazetteer | None = None,
            context: Votes | None = None) -> list[tuple[int | None, float]]:
    """Pick one gazetteer entry per candidate using the article's other places (and the
    countries ``context`` votes for: its peoples and armies): a first guess from priors
    alone, then two rounds that let the guesses inform each other."""
    gaz = gaz or get_gazetteer()
    keys = [normalize(c.text) for c in candidates]
    pools = [_qualified(gaz, c) for c in candidates]
    first: list[int | None] = []
    for pool, key in zip(pools, keys, strict=True):
        first.append(max(pool, key=lambda i: _prior(gaz, i, key)) if pool else None)
    results = _resolve_round(candidates, pools, keys, first, gaz, context)
    return _resolve_round(candidates, pools, keys, [idx for idx, _ in results], gaz, context)


def _context(gaz: Gazetteer, pools: list[list[int]], keys: list[str],
             first: list[int | None]) -> tuple[dict[str, Votes], dict[str, Votes]]:
    """Country and state votes per name: a name whose candidates all lie in one country
    (or state) votes for it in full, whatever the guess; otherwise its guess votes."""
    countries: dict[str, Votes] = {}
    states: dict[str, Votes] = {}
    for pool, key, idx in zip(pools, keys, first, strict=True):
        if idx is None:
            continue
        own_c = countries.setdefault(key, defaultdict(float))
        own_s = states.setdefault(key, defaultdict(float))
        pool_countries = {gaz.countries[i] for i in pool[:400]}
        if len(pool_countries) == 1 and gaz.countries[idx]:
            own_c[gaz.countries[idx]] += 1.0 if gaz.kinds[idx] != KIND_COUNTRY else 0.7
        elif gaz.countries[idx]:
            own_c[gaz.countries[idx]] += 0.5
        pool_states = {gaz.admin1s[i] for i in pool[:400]}
        if gaz.admin1s[idx]:
            if len(pool_states) == 1 or gaz.kinds[idx] in (KIND_ADMIN1, KIND_ADMIN2):
                own_s[gaz.admin1s[idx]] += 1.0
            else:
                own_s[gaz.admin1s[idx]] += 0.5
    return countries, states


def _nearest(gaz: Gazetteer, idx: int, others: list[int | None]) -> float:
    return min((_haversine(gaz.lats[idx], gaz.lons[idx], gaz.lats[o], gaz.lons[o])
                for o in others if o is not None), default=1e9)


def _resolve_round(candidates: list[_Candidate], pools: list[list[int]], keys: list[str],
                   first: list[int | None], gaz: Gazetteer, context: Votes | None = None
                   ) -> list[tuple[int | None, float]]:
    by_name_c, by_name_s = _context(gaz, pools, keys, first)
    all_c: Votes = defaultdict(float, context or {})
    all_s: Votes = defaultdict(float)
    for c in by_name_c.values():
        for k, v in c.items():
            all_c[k] += min(v, 1.0)
    for st in by_name_s.values():
        for k, v in st.items():
            all_s[k] += min(v, 1.0)

    results: list[tuple[int | None, float]] = []
    for n, (cand, pool, key) in enumerate(zip(candidates, pools, keys, strict=True)):
        if not pool:
            results.append((None, 0.4 if cand.source == "ner" else 0.0))
            continue
        own_c = by_name_c.get(key, defaultdict(float))
        own_s = by_name_s.get(key, defaultdict(float))
        total_c = sum(all_c.values()) - sum(min(v, 1.0) for v in own_c.values())
        others = [first[m] for m in range(len(first))
                  if m != n and first[m] is not None and keys[m] != key
                  and gaz.kinds[first[m]] >= KIND_ADMIN1]  # type: ignore[index]
        # a town named after a country, region or sea ("Mexico, NY", "Middle East, MD")
        # wins only with a nearby place backing it, not from country context alone
        big_name = any(gaz.kinds[i] != KIND_CITY for i in pool[:400])
        scored = []
        for idx in pool[:400]:
            score = _prior(gaz, idx, key)
            country = gaz.countries[idx]
            near = _nearest(gaz, idx, others) if gaz.kinds[idx] in (
                KIND_CITY, KIND_ADMIN2) and others else 1e9
            if big_name and gaz.kinds[idx] == KIND_CITY and near >= 100:
                scored.append((score, idx))
                continue
            if country and total_c > 0:
                share = (all_c[country] - min(own_c[country], 1.0)) / total_c
                if share > 0:
                    score += W_COUNTRY_CONTEXT * min(1.0, 2 * share)
            state = gaz.admin1s[idx]
            if state and gaz.kinds[idx] != KIND_ADMIN1:
                votes = all_s[state] - min(own_s[state], 1.0)
                if votes > 0:
                    score += W_STATE_CONTEXT * min(1.0, votes)
            if near < 100:
                score += W_NEAR
            elif near < 300:
                score += W_NEAR / 2
            scored.append((score, idx))
        scored.sort(reverse=True)
        best_score, best = scored[0]
        if not cand.qualifier and _abroad(gaz, best, all_c[gaz.countries[best]] - min(
                own_c[gaz.countries[best]], 1.0), total_c, _nearest(gaz, best, others)):
            results.append((None, ABROAD_CONFIDENCE))
            continue
        margin = best_score - scored[1][0] if len(scored) > 1 else 5.0
        conf = (0.7 if cand.source == "ner" else 0.55) + 0.3 * min(1.0, margin / 5.0)
        if cand.qualifier and pool is not cand.ids:
            conf = max(conf, 0.9)
        results.append((best, min(1.0, conf)))
    return results


def _abroad(gaz: Gazetteer, best: int, support: float, total: float, near: float) -> bool:
    """A small town abroad that nothing else in the story backs, in a story about another
    country ("Moura" in a report on Mali's army is not the Portuguese town): better left
    unresolved, so the event falls back to what its sentence says about the country."""
    return (gaz.kinds[best] == KIND_CITY and gaz.populations[best] < HOMONYM_MAX_POP
            and total >= HOMONYM_MIN_CONTEXT and support <= 0 and near >= 300)


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    """Nationality words ("Malian", "Ukrainians") -> ISO3, from the actors' country table."""
    table: dict[str, str] = {}
    with (DATA_DIR / "actors" / "countries.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            for word in fields[3].split("|") if len(fields) > 3 else []:
                if word:
                    table[normalize(word)] = fields[0]
    return table


def people_countries(doc: Doc) -> Votes:
    """Countries whose peoples, armies and governments the article names ("Malian soldiers"):
    context for resolving its towns, as the countries its places name are."""
    table = _demonyms()
    votes: Votes = defaultdict(float)
    for key in {normalize(t.text) for t in doc if _capitalised(t.text)}:
        if key in table:
            votes[table[key]] = W_PEOPLE
    return votes


def find_places(article: Article, doc: Doc | None = None) -> list[PlaceMention]:
    """Place mentions of an article, offsets into ``article.text``."""
    gaz = get_gazetteer()
    use_body = bool(article.body)
    text = article.body if use_body else article.text
    if doc is None:
        from eventwire.coding.nlp import get_nlp

        doc = get_nlp()(text)
    candidates = recognise(doc, gaz)

    def to_text(pos: int) -> int:
        return article.text_offset(pos) if use_body and article.body_offset else pos

    mentions: list[PlaceMention] = []
    resolved = resolve(candidates, gaz, people_countries(doc))
    town = _town(gaz, [idx for idx, _ in resolved])
    for cand, (idx, conf) in zip(candidates, resolved, strict=True):
        if _bare_abbreviation(cand.text, text[cand.end:cand.end + 1]):
            continue
        if idx is None and conf == ABROAD_CONFIDENCE and cand.source == "gaz":
            continue  # only the gazetteer took it for a place, and only a far-off village
        start, end = to_text(cand.start), to_text(cand.start) + (cand.end - cand.start)
        place = gaz.place(idx) if idx is not None else None
        if cand.source == "street" and town is not None:
            # a street lies in the article's town: its point stands for the street's
            place = replace(gaz.place(town), name=cand.text, feature="street",
                            geonameid=None, population=0)
            conf = 0.5
        mentions.append(LocatedMention(
            doc_id=article.doc_id, text=cand.text, start=start, end=end,
            place=place, confidence=conf,
            preposition=cand.preposition, sentence_start=to_text(cand.sentence_start),
        ))
    if use_body and article.title:
        mentions.extend(_title_mentions(article, gaz, mentions))
    mentions.sort(key=lambda m: m.start)
    return mentions


def _bare_abbreviation(name: str, after: str) -> bool:
    """'Pa' in 'Pa Zi Gyi' is a syllable, 'Pa.' after a town is Pennsylvania: a two-letter
    mixed-case name counts only with its full stop."""
    return len(name) <= 2 and name.isalpha() and not name.isupper() and after != "."


def _town(gaz: Gazetteer, resolved: list[int | None]) -> int | None:
    """The article's most mentioned town (else county, else state): where its streets are."""
    for kinds in ((KIND_CITY,), (KIND_ADMIN2,), (KIND_ADMIN1,)):
        counts = Counter(i for i in resolved if i is not None and gaz.kinds[i] in kinds)
        if counts:
            return counts.most_common(1)[0][0]
    return None


def _title_mentions(article: Article, gaz: Gazetteer, found: list[PlaceMention]
                    ) -> list[PlaceMention]:
    """Gazetteer matches in the headline, resolved like the same name in the body."""
    title = article.title or ""
    pos = article.text.find(title)
    if pos < 0 or not title:
        return []
    by_key = {normalize(m.text): m for m in found if m.place is not None}
    stop = not_places()
    out: list[PlaceMention] = []
    for match in re.finditer(r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*", title):
        words = match.group(0).split()
        for size in range(len(words), 0, -1):
            hit = None
            for off in range(len(words) - size + 1):
                name = " ".join(words[off:off + size])
                key = normalize(name)
                if key in by_key and key not in stop:
                    start = pos + match.start() + title[match.start():].find(name)
                    same = by_key[key]
                    hit = PlaceMention(article.doc_id, name, start, start + len(name),
                                       same.place, same.confidence * 0.9)
                    break
            if hit:
                out.append(hit)
                break
    return out


def precision(place: Place | None) -> str:
    """How exact a place is: point, city, region or country."""
    if place is None:
        return "country"
    feature = place.feature or ""
    if feature == "country":
        return "country"
    if feature in POINT_FEATURES:
        return "point"
    if feature in REGION_FEATURES:
        return "region"
    return "city"


_SPECIFICITY = {"point": 3, "city": 2, "region": 1, "country": 0}


DATELINE = re.compile(
    r"^\s*(?P<where>(?:[A-Z][\w'’.-]*,?\s+){0,5}?[A-Z][\w'’.-]*,?(?:\s+[A-Z][a-z]{2}\.?\s+\d{1,2})?)"
    r"\s*(?:\((?:AP|AFP|Reuters|EFE|IANS|PTI|Xinhua|dpa|ANI)\)\s*)?\.?(?:—|–|--|-(?=\s)|:)"
)
"""A dateline: the place (and date) the report was filed from, before the first sentence.
A hyphen ends one only before a space: "Amir-Abdollahian" is a name, not "AMIR - ..."."""


def dateline_end(text: str) -> int:
    """Where the dateline at the start of ``text`` ends (0 when there is none).

    "ARBIL, Iraq: ...", "CARACAS, Venezuela (AP) — ...": the reporter's city is
    context, not where the events happened.
    """
    match = DATELINE.match(text)
    return match.end() if match and len(match.group(0)) <= 60 else 0


def trim_dateline(actor: Actor | None, body: str) -> None:
    """An actor span the parser ran into the dateline ("NIAMEY, Niger — Soldiers") keeps only
    what follows it: the dateline says where the report was filed, it names no one."""
    end = dateline_end(body)
    if actor is None or not end or actor.start is None or actor.end is None:
        return
    if actor.start < end < actor.end and body[actor.start:actor.end] == actor.text:
        rest = body[end:actor.end].lstrip(" \u2014\u2013-:,")
        if rest:
            actor.text, actor.start = rest, actor.end - len(rest)


def without_dateline(mentions: list[PlaceMention], text: str, body: str,
                     body_start: int) -> list[PlaceMention]:
    """Place mentions other than those of the body's dateline."""
    end = dateline_end(body)
    if not end:
        return mentions
    return [m for m in mentions if not body_start <= m.start < body_start + end]


def article_focus(mentions: list[PlaceMention], context: Sequence[PlaceMention] = ()
                  ) -> Place | None:
    """The article's main place: within the article's most mentioned country, its most
    mentioned town, site or region when the article keeps coming back to it (at least
    twice, and at least half as often as to the country), else the country itself.

    ``context`` (the dateline's places) counts toward the choice without being a mention
    of its own: "CARACAS, Venezuela —" over a story about Venezuela places it in Caracas,
    "WASHINGTON —" over a story about Afghanistan does not.
    """
    resolved = [m for m in mentions if m.place is not None]
    if not resolved:
        return None
    countries = Counter(m.place.country for m in resolved if m.place and m.place.country)
    top_country = countries.most_common(1)[0][0] if countries else None
    counts: Counter[tuple[str, str | None]] = Counter()
    first_place: dict[tuple[str, str | None], Place] = {}
    order: dict[tuple[str, str | None], int] = {}
    for n, m in enumerate([*resolved, *(c for c in context if c.place is not None)]):
        assert m.place is not None
        key = (m.place.name, m.place.country)
        counts[key] += 1
        first_place.setdefault(key, m.place)
        order.setdefault(key, -n)

    country_count = sum(n for key, n in counts.items()
                        if key[1] == top_country and precision(first_place[key]) == "country")

    def rank(key: tuple[str, str | None]) -> tuple[int, int, int, int]:
        place = first_place[key]
        agree = 1 if top_country is None or place.country == top_country else 0
        level = min(_SPECIFICITY[precision(place)], _SPECIFICITY["city"])
        if level and (counts[key] < FOCUS_MIN_MENTIONS
                      or counts[key] < FOCUS_SHARE * country_count):
            level = 0
        return (agree, level, counts[key], order[key])

    return first_place[max(counts, key=rank)]


def locate_event(sentence_start: int, sentence_end: int, trigger_start: int | None,
                 mentions: list[PlaceMention], focus: Place | None, verbal: bool = False,
                 actors: tuple[tuple[int, int], ...] = ()
                 ) -> tuple[Place | None, str | None]:
    """The event's own place and its precision: the finest place its sentence names (a
    town or site before a region or country), among equals one governed by a locative
    preposition, nearest the trigger; else the article focus. No place, no precision.

    A verbal event (a statement, an accusation, a demand) happens where it was said,
    which news rarely tells: it gets a place only from a locative phrase in its
    sentence ("at talks in Jeddah"), never from the article's focus. A place named
    inside one of the event's actors ("a United States airstrike", "Kenyan police")
    says whose the actor is, not where the event happened.
    """
    inside = [m for m in mentions if m.place is not None
              and sentence_start <= m.start and m.end <= sentence_end
              and (not verbal or getattr(m, "preposition", None))
              and not any(a <= m.start and m.end <= b for a, b in actors)]
    if inside:
        anchor = trigger_start if trigger_start is not None else sentence_start

        def rank(m: PlaceMention) -> tuple[int, int, int, int]:
            spec = _SPECIFICITY[precision(m.place)]
            prep = 1 if getattr(m, "preposition", None) else 0
            return (min(spec, _SPECIFICITY["city"]), prep, -abs(m.start - anchor), spec)

        best = max(inside, key=rank)
        return best.place, precision(best.place)
    if focus is not None and not verbal:
        return focus, precision(focus)
    return None, None
