"""Dedup: one event told twice in an article, and one event told by many articles.

Within an article the standfirst often repeats the first paragraph; both
sentences code the same event, which is kept once (the most confident
telling).

Across articles, two mentions tell the same real-world event when what they
share agrees: the kind of event (a family of CAMEO roots, so "shelled" and
"clashed with" can meet), the date within the precision of each, the place
within a distance set by the coarser of the two, and the actors (a side that
one report leaves out does not count against a match; sides that conflict
do). Actors and places alone rarely separate two attacks in one town on one
day, so the content words of the two evidence sentences must also overlap
unless both sides and the place agree outright. Numbers are left out of that
overlap: "killing 12" and "killing at least 15" tell one attack.

An event is a connected component of that match relation, so the same set of
mentions gives the same events whatever order they arrive in; its id comes
from its anchor, the mention reported first (publication date, then id), so
adding later reports never renumbers it.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from eventwire.model import Event

DATA = Path(__file__).resolve().parent / "data" / "event_families.tsv"
WORD = re.compile(r"[^\W\d_]+")
# days either side of a date that still count as the same day: datelines, time zones and
# "on Monday" read a day apart by different outlets
SLACK = {"day": 1, "week": 7}
NEAR_KM = {"point": 50.0, "city": 50.0, "region": 200.0}
STOPWORDS = frozenset(
    "a an the and or but of in on at to for from by with as into after before over near "
    "said says say told tells according its it his her their they he she we i you this that "
    "these those was were is are be been being has have had will would could should may might "
    "who which what when where while than then there here also not no more most least at "
    "about least some many several other another one two three four five six seven eight nine "
    "ten dozen dozens hundreds thousands killing killed wounding wounded injuring injured "
    "people monday tuesday wednesday thursday friday saturday sunday yesterday today week "
    "officials official reported reports report local least".split()
)


@lru_cache(maxsize=1)
def families() -> dict[str, tuple[str, bool]]:
    """CAMEO root -> (family, symmetric), from ``data/event_families.tsv``."""
    table: dict[str, tuple[str, bool]] = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        root, family, symmetric = line.split("\t")
        table[root] = (family, symmetric.strip() == "yes")
    return table


def family_of(cameo_root: str | None) -> str:
    return families().get(cameo_root or "", (cameo_root or "", False))[0]


def is_symmetric(family: str) -> bool:
    return any(fam == family and sym for fam, sym in families().values())


def _side(event: Event, role: str) -> str:
    actor = event.source if role == "source" else event.target
    if actor is None:
        return ""
    return actor.code or actor.name or actor.text.lower()


def article_key(event: Event) -> tuple[str, str, str, str]:
    return (event.cameo, _side(event, "source"), _side(event, "target"), event.date or "")


def merge_within_article(events: list[Event]) -> list[Event]:
    """Keep one event per (code, source, target, date): the most confident telling."""
    best: dict[tuple[str, str, str, str], Event] = {}
    for event in events:
        key = article_key(event)
        kept = best.get(key)
        if kept is None or event.confidence > kept.confidence:
            best[key] = event
    chosen = {id(e) for e in best.values()}
    return [e for e in events if id(e) in chosen]


def date_window(value: str | None, precision: str | None) -> tuple[date, date] | None:
    """The days an event dated ``value`` at ``precision`` may have happened on."""
    if not value:
        return None
    try:
        if len(value) >= 10:
            day = date.fromisoformat(value[:10])
            slack = SLACK.get(precision or "day", 1)
            return day - timedelta(days=slack), day + timedelta(days=slack)
        if len(value) == 7:
            first = date(int(value[:4]), int(value[5:7]), 1)
            following = (first + timedelta(days=32)).replace(day=1)
            return first, following - timedelta(days=1)
        if len(value) == 4:
            return date(int(value), 1, 1), date(int(value), 12, 31)
    except ValueError:
        return None
    return None


def content_words(sentence: str | None) -> frozenset[str]:
    """Lower-cased words of a sentence that say what happened, numbers and filler left out."""
    if not sentence:
        return frozenset()
    return frozenset(w for w in (m.lower() for m in WORD.findall(sentence))
                     if len(w) > 2 and w not in STOPWORDS)


@dataclass(frozen=True)
class Side:
    code: str | None
    country: str | None
    agent: str | None

    @property
    def known(self) -> bool:
        return bool(self.code or self.country or self.agent)


def _side_verdict(a: Side, b: Side) -> int:
    """1: the same actor; 0: nothing to compare; -1: different actors."""
    if not a.known or not b.known:
        return 0
    if a.code and b.code and a.code == b.code:
        return 1
    if a.country and b.country and a.country != b.country:
        return -1
    if a.agent and b.agent and a.agent != b.agent:
        return -1
    if a.code and b.code and not (a.code.startswith(b.code) or b.code.startswith(a.code)):
        return -1
    return 0


@dataclass
class Mention:
    """What matching needs from one stored mention (a row of the ``mentions`` table)."""

    mention_id: str
    doc_id: str
    family: str
    window: tuple[date, date] | None
    source: Side
    target: Side
    lat: float | None
    lon: float | None
    place_country: str | None
    place_precision: str | None
    words: frozenset[str]
    order_key: tuple[str, str]
    event_id: str | None = None
    symmetric: bool = field(default=False)

    @classmethod
    def from_row(cls, row: Mapping[str, Any], published: str | None = None) -> Mention:
        family = row.get("family") or family_of(row.get("cameo_root"))
        return cls(
            mention_id=str(row["mention_id"]), doc_id=str(row["doc_id"]), family=family,
            window=date_window(row.get("date"), row.get("date_precision")),
            source=Side(row.get("source_code"), row.get("source_country"),
                        row.get("source_agent")),
            target=Side(row.get("target_code"), row.get("target_country"),
                        row.get("target_agent")),
            lat=row.get("lat"), lon=row.get("lon"), place_country=row.get("place_country"),
            place_precision=row.get("place_precision"),
            words=content_words(row.get("sentence")),
            order_key=((published or "9999")[:10], str(row["mention_id"])),
            event_id=row.get("event_id"), symmetric=is_symmetric(family),
        )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _place_verdict(a: Mention, b: Mention) -> int:
    """1: the same place; 0: too vague to say; -1: different places."""
    if a.place_country and b.place_country and a.place_country != b.place_country:
        return -1
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return 0
    limits = [NEAR_KM.get(p or "") for p in (a.place_precision, b.place_precision)]
    if any(limit is None for limit in limits):
        return 0  # country-level places: only the country could be compared
    near = max(limit for limit in limits if limit is not None)
    return 1 if distance_km(a.lat, a.lon, b.lat, b.lon) <= near else -1


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def same_event(a: Mention, b: Mention, min_overlap: float = 0.34) -> bool:
    """Whether two mentions tell one real-world event (see the module docstring)."""
    if a.doc_id == b.doc_id or a.family != b.family:
        return False
    if a.window is None or b.window is None:
        if a.window is not b.window:
            return False
    elif a.window[0] > b.window[1] or b.window[0] > a.window[1]:
        return False
    place = _place_verdict(a, b)
    if place < 0:
        return False
    straight = (_side_verdict(a.source, b.source), _side_verdict(a.target, b.target))
    pairings = [straight]
    if a.symmetric:
        pairings.append((_side_verdict(a.source, b.target), _side_verdict(a.target, b.source)))
    sides = max((p for p in pairings if min(p) >= 0), key=sum, default=None)
    if sides is None:
        return False
    agreed = sum(sides) + place
    if agreed >= 3:
        return True
    overlap = _overlap(a.words, b.words)
    if agreed >= 1:
        return overlap >= min_overlap
    return overlap >= 2 * min_overlap


def event_id_for(anchor_mention_id: str) -> str:
    return "ev-" + hashlib.sha1(anchor_mention_id.encode("utf-8")).hexdigest()[:16]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class _Blocks:
    """Mentions bucketed by (family, day) so candidates are found without comparing all pairs."""

    def __init__(self) -> None:
        self.buckets: dict[tuple[str, date | None], list[Mention]] = {}

    @staticmethod
    def _days(mention: Mention) -> Iterable[date | None]:
        if mention.window is None:
            return [None]
        lo, hi = mention.window
        return (lo + timedelta(days=n) for n in range((hi - lo).days + 1))

    def add(self, mention: Mention) -> None:
        for day in self._days(mention):
            self.buckets.setdefault((mention.family, day), []).append(mention)

    def candidates(self, mention: Mention) -> Iterable[Mention]:
        seen: set[str] = set()
        for day in self._days(mention):
            for other in self.buckets.get((mention.family, day), ()):
                if other.mention_id not in seen:
                    seen.add(other.mention_id)
                    yield other


def cluster(
    new: list[Mention], settled: list[Mention], loose: list[Mention]
) -> dict[str, list[Mention]]:
    """Events after adding ``new`` mentions: event id -> its mentions.

    ``settled`` are stored mentions already known to belong together by their
    ``event_id`` (every mention of each of their events is passed, so an event is
    kept whole); ``loose`` are stored mentions whose events lost a member and
    must be regrouped from scratch. Only events that contain a new or loose
    mention, or were merged with one, are returned.
    """
    groups = _UnionFind()
    by_id: dict[str, Mention] = {}
    for mention in settled:
        by_id[mention.mention_id] = mention
        groups.union(mention.mention_id, "event:" + str(mention.event_id))
    blocks = _Blocks()
    for mention in settled:
        blocks.add(mention)
    for mention in [*loose, *new]:
        by_id[mention.mention_id] = mention
        groups.find(mention.mention_id)
        for other in blocks.candidates(mention):
            if same_event(mention, other):
                groups.union(mention.mention_id, other.mention_id)
        blocks.add(mention)
    members: dict[str, list[Mention]] = {}
    for mention_id, mention in by_id.items():
        members.setdefault(groups.find(mention_id), []).append(mention)
    out: dict[str, list[Mention]] = {}
    for group in members.values():
        anchor = min(group, key=lambda m: m.order_key)
        out[event_id_for(anchor.mention_id)] = sorted(group, key=lambda m: m.order_key)
    return out
