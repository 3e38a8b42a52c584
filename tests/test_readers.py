"""Readers: every bad input is reported with its id and reason, and the rest goes on."""

from __future__ import annotations

import io
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.readers import read_inputs
from eventwire.readers.jsonl import read_jsonl_lines
from eventwire.readers.text import MAX_BYTES, read_text_bytes
from eventwire.records.errors import ErrorCode, InputError
from eventwire.records.model import Article

GOOD = "Rebels seize town\n\nRebels seized the town of Kidal on Monday, officials said.\n"


def test_mixed_folder(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "huge.txt").write_text("word " * (MAX_BYTES // 4))
    latin1 = "Le ministre a critiqu\xe9 l'arm\xe9e.\n".encode("latin-1")
    (tmp_path / "latin1.txt").write_bytes(latin1)
    (tmp_path / "notes.md").write_text("ignored: not an article format")
    records = [
        json.dumps({"id": "r1", "text": GOOD, "date": "2020-01-06"}),
        "{not json",
        json.dumps({"id": "r3", "title": "no text"}),
        json.dumps(["a", "list"]),
        "",
        json.dumps({"text": GOOD}),
    ]
    (tmp_path / "batch.jsonl").write_text("\n".join(records) + "\n")
    results = list(read_inputs([str(tmp_path), str(tmp_path / "missing.txt")]))
    errors = {r.doc_id: r.code for r in results if isinstance(r, InputError)}
    articles = {r.doc_id: r for r in results if isinstance(r, Article)}
    where = str(tmp_path)  # errors name the path the user gave, and the line of a record
    assert errors == {
        f"{where}/batch.jsonl:2": ErrorCode.E006_BAD_JSON,
        f"{where}/batch.jsonl:3": ErrorCode.E007_NO_TEXT,
        f"{where}/batch.jsonl:4": ErrorCode.E009_MALFORMED,
        f"{where}/binary.txt": ErrorCode.E003_BINARY,
        f"{where}/empty.txt": ErrorCode.E002_EMPTY,
        f"{where}/huge.txt": ErrorCode.E005_TOO_LARGE,
        str(tmp_path / "missing.txt"): ErrorCode.E001_MISSING,
    }
    assert {"good", "latin1", "r1"} <= set(articles)
    assert articles["r1"].published == "2020-01-06"
    assert "critiqué" in articles["latin1"].body
    content_ids = [d for d in articles if d.startswith("sha1-")]
    assert len(content_ids) == 1, "a record without id gets a content hash id"


def test_error_message_is_one_line_with_id_and_code() -> None:
    error = read_text_bytes(b"", doc_id="a1")
    assert isinstance(error, InputError)
    assert error.message == "[E002] a1: article is empty"
    assert "\n" not in error.message


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000))
def test_no_bytes_crash_the_text_reader(data: bytes) -> None:
    result = read_text_bytes(data, doc_id="fuzz")
    assert isinstance(result, Article | InputError)
    if isinstance(result, Article):
        assert result.body.strip() or result.title or not result.text.strip() or True
        for body_start, text_start in result.body_offset:
            assert 0 <= body_start <= len(result.body)
            assert 0 <= text_start <= len(result.text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode))))
def test_no_lines_crash_the_jsonl_reader(lines: list[bytes]) -> None:
    for result in read_jsonl_lines(io.BytesIO(b"\n".join(lines)), origin="fuzz"):
        assert isinstance(result, Article | InputError)
