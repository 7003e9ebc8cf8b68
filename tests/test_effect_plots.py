"""Effect sizes from the statistics stored in evidence files, and the forest plots they give.

The flagship's numbers are checked against hand computations from the stored statistics (the
formulas written out here with math and scipy, not the project's own functions); the paired-t
route is checked against escalc's SMCC from equivalent paired means; bad statistics are refused
with the file and key; and a small project run end to end shows its forest plot in the report.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from scipy import stats

from livingreview.cli import cli
from livingreview.effect_sizes import escalc, smcc_from_t
from livingreview.protocol import load_protocol
from livingreview.synthesis.evidence import EvidenceError, load_evidence_dir, missing_statistics

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "examples" / "glutamate-entactogens"


def hedges_c(m: float) -> float:
    """Hedges' exact small-sample correction, written out independently of the project's code."""
    return math.exp(math.lgamma(m / 2) - math.log(math.sqrt(m / 2)) - math.lgamma((m - 1) / 2))


@pytest.fixture(scope="module")
def flagship_outcomes() -> dict[str, list]:
    protocol = load_protocol(FLAGSHIP / "protocol.toml")
    studies = load_evidence_dir(FLAGSHIP / "evidence", protocol)
    return {study.key: list(study.outcomes) for study in studies}


def test_smcc_from_a_paired_t_equals_escalc_from_the_paired_means() -> None:
    # A paired t of t with n participants is a mean change of t * s / sqrt(n) for change SD s;
    # with sd1 = sd2 = s and r = 0.5 the change SD is s. Any s gives the same SMCC.
    t, n, s = [2.85, -1.2, 0.4], [13, 30, 8], 4.0
    from_t = smcc_from_t(t, n)
    from_means = escalc("SMCC", m1i=[ti * s / math.sqrt(ni) for ti, ni in zip(t, n, strict=True)], m2i=[0.0] * 3,
                        sd1i=[s] * 3, sd2i=[s] * 3, ri=[0.5] * 3, ni=n)
    assert from_t.measure == "SMCC"
    assert list(from_t.yi) == pytest.approx(list(from_means.yi), abs=1e-12)
    assert list(from_t.vi) == pytest.approx(list(from_means.vi), abs=1e-12)


def test_hack_2023_depersonalisation_is_the_smcc_of_its_paired_t(flagship_outcomes: dict[str, list]) -> None:
    (outcome,) = [o for o in flagship_outcomes["hack2023"] if o.effect is not None]
    yi = hedges_c(12) * 2.85 / math.sqrt(13)  # T12 = 2.85, n = 13 (figure 1 legend)
    assert outcome.construct == "self_perception"
    assert outcome.effect.measure == "SMCC" and not outcome.effect.favours_drug
    assert outcome.effect.yi == pytest.approx(yi, abs=1e-12)
    assert outcome.effect.vi == pytest.approx(1 / 13 + yi**2 / 26, abs=1e-12)


def test_minshawi_2016_is_hedges_g_from_the_cochrane_interval_turned_to_favour_the_drug(
        flagship_outcomes: dict[str, list]) -> None:
    (outcome,) = flagship_outcomes["minshawi2016"]
    # MD 3.61 (95% CI -5.6 to 12.82) in SRS change, D-cycloserine minus placebo; 34 and 33 children.
    se = (12.82 - -5.6) / (2 * stats.t.ppf(0.975, 34 + 33 - 2))
    g = hedges_c(65) * (3.61 / se) * math.sqrt(1 / 34 + 1 / 33)
    assert outcome.effect.measure == "SMD" and outcome.effect.favours_drug
    assert outcome.effect.yi == pytest.approx(-g, abs=1e-12)  # a higher SRS is worse: the sign turns
    assert outcome.effect.vi == pytest.approx(1 / 34 + 1 / 33 + g**2 / (2 * 67), abs=1e-12)
    assert "Cochrane" in outcome.effect.caveat


def test_fineberg_2023_is_hedges_g_from_its_f_with_the_caveat_kept(flagship_outcomes: dict[str, list]) -> None:
    (outcome,) = flagship_outcomes["fineberg2023"]
    g = hedges_c(20) * math.sqrt(5.16) * math.sqrt(1 / 10 + 1 / 12)  # F(1, 20.12) = 5.16; 10 and 12
    assert outcome.effect.yi == pytest.approx(g, abs=1e-12)
    assert outcome.effect.vi == pytest.approx(1 / 10 + 1 / 12 + g**2 / 44, abs=1e-12)
    assert "mixed model" in outcome.effect.caveat


def test_a_p_value_without_group_sizes_says_what_is_missing(flagship_outcomes: dict[str, list]) -> None:
    (outcome,) = flagship_outcomes["wink2017"]
    assert outcome.effect is None
    assert outcome.effect_missing == "exact p: needs n1, n2"
    assert missing_statistics({}) == "no statistics in the sources read"


def write_study(folder: Path, key: str, numbers: str, *, decision: str = "include", author: str = "Alpha A") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{key}.toml").write_text(f"""
key = "{key}"
reviewer = "curator"
[citation]
authors = ["{author}"]
year = 2021
title = "A made-up trial {key} of ketamine and emotion recognition"
[screening]
decision = "{decision}"
[extraction]
randomised = "yes"
allocation = "parallel"
blinding = "double-blind"
control = "placebo"
population = ["healthy"]
age_group = "adult"
n_total = 40
drugs = ["ketamine"]
outcome_classes = ["behavioural"]
constructs = ["emotion recognition"]
[[outcomes]]
instrument = "facial emotion recognition task"
construct = "emotion recognition"
class = "behavioural"
direction = "improved"
primary = true
[outcomes.numbers]
{numbers}
""", encoding="utf-8")


@pytest.mark.parametrize(("numbers", "key", "message"), [
    ("q = 0.2", "outcomes.0.numbers.q", "unknown statistic"),
    ("p = 1.5\nn1 = 20\nn2 = 20\ndirection = 1", "outcomes.0.numbers.p", "exact p value lies in (0, 1]"),
    ("t = 2.0\nn1 = 20.5\nn2 = 20", "outcomes.0.numbers.n1", "whole number of participants"),
    ("ci_lb = 3.0\nci_ub = 1.0\nn1 = 20\nn2 = 20", "outcomes.0.numbers.ci_lb", "lower limit must be below"),
    ("f = 4.0\nn1 = 20\nn2 = 20\ndirection = 0", "outcomes.0.numbers.direction", "+1 (drug higher)"),
    ('t = 2.0\nn1 = 20\nn2 = 20\nbetter = "up"', "outcomes.0.numbers.better", "higher or lower"),
    ("f = -4.0\nn1 = 20\nn2 = 20\ndirection = 1", "outcomes.0.numbers", "F statistic cannot be negative"),
])
def test_bad_statistics_are_refused_naming_the_file_and_key(tmp_path: Path, numbers: str, key: str,
                                                            message: str) -> None:
    write_study(tmp_path / "evidence", "bad", numbers)
    with pytest.raises(EvidenceError) as error:
        load_evidence_dir(tmp_path / "evidence", load_protocol(FLAGSHIP / "protocol.toml"))
    (problem,) = error.value.problems
    assert problem[0].endswith("bad.toml") and problem[1] == key and message in problem[2]


def test_a_small_project_shows_its_forest_plot_and_what_the_other_studies_lack(tmp_path: Path) -> None:
    # Made-up statistics for made-up trials: only the path from file to report is under test.
    project = tmp_path / "review"
    project.mkdir()
    shutil.copy(FLAGSHIP / "protocol.toml", project / "protocol.toml")
    write_study(project / "evidence", "alpha", 't = 2.1\nn1 = 20\nn2 = 20\nbetter = "higher"\ncaveat = "made up, = sign kept"',
                author="Alpha A")
    write_study(project / "evidence", "beta", 'p = 0.04\ndesign = "parallel"', author="Beta B")
    result = CliRunner().invoke(cli, ["run", str(project), "--offline", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    synthesis = json.loads((project / "report" / "synthesis" / "synthesis.json").read_text(encoding="utf-8"))
    (plot,) = synthesis["effect_plots"]
    (row,) = plot["studies"]
    g = hedges_c(38) * 2.1 * math.sqrt(1 / 20 + 1 / 20)
    assert (plot["drug"], plot["construct"], row["label"]) == ("ketamine", "emotion recognition", "Alpha 2021")
    assert row["yi"] == pytest.approx(g, abs=1e-12)
    # The statistics went through the ledger as the curator's verified extraction and came back whole.
    assert synthesis["evidence_source"] == "verified extractions"
    assert row["favours_drug"] and row["caveat"] == "made up, = sign kept"
    assert (project / plot["figure"]).read_bytes().startswith(b"\x89PNG")
    page = (project / "report" / "index.html").read_text(encoding="utf-8")
    forest = page[page.index('<section id="forest-plots">'):page.index('<section id="risk-of-bias">')]
    assert forest.count("<img src=\"data:image/png;base64,") == 1
    assert "ketamine: emotion recognition (study estimates, not pooled; 1 included" in forest
    assert "Beta 2021: exact p: needs n1, n2, direction" in forest
    assert "not yet available" not in forest
