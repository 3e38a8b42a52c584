"""HTML pages: main text and metadata out, page furniture left behind, no page crashes."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.readers import read_inputs
from eventwire.readers.html import read_html_bytes, url_id
from eventwire.records.errors import ErrorCode, InputError
from eventwire.records.model import Article

PAGE = """<!DOCTYPE html>
<html><head><title>Rebels seize desert town | Daily Planet</title>
<meta property="og:site_name" content="Daily Planet">
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2020-01-06T10:00:00Z">
<link rel="canonical" href="https://news.example.com/world/rebels-seize-desert-town">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Rebels seize desert town</h1>
<p>Rebels seized the desert town of Kidal on Monday, officials said, after two days of
fighting with government troops around the airport.</p>
<p>The army said it would retake the town within days. Thousands of residents fled south,
according to the United Nations refugee agency.</p>
<p>The government in Bamako condemned the attack and called for talks with the rebel
leaders, who have demanded autonomy for the north.</p></article>
<footer>Copyright 2020 Daily Planet. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>"""


def test_page_metadata_and_main_text() -> None:
    article = read_html_bytes(PAGE.encode("utf-8"))
    assert isinstance(article, Article)
    assert article.url == "https://news.example.com/world/rebels-seize-desert-town"
    assert article.doc_id == url_id(article.url)
    assert article.title == "Rebels seize desert town"
    assert article.published == "2020-01-06"
    assert article.byline == "Jane Roe"
    assert article.source == "Daily Planet"
    assert "Kidal on Monday" in article.body
    assert "United Nations" in article.body
    assert "Copyright" not in article.text and "Sport" not in article.text
    assert not article.body.startswith("Rebels seize desert town\n"), "headline kept out of body"
    for body_start, text_start in article.body_offset:
        block = article.body[body_start:].split("\n\n", 1)[0]
        assert article.text[text_start:].startswith(block)


def test_given_url_and_id_win_and_missing_url_gives_content_hash() -> None:
    page = PAGE.replace('<link rel="canonical" href="https://news.example.com/world/'
                        'rebels-seize-desert-town">', "")
    anonymous = read_html_bytes(page.encode())
    assert isinstance(anonymous, Article)
    assert anonymous.url is None and anonymous.doc_id.startswith("sha1-")
    given_url = read_html_bytes(page.encode(), url="https://other.example.org/a/1")
    assert isinstance(given_url, Article)
    assert given_url.doc_id == url_id("https://other.example.org/a/1")
    named = read_html_bytes(page.encode(), doc_id="mine", fallback_date="2019-12-31")
    assert isinstance(named, Article)
    assert named.doc_id == "mine"
    assert named.published == "2020-01-06", "the page's own date beats the fallback"


def test_pages_without_an_article_are_errors(tmp_path: Path) -> None:
    empty = read_html_bytes(b"   ")
    assert isinstance(empty, InputError) and empty.code == ErrorCode.E002_EMPTY
    furniture = read_html_bytes(b"<html><body><nav><a href='/'>Home</a></nav>"
                                b"<script>var x = 1;</script></body></html>")
    assert isinstance(furniture, InputError) and furniture.code == ErrorCode.E011_NO_MAIN_TEXT
    broken = read_html_bytes(b"<html><body><p>unclosed <div><<<>>> &&&; <p <p </bo")
    assert isinstance(broken, Article | InputError)
    binary = read_html_bytes(bytes(range(256)) * 8)
    assert isinstance(binary, InputError) and binary.code == ErrorCode.E003_BINARY


def test_html_files_in_a_folder(tmp_path: Path) -> None:
    (tmp_path / "story.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "blank.htm").write_text("<html><body></body></html>", encoding="utf-8")
    results = list(read_inputs([str(tmp_path)]))
    articles = [r for r in results if isinstance(r, Article)]
    errors = [r for r in results if isinstance(r, InputError)]
    assert [a.title for a in articles] == ["Rebels seize desert town"]
    assert [e.code for e in errors] == [ErrorCode.E011_NO_MAIN_TEXT]
    assert errors[0].doc_id == str(tmp_path / "blank.htm")  # errors name the path given


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_no_bytes_crash_the_html_reader(data: bytes) -> None:
    assert isinstance(read_html_bytes(data), Article | InputError)


TAGS = st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<html>", "<body>", "<article>",
                        "</article>", "<h1>", "<script>", "</script>", "<!--", "-->", "<",
                        ">", "&amp;", "&#0;", "<meta charset='utf-16'>", "<![CDATA["])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(TAGS, st.text(max_size=40)), max_size=60))
def test_no_markup_soup_crashes_the_html_reader(parts: list[str]) -> None:
    result = read_html_bytes("".join(parts).encode("utf-8", "surrogatepass"))
    assert isinstance(result, Article | InputError)
    if isinstance(result, Article):
        for body_start, text_start in result.body_offset:
            assert 0 <= body_start <= len(result.body)
            assert 0 <= text_start <= len(result.text)
