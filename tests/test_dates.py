from __future__ import annotations

import pytest

from eventwire.dates import event_date, parse_absolute, parse_date_line


@pytest.mark.parametrize(
    "line, iso",
    [
        ("02 June, 2017", "2017-06-02"),
        ("Friday, June 2, 2017", "2017-06-02"),
        ("2017-06-02", "2017-06-02"),
        ("Published: 9 July 2018 14:02 GMT", "2018-07-09"),
        ("The attack happened on 2 June 2017 near the border.", None),
        ("June", None),
    ],
)
def test_date_lines(line: str, iso: str | None) -> None:
    assert parse_date_line(line) == iso


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Rebels recaptured the town last year.", ("2016", "year")),
        ("The ministers met on Tuesday.", ("2017-05-30", "day")),  # 2017-06-02 was a Friday
        ("Police arrested him yesterday.", ("2017-06-01", "day")),
        ("Fighting broke out in March.", ("2017-03", "month")),
        ("Fighting broke out in December.", ("2016-12", "month")),
        ("The war began in 2011.", ("2011", "year")),
        ("Talks ended on 4 May 2015.", ("2015-05-04", "day")),
        ("Troops crossed the border.", ("2017-06-02", "day")),
    ],
)
def test_event_dates_relative_to_publication(sentence: str, expected: tuple[str, str]) -> None:
    assert event_date(sentence, "2017-06-02") == expected


def test_no_publication_date_no_guess() -> None:
    assert event_date("Troops crossed the border.", None) is None
    # an impossible day keeps only what is certain: the month
    assert parse_absolute("31 February 2017") == ("2017-02", "month")
