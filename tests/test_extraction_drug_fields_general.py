"""The study drugs, their doses and routes, read through the whole pipeline: each convention of the
annotation guidelines pinned on sentences written for the test (none copied from an abstract)."""

from __future__ import annotations

import pytest

from _extraction_cases import Case, check_case, flagship, needs_lexicon

from livingreview.protocol.models import Protocol

pytestmark = needs_lexicon


NAME_CASES: list[Case] = [
    # The mixture is written in the singular as often as in the plural.
    ("", "Ninety women took conjugated equine estrogen 0.625 mg daily or placebo for two years.",
     {"drugs": ["conjugated estrogens"]}),
    ("", "Women were randomized to esterified estrogen 0.3 mg per day or placebo.",
     {"drugs": ["esterified estrogens"]}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), NAME_CASES)
def test_study_drugs_are_read_under_their_generic_names(flagship: Protocol, title: str, abstract: str,
                                                        expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)
