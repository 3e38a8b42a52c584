"""Hand-made coded events for store, dedup and export tests (no parser needed)."""

from __future__ import annotations

import hashlib

from eventwire.records.model import Actor, Article, Event, Evidence, Place

PLACES = {
    "Kidal": Place("Kidal", 18.44, 1.41, "MLI", "Kidal", 2455290, "city", admin1_code="ML.10"),
    "Gao": Place("Gao", 16.27, -0.04, "MLI", "Gao", 2457163, "city"),
    "Kirkuk": Place("Kirkuk", 35.47, 44.39, "IRQ", "Kirkuk", 94787, "city"),
    "Aleppo": Place("Aleppo", 36.2, 37.16, "SYR", "Aleppo", 170063, "city"),
    "Springfield": Place("Springfield", 39.8, -89.64, "USA", "Illinois", 4250542, "city"),
}


def actor(code: str | None, country: str | None = None, agent: str | None = None,
          name: str | None = None) -> Actor | None:
    if code is None and country is None and agent is None:
        return None
    return Actor(text=name or code or "", name=name, code=code, country=country, agent=agent)


def event(doc_id: str, n: int = 0, *, cameo: str = "190", date: str | None = "2020-03-02",
          precision: str = "day", source: Actor | None = None, target: Actor | None = None,
          place: str | None = "Kidal", sentence: str = "Malian troops attacked rebels near Kidal.",
          confidence: float = 0.8) -> Event:
    evidence = Evidence(sentence=sentence, sentence_index=n, start=10 * n, end=10 * n + 9,
                        trigger=sentence.split()[2] if len(sentence.split()) > 2 else "x")
    key = f"{doc_id}|{n}|{cameo}"
    return Event(
        doc_id=doc_id, cameo=cameo, cameo_root=cameo[:2], source=source, target=target,
        evidence=evidence, confidence=confidence, coder="test", date=date,
        date_precision=precision, plover="ASSAULT" if cameo[:2] in ("18", "19", "20") else None,
        quad_class=4 if cameo[:2] >= "14" else 1, goldstein=-10.0,
        location=PLACES.get(place or ""), location_precision="city" if place else None,
        event_id=hashlib.sha1(key.encode()).hexdigest()[:20],
    )


def article(doc_id: str, text: str, published: str = "2020-03-02", source: str = "outlet",
            url: str | None = None) -> Article:
    return Article(doc_id=doc_id, text=text, body=text, published=published, source=source,
                   url=url or f"https://news.example.org/{doc_id}", language="en")
