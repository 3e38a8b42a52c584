"""Regression tests for the inputs that broke a batch: each one failed before the fix.

Every test here is one defect of the reliability report: a batch that died, hung,
grew without bound or lost an article. Each gives the bad input together with
a good one and checks that the bad one is reported with its code and where it
was, and that the good one is still coded.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from eventwire.cli.main import app
from eventwire.coding.nlp import get_nlp
from eventwire.readers import read_inputs
from eventwire.readers.structure import structure_plain_text
from eventwire.records.errors import ErrorCode, InputError
from eventwire.records.model import Article

runner = CliRunner()
GOOD = ("Rebels seize town\n\nRebels seized the town of Kidal on Monday, officials said. "
        "The army vowed to retake it within days.\n")
PROSE = ("Police fired tear gas at protesters in Nairobi on Tuesday, witnesses said. "
         "The government accused opposition leaders of planning the march. ")


def _read(*inputs: str) -> tuple[dict[str, Article], list[InputError]]:
    results = list(read_inputs(list(inputs)))
    articles = {r.doc_id: r for r in results if isinstance(r, Article)}
    return articles, [r for r in results if isinstance(r, InputError)]


def _codes(errors: list[InputError]) -> list[str]:
    return [e.code.value for e in errors]


def _code(*args: str, stdin: str | None = None) -> tuple[int, list[dict[str, object]], str]:
    result = runner.invoke(app, ["code", "--no-model", *args], input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result.exit_code, records, result.stderr


# ------------------------------------------------------------------ a batch dies


@pytest.fixture
def short_parser() -> Iterator[None]:
    """spaCy's max_length lowered, so an article 'over the parser's limit' is cheap to make."""
    nlp = get_nlp()
    saved = nlp.max_length
    nlp.max_length = 3_000
    os.environ["EVENTWIRE_LIMIT_PART_CHARS"] = "2000"
    try:
        yield
    finally:
        nlp.max_length = saved
        os.environ.pop("EVENTWIRE_LIMIT_PART_CHARS", None)


def test_an_article_over_the_parsers_max_length_is_coded_in_parts(
    tmp_path: Path, short_parser: None
) -> None:
    filler = "The weather in the region was mild and the markets stayed open all week."
    last = "Turkish troops shelled Kurdish positions near Manbij on Friday, officials said."
    long_text = "Long report\n\n" + PROSE + "\n\n" + "\n\n".join([filler] * 60) + "\n\n" + last
    (tmp_path / "long.txt").write_text(long_text)
    (tmp_path / "good.txt").write_text(GOOD)
    status, records, stderr = _code(str(tmp_path / "long.txt"), str(tmp_path / "good.txt"))
    assert status == 0, stderr
    assert "E088" not in stderr and "Traceback" not in stderr
    by_doc: dict[object, list[dict[str, object]]] = {}
    for record in records:
        by_doc.setdefault(record["doc_id"], []).append(record)
    assert "good" in by_doc, "the article after the long one is coded"
    long_events = by_doc.get("long", [])
    assert long_events, "the long article is coded, part by part"
    indexes = {e["evidence"]["sentence_index"] for e in long_events}  # type: ignore[index]
    assert max(indexes) > 60, "sentence numbers run on across parts"
    assert len({e["event_id"] for e in long_events}) == len(long_events)
    for event in long_events:
        evidence = event["evidence"]
        start, end = evidence["start"], evidence["end"]  # type: ignore[index]
        assert long_text[start:end] == evidence["sentence"]  # type: ignore[index]


@pytest.mark.slow
def test_a_one_and_a_half_megabyte_word_and_record_do_not_stop_the_batch(tmp_path: Path) -> None:
    word = "x" * 1_500_000
    (tmp_path / "word.txt").write_text(GOOD + word + "\n")
    (tmp_path / "records.jsonl").write_text(
        json.dumps({"id": "big", "text": PROSE + " " + "y" * 1_500_000}) + "\n"
        + json.dumps({"id": "after", "text": GOOD}) + "\n")
    status, records, stderr = _code(str(tmp_path / "word.txt"), str(tmp_path / "records.jsonl"))
    assert status == 0, stderr
    assert "Traceback" not in stderr and "E088" not in stderr
    assert {"word", "after"} <= {r["doc_id"] for r in records}


def test_deep_json_huge_numbers_and_lone_surrogates_are_reported_per_line(
    tmp_path: Path,
) -> None:
    lines = [
        "[" * 5000 + "]" * 5000,
        '{"id": "deep", "text": "x", "meta": ' + "[" * 3000 + "]" * 3000 + "}",
        '{"id": "n", "text": "Troops fired.", "count": ' + "9" * 5000 + "}",
        '{"id": ' + "7" * 5000 + ', "text": "Troops fired."}',
        '{"text": "Troops fired on protesters \\ud800 in the capital, officials said."}',
        json.dumps({"id": "good", "text": GOOD}),
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(lines) + "\n")
    articles, errors = _read(str(path))
    where = {e.doc_id: e.code for e in errors}
    assert where[f"{path}:1"] == ErrorCode.E015_TOO_DEEP
    assert where[f"{path}:2"] == ErrorCode.E015_TOO_DEEP
    assert where[f"{path}:3"] == ErrorCode.E006_BAD_JSON
    assert where[f"{path}:4"] == ErrorCode.E006_BAD_JSON
    assert where[f"{path}:5"] == ErrorCode.E019_BYTES_REPLACED, "a surrogate is replaced, warned"
    assert "good" in articles
    surrogate = [a for a in articles.values() if a.origin == f"{path}:5"]
    assert surrogate and "\ufffd" in surrogate[0].body
    status, records, stderr = _code(str(path))
    assert status == 0, stderr
    assert {"good"} <= {r["doc_id"] for r in records}


# ------------------------------------------------------------------ a batch hangs


def test_runs_of_punctuation_emoji_and_entities_do_not_hang(tmp_path: Path) -> None:
    """Each run took minutes in the tokenizer (about quadratic); in a child with a deadline."""
    bodies = {
        "bangs": "!" * 20_000,
        "quotes": '"' * 20_000,
        "emoji": "\U0001F600" * 20_000,
        "entities": "&amp;&#8220;" * 8_000,
        "mixed": "!?\U0001F525\"'" * 8_000,
    }
    for name, run in bodies.items():
        (tmp_path / f"{name}.txt").write_text(f"{PROSE}\n\n{run}\n\n{PROSE}\n")
    (tmp_path / "good.txt").write_text(GOOD)
    script = ("import sys; from eventwire.cli.main import app; "
              "sys.argv = ['eventwire', 'code', '--no-model', sys.argv[1]]; app()")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True,
                          text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    coded = {json.loads(line)["doc_id"] for line in done.stdout.splitlines()}
    assert {"good", "bangs", "emoji", "quotes", "entities", "mixed"} <= coded


def test_the_time_limit_reports_the_article_and_the_batch_goes_on(tmp_path: Path) -> None:
    from eventwire.coding.guard import code_batch as guarded_batch
    from eventwire.coding.pipeline import Pipeline
    from eventwire.records.limits import Limits
    from eventwire.records.model import ArticleResult

    pipeline = Pipeline(use_model=False)
    long = structure_plain_text("\n\n".join(PROSE for _ in range(30)), doc_id="long")
    good = structure_plain_text(GOOD, doc_id="good")
    strict = Limits(seconds_per_article=1e-6, part_chars=1_000)
    results = list(guarded_batch(pipeline, [long, good], limits=strict))
    assert [type(r) for r in results] == [InputError, InputError]
    assert [r.code for r in results if isinstance(r, InputError)] == [ErrorCode.E014_TIME_LIMIT] * 2
    relaxed = list(guarded_batch(pipeline, [long, good], limits=Limits(part_chars=1_000)))
    assert all(isinstance(r, ArticleResult) for r in relaxed)


# ------------------------------------------------------------------ memory is bounded


def _peak_rss_mb_of(code: str) -> tuple[float, str]:
    """Run ``code`` in a fresh interpreter; its peak resident memory (VmHWM) and its stdout.

    VmHWM, not ru_maxrss: the latter carries the parent's peak across fork and exec.
    """
    script = (code + "\nimport re\nstatus = open('/proc/self/status').read()\n"
              "print('PEAK', int(re.search(r'VmHWM:\\s+(\\d+)', status).group(1)) / 1024)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    peak = float(done.stdout.rsplit("PEAK", 1)[1])
    return peak, done.stdout


def _zero_bomb(path: Path, zeros: int, in_header: bool) -> None:
    head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.example/a\r\n"
            b"Content-Type: application/http; msgtype=response\r\n")
    with gzip.open(path, "wb", compresslevel=1) as out:
        if in_header:
            out.write(head + b"X-Padding: ")
        else:
            out.write(head + b"Content-Length: %d\r\n\r\n" % (zeros + 40)
                      + b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
        block = b"\x00" * (1 << 20)
        for _ in range(zeros // len(block)):
            out.write(block)


@pytest.mark.slow
def test_a_gzip_bomb_is_refused_within_bounded_memory(tmp_path: Path) -> None:
    header_bomb = tmp_path / "header.warc.gz"
    body_bomb = tmp_path / "body.warc.gz"
    _zero_bomb(header_bomb, 400 << 20, in_header=True)
    _zero_bomb(body_bomb, 400 << 20, in_header=False)
    assert header_bomb.stat().st_size < 5 << 20
    code = (f"import os; os.environ['EVENTWIRE_LIMIT_DECOMPRESSED_BYTES'] = '{150 << 20}'\n"
            "from eventwire.readers import read_inputs\n"
            f"for r in read_inputs([{str(header_bomb)!r}, {str(body_bomb)!r}]):\n"
            "    print(getattr(r, 'code', 'article'), getattr(r, 'detail', ''))")
    peak, out = _peak_rss_mb_of(code)
    assert "E009" in out and "E018" in out, out
    assert peak < 400, f"peak {peak:.0f} MB while refusing 400 MB of zeros"


@pytest.mark.slow
def test_a_huge_text_file_is_refused_without_being_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:  # sparse: a gigabyte on paper, nothing on disk
        handle.truncate(1 << 30)
    code = ("from eventwire.readers import read_inputs\n"
            f"for r in read_inputs([{str(huge)!r}]):\n"
            "    print(r.code.value, r.detail)")
    peak, out = _peak_rss_mb_of(code)
    assert "E005" in out
    assert peak < 300, f"peak {peak:.0f} MB to refuse a 1 GB file"


def test_standard_input_is_read_within_the_limit() -> None:
    from eventwire.readers import _read_stdin
    from eventwire.records.limits import Limits

    limits = Limits(article_chars=1_000, record_bytes=2_000)
    stream = io.BytesIO(b"word " * 100_000)
    results = list(_read_stdin(limits, stream))
    assert _codes([r for r in results if isinstance(r, InputError)]) == ["E005"]
    bound = max(limits.record_bytes, limits.text_read_bytes()) + 1
    assert stream.tell() <= bound, "stdin was read past the bound"


# ------------------------------------------------------------------ articles lost silently


def test_files_of_one_name_in_two_folders_are_two_articles(tmp_path: Path) -> None:
    for folder, text in (("a", GOOD), ("b", GOOD.replace("Kidal", "Gao"))):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(text)
    articles, errors = _read(str(tmp_path))
    assert set(articles) == {"a/report", "b/report"} and not errors
    direct, errors = _read(str(tmp_path / "a" / "report.txt"), str(tmp_path / "b" / "report.txt"))
    assert set(direct) == {"a/report", "b/report"} and not errors
    single, _ = _read(str(tmp_path / "a" / "report.txt"))
    assert set(single) == {"report"}, "one file alone keeps its plain name"


def test_a_duplicate_record_id_is_reported_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "dup.jsonl"
    records = [{"id": "r1", "text": GOOD}, {"id": "r1", "text": GOOD.replace("Kidal", "Gao")},
               {"id": "r1", "text": GOOD}]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    articles, errors = _read(str(path))
    assert len(articles) == 2 and "r1" in articles
    renamed = [doc for doc in articles if doc != "r1"]
    assert renamed[0].startswith("r1~") and "Gao" in articles[renamed[0]].body
    assert [(e.code, e.doc_id) for e in errors] == [
        (ErrorCode.E016_DUPLICATE_ID, f"{path}:2"), (ErrorCode.E016_DUPLICATE_ID, f"{path}:3")]
    assert all(e.is_warning for e in errors)


def _as_unprivileged(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` without the right to bypass file modes (root reads every file otherwise)."""
    command = [sys.executable, "-c", code]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: file modes cannot be tested")
        dropped = "-dac_override,-dac_read_search"
        command = [setpriv, f"--bounding-set={dropped}", f"--inh-caps={dropped}", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=str(ROOT))


def test_permission_denied_and_an_unreadable_subfolder_are_reported() -> None:
    top = Path(tempfile.mkdtemp(prefix="eventwire-perm-"))
    try:
        top.chmod(0o755)
        (top / "good.txt").write_text(GOOD)
        (top / "secret.txt").write_text(GOOD)
        (top / "secret.txt").chmod(0o000)
        (top / "locked").mkdir()
        (top / "locked" / "inside.txt").write_text(GOOD)
        (top / "locked").chmod(0o000)
        for path in (top / "good.txt",):
            path.chmod(0o644)
        code = ("from eventwire.readers import read_inputs\n"
                f"for r in read_inputs([{str(top)!r}, {str(top / 'secret.txt')!r}]):\n"
                "    print(getattr(r, 'code', 'article'), getattr(r, 'doc_id', ''))")
        done = _as_unprivileged(code)
        assert done.returncode == 0, done.stderr[-2000:]
        lines = done.stdout.splitlines()
        assert f"E017 {top / 'locked'}" in lines, lines
        assert f"E017 {top / 'secret.txt'}" in lines, lines
        assert "article good" in lines
        assert not any(line.startswith("E001") for line in lines), "not 'input not found'"
    finally:
        for path in (top / "locked", top / "secret.txt"):
            path.chmod(0o700)
        shutil.rmtree(top)


def test_errors_name_the_path_the_user_gave(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    status, _, stderr = _code(str(tmp_path / "empty.txt"), str(tmp_path / "nope.txt"))
    assert f"[E002] {tmp_path / 'empty.txt'}: article is empty" in stderr
    assert f"[E001] {tmp_path / 'nope.txt'}: input not found" in stderr
    assert status == 1


def test_standard_input_that_starts_with_a_brace_but_is_not_records_is_text() -> None:
    text = ("{Breaking} Rebels seized the town of Kidal on Monday, officials said. "
            "The army vowed to retake it.\n")
    status, records, stderr = _code("-", stdin=text)
    assert status == 0, stderr
    assert records and {r["doc_id"] for r in records} == {"stdin"}
    jsonl = json.dumps({"id": "s1", "text": GOOD}) + "\n"
    status, records, _ = _code("-", stdin=jsonl)
    assert status == 0 and {r["doc_id"] for r in records} == {"s1"}


def test_a_utf8_file_with_one_stray_byte_stays_utf8(tmp_path: Path) -> None:
    text = "Le ministre a critiqué l’armée à Bamako, a déclaré un porte-parole. " * 3
    data = text.encode("utf-8")
    data = data[:40] + b"\x92" + data[40:]
    (tmp_path / "stray.txt").write_bytes(data)
    articles, errors = _read(str(tmp_path / "stray.txt"))
    assert _codes(errors) == ["E019"] or _codes(errors) == ["E019", "E010"]
    results = list(read_inputs([str(tmp_path / "stray.txt")], check_language=False))
    article = next(r for r in results if isinstance(r, Article))
    assert "critiqué l’armée" in article.text and "Ã" not in article.text
    assert article.text.count("\ufffd") == 1


def test_a_body_paragraph_ending_in_reuters_is_kept() -> None:
    text = ("Talks collapse in Geneva\n\n"
            "Demonstrators run from tear gas near parliament. (Reuters)\n\n"
            "The foreign ministers left Geneva on Tuesday without a deal, a spokesman told "
            "reporters. Both sides blamed each other for the failure (Reuters)\n\n"
            "Officials said new talks could open next month.\n")
    article = structure_plain_text(text, doc_id="x")
    assert "Both sides blamed each other" in article.body
    assert article.captions == ["Demonstrators run from tear gas near parliament. (Reuters)"]


# ------------------------------------------------------------------ limits a user sees and changes


def test_limits_are_shown_and_changed_by_environment(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    shown = runner.invoke(app, ["limits", "--json"])
    rows = {row["name"]: row for row in map(json.loads, shown.stdout.splitlines())}
    assert rows["article_chars"]["env"] == "EVENTWIRE_LIMIT_ARTICLE_CHARS"
    assert {"record_bytes", "json_depth", "decompressed_bytes", "seconds_per_article"} <= set(rows)
    monkeypatch.setenv("EVENTWIRE_LIMIT_ARTICLE_CHARS", "50")
    changed = runner.invoke(app, ["limits", "--json"])
    assert '"value": 50' in changed.stdout
    (tmp_path / "a.txt").write_text(GOOD)
    status, _, stderr = _code(str(tmp_path / "a.txt"))
    assert status == 1 and f"[E005] {tmp_path / 'a.txt'}" in stderr and "limit 50" in stderr
    monkeypatch.setenv("EVENTWIRE_LIMIT_ARTICLE_CHARS", "lots")
    status, _, stderr = _code(str(tmp_path / "a.txt"))
    assert status == 2 and "EVENTWIRE_LIMIT_ARTICLE_CHARS" in stderr
