"""Curated evidence files loaded as a named reviewer's extraction, and synthesis reading it."""

from __future__ import annotations

import json
import re
import tomllib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from livingreview import Review
from livingreview.cli import cli
from livingreview.extraction import verify
from livingreview.extraction.curated import CuratedError, citations_as_ris, load_curated
from livingreview.synthesis.evidence import load_evidence_dir
from livingreview.synthesis.service import evidence_source

EVIDENCE = Path(__file__).resolve().parents[1] / "examples" / "glutamate-entactogens" / "evidence"


@pytest.fixture(scope="module")
def flagship(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A flagship project whose records are the evidence files' citations (no abstracts)."""
    root = tmp_path_factory.mktemp("flagship")
    ris = root / "citations.ris"
    ris.write_text(citations_as_ris(EVIDENCE), encoding="utf-8")
    protocol = EVIDENCE.parent / "protocol.toml"
    with Review.init(root / "review", protocol) as review:
        review.import_file(ris)
        review.dedupe()
        result = load_curated(review.store, review.protocol, review.screening, EVIDENCE, "curator")
    (root / "first_load.json").write_text(json.dumps(result.to_json()), encoding="utf-8")
    return root


def test_citations_as_ris_writes_every_file_and_no_abstract():
    ris = citations_as_ris(EVIDENCE)
    assert ris.count("TY  - JOUR") == len(list(EVIDENCE.glob("*.toml"))) == 29
    assert "\nAB  - " not in ris and "ID  - hess2024\n" in ris
    assert "DO  - 10.1176/appi.ajp.20230980\n" in ris and "AN  - 38982828\n" in ris


def test_every_file_with_an_identifier_or_title_loads_and_the_rest_is_reported(flagship: Path):
    loaded = json.loads((flagship / "first_load.json").read_text())
    assert loaded["reviewer"] == "curator"
    # urbano2014 cites neither title, DOI nor PMID: it is found by its PMCID.
    assert loaded["unmatched"] == [] and loaded["ungrouped"] == {}
    assert len(loaded["matched"]) == 29 and "urbano2014" in loaded["matched"]
    assert loaded["recorded"] > 29 * 8


def test_loading_again_records_nothing(flagship: Path):
    with Review(flagship / "review") as review:
        before = len(verify.current_extractions(review.store))
        again = load_curated(review.store, review.protocol, review.screening, EVIDENCE)
        assert again.recorded == 0 and again.screening_recorded == 0 and again.unchanged > 0
        assert len(verify.current_extractions(review.store)) == before


def test_a_loaded_value_keeps_where_the_curator_read_it(flagship: Path):
    loaded = json.loads((flagship / "first_load.json").read_text())
    with Review(flagship / "review") as review:
        hess = [e for e in verify.current_extractions(review.store, "curator")
                if e.ref.study_id == loaded["matched"]["hess2024"]]
    fields = {e.ref.label: e for e in hess}
    written = tomllib.loads((EVIDENCE / "hess2024.toml").read_text(encoding="utf-8"))
    assert fields["allocation"].value == written["extraction"]["allocation"]
    assert fields["drugs"].value == written["extraction"]["drugs"] == ["ketamine"]
    assert fields["allocation"].action == "curated"
    assert fields["allocation"].evidence[0]["file"] == "hess2024.toml"
    assert fields["outcomes[0].construct"].value == written["outcomes"][0]["construct"]


def test_synthesis_reads_the_loaded_extraction_as_it_reads_the_files(flagship: Path):
    loaded = json.loads((flagship / "first_load.json").read_text())
    with Review(flagship / "review") as review:
        result = review.synthesize()
        studies = evidence_source(review.directory, review.protocol, review.store).studies
        files = {s.key: s for s in load_evidence_dir(EVIDENCE, review.protocol)}
    assert result.source == "verified extractions"
    assert len(studies) == 29
    by_study = {f"study{study_id}": key for key, study_id in loaded["matched"].items()}
    for study in studies:
        twin = files[by_study[study.key]]
        assert (study.decision, study.drugs, study.randomised, study.allocation, study.blinding, study.control,
                study.n_total, study.population) == (
            twin.decision, twin.drugs, twin.randomised, twin.allocation, twin.blinding, twin.control,
            twin.n_total, twin.population), twin.key
        assert [(o.construct, o.outcome_class, o.direction, o.primary, o.instrument, o.networks, o.effect)
                for o in study.outcomes] == [
            (o.construct, o.outcome_class, o.direction, o.primary, o.instrument, o.networks, o.effect)
            for o in twin.outcomes], twin.key
    assert sum(s.decision == "include" for s in studies) == sum(
        files[key].decision == "include" for key in loaded["matched"])


def test_files_of_another_reviewer_are_refused(tmp_path: Path, flagship: Path):
    with Review(flagship / "review") as review, pytest.raises(CuratedError, match="extraction of curator"):
        load_curated(review.store, review.protocol, review.screening, EVIDENCE, "someone-else")


def test_a_value_outside_the_form_names_the_file(tmp_path: Path, flagship: Path):
    folder = tmp_path / "evidence"
    folder.mkdir()
    text = (EVIDENCE / "hess2024.toml").read_text(encoding="utf-8")
    (folder / "hess2024.toml").write_text(re.sub(r'(?m)^allocation = ".*"$', 'allocation = "zigzag"', text),
                                          encoding="utf-8")
    shutil.copy(EVIDENCE / "README.md", folder / "README.md")
    with Review(flagship / "review") as review, pytest.raises(CuratedError, match=r"hess2024.toml.*'zigzag'"):
        load_curated(review.store, review.protocol, review.screening, folder)


def test_extract_curated_on_the_command_line_loads_and_reports_json(tmp_path: Path):
    ris = tmp_path / "citations.ris"
    ris.write_text(citations_as_ris(EVIDENCE), encoding="utf-8")
    with Review.init(tmp_path / "review", EVIDENCE.parent / "protocol.toml") as review:
        review.import_file(ris)
    runner = CliRunner()
    ungrouped = runner.invoke(cli, ["extract", str(tmp_path / "review"), "--curated", str(EVIDENCE), "--json"])
    assert ungrouped.exit_code == 0, ungrouped.output
    assert len(json.loads(ungrouped.output)["ungrouped"]) == 29  # dedupe has not grouped them yet
    assert runner.invoke(cli, ["dedupe", str(tmp_path / "review")]).exit_code == 0
    result = runner.invoke(cli, ["extract", str(tmp_path / "review"), "--curated", str(EVIDENCE),
                                 "--reviewer", "curator", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert len(payload["matched"]) == 29 and payload["unmatched"] == []
    both = runner.invoke(cli, ["extract", str(tmp_path / "review"), "--conflicts", "--auto"])
    assert both.exit_code == 2 and "choose one of --auto, --conflicts" in both.output


def test_a_file_matching_no_record_is_reported_not_dropped(tmp_path: Path, flagship: Path):
    folder = tmp_path / "evidence"
    folder.mkdir()
    text = (EVIDENCE / "urbano2014.toml").read_text(encoding="utf-8")
    (folder / "urbano2014.toml").write_text(re.sub(r'(?m)^pmcid = ".*"\n', "", text), encoding="utf-8")
    with Review(flagship / "review") as review:
        result = load_curated(review.store, review.protocol, review.screening, folder)
    assert result.unmatched == ["urbano2014"] and result.matched == {} and result.recorded == 0


def test_curated_without_a_folder_reads_the_projects_evidence_folder(flagship: Path):
    shutil.copytree(EVIDENCE, flagship / "review" / "evidence", dirs_exist_ok=True)
    result = CliRunner().invoke(cli, ["extract", str(flagship / "review"), "--curated", "--reviewer", "curator",
                                      "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["folder"] == str(flagship / "review" / "evidence")
    assert len(payload["matched"]) == 29 and payload["recorded"] == 0
