"""Synthetic event databases for API benchmarks and tests: many events, realistically spread.

The rows are made inside DuckDB (a million in seconds), with the store's own
schema: countries weighted roughly as conflict event data are (Syria, Ukraine,
Iraq, Afghanistan, Yemen, Nigeria, ... far ahead of the rest), places jittered
around a few cities per country, days over ten years with slow waves, CAMEO
roots weighted as news-coded data are (statements, consultations and appeals
common; force rarer; mass violence rare). Events are written in date order,
as a store fills when news is ingested as it appears. No text is real.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

# ISO3, weight, (lat, lon) of a few places in it
COUNTRIES: list[tuple[str, float, list[tuple[float, float]]]] = [
    ("SYR", 12, [(33.51, 36.29), (36.20, 37.16), (35.33, 40.14), (33.50, 38.62)]),
    ("UKR", 11, [(50.45, 30.52), (49.99, 36.23), (48.02, 37.80), (46.48, 30.73)]),
    ("IRQ", 8, [(33.31, 44.37), (36.34, 43.13), (30.51, 47.78)]),
    ("AFG", 7, [(34.53, 69.17), (31.61, 65.71), (36.71, 67.11)]),
    ("YEM", 6, [(15.37, 44.19), (12.79, 45.03), (14.80, 42.95)]),
    ("ISR", 5, [(31.77, 35.22), (32.09, 34.78)]),
    ("PSE", 5, [(31.50, 34.47), (31.90, 35.20)]),
    ("NGA", 4, [(9.07, 7.49), (11.85, 13.16), (6.52, 3.38)]),
    ("SOM", 4, [(2.05, 45.32), (9.56, 44.06)]),
    ("SDN", 4, [(15.50, 32.56), (13.63, 25.35)]),
    ("RUS", 4, [(55.76, 37.62), (59.93, 30.34)]),
    ("USA", 4, [(38.90, -77.04), (40.71, -74.01)]),
    ("IRN", 3, [(35.69, 51.39), (32.65, 51.67)]),
    ("PAK", 3, [(33.69, 73.05), (24.86, 67.01), (34.01, 71.58)]),
    ("IND", 3, [(28.61, 77.21), (34.08, 74.80)]),
    ("MMR", 3, [(16.87, 96.20), (21.97, 96.08)]),
    ("MLI", 2, [(12.64, -8.00), (16.77, -3.01)]),
    ("COD", 2, [(-4.44, 15.27), (-1.68, 29.22)]),
    ("ETH", 2, [(9.03, 38.74), (13.50, 39.47)]),
    ("LBY", 2, [(32.89, 13.19), (32.12, 20.07)]),
    ("LBN", 2, [(33.89, 35.50)]),
    ("TUR", 2, [(39.93, 32.86), (41.01, 28.98), (37.07, 37.38)]),
    ("EGY", 1, [(30.04, 31.24)]),
    ("SAU", 1, [(24.71, 46.68)]),
    ("CHN", 1, [(39.90, 116.41)]),
    ("MEX", 1, [(19.43, -99.13)]),
    ("COL", 1, [(4.71, -74.07)]),
    ("BFA", 1, [(12.37, -1.52)]),
    ("KEN", 1, [(-1.29, 36.82)]),
    ("VEN", 1, [(10.48, -66.90)]),
]
# CAMEO root, weight, quad class, PLOVER type, typical Goldstein
ROOTS: list[tuple[str, float, int, str, float]] = [
    ("01", 14, 1, "AGREE", 0.0), ("02", 8, 1, "REQUEST", 3.0), ("03", 6, 1, "AGREE", 4.0),
    ("04", 12, 1, "CONSULT", 1.0), ("05", 6, 2, "COOPERATE", 3.5), ("06", 3, 2, "COOPERATE", 6.0),
    ("07", 3, 2, "AID", 7.0), ("08", 3, 2, "YIELD", 5.0), ("09", 2, 1, "INVESTIGATE", -2.0),
    ("10", 4, 3, "DEMAND", -5.0), ("11", 7, 3, "ACCUSE", -2.0), ("12", 3, 3, "REJECT", -4.0),
    ("13", 4, 3, "THREATEN", -6.0), ("14", 4, 3, "PROTEST", -6.5), ("15", 2, 4, "MOBILIZE", -7.2),
    ("16", 2, 3, "SANCTION", -5.6), ("17", 4, 4, "COERCE", -7.0), ("18", 5, 4, "ASSAULT", -9.0),
    ("19", 6, 4, "ASSAULT", -10.0), ("20", 1, 4, "ASSAULT", -10.0),
]
AGENTS = ["GOV", "MIL", "REB", "UAF", "OPP", "PPL", "COP", "MED", "IGO", "BUS"]
START, DAYS = "2015-01-01", 3652


def _values(rows: Sequence[tuple[object, ...]]) -> str:
    def lit(v: object) -> str:
        return f"'{v}'" if isinstance(v, str) else repr(v)

    return ", ".join("(" + ", ".join(lit(v) for v in row) + ")" for row in rows)


def make_database(path: Path | str, n_events: int = 1_000_000, seed: float = 0.42,
                  events_per_article: int = 3) -> dict[str, int]:
    """Fill a new store file with ``n_events`` events, one mention each; returns the counts."""
    from eventwire.store.database import Store

    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{path} exists; synthetic data goes into a new file")
    with Store(path) as store:
        _draw(store.con, seed, n_events)
        store.con.execute("BEGIN TRANSACTION")
        _insert(store.con, events_per_article)
        store.con.execute("COMMIT")
        return store.counts()


Rows = list[tuple[Any, ...]]


def _intervals() -> tuple[Rows, Rows, Rows]:
    """Places, and the countries' and roots' shares as intervals of [0, 1) to draw from."""
    # the numbers below are this module's own tables, not input: literals are safe here
    places = [(c, w, i, lat, lon) for c, w, pts in COUNTRIES for i, (lat, lon) in enumerate(pts)]
    total_c = sum(w for _, w, _ in COUNTRIES)
    country_rows: Rows = []
    acc = 0.0
    for code, weight, pts in COUNTRIES:
        country_rows.append((code, acc / total_c, (acc + weight) / total_c, len(pts)))
        acc += weight
    total_r = sum(r[1] for r in ROOTS)
    root_rows: Rows = []
    acc = 0.0
    for root, weight, quad, plover, goldstein in ROOTS:
        root_rows.append((root, acc / total_r, (acc + weight) / total_r, quad, plover, goldstein))
        acc += weight
    return places, country_rows, root_rows


def _draw(con: Any, seed: float, n_events: int) -> None:
    """Temp table ``g``: one drawn event per row (country, other side, root, place, date)."""
    places, country_rows, root_rows = _intervals()
    con.execute(f"SELECT setseed({float(seed)})")
    con.execute("CREATE TEMP TABLE c (code VARCHAR, lo DOUBLE, hi DOUBLE, n INTEGER)")
    con.execute(f"INSERT INTO c VALUES {_values(country_rows)}")
    con.execute("CREATE TEMP TABLE p (code VARCHAR, w DOUBLE, i INTEGER, lat DOUBLE, "
                "lon DOUBLE)")
    con.execute(f"INSERT INTO p VALUES {_values(places)}")
    con.execute("CREATE TEMP TABLE r (root VARCHAR, lo DOUBLE, hi DOUBLE, quad INTEGER, "
                "plover VARCHAR, goldstein DOUBLE)")
    con.execute(f"INSERT INTO r VALUES {_values(root_rows)}")
    agents = "[" + ", ".join(f"'{a}'" for a in AGENTS) + "]"
    con.execute(
        "CREATE TEMP TABLE s AS SELECT range AS n, random() AS rc, random() AS rr, "
        "random() AS rp, random() AS rd, random() AS rt, random() AS ra, random() AS rb, "
        "random() AS rx, random() AS ry, random() AS rg "
        "FROM range(?)", [n_events])
    con.execute(
        "CREATE TEMP TABLE g AS SELECT s.n, c.code AS country, "
        "CASE WHEN s.rt < 0.35 THEN c.code ELSE (SELECT code FROM c ORDER BY "
        "abs(c.lo - s.rt) LIMIT 1) END AS other, r.root, r.quad, r.plover, r.goldstein, "
        "p.lat + (s.rx - 0.5) * 0.8 AS lat, p.lon + (s.ry - 0.5) * 0.8 AS lon, "
        # slow waves over ten years: denser in some seasons and some years
        f"DATE '{START}' + CAST(floor({DAYS} * pow(s.rd, 0.8)) AS INTEGER) AS date, "
        f"{agents}[1 + CAST(floor(s.ra * {len(AGENTS)}) AS INTEGER)] AS sa, "
        f"{agents}[1 + CAST(floor(s.rb * {len(AGENTS)}) AS INTEGER)] AS ta, "
        "s.rg, s.rr FROM s JOIN c ON s.rc >= c.lo AND s.rc < c.hi "
        "JOIN r ON s.rr >= r.lo AND s.rr < r.hi "
        "JOIN p ON p.code = c.code AND p.i = CAST(floor(s.rp * c.n) AS INTEGER)")


def _insert(con: Any, events_per_article: int) -> None:
    """Events, articles, mentions and places from the drawn rows, as a store holds them."""
    now = "current_timestamp::TIMESTAMP"
    con.execute(
        "INSERT INTO events (event_id, date, date_precision, cameo, cameo_root, plover, "
        "plover_mode, quad_class, goldstein, source_name, source_code, source_country, "
        "source_agent, target_name, target_code, target_country, target_agent, place_name, "
        "lat, lon, place_country, admin1, geonameid, place_precision, sentence, confidence, "
        "n_mentions, n_articles, n_sources, first_reported, last_reported, added_at, "
        "updated_at, deleted_at) "
        "SELECT 'sx-' || lpad(CAST(n AS VARCHAR), 8, '0'), date, 'day', "
        "root || CAST(CAST(floor(rg * 4) AS INTEGER) AS VARCHAR), root, plover, NULL, quad, "
        "goldstein, country || ' ' || sa, country || sa, country, sa, other || ' ' || ta, "
        "other || ta, other, ta, 'Place ' || country, lat, lon, country, NULL, NULL, "
        "'city', 'Synthetic sentence ' || CAST(n AS VARCHAR) || ' about ' || plover, "
        f"0.5 + rg / 2, 1, 1, 1, date, date, {now}, {now}, NULL FROM g ORDER BY date, n")
    con.execute(
        "INSERT INTO articles (doc_id, title, published, url, source, language, text_sha1, "
        "wire_copy_of, n_mentions, added_at, updated_at) "
        f"SELECT 'sa-' || lpad(CAST(n // {events_per_article} AS VARCHAR), 8, '0'), "
        "'Synthetic article', min(date), NULL, 'synthetic', 'en', "
        f"md5(CAST(n // {events_per_article} AS VARCHAR)), NULL, count(*), {now}, {now} "
        f"FROM g GROUP BY n // {events_per_article}")
    con.execute(
        "INSERT INTO mentions (mention_id, event_id, doc_id, sentence_index, start_char, "
        "end_char, trigger, sentence, confidence, date, date_precision, cameo, cameo_root, "
        "plover, quad_class, goldstein, source_code, target_code, place_name, lat, lon, "
        "place_country, coder, record, added_at, updated_at) "
        "SELECT 'sm-' || lpad(CAST(n AS VARCHAR), 8, '0'), "
        "'sx-' || lpad(CAST(n AS VARCHAR), 8, '0'), "
        f"'sa-' || lpad(CAST(n // {events_per_article} AS VARCHAR), 8, '0'), "
        f"CAST(n % {events_per_article} AS INTEGER), 0, 10, 'said', "
        "'Synthetic sentence ' || CAST(n AS VARCHAR), 0.5 + rg / 2, date, 'day', "
        "root || '0', root, plover, quad, goldstein, country || sa, other || ta, "
        f"'Place ' || country, lat, lon, country, 'synthetic', '{{}}', {now}, {now} FROM g")
    con.execute(
        "INSERT INTO places (doc_id, start_char, end_char, mention, name, lat, lon, country, "
        "feature, confidence, added_at) "
        f"SELECT 'sa-' || lpad(CAST(n // {events_per_article} AS VARCHAR), 8, '0'), "
        "CAST(n % 3 AS INTEGER) * 20, CAST(n % 3 AS INTEGER) * 20 + 5, 'Place ' || country, "
        f"'Place ' || country, lat, lon, country, 'city', 0.9, {now} "
        f"FROM g WHERE n % {max(1, events_per_article)} = 0")
