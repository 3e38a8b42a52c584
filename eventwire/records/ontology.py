"""CAMEO and PLOVER ontologies and the English trigger lexicon, read from eventwire/data.

Every stage that turns a code into a record (Goldstein, quad class, PLOVER type) asks
this module, so the tables live in one place and are parsed once per process.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from eventwire.data import DATA_DIR


@dataclass(frozen=True)
class CameoCode:
    """One CAMEO code with the figures event records carry."""

    code: str
    name: str
    root: str
    goldstein: float
    quad_class: int
    plover: str | None
    plover_mode: str | None
    penta_class: int
    goldstein_gdelt: float | None = None


@dataclass(frozen=True)
class PloverType:
    """One PLOVER event type: its quad class, fallback CAMEO code and modes."""

    event: str
    quad_class: int
    default_cameo: str
    modes: dict[str, str]
    aliases: tuple[str, ...]
    definition: str


@dataclass(frozen=True)
class Trigger:
    """A lexicon entry: head lemma first, then lemmas that must hang off the head."""

    lemmas: tuple[str, ...]
    cameo: str
    kind: str
    note: str


def _rows(name: str) -> Iterator[dict[str, str]]:
    """Yield the data rows of a '#'-commented TSV file, keyed by its header line."""
    path = DATA_DIR / name
    with path.open(encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        yield {k: (v or "").strip() for k, v in row.items()}


def penta_class(code: str) -> int:
    """ConfliBERT's five-way grouping of CAMEO roots (16 counts as verbal conflict)."""
    root = int(code[:2])
    if root <= 2:
        return 0
    if root <= 5:
        return 1
    if root <= 8:
        return 2
    if root <= 13 or root == 16:
        return 3
    return 4


def normalize_code(code: str | int) -> str:
    """Canonical string form: '1' or 1 -> '01', ' 190 ' -> '190'; roots keep two digits."""
    text = str(code).strip()
    if text.isdigit() and len(text) == 1:
        text = "0" + text
    return text


@lru_cache(maxsize=1)
def all_cameo() -> dict[str, CameoCode]:
    """All CAMEO codes keyed by code string ('01', '010', '0211', ...)."""
    out: dict[str, CameoCode] = {}
    for row in _rows("cameo.tsv"):
        code = row["code"]
        gdelt = row.get("goldstein_gdelt", "")
        out[code] = CameoCode(
            code=code,
            name=row["name"],
            root=code[:2],
            goldstein=float(row["goldstein"]),
            quad_class=int(row["quad_class"]),
            plover=row["plover_event"] or None,
            plover_mode=row["plover_mode"] or None,
            penta_class=penta_class(code),
            goldstein_gdelt=float(gdelt) if gdelt else None,
        )
    return out


def cameo(code: str | int) -> CameoCode:
    """Look up one CAMEO code; unknown codes are a caller bug, so fail loudly."""
    key = normalize_code(code)
    table = all_cameo()
    try:
        return table[key]
    except KeyError:
        raise KeyError(
            f"unknown CAMEO code {code!r}: expected a root '01'..'20' or one of its "
            f"3- or 4-digit sub-codes listed in {DATA_DIR / 'cameo.tsv'}"
        ) from None


@lru_cache(maxsize=1)
def _plover_table() -> dict[str, PloverType]:
    out: dict[str, PloverType] = {}
    for row in _rows("plover.tsv"):
        modes: dict[str, str] = {}
        for item in filter(None, row["modes"].split(";")):
            mode, _, code = item.partition("=")
            modes[mode.strip()] = code.strip()
        aliases = tuple(a.strip() for a in row["aliases"].split(";") if a.strip())
        out[row["event"]] = PloverType(
            event=row["event"],
            quad_class=int(row["quad_class"]),
            default_cameo=row["default_cameo"],
            modes=modes,
            aliases=aliases,
            definition=row["definition"],
        )
    return out


@lru_cache(maxsize=1)
def _plover_aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for event, info in _plover_table().items():
        out[event] = event
        for alias in info.aliases:
            out[alias] = event
    return out


def plover_canonical(event: str) -> str:
    """Map a PLOVER type name, any case or an earlier draft's name (YIELD), to today's."""
    key = event.strip().upper()
    try:
        return _plover_aliases()[key]
    except KeyError:
        raise KeyError(f"unknown PLOVER event type {event!r}; known: {plover_types()}") from None


def plover_merged(event: str) -> str:
    """The type as the PLV training data labels it: CONCEDE and RETREAT are one YIELD."""
    name = plover_canonical(event)
    return "YIELD" if name in ("CONCEDE", "RETREAT") else name


def plover_type(event: str) -> PloverType:
    """Full record of a PLOVER type."""
    return _plover_table()[plover_canonical(event)]


def plover_types() -> list[str]:
    """The 16 PLOVER event types in the specification's order."""
    return list(_plover_table())


def plover_modes(event: str) -> list[str]:
    """Modes allowed for a PLOVER type (empty for types without modes)."""
    return list(plover_type(event).modes)


def plover_quad(event: str) -> int:
    """Coarse quad class of a PLOVER type, for records that only know the type."""
    return plover_type(event).quad_class


def plover_default_cameo(event: str, mode: str | None = None) -> str:
    """CAMEO code to record when a classifier yields only a PLOVER type (and maybe a mode)."""
    info = plover_type(event)
    if mode:
        code = info.modes.get(mode.strip().lower())
        if code:
            return code
    return info.default_cameo


@lru_cache(maxsize=1)
def _intensities() -> dict[tuple[str, str], float]:
    return {(row["event"], row["mode"] or ""): float(row["intensity"])
            for row in _rows("plover_intensity.tsv")}


def plover_intensity(event: str | None, mode: str | None = None) -> float | None:
    """PLOVER's intensity (-10 hostile to +10 cooperative) of a type, or of its mode."""
    if not event:
        return None
    table = _intensities()
    name = plover_canonical(event)
    found = table.get((name, (mode or "").strip().lower()))
    return found if found is not None else table.get((name, ""))


@lru_cache(maxsize=1)
def triggers() -> list[Trigger]:
    """All lexicon entries in file order."""
    out: list[Trigger] = []
    for row in _rows("event_triggers.tsv"):
        lemmas = tuple(row["pattern"].lower().split())
        if not lemmas:
            continue
        out.append(Trigger(lemmas=lemmas, cameo=row["cameo"], kind=row["kind"], note=row["note"]))
    return out


@lru_cache(maxsize=1)
def triggers_by_head() -> dict[str, list[Trigger]]:
    """Triggers grouped by head lemma, most specific (longest) pattern first."""
    grouped: dict[str, list[Trigger]] = {}
    for trig in triggers():
        grouped.setdefault(trig.lemmas[0], []).append(trig)
    for items in grouped.values():
        items.sort(key=lambda t: -len(t.lemmas))
    return grouped
