from __future__ import annotations

from conftest import SAMPLES, SEED, need_shared

from eventwire.readers.structure import structure_plain_text
from eventwire.readers.text import read_text_bytes
from eventwire.records.model import Article


def test_seed_layout_is_metadata_not_body() -> None:
    need_shared()
    article = read_text_bytes(SEED.read_bytes(), doc_id="seed")
    assert isinstance(article, Article)
    assert article.title == "US army issues warning to Iran-backed Syria militia"
    assert article.published == "2017-06-02"
    assert "2 min read" not in article.body
    assert "[Getty]" not in article.body
    assert "02 June, 2017" not in article.body
    assert article.body.count("US army issues warning") == 0
    assert any("[Getty]" in caption for caption in article.captions)
    assert article.body.startswith("The United States military has dropped thousands")


def test_body_offsets_point_back_into_text() -> None:
    for path in SAMPLES.glob("*.txt"):
        text = path.read_text()
        article = structure_plain_text(text, doc_id=path.stem)
        for paragraph in article.body.split("\n\n"):
            body_pos = article.body.index(paragraph)
            start = article.text_offset(body_pos)
            assert text[start : start + len(paragraph)] == paragraph


def test_byline_and_credit_lines() -> None:
    text = (
        "Ministers meet in Geneva\n\nBy Jane Doe and John Roe\nUpdated: March 3, 2021 10:15 GMT\n"
        "Photo: delegates arrive at the talks.\nThe foreign ministers of Armenia and Azerbaijan "
        "met in Geneva on Tuesday.\n"
    )
    article = structure_plain_text(text, doc_id="x")
    assert article.title == "Ministers meet in Geneva"
    assert article.byline and article.byline.startswith("By Jane Doe")
    assert article.published == "2021-03-03"
    assert article.captions == ["Photo: delegates arrive at the talks."]
    assert article.body.startswith("The foreign ministers of Armenia")


def test_a_sentence_with_a_date_stays_in_the_body() -> None:
    text = "Talks resume\n\nThe talks resumed on 3 March 2021 in Geneva after a long pause.\n"
    article = structure_plain_text(text, doc_id="x")
    assert "3 March 2021" in article.body
    assert article.published is None
