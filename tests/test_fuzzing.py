"""Property tests (hypothesis) for the input side, the crashes fuzzing found, and short
coverage-guided runs of each atheris target (fuzz/README.md has the long runs)."""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventwire.coding.guard import code_batch
from eventwire.readers import _read_stdin, unique_ids
from eventwire.readers.compressed import BoundedGunzip, DecompressedTooLarge
from eventwire.readers.jsonl import json_depth, read_jsonl_stream
from eventwire.readers.structure import structure_plain_text
from eventwire.readers.text import text_results
from eventwire.readers.warc import read_warc_stream
from eventwire.records.errors import ErrorCode, InputError
from eventwire.records.limits import Limits, defuse, parts
from eventwire.records.model import Article

FUZZ = ROOT / "fuzz"
SMALL = Limits(article_chars=5_000, record_bytes=5_000, json_depth=8, part_chars=400)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


def _depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


# ------------------------------------------------------------------ properties


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=600), st.integers(4, 80), st.integers(20, 300))
def test_defuse_keeps_length_and_bounds_every_run(text: str, run_chars: int,
                                                   sentence_chars: int) -> None:
    safe = defuse(text, run_chars, sentence_chars)
    assert len(safe) == len(text), "offsets into the text must stay valid"
    assert all(len(word) <= max(run_chars, len(text)) for word in safe.split())
    if len(text) > run_chars:
        assert all(len(word) <= run_chars for word in safe.split())
    assert all(a == b or b.isspace() for a, b in zip(text, safe, strict=True))
    assert defuse(safe, run_chars, sentence_chars) == safe


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab .\n"), max_size=2_000), st.integers(10, 300))
def test_parts_cover_the_text_in_order_within_the_limit(text: str, part_chars: int) -> None:
    pieces = parts(text, part_chars)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(pieces[i][1] == pieces[i + 1][0] for i in range(len(pieces) - 1))
    assert all(end - start <= part_chars for start, end in pieces)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_json_depth_agrees_with_the_parsed_value(value: object) -> None:
    line = json.dumps(value)
    assert json_depth(line, 1_000) == _depth(value) or line.count("[") + line.count("{") <= 1_000


@settings(max_examples=200, deadline=None)
@given(st.lists(json_values | st.binary(max_size=80).map(lambda b: b.hex()), max_size=6))
def test_any_jsonl_records_give_articles_or_errors_with_their_line(records: list[object]) -> None:
    data = "\n".join(json.dumps(r) for r in records).encode()
    results = list(unique_ids(read_jsonl_stream(io.BytesIO(data), "f.jsonl", SMALL)))
    for result in results:
        if isinstance(result, InputError):
            assert result.doc_id.startswith("f.jsonl:")
            assert "\n" not in result.message
        else:
            assert isinstance(result, Article) and result.doc_id
    ids = [r.doc_id for r in results if isinstance(r, Article)]
    assert len(ids) == len(set(ids)), "no two articles of a run share an id"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3_000))
def test_any_bytes_on_standard_input_are_read_within_limits(data: bytes) -> None:
    for result in _read_stdin(SMALL, io.BytesIO(data)):
        assert isinstance(result, Article | InputError)
        if isinstance(result, Article):
            assert len(result.text) <= SMALL.article_chars
            result.body.encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=1_500))
def test_structure_body_blocks_point_back_into_the_text(text: str) -> None:
    article = structure_plain_text(text, doc_id="x", limits=SMALL)
    blocks = article.body.split("\n\n") if article.body else []
    for (body_start, text_start), block in zip(article.body_offset, blocks, strict=False):
        original = article.text[text_start:text_start + len(block)]
        assert len(original) == len(block)
        assert all(a == b or b.isspace() for a, b in zip(original, block, strict=True))
        assert article.body[body_start:body_start + len(block)] == block


@settings(max_examples=100, deadline=None)
@given(st.lists(st.binary(max_size=3_000), min_size=1, max_size=4), st.integers(0, 200))
def test_bounded_gunzip_reads_every_member_and_notices_a_cut(members: list[bytes],
                                                               cut: int) -> None:
    data = b"".join(gzip.compress(m) for m in members)
    plain = BoundedGunzip(io.BytesIO(data), limit=10**7)
    assert plain.read() == b"".join(members) and not plain.truncated
    if 0 < cut < len(gzip.compress(members[-1])):
        damaged = BoundedGunzip(io.BytesIO(data[:-cut]), limit=10**7)
        try:
            damaged.read()
        except zlib.error:
            return
        assert damaged.truncated


def test_bounded_gunzip_stops_at_its_limit() -> None:
    bomb = gzip.compress(b"\x00" * (50 << 20), compresslevel=1)
    reader = BoundedGunzip(io.BytesIO(bomb), limit=1 << 20)
    with pytest.raises(DecompressedTooLarge):
        while reader.read(1 << 16):
            pass
    assert reader.total <= (1 << 20) + (1 << 16)


# ------------------------------------------------------------------ crashes found by fuzzing


def _crash(name: str) -> bytes:
    return (FUZZ / "crashes" / name).read_bytes()


def test_crash_defuse_lost_a_character_when_a_run_ended_just_past_the_limit() -> None:
    text = "WWWWWWWWWWWWWWWm[\n[A"  # fuzz/crashes/structure-defuse-length, decoded
    assert len(defuse(text, 16, 64)) == len(text)
    assert (FUZZ / "crashes" / "structure-defuse-length").exists()


def test_crash_a_warc_complaint_with_a_line_break_made_a_two_line_error() -> None:
    data = _crash("readers-warc-newline-in-detail")
    results = list(read_warc_stream(io.BytesIO(data[1:]), "fuzz.warc", limits=SMALL))
    errors = [r for r in results if isinstance(r, InputError)]
    assert errors and all("\n" not in e.message and "\r" not in e.message for e in errors)


# ------------------------------------------------------------------ the whole code path


@pytest.fixture(scope="module")
def pipeline():  # type: ignore[no-untyped-def]
    from eventwire.coding.pipeline import Pipeline

    return Pipeline(use_model=False)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=600))
def test_any_text_is_coded_or_reported_never_raised(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    results = [r for r in text_results(text.encode("utf-8"), "x", "x.txt", SMALL)
               if isinstance(r, Article)]
    for result in code_batch(pipeline, results, limits=SMALL):
        if isinstance(result, InputError):
            assert result.code in (ErrorCode.E014_TIME_LIMIT,), result.message
        else:
            for event in result.events:
                assert 0 <= event.evidence.start <= event.evidence.end <= len(result.article.text)


# ------------------------------------------------------------------ bounded atheris runs


TARGETS = {"fuzz_readers.py": ("readers", 10), "fuzz_structure.py": ("structure", 5),
           "fuzz_code.py": ("code", 20)}


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris not installed")
@pytest.mark.parametrize("target", sorted(TARGETS))
def test_a_short_coverage_guided_run_finds_no_crash(target: str, tmp_path: Path) -> None:
    corpus, seconds = TARGETS[target]
    subprocess.run([sys.executable, str(FUZZ / "seeds.py"), str(tmp_path)], check=True,
                   timeout=60)
    done = subprocess.run(
        [sys.executable, str(FUZZ / target), f"-max_total_time={seconds}", "-max_len=4096",
         "-rss_limit_mb=3000", f"-artifact_prefix={tmp_path}/", str(tmp_path / corpus)],
        capture_output=True, text=True, timeout=seconds + 120, cwd=str(FUZZ),
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    crashes = sorted(p.name for p in tmp_path.glob("crash-*"))
    assert done.returncode == 0 and not crashes, (crashes, done.stderr[-3000:])
    assert "Done" in done.stderr
