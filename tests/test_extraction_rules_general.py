"""General reporting conventions of trial abstracts, each pinned on a sentence written for the test."""

from __future__ import annotations

import re

import pytest

from livingreview.extraction import counts, design, drugs, measures, participants
from livingreview.extraction.lexicon import lexicon_path
from livingreview.extraction.passages import Passage
from livingreview.protocol.models import Protocol

# A protocol without vocabularies: only the general rules speak.
_EMPTY_PROTOCOL = Protocol.model_construct(vocabularies={}, criteria=[])


def _passages(abstract: str, title: str = "") -> list[Passage]:
    found = [Passage(3, "abstract", abstract)]
    return ([Passage(3, "title", title)] if title else []) + found


@pytest.mark.parametrize(("abstract", "expected"), [
    # The strongest verb of the clause decides, not the first ("aged", "with").
    ("Nine hundred twelve women aged 40 or more with hot flushes were randomly assigned to a drug.", 912),
    # Two groups joined by "and" add up.
    ("We studied skin redness in 15 eczema patients and 11 healthy volunteers.", 26),
    ("Ninety patients were randomized to the new inhaler and 45 to the old one.", 135),
    ("Sixty-one patients received placebo and 120 patients received the study drug.", 181),
    # A stated total wins over its parts.
    ("A total of 212 adults were randomized; 100 patients completed and 80 patients withdrew.", 212),
    # Each arm's (n = x) adds up when no total is given.
    ("Interviews were held with nurses (n = 7) and pharmacists (n = 9).", 16),
    # A count in brackets after a bracketed age still counts the people.
    ("We enrolled children (aged 6-12 y) with asthma (n = 75) at two clinics.", 75),
    ("Thirty-three randomly selected GPs participated.", 33),
])
def test_participant_counts_follow_how_abstracts_report_them(abstract: str, expected: int) -> None:
    assert counts.n_total(_passages(abstract)).value == expected


def test_a_count_of_people_only_analysed_is_not_taken_for_the_groups_sum() -> None:
    got = counts.n_total(_passages("Of the 40 patients, 12 patients and 9 controls were analysed."))
    assert got.value != 21


@pytest.mark.parametrize(("abstract", "expected"), [
    ("Licensed drivers who were 21 to 50 years of age took part.", "adult"),
    ("We enrolled 60 patients (12-70 years) with hay fever.", "mixed"),
    ("Children (8-14 years) with migraine were studied.", "child-adolescent"),
    ("Patients aged 65 years or older were eligible.", "adult"),
    ("Outpatients aged >=40 years were randomized.", "adult"),
    ("Patients 12 years of age or older were included.", "mixed"),
    ("Case presentation: A 71-year-old man presented with chest pain.", "adult"),
    ("A 9-year-old boy presented with a rash.", "child-adolescent"),
    # Students of a college are adults, however they are called.
    ("Forty undergraduates rated faces after the drug.", "adult"),
    ("Healthy college students took the drug or placebo.", "adult"),
    # A range of months after an event is a time, not an age.
    ("Symptoms were assessed 3-9 months after the flood.", "not-stated"),
])
def test_age_group_comes_from_explicit_ages(abstract: str, expected: str) -> None:
    assert participants.age_group(_passages(abstract)).value == expected


@pytest.mark.parametrize(("title", "abstract"), [
    ("Zolmitriptan.", "Zolmitriptan is an oral triptan. It is absorbed quickly and reduces headache pain."),
    ("Hormones and bone: what the trials say",
     "Recent randomized trials have demonstrated that estradiol reduces fractures in older women."),
    ("A debate on stomach safety", "Large trials have shown that selective drugs harm the stomach less. "
     "We argue that the evidence is weaker than it looks."),
    # trials described before their verb
    ("Gepants for migraine", "Gepants block the CGRP receptor. Randomised trials in adults with frequent "
     "migraine have shown fewer headache days than with placebo."),
    ("Statins and memory", "Three trials versus placebo in older adults with high cholesterol show that "
     "memory does not change."),
    ("Nasal sprays in hay fever", "The newer spray has been assessed in several controlled trials. "
     "It relieves congestion within hours."),
])
def test_abstracts_about_other_peoples_studies_describe_no_study(title: str, abstract: str) -> None:
    passages = _passages(abstract, title)
    assert design.speaks_of_others_only(passages, counts.n_total(passages))


@pytest.mark.parametrize(("title", "abstract"), [
    ("Zolmitriptan.", "Forty adults with migraine were randomized to zolmitriptan or placebo."),
    ("Hormones and bone", "Previous studies have shown benefits. Methods: We enrolled 120 older women "
     "and measured bone density."),
    ("Trust after oxytocin", "Earlier studies have suggested effects on trust. In this study, volunteers "
     "played a trust game after a nasal spray."),
    ("Gepants for migraine", "Trials in adults have shown fewer headache days. Forty adults were randomized "
     "to a gepant or placebo."),
])
def test_a_study_that_cites_others_is_still_a_study(title: str, abstract: str) -> None:
    passages = _passages(abstract, title)
    assert not design.speaks_of_others_only(passages, counts.n_total(passages))


@pytest.mark.parametrize("pattern", [design._RANDOMISED, counts._PEOPLE_COUNT, participants._AGE_FLOOR, drugs._ROUTES[0][1],
                                     participants._POPULATIONS[1][1], measures.OUTCOME_CLASS_PATTERNS[3][1]])
def test_the_lowercase_twin_of_a_pattern_matches_the_same_spans(pattern: re.Pattern[str]) -> None:
    text = ("Ninety-Two Adults Aged 18 Years Or Older With MDD were RANDOMIZED (n = 92); ST depression "
            "was absent. Ketamine was given as an IV Infusion; BOLD fMRI and Heart Rate were recorded.")
    expected = [m.span() for m in pattern.finditer(text)]
    assert expected  # each pattern has something to find here
    assert [m.span() for m in Passage(1, "abstract", text).finditer(pattern)] == expected


@pytest.mark.parametrize(("abstract", "absent"), [
    ("Patients with asthma were randomized. Women were excluded if they had active cancer.", "other:cancer"),
    ("Adults with asthma were randomized. The primary outcome was stroke or heart attack.", "other:stroke"),
    ("Adults with asthma completed the Beck Depression Inventory.", "depression"),
    ("Adults with asthma rated their depression symptoms weekly.", "depression"),
])
def test_conditions_measured_or_ruled_out_are_not_the_population(abstract: str, absent: str) -> None:
    got = participants.population(_passages(abstract), _EMPTY_PROTOCOL, None, {}).value
    assert "other:asthma" in got
    assert absent not in got


@pytest.mark.parametrize(("abstract", "expected"), [
    ("Patients received placebo or the drug 0.5, 1, 2 or 4 mg twice daily.",
     ["0.5 mg twice daily", "1 mg twice daily", "2 mg twice daily", "4 mg twice daily"]),
    ("Single 120-mg doses were given two weeks apart.", ["120-mg"]),
    ("The daily dose was titrated within 10-20 mg daily.", ["10-20 mg daily"]),
    # Concentrations measured in blood are not doses given.
    ("Ketamine 0.5 mg/kg was infused; peak plasma level was 697.0 ng/ml.", ["0.5 mg/kg"]),
])
def test_doses_keep_amount_and_unit_and_split_lists_sharing_a_unit(abstract: str, expected: list[str]) -> None:
    assert drugs.doses(_passages(abstract)).value == expected


@pytest.mark.parametrize(("abstract", "expected"), [
    ("Both regimens significantly reduced menopausal symptoms.", "self-report"),
    ("Efficacy was assessed by patient perception evaluations.", "self-report"),
    ("Physicians also rated total symptom scores at entry and at day 28.", "clinician-rated"),
    ("Interviews were scored by a second assessor.", "clinician-rated"),
    ("Neuropsychological signs of sedation were never observed.", "behavioural"),
    ("The system changed the test ordering behaviour of doctors.", "behavioural"),
    ("The diameter of histamine-induced skin weals was reduced.", "physiological"),
])
def test_outcome_classes_come_from_how_outcomes_are_measured(abstract: str, expected: str) -> None:
    assert expected in measures.outcome_classes(_passages(abstract), {}).value


def test_a_cancer_of_an_organ_counted_as_an_event_is_not_a_physiological_measure() -> None:
    got = measures.outcome_classes(_passages("The index included stroke and endometrial cancer."), {}).value
    assert "physiological" not in got


@pytest.fixture(scope="module")
def flagship():
    from pathlib import Path

    from livingreview.protocol import load_protocol
    return load_protocol(Path(__file__).resolve().parent.parent / "examples" / "glutamate-entactogens" / "protocol.toml")


@pytest.mark.parametrize("abstract", [
    "Twenty adults received memantine or placebo. Ketamine-induced dissociation was then rated.",
    "Twenty adults received memantine or placebo before a challenge with ketamine.",
    "Twenty adults received memantine, a derivative of amantadine, or placebo.",
])
def test_a_drug_given_as_a_challenge_or_named_as_a_relative_is_not_a_study_drug(flagship, abstract: str) -> None:
    reading = drugs.read_drugs(flagship, _passages(abstract), "intervention", frozenset())
    assert list(reading.study) == ["memantine"]
    assert not reading.comparator


@pytest.mark.parametrize(("abstract", "expected"), [
    ("All had undergone previous treatment with oral or intravenous triptans. Patients were given "
     "the drug subcutaneously.", ["subcutaneous"]),
    ("Ibuprofen liquigel is an encapsulated, solubilized salt of ibuprofen.", ["oral"]),
])
def test_routes_are_how_the_study_drug_was_given(abstract: str, expected: list[str]) -> None:
    assert drugs.routes(_passages(abstract)).value == expected


@pytest.mark.skipif(lexicon_path() is None, reason="drug-named-entity-recognition is not installed")
def test_a_drug_combined_with_the_study_drug_is_not_its_comparator() -> None:
    abstract = ("In a comparison with placebo, adults were randomized to aspirin combined with metoclopramide "
                "or to placebo.")
    reading = drugs.read_drugs(_EMPTY_PROTOCOL, _passages(abstract), "intervention", frozenset())
    assert sorted(reading.study) == ["aspirin", "metoclopramide"]
    assert not reading.comparator
