"""Wire copies: the same agency story republished, lightly edited, by many outlets.

Coding each copy would count one report as many; event counts per article and
per source must see one story. A copy shares nearly all its word 3-grams
with the original, so MinHash signatures of the 3-gram sets estimate their
Jaccard similarity, and locality-sensitive hashing over bands of the
signature finds candidates without comparing each article to all others.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import numpy.typing as npt

WORD = re.compile(r"\w+")
MERSENNE = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint64((1 << 32) - 1)


def shingles(text: str, size: int = 3) -> set[bytes]:
    """Word ``size``-grams of the lower-cased text; the whole text when it is shorter."""
    words = WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def jaccard(a: set[bytes], b: set[bytes]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _hash32(shingle: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(shingle, digest_size=4).digest(), "little")


class MinHasher:
    """MinHash signatures with ``num_perm`` universal hash functions, fixed by ``seed``."""

    def __init__(self, num_perm: int = 128, seed: int = 1) -> None:
        rng = np.random.default_rng(seed)
        # a, b below 2**32 and values below 2**32 keep a*x+b inside uint64 without overflow
        self.a = rng.integers(1, 1 << 32, size=num_perm, dtype=np.uint64)
        self.b = rng.integers(0, 1 << 32, size=num_perm, dtype=np.uint64)
        self.num_perm = num_perm

    def signature(self, items: set[bytes]) -> npt.NDArray[np.uint64]:
        if not items:
            return np.full(self.num_perm, MAX_HASH, dtype=np.uint64)
        values = np.fromiter((_hash32(s) for s in items), dtype=np.uint64, count=len(items))
        permuted = (values[:, None] * self.a[None, :] + self.b[None, :]) % MERSENNE & MAX_HASH
        signature: npt.NDArray[np.uint64] = permuted.min(axis=0)
        return signature


class WireCopyIndex:
    """Remembers articles and says, for each new one, which earlier one it copies.

    ``bands`` x ``rows`` must equal ``num_perm``; 32 bands of 4 rows put the
    LSH candidate threshold near 0.42, well below ``threshold``, so true
    copies are rarely missed and candidates are then checked on the full
    signature.
    """

    def __init__(
        self,
        threshold: float = 0.8,
        num_perm: int = 128,
        bands: int = 32,
        shingle_size: int = 3,
        seed: int = 1,
    ) -> None:
        if num_perm % bands:
            raise ValueError("num_perm must be a multiple of bands")
        self.threshold = threshold
        self.rows = num_perm // bands
        self.bands = bands
        self.shingle_size = shingle_size
        self.hasher = MinHasher(num_perm, seed)
        self.buckets: list[dict[bytes, list[int]]] = [{} for _ in range(bands)]
        self.ids: list[str | None] = []
        self.signatures: list[npt.NDArray[np.uint64]] = []

    def __len__(self) -> int:
        return len(self.ids)

    def similarity(self, first: int, second: int) -> float:
        """Estimated Jaccard similarity of two indexed articles (by insertion number)."""
        return float(np.mean(self.signatures[first] == self.signatures[second]))

    def signature(self, text: str) -> npt.NDArray[np.uint64] | None:
        """The MinHash signature of ``text``; None when it has no words to compare."""
        items = shingles(text, self.shingle_size)
        return self.hasher.signature(items) if items else None

    def _keys(self, signature: npt.NDArray[np.uint64]) -> list[bytes]:
        return [signature[i * self.rows:(i + 1) * self.rows].tobytes() for i in range(self.bands)]

    def copies(self, signature: npt.NDArray[np.uint64] | None) -> list[tuple[str, float]]:
        """Indexed articles that ``signature`` nearly repeats, most similar first."""
        if signature is None:
            return []
        candidates: set[int] = set()
        for band, key in zip(self.buckets, self._keys(signature), strict=True):
            candidates.update(band.get(key, ()))
        found = []
        for number in sorted(candidates):
            if self.ids[number] is None:
                continue
            score = float(np.mean(self.signatures[number] == signature))
            if score >= self.threshold:
                found.append((self.ids[number] or "", score))
        return sorted(found, key=lambda pair: (-pair[1], pair[0]))

    def insert(self, doc_id: str, signature: npt.NDArray[np.uint64] | None) -> None:
        """Remember an article by its signature (one that has no words is never matched)."""
        number = len(self.ids)
        self.ids.append(doc_id)
        empty = np.full(self.hasher.num_perm, MAX_HASH, np.uint64)
        self.signatures.append(signature if signature is not None else empty)
        if signature is not None:
            for band, key in zip(self.buckets, self._keys(signature), strict=True):
                band.setdefault(key, []).append(number)

    def remove(self, doc_id: str) -> None:
        """Forget an article (its text changed); its slot stays so numbers keep their meaning."""
        for number, known in enumerate(self.ids):
            if known == doc_id:
                self.ids[number] = None

    def add(self, doc_id: str, text: str) -> str | None:
        """Index ``text``; the id of the most similar earlier near-duplicate, or None."""
        signature = self.signature(text)
        found = self.copies(signature)
        self.insert(doc_id, signature)
        return found[0][0] if found else None


def signature_bytes(signature: npt.NDArray[np.uint64]) -> bytes:
    """A signature as 4 bytes per value (every value is below 2**32), for the store."""
    return signature.astype("<u4").tobytes()


def signature_from_bytes(blob: bytes) -> npt.NDArray[np.uint64]:
    return np.frombuffer(blob, dtype="<u4").astype(np.uint64)
