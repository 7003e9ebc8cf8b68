"""Suggestions from a ClinicalTrials.gov record and a JATS full text, and `extract --auto` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import fixture_path
from livingreview import Review
from livingreview.cli import cli
from livingreview.extraction.jats import jats_passages
from livingreview.extraction.service import suggest_study
from livingreview.importers.ctgov import parse_ctgov_study
from livingreview.protocol import load_protocol
from livingreview.store.extractions import current_suggestions


@pytest.mark.realdata
def test_registry_fields_come_from_the_study_json_with_their_paths(minimal_protocol: Path) -> None:
    study = json.loads(fixture_path("ctgov", "NCT02513394.json").read_text(encoding="utf-8"))
    record = parse_ctgov_study(study)
    record.id = 3
    result = suggest_study(load_protocol(minimal_protocol), [record])
    fields = result.fields
    assert fields["randomised"].value == "yes"
    assert fields["randomised"].evidence[0].field == "registry:protocolSection.designModule.designInfo.allocation"
    assert fields["allocation"].value == "parallel"
    assert fields["blinding"].value == "open-label"  # masking NONE
    assert fields["n_total"].value == study["protocolSection"]["designModule"]["enrollmentInfo"]["count"]
    assert fields["n_total"].flags == []  # an ACTUAL enrolment, not an estimate
    assert "palbociclib" in fields["drugs"].value
    primary = result.outcomes[0]
    assert primary["role"].value == "primary"
    assert primary["timepoint"].value == "4 years"
    analysis = [n for n in primary["numbers"].value if n.get("p") is not None][0]
    assert analysis["p"] == "0.65"
    assert primary["direction"].value == "no difference"
    assert primary["direction"].flags == ["from the posted p value, not from a result sentence"]


@pytest.mark.realdata
def test_jats_sections_are_passages_whose_spans_point_into_the_section_text(minimal_protocol: Path) -> None:
    path = fixture_path("fulltext", "pone.0000217.nxml")
    passages = jats_passages(path, 5)
    assert passages[0].field == "jats:title"
    assert any(p.field == "jats:abstract" for p in passages)
    assert len({p.field for p in passages}) == len(passages)
    result = suggest_study(load_protocol(minimal_protocol), [_record_with_id(5)], {5: path})
    by_field = {p.field: p.text for p in passages}
    cited = [e for s in result.fields.values() for e in s.evidence]
    assert cited, "a full text yields at least one suggestion"
    for evidence in cited:
        assert by_field[evidence.field][evidence.start:evidence.end] == evidence.text


def _record_with_id(record_id: int):
    from livingreview.records import Record

    return Record(source="pubmed", raw="", title="held as full text", id=record_id)


@pytest.mark.realdata
def test_extract_auto_prints_included_studies_and_stores_their_suggestions(tmp_path: Path, minimal_protocol: Path) -> None:
    directory = tmp_path / "review"
    with Review.init(directory, minimal_protocol) as review:
        review.import_file(fixture_path("ctgov", "NCT02513394.json"))
        review.import_file(fixture_path("pubmed", "pubmed-29768149.xml"))
        review.dedupe()
        records = review.screening.units()
        review.screening.decide("title_abstract", records[0], "ana", "include")
        review.screening.decide("title_abstract", records[1], "ana", "exclude", reason="C1")
    result = CliRunner().invoke(cli, ["extract", str(directory), "--auto", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert [s["record_id"] for s in payload["studies"]] == [records[0]]
    study = payload["studies"][0]
    assert study["source_id"] == "NCT02513394"
    assert study["fields"]["randomised"]["value"] == "yes"
    assert study["fields"]["randomised"]["evidence"][0]["extractor"] == "rules"
    assert payload["stored_rows"] > 0
    with Review(directory) as review:
        stored = current_suggestions(review.store, study["study_id"])
        assert stored["randomised"]["value"] == "yes"
        assert stored["n_total"] == study["fields"]["n_total"]

    every = json.loads(CliRunner().invoke(cli, ["extract", str(directory), "--auto", "--all", "--json"]).output)
    assert sorted(s["record_id"] for s in every["studies"]) == sorted(records)
    assert {s["source_id"] for s in every["studies"]} == {"NCT02513394", "29768149"}
