from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from conftest import fixture_path
from livingreview.protocol import load_protocol, parse_protocol
from livingreview.records import Record
from livingreview.screening.criteria import (
    compile_protocol,
    criteria_matrix,
    evaluate_record,
    find_spans,
    is_negated,
    verdict_features,
)


def record(title: str | None = None, abstract: str | None = None, **fields) -> Record:
    return Record(source="test", raw="", title=title, abstract=abstract, **fields)


def mentions(protocol, rec: Record) -> list[tuple[str, str, bool]]:
    """(matched text, term id, negated) in text order."""
    _, spans = find_spans(protocol, rec)
    return [(s.text, s.term, s.negated) for s in sorted(spans, key=lambda s: (s.field, s.start))]


@pytest.fixture
def protocol(minimal_protocol: Path):
    return load_protocol(minimal_protocol)


def test_whole_words_only_but_simple_plurals_count(protocol):
    # "esketamine" is a synonym of its own; "ketamines" is a plural of "ketamine";
    # "ketaminergic" and "empathyless" are other words.
    found = mentions(protocol, record(abstract="Ketamines and esketamine; ketaminergic empathyless drive."))
    assert found == [("Ketamines", "ketamine", False), ("esketamine", "ketamine", False)]


def test_case_is_ignored_except_for_short_acronyms(protocol):
    found = mentions(protocol, record(abstract="KETAMINE in MDD; Mdd and mdd are not the acronym."))
    assert found == [("KETAMINE", "ketamine", False), ("MDD", "depression", False)]


def test_hyphen_and_space_variants_match_each_other(protocol):
    text = "A placebo controlled study; a placebo-controlled one; a placebo\u2010controlled one; CI 581, CI581."
    found = mentions(protocol, record(abstract=text))
    assert [t for t, _, _ in found] == ["placebo controlled", "placebo-controlled",
                                        "placebo\u2010controlled", "CI 581", "CI581"]
    # Sentence punctuation is not a hyphen: no phrase across a full stop.
    assert mentions(protocol, record(abstract="It was placebo. Controlled by ...")) == []


def test_longest_phrase_wins_where_phrases_overlap(protocol):
    found = mentions(protocol, record(abstract="Patients with major depressive disorder."))
    assert found == [("major depressive disorder", "depression", False)]


@pytest.mark.parametrize(("text", "negated"), [
    ("There were no empathy deficits.", True),
    ("Participants without empathy impairment.", True),
    ("The drug did not alter the empathy score.", False),   # pseudo-negation: a measured outcome
    ("No significant change in empathy was seen.", False),
    ("We did not measure empathy.", True),
    ("No adverse events occurred, but empathy rose.", False),  # the clause ends at "but"
    ("Not one of the fourteen questionnaire items about empathy.", False),  # beyond five words
    ("Patients with empathy problems were excluded.", True),   # post-cue
    ("Those having low empathy scores were excluded.", True),
    ("Empathy questionnaires were excluded from the analysis.", False),  # nobody had it
    ("Faces were shown with or without empathy instructions.", False),  # both ways: nothing denied
    ("Tested with and without empathy training.", False),
])
def test_negation_cues_in_the_same_clause(protocol, text, negated):
    [(matched, term, flag)] = mentions(protocol, record(abstract=text))
    assert (matched.lower(), term, flag) == ("empathy", "empathy", negated)


def test_a_negation_covers_a_list_but_not_the_next_concept(protocol):
    found = mentions(protocol, record(abstract="Volunteers without depression or MDD received ketamine."))
    assert found == [("depression", "depression", True), ("MDD", "depression", True),
                     ("ketamine", "ketamine", False)]


def test_non_prefix_negates_the_word_it_is_attached_to(protocol):
    found = mentions(protocol, record(abstract="A non-randomized controlled trial of ketamine."))
    assert found == [("randomized controlled trial", "rct", True), ("ketamine", "ketamine", False)]
    assert not is_negated("nonetheless ketamine", 12, 20)


def test_mesh_headings_match_the_terms_mesh_with_qualifiers_and_stars_ignored(protocol):
    rec = record(title="A trial", abstract="Something.", mesh=["*Ketamine/administration & dosage", "Humans"])
    _, spans = find_spans(protocol, rec)
    mesh = [(s.field, s.start, s.end, s.text, s.term) for s in spans if s.field == "mesh"]
    assert mesh == [("mesh", 1, 9, "Ketamine", "ketamine")]


def test_verdicts_and_their_evidence(protocol):
    rec = record(
        title="Esketamine and empathic concern in healthy volunteers",
        abstract="A randomised controlled trial in healthy participants without depression.",
    )
    verdict = evaluate_record(protocol, rec)
    assert [(c.criterion, c.verdict) for c in verdict.criteria] == [("C1", "met"), ("C2", "met"),
                                                                    ("C3", "met")]
    c2 = verdict.verdict("C2")
    assert [(s.field, s.start, s.end, s.text, s.vocabulary, s.term, s.negated) for s in c2.spans] == [
        ("title", 0, 10, "Esketamine", "intervention", "ketamine", False)]
    assert verdict.verdict("C3").missing == ()
    assert verdict_features(verdict) == [1.0, 1.0, 1.0]


def test_absence_is_not_met_with_an_abstract_and_unclear_without_one(protocol):
    with_abstract = evaluate_record(protocol, record(title="Knee surgery", abstract="Knee function improved."))
    title_only = evaluate_record(protocol, record(title="Knee surgery"))
    assert [c.verdict for c in with_abstract.criteria] == ["not_met", "not_met", "met"]
    assert [c.verdict for c in title_only.criteria] == ["unclear", "unclear", "unclear"]
    assert with_abstract.verdict("C2").missing == ("intervention.nmda_channel_blocker",)
    assert verdict_features(title_only) == [0.5, 0.5, 0.5]


def test_a_negated_mention_is_evidence_of_absence(protocol):
    verdict = evaluate_record(protocol, record(title="Ketamine", abstract="Patients did not have depression."))
    # C3 = empathy OR NOT depression: depression denied, so NOT depression holds.
    assert verdict.verdict("C3").verdict == "met"
    assert [s.negated for s in verdict.verdict("C3").spans] == [True]


def test_stage_selects_the_criteria_of_that_stage():
    text = Path(__file__).parent.joinpath("data", "minimal_protocol.toml").read_text(encoding="utf-8")
    text = text.replace('rule = "intervention.nmda_channel_blocker"',
                        'rule = "intervention.nmda_channel_blocker"\nstages = ["full_text"]')
    protocol = parse_protocol(text)
    rec = record(title="Ketamine", abstract="Healthy volunteers.")
    assert [c.criterion for c in evaluate_record(protocol, rec, "title_abstract").criteria] == ["C1", "C3"]
    assert criteria_matrix(protocol, [rec, record()], "title_abstract").shape == (2, 2)
    assert criteria_matrix(protocol, [rec, record()], "full_text").shape == (2, 3)


def test_compiled_matchers_are_reused_per_protocol(protocol, minimal_protocol):
    assert compile_protocol(protocol) is compile_protocol(protocol)
    assert compile_protocol(load_protocol(minimal_protocol)) is not compile_protocol(protocol)


def test_registry_fields_of_a_ctgov_record_are_read(protocol):
    study = {"protocolSection": {
        "identificationModule": {"nctId": "NCT00000001", "briefTitle": "Esketamine study"},
        "conditionsModule": {"conditions": ["Major Depressive Disorder"]},
        "designModule": {"studyType": "INTERVENTIONAL", "designInfo": {"allocation": "RANDOMIZED"}},
        "armsInterventionsModule": {"interventions": [{"name": "Esketamine", "description": "56 mg"}]},
        "outcomesModule": {"primaryOutcomes": [{"measure": "Empathic concern (IRI subscale)"}]},
    }}
    rec = Record(source="ctgov", raw=json.dumps(study), title="Esketamine study")
    verdict = evaluate_record(protocol, rec)
    fields = {s.field for s in verdict.spans}
    assert {"registry.conditions", "registry.interventions", "registry.outcomes"} <= fields
    assert verdict.verdict("C2").verdict == "met"
    # Registry text counts as body text: absence of a design phrase is then "not met".
    assert verdict.verdict("C1").verdict == "not_met"


def test_unmapped_fields_of_a_bibliographic_record_are_not_registry_text(protocol):
    # A Scopus RIS export keeps its reference list in N1; the cited trials' words are not
    # evidence about this record.
    references = "Smith A, A randomized double-blind trial of ketamine and empathy, 2019"
    rec = Record(source="ris", raw="", title="A cross-sectional survey", abstract="A survey of nurses.",
                 extra={"N1": references, "entry_type": "JOUR"})
    verdict = evaluate_record(protocol, rec)
    assert not any(field.startswith("registry.") for field in verdict.fields)
    assert not any(span.field.startswith("registry.") for span in verdict.spans)
    # The same text in a registry record is read.
    registry = Record(source="csv", raw="", source_id="NCT01234567", title="A trial",
                      extra={"design": references})
    assert "registry.design" in evaluate_record(protocol, registry).fields


@pytest.mark.realdata
def test_the_real_ctgov_study_yields_registry_fields(protocol):
    raw = fixture_path("ctgov", "NCT02513394.json").read_text(encoding="utf-8")
    verdict = evaluate_record(protocol, Record(source="ctgov", raw=raw, title="PALLAS"))
    assert verdict.fields["registry.design"].startswith("interventional; phase3; randomized")
    assert "Palbociclib" in verdict.fields["registry.interventions"]
    assert verdict.verdict("C2").verdict == "not_met"  # a breast cancer drug, not an NMDA blocker


KETAMINE_EMPATHY_RCT = record(
    title=("Effects of a single subanesthetic ketamine infusion on empathy in healthy volunteers: "
           "a randomized, double-blind, placebo-controlled crossover trial"),
    abstract=(
        "Background: Ketamine, an NMDA receptor antagonist, has been proposed to have prosocial "
        "effects. Methods: In this randomized, double-blind, placebo-controlled crossover trial, "
        "40 healthy volunteers received ketamine (0.5 mg/kg over 40 minutes) and saline placebo one "
        "week apart. Cognitive and emotional empathy were assessed with the Multifaceted Empathy "
        "Test and the Interpersonal Reactivity Index, and emotion recognition with a facial emotion "
        "recognition task. Results: Ketamine increased emotional empathy relative to placebo; "
        "cognitive empathy did not differ. Conclusions: Ketamine acutely enhanced emotional empathy "
        "in healthy participants."),
    mesh=["Ketamine/pharmacology", "Empathy/drug effects", "Humans", "Healthy Volunteers", "Cross-Over Studies"],
    publication_types=["Randomized Controlled Trial", "Journal Article"],
)


def test_flagship_protocol_finds_every_criterion_met_in_a_ketamine_empathy_rct(flagship_protocol):
    if not flagship_protocol.exists():
        pytest.skip("the flagship protocol is not in this checkout")
    protocol = load_protocol(flagship_protocol)
    verdict = evaluate_record(protocol, KETAMINE_EMPATHY_RCT)
    assert {c.criterion: c.verdict for c in verdict.criteria} == {c.id: "met" for c in protocol.criteria}
    c3_terms = {s.term for s in verdict.verdict("C3").spans}
    assert "ketamine" in c3_terms
    assert not any(s.negated for s in verdict.verdict("C4").spans)


def test_flagship_protocol_does_not_meet_the_intervention_criterion_for_a_surgery_trial(flagship_protocol):
    if not flagship_protocol.exists():
        pytest.skip("the flagship protocol is not in this checkout")
    protocol = load_protocol(flagship_protocol)
    rec = record(title="Total knee arthroplasty with or without a tourniquet: a randomized trial",
                 abstract="120 patients were randomized. Pain and blood loss were compared at 6 weeks.")
    verdict = evaluate_record(protocol, rec)
    assert verdict.verdict("C3").verdict == "not_met"
    assert verdict.verdict("C4").verdict == "not_met"
    assert verdict.score < evaluate_record(protocol, KETAMINE_EMPATHY_RCT).score


def test_features_form_a_matrix_for_the_ranker(protocol):
    rows = criteria_matrix(protocol, [record(title="Ketamine", abstract="Healthy volunteers, MDD."), record()])
    assert isinstance(rows, np.ndarray) and rows.shape == (2, 3)
    assert rows[1].tolist() == [0.5, 0.5, 0.5]


def test_a_phrase_with_its_own_punctuation_matches_as_written(flagship_protocol):
    if not flagship_protocol.exists():
        pytest.skip("the flagship protocol is not in this checkout")
    protocol = load_protocol(flagship_protocol)
    found = mentions(protocol, record(abstract="Racemic (R,S)-ketamine versus S(+)-ketamine."))
    texts = {(t, term) for t, term, _ in found}
    assert ("R,S)-ketamine", "ketamine") in texts
    assert ("S(+)-ketamine", "esketamine") in texts


def test_a_pharmacological_action_entry_matches_the_record_heading(flagship_protocol):
    # The protocol lists "Excitatory Amino Acid Agonists[pa]" for PubMed; a record indexed with
    # that heading is evidence for the same term.
    protocol = load_protocol(flagship_protocol)
    owners = [(t.id, v) for v, vocabulary in protocol.vocabularies.items() for t in vocabulary.terms
              if "Excitatory Amino Acid Agonists[pa]" in t.mesh]
    assert owners
    _, spans = find_spans(protocol, record(title="x", mesh=["Excitatory Amino Acid Agonists"]))
    assert {(s.vocabulary, s.term) for s in spans if s.field == "mesh"} >= {(v, t) for t, v in owners}
