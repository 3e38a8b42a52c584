from __future__ import annotations

import pytest

from eventwire.coding.dates import event_date
from eventwire.records.calendar import parse_absolute, parse_date_line


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
        ("Rebels recaptured the town last year.", ("2016-01-01", "year")),
        ("The ministers met on Tuesday.", ("2017-05-30", "day")),  # 2017-06-02 was a Friday
        ("Police arrested him yesterday.", ("2017-06-01", "day")),
        ("Fighting broke out in March.", ("2017-03-01", "month")),
        ("Fighting broke out in December.", ("2016-12-01", "month")),
        ("The war began in 2011.", ("2011-01-01", "year")),
        ("Talks ended on 4 May 2015.", ("2015-05-04", "day")),
        ("Troops crossed the border.", ("2017-06-02", "day")),
        ("The minister said Wednesday that talks had failed.", ("2017-05-31", "day")),
        ("Saturday's vote was delayed.", ("2017-05-27", "day")),
        ("The summit will open on Monday.", ("2017-06-05", "day")),
        ("Rebels attacked the base overnight.", ("2017-06-01", "day")),
        ("Troops had arrived days earlier.", ("2017-05-29", "week")),
        ("Fighting in the 1994 war killed thousands.", ("1994-01-01", "year")),
        ("The last coup took place in May of last year.", ("2016-05-01", "month")),
    ],
)
def test_event_dates_relative_to_publication(sentence: str, expected: tuple[str, str]) -> None:
    assert event_date(sentence, "2017-06-02") == expected


def test_no_publication_date_no_guess() -> None:
    assert event_date("Troops crossed the border.", None) is None
    # an impossible day keeps only what is certain: the month
    assert parse_absolute("31 February 2017") == ("2017-02", "month")


def test_undated_sentences_take_the_leads_news_day() -> None:
    from eventwire.coding.dates import news_day

    # published on a Friday about what happened on Thursday
    day = news_day(["Rebels stormed the town on Thursday, officials said."], "2017-06-02")
    assert day == ("2017-06-01", "day")
    assert event_date("Troops crossed the border.", "2017-06-02", day) == day
    # a lead that gives no day leaves the publication date
    assert news_day(["Rebels stormed the town, officials said."], "2017-06-02") is None
