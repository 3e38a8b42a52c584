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
unless both sides and the place agree outright; the more of source, target,
place and kind of site agree, the less overlap is needed. Numbers are left out
of that overlap: "killing 12" and "killing at least 15" tell one attack. Two
reports naming sites of different kinds (a market, a checkpoint) tell two
events.

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
from typing import Any

from eventwire.data import DATA_DIR
from eventwire.records.geometry import EARTH_RADIUS_KM
from eventwire.records.geometry import haversine_km as distance_km

DATA = DATA_DIR / "event_families.tsv"
AGENT_GROUPS = DATA_DIR / "agent_groups.tsv"
SITES = DATA_DIR / "event_sites.tsv"
# content-word overlap still needed, by how many of (source, target, place, site) agree
NEEDED_OVERLAP = {0: 0.5, 1: 0.25, 2: 0.1}
WORD = re.compile(r"[^\W\d_]+")
# days either side of a date that still count as the same date. A day is a day: reports of one
# event name its day ("on Sunday" is resolved against publication), and a day either side
# would chain a month of daily clashes in one town into one event. A week is read loosely.
SLACK = {"day": 0, "week": 3}
NEAR_KM = {"point": 50.0, "city": 50.0, "region": 200.0}
KM_PER_DEGREE_LAT = EARTH_RADIUS_KM * math.pi / 180
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


@lru_cache(maxsize=1)
def agent_groups() -> dict[str, str]:
    """CAMEO agent -> the group of agents reports use interchangeably (``agent_groups.tsv``)."""
    table: dict[str, str] = {}
    for line in AGENT_GROUPS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            agent, group = line.split("\t")[:2]
            table[agent] = group.strip()
    return table


@lru_cache(maxsize=1)
def site_words() -> dict[str, str]:
    """Word -> kind of site (``event_sites.tsv``)."""
    table: dict[str, str] = {}
    for line in SITES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, site = line.split("\t")[:2]
            table[word] = site.strip()
    return table


def sites_of(sentence: str | None) -> frozenset[str]:
    table = site_words()
    return frozenset(table[w] for w in (m.lower() for m in WORD.findall(sentence or ""))
                     if w in table)


def family_of(cameo_root: str | None) -> str:
    return families().get(cameo_root or "", (cameo_root or "", False))[0]


def is_symmetric(family: str) -> bool:
    return any(fam == family and sym for fam, sym in families().values())


def date_window(value: str | date | None, precision: str | None) -> tuple[date, date] | None:
    """The days an event dated ``value`` at ``precision`` may have happened on (a stored
    DATE, or the ISO text of a record)."""
    if not value:
        return None
    if isinstance(value, date):
        value = value.isoformat()
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


def _day_key(published: str | date | None) -> str:
    """A publication date as a sortable key; undated articles sort last."""
    if isinstance(published, date):
        return published.isoformat()
    return (published or "9999")[:10]


def _stem(word: str) -> str:
    """A crude plural and tense strip, enough for "taxes"/"tax" and "Kenyans"/"Kenyan"."""
    for suffix in ("es", "s", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_words(sentence: str | None, *compared: str | None) -> frozenset[str]:
    """Lower-cased words of a sentence that say what happened, numbers and filler left out.

    Words of the ``compared`` texts (actors, the place name) are left out too: they are
    matched as actors and places already, and would otherwise count twice.
    """
    if not sentence:
        return frozenset()
    known = {w.lower() for text in compared if text for w in WORD.findall(text)}
    return frozenset(_stem(w) for w in (m.lower() for m in WORD.findall(sentence))
                     if len(w) > 2 and w not in STOPWORDS and w not in known)


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
        groups = agent_groups()
        if groups.get(a.agent, a.agent) != groups.get(b.agent, b.agent):
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
    sites: frozenset[str]
    order_key: tuple[str, str]
    event_id: str | None = None
    symmetric: bool = field(default=False)

    @classmethod
    def from_row(cls, row: Mapping[str, Any], published: str | date | None = None) -> Mention:
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
            words=content_words(row.get("sentence"), row.get("source_text"),
                                row.get("target_text"), row.get("place_name")),
            sites=sites_of(row.get("sentence")),
            order_key=(_day_key(published), str(row["mention_id"])),
            event_id=row.get("event_id"), symmetric=is_symmetric(family),
        )


def _place_verdict(a: Mention, b: Mention) -> int:
    """1: the same place; 0: too vague to say; -1: different places."""
    if a.place_country and b.place_country and a.place_country != b.place_country:
        return -1
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return 0
    near_a, near_b = NEAR_KM.get(a.place_precision or ""), NEAR_KM.get(b.place_precision or "")
    if near_a is None or near_b is None:
        return 0  # country-level places: only the country could be compared
    near = max(near_a, near_b)
    if abs(a.lat - b.lat) * KM_PER_DEGREE_LAT > near * 1.001:
        return -1  # farther apart north-south alone (a great circle is never shorter)
    return 1 if distance_km(a.lat, a.lon, b.lat, b.lon) <= near else -1


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _sides(a: Mention, b: Mention) -> tuple[int, int] | None:
    """The verdicts on both sides, in the pairing that agrees best; None when they conflict."""
    straight = (_side_verdict(a.source, b.source), _side_verdict(a.target, b.target))
    best = straight if min(straight) >= 0 else None
    if a.symmetric:
        crossed = (_side_verdict(a.source, b.target), _side_verdict(a.target, b.source))
        if min(crossed) >= 0 and (best is None or sum(crossed) > sum(best)):
            best = crossed
    return best


def same_event(a: Mention, b: Mention) -> bool:
    """Whether two mentions tell one real-world event (see the module docstring)."""
    if a.family != b.family:
        return False
    if a.window is None or b.window is None:
        if a.window is not b.window:
            return False
    elif a.window[0] > b.window[1] or b.window[0] > a.window[1]:
        return False
    place = _place_verdict(a, b)
    if place < 0:
        return False
    sides = _sides(a, b)
    if sides is None:
        return False
    site = 0
    if a.sites and b.sites:
        if not a.sites & b.sites:
            return False  # a market and a checkpoint: two attacks
        site = 1
    agreed = sum(sides) + place + site
    if agreed >= 3:
        return True
    return _overlap(a.words, b.words) >= NEEDED_OVERLAP[agreed]


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


Cell = tuple[int, int]
Buckets = dict[str | None, dict[Cell | None, list[Mention]]]


def _cell(mention: Mention) -> Cell | None:
    """A 1-degree grid cell for a town-precise place; None for coarser or unknown places."""
    if mention.lat is None or mention.lon is None or mention.place_precision not in NEAR_KM:
        return None
    if NEAR_KM[mention.place_precision] > 50.0:
        return None
    return (math.floor(mention.lat), math.floor(mention.lon))


class _Blocks:
    """Mentions bucketed by family, day, place country and grid cell, so candidates are
    found without comparing all pairs. Buckets never hide a match: mentions in different
    countries, or town-precise places more than a cell apart, cannot match; a mention with
    no country or no precise place is compared with every bucket it could match."""

    def __init__(self) -> None:
        self.days: dict[tuple[str, date | None], Buckets] = {}

    @staticmethod
    def _days(mention: Mention) -> Iterable[date | None]:
        if mention.window is None:
            return [None]
        lo, hi = mention.window
        return (lo + timedelta(days=n) for n in range((hi - lo).days + 1))

    def add(self, mention: Mention) -> None:
        cell = _cell(mention)
        for day in self._days(mention):
            countries = self.days.setdefault((mention.family, day), {})
            countries.setdefault(mention.place_country, {}).setdefault(cell, []).append(mention)

    def candidates(self, mention: Mention) -> Iterable[Mention]:
        seen: set[str] = set()
        cell = _cell(mention)
        for day in self._days(mention):
            countries = self.days.get((mention.family, day))
            if not countries:
                continue
            keys = [mention.place_country, None] if mention.place_country else list(countries)
            for key in keys:
                cells = countries.get(key)
                if not cells:
                    continue
                if cell is None or key is None:
                    lists = list(cells.values())
                else:
                    lists = [cells.get((cell[0] + dy, cell[1] + dx), [])
                             for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
                    lists.append(cells.get(None, []))
                for bucket in lists:
                    for other in bucket:
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
