"""Evidence loading, the evidence map, vote counting by direction (the 70% rule, sign tests) and the
map, effect-direction and harvest figures."""

from __future__ import annotations

import csv
import json
import math
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT
from scipy.stats import binomtest

from livingreview.protocol import Protocol, load_protocol
from livingreview.synthesis.effect_direction import (
    domain_direction,
    effect_direction_table,
    overall_direction,
    sign_test,
)
from livingreview.synthesis.evidence import (
    EvidenceError,
    OutcomeEvidence,
    StudyEvidence,
    load_evidence_dir,
    merge_companion_reports,
    select_studies,
)
from livingreview.synthesis.evidence_map import build_evidence_map
from livingreview.synthesis.narrative import synthesize_evidence
from livingreview.synthesis.plots_map import (
    ARROW_GID,
    BAR_GID,
    CELL_GID,
    effect_direction_plot,
    evidence_map_plot,
    harvest_plot,
    save_figure,
)

EVIDENCE = ROOT / "examples" / "glutamate-entactogens" / "evidence"


def outcome(construct: str = "empathy", direction: str | None = "improved",
            outcome_class: str = "self-report") -> OutcomeEvidence:
    return OutcomeEvidence(construct=construct, outcome_class=outcome_class,
                           direction=direction, primary=None)  # type: ignore[arg-type]


def study(key: str, *outcomes: OutcomeEvidence, drugs: tuple[str, ...] = ("ketamine",), n: int | None = 20,
          decision: str = "include", randomised: str = "yes", label: str | None = None,
          registrations: tuple[str, ...] = ()) -> StudyEvidence:
    return StudyEvidence(key=key, label=label or key.title(), decision=decision, drugs=drugs, population=("healthy",),
                         randomised=randomised, allocation="crossover", blinding="double-blind", control="placebo",
                         n_total=n, outcomes=outcomes, registrations=registrations)


@pytest.fixture(scope="module")
def flagship() -> Protocol:
    return load_protocol(ROOT / "examples" / "glutamate-entactogens" / "protocol.toml")


# --- the 70% rule --------------------------------------------------------------------------------

@pytest.mark.parametrize(("directions", "expected"), [
    (["improved"] * 7 + ["worsened"] * 3, "improved"),  # exactly 70%
    (["improved"] * 6 + ["worsened"] * 4, "mixed"),  # 60%
    (["improved", "improved", "no difference"], "mixed"),  # 66.7% falls short
    (["improved"] * 3 + ["mixed"], "improved"),  # 75%; a mixed outcome is just not improved
    (["no difference"] * 7 + ["improved"] * 3, "no difference"),
    (["worsened", "worsened", "worsened", None, None], "worsened"),  # outcomes with no direction are left out
    (["mixed", "mixed", "mixed", "improved"], "mixed"),
    ([None, None], None),
    ([], None),
])
def test_a_domain_takes_the_direction_of_at_least_70_percent_of_its_outcomes(directions, expected) -> None:
    assert domain_direction(directions) == expected


def test_a_study_overall_direction_pools_its_outcomes_across_constructs() -> None:
    mixed = study("a", outcome("empathy", "improved"), outcome("trust", "worsened"))
    agreeing = study("b", outcome("empathy", "improved"), outcome("trust", "improved"), outcome("trust", "improved"))
    assert overall_direction(mixed) == "mixed"
    assert overall_direction(agreeing) == "improved"


# --- sign test -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("improved", "worsened"), [(6, 0), (5, 0), (5, 3), (0, 1), (9, 1), (3, 7), (12, 4)])
def test_sign_test_equals_scipy_binomtest_and_the_exact_binomial_sum(improved: int, worsened: int) -> None:
    test = sign_test(["improved"] * improved + ["worsened"] * worsened)
    n = improved + worsened
    reference = binomtest(improved, n, 0.5, alternative="two-sided").pvalue
    # Independent check: two-sided exact test for p = 0.5 doubles the smaller tail, capped at 1.
    tail = sum(math.comb(n, i) for i in range(min(improved, worsened) + 1)) / 2**n
    assert test.p_value == pytest.approx(reference, rel=1e-12)
    assert test.p_value == pytest.approx(min(1.0, 2 * tail), rel=1e-12)


def test_sign_test_leaves_no_difference_and_mixed_out_and_counts_them_apart() -> None:
    test = sign_test(["improved"] * 6 + ["no difference"] * 3 + ["mixed"] * 2 + [None])
    assert (test.improved, test.worsened, test.not_counted) == (6, 0, 5)
    assert test.p_value == pytest.approx(0.03125)
    assert "5 with no difference or mixed not counted" in test.text()


def test_sign_test_without_signed_studies_has_no_p_value() -> None:
    test = sign_test(["no difference", "mixed"])
    assert test.p_value is None
    assert "not possible" in test.text()


# --- evidence map --------------------------------------------------------------------------------

def test_map_cell_counts_each_study_once_with_its_participants_and_direction() -> None:
    studies = [
        # two outcomes in one cell: one study, N once, direction by the 70% rule (1 of 2 -> mixed)
        study("a", outcome("empathy", "improved"), outcome("empathy", "worsened"), n=30),
        study("b", outcome("empathy", "improved"), n=50),
        study("c", outcome("empathy", "no difference"), n=None),
        study("d", outcome("empathy", None), n=10),
        study("e", outcome("empathy", "improved", "neuroimaging"), n=12),
        study("f", outcome("empathy", "improved"), drugs=("memantine",), n=40),
    ]
    emap = build_evidence_map(studies, drug_order=["ketamine", "memantine"])
    cell = emap.cell("ketamine", "empathy", "self-report")
    assert cell is not None
    assert cell.studies == ("a", "b", "c", "d")
    assert (cell.k, cell.participants, cell.without_n) == (4, 90, 1)
    assert cell.directions == {"mixed": 1, "improved": 1, "no difference": 1}
    assert cell.without_direction == 1
    assert cell.share_improved == pytest.approx(1 / 3)
    assert cell.net_direction == pytest.approx(1 / 3)
    assert emap.cell("ketamine", "empathy", "neuroimaging").participants == 12  # type: ignore[union-attr]
    assert emap.cell("memantine", "empathy", "self-report").k == 1  # type: ignore[union-attr]
    assert emap.drugs == ("ketamine", "memantine")
    assert emap.outcome_classes == ("self-report", "neuroimaging")  # the class order, only those used


def test_map_counts_included_studies_and_maybe_only_when_asked() -> None:
    studies = [study("a", outcome()), study("b", outcome(), decision="maybe"),
               study("c", outcome(), decision="exclude")]
    assert build_evidence_map(studies).cell("ketamine", "empathy", "self-report").k == 1  # type: ignore[union-attr]
    with_maybe = build_evidence_map(studies, include_maybe=True)
    assert with_maybe.cell("ketamine", "empathy", "self-report").studies == ("a", "b")  # type: ignore[union-attr]
    assert [s.key for s in select_studies(studies, include_maybe=True)] == ["a", "b"]


def test_a_study_of_two_drugs_counts_in_each_drug_row() -> None:
    emap = build_evidence_map([study("a", outcome(), drugs=("ketamine", "memantine"), n=25)])
    assert {key[0] for key in emap.cells} == {"ketamine", "memantine"}
    assert all(cell.participants == 25 for cell in emap.cells.values())


def test_companion_reports_sharing_a_registration_are_one_study_with_one_vote() -> None:
    reports = [
        study("main", outcome("empathy", "no difference"), n=None, registrations=("NCT01086475",)),
        study("followup", outcome("empathy", "improved"), n=60, randomised="not-stated",
              registrations=("nct01086475", "NCT09999999")),
        study("third", outcome("empathy", "improved"), n=40, registrations=("NCT09999999",)),  # linked via followup
        study("alone", outcome("empathy", "improved"), n=10),
    ]
    merged = merge_companion_reports(reports)
    assert [s.key for s in merged] == ["followup+main+third", "alone"]
    trial = merged[0]
    assert trial.reports == ("followup", "main", "third")
    assert trial.label == "Followup + Main + Third"
    assert (trial.n_total, trial.randomised, len(trial.outcomes)) == (60, "yes", 3)
    cell = build_evidence_map(reports).cell("ketamine", "empathy", "self-report")
    assert cell is not None and cell.k == 2 and cell.participants == 70
    # The trial's outcomes, 2 of 3 improved, fall below 70%: one mixed vote, not two improved and a null.
    assert cell.directions == {"mixed": 1, "improved": 1}


# --- effect direction table ----------------------------------------------------------------------

def test_effect_direction_rows_are_grouped_by_drug_with_a_sign_test_per_construct() -> None:
    studies = [
        study("a", outcome("empathy", "improved"), outcome("trust", "worsened")),
        study("b", outcome("empathy", "improved")),
        study("c", outcome("empathy", "no difference")),
        study("d", outcome("trust", "improved"), drugs=("memantine",)),
    ]
    table = effect_direction_table(studies, drug_order=["memantine", "ketamine"], construct_order=["trust", "empathy"])
    assert table.drugs == ("memantine", "ketamine")
    assert table.constructs == ("trust", "empathy")
    assert [(r.drug, r.study.key) for r in table.rows] == [("memantine", "d"), ("ketamine", "a"), ("ketamine", "b"),
                                                            ("ketamine", "c")]
    empathy = table.tests[("ketamine", "empathy")]
    assert (empathy.improved, empathy.worsened, empathy.not_counted) == (2, 0, 1)
    assert empathy.p_value == pytest.approx(0.5)
    assert ("memantine", "empathy") not in table.tests
    json.dumps(table.to_dict())


# --- loading the flagship evidence ---------------------------------------------------------------

def test_every_flagship_evidence_file_loads_with_protocol_term_ids(flagship: Protocol) -> None:
    files = sorted(EVIDENCE.glob("*.toml"))
    studies = load_evidence_dir(EVIDENCE, flagship)
    assert len(studies) == len(files) == 29
    assert [s.key for s in studies] == [f.stem for f in files]
    drug_ids = {t.id for t in flagship.vocabularies["intervention"].terms}
    construct_ids = {t.id for t in flagship.vocabularies["construct"].terms}
    assert all(set(s.drugs) <= drug_ids for s in studies)
    assert all(o.construct in construct_ids for s in studies for o in s.outcomes)
    by_key = {s.key: s for s in studies}
    assert by_key["britton2007"].drugs == ("d_cycloserine",)  # label "D-cycloserine" -> term id
    assert by_key["wink2016"].drugs == ("n_acetylcysteine",)
    assert by_key["hess2024"].label == "Hess 2024"
    assert by_key["hess2024"].n_total == 68
    assert by_key["lundin2021"].registrations == ("NCT00088699",)
    # Each file's counts as its TOML states them.
    for file in files:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
        loaded = by_key[data["key"]]
        assert loaded.decision == data["screening"]["decision"]
        assert len(loaded.outcomes) == len(data.get("outcomes", []))
        assert [o.direction for o in loaded.outcomes] == [o.get("direction") for o in data.get("outcomes", [])]


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


STUDY = """key = "x2020"
[citation]
authors = ["Xu AB"]
year = 2020
[screening]
decision = "include"
[extraction]
randomised = "yes"
allocation = "parallel"
blinding = "double-blind"
control = "placebo"
population = ["healthy"]
n_total = 40
drugs = [{drug}]
[[outcomes]]
construct = {construct}
class = "behavioural"
network = {network}
direction = {direction}
"""


def test_names_match_the_vocabulary_ignoring_case_and_network_may_be_a_list(tmp_path: Path, flagship: Protocol) -> None:
    _write(tmp_path / "ev", "x2020.toml", STUDY.format(drug='"KETAMINE", "Spravato"', construct='"Emotion Recognition"',
                                                     network='["face", "empathy"]', direction='"improved"'))
    (loaded,) = load_evidence_dir(tmp_path / "ev", flagship)
    assert loaded.drugs == ("ketamine", "esketamine")  # a brand name resolves to its term
    assert loaded.outcomes[0].construct == "emotion_recognition"
    assert loaded.outcomes[0].networks == ("face", "empathy")
    assert loaded.label == "Xu 2020"


def test_bad_evidence_is_reported_with_file_and_key_all_at_once(tmp_path: Path, flagship: Protocol) -> None:
    folder = tmp_path / "ev"
    _write(folder, "a.toml", STUDY.format(drug='"aspirin"', construct='"empathy"', network='"face"',
                                          direction='"improved"'))
    _write(folder, "b.toml", STUDY.format(drug='"ketamine"', construct='"telepathy"', network='"face"',
                                          direction='"better"'))
    with pytest.raises(EvidenceError) as caught:
        load_evidence_dir(folder, flagship)
    problems = {(Path(f).name, key) for f, key, _ in caught.value.problems}
    assert problems == {("a.toml", "extraction.drugs[0]"), ("b.toml", "outcomes.0.construct"),
                        ("b.toml", "outcomes.0.direction")}
    assert "'aspirin' is not a drug of the protocol's vocabulary" in str(caught.value)


def test_an_empty_folder_is_an_error(tmp_path: Path, flagship: Protocol) -> None:
    with pytest.raises(EvidenceError, match="no \\*.toml evidence files"):
        load_evidence_dir(tmp_path, flagship)


def test_effect_size_is_computed_when_an_outcome_gives_means_sds_and_sizes(tmp_path: Path, flagship: Protocol) -> None:
    text = STUDY.format(drug='"ketamine"', construct='"empathy"', network='"face"', direction='"improved"')
    text += "[outcomes.numbers]\nm1 = 12.0\nsd1 = 4.0\nn1 = 20\nm2 = 10.0\nsd2 = 4.0\nn2 = 20\n"
    _write(tmp_path / "ev", "x2020.toml", text)
    effect = load_evidence_dir(tmp_path / "ev", flagship)[0].outcomes[0].effect
    assert effect is not None and effect.measure == "SMD"
    # Hedges' g = d * J with d = 0.5 and J = 1 - 3 / (4 * 38 - 1) (close to metafor's exact gamma form).
    assert effect.yi == pytest.approx(0.5 * (1 - 3 / (4 * 38 - 1)), rel=1e-3)


# --- figures -------------------------------------------------------------------------------------

def _gids(figure, gid: str) -> list:  # type: ignore[no-untyped-def]
    return [a for axes in figure.axes for a in (*axes.patches, *axes.texts) if a.get_gid() == gid]


def test_evidence_map_draws_one_coloured_cell_per_filled_cell_with_k_and_n() -> None:
    studies = [study("a", outcome("empathy", "improved"), n=30), study("b", outcome("empathy", "worsened"), n=20),
               study("c", outcome("trust", "improved", "neuroimaging"), n=None)]
    emap = build_evidence_map(studies)
    figure = evidence_map_plot(emap, {"ketamine": "Ketamine"}, {"empathy": "Empathy", "trust": "Trust"})
    assert len(_gids(figure, CELL_GID)) == len(emap.cells) == 2
    panels = [axes for axes in figure.axes if axes.get_title()]
    assert [axes.get_title() for axes in panels] == ["self-report", "neuroimaging"]
    texts = [t.get_text() for axes in panels for t in axes.texts]
    assert "k=2\nN=50\n1\u25b2 1\u25bc" in texts
    assert "k=1\nN not reported\n1\u25b2" in texts
    assert [t.get_text() for t in panels[0].get_yticklabels()] == ["Ketamine"]


def test_effect_direction_plot_has_an_arrow_per_study_and_construct_sized_by_n() -> None:
    studies = [study("small", outcome("empathy", "improved"), n=20),
               study("large", outcome("empathy", "worsened"), outcome("trust", "no difference"), n=400),
               study("unknown", outcome("empathy", None), n=100)]
    table = effect_direction_table(studies)
    arrows = _gids(effect_direction_plot(table), ARROW_GID)
    assert sorted((a.get_text(), a.get_fontsize()) for a in arrows) == sorted(
        [("\u25b2", 9.0), ("\u25bc", 17.0), ("\u25c4\u25ba", 17.0)])
    texts = [t.get_text() for t in effect_direction_plot(table).axes[0].texts]
    assert "1\u25b2 1\u25bc p=1" in texts  # the empathy sign test under ketamine


def test_harvest_plot_has_a_bar_per_study_in_its_direction_column_with_design_height() -> None:
    uncontrolled = StudyEvidence(key="u", label="U", decision="include", drugs=("ketamine",), population=(),
                                 randomised="no", allocation="single-group", blinding="open-label", control="none",
                                 n_total=10, outcomes=(outcome("empathy", "improved"),))
    studies = [study("r", outcome("empathy", "improved")), uncontrolled, study("w", outcome("empathy", "mixed"))]
    figure = harvest_plot(effect_direction_table(studies))
    columns = {axes.get_title(): axes for axes in figure.axes if axes.get_title()}
    improved = [p.get_height() for p in columns["improved"].patches if p.get_gid() == BAR_GID]
    middle = [p for p in columns["no difference or mixed"].patches if p.get_gid() == BAR_GID]
    assert sorted(improved) == [1, 3]
    assert len(middle) == 1 and middle[0].get_hatch() == "//"


def test_labels_from_records_are_cleaned_before_drawing() -> None:
    hostile = study("h", outcome(), label="Evil\x1b[2J $x^2$ " + "y" * 60)
    figure = effect_direction_plot(effect_direction_table([hostile]))
    (label,) = [t.get_text() for t in figure.axes[0].texts if t.get_text().startswith("Evil")]
    assert "\x1b" not in label and r"\$x" in label  # no control character; $ cannot start mathtext
    assert len(label.replace("\\$", "$")) <= 24 and label.endswith("\u2026")


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_figures_are_written_as_png_and_svg(tmp_path: Path, suffix: str) -> None:
    path = save_figure(harvest_plot(effect_direction_table([study("a", outcome())])), tmp_path / f"h{suffix}")
    head = path.read_bytes()[:2000]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in head


def test_synthesize_evidence_writes_figures_and_tables_for_the_flagship(tmp_path: Path, flagship: Protocol) -> None:
    studies = load_evidence_dir(EVIDENCE, flagship)
    result = synthesize_evidence(studies, flagship, tmp_path / "out")
    for paths in result.figures.values():
        assert [p.suffix for p in paths] == [".png", ".svg"] and all(p.stat().st_size > 1000 for p in paths)
    included = [s for s in studies if s.decision == "include"]
    with result.tables["evidence_map"].open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {key for row in rows for key in row["studies"].split("; ")} == {s.key for s in included if s.outcomes}
    payload = json.loads(json.dumps(result.to_dict()))
    assert payload["include_maybe"] is False
    drugs = [c.evidence.label for c in result.conclusions.conclusions]
    assert [row["drug"] for row in payload["conclusion_table"]] == drugs
    second = synthesize_evidence(studies, flagship, tmp_path / "again")
    svg = "effect_direction.svg"
    assert (tmp_path / "out" / svg).read_bytes() == (tmp_path / "again" / svg).read_bytes()
    assert second.to_dict()["conclusion_table"] == payload["conclusion_table"]


def test_tables_neutralise_spreadsheet_formulas(tmp_path: Path, minimal_protocol: Path) -> None:
    protocol = load_protocol(minimal_protocol)
    result = synthesize_evidence([study("a", outcome(), label="=HYPERLINK(1)")], protocol, tmp_path)
    text = result.tables["conclusions"].read_text(encoding="utf-8")
    assert "'=HYPERLINK(1) [a]" in text
