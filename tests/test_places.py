"""Toponym recognition and resolution, the article focus and each event's location."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from eventwire.coding.places import article_focus, find_places, locate_event, precision
from eventwire.records.model import Article, Place, PlaceMention

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed"


def article(text: str, doc_id: str = "t") -> Article:
    return Article(doc_id=doc_id, text=text, body=text, body_offset=[(0, 0)])


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(
        math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


def test_seed_article_places() -> None:
    path = SEED / "at-tanf-leaflets-2017-06-02.txt"
    if not path.exists():
        pytest.skip("shared seed data absent")
    text = path.read_text(encoding="utf-8")
    mentions = find_places(article(text, "seed"))
    by_text: dict[str, list[PlaceMention]] = {}
    for m in mentions:
        assert text[m.start:m.end] == m.text
        assert 0 <= m.confidence <= 1
        by_text.setdefault(m.text, []).append(m)
    expected = [("At Tanf", 33.50, 38.62, 30), ("Bukamal", 34.45, 40.92, 20),
                ("Deir al-Zour", 35.34, 40.14, 30), ("Badia", 34.3, 38.8, 250)]
    for name, lat, lon, within in expected:
        assert name in by_text, name
        for m in by_text[name]:
            assert m.place is not None and m.place.lat is not None and m.place.lon is not None
            assert km(lat, lon, m.place.lat, m.place.lon) <= within, (name, m.place)
            assert m.place.country == "SYR"
    assert all(m.place and m.place.country == "IRQ" for m in by_text["Iraq"])
    assert all(m.place and m.place.country == "SYR" for m in by_text["Syria"])
    focus = article_focus(mentions)
    assert focus is not None and focus.country == "SYR"


def test_no_places_from_people_demonyms_or_ordinary_words() -> None:
    text = ("May brought heavy rain to the valley. Will Jordan, a retired teacher, said "
            "Syrian and Iraqi volunteers had helped. Paris Hilton was not there. "
            "The talks in Amman ended on Friday.")
    mentions = find_places(article(text))
    found = {m.text for m in mentions}
    assert "Amman" in found
    for word in ("May", "Will", "Syrian", "Iraqi", "Paris", "Friday", "Will Jordan"):
        assert word not in found, (word, found)
    amman = next(m for m in mentions if m.text == "Amman")
    assert amman.place is not None and amman.place.country == "JOR"


def test_ner_missed_names_and_transliterations() -> None:
    text = ("Fighters moved from Albu Kamal towards Dayr az Zawr on Sunday, while "
            "aircraft struck positions near al-Tanf.")
    mentions = {m.text: m for m in find_places(article(text))}
    assert any(k.endswith("Kamal") for k in mentions)
    deir = next(m for k, m in mentions.items() if "Zawr" in k)
    assert deir.place is not None and deir.place.name == "Deir ez-Zor"
    tanf = next(m for k, m in mentions.items() if "Tanf" in k)
    assert tanf.place is not None and tanf.place.feature == "garrison"


def test_countries_beat_towns_of_the_same_name() -> None:
    text = "Officials in Georgia and Armenia discussed the pipeline with Azerbaijan."
    mentions = {m.text: m for m in find_places(article(text))}
    assert mentions["Georgia"].place is not None
    assert mentions["Georgia"].place.country == "GEO"


def test_body_offsets_map_into_text() -> None:
    text = "HEADLINE\n2 min read\nClashes erupted in Aleppo overnight."
    body = "Clashes erupted in Aleppo overnight."
    art = Article(doc_id="x", text=text, body=body, body_offset=[(0, text.index(body))])
    mentions = find_places(art)
    aleppo = next(m for m in mentions if m.text == "Aleppo")
    assert text[aleppo.start:aleppo.end] == "Aleppo"


def place(name: str, feature: str, country: str = "SYR") -> Place:
    return Place(name=name, lat=34.0, lon=38.0, country=country, feature=feature)


def mention(text: str, start: int, p: Place, prep: str | None = None) -> PlaceMention:
    from eventwire.coding.places import LocatedMention

    return LocatedMention(doc_id="d", text=text, start=start, end=start + len(text),
                          place=p, confidence=0.9, preposition=prep)


def test_locate_event_prefers_prepositional_place_near_trigger() -> None:
    syria = place("Syria", "country")
    town = place("Town A", "town")
    base = place("Base B", "garrison")
    mentions = [mention("Syria", 5, syria), mention("Town A", 40, town, "in"),
                mention("Base B", 80, base, "near"), mention("Syria", 300, syria)]
    located, prec = locate_event(0, 120, 70, mentions, syria)
    assert located is base and prec == "point"
    located, prec = locate_event(0, 120, 30, mentions, syria)
    assert located is town and prec == "city"


def test_locate_event_most_specific_then_focus() -> None:
    syria = place("Syria", "country")
    desert = place("Syrian Desert", "desert")
    mentions = [mention("Syria", 5, syria), mention("Badia", 20, desert)]
    located, prec = locate_event(0, 50, None, mentions, syria)
    assert located is desert and prec == "region"
    located, prec = locate_event(100, 150, 120, mentions, syria)
    assert located is syria and prec == "country"
    assert locate_event(100, 150, None, mentions, None) == (None, None)


def test_precision_and_focus() -> None:
    assert precision(place("x", "country")) == "country"
    assert precision(place("x", "admin1")) == "region"
    assert precision(place("x", "city")) == "city"
    assert precision(place("x", "border crossing")) == "point"
    syria, town = place("Syria", "country"), place("Town A", "town")
    iran = place("Iran", "country", "IRN")
    mentions = [mention("Syria", 0, syria), mention("Town A", 10, town),
                mention("Town A", 30, town), mention("Iran", 50, iran)]
    assert article_focus(mentions) is town
    assert article_focus([]) is None


def test_ner_span_extends_to_the_longest_gazetteer_name() -> None:
    # NER takes only "Tal"; the span must grow to "Tal Abyad", not resolve "Tal" elsewhere
    text = ("Turkish guns hit villages near Tal Abyad on Sunday, and the Kurdish-led forces "
            "said fighting had also spread to Ras al-Ain overnight.")
    mentions = find_places(article(text))
    tal = [m for m in mentions if m.text.startswith("Tal")]
    assert [m.text for m in tal] == ["Tal Abyad"]
    assert tal[0].place is not None and tal[0].place.country == "SYR"
    assert tal[0].place.lat is not None and tal[0].place.lon is not None
    assert km(36.70, 38.95, tal[0].place.lat, tal[0].place.lon) < 15
    assert tal[0].preposition == "near"  # type: ignore[attr-defined]
    ras = [m for m in mentions if m.text.startswith("Ras")]
    assert ras and ras[0].place is not None and ras[0].place.country == "SYR"


def test_state_after_a_comma_picks_the_town_in_that_state() -> None:
    text = ("The council of Dublin, Ohio, approved the plan. Residents of Paris, Tenn., "
            "were told to expect delays.")
    mentions = {m.text: m for m in find_places(article(text))}
    assert mentions["Dublin"].place is not None
    assert mentions["Dublin"].place.admin1 == "Ohio"
    assert mentions["Paris"].place is not None
    assert mentions["Paris"].place.admin1 == "Tennessee"


def test_us_counties_resolve_to_the_county_not_a_namesake_town() -> None:
    text = "Deputies in Laurel County, Kentucky, arrested two men on Friday."
    county = next(m for m in find_places(article(text)) if "Laurel" in m.text)
    assert county.place is not None and county.place.feature == "county"
    assert county.place.admin1 == "Kentucky" and county.place.lat is not None
    assert county.place.lon is not None
    assert km(37.1, -84.1, county.place.lat, county.place.lon) < 50


def test_surname_of_a_named_person_is_not_a_place() -> None:
    text = ("Andrew Trapani grew up in Connecticut. Trapani said the film was shot in "
            "Toronto and that Trapani's crew came from New York.")
    found = {m.text for m in find_places(article(text))}
    assert "Trapani" not in found
    assert {"Connecticut", "Toronto"} <= found


def test_town_named_after_a_country_needs_a_neighbour() -> None:
    text = "Officials in Texas said exports to Mexico and China fell sharply this year."
    mentions = {m.text: m for m in find_places(article(text))}
    for name, iso3 in (("Mexico", "MEX"), ("China", "CHN")):
        found = mentions[name].place
        assert found is not None and found.country == iso3, found
        assert found.feature == "country"


def test_leading_article_of_a_listed_name_stays_in_the_span() -> None:
    text = ("Convoys halted outside the supply depot At Tanf on Monday, then drove towards "
            "the At Tanf base. Aid workers stayed at Tanf for a week.")
    mentions = [m for m in find_places(article(text)) if "Tanf" in m.text]
    assert [m.text for m in mentions] == ["At Tanf", "At Tanf", "Tanf"]
    for m in mentions:
        assert text[m.start:m.end] == m.text
        assert m.place is not None and m.place.feature == "garrison"


def test_places_inside_organisation_names() -> None:
    text = ("The Texas Department of Transportation closed the bridge, and the University "
            "of Nebraska said classes would resume.")
    found = {m.text: m for m in find_places(article(text))}
    assert "Texas" in found and "Nebraska" in found
    assert found["Texas"].place is not None and found["Texas"].place.feature == "admin1"


def test_streets_are_placed_in_the_article_town() -> None:
    text = ("Firefighters were called to a house on Hungerford Street in Gainesville, "
            "Florida, late on Friday. Traffic on 13th Avenue was diverted.")
    mentions = {m.text: m for m in find_places(article(text))}
    for name in ("Hungerford Street", "13th Avenue"):
        street = mentions[name].place
        assert street is not None and street.feature == "street"
        assert street.lat is not None and street.lon is not None
        assert km(29.65, -82.32, street.lat, street.lon) < 30
    assert precision(mentions["Hungerford Street"].place) == "point"


@pytest.fixture(scope="module")
def coded(rules):  # type: ignore[no-untyped-def]
    from conftest import code_text

    def run(text: str, published: str = "2024-03-04") -> list:  # type: ignore[type-arg]
        return code_text(rules, text, published)

    return run


@pytest.mark.parametrize("text, town, country", [
    ("Rebels shelled Kidal on Monday.", "Kidal", "MLI"),
    ("Soldiers shelled Bakhmut.", "Bakhmut", "UKR"),
    ("Troops attacked Goma.", "Goma", "COD"),
])
def test_towns_ner_misses_as_objects_of_attack_verbs(coded, text: str, town: str,  # type: ignore[no-untyped-def]
                                                      country: str) -> None:
    events = coded(text)
    assert events, text
    loc = events[0].location
    assert loc is not None and loc.name == town and loc.country == country
    assert events[0].location_precision == "city"
    # every town carries its first-level division, name and code
    assert loc.admin1 and loc.admin1_code and loc.admin1_code.startswith(
        {"MLI": "ML.", "UKR": "UA.", "COD": "CD."}[country])


def test_a_homonym_abroad_loses_to_the_story_country(coded) -> None:  # type: ignore[no-untyped-def]
    events = coded("Malian soldiers and foreign fighters killed dozens of civilians in Moura, "
                   "a town in central Mali, the army said.")
    assert events
    for event in events:
        assert event.location is not None and event.location.country == "MLI"
        # the gazetteer has no Moura in Mali: the sentence's country, and it says so
        assert event.location_precision == "country"


def test_the_capital_in_apposition_is_the_place(coded) -> None:  # type: ignore[no-untyped-def]
    events = coded("Police dispersed the protesters in the region's capital, Nukus, "
                   "officials in Uzbekistan said.")
    located = [e for e in events if e.location is not None]
    assert located and located[0].location.name == "Nukus"
    assert located[0].location_precision == "city"


def test_the_site_the_clause_names(coded) -> None:  # type: ignore[no-untyped-def]
    events = coded("Fighters backed by Iran have amassed directly outside the coalition "
                   "training facility At Tanf in Syria, the US military said.", "2017-06-02")
    located = [e for e in events if e.location is not None]
    assert located and located[0].location.name == "At Tanf"
    assert located[0].location_precision == "point"
    assert located[0].location.admin1 == "Homs Governorate"


def test_a_dateline_is_no_actor_and_no_place_of_its_own(coded) -> None:  # type: ignore[no-untyped-def]
    events = coded("NIAMEY, Niger — Soldiers detained the president on Wednesday at his "
                   "residence.", "2023-07-26")
    assert events
    for event in events:
        for actor in (event.source, event.target):
            assert actor is None or "NIAMEY" not in actor.text
    assert events[0].source is not None and events[0].source.text == "Soldiers"


def test_a_place_inside_an_actor_name_is_the_actors(coded) -> None:  # type: ignore[no-untyped-def]
    events = coded("Lagos State Police arrested ten protesters in Ikeja on Tuesday.")
    assert events and events[0].location is not None
    assert events[0].location.name == "Ikeja"
    events = coded("Lagos State Police arrested ten protesters on Tuesday.")
    assert events
    # the only place named is the police's own state: the arrest has no place of its own
    assert events[0].location is None or events[0].location.name != "Lagos"


def test_a_town_beats_a_country_in_the_same_sentence() -> None:
    ukraine = place("Ukraine", "country", "UKR")
    kyiv = place("Kyiv", "city", "UKR")
    mentions = [mention("Ukraine", 30, ukraine, "across"), mention("Kyiv", 90, kyiv)]
    located, prec = locate_event(0, 120, 10, mentions, ukraine)
    assert located is kyiv and prec == "city"


def test_no_place_means_no_precision() -> None:
    event_place, prec = locate_event(0, 50, 10, [], None)
    assert event_place is None and prec is None


def test_a_dateline_ends_at_a_dash_not_inside_a_hyphenated_name() -> None:
    from eventwire.coding.places import dateline_end

    text = "NIAMEY, Niger — Soldiers detained the president."
    assert text[:dateline_end(text)].strip().endswith("—")
    assert dateline_end("Belgrade, Sep 24 (EFE).- A group of armed men stormed a village.") > 0
    assert dateline_end("Hossein Amir-Abdollahian met his counterpart in Doha.") == 0
