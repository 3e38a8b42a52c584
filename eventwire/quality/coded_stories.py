"""Coded articles without a parser: stories told by several outlets over many days and places.

For the store's benchmark and for tests that need many articles whose events match across
articles (about one story in three is told by two or more articles), made in milliseconds.
"""

from __future__ import annotations

import hashlib
import random

from eventwire.records.model import Actor, Article, Event, Evidence, Place
from eventwire.store.schema import Coded

COUNTRIES = ["MLI", "IRQ", "SYR", "COD", "YEM", "NGA", "AFG", "SOM", "SDN", "UKR", "MMR", "ETH",
             "LBY", "PAK", "IND", "MEX", "COL", "BRA", "PHL", "NER"]
# 400 synthetic towns, 20 per country, spread over a few degrees
TOWNS = [(f"Town{c}{k}", -30 + 3 * i + (k % 5) * 0.6, -60 + 9 * i + (k // 5) * 0.7, c)
         for i, c in enumerate(COUNTRIES) for k in range(20)]
CODES = ["190", "193", "183", "195", "141", "173", "040", "036", "112", "130"]
AGENTS = ["MIL", "REB", "GOV", "COP", "INS", "PPL"]
WORDS = ("market checkpoint convoy village school hospital district border station bridge "
         "camp base airport mosque church road river valley hill square").split()


def make_batch(rng: random.Random, start: int, articles: int, per_article: int) -> list[Coded]:
    """Articles that each report ``per_article`` stories of their day; about one story in
    three is told by two or more articles."""
    batch = []
    for n in range(start, start + articles):
        doc_id = f"doc{n:07d}"
        day_number = n // 200  # 200 articles a day
        day = f"{2020 + day_number // 336}-{1 + day_number // 28 % 12:02d}-" \
              f"{1 + day_number % 28:02d}"
        events = []
        for k in range(per_article):
            story = day_number * 1000 + rng.randrange(1000)  # a thousand stories a day
            town = TOWNS[story % len(TOWNS)]
            code = CODES[(story // 10) % len(CODES)]
            src = Actor(text="x", code=town[3] + AGENTS[story % 6], country=town[3],
                        agent=AGENTS[story % 6])
            sentence = (f"Forces attacked the {WORDS[story % len(WORDS)]} near {town[0]} "
                        f"in story {story}, officials said.")
            key = f"{doc_id}|{k}"
            events.append(Event(
                doc_id=doc_id, cameo=code, cameo_root=code[:2], source=src, target=None,
                evidence=Evidence(sentence, k, 40 * k, 40 * k + len(sentence), "attacked"),
                confidence=0.5 + (story % 50) / 100, coder="bench", date=day,
                date_precision="day", plover="ASSAULT", quad_class=4, goldstein=-10.0,
                location=Place(town[0], town[1], town[2], town[3], None, None, "city"),
                location_precision="city",
                event_id=hashlib.sha1(key.encode()).hexdigest()[:20]))
        text = f"Article {n}: " + " ".join(e.evidence.sentence for e in events)
        article = Article(doc_id=doc_id, text=text, body=text, published=day,
                          source=f"outlet{n % 40}", url=f"https://news.example.org/{n}")
        batch.append(Coded(article, events, []))
    return batch
