"""Substances the drug dictionary leaves out that an experiment may still give as its study drug.

Abstracts mostly measure these (cortisol levels) or speak of people taking them of their own accord
(alcohol drunk, nicotine smoked); drugs.py adds them where the study gives them, and measures.py does
not read the given substance as a body measure.
"""

from __future__ import annotations

from collections.abc import Iterator

from livingreview.extraction.passages import Hit, Passage, rx

# Each is the study drug of an experiment that gives it: "a 0.6 g/kg dose of alcohol", "20 or 40 mg
# cortisol", "cortisol (20 mg) or placebo", "0.8 g/kg/day of glycine", "the group given glycine",
# "oral cortisol treatment", "nicotine gum". Each is named by its generic name (cortisol given is
# hydrocortisone).
# Caffeine is left out: trials give it as a probe of liver enzymes far more often than as a treatment.
SUBSTANCES_GIVEN = {"alcohol": "alcohol", "ethanol": "alcohol", "cortisol": "hydrocortisone", "glycine": "glycine",
                    "nicotine": "nicotine", "insulin": "insulin"}
_SUBSTANCE = r"(?:" + "|".join(SUBSTANCES_GIVEN) + r")"
_AMOUNT = r"\d+(?:\.\d+)?\s*(?:g/kg|mg/kg|mg|g|µg|iu)\b"
_GIVEN = rx(
    r"\b(?:doses?\s+of|" + _AMOUNT + r"\s*(?:body\s+weight\s*)?(?:/\s*day\s+|per\s+day\s+|daily\s+)?"
    r"(?:of\s+)?)(?:oral\s+|intranasal\s+|intravenous\s+)?(?P<before>" + _SUBSTANCE + r")\b|"
    r"\b(?P<dosed>" + _SUBSTANCE + r")\s*\(\s*" + _AMOUNT + "|"
    r"\b(?P<placebo>" + _SUBSTANCE + r")\s+(?:or|versus|vs\.?)\s+(?:a\s+)?placebo\b|"
    # a product made to give it ("nicotine gum", "a nicotine patch")
    r"\b(?P<product>" + _SUBSTANCE + r")\s+(?:gum|patch(?:es)?|lozenges?|inhalers?|nasal\s+spray|tablets?|capsules?)\b|"
    r"\b(?P<given>" + _SUBSTANCE + r")\s+(?:intoxication|administration|challenge|treatment|infusion|"
    r"supplementation|(?:was\s+|were\s+)?administered)\b|"
    r"\b(?:administration\s+of|administered|treated\s+with|given|infusions?\s+of|oral|intranasal)\s+"
    r"(?:(?:a|an|the)\s+)?(?:single\s+|acute\s+|low\s+|high\s+)?(?P<after>" + _SUBSTANCE + r")\b"
    r"(?!\s+(?:levels?|concentrations?|responses?|secretion|reactivity|site|use|consumption|intake|dependence))|"
    # (alcohol alone: "the acute effects of alcohol on trust", not "of alcohol use")
    r"\b(?:acute\s+)?effects?\s+of\s+(?:acute\s+|moderate\s+)?(?P<alcohol>alcohol|ethanol)\b"
    r"(?!\s+(?:use|consumption|abuse|dependence|intake|misuse|drinking))")
_SUBSTANCE_GROUPS = ("before", "dosed", "placebo", "product", "given", "after", "alcohol")


def substances_given(passages: list[Passage]) -> Iterator[Hit]:
    """Each mention of a substance of SUBSTANCES_GIVEN that says the study gives it (its name only)."""
    for passage in passages:
        for match in passage.finditer(_GIVEN):
            group = next(g for g in _SUBSTANCE_GROUPS if match.group(g))
            yield Hit(passage, match.start(group), match.end(group))
