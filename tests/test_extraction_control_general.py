"""The control arm and the active comparator read from phrasings that trial abstracts use in general.

Each snippet is written for this test (not taken from any record) and goes through the whole text
pipeline (`suggest_study` with the flagship protocol), as on real records. Only the fields a case
names are checked.
"""

from __future__ import annotations

import pytest

from _extraction_cases import Case, check_case, flagship, needs_lexicon

from livingreview.protocol.models import Protocol

pytestmark = needs_lexicon


CONTROL_CASES: list[Case] = [
    # A placebo phase everyone goes through before the arms is no placebo arm, however punctuated.
    ("Two doses of estradiol for hot flushes",
     "After a single-blind, placebo, lead-in fortnight, 30 women were randomly assigned to estradiol "
     "1 mg or estradiol 2 mg daily for twelve weeks.",
     {"control": "active"}),
    # One drug given by two routes is compared with itself: an active control, no comparator drug.
    ("Oral and subcutaneous sumatriptan in cluster headache",
     "Twenty patients treated one attack with sumatriptan tablets and one with an injection in an "
     "open crossover study, and pain relief at 30 minutes was compared.",
     {"control": "active", "active_comparator": None}),
    # An arm given nothing is the control, also when the treated arms compare two drugs.
    ("Oral or transdermal estradiol and lipids",
     "Postmenopausal women received no treatment (n = 10) or were treated with oral estradiol 2 mg "
     "(n = 15) or with a transdermal estradiol patch (n = 15) for six months.",
     {"control": "none"}),
    ("Cetirizine and loratadine in hay fever",
     "Cetirizine 10 mg and loratadine 10 mg were compared during the pollen season; patients given "
     "no medication formed the control group.",
     {"control": "none"}),
    # "To compare A and B": the drug named second is the reference the study drug is set against,
    # whichever the background named first.
    ("Antihistamines and nasal congestion",
     "Desloratadine was found to lower mediator release from nasal mast cells. A parallel-group study "
     "was done to compare the effect of two antihistamines, fexofenadine (180 mg) and desloratadine "
     "(5 mg), on nasal congestion in 80 adults with hay fever.",
     {"control": "active", "active_comparator": "desloratadine"}),
    # What everyone was given before the assignment is background, not a comparator arm.
    ("Weekly alendronate in men with low bone density",
     "Three hundred men were given calcium 500 mg daily and randomly assigned to alendronate 70 mg "
     "weekly or placebo for two years.",
     {"control": "placebo", "active_comparator": None}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), CONTROL_CASES,
                         ids=[case[0] for case in CONTROL_CASES])
def test_the_control_arm_follows_what_the_comparison_arm_was_given(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)
