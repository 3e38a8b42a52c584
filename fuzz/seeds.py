"""Write seed inputs for the fuzz targets into a folder (nothing binary is kept in git).

    python fuzz/seeds.py /tmp/corpus      # then /tmp/corpus/{readers,structure,code}

Seeds are the bundled sample articles and small documents of every input
kind built from them, so the fuzzer starts from inputs that reach deep code.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

from common import ROOT

SAMPLES = sorted((ROOT / "eventwire" / "samples").glob("*.txt"))


def _warc(text: str) -> bytes:
    page = (f"<html><head><title>Report</title></head><body><article><p>{text}</p>"
            "</article></body></html>").encode()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page
    record = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.example/a\r\n"
              b"WARC-Date: 2020-01-06T00:00:00Z\r\nContent-Type: application/http; "
              b"msgtype=response\r\nContent-Length: %d\r\n\r\n" % len(http)) + http + b"\r\n\r\n"
    return record


def _rss(text: str) -> bytes:
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item>'
            f"<title>Report</title><link>https://x.example/1</link><description>{text}"
            "</description></item></channel></rss>").encode()


def seeds() -> dict[str, list[bytes]]:
    texts = [p.read_text(encoding="utf-8") for p in SAMPLES]
    short = [t[:1500] for t in texts]
    readers: list[bytes] = []
    for text in short:
        readers.append(b"\x00" + text.encode())
        readers.append(b"\x01" + json.dumps({"id": "a", "text": text, "date": "2020-01-06"})
                       .encode() + b"\n{oops\n")
        readers.append(b"\x02<html><body><article><p>" + text.encode() + b"</p></article>")
        readers.append(b"\x03" + _rss(text[:400]))
        readers.append(b"\x04" + _warc(text[:400]))
        buffer = io.BytesIO()
        with gzip.GzipFile(fileobj=buffer, mode="wb") as out:
            out.write(_warc(text[:400]))
        readers.append(b"\x04" + buffer.getvalue())
        readers.append(b"\x05" + text.encode())
    return {
        "readers": readers,
        "structure": [t.encode() for t in short],
        "code": [t[:800].encode() for t in texts]
        + [json.dumps({"id": "r", "text": t[:600]}).encode() for t in texts],
    }


def write(folder: Path) -> None:
    for target, items in seeds().items():
        where = folder / target
        where.mkdir(parents=True, exist_ok=True)
        for number, data in enumerate(items):
            (where / f"seed-{number:03d}").write_bytes(data)


if __name__ == "__main__":
    write(Path(sys.argv[1] if len(sys.argv) > 1 else "fuzz/corpus"))
