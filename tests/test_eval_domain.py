"""benchmarks/eval_domain.py: scoring the flagship-kind annotation sets against texts fetched apart.

The texts here are written for the test (no abstract is copied in); the gold records are the real
annotation files, so the reader is checked against their actual ids and shapes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_extraction_gold import _load_benchmark

ed = _load_benchmark("eval_domain")

# A short trial report of our own wording, in the shape of domain9-01's study (ketamine, men, fMRI).
OWN_TEXT = ("In a placebo-controlled crossover study, eight healthy men received intravenous ketamine and "
            "placebo while viewing emotional faces during functional magnetic resonance imaging.")


def _texts(tmp_path: Path, *lines: str) -> Path:
    (tmp_path / "domain9").mkdir()
    (tmp_path / "domain9" / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_only_records_with_a_fetched_text_are_scored(tmp_path: Path):
    texts = _texts(tmp_path, json.dumps({"id": "domain9-01", "title": "Ketamine and faces", "text": OWN_TEXT}),
                   json.dumps({"id": "domain9-02", "title": "", "text": ""}))
    gold, found = ed.load_set("domain9", texts)
    assert [g["id"] for g in gold] == ["domain9-01"]
    assert found[("domain9", "domain9-01")].text == OWN_TEXT
    fields, _ = ed.predictions(gold, found)
    scores = ed.score_fields(gold, fields)
    # The text names the drug, route, control, design and size the annotator recorded.
    for name in ("drugs", "routes", "control", "allocation", "n_total"):
        assert scores[name].tp == 1, name


def test_a_malformed_text_line_names_its_file_and_line(tmp_path: Path):
    texts = _texts(tmp_path, json.dumps({"id": "domain9-01", "title": "t", "text": OWN_TEXT}), "{not json")
    with pytest.raises(ValueError, match=r"domain9/records\.jsonl:2: expected an object"):
        ed.load_set("domain9", texts)


def test_errors_are_refused_on_the_sets_kept_unread(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit):
        ed.main(["--texts", str(tmp_path), "--sets", "domain30", "--errors", "n_total"])
    assert "kept unread" in capsys.readouterr().err


def test_the_command_line_prints_the_field_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    texts = _texts(tmp_path, json.dumps({"id": "domain9-01", "title": "Ketamine and faces", "text": OWN_TEXT}))
    assert ed.main(["--texts", str(texts)]) == 0
    out = capsys.readouterr().out
    assert "on the domain9 split: 1 gold records" in out
    assert out.splitlines()[2].split()[0] == "randomised"


def test_every_record_with_no_study_of_its_own_has_every_field_negative():
    # (the guidelines' rule: "not-stated", null and [] are the negatives, and a review gets only them)
    negatives = ("not-stated", None, [])
    for path in sorted(ed.DOMAIN_DIR.glob("domain*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record["kind"] in ("review", "animal", "other"):
                positive = {name: value for name, value in record["fields"].items() if value not in negatives}
                assert not positive and not record["outcomes"], (record["id"], positive)
