"""Wire copies: a lightly edited republication is found, a different story is not."""

from __future__ import annotations

import random

from eventwire.store.wirecopies import MinHasher, WireCopyIndex, jaccard, shingles

WIRE = (
    "BAMAKO, Jan 6 - Tuareg rebels seized the northern Malian town of Kidal on Monday after two "
    "days of heavy fighting with government troops, military officials and residents said. "
    "The rebels, who have demanded autonomy for the desert north since independence, attacked "
    "the army garrison at dawn on Saturday and took control of the airport and the governor's "
    "office by Monday morning, a military spokesman told reporters in the capital. Several "
    "hundred residents fled south towards Gao, according to the United Nations refugee agency, "
    "which said it was preparing to receive families at camps near the Niger river. The "
    "government in Bamako condemned what it called a cowardly attack and said the army would "
    "retake the town within days. Regional leaders meeting in Abuja called for an immediate "
    "ceasefire and for talks between the government and rebel leaders under the mediation of "
    "Algeria, which brokered a peace accord between the two sides three years ago."
)
COPY = (
    "Tuareg rebels seized the northern Malian town of Kidal on Monday after two days of heavy "
    "fighting with government troops, military officials and residents said. "
    "The rebels, who have demanded autonomy for the desert north since independence, attacked "
    "the army garrison at dawn on Saturday and took control of the airport and the governor's "
    "office by Monday morning, a military spokesman told journalists in the capital. Several "
    "hundred residents fled south towards Gao, according to the United Nations refugee agency, "
    "which said it was preparing to receive families at camps near the Niger river. The "
    "government in Bamako condemned what it called a cowardly attack and said the army would "
    "retake the town within days. Regional leaders meeting in Abuja called for an immediate "
    "ceasefire and for talks between the government and rebel leaders under the mediation of "
    "Algeria, which brokered a peace accord between the two sides three years ago. (Reuters)"
)
OTHER = (
    "GENEVA, Feb 3 - Delegations from Sudan and South Sudan resumed talks in Geneva on Tuesday "
    "on sharing oil revenues and demarcating their disputed border, a United Nations spokesman "
    "said. The two sides had suspended negotiations in December after clashes near the Heglig "
    "oil field, which both claim. Mediators from the African Union said they hoped to reach a "
    "framework agreement on transit fees for oil exported through Port Sudan before the end of "
    "the month, but diplomats said deep mistrust remained after years of conflict."
)


def test_copy_found_and_unrelated_story_not() -> None:
    exact = jaccard(shingles(WIRE), shingles(COPY))
    assert 0.8 <= exact < 1.0, exact
    index = WireCopyIndex()
    assert index.add("wire-1", WIRE) is None
    assert index.add("other-1", OTHER) is None
    assert index.add("copy-1", COPY) == "wire-1"
    assert index.add("copy-2", COPY.upper()) in ("wire-1", "copy-1"), "case does not matter"
    assert len(index) == 4


def test_heavily_rewritten_story_is_not_a_copy() -> None:
    words = WIRE.split()
    rng = random.Random(7)
    rewritten = " ".join(w if rng.random() > 0.25 else "changed" for w in words)
    assert jaccard(shingles(WIRE), shingles(rewritten)) < 0.6
    index = WireCopyIndex()
    index.add("wire", WIRE)
    assert index.add("rewrite", rewritten) is None


def test_signature_estimates_jaccard() -> None:
    hasher = MinHasher(num_perm=256)
    a, b = shingles(WIRE), shingles(COPY)
    estimate = float((hasher.signature(a) == hasher.signature(b)).mean())
    assert abs(estimate - jaccard(a, b)) < 0.1


def test_thousands_of_articles_only_copies_match() -> None:
    rng = random.Random(3)
    vocabulary = [f"w{i}" for i in range(5000)]
    index = WireCopyIndex()
    originals = []
    for number in range(2000):
        text = " ".join(rng.choice(vocabulary) for _ in range(150))
        originals.append(text)
        assert index.add(f"doc-{number}", text) is None
    for number in range(0, 2000, 100):
        words = originals[number].split()
        words[rng.randrange(len(words))] = "edited"
        assert index.add(f"copy-{number}", " ".join(words)) == f"doc-{number}"


def test_empty_and_tiny_texts() -> None:
    index = WireCopyIndex()
    assert index.add("empty", "") is None
    assert index.add("empty-2", "   ") is None, "empty texts are not copies of each other"
    assert index.add("tiny", "Rebels attack") is None
    assert index.add("tiny-2", "rebels attack!") == "tiny"
