"""Rule-based suggestions from running text, on sentences written for these tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from livingreview.extraction.lexicon import lexicon_path
from livingreview.extraction.passages import Hit, Passage, in_background, in_conclusions, study_start
from livingreview.extraction.service import suggest_study
from livingreview.extraction.text import parse_count, sentences
from livingreview.protocol import load_protocol
from livingreview.records import Record


@pytest.fixture(scope="module")
def flagship():
    return load_protocol(Path(__file__).resolve().parent.parent / "examples" / "glutamate-entactogens" / "protocol.toml")


def _suggest(protocol, title: str, abstract: str):
    record = Record(source="test", raw="", title=title, abstract=abstract, id=7, source_id="t7")
    return suggest_study(protocol, [record])


def values(result) -> dict[str, object]:
    return {name: s.value for name, s in result.fields.items()}


def test_within_subject_drug_and_placebo_sessions_are_a_randomised_crossover(flagship) -> None:
    result = _suggest(flagship, "Ketalar and social cognition",
                      "Twenty-four healthy volunteers received ketamine (0.5 mg/kg, intravenous) and saline "
                      "placebo on two separate sessions in randomized order. Emotion recognition was measured "
                      "with a face task.")
    got = values(result)
    assert got["randomised"] == "yes"
    assert got["allocation"] == "crossover"
    assert got["control"] == "placebo"
    assert got["n_total"] == 24
    assert got["drugs"] == ["ketamine"]  # the brand name in the title maps to the protocol's term
    assert got["routes"] == ["intravenous"]
    assert got["doses"] == ["0.5 mg/kg"]
    assert got["population"] == ["healthy"]
    assert "emotion recognition" in got["constructs"]


def test_placebo_controlled_alone_does_not_imply_blinding(flagship) -> None:
    got = values(_suggest(flagship, "A placebo-controlled trial", "Forty patients were randomized to drug or placebo."))
    assert got["blinding"] == "not-stated"
    assert got["control"] == "placebo"
    explicit = values(_suggest(flagship, "A trial", "In this double-blind study, 40 patients were randomized."))
    assert explicit["blinding"] == "double-blind"


def test_an_estimated_count_is_flagged_not_guessed(flagship) -> None:
    result = _suggest(flagship, "Ketamine in depression",
                      "Approximately forty outpatients with depression were enrolled and given ketamine.")
    n_total = result.fields["n_total"]
    assert n_total.value is None
    assert n_total.flags == ["unparsed: 'Approximately forty'"]
    assert n_total.evidence[0].text == "Approximately forty outpatients"


def test_negated_randomisation_is_no(flagship) -> None:
    got = values(_suggest(flagship, "An open-label study", "This non-randomized, open-label study enrolled 12 adults."))
    assert got["randomised"] == "no"
    assert got["blinding"] == "open-label"
    assert got["age_group"] == "adult"


def test_every_evidence_span_cuts_its_text_out_of_the_field(flagship) -> None:
    title = "Esketamine nasal spray versus placebo in adolescents with major depressive disorder"
    abstract = ("In a randomised, double-blind trial, 62 adolescents aged 12 to 17 years were assigned to "
                "esketamine 28 mg intranasally or placebo. Depressive symptoms, rated by clinicians on the "
                "MADRS, improved more with esketamine (p = 0.03).")
    result = _suggest(flagship, title, abstract)
    texts = {"title": title, "abstract": abstract}
    for suggestion in result.fields.values():
        for evidence in suggestion.evidence:
            assert texts[evidence.field][evidence.start:evidence.end] == evidence.text
            assert evidence.record_id == 7
    got = values(result)
    assert got["age_group"] == "child-adolescent"
    assert got["routes"] == ["intranasal"]
    assert got["population"] == ["depression"]
    assert "clinician-rated" in got["outcome_classes"]


def test_review_articles_get_no_values(flagship) -> None:
    got = values(_suggest(flagship, "Ketamine for depression: a systematic review and meta-analysis",
                          "We pooled 12 randomized placebo-controlled trials of intravenous ketamine."))
    assert got["randomised"] == "not-stated"
    assert got["drugs"] == []
    assert got["n_total"] is None


def test_outcome_direction_is_read_from_the_result_sentence(flagship) -> None:
    result = _suggest(flagship, "Ketamine and empathy",
                      "Thirty healthy men were randomized to ketamine or placebo. Empathic concern on the "
                      "Interpersonal Reactivity Index did not differ between groups (t(28) = 0.41, p = 0.68).")
    outcome = next(o for o in result.outcomes if o["instrument"].value == "Interpersonal Reactivity Index")
    assert outcome["class"].value == "self-report"
    assert outcome["direction"].value == "no difference"
    statistics = {n["statistic"]: n["text"] for n in outcome["numbers"].value}
    assert statistics["t"] == "t(28) = 0.41"
    assert statistics["p"] == "p = 0.68"


@pytest.mark.skipif(lexicon_path() is None, reason="drug-named-entity-recognition is not installed")
def test_drugs_outside_the_protocol_come_from_the_general_lexicon(flagship) -> None:
    got = values(_suggest(flagship, "Zomig tablets for migraine",
                          "Adults with migraine were randomized to zolmitriptan 2.5 mg or sumatriptan 50 mg orally."))
    assert got["drugs"] == ["zolmitriptan", "sumatriptan"]
    assert got["active_comparator"] == "sumatriptan"
    assert got["control"] == "active"
    assert got["population"] == ["other:migraine"]


def test_counts_in_words_and_digits() -> None:
    assert parse_count("Twenty-four") == 24
    assert parse_count("one hundred and six") == 106
    assert parse_count("1,024") == 1024
    assert parse_count("43 527") == 43527
    assert parse_count("approximately") is None


def test_sentences_keep_abbreviations_and_decimals_whole() -> None:
    text = "Doses were 0.5 mg vs. 1.0 mg, i.e. low. RESULTS: Scores fell. N = 12."
    assert [s.text for s in sentences(text)] == ["Doses were 0.5 mg vs. 1.0 mg, i.e. low.", "RESULTS: Scores fell.",
                                                  "N = 12."]


def test_a_section_label_glued_to_the_sentence_before_starts_a_sentence() -> None:
    text = "We asked whether it helps in adults.METHODS: Forty adults took it.RESULTS: Scores fell."
    assert [s.text for s in sentences(text)] == ["We asked whether it helps in adults.", "METHODS: Forty adults took it.",
                                                  "RESULTS: Scores fell."]


def test_a_full_stop_glued_to_the_next_sentence_ends_a_sentence() -> None:
    text = "Patients were divided into two groups (group C and group K).Postoperative analgesia was given to all."
    assert [s.text for s in sentences(text)] == ["Patients were divided into two groups (group C and group K).",
                                                 "Postoperative analgesia was given to all."]
    # (not inside a decimal or an abbreviation: "e.g.Ketamine")
    assert len(sentences("Doses were 0.5 mg.Kg of e.g.Ketamine were not given.")) == 1


def test_a_heading_on_a_line_of_its_own_opens_its_section() -> None:
    passage = Passage(1, "abstract", "Background\nKetamine may help\nMethods\nWe gave ketamine.\n"
                                     "Conclusions\nKetamine helps.")
    ketamine = [Hit(passage, m.start(), m.end()) for m in re.finditer("(?i)ketamine", passage.text)]
    assert [in_background(h) for h in ketamine] == [True, False, False]
    assert [in_conclusions(h) for h in ketamine] == [False, False, True]


@pytest.mark.parametrize("own", [
    "We determined whether bupropion helps smokers with schizophrenia quit.",
    "A 10-week, double-blind trial of bupropion for 58 smokers with schizophrenia was conducted.",
])
def test_an_aim_determined_or_a_trial_conducted_turns_to_the_studys_own(own: str) -> None:
    background = "Individuals with schizophrenia smoke at higher rates than the general population. "
    passage = Passage(1, "abstract", background + own + " Abstinence was higher with bupropion.")
    assert study_start(passage) == len(background)
