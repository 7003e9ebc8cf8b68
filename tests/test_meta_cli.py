"""`livingreview meta`: a metafor-ready CSV in, metafor's numbers out (JSON, table, plots)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_meta_analysis_metafor import CASES, SAMPLE

from livingreview.cli import cli
from livingreview.cli.meta_commands import TableError

JSON_KEYS = {"estimate", "se", "zval", "pval", "ci_lb", "ci_ub", "pi_lb", "pi_ub", "tau2", "tau2_ci_lb",
             "tau2_ci_ub", "i2", "h2", "q", "q_pval", "k"}


def _write_design(tmp_path: Path, design: str) -> Path:
    """The reference design as an escalc-named table (yi, vi, mod1, mod2), written to a temp folder."""
    path = tmp_path / f"{design}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["study", "yi", "vi", "mod1", "mod2"])
        for number, row in enumerate(SAMPLE[design], start=1):
            writer.writerow([f"Trial {number}", row["y"], row["v"], row["mod1"], row["mod2"]])
    return path


def _case(design: str, model: str, method: str, test: str) -> dict[str, Any]:
    return next(c for c in CASES if (c["design"], c["model"], c["method"], c["test"]) == (design, model, method, test))


def _meta(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["meta", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(("method", "test"), [("REML", "z"), ("DL", "knha"), ("FE", "z")])
def test_json_has_exactly_the_documented_keys_and_metafors_numbers(tmp_path: Path, method: str, test: str):
    table = _write_design(tmp_path, "moderate_k20")
    payload = _meta(str(table), "--measure", "GEN", "--method", method, "--test", test)
    reference = _case("moderate_k20", "intercept", method, test)
    assert set(payload) == JSON_KEYS
    assert payload["k"] == 20
    for ours, theirs in [("estimate", "beta"), ("se", "se"), ("pval", "pval"), ("ci_lb", "ci_lb"),
                         ("ci_ub", "ci_ub")]:
        assert payload[ours] == pytest.approx(reference[theirs][0], rel=1e-5)
    for ours, theirs in [("tau2", "tau2"), ("q", "QE"), ("q_pval", "QEp"), ("i2", "I2"), ("h2", "H2"),
                         ("tau2_ci_lb", "tau2_ci_lb"), ("tau2_ci_ub", "tau2_ci_ub")]:
        expected = reference[theirs]
        assert payload[ours] == (None if expected is None else pytest.approx(expected, rel=1e-5, abs=1e-12))


def test_moderators_add_their_rows_and_the_intercept_matches_metafors_meta_regression(tmp_path: Path):
    table = _write_design(tmp_path, "extreme_k10")
    payload = _meta(str(table), "--mods", "mod1", "--mods", "mod2")
    reference = _case("extreme_k10", "two", "REML", "z")
    assert payload["estimate"] == pytest.approx(reference["beta"][0], rel=1e-5)
    assert [row["name"] for row in payload["moderators"]] == ["mod1", "mod2"]
    assert [row["estimate"] for row in payload["moderators"]] == pytest.approx(reference["beta"][1:], rel=1e-5)
    assert payload["tau2"] == pytest.approx(reference["tau2"], rel=1e-5)
    assert "qm" in payload and 0 <= payload["qm_pval"] <= 1


def test_raw_two_by_two_columns_give_the_same_fit_as_escalcs_yi_and_vi(tmp_path: Path):
    from livingreview.effect_sizes import escalc

    cells = {"ai": [4, 6, 3, 62, 33], "bi": [119, 300, 228, 13536, 5036],
             "ci": [11, 29, 11, 248, 47], "di": [128, 274, 209, 12619, 5761]}
    raw = tmp_path / "raw.csv"
    raw.write_text("ai,bi,ci,di\n" + "".join(f"{a},{b},{c},{d}\n" for a, b, c, d in zip(*cells.values())),
                   encoding="utf-8")
    effect = escalc("RR", **cells)
    given = tmp_path / "given.csv"
    given.write_text("yi,vi\n" + "".join(f"{float(y)!r},{float(v)!r}\n" for y, v in zip(effect.yi, effect.vi)), encoding="utf-8")
    assert _meta(str(raw), "--measure", "RR") == pytest.approx(_meta(str(given), "--measure", "GEN"))


def test_rows_without_a_computable_effect_are_left_out_with_the_line_named(tmp_path: Path):
    table = tmp_path / "gaps.csv"
    table.write_text("yi,vi\n0.1,0.02\n,0.03\n0.4,0.05\n0.2,0.04\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["meta", str(table), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["k"] == 3
    assert "line 3 left out" in result.stderr


def test_out_writes_the_forest_plot_as_png_and_svg(tmp_path: Path):
    table = _write_design(tmp_path, "moderate_k20")
    out = tmp_path / "figures"
    result = CliRunner().invoke(cli, ["meta", str(table), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "moderate_k20-forest.png").stat().st_size > 10_000
    assert "Trial 20" in (out / "moderate_k20-forest.svg").read_text(encoding="utf-8")
    assert (out / "moderate_k20-funnel.png").exists()
    assert "tau²" in result.stdout and "Q-profile" in result.stdout


@pytest.mark.parametrize(("content", "args", "message"), [
    ("yi,vi\n0.1,0.02\n0.2,abc\n", (), "line 3, column vi: 'abc' is not a number"),
    ("yi,vi\n0.1,0.02\n0.2,0.1,7\n", (), "line 3: 3 fields, but the header has 2"),
    ("yi,vi\n0.1,0.02\n0.2,-0.1\n", (), "line 3, column vi: -0.1 is not a positive variance"),
    ("effect,var\n0.1,0.02\n", (), "--measure GEN needs columns yi and vi; missing yi, vi"),
    ("yi,vi\n0.1,0.02\n0.3,0.01\n", ("--mods", "dose"), "--mods column dose is not in the header"),
    ("yi,vi\n", (), "no study rows"),
    ("yi,vi\n0.1,0.02\n", ("--measure", "SMD"), "needs escalc's columns"),
])
def test_bad_tables_are_refused_naming_file_and_line(tmp_path: Path, content: str, args: tuple[str, ...],
                                                     message: str):
    table = tmp_path / "bad.csv"
    table.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["meta", str(table), *args])
    assert isinstance(result.exception, TableError)
    assert message in str(result.exception) and str(table) in str(result.exception)


def test_a_bad_table_exits_1_with_the_error_on_stderr(tmp_path: Path):
    table = tmp_path / "bad.csv"
    table.write_text("yi,vi\n0.1,x\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "livingreview", "meta", str(table)], capture_output=True, text=True)
    assert done.returncode == 1
    assert "line 2, column vi" in done.stderr and done.stdout == ""


def test_loading_the_cli_does_not_load_the_plotting_or_synthesis_code():
    code = ("import sys, livingreview.cli; "
            "print([m for m in ('matplotlib', 'livingreview.synthesis') if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
