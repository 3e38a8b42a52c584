"""Salience: the article's news, news in its own right, or background."""

from __future__ import annotations

import eventwire

ARTICLE = (
    "Rebels attacked an army post in northern Mali on Tuesday, officials said.\n\n"
    "The army shelled rebel positions near Kidal on Wednesday.\n\n"
    "In 2012, rebels seized the north of the country, and France sent troops in 2013."
)


def _by_sentence(events: list[dict]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for event in events:
        found.setdefault(event["evidence"]["sentence_index"], set()).add(event["salience"])
    return found


def test_lead_is_headline_and_history_is_background() -> None:
    found = _by_sentence(eventwire.code(ARTICLE, date="2024-05-09"))
    assert found.get(0) == {"headline"}
    assert found.get(1) == {"main"}
    assert found.get(2) == {"background"}


def test_every_event_has_a_salience() -> None:
    events = eventwire.code(ARTICLE, date="2024-05-09")
    assert events and all(e["salience"] in ("headline", "main", "background") for e in events)


def test_undated_history_is_background_by_its_words() -> None:
    events = eventwire.code("The PKK has fought the Turkish state for four decades.")
    assert all(e["salience"] == "background" for e in events)
