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
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from eventwire.gazetteer import (
    DATA_DIR,
    KIND_ADMIN1,
    KIND_CITY,
    KIND_CONTINENT,
    KIND_COUNTRY,
    Gazetteer,
    get_gazetteer,
    normalize,
)
from eventwire.model import Article, Place, PlaceMention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

NER_LABELS = frozenset({"GPE", "LOC"})
BLOCKING_LABELS = frozenset({"PERSON", "NORP", "LANGUAGE", "DATE", "TIME", "MONEY",
                             "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "WORK_OF_ART",
                             "EVENT", "LAW", "PRODUCT"})
LOCATIVE_PREPS = frozenset({"in", "near", "outside", "at", "from", "towards", "toward",
                            "into", "inside", "around", "across", "through", "to"})
CONNECTORS = frozenset({"al", "el", "ad", "ar", "as", "ash", "az", "ez", "es", "ed", "an",
                        "of", "de", "del", "la", "le", "du", "-", "upon", "on", "da", "dos",
                        "do", "bin", "ibn", "abu", "bou", "ben"})
SUFFIXES = re.compile(
    r"\s+(county|parish|province|governorate|district|region|oblast|state|city|"
    r"township|borough|prefecture|municipality)$",
    re.IGNORECASE,
)
MAX_NGRAM = 5
LEAD_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "az", "an"})
POINT_FEATURES = frozenset({"garrison", "military base", "border crossing", "street"})
REGION_FEATURES = frozenset({"admin1", "continent", "desert", "region", "river", "sea",
                             "ocean", "strait", "peninsula", "disputed area", "district"})

# resolution weights (tuned on the train split of the gold sets only)
W_KIND = {KIND_COUNTRY: 9.0, KIND_CONTINENT: 7.5, KIND_ADMIN1: 8.0, 3: 7.0}
W_PRIMARY_NAME = 1.0
W_COUNTRY_CONTEXT = 4.0
W_STATE_CONTEXT = 2.5
W_NEAR = 3.0
GAZ_ONLY_MIN_POP = 1000
GAZ_ONLY_MIN_POP_UNCUED = 20_000


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
    """Drop a leading determiner and a trailing possessive from an entity span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in ("the", "a", "an"):
        start += 1
    while end > start and doc[end - 1].text in ("'s", "’s", "'", "’"):
        end -= 1
    return doc[start:end]


def _capitalised(text: str) -> bool:
    return text[:1].isupper()


def _lookup(gaz: Gazetteer, text: str, fuzzy: bool) -> list[int]:
    hits = gaz.lookup(text, fuzzy=fuzzy)
    if not hits:
        bare = SUFFIXES.sub("", text)
        if bare != text:
            hits = gaz.lookup(bare, fuzzy=False)
            if re.search(r"(county|parish)$", text, re.IGNORECASE):
                # US counties and parishes: the namesake town stands in for the county
                hits = [i for i in hits if gaz.countries[i] == "USA"]
    return hits


def _gaz_only_ok(gaz: Gazetteer, ids: list[int], cued: bool) -> bool:
    """A match found by the gazetteer alone needs a place of some standing; a lone word
    (often a surname) needs a large town unless a preposition or a region cues it."""
    least = GAZ_ONLY_MIN_POP if cued else GAZ_ONLY_MIN_POP_UNCUED
    for i in ids:
        if gaz.kinds[i] != KIND_CITY or gaz.populations[i] >= least:
            return True
    return False


def _followed_by_region(doc: Doc, span: Span, gaz: Gazetteer) -> bool:
    """"Dublin, Ohio": a comma and a state or country after the name."""
    end = span.end
    if end + 1 < len(doc) and doc[end].text == ",":
        nxt = doc[end + 1:min(len(doc), end + 3)]
        for size in (2, 1):
            ids = gaz.lookup(nxt[:size].text, fuzzy=False) if len(nxt) >= size else []
            if any(gaz.kinds[i] in (KIND_ADMIN1, KIND_COUNTRY) for i in ids):
                return True
    return False


@dataclass
class _Candidate:
    start: int  # body offsets
    end: int
    text: str
    ids: list[int]
    source: str  # "ner" or "gaz"
    preposition: str | None
    sentence_start: int


def _preposition(span: Span) -> str | None:
    doc = span.doc
    i = span.start - 1
    while i >= span.sent.start and doc[i].lower_ in ("the", "a", "an", "town", "city", "village"):
        i -= 1
    if i >= span.sent.start and doc[i].lower_ in LOCATIVE_PREPS:
        return doc[i].lower_
    head = span.root.head
    if head.dep_ == "prep" and head.lower_ in LOCATIVE_PREPS:
        return head.lower_
    return None


def recognise(doc: Doc, gaz: Gazetteer | None = None) -> list[_Candidate]:
    """Toponym spans in ``doc``, with their gazetteer candidates."""
    gaz = gaz or get_gazetteer()
    stop = not_places()
    found: list[_Candidate] = []
    taken = [False] * len(doc)
    blocked = [""] * len(doc)
    for ent in doc.ents:
        for t in range(ent.start, ent.end):
            blocked[t] = ent.label_

    def add(span: Span, ids: list[int], source: str) -> None:
        found.append(_Candidate(span.start_char, span.end_char, span.text, ids, source,
                                _preposition(span), span.sent.start_char))
        for t in range(span.start, span.end):
            taken[t] = True

    for ent in doc.ents:
        if ent.label_ not in NER_LABELS and ent.label_ != "FAC":
            continue
        span = _clean_span(ent)
        if not len(span) or normalize(span.text) in stop:
            continue
        if span.start > 0 and _capitalised(doc[span.start - 1].text) and gaz.is_exact(
                doc[span.start - 1:span.end].text):
            span = doc[span.start - 1:span.end]  # "At Tanf" where NER saw "Tanf"
        ids = _lookup(gaz, span.text, fuzzy=True)
        if ent.label_ == "FAC" and not ids:
            continue
        add(span, ids, "ner")

    n = len(doc)
    i = 0
    while i < n:
        tok = doc[i]
        lead_article = tok.lower_ in LEAD_ARTICLES and i + 1 < n and doc[i + 1].text == "-"
        if taken[i] or not (_capitalised(tok.text) or lead_article) or tok.pos_ not in (
                "PROPN", "NOUN", "ADJ", "X"):
            i += 1
            continue
        match = None
        for size in range(min(MAX_NGRAM, n - i), 0, -1):
            span = doc[i:i + size]
            last = span[-1]
            if any(taken[t] for t in range(span.start, span.end)):
                continue
            if not _capitalised(last.text) or span.sent.start != doc[span.end - 1].sent.start:
                continue
            if any(not _capitalised(t.text) and t.lower_ not in CONNECTORS for t in span):
                continue
            key = normalize(span.text)
            if key in stop:
                continue
            ids = _lookup(gaz, span.text, fuzzy=False)
            if ids:
                match = (span, ids)
                break
        if match is None:
            i += 1
            continue
        span, ids = match
        labels = {blocked[t] for t in range(span.start, span.end)} - {""}
        cued = len(span) > 1 or _preposition(span) is not None or _followed_by_region(
            doc, span, gaz)
        ok = _gaz_only_ok(gaz, ids, cued) and all(
            t.pos_ == "PROPN" for t in span if _capitalised(t.text))
        if labels & BLOCKING_LABELS:
            # NER said person/language/...: overruled by a country name or by a locative
            # preposition ("towards Dayr az Zawr", "in Aleppo")
            ok = ok and (any(gaz.kinds[x] == KIND_COUNTRY for x in ids)
                         or _preposition(span) is not None)
        if ok and "ORG" in labels:
            # an ORG entity may be a place NER mislabelled; take it only when it is the
            # whole entity and the gazetteer knows it as more than a small village
            ent_span = next(e for e in doc.ents if e.start <= span.start < e.end)
            ok = _clean_span(ent_span).start == span.start and _clean_span(
                ent_span).end == span.end and any(
                    gaz.kinds[x] != KIND_CITY or gaz.populations[x] >= 20_000 for x in ids)
        if ok:
            add(span, ids, "gaz")
            i = span.end
        else:
            i += 1
    # a name taken as a place once is a place elsewhere in the article too, even where
    # NER called it a person ("Alexandria woman charged ...")
    known = {normalize(c.text): c.ids for c in found if c.ids}
    for i, tok in enumerate(doc):
        if taken[i] or not _capitalised(tok.text):
            continue
        for size in range(min(MAX_NGRAM, n - i), 0, -1):
            span = doc[i:i + size]
            key = normalize(span.text)
            if key in known and not any(taken[t] for t in range(span.start, span.end)):
                if size == 1 and blocked[i] == "PERSON" and i + 1 < n and doc[i + 1].pos_ \
                        == "PROPN" and blocked[i + 1] == "PERSON":
                    continue  # part of a longer person name
                add(span, known[key], "gaz")
                break
    found.sort(key=lambda c: c.start)
    return found


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _prior(gaz: Gazetteer, idx: int, key: str) -> float:
    kind = gaz.kinds[idx]
    score = W_KIND.get(kind, 0.0)
    if kind == KIND_CITY:
        score += math.log10(gaz.populations[idx] + 1)
    if normalize(gaz.names[idx]) == key:
        score += W_PRIMARY_NAME
    return score


def resolve(candidates: list[_Candidate], gaz: Gazetteer | None = None
            ) -> list[tuple[int | None, float]]:
    """Pick one gazetteer entry per candidate using the article's other places: a first
    guess from priors alone, then two rounds that let the guesses inform each other."""
    gaz = gaz or get_gazetteer()
    keys = [normalize(c.text) for c in candidates]
    first: list[int | None] = []
    for cand, key in zip(candidates, keys, strict=True):
        first.append(max(cand.ids, key=lambda i: _prior(gaz, i, key)) if cand.ids else None)
    results = _resolve_round(candidates, keys, first, gaz)
    return _resolve_round(candidates, keys, [idx for idx, _ in results], gaz)


def _resolve_round(candidates: list[_Candidate], keys: list[str], first: list[int | None],
                   gaz: Gazetteer) -> list[tuple[int | None, float]]:
    countries: Counter[str] = Counter()
    states: Counter[str] = Counter()
    for idx in first:
        if idx is None:
            continue
        if gaz.countries[idx]:
            countries[gaz.countries[idx]] += 2 if gaz.kinds[idx] == KIND_COUNTRY else 1
        if gaz.kinds[idx] == KIND_ADMIN1 and gaz.admin1s[idx]:
            states[gaz.admin1s[idx]] += 1
    total = sum(countries.values()) or 1

    results: list[tuple[int | None, float]] = []
    for n, (cand, key) in enumerate(zip(candidates, keys, strict=True)):
        if not cand.ids:
            results.append((None, 0.4 if cand.source == "ner" else 0.0))
            continue
        others = [first[m] for m in range(len(first))
                  if m != n and first[m] is not None and keys[m] != key]
        scored = []
        for idx in cand.ids[:400]:
            score = _prior(gaz, idx, key)
            country = gaz.countries[idx]
            if country and country in countries:
                own = 2 if first[n] == idx and gaz.kinds[idx] == KIND_COUNTRY else 0
                share = (countries[country] - own) / total
                score += W_COUNTRY_CONTEXT * min(1.0, 2 * share) if share > 0 else 0.0
            if gaz.admin1s[idx] and states.get(gaz.admin1s[idx]):
                score += W_STATE_CONTEXT
            if gaz.kinds[idx] == KIND_CITY and others:
                near = min(_haversine(gaz.lats[idx], gaz.lons[idx], gaz.lats[o], gaz.lons[o])
                           for o in others if o is not None and gaz.kinds[o] >= KIND_ADMIN1
                           ) if any(o is not None and gaz.kinds[o] >= KIND_ADMIN1
                                    for o in others) else 1e9
                if near < 100:
                    score += W_NEAR
                elif near < 300:
                    score += W_NEAR / 2
            scored.append((score, idx))
        scored.sort(reverse=True)
        best_score, best = scored[0]
        margin = best_score - scored[1][0] if len(scored) > 1 else 5.0
        conf = (0.7 if cand.source == "ner" else 0.55) + 0.3 * min(1.0, margin / 5.0)
        results.append((best, min(1.0, conf)))
    return results


def find_places(article: Article, doc: Doc | None = None) -> list[PlaceMention]:
    """Place mentions of an article, offsets into ``article.text``."""
    gaz = get_gazetteer()
    use_body = bool(article.body)
    text = article.body if use_body else article.text
    if doc is None:
        from eventwire.nlp import get_nlp

        doc = get_nlp()(text)
    candidates = recognise(doc, gaz)

    def to_text(pos: int) -> int:
        return article.text_offset(pos) if use_body and article.body_offset else pos

    mentions: list[PlaceMention] = []
    for cand, (idx, conf) in zip(candidates, resolve(candidates, gaz), strict=True):
        start, end = to_text(cand.start), to_text(cand.start) + (cand.end - cand.start)
        mentions.append(LocatedMention(
            doc_id=article.doc_id, text=cand.text, start=start, end=end,
            place=gaz.place(idx) if idx is not None else None, confidence=conf,
            preposition=cand.preposition, sentence_start=to_text(cand.sentence_start),
        ))
    if use_body and article.title:
        mentions.extend(_title_mentions(article, gaz, mentions))
    mentions.sort(key=lambda m: m.start)
    return mentions


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


def article_focus(mentions: list[PlaceMention]) -> Place | None:
    """The article's main place: the most mentioned, then most specific, place that agrees
    with the article's most mentioned country."""
    resolved = [m for m in mentions if m.place is not None]
    if not resolved:
        return None
    countries = Counter(m.place.country for m in resolved if m.place and m.place.country)
    top_country = countries.most_common(1)[0][0] if countries else None
    counts: Counter[tuple[str, str | None]] = Counter()
    first_place: dict[tuple[str, str | None], Place] = {}
    for m in resolved:
        assert m.place is not None
        key = (m.place.name, m.place.country)
        counts[key] += 1
        first_place.setdefault(key, m.place)

    def rank(key: tuple[str, str | None]) -> tuple[int, int, int]:
        place = first_place[key]
        agree = 1 if top_country is None or place.country == top_country else 0
        return (agree, counts[key], _SPECIFICITY[precision(place)])

    return first_place[max(counts, key=rank)]


def locate_event(sentence_start: int, sentence_end: int, trigger_start: int | None,
                 mentions: list[PlaceMention], focus: Place | None
                 ) -> tuple[Place | None, str]:
    """The event's own place: a place governed by a locative preposition nearest the
    trigger, else the most specific place in the sentence, else the article focus."""
    inside = [m for m in mentions if m.place is not None
              and sentence_start <= m.start and m.end <= sentence_end]
    if inside:
        anchor = trigger_start if trigger_start is not None else sentence_start

        def rank(m: PlaceMention) -> tuple[int, int, int]:
            spec = _SPECIFICITY[precision(m.place)]
            dist = abs(m.start - anchor)
            if getattr(m, "preposition", None):
                return (1, -dist, spec)
            return (0, spec, -dist)

        best = max(inside, key=rank)
        return best.place, precision(best.place)
    if focus is not None:
        return focus, precision(focus)
    return None, "country"
