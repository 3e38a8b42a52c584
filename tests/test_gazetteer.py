"""The offline gazetteer: variants, countries, the project's own features, the cache."""

from __future__ import annotations

import pytest

from eventwire.coding.gazetteer import KIND_COUNTRY, get_gazetteer, normalize, skeleton


@pytest.fixture(scope="module")
def gaz():  # type: ignore[no-untyped-def]
    return get_gazetteer()


def names(gaz, query: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(gaz.names[i], gaz.countries[i]) for i in gaz.lookup(query)]


def test_normalize_and_skeleton_meet_for_transliterations() -> None:
    assert normalize("Deir al-Zour") == "deir al zour"
    assert skeleton(normalize("Deir al-Zour")) == skeleton(normalize("Dayr az Zawr"))
    assert normalize("Ālbū Kamāl") == "albu kamal"


@pytest.mark.parametrize("query", ["Bukamal", "Abu Kamal", "Albu Kamal", "Al-Bukamal"])
def test_abu_kamal_variants(gaz, query: str) -> None:  # type: ignore[no-untyped-def]
    hits = names(gaz, query)
    assert hits and hits[0][1] == "SYR"


@pytest.mark.parametrize("query", ["Deir al-Zour", "Deir ez-Zor", "Dayr az Zawr", "Deir el-Zor"])
def test_deir_ez_zor_variants(gaz, query: str) -> None:  # type: ignore[no-untyped-def]
    assert ("Deir ez-Zor", "SYR") in names(gaz, query)


def test_project_features(gaz) -> None:  # type: ignore[no-untyped-def]
    tanf = gaz.place(gaz.lookup("At Tanf")[0])
    assert tanf.country == "SYR" and tanf.feature == "garrison"
    assert abs(tanf.lat - 33.50) < 0.1 and abs(tanf.lon - 38.62) < 0.1
    assert "Syrian Desert" in [n for n, _ in names(gaz, "Badia")]
    assert "Badia" in [n for n, c in names(gaz, "Badia") if c == "ITA"]


def test_countries_have_coordinates_and_aliases(gaz) -> None:  # type: ignore[no-untyped-def]
    for query, iso3 in [("Iraq", "IRQ"), ("Syria", "SYR"), ("U.S.", "USA"), ("Britain", "GBR")]:
        hits = [i for i in gaz.lookup(query) if gaz.kinds[i] == KIND_COUNTRY]
        assert hits, query
        place = gaz.place(hits[0])
        assert place.country == iso3 and place.lat is not None
    assert gaz.country_entry("SYR") is not None


def test_no_entries_from_lowercase_transcriptions(gaz) -> None:  # type: ignore[no-untyped-def]
    # GeoNames lists romanised transcriptions like "badia" in lower case; they are dropped,
    # so ordinary words do not look like places
    assert gaz.lookup("the", fuzzy=False) == [] or all(
        gaz.names[i].lower() == "the" for i in gaz.lookup("the", fuzzy=False))


def test_second_load_reads_the_cache(gaz) -> None:  # type: ignore[no-untyped-def]
    from eventwire.coding import gazetteer

    cache = gazetteer.cache_path()
    assert cache.exists()
    built = cache.stat().st_mtime_ns
    gazetteer.get_gazetteer.cache_clear()
    again = gazetteer.get_gazetteer()
    assert cache.stat().st_mtime_ns == built, "the index was rebuilt instead of read"
    assert len(again) == len(gaz) > 200_000


def test_lookup_never_adds_an_article_while_the_name_itself_matches(gaz) -> None:  # type: ignore[no-untyped-def]
    assert ("Tall Abyaḑ", "SYR") in names(gaz, "Tal Abyad")
    # "Al-Bukamal" is found for "Bukamal" only because nothing is named "Bukamal" itself
    assert names(gaz, "Bukamal")[0][1] == "SYR"
    for i in gaz.lookup("Tal", fuzzy=False):
        assert "tal" in {w for w in normalize(gaz.names[i]).split()} or gaz.exact.get(
            "tal") and i in gaz.exact["tal"]


def test_us_counties_are_entries(gaz) -> None:  # type: ignore[no-untyped-def]
    from eventwire.coding.gazetteer import KIND_ADMIN2

    hits = [gaz.place(i) for i in gaz.lookup("Rapides Parish") if gaz.kinds[i] == KIND_ADMIN2]
    assert hits and hits[0].admin1 == "Louisiana" and hits[0].feature == "county"
    states = {gaz.admin1s[i] for i in gaz.lookup("Henry County")}
    assert {"Tennessee", "Georgia", "Virginia"} <= states


def test_regions_counties_and_unions(gaz) -> None:  # type: ignore[no-untyped-def]
    def first(query: str, feature: str) -> tuple[str, str]:
        hits = [gaz.place(i) for i in gaz.lookup(query) if gaz.features[i] == feature]
        assert hits, query
        return hits[0].name, hits[0].country or ""

    assert first("Rajasthan", "admin1") == ("Rajasthan", "IND")
    assert first("Eastern Cape", "admin1") == ("Eastern Cape", "ZAF")
    assert first("Northamptonshire", "county") == ("Northamptonshire", "GBR")
    assert first("Korean Peninsula", "peninsula")[0] == "Korean Peninsula"
    assert first("EU", "region")[0] == "European Union"


def test_towns_carry_their_divisions(gaz) -> None:  # type: ignore[no-untyped-def]
    def town(query: str, iso3: str):  # type: ignore[no-untyped-def]
        hits = [gaz.place(i) for i in gaz.lookup(query) if gaz.countries[i] == iso3]
        assert hits, query
        return max(hits, key=lambda p: p.population)

    bakhmut = town("Bakhmut", "UKR")
    assert bakhmut.admin1_code == "UA.05" and bakhmut.admin1
    assert bakhmut.admin2 == "Bakhmut Raion" and bakhmut.admin2_code == "UA.05.1402"
    kidal = town("Kidal", "MLI")
    assert kidal.admin1 == "Kidal" and kidal.admin1_code == "ML.10"
    houston = town("Houston", "USA")
    assert houston.admin1 == "Texas" and houston.admin1_code == "US.TX"
    # the project's English name for a division it lists itself
    assert town("Homs", "SYR").admin1 == "Homs Governorate"


def test_sites_carry_divisions_too(gaz) -> None:  # type: ignore[no-untyped-def]
    tanf = gaz.place(gaz.lookup("At Tanf")[0])
    assert tanf.admin1 == "Homs Governorate" and tanf.admin1_code == "SY.11"
    country = gaz.place(gaz.country_entry("SYR"))
    assert country.admin1 is None and country.admin1_code is None


def test_cache_key_is_the_content_not_the_checkout(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from eventwire.coding import gazetteer

    here = gazetteer._fingerprint()
    copy = tmp_path / "data"
    copy.mkdir()
    for name in gazetteer.SOURCE_FILES:
        shutil.copy(gazetteer.DATA_DIR / name, copy / name)
    monkeypatch.setattr(gazetteer, "DATA_DIR", copy)
    assert gazetteer._fingerprint() == here  # another checkout with the same data
    with (copy / "features.tsv").open("a", encoding="utf-8") as handle:
        handle.write("Nowhere Base\t1.0\t1.0\tMLI\tmilitary base\t\tinvented\n")
    assert gazetteer._fingerprint() != here


def test_building_keeps_a_few_other_indexes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os

    from eventwire.coding import gazetteer

    paths = [tmp_path / f"gazetteer-{n:016x}.marshal" for n in range(5)]
    for age, path in enumerate(paths):
        path.write_bytes(b"x")
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    gazetteer._prune(paths[0])
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == sorted(p.name for p in [paths[0], *paths[-(gazetteer.KEEP_INDEXES - 1):]])


def test_every_division_is_found_by_its_kind(gaz) -> None:  # type: ignore[no-untyped-def]
    def division(query: str) -> tuple[str, str]:
        hits = [gaz.place(i) for i in gaz.lookup(query, fuzzy=False)
                if gaz.features[i] == "admin1"]
        assert hits, query
        return hits[0].country or "", hits[0].admin1_code or ""

    assert division("Saada province") == ("YEM", "YE.15")
    assert division("Enga Province") == ("PNG", "PG.19")
    # a bare division name is no entry of its own (it would match ordinary words), and a
    # name a listed division already has is not taken by a namesake abroad
    assert not [i for i in gaz.lookup("Enga", fuzzy=False) if gaz.features[i] == "admin1"]
    assert {gaz.countries[i] for i in gaz.lookup("Maryland State", fuzzy=False)} != {"LBR"}
