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
    # Marketed drugs MeSH files only among proteins, peptides or sugars are drugs all the same.
    ("", "Adults with allergic asthma were randomized to omalizumab or placebo injections for 16 weeks.",
     {"drugs": ["omalizumab"]}),
    ("", "After hip surgery, patients were randomized to enoxaparin or unfractionated heparin injections.",
     {"drugs": ["enoxaparin", "heparin"]}),
    ("", "Hypertensive adults were assigned to enalapril 10 mg or captopril 25 mg twice daily.",
     {"drugs": ["enalapril", "captopril"]}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), NAME_CASES)
def test_study_drugs_are_read_under_their_generic_names(flagship: Protocol, title: str, abstract: str,
                                                        expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


GIVEN_OR_DERIVED_CASES: list[Case] = [
    # The parent of an enantiomer or metabolite is a study drug when it is given at a dose too.
    ("Two enantiomers against their racemate",
     "Levocetirizine is one of the two enantiomers of cetirizine. In a crossover study, 20 adults took "
     "levocetirizine 2.5 mg and 5 mg of cetirizine on separate days.",
     {"drugs": ["levocetirizine", "cetirizine"]}),
    ("Tolterodine and the metabolism of other drugs",
     "Serum levels of the 5-hydroxymethyl metabolite of tolterodine were measured after healthy men took "
     "2 mg tolterodine twice daily for five days.",
     {"drugs": ["tolterodine"]}),
    # Named only as what the study drug derives from, it is not given.
    ("", "Sixty adults took levocetirizine 5 mg, the R-enantiomer of cetirizine, or placebo for a week.",
     {"drugs": ["levocetirizine"]}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), GIVEN_OR_DERIVED_CASES)
def test_a_drug_another_derives_from_is_a_study_drug_only_when_given(flagship: Protocol, title: str, abstract: str,
                                                                     expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)
