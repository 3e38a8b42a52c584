"""The local executor: two worker processes give what one process gives, in the same order."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from conftest import SAMPLES

from eventwire.readers import read_inputs
from eventwire.records.errors import InputError
from eventwire.records.model import ArticleResult
from eventwire.scale.executor import Executor, Settings, default_workers


def _inputs(tmp_path: Path) -> list[str]:
    """The bundled samples, a few of them twice, and an unreadable file in the middle."""
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    samples = sorted(str(p) for p in SAMPLES.glob("*.txt"))
    return samples + [str(bad)] + samples[:2]


def _summary(results: list[ArticleResult | InputError]) -> list[object]:
    out: list[object] = []
    for result in results:
        if isinstance(result, InputError):
            out.append(("error", result.doc_id, result.code))
        else:
            out.append((result.article.doc_id, [e.to_dict() for e in result.events],
                        [p.to_dict() for p in result.places], result.sentences))
    return out


def test_default_is_the_number_of_cores() -> None:
    assert default_workers() >= 1
    assert Executor(Settings()).workers == default_workers()


@pytest.mark.slow
def test_two_workers_give_the_output_of_one(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    one = Executor(Settings(), workers=1)
    alone = list(one.run(read_inputs(inputs), chunk_size=2))
    two = Executor(Settings(), workers=2)
    pooled = list(two.run(read_inputs(inputs), chunk_size=2))  # several chunks: the pool runs
    assert _summary(pooled) == _summary(alone)
    assert any(isinstance(r, InputError) for r in pooled)
    assert sum(len(r.events) for r in pooled if isinstance(r, ArticleResult)) > 10
    assert two.counts["articles"] == one.counts["articles"] > 0
    assert two.counts["sentences_classified"] == one.counts["sentences_classified"] > 0


def test_results_are_plain_records(tmp_path: Path) -> None:
    """What a worker sends back pickles small: no spaCy Doc or Span rides along."""
    (result,) = list(Executor(Settings(use_model=False), workers=1).run(
        read_inputs([str(sorted(SAMPLES.glob("*.txt"))[0])])))
    assert isinstance(result, ArticleResult) and result.events
    blob = pickle.dumps(result)
    assert b"spacy" not in blob
    assert len(blob) < 20 * len(result.article.text) + 20_000
