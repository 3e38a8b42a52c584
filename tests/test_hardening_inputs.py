"""Inputs that once hung, hid or lost an article: FIFOs, invisible characters, empty entries."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from eventwire.readers import read_inputs
from eventwire.readers.language import guess_language, is_english
from eventwire.records.errors import ErrorCode, InputError
from eventwire.records.model import Article

GOOD = ("Malian troops attacked rebels near Kidal on Monday, the army said, and at least "
        "ten fighters were killed in the clashes that followed in the north of the country.\n")
ENGLISH = ("The army said on Monday that rebels had attacked a village near the border and "
           "that soldiers were sent to the area after the attack, which killed at least ten "
           "people, according to officials who spoke to reporters in the capital.")


def test_a_fifo_named_on_the_command_line_is_refused_and_the_rest_coded(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    # in a child with a time limit: a regression blocks on the FIFO instead of failing here
    done = subprocess.run(
        [sys.executable, "-m", "eventwire.cli", "code", str(fifo), str(good), "--no-model"],
        capture_output=True, text=True, timeout=120)
    assert f"[E041] {fifo}" in done.stderr, done.stderr
    assert '"doc_id": "good"' in done.stdout


def test_a_fifo_in_a_folder_is_reported_not_skipped(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "b-pipe.txt")
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "c.txt").write_text(GOOD.replace("Kidal", "Gao"))
    results = list(read_inputs([str(tmp_path)]))
    errors = [r for r in results if isinstance(r, InputError)]
    assert [(e.code, e.doc_id) for e in errors] == [
        (ErrorCode.E041_SPECIAL_FILE, str(tmp_path / "b-pipe.txt"))]
    assert "FIFO" in errors[0].message
    assert [r.doc_id for r in results if isinstance(r, Article)] == ["a", "c"]


@pytest.mark.parametrize("hide", [
    lambda t: "\u200b".join(t),  # a zero-width space between every two characters
    lambda t: t.replace(" ", " \u200c\u200d"),  # joiners after every space
    lambda t: "".join(c + "\u0301" if c.isalpha() else c for c in t),  # a mark on each letter
    lambda t: "".join(c + "\u20dd" if c.isalpha() else c for c in t),  # an enclosing mark
    lambda t: "\u2060".join(t.split(" ")),  # word joiners for spaces
])
def test_invisible_characters_do_not_make_english_foreign(hide: object) -> None:
    assert callable(hide)
    assert guess_language(ENGLISH) == "en"
    assert is_english(hide(ENGLISH))


def test_other_languages_are_still_told_apart() -> None:
    spanish = ("El ejército dijo el lunes que los rebeldes habían atacado una aldea cerca de la "
               "frontera y que los soldados fueron enviados a la zona después del ataque, que "
               "mató a por lo menos diez personas, según los funcionarios de la capital.")
    assert guess_language(spanish) == "es"
    assert guess_language("\u200b".join(spanish)) == "es"
    assert guess_language("서울에서 " * 20) == "ko"


def test_feed_entries_without_content_are_reported_by_file_and_entry(tmp_path: Path) -> None:
    feed = tmp_path / "wire.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        f"<item><title>one</title><description>{GOOD}</description></item>"
        "<item><title>no text, no link</title></item>"
        "<item><title>no text</title><link>https://wire.example.org/x</link></item>"
        "</channel></rss>")
    results = list(read_inputs([str(feed)]))
    errors = [(r.code, r.doc_id) for r in results if isinstance(r, InputError)]
    assert errors == [(ErrorCode.E011_NO_MAIN_TEXT, f"{feed}#2"),
                      (ErrorCode.E011_NO_MAIN_TEXT, f"{feed}#3")]
    assert sum(isinstance(r, Article) for r in results) == 1
