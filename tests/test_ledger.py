"""The judgement ledger: append-only judgements of any item kind, undo, resolution, conflicts,
agreement inputs, reviewers and the state as of a past event."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from sklearn.metrics import cohen_kappa_score

from livingreview import Review
from livingreview.screening.agreement import cohen_kappa, ledger_agreement, percent_agreement
from livingreview.screening.workflow import Screening
from livingreview.store import Store, ledger
from livingreview.store.ledger import LedgerError, LogEntry, NewJudgement
from livingreview.store.reviewers import ReviewerError, ensure_reviewer, find_reviewer, reviewers, set_role

FIELD = "extraction_field"
STAGE = "extraction"


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "review.db") as opened:
        yield opened


def judge(store: Store, item: str, reviewer: str, value: str, *, resolution: bool = False,
          reason: str | None = None) -> ledger.Judgement:
    new = NewJudgement(FIELD, item, STAGE, reviewer, value, reason=reason, is_resolution=resolution)
    return ledger.record(store, new, log_entry(item), role="lead" if resolution else "reviewer")


def log_entry(item: str, action: str = "extract.judge") -> LogEntry:
    return LogEntry("extract", action, item, {})


def current_values(store: Store, reviewer: str | None = None, **kwargs) -> dict[tuple[str, str], str]:
    return {(j.item_id, j.reviewer): j.value
            for j in ledger.latest_judgements(store, FIELD, STAGE, reviewer=reviewer, **kwargs)}


def test_two_reviewers_disagreeing_on_a_field_conflict_until_a_lead_resolves_it(store):
    judge(store, "study:1/field:blinded", "ann", "yes")
    judge(store, "study:1/field:blinded", "bob", "no", reason="open label")
    judge(store, "study:2/field:blinded", "ann", "yes")
    judge(store, "study:2/field:blinded", "bob", "yes")
    judge(store, "study:3/field:blinded", "ann", "no")  # one reviewer only: nothing to compare
    [conflict] = ledger.conflicts(store, FIELD, STAGE)
    assert (conflict.item_id, conflict.values) == ("study:1/field:blinded", {"ann": "yes", "bob": "no"})
    assert conflict.reasons == {"ann": None, "bob": "open label"}

    resolution = judge(store, "study:1/field:blinded", "cat", "no", resolution=True)
    assert ledger.conflicts(store, FIELD, STAGE) == []
    assert resolution in ledger.latest_judgements(store, FIELD, STAGE)
    assert find_reviewer(store, "cat").role == "lead"
    # Conflicts are per item kind: a screening unit is not an extraction field.
    assert ledger.conflicts(store, "screening_unit", STAGE) == []


def test_undo_withdraws_the_latest_judgement_and_the_one_before_counts_again(store):
    item = "study:4/field:randomised"
    first = judge(store, item, "ann", "yes")
    second = judge(store, item, "ann", "no")
    assert second.supersedes == first.id
    undo = ledger.undo(store, FIELD, STAGE, "ann", log_entry(item, "extract.undo"))
    assert undo.undone and undo.supersedes == second.id and undo.value == "no"
    assert current_values(store) == {(item, "ann"): "yes"}
    second_undo = ledger.undo(store, FIELD, STAGE, "ann", log_entry(item, "extract.undo"))
    assert second_undo.supersedes == first.id
    assert current_values(store) == {}
    with pytest.raises(LedgerError, match="ann has no extraction_field judgement at extraction to undo"):
        ledger.undo(store, FIELD, STAGE, "ann", log_entry(item, "extract.undo"))
    # A new judgement follows the last row of the chain, the undo included.
    assert judge(store, item, "ann", "yes").supersedes == second_undo.id
    with pytest.raises(LedgerError, match="already withdrawn"):
        ledger.withdraw(store, second, log_entry(item, "extract.undo"))


def test_a_models_judgement_is_recorded_under_a_model_reviewer_and_can_be_undone(store):
    new = NewJudgement(FIELD, "study:1/field:n", STAGE, "extractor-rules 0.3", "40")
    ledger.record(store, new, log_entry("study:1/field:n"), role="model")
    assert find_reviewer(store, "extractor-rules 0.3").role == "model"
    ledger.undo(store, FIELD, STAGE, "extractor-rules 0.3", log_entry("study:1/field:n"))
    assert current_values(store) == {}


def test_undo_on_named_items_leaves_the_reviewers_other_judgements_alone(store):
    judge(store, "study:1/field:n", "ann", "40")
    judge(store, "study:2/field:n", "ann", "60")
    ledger.undo(store, FIELD, STAGE, "ann", log_entry("study:1/field:n"), item_ids=["study:1/field:n"])
    assert current_values(store) == {("study:2/field:n", "ann"): "60"}


def test_a_second_resolution_supersedes_the_first_and_undoing_it_restores_the_first(store):
    item = "study:5/field:allocation"
    judge(store, item, "ann", "yes")
    judge(store, item, "bob", "no")
    first = judge(store, item, "cat", "yes", resolution=True)
    second = judge(store, item, "dan", "no", resolution=True)
    assert second.supersedes == first.id
    resolutions = [j for j in ledger.latest_judgements(store, FIELD, STAGE) if j.is_resolution]
    assert resolutions == [second]
    ledger.undo(store, FIELD, STAGE, "dan", log_entry(item, "extract.undo"))
    assert [j for j in ledger.latest_judgements(store, FIELD, STAGE) if j.is_resolution] == [first]


def test_each_judgement_is_committed_with_the_event_that_records_it(store):
    judgement = judge(store, "study:6/field:dose", "ann", json.dumps({"value": 0.5, "unit": "mg/kg"}))
    with sqlite3.connect(store.path) as other:
        row = other.execute("SELECT event_id, value FROM judgements WHERE id = ?", (judgement.id,)).fetchone()
        event = other.execute("SELECT actor, stage, action, subject, detail FROM events WHERE id = ?",
                              (row[0],)).fetchone()
    assert row[0] == judgement.event_id
    assert json.loads(row[1]) == {"value": 0.5, "unit": "mg/kg"}
    assert event[:4] == ("ann", "extract", "extract.judge", "study:6/field:dose")
    detail = json.loads(event[4])
    assert detail["judgement"] == judgement.id and detail["item_kind"] == FIELD and detail["undone"] is False


def test_judgements_refuse_update_and_delete(store):
    judge(store, "study:7/field:n", "ann", "12")
    for statement in ("UPDATE judgements SET value = '13'", "DELETE FROM judgements"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.query(statement)


def test_an_unknown_item_kind_is_refused_naming_the_known_ones_and_a_new_kind_is_one_row(store):
    new = NewJudgement("synthesis_choice", "outcome:1", STAGE, "ann", "random-effects")
    with pytest.raises(LedgerError, match="unknown item kind 'synthesis_choice'; expected one of "
                                          "extraction_field, grade_domain, rob_domain, rob_question, screening_unit"):
        ledger.record(store, new, log_entry("outcome:1"))
    assert ledger.judgements(store, "synthesis_choice") == []
    # How a later migration extends the ledger: one row, no table rebuild.
    store.query("INSERT INTO judgement_item_kinds (kind, item_id_form) VALUES ('synthesis_choice', 'outcome:<id>')")
    assert ledger.record(store, new, log_entry("outcome:1")).value == "random-effects"


def test_a_screening_judgement_must_be_a_screening_label(store):
    new = NewJudgement("screening_unit", "record:1", "title_abstract", "ann", "yes")
    with pytest.raises(LedgerError, match="screening_unit record:1 at title_abstract: judgement 'yes' refused"):
        ledger.record(store, new, log_entry("record:1"))
    assert store.scalar("SELECT COUNT(*) FROM events WHERE action = 'extract.judge'") == 0


def test_the_state_as_of_a_past_event_ignores_everything_logged_after_it(store):
    item = "study:8/field:blinded"
    first = judge(store, item, "ann", "yes")
    bob = judge(store, item, "bob", "no")
    second = judge(store, item, "ann", "no")
    ledger.undo(store, FIELD, STAGE, "ann", log_entry(item, "extract.undo"))
    ledger.undo(store, FIELD, STAGE, "ann", log_entry(item, "extract.undo"))
    assert current_values(store) == {(item, "bob"): "no"}
    assert current_values(store, as_of_event=first.event_id) == {(item, "ann"): "yes"}
    assert current_values(store, as_of_event=bob.event_id) == {(item, "ann"): "yes", (item, "bob"): "no"}
    assert current_values(store, as_of_event=second.event_id) == {(item, "ann"): "no", (item, "bob"): "no"}
    assert [c.item_id for c in ledger.conflicts(store, FIELD, STAGE, as_of_event=bob.event_id)] == [item]
    assert ledger.conflicts(store, FIELD, STAGE) == []


def test_paired_values_feed_the_agreement_statistics_for_any_item_kind(store):
    ann = ["yes", "yes", "no", "no", "yes", "no", "yes", "yes"]
    bob = ["yes", "no", "no", "no", "yes", "yes", "yes", "yes"]
    for n, (a, b) in enumerate(zip(ann, bob)):
        judge(store, f"study:{n}/field:blinded", "ann", a)
        judge(store, f"study:{n}/field:blinded", "bob", b)
    judge(store, "study:99/field:blinded", "ann", "no")  # judged by one only: not paired
    judge(store, "study:0/field:blinded", "cat", "no", resolution=True)  # a resolution is no one's rating
    paired = ledger.paired_values(store, FIELD, STAGE, "ann", "bob")
    assert [(first, second) for _, first, second in paired] == list(zip(ann, bob))
    [pair] = ledger_agreement(store, FIELD, STAGE, ("yes", "no"))
    assert pair.reviewers == ("ann", "bob") and pair.units == len(ann)
    assert pair.percent_agreement == pytest.approx(6 / 8)
    assert pair.kappa == pytest.approx(cohen_kappa_score(ann, bob), abs=1e-12)
    assert (pair.percent_agreement, pair.kappa) == (percent_agreement(ann, bob), cohen_kappa(ann, bob))


def test_current_judgements_are_read_through_the_chain_index_not_by_scanning(store):
    plan = " ".join(row[3] for row in store.query(
        "EXPLAIN QUERY PLAN " + ledger._LATEST_SQL, (FIELD, STAGE, None, None, None)))
    assert "USING INDEX judgements_chain" in plan
    assert "USING INDEX judgements_withdrawn" in plan
    assert re.search(r"SCAN (j|u|judgements)\b", plan) is None


def test_reviewers_are_created_once_with_their_role_and_a_model_never_shares_a_persons_name(store):
    judge(store, "study:1/field:n", " ann ", "10")
    judge(store, "study:1/field:n", "ann", "11")
    assert [(r.name, r.role) for r in reviewers(store)] == [("ann", "reviewer")]
    with pytest.raises(ReviewerError, match="reviewer 'ann' is registered as a reviewer, so it cannot judge as a model"):
        ensure_reviewer(store, "ann", "model")
    with pytest.raises(ReviewerError, match="unknown reviewer role 'boss'; expected one of lead, reviewer, model"):
        ensure_reviewer(store, "zoe", "boss")  # type: ignore[arg-type]
    with pytest.raises(ReviewerError, match="a reviewer name is required"):
        ensure_reviewer(store, "  ")
    assert set_role(store, "ann", "lead").role == "lead"
    # A lead may be named before judging anything.
    assert set_role(store, "bob", "lead").role == "lead"
    assert [(e["subject"], e["detail"]) for e in store.events("reviewers")] == [
        ("reviewer:ann", {"role": "lead"}), ("reviewer:bob", {"role": "lead"})]
    assert [(r.name, r.role) for r in reviewers(store)] == [("ann", "lead"), ("bob", "lead")]


# --- screening on the ledger ---------------------------------------------------------------------

def ris(n: int) -> str:
    return "".join(f"TY  - JOUR\nTI  - Study {i} of ketamine\nAB  - Abstract {i} on empathy.\nER  - \n\n"
                   for i in range(n))


@pytest.fixture
def screening(review: Review, tmp_path: Path) -> Screening:
    (tmp_path / "a.ris").write_text(ris(4), encoding="utf-8")
    review.import_file(tmp_path / "a.ris")
    return Screening(review.store, review.protocol)


def test_screening_undo_after_include_then_exclude_restores_the_include(screening):
    # Issue 9: this used to leave the record unscreened.
    unit = screening.units()[0]
    include = screening.decide("title_abstract", unit, "ann", "include")
    screening.decide("title_abstract", unit, "ann", "exclude", reason="C1")
    undo = screening.undo("title_abstract", "ann")
    assert undo.undone and undo.label == "exclude" and undo.record_id == unit
    assert screening.own_labels("title_abstract", "ann") == {unit: "include"}
    assert screening.state("title_abstract").labels[unit]["ann"] == include
    assert screening.state("title_abstract").outcome(unit) == "include"
    assert unit not in [u for u, _ in screening.queue("title_abstract", "ann", order="random")]
    screening.undo("title_abstract", "ann", unit)
    assert screening.own_labels("title_abstract", "ann") == {}
    assert unit in [u for u, _ in screening.queue("title_abstract", "ann", order="random")]


def test_screening_decisions_are_screening_unit_judgements_of_registered_reviewers(screening):
    unit = screening.units()[1]
    decision = screening.decide("title_abstract", unit, "ann", "exclude", reason="C2", drawn="random")
    screening.decide("title_abstract", unit, "bob", "include")
    resolution = screening.resolve("title_abstract", unit, "exclude", "cat", reason="C2")
    [judgement] = [j for j in ledger.judgements(screening.store, "screening_unit") if j.id == decision.id]
    assert (judgement.item_id, judgement.value, judgement.reason, judgement.drawn) == (
        f"record:{unit}", "exclude", "C2", "random")
    assert {(r.name, r.role) for r in reviewers(screening.store)} == {
        ("ann", "reviewer"), ("bob", "reviewer"), ("cat", "lead")}
    # The old table's columns, as a read-only view over the ledger.
    row = screening.store.query("SELECT * FROM decisions WHERE id = ?", (resolution.id,))[0]
    assert (row["record_id"], row["reviewer"], row["reviewer_kind"], row["label"], row["is_resolution"]) == (
        unit, "cat", "person", "exclude", 1)


def test_the_screening_state_as_of_an_event(screening):
    unit = screening.units()[2]
    first = screening.decide("title_abstract", unit, "ann", "include")
    screening.decide("title_abstract", unit, "bob", "exclude", reason="C1")
    [as_of] = [j.event_id for j in ledger.judgements(screening.store, "screening_unit") if j.id == first.id]
    assert screening.state("title_abstract", as_of_event=as_of).outcome(unit) == "include"
    assert screening.state("title_abstract").outcome(unit) == "conflict"


def test_undo_and_reviewers_commands(review: Review, tmp_path: Path, capsys):
    from click.testing import CliRunner

    from livingreview.cli import cli
    from livingreview.cli._common import run_guarded

    (tmp_path / "a.ris").write_text(ris(2), encoding="utf-8")
    review.import_file(tmp_path / "a.ris")
    directory = str(review.directory)
    review.close()

    def run(*args: str):
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return json.loads(result.output) if "--json" in args else result.output

    include = run("decide", directory, "1", "include", "--reviewer", "ann", "--json")
    exclude = run("decide", directory, "1", "exclude", "--reviewer", "ann", "--reason", "C1", "--json")
    undone = run("undo", directory, "--reviewer", "ann", "--record", "1", "--json")
    assert undone["supersedes"] == exclude["id"] and undone["undone"] is True
    # The undo restored the include, so the next undo withdraws it.
    assert f"withdrew decision {include['id']} (include on record 1" in run("undo", directory, "--reviewer", "ann")
    listed = run("reviewers", directory, "--set-role", "ann", "lead", "--json")
    assert [(r["name"], r["role"]) for r in listed["reviewers"]] == [("ann", "lead")]
    with pytest.raises(SystemExit) as ended:
        run_guarded(cli, ["undo", directory, "--reviewer", "ann"])
    assert ended.value.code == 1
    assert "ann has no decision at title_abstract to undo" in capsys.readouterr().err
