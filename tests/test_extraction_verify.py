"""Two extractors in the ledger: accept, correct, undo, conflicts, a lead's resolution, agreement."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from livingreview import Review
from livingreview.cli.extract_commands import extract
from livingreview.errors import BadInput
from livingreview.extraction import verify
from livingreview.extraction.verified import verified_evidence
from livingreview.extraction.verify import FieldRef, VerificationError
from livingreview.store import ledger
from livingreview.store.extractions import SuggestionRow, add_suggestions

ABSTRACT = "In this double-blind crossover trial, 24 healthy adults received ketamine and placebo."


@pytest.fixture
def project(tmp_path: Path, minimal_protocol: Path) -> Path:
    ris = tmp_path / "records.ris"
    ris.write_text(f"TY  - JOUR\nTI  - Ketamine and empathy\nAB  - {ABSTRACT}\nER  - \n", encoding="utf-8")
    with Review.init(tmp_path / "review", minimal_protocol) as review:
        review.import_file(ris)
        review.dedupe()
        study = review.store.records()[0].study_id
        evidence = {"record_id": 1, "field": "abstract", "start": 13, "end": 25, "text": "double-blind"}
        add_suggestions(review.store, [
            SuggestionRow(study, "blinding", {"value": "double-blind", "evidence": [evidence], "flags": []}, 1,
                          "rules/1.0.0"),
            SuggestionRow(study, "n_total", {"value": 24, "evidence": [], "flags": []}, 1, "rules/1.0.0"),
        ])
    return tmp_path / "review"


def test_accept_keeps_the_suggestions_evidence_and_a_correction_keeps_the_old_value(project: Path):
    with Review(project) as review:
        blinding = FieldRef(1, "blinding")
        accepted = verify.accept(review.store, review.protocol, blinding, "ann")
        corrected = verify.correct(review.store, review.protocol, blinding, "ann", "single-blind")
        assert accepted is not None and corrected is not None and corrected.supersedes == accepted.id
        [current] = verify.current_extractions(review.store, "ann")
        assert (current.value, current.action) == ("single-blind", "correct")
        history = ledger.judgements(review.store, verify.ITEM_KIND, verify.STAGE)
        assert [j.id for j in history] == [accepted.id, corrected.id]
        verify.undo(review.store, "ann")
        [back] = verify.current_extractions(review.store, "ann")
        assert back.value == "double-blind" and back.evidence[0]["text"] == "double-blind"


def test_a_value_outside_the_form_is_refused_with_the_allowed_values(project: Path):
    with Review(project) as review, pytest.raises(VerificationError, match="'blindish' is not one of open-label"):
        verify.correct(review.store, review.protocol, FieldRef(1, "blinding"), "ann", "blindish")
    with Review(project) as review, pytest.raises(VerificationError, match="expected a whole number"):
        verify.correct(review.store, review.protocol, FieldRef(1, "n_total"), "ann", "about twenty")


def test_two_extractors_conflict_until_a_lead_resolves(project: Path):
    with Review(project) as review:
        for reviewer in ("ann", "bob"):
            verify.accept(review.store, review.protocol, FieldRef(1, "n_total"), reviewer)
        verify.accept(review.store, review.protocol, FieldRef(1, "blinding"), "ann")
        verify.correct(review.store, review.protocol, FieldRef(1, "blinding"), "bob", "open-label")
        [conflict] = verify.conflicts(review.store)
        assert conflict.ref.label == "blinding" and conflict.values == {"ann": "double-blind", "bob": "open-label"}
        assert FieldRef(1, "blinding") not in verify.verified(review.store)[1]
        assert verify.verified(review.store)[1][FieldRef(1, "n_total")] == 24
        agreement = {a.field: a for a in verify.agreement(review.store, review.protocol)}
        assert agreement["blinding"].percent_agreement == 0 and agreement["n_total"].percent_agreement == 1
    result = CliRunner().invoke(extract, [str(project), "--resolve", "1", "blinding", "double-blind",
                                          "--reviewer", "lead", "--json"])
    assert result.exit_code == 0, result.output
    with Review(project) as review:
        assert verify.conflicts(review.store) == []
        assert verify.verified(review.store)[1][FieldRef(1, "blinding")] == "double-blind"
        assert verify.resolve(review.store, review.protocol, 1, "blinding", "double-blind", "lead") is None


def test_conflicts_json_lists_values_and_agreement(project: Path):
    with Review(project) as review:
        verify.correct(review.store, review.protocol, FieldRef(1, "n_total"), "ann", "24")
        verify.correct(review.store, review.protocol, FieldRef(1, "n_total"), "bob", "25")
    result = CliRunner().invoke(extract, [str(project), "--conflicts", "--json"])
    assert result.exit_code == 0, result.output
    assert '"values": {"ann": 24, "bob": 25}' in result.output


def test_resolving_a_field_no_one_extracted_is_refused(project: Path):
    with Review(project) as review, pytest.raises(VerificationError, match="nothing to resolve"):
        verify.resolve(review.store, review.protocol, 1, "blinding", "open-label", "lead")


def test_synthesis_refuses_while_extractors_disagree(project: Path):
    with Review(project) as review:
        verify.correct(review.store, review.protocol, FieldRef(1, "n_total"), "ann", "24")
        verify.correct(review.store, review.protocol, FieldRef(1, "n_total"), "bob", "25")
        with pytest.raises(BadInput, match=r"1 extraction conflicts are unresolved \(study 1 n_total\)"):
            verified_evidence(review.store, review.protocol, review.screening)
