"""The extraction gold set (tests/data/extraction_gold) and the scoring of benchmarks/eval_extract.py.

The gold files must use the issue's vocabularies, agree with their own guidelines and point at
records that exist in the real fixtures; the scoring must give the counts worked out by hand below.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import ROOT, fixture_path

realdata = pytest.mark.realdata


def _load_benchmark(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


ev = _load_benchmark("eval_extract")
GOLD = {split: ev.load_gold(split) for split in ev.SPLITS}
HOLDOUTS = [record for name in ev.HOLDOUTS for record in ev.load_gold(name)]
HALVES = GOLD["dev"] + GOLD["test"]
ALL = HALVES + HOLDOUTS
NON_STUDY_KINDS = {"review", "animal", "other"}


def _construct_labels() -> set[str]:
    protocol = tomllib.loads((ROOT / "examples" / "glutamate-entactogens" / "protocol.toml").read_text())
    return {term["label"] for term in protocol["vocabularies"]["construct"]["terms"]}


def _where(record: dict) -> str:
    return f"{record['file']} {record['source_id'] or '#' + str(record['position'])}"


# --- the gold files -----------------------------------------------------------------------------

def test_gold_set_has_at_least_200_records_and_60_with_outcomes_and_no_record_twice():
    assert len(ALL) >= 200
    assert sum(1 for r in ALL if r["outcomes"]) >= 60
    keys = [r["key"] for r in ALL]
    assert len(keys) == len(set(keys))


def test_gold_values_use_the_issue_vocabularies():
    constructs = _construct_labels()
    for record in ALL:
        fields, where = record["fields"], _where(record)
        assert record["kind"] in ev.KINDS, where
        for name, allowed in ev.SINGLE_FIELDS.items():
            assert fields[name] in (*allowed, ev.NEGATIVE), (where, name, fields[name])
        for name, allowed in ev.LIST_VOCABULARIES.items():
            assert isinstance(fields[name], list) and len(set(fields[name])) == len(fields[name]), (where, name)
            if allowed is not None:
                assert set(fields[name]) <= set(allowed), (where, name, fields[name])
        for term in fields["population"]:
            assert term in ev.POPULATION_TERMS or ev.OTHER_POPULATION.match(term), (where, term)
        assert set(fields["constructs"]) <= constructs, where
        assert all(drug == drug.lower().strip() and drug for drug in fields["drugs"]), where
        assert all(re.search(r"\d", dose) and re.search(r"[a-zµμ%]", dose) for dose in fields["doses"]), where
        assert fields["n_total"] is None or (isinstance(fields["n_total"], int) and fields["n_total"] > 0), where
        assert fields["active_comparator"] is None or fields["active_comparator"] in fields["drugs"], where


def test_gold_outcomes_use_the_issue_vocabularies_and_the_record_classes():
    for record in (r for r in ALL if r["outcomes"]):
        for outcome in record["outcomes"]:
            where = (_where(record), outcome["instrument"])
            assert outcome["instrument"].strip(), where
            assert outcome["class"] is None or outcome["class"] in record["fields"]["outcome_classes"], where
            assert outcome["role"] in ev.OUTCOME_ROLES, where
            assert outcome["direction"] is None or outcome["direction"] in ev.DIRECTIONS, where


def test_gold_follows_its_own_guidelines():
    for record in ALL:
        fields, where = record["fields"], _where(record)
        if record["kind"] in NON_STUDY_KINDS:
            assert ev.normalised_fields(fields) == ev.normalised_fields({}), where
        if fields["allocation"] == "single-group":
            assert fields["control"] == "none" and fields["randomised"] != "yes", where
        if fields["blinding"] != ev.NEGATIVE or fields["control"] == "placebo":
            assert record["kind"] in ("trial", "observational"), where
        assert bool(fields["imaging_modalities"]) == ("neuroimaging" in fields["outcome_classes"]), where
        if not fields["drugs"]:
            assert not fields["doses"] and not fields["routes"] and not fields["active_comparator"], where


def test_split_files_are_the_seeded_stratified_split_of_the_gold_set():
    dev, test = ev.split_records(HALVES, ev.SPLIT_SEED)
    assert {r["key"] for r in dev} == {r["key"] for r in GOLD["dev"]}
    assert {r["key"] for r in test} == {r["key"] for r in GOLD["test"]}
    halved = [r for r in HALVES if r.get("sample") != ev.DEV_ONLY_SAMPLE]
    for name in {ev.stratum(r) for r in halved}:
        sizes = [sum(1 for r in part if ev.stratum(r) == name and r in halved) for part in (dev, test)]
        assert abs(sizes[0] - sizes[1]) <= 1, name


def test_the_dev_extension_goes_to_dev_whole_and_leaves_the_halves_as_they_were():
    extension = [_gold(str(n)) | {"file": "f.csv", "position": n, "sample": ev.DEV_ONLY_SAMPLE} for n in range(5)]
    halved = [r for r in HALVES if r.get("sample") != ev.DEV_ONLY_SAMPLE]
    dev, test = ev.split_records(halved + extension, ev.SPLIT_SEED)
    assert [r["key"] for r in test] == [r["key"] for r in ev.split_records(halved, ev.SPLIT_SEED)[1]]
    assert {r["key"] for r in extension} <= {r["key"] for r in dev}


def test_a_malformed_gold_line_names_its_file_and_line(tmp_path: Path):
    (tmp_path / "dev.jsonl").write_text('{"file": "x.csv", "source_id": "1", "position": 1, "fields": {}}\n')
    with pytest.raises(ev.GoldFormatError, match=r"dev\.jsonl:1: fields lack randomised"):
        ev.load_gold("dev", tmp_path)
    (tmp_path / "dev.jsonl").write_text("\n{not json\n")
    with pytest.raises(ev.GoldFormatError, match=r"dev\.jsonl:2: not JSON"):
        ev.load_gold("dev", tmp_path)


@realdata
def test_the_later_samples_are_the_seeded_draws_of_records_no_earlier_sample_holds():
    fixture_path("screening", "nagtegaal2019.csv")
    draws = _load_benchmark("draw_gold_extension")
    for name in ("extension", *ev.HOLDOUTS):
        annotated = {r["key"] for r in ALL if r.get("sample") == name}
        assert {(str(r["file"]), str(r["source_id"])) for r in draws.draw(name)} == annotated, name


@realdata
def test_every_gold_record_is_a_record_with_an_abstract_in_its_fixture_file():
    by_file: dict[str, list[dict]] = {}
    for record in ALL:
        by_file.setdefault(record["file"], []).append(record)
    for file, records in by_file.items():
        fixture_path(*file.split("/"))
        parsed = ev.fixture_records(file)
        for record in records:
            assert 1 <= record["position"] <= len(parsed), _where(record)
            found = parsed[record["position"] - 1]
            assert found.source_id == record["source_id"], (_where(record), found.source_id)
            assert found.title and found.abstract, _where(record)


# --- scoring on hand-made cases -----------------------------------------------------------------

def _gold(key: str, **fields) -> dict:
    base = {name: ev.NEGATIVE for name in ev.SINGLE_FIELDS} | {"active_comparator": None, "n_total": None}
    base |= {name: [] for name in ev.LIST_VOCABULARIES}
    return {"key": ("f.csv", key), "fields": base | fields, "outcomes": None}


def test_single_valued_fields_score_only_positive_values():
    gold = [_gold("1", randomised="yes"), _gold("2", randomised="yes"), _gold("3", randomised="yes"),
            _gold("4"), _gold("5")]
    predicted = {("f.csv", "1"): {"randomised": "yes"},       # TP
                 ("f.csv", "2"): {"randomised": "no"},        # FP and FN
                 ("f.csv", "3"): {"randomised": "not-stated"},  # FN
                 ("f.csv", "4"): {"randomised": "no"},        # FP
                 ("f.csv", "5"): {"randomised": None}}        # TN
    counts = ev.score_fields(gold, predicted)["randomised"]
    assert (counts.tp, counts.fp, counts.fn) == (1, 2, 2)
    assert counts.precision == pytest.approx(1 / 3)
    assert counts.recall == pytest.approx(1 / 3)
    assert counts.f1 == pytest.approx(1 / 3)
    assert counts.accuracy == pytest.approx(2 / 5)
    assert counts.support == 3


def test_list_fields_are_micro_averaged_over_normalised_items():
    gold = [_gold("1", drugs=["oxybutynin", "tolterodine"], doses=["5 mg", "50 micrograms/day"]),
            _gold("2", drugs=["naproxen", "paracetamol"])]
    predicted = {("f.csv", "1"): {"drugs": ["Oxybutynin chloride", "placebo"], "doses": ["5-mg", "50 µg"]},
                 ("f.csv", "2"): {"drugs": [{"value": "naproxen", "evidence": [{"start": 0, "end": 8}]},
                                            {"value": "acetaminophen", "evidence": []}]}}
    counts = ev.score_fields(gold, {k: {n: ev.plain_value(v) for n, v in p.items()} for k, p in predicted.items()})
    assert (counts["drugs"].tp, counts["drugs"].fp, counts["drugs"].fn) == (3, 1, 1)
    assert counts["drugs"].f1 == pytest.approx(3 / 4)
    assert counts["drugs"].accuracy == pytest.approx(1 / 2)
    assert (counts["doses"].tp, counts["doses"].fp, counts["doses"].fn) == (2, 0, 0)


def test_a_dose_comma_groups_thousands_or_marks_decimals():
    assert ev.norm_dose("1,200 mg") == ev.norm_dose("1200 mg") == "1200 mg"
    assert ev.norm_dose("2,5 mg") == "2.5 mg"


def test_international_units_spelt_out_are_iu():
    assert ev.norm_dose("12 International Units") == ev.norm_dose("12 IU") == "12 iu"


def test_a_share_in_per_cent_is_a_percentage():
    assert ev.norm_dose("20 per cent") == ev.norm_dose("20percent") == ev.norm_dose("20%") == "20 %"


def test_population_other_words_score_apart_and_together_as_population_class():
    gold = [_gold("1", population=["other:osteoarthritis", "healthy"])]
    predicted = {("f.csv", "1"): {"population": ["other:knee-osteoarthritis", "healthy"]}}
    counts = ev.score_fields(gold, predicted)
    assert (counts["population"].tp, counts["population"].fp, counts["population"].fn) == (1, 1, 1)
    assert counts["population_class"].f1 == 1.0


def test_an_eponyms_disease_is_one_population_word_however_written():
    assert ev.norm_population("other:Parkinson's disease") == ev.norm_population("other:parkinsons-disease") \
        == ev.norm_population("other:parkinson") == "other:parkinson"
    assert ev.norm_population("other:parkinsons-disease-dementia") == "other:parkinsons-disease-dementia"


def test_a_record_missing_from_the_output_counts_as_all_negative_and_n_total_reads_numbers():
    gold = [_gold("1", n_total=1090, control="placebo"), _gold("2", n_total=40)]
    counts = ev.score_fields(gold, {("f.csv", "2"): {"n_total": "40"}})
    assert (counts["n_total"].tp, counts["n_total"].fn, counts["n_total"].fp) == (1, 1, 0)
    assert (counts["control"].tp, counts["control"].fn) == (0, 1)
    assert counts["control"].precision is None and counts["control"].f1 == 0.0
    assert ev.norm_n("1,090") == 1090 and ev.norm_n("about forty") is None


def test_outcomes_pair_by_instrument_words_then_compare_class_role_and_direction():
    gold = [_gold("1") | {"outcomes": [
        {"instrument": "WOMAC total", "class": "self-report", "role": "primary", "direction": "improved"},
        {"instrument": "Physician's Global Assessment", "class": "clinician-rated", "role": "not-stated",
         "direction": "no difference"}]}]
    predicted = {("f.csv", "1"): [
        {"instrument": {"value": "WOMAC"}, "class": "self-report", "primary": True, "direction": "improved"},
        {"instrument": "physician global assessment", "outcome_class": "self-report",
         "role": "not-stated", "direction": "no difference"},
        {"instrument": "adverse events", "class": None, "role": "secondary", "direction": "worsened"}]}
    scores = ev.score_outcomes(gold, predicted)
    assert (scores.pairing.tp, scores.pairing.fp, scores.pairing.fn) == (2, 1, 0)
    assert scores.attributes["class"].accuracy == pytest.approx(1 / 2)
    assert scores.attributes["role"].accuracy == 1.0
    assert scores.attributes["direction"].accuracy == 1.0
    assert scores.attributes["direction_any"].records == 2


def test_direction_over_every_pair_counts_a_null_as_a_value():
    gold = [_gold("1") | {"outcomes": [
        {"instrument": "amygdala response", "class": "neuroimaging", "role": "not-stated", "direction": None},
        {"instrument": "cortisol", "class": "physiological", "role": "not-stated", "direction": None},
        {"instrument": "BDI", "class": "self-report", "role": "primary", "direction": "improved"}]}]
    predicted = {("f.csv", "1"): [
        {"instrument": "amygdala response", "direction": "worsened"},
        {"instrument": "cortisol", "direction": None},
        {"instrument": "BDI", "direction": "improved"}]}
    attributes = ev.score_outcomes(gold, predicted).attributes
    assert (attributes["direction"].agree, attributes["direction"].records) == (1, 1)
    assert (attributes["direction_any"].agree, attributes["direction_any"].records) == (2, 3)


def test_extractor_output_shapes_are_read_with_or_without_a_fields_object():
    nested = {"records": [{"record_id": 3, "source_id": "9",
                           "fields": {"blinding": {"value": "double-blind", "evidence": []}}}]}
    flat = [{"record_id": 3, "source_id": "9", "blinding": "double-blind", "outcomes": []}]
    for output in (nested, flat):
        fields, outcomes, problems = ev.match_predictions(ev.extractor_records(output),
                                                          {3: (("f.csv", "9"), "9")})
        assert fields == {("f.csv", "9"): {"blinding": "double-blind"}} and not problems
    _, _, problems = ev.match_predictions([{"record_id": 3, "source_id": "8"}, {"record_id": 4}],
                                          {3: (("f.csv", "9"), "9")})
    assert problems == ["record 3: source_id '8', the store has '9'", "record_id 4 is not in the review"]
    _, _, problems = ev.match_predictions([{"record_id": 3, "source_id": "9"}, {"record_id": 4}, {"record_id": 5}],
                                          {3: (("f.csv", "9"), "9")}, review_ids={3, 4})
    assert problems == ["record_id 5 is not in the review"]  # 4 is in the review, just not a gold record
    with pytest.raises(ValueError, match="neither a list of records"):
        ev.extractor_records({"studies": "none"})


@realdata
def test_review_keys_follow_source_ids_and_file_positions_of_a_real_review(tmp_path: Path):
    fixture_path("exports", "embase.csv")
    gold = [r for r in ALL if r["file"] in ("exports/embase.csv", "pubmed/pubmed-29768149.xml")]
    assert any(r["source_id"] is None for r in gold) and any(r["source_id"] for r in gold)
    directory = tmp_path / "review"
    ev.build_review(directory, (r["file"] for r in gold))
    keys, review_ids = ev.review_keys(directory, gold)
    assert set(keys) <= review_ids and len(keys) == len(gold)
    ids = {key: record_id for record_id, (key, _) in keys.items()}
    perfect = [{"record_id": ids[r["key"]], "source_id": r["source_id"], "fields": r["fields"],
                "outcomes": r["outcomes"] or []} for r in gold]
    result = ev.evaluate(gold, directory, {"records": perfect}).as_dict()
    assert not result["missing"] and not result["problems"]
    assert all(c["f1"] in (1.0, None) and c["accuracy"] == 1.0 for c in result["fields"].values())
    empty = ev.evaluate(gold, directory, {"records": []}).as_dict()
    assert len(empty["missing"]) == len(gold) and empty["fields"]["n_total"]["recall"] == 0.0


@realdata
def test_command_line_scores_saved_predictions_of_a_review(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    fixture_path("ctgov", "NCT02513394.json")
    directory = tmp_path / "review"
    ev.build_review(directory, ["ctgov/NCT02513394.json"])
    (record_id,) = ev.review_keys(directory, [r for r in ALL if r["file"] == "ctgov/NCT02513394.json"])[1]
    saved = tmp_path / "extract.json"
    saved.write_text(json.dumps({"records": [{"record_id": record_id, "source_id": "NCT02513394",
                                              "fields": {"randomised": "yes", "blinding": "double-blind"}}]}))
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "test.jsonl").write_text(
        "".join(line for line in (ev.GOLD_DIR / "test.jsonl").read_text().splitlines(keepends=True)
                if '"ctgov/' in line))
    (gold / "dev.jsonl").write_text("")
    assert ev.main(["--split", "test", "--json", "--review", str(directory), "--predictions", str(saved),
                    "--gold", str(gold)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["records"] == 1 and not result["missing"]
    assert result["fields"]["randomised"]["f1"] == 1.0
    assert (result["fields"]["blinding"]["fp"], result["fields"]["blinding"]["fn"]) == (1, 1)  # open-label
    assert result["fields"]["n_total"]["fn"] == 1
    assert ev.main(["--split", "test", "--review", str(directory), "--predictions", str(saved),
                    "--gold", str(gold)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0] == "extraction accuracy on the test split: 1 gold records, 0 missing from the output"
    assert table[2].split() == ["randomised", "1", "1", "1.000", "1.000", "1.000", "1.000"]
    with pytest.raises(SystemExit):
        ev.main(["--review", str(directory)])
