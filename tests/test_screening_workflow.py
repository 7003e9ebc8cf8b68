from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from sklearn.metrics import cohen_kappa_score

from livingreview import Review
from livingreview.screening.agreement import cohen_kappa, gwet_ac1, pairwise_agreement, percent_agreement
from livingreview.screening.workflow import Screening, ScreeningError
from livingreview.status import project_status
from livingreview.store import Store

KETAMINE_RCT = (
    "Ketamine and empathy in healthy volunteers: a randomized controlled trial",
    "Healthy volunteers received ketamine or placebo; empathic concern was measured.",
)


def ris(records: list[tuple[str, str]]) -> str:
    return "".join(f"TY  - JOUR\nTI  - {title}\nAB  - {abstract}\nER  - \n\n" for title, abstract in records)


def add_records(review: Review, tmp_path: Path, records: list[tuple[str, str]], name: str = "a.ris") -> list[int]:
    path = tmp_path / name
    path.write_text(ris(records), encoding="utf-8")
    before = review.store.scalar("SELECT COALESCE(MAX(id), 0) FROM records")
    review.import_file(path)
    return [r["id"] for r in review.store.query("SELECT id FROM records WHERE id > ? ORDER BY id", (before,))]


def group_as_study(review: Review, record_ids: list[int]) -> int:
    # What the deduplicator does: records of one study share a study id.
    with review.store.transaction() as connection:
        study = connection.execute("INSERT INTO studies (created_at) VALUES ('2026-01-01')").lastrowid
        connection.execute(
            f"UPDATE records SET study_id = ? WHERE id IN ({','.join('?' * len(record_ids))})",
            (study, *record_ids),
        )
    return int(study)


@pytest.fixture
def screening(review: Review) -> Screening:
    return Screening(review.store, review.protocol)


@pytest.fixture
def five(review: Review, tmp_path: Path) -> list[int]:
    return add_records(review, tmp_path, [(f"Study {i} of ketamine", f"Abstract {i} about empathy.")
                                          for i in range(5)])


def test_decision_and_its_event_are_committed_before_decide_returns(review, screening, five):
    decision = screening.decide("title_abstract", five[0], "ann", "include", note="clear RCT")
    # A second connection sees it: it was committed, not just written into an open transaction.
    with sqlite3.connect(review.store.path) as other:
        row = other.execute("SELECT reviewer, label, note FROM decisions WHERE id = ?",
                            (decision.id,)).fetchone()
        events = other.execute("SELECT actor, action, subject, detail FROM events"
                               " WHERE action = 'screen.decide'").fetchall()
    assert row == ("ann", "include", "clear RCT")
    assert len(events) == 1
    assert events[0][:3] == ("ann", "screen.decide", f"record:{five[0]}")
    assert f'"decision": {decision.id}' in events[0][3]


def test_a_reviewers_queue_is_unaffected_by_another_reviewers_labels(screening, five):
    screening.decide("title_abstract", five[0], "ann", "include")
    before = screening.queue("title_abstract", "ann")
    screening.decide("title_abstract", five[1], "bob", "exclude")
    screening.decide("title_abstract", five[2], "bob", "include")
    assert screening.queue("title_abstract", "ann") == before
    assert five[1] in [unit for unit, _ in before]
    assert screening.own_labels("title_abstract", "ann") == {five[0]: "include"}
    assert set(unit for unit, _ in screening.queue("title_abstract", "bob")) == {five[0], five[3], five[4]}


def test_disagreement_is_a_conflict_and_maybe_conflicts_only_with_exclude(screening, five):
    screening.decide("title_abstract", five[0], "ann", "include")
    screening.decide("title_abstract", five[0], "bob", "exclude")
    screening.decide("title_abstract", five[1], "ann", "maybe")
    screening.decide("title_abstract", five[1], "bob", "exclude")
    screening.decide("title_abstract", five[2], "ann", "maybe")
    screening.decide("title_abstract", five[2], "bob", "include")
    conflicts = {c.record_id: c.labels for c in screening.conflicts("title_abstract")}
    assert conflicts == {five[0]: {"ann": "include", "bob": "exclude"},
                         five[1]: {"ann": "maybe", "bob": "exclude"}}
    # include + maybe at title-abstract goes on to full text.
    assert screening.eligible("full_text") == [five[2]]


def test_resolution_settles_a_conflict_and_sends_the_record_to_full_text(screening, five):
    screening.decide("title_abstract", five[0], "ann", "include")
    screening.decide("title_abstract", five[0], "bob", "exclude", reason="C2")
    assert five[0] not in screening.eligible("full_text")
    with pytest.raises(ScreeningError, match="not at full text: its title-abstract outcome is conflict"):
        screening.decide("full_text", five[0], "ann", "include")
    resolution = screening.resolve("title_abstract", five[0], "include", "cat", note="met C2 on reread")
    assert resolution.is_resolution
    assert screening.conflicts("title_abstract") == []
    assert screening.eligible("full_text") == [five[0]]
    # Nobody is asked to screen a settled record again.
    assert five[0] not in [u for u, _ in screening.queue("title_abstract", "dan")]
    with pytest.raises(ScreeningError, match="unknown label 'maybe'; expected one of include, exclude"):
        screening.resolve("title_abstract", five[1], "maybe", "cat")


def test_undo_appends_a_superseding_decision_and_returns_the_record_to_the_queue(review, screening, five):
    first = screening.decide("title_abstract", five[0], "ann", "exclude", reason="C1")
    assert five[0] not in [u for u, _ in screening.queue("title_abstract", "ann")]
    undo = screening.undo("title_abstract", "ann")
    assert undo.undone and undo.supersedes == first.id and undo.record_id == five[0]
    assert five[0] in [u for u, _ in screening.queue("title_abstract", "ann")]
    assert screening.own_labels("title_abstract", "ann") == {}
    relabel = screening.decide("title_abstract", five[0], "ann", "include")
    assert relabel.supersedes == undo.id
    assert review.store.scalar("SELECT COUNT(*) FROM decisions") == 3
    assert [e["action"] for e in review.store.events("screen")] == [
        "screen.decide", "screen.undo", "screen.decide"]
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        review.store.query("DELETE FROM decisions")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        review.store.query("UPDATE decisions SET label = 'exclude'")
    with pytest.raises(ScreeningError, match="bob has no decision at title_abstract to undo"):
        screening.undo("title_abstract", "bob")


def test_exclusion_reasons_must_be_criteria_of_the_stage(screening, five):
    with pytest.raises(ScreeningError, match=rf"record {five[0]}: exclusion reason 'C9' is not a "
                                             r"criterion .* expected one of C1, C2, C3"):
        screening.decide("title_abstract", five[0], "ann", "exclude", reason="C9")
    with pytest.raises(ScreeningError, match="a reason is given only with 'exclude'"):
        screening.decide("title_abstract", five[0], "ann", "include", reason="C1")
    with pytest.raises(ScreeningError, match="unknown label 'excluded'"):
        screening.decide("title_abstract", five[0], "ann", "excluded")
    with pytest.raises(ScreeningError, match="unknown stage 'abstract'"):
        screening.decide("abstract", five[0], "ann", "include")
    with pytest.raises(ScreeningError, match="record 999 is not in this review"):
        screening.decide("title_abstract", 999, "ann", "include")
    assert screening.decisions() == []
    screening.decide("title_abstract", five[0], "ann", "include")
    with pytest.raises(ScreeningError, match="a full-text exclusion needs a reason"):
        screening.decide("full_text", five[0], "ann", "exclude")
    assert screening.decide("full_text", five[0], "ann", "exclude", reason="C3").reason == "C3"


def test_a_dedup_group_is_screened_once_through_its_first_record(review, screening, five):
    study = group_as_study(review, [five[1], five[3]])
    assert screening.units() == [five[0], five[1], five[2], five[4]]
    decision = screening.decide("title_abstract", five[3], "ann", "include")
    assert (decision.record_id, decision.study_id) == (five[1], study)
    assert screening.group(five[3]) == [five[1], five[3]]
    pending = [u for u, _ in screening.queue("title_abstract", "ann")]
    assert five[1] not in pending and five[3] not in pending


def test_queue_follows_criteria_until_both_classes_then_the_ranker(review, tmp_path, screening):
    fruit = [(f"Banana nutrition study {i}", "Bananas, fruit intake and potassium in diets.") for i in range(4)]
    cars = [(f"Car engine study {i}", "Combustion engines, pistons and fuel injection.") for i in range(4)]
    eligible = [KETAMINE_RCT]
    ids = add_records(review, tmp_path, cars + fruit + eligible)
    car_ids, fruit_ids, rct_id = ids[:4], ids[4:8], ids[8]
    order = [u for u, _ in screening.queue("title_abstract", "ann")]
    # Before any label: the record meeting the criteria comes first, the rest in record order.
    assert order[0] == rct_id and order[1:] == car_ids + fruit_ids
    screening.decide("title_abstract", fruit_ids[0], "ann", "include")
    screening.decide("title_abstract", car_ids[0], "ann", "exclude")
    ranked = [u for u, _ in screening.queue("title_abstract", "ann")]
    assert set(ranked[:3]) == set(fruit_ids[1:]), "records like the included one come first"


def test_kappa_matches_scikit_learn_on_random_ratings():
    rng = random.Random(7)
    for _ in range(20):
        n = rng.randint(5, 60)
        first = [rng.choice(["include", "exclude", "maybe"]) for _ in range(n)]
        second = [a if rng.random() < 0.6 else rng.choice(["include", "exclude", "maybe"]) for a in first]
        expected = cohen_kappa_score(first, second)
        if len(set(first) | set(second)) == 1:
            assert cohen_kappa(first, second) is None
        else:
            assert cohen_kappa(first, second) == pytest.approx(expected, abs=1e-12)


def test_ac1_on_a_high_agreement_two_category_table_by_hand():
    # A worked example of the formulas on a "high agreement, low kappa" table, not checked against
    # any published table: two raters, 125 subjects, 118 rated + by both, 5 (+,-), 2 (-,+), 0 rated
    # - by both. irrCAC gives the same values (tests/test_agreement_reference.py). By hand:
    #   pa = 118/125 = 0.944
    #   pi_+ = (123/125 + 120/125) / 2 = 0.972, pi_- = 0.028
    #   pe(AC1) = 2 * 0.972 * 0.028 / (2 - 1) = 0.054432
    #   AC1 = (0.944 - 0.054432) / (1 - 0.054432) = 0.889568 / 0.945568 = 0.940776...
    #   pe(kappa) = 0.984 * 0.96 + 0.016 * 0.04 = 0.94528; kappa = (0.944 - 0.94528) / 0.05472
    #             = -0.023392...
    first = ["+"] * 118 + ["+"] * 5 + ["-"] * 2
    second = ["+"] * 118 + ["-"] * 5 + ["+"] * 2
    assert percent_agreement(first, second) == pytest.approx(0.944)
    assert gwet_ac1(first, second, categories=("+", "-")) == pytest.approx(0.889568 / 0.945568, abs=1e-12)
    assert cohen_kappa(first, second) == pytest.approx(-0.00128 / 0.05472, abs=1e-12)


def test_ac1_on_a_three_category_scale_by_hand():
    # 10 units: 4 (inc, inc), 3 (exc, exc), 1 (maybe, maybe), 1 (inc, exc), 1 (maybe, exc).
    # pa = 8/10; mean shares: include (5+4)/20 = .45, exclude (3+5)/20 = .40, maybe (2+1)/20 = .15
    # pe = (.45*.55 + .40*.60 + .15*.85) / (3 - 1) = (.2475 + .24 + .1275) / 2 = .3075
    # AC1 = (.8 - .3075) / (1 - .3075) = .4925 / .6925
    first = ["include"] * 4 + ["exclude"] * 3 + ["maybe", "include", "maybe"]
    second = ["include"] * 4 + ["exclude"] * 3 + ["maybe", "exclude", "exclude"]
    assert gwet_ac1(first, second) == pytest.approx(0.4925 / 0.6925, abs=1e-12)
    with pytest.raises(ValueError, match=r"ratings \['yes'\] are not among the categories"):
        gwet_ac1(["yes"], ["include"])


def test_pairwise_agreement_per_stage_uses_current_labels_of_units_both_screened(review, screening, five):
    labels_ann = ["include", "include", "exclude", "exclude", "maybe"]
    labels_bob = ["include", "exclude", "exclude", "exclude", "include"]
    for unit, a, b in zip(five, labels_ann, labels_bob):
        screening.decide("title_abstract", unit, "ann", a)
        screening.decide("title_abstract", unit, "bob", b)
    screening.decide("title_abstract", five[0], "cat", "include")
    screening.undo("title_abstract", "bob", five[4])  # withdrawn: not counted
    pairs = {p.reviewers: p for p in pairwise_agreement(screening)}
    ann_bob = pairs[("ann", "bob")]
    assert ann_bob.stage == "title_abstract" and ann_bob.units == 4
    assert ann_bob.percent_agreement == pytest.approx(3 / 4)
    assert ann_bob.kappa == pytest.approx(cohen_kappa_score(labels_ann[:4], labels_bob[:4]))
    assert pairs[("ann", "cat")].units == 1 and pairs[("ann", "cat")].percent_agreement == 1.0


def test_decisions_survive_reopening_the_store(review, screening, five):
    screening.decide("title_abstract", five[0], "ann", "include")
    path = review.store.path
    review.store.close()
    with Store(path) as store:
        reopened = Screening(store, review.protocol)
        assert reopened.own_labels("title_abstract", "ann") == {five[0]: "include"}
        review.store = Store(path)  # the fixture closes it at teardown


def run_cli(*args: str):
    from click.testing import CliRunner

    from livingreview.cli import cli

    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_decide_conflicts_resolve_and_agreement_commands(review, tmp_path, five):
    directory = review.directory
    review.close()
    assert run_cli("decide", directory, five[0], "include", "--reviewer", "ann").exit_code == 0
    decided = run_cli("decide", directory, five[0], "exclude", "--reviewer", "bob", "--reason", "C2",
                      "--note", "no NMDA drug", "--json")
    assert decided.exit_code == 0
    assert '"label": "exclude"' in decided.output and '"reason": "C2"' in decided.output
    listed = run_cli("conflicts", directory, "--json")
    assert f'"record_id": {five[0]}' in listed.output and '"bob": "exclude"' in listed.output
    agreement = run_cli("agreement", directory, "--json")
    assert '"reviewers": ["ann", "bob"]' in agreement.output and '"percent_agreement": 0.0' in agreement.output
    assert run_cli("resolve", directory, five[0], "include", "--reviewer", "cat").exit_code == 0
    assert '"conflicts": []' in run_cli("conflicts", directory, "--json").output
    status = run_cli("status", directory, "--json").output
    assert '"screened by ann": 1' in status and '"conflicts": 0' in status


def test_a_bad_reason_exits_1_with_the_record_named_and_nothing_stored(review, five):
    import subprocess
    import sys

    directory = review.directory
    done = subprocess.run([sys.executable, "-c", "from livingreview.cli import main; main()", "decide",
                           str(directory), str(five[0]), "exclude", "--reviewer", "ann", "--reason", "C7"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert f"record {five[0]}: exclusion reason 'C7'" in done.stderr
    assert review.store.scalar("SELECT COUNT(*) FROM decisions") == 0


def test_suggest_ranks_every_unscreened_record_with_evidence_in_json_and_csv(review, tmp_path, screening):
    import csv
    import json

    ids = add_records(review, tmp_path, [("Hip replacement costs", "A cost analysis."), KETAMINE_RCT,
                                         ("Esketamine for MDD", "Esketamine nasal spray in MDD.")])
    screening.decide("title_abstract", ids[0], "ann", "exclude")
    directory = review.directory
    result = run_cli("suggest", directory, "--json")
    payload = json.loads(result.output)
    assert payload["ranked_by"] == "criteria"
    assert [r["record_id"] for r in payload["records"]] == [ids[1], ids[2]]
    assert [r["rank"] for r in payload["records"]] == [1, 2]
    first = payload["records"][0]["criteria"]
    assert [c["verdict"] for c in first] == ["met", "met", "met"]
    assert {"field", "start", "end", "text", "vocabulary", "term", "negated"} == set(first[1]["evidence"][0])
    with (directory / "report" / "suggestions.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(r["record_id"]) for r in rows] == [ids[1], ids[2]]
    assert rows[0]["C2"] == "met" and 'intervention.ketamine' in rows[0]["C2_evidence"]
    screening.decide("title_abstract", ids[1], "ann", "include")
    assert json.loads(run_cli("suggest", directory, "--json").output)["ranked_by"] == "ranker"


def test_status_counts_exclusions_per_reason_and_a_resolution_decides_the_reason(review, screening, five):
    screening.decide("title_abstract", five[0], "ann", "exclude", reason="C2")
    screening.decide("title_abstract", five[1], "ann", "exclude", reason="C1")
    screening.decide("title_abstract", five[1], "bo", "exclude", reason="C3")
    screening.decide("title_abstract", five[2], "ann", "exclude")
    screening.decide("title_abstract", five[3], "ann", "exclude", reason="C1")
    screening.decide("title_abstract", five[3], "bo", "include")
    screening.resolve("title_abstract", five[3], "exclude", "lead", reason="C3")
    counts = project_status(review.store)["screening"]["title_abstract"]
    # five[1]: the reviewers disagree on the reason; the smallest id stands without a protocol order
    assert counts["excluded"] == 4
    assert counts["excluded_by_reason"] == {"C1": 1, "C2": 1, "C3": 1, "no reason given": 1}
