"""What the ranker reads of a record, in one place for simulation and the interactive queue.

Kept apart from `screening.ranking` (which loads scikit-learn) so the workflow can join texts
without paying for that import.
"""

from __future__ import annotations


def ranking_text(title: str | None, abstract: str | None) -> str:
    """A record's title and abstract joined by a space: the text every feature extractor reads."""
    return " ".join(part for part in (title, abstract) if part)
