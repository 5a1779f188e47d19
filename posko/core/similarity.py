"""How alike two complaint descriptions are, to warn of a repeated report.

Pure scoring; the services choose the candidates (same place, recent days).
token_set_ratio ignores word order and extra words, so "jalan berlubang di
depan pasar" and "di depan pasar ada jalan yang berlubang besar" score high.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from rapidfuzz import fuzz, utils

K = TypeVar("K")

THRESHOLD = 70.0  # 0..100; below this two descriptions rarely name the same problem


def score(a: str, b: str) -> float:
    """0..100; case, punctuation and word order do not count."""
    return fuzz.token_set_ratio(a, b, processor=utils.default_process)


def most_similar(
    text: str, candidates: Iterable[tuple[K, str]], *, threshold: float = THRESHOLD, limit: int = 5
) -> list[tuple[K, float]]:
    """The candidates whose text scores at least `threshold`, best first."""
    if not text.strip():
        return []
    found = [(key, score(text, other)) for key, other in candidates]
    found = [(key, value) for key, value in found if value >= threshold]
    found.sort(key=lambda pair: pair[1], reverse=True)
    return found[:limit]
