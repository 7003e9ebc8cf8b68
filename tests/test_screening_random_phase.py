"""The random-sample phase: how each decision's unit was drawn, the random queue, and the
statistically valid recall estimate it gives `status`."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pexpect
import pytest
from click.testing import CliRunner
from scipy.stats import chisquare

from conftest import fixture_path
from livingreview import Review
from livingreview.cli import cli
from livingreview.screening.stopping import (
    RandomSampleHypergeometric,
    RankedHypergeometric,
    StoppingObservation,
    evaluate_stopping,
    stop_verdict,
    stopping_status,
)
from livingreview.screening.workflow import Screening, ScreeningError, random_order
from livingreview.store import Store
from livingreview.store import migrations

CLI = [sys.executable, "-c", "from livingreview.cli import main; main()"]
STAGE = "title_abstract"
DRAWN_MIGRATION = "0004_decisions_record_how_the_unit_was_drawn"


def write_ris(path: Path, n: int) -> Path:
    path.write_text("".join(f"TY  - JOUR\nTI  - Study {i} of ketamine\nAB  - Abstract {i} on empathy.\nER  - \n\n"
                            for i in range(n)), encoding="utf-8")
    return path


def record_ids(review: Review) -> list[int]:
    return [row["id"] for row in review.store.query("SELECT id FROM records ORDER BY id")]


def drawn_column(store: Store) -> list[tuple[int, str | None]]:
    return [(row["record_id"], row["drawn"]) for row in store.query("SELECT record_id, drawn FROM decisions ORDER BY id")]


def label_word(relevant: int) -> str:
    return "include" if relevant else "exclude"


def status_json(directory: Path) -> dict:
    result = CliRunner().invoke(cli, ["status", str(directory), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["stopping"]


@pytest.fixture
def project(tmp_path: Path, minimal_protocol: Path) -> Path:
    directory = tmp_path / "review"
    with Review.init(directory, minimal_protocol) as review:
        review.import_file(write_ris(tmp_path / "records.ris", 40))
    return directory


# --- the migration -----------------------------------------------------------------------------

def test_a_project_made_by_the_previous_schema_gains_the_drawn_column(tmp_path, minimal_protocol, monkeypatch):
    # The old schema is built with its own migrations and plain SQL: today's Store writes columns
    # (events.round) that the old schema does not have yet.
    previous = [m.name for m in migrations.MIGRATIONS].index(DRAWN_MIGRATION)
    directory = tmp_path / "old"
    directory.mkdir()
    shutil.copyfile(minimal_protocol, directory / "protocol.toml")
    connection = sqlite3.connect(directory / "review.db", isolation_level=None)
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:previous])
        migrations.migrate(connection)
    assert "drawn" not in {row[1] for row in connection.execute("PRAGMA table_info(decisions)")}
    connection.execute("INSERT INTO imports (id, path, stored_copy, sha256, format, encoding, record_count,"
                       " imported_at) VALUES (1, 'r.ris', 'imports/r.ris', 'x', 'ris', 'utf-8', 10, 'then')")
    ids = [connection.execute("INSERT INTO records (import_id, source, raw, title, created_at)"
                              " VALUES (1, 'ris', 'TY  - JOUR', ?, 'then')", (f"Study {i}",)).lastrowid
           for i in range(10)]
    # What the previous version's decide wrote.
    for record_id, label in zip(ids[:3], ("include", "exclude", "exclude")):
        connection.execute("INSERT INTO decisions (stage, record_id, reviewer, label, decided_at)"
                           " VALUES (?, ?, 'ann', ?, '2026-01-01T00:00:00Z')", (STAGE, record_id, label))
    connection.close()

    with Review(directory) as review:
        assert review.store.scalar("PRAGMA user_version") == len(migrations.MIGRATIONS)
        assert drawn_column(review.store) == [(ids[0], None), (ids[1], None), (ids[2], None)]
        assert [d.drawn for d in review.screening.decisions(STAGE)] == [None, None, None]
        # Still append-only, old rows and new ones alike.
        for statement in ("UPDATE decisions SET drawn = 'random'", "DELETE FROM decisions"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                review.store.query(statement)
        review.screening.decide(STAGE, ids[3], "ann", "exclude", drawn="random")
        # Decisions now live in the judgement ledger, which checks the draw; `decisions` is its view.
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
            review.store.query("INSERT INTO judgements (item_kind, item_id, stage, reviewer_id, value, at, drawn)"
                               " VALUES ('screening_unit', ?, ?, 1, 'exclude', 'now', 'lucky')",
                               (f"record:{ids[4]}", STAGE))
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            review.store.query("INSERT INTO decisions (stage, record_id, reviewer, label, decided_at)"
                               " VALUES (?, ?, 'ann', 'exclude', 'now')", (STAGE, ids[4]))
        assert drawn_column(review.store)[-1] == (ids[3], "random")
        # Unknown draws are not random: one random unit after three unknown ones is the sample.
        status = stopping_status(review.store)
    assert status["random_draws"] == 1 and status["screened"] == 4


# --- the random queue --------------------------------------------------------------------------

def test_the_random_queue_is_seeded_stable_and_covers_exactly_the_pending_units(project: Path):
    with Review(project) as review:
        screening = Screening(review.store, review.protocol)
        ids = record_ids(review)
        screening.decide(STAGE, ids[0], "ann", "include")
        screening.decide(STAGE, ids[1], "bob", "exclude")  # bob's decision leaves ann's queue alone
        pending = screening.pending(STAGE, "ann")
        order = [u for u, _ in screening.queue(STAGE, "ann", seed=7, order="random")]
        assert sorted(order) == sorted(pending) == ids[1:]
        assert order == [u for u, _ in Screening(review.store, review.protocol).queue(STAGE, "ann", seed=7,
                                                                                        order="random")]
        assert order != [u for u, _ in screening.queue(STAGE, "ann", seed=8, order="random")]
        assert order != sorted(order)
        # Deciding units, first or from the middle, does not reshuffle the rest.
        screening.decide(STAGE, order[0], "ann", "exclude", drawn="random")
        screening.decide(STAGE, order[10], "ann", "include", drawn="random")
        after = [u for u, _ in screening.queue(STAGE, "ann", seed=7, order="random")]
        assert after == order[1:10] + order[11:]
        # Undo puts the unit back in its place.
        screening.undo(STAGE, "ann")
        assert [u for u, _ in screening.queue(STAGE, "ann", seed=7, order="random")] == order[1:]
        scores = [s for _, s in screening.queue(STAGE, "ann", seed=7, order="random")]
        assert scores == sorted(scores) and all(0 <= s < 1 for s in scores)
        with pytest.raises(ScreeningError, match="unknown queue order 'shuffled'; expected one of ranked, random"):
            screening.queue(STAGE, "ann", order="shuffled")


def test_every_unit_is_equally_likely_at_every_place_of_the_random_order():
    # 6 units over 6,000 seeds: each unit's place should be uniform (chi-square at every place).
    units = [3, 17, 18, 250, 251, 9000]
    places = np.zeros((len(units), len(units)), dtype=int)
    for seed in range(6000):
        for place, (unit, _) in enumerate(random_order(units, seed)):
            places[units.index(unit), place] += 1
    for row in places:
        assert chisquare(row).pvalue > 0.001
    assert chisquare(places[:, 0]).pvalue > 0.001


# --- how each decision was drawn ---------------------------------------------------------------

def test_decisions_store_how_their_unit_was_drawn(project: Path):
    with Review(project) as review:
        screening = Screening(review.store, review.protocol)
        ids = record_ids(review)
        assert screening.decide(STAGE, ids[0], "ann", "include").drawn == "chosen"
        assert screening.decide(STAGE, ids[1], "ann", "exclude", drawn="ranked").drawn == "ranked"
        assert screening.decide(STAGE, ids[2], "ann", "exclude", drawn="random").drawn == "random"
        with pytest.raises(ScreeningError, match=f"record {ids[3]}: unknown drawn 'lucky'; expected one of"
                                                 " ranked, random, chosen"):
            screening.decide(STAGE, ids[3], "ann", "exclude", drawn="lucky")
        undo = screening.undo(STAGE, "ann")  # withdraws the random draw of ids[2]
        resolution = screening.resolve(STAGE, ids[0], "include", "carl")
        events = [e["detail"]["drawn"] for e in review.store.events("screen")]
        stored = drawn_column(review.store)
    assert (undo.drawn, resolution.drawn) == ("random", "chosen")
    assert stored == [(ids[0], "chosen"), (ids[1], "ranked"), (ids[2], "random"), (ids[2], "random"),
                      (ids[0], "chosen")]
    assert events == [d for _, d in stored]

    runner = CliRunner()
    by_hand = runner.invoke(cli, ["decide", str(project), str(ids[5]), "include", "--reviewer", "ann", "--json"])
    assert by_hand.exit_code == 0, by_hand.output
    assert json.loads(by_hand.output)["drawn"] == "chosen"
    sampled = runner.invoke(cli, ["decide", str(project), str(ids[6]), "exclude", "--reviewer", "ann",
                                  "--drawn", "random"])
    assert sampled.exit_code == 0, sampled.output
    refused = runner.invoke(cli, ["decide", str(project), str(ids[7]), "exclude", "--reviewer", "ann",
                                  "--drawn", "lucky"])
    assert refused.exit_code == 2 and "'lucky' is not one of" in refused.output
    with Store(project / "review.db") as store:
        assert drawn_column(store)[-2:] == [(ids[5], "chosen"), (ids[6], "random")]


# --- status ------------------------------------------------------------------------------------

def test_without_a_random_phase_status_reports_the_ranked_rule_as_before(project: Path):
    labels = [1, 1, 0, 1] + [0] * 20
    with Review(project) as review:
        screening = Screening(review.store, review.protocol)
        ids = record_ids(review)
        # Random draws that ranked screening followed are no trailing sample.
        for record_id, label, drawn in zip(ids, labels, ["random"] * 3 + ["ranked", "chosen"] * 20):
            screening.decide(STAGE, record_id, "ann", label_word(label), drawn=drawn)
        status = stopping_status(review.store)
    results = evaluate_stopping(labels, 40)
    ranked = RankedHypergeometric().evaluate([StoppingObservation(x) for x in labels], 40, 0.95, 0.95)
    verdict = stop_verdict(results)
    assert status == {"stage": STAGE, "screened": 24, "units": 40, "target_recall": 0.95,
                      "estimated_recall": ranked.estimated_recall, "confidence": 0.95,
                      "stop": verdict.name, "explanation": verdict.explanation,
                      "rule": "hypergeometric-ranked", "random_draws": 0}
    assert not ranked.should_stop  # so no advice about a random sample either


def test_when_the_ranked_rule_says_stop_status_says_how_to_get_a_valid_estimate(tmp_path, minimal_protocol):
    directory = tmp_path / "review"
    labels = [1] * 60 + [0] * 300
    with Review.init(directory, minimal_protocol) as review:
        review.import_file(write_ris(tmp_path / "records.ris", 500))
        screening = Screening(review.store, review.protocol)
        for record_id, label in zip(record_ids(review), labels):
            screening.decide(STAGE, record_id, "ann", label_word(label), drawn="ranked")
    history = [StoppingObservation(x) for x in labels]
    assert RankedHypergeometric().evaluate(history, 500, 0.95, 0.95).should_stop
    advice = RandomSampleHypergeometric().evaluate(history, 500, 0.95, 0.95).explanation
    size = int(advice.split("screen about ")[1].split()[0])
    status = status_json(directory)
    assert status["rule"] == "hypergeometric-ranked" and status["random_draws"] == 0
    assert status["next_step"] == (
        "the ranked rule suggests stopping, but only a random sample gives a valid recall estimate: "
        f"screen about {size} records with `livingreview screen {directory} --reviewer NAME --sample random`")
    human = CliRunner().invoke(cli, ["status", str(directory)], env={"COLUMNS": "400"})
    assert human.exit_code == 0
    assert "--sample random" in human.output


def test_status_takes_the_random_sample_estimate_after_ranked_screening(tmp_path, minimal_protocol):
    # 300 records, 15 relevant; ranked screening (here: a good ranking, by hand) finds 13 of them
    # in 120 records, then the reviewer screens 150 of the rest in the seeded random order.
    directory = tmp_path / "review"
    rng = np.random.default_rng(4)
    with Review.init(directory, minimal_protocol) as review:
        review.import_file(write_ris(tmp_path / "records.ris", 300))
        screening = Screening(review.store, review.protocol)
        ids = record_ids(review)
        relevant = set(rng.choice(ids, 15, replace=False).tolist())
        truth = {i: int(i in relevant) for i in ids}
        ranked = sorted(relevant)[:13] + [i for i in ids if i not in relevant][:107]
        rng.shuffle(ranked)
        history = []
        for unit in ranked:
            screening.decide(STAGE, unit, "ann", label_word(truth[unit]), drawn="ranked")
            history.append(StoppingObservation(truth[unit]))
        before = stopping_status(review.store)
        sample = [u for u, _ in screening.queue(STAGE, "ann", seed=3, order="random")][:150]
        for unit in sample:
            screening.decide(STAGE, unit, "ann", label_word(truth[unit]), drawn="random")
            history.append(StoppingObservation(truth[unit], random=True))
    assert before["rule"] == "hypergeometric-ranked" and before["random_draws"] == 0

    expected = RandomSampleHypergeometric().evaluate(history, 300, 0.95, 0.95)
    beside = RankedHypergeometric().evaluate(history, 300, 0.95, 0.95)
    status = status_json(directory)
    assert status["rule"] == "hypergeometric" and status["random_draws"] == 150
    assert status["screened"] == 270 and status["units"] == 300
    assert status["estimated_recall"] == pytest.approx(expected.estimated_recall)
    assert status["stop"] == ("hypergeometric" if expected.should_stop else None)
    assert status["explanation"] == f"random-sample rule (hypergeometric) on 150 random draws: {expected.explanation}"
    assert status["ranked"] == {"estimated_recall": pytest.approx(beside.estimated_recall),
                                "stop": beside.should_stop, "explanation": beside.explanation}
    assert "next_step" not in status
    # The sample holds what the ranking missed (or not): the estimate must answer for it.
    assert f"{sum(truth[u] for u in sample)} relevant in a random sample of 150" in status["explanation"]
    human = CliRunner().invoke(cli, ["status", str(directory)], env={"COLUMNS": "400"})
    assert human.exit_code == 0
    assert "random-sample rule (hypergeometric) on 150 random draws" in human.output
    assert "ranked: estimated_recall" in human.output


def test_the_sample_is_the_units_first_decided_at_random_whoever_screens(project: Path):
    with Review(project) as review:
        screening = Screening(review.store, review.protocol)
        ids = record_ids(review)
        for record_id in ids[:10]:
            screening.decide(STAGE, record_id, "ann", label_word(record_id == ids[0]), drawn="ranked")
        bob = [u for u, _ in screening.queue(STAGE, "bob", seed=2, order="random")][:15]
        for unit in bob:
            screening.decide(STAGE, unit, "bob", "exclude", drawn="random")
        status = stopping_status(review.store)
        # ann's ranked decisions came first on the units both screened: only bob's new units are drawn.
        new = [u for u in bob if u not in ids[:10]]
        assert 0 < len(new) < 15
        assert status["random_draws"] == len(new) and status["screened"] == 10 + len(new)
        # A unit chosen by hand after the sample ends the random run.
        chosen = next(u for u in ids if u not in ids[:10] and u not in bob)
        screening.decide(STAGE, chosen, "ann", "exclude")
        assert stopping_status(review.store)["random_draws"] == 0


# --- the screener ------------------------------------------------------------------------------

def screener_keys(labels: list[int]) -> str:
    # include, or exclude with no reason (title-abstract)
    return "".join("i\n" if label else "e\n0\n" for label in labels)


@pytest.mark.realdata
def test_a_review_of_a_labelled_set_earns_the_random_sample_estimate(tmp_path, minimal_protocol):
    """Cohen 2006 NSAIDs: ranked screening until the ranked rule says stop, then the random sample
    it advises through `livingreview screen --sample random`."""
    directory = tmp_path / "review"
    with Review.init(directory, minimal_protocol) as review:
        review.import_file(fixture_path("screening", "cohen2006_NSAIDS.csv"))
        truth = {row["id"]: row["label"] for row in review.store.query("SELECT id, label FROM records")}
        assert len(truth) == 393 and sum(truth.values()) == 41
        screening = Screening(review.store, review.protocol)
        history: list[StoppingObservation] = []
        while not RankedHypergeometric().evaluate(history, 393, 0.95, 0.95).should_stop:
            for unit, _ in screening.queue(STAGE, "ann")[:10]:
                screening.decide(STAGE, unit, "ann", label_word(truth[unit]), drawn="ranked")
                history.append(StoppingObservation(truth[unit]))
        advice = stopping_status(review.store)["next_step"]
        size = int(advice.split("screen about ")[1].split()[0])
        sample = [u for u, _ in screening.queue(STAGE, "ann", seed=11, order="random")][:size]
    assert len(history) < 393 and "--sample random" in advice
    assert 0 < size < 393 - len(history)

    done = subprocess.run([*CLI, "screen", str(directory), "--reviewer", "ann", "--sample", "random",
                           "--seed", "11"], input=screener_keys([truth[u] for u in sample]) + "q\n",
                          text=True, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "random-sample phase" in done.stdout
    assert f"stopped; {size} decisions saved" in done.stdout
    shown = [int(n) for n in re.findall(r"saved decision \d+: \w+ record (\d+)", done.stdout)]
    assert shown == sample
    history += [StoppingObservation(truth[u], random=True) for u in sample]

    expected = RandomSampleHypergeometric().evaluate(history, 393, 0.95, 0.95)
    status = status_json(directory)
    assert status["rule"] == "hypergeometric" and status["random_draws"] == size
    assert status["estimated_recall"] == pytest.approx(expected.estimated_recall)
    assert status["stop"] == ("hypergeometric" if expected.should_stop else None)
    assert f"on {size} random draws" in status["explanation"]
    assert status["ranked"]["estimated_recall"] == pytest.approx(
        RankedHypergeometric().evaluate(history, 393, 0.95, 0.95).estimated_recall)


def test_the_terminal_screener_draws_the_random_sample_in_its_order(project: Path):
    with Review(project) as review:
        expected = [u for u, _ in review.screening.queue(STAGE, "ann", seed=5, order="random")]
    env = {**os.environ, "COLUMNS": "120", "LINES": "60", "TERM": "xterm"}
    child = pexpect.spawn(CLI[0], [*CLI[1:], "screen", str(project), "--reviewer", "ann", "--sample", "random",
                                   "--seed", "5"], env=env, timeout=60)
    child.expect(re.escape("random-sample phase (seed 5)"))
    child.expect(re.escape("[q] quit"))
    child.send("i")
    child.expect(rb"saved decision \d+: include record (\d+)")
    first = int(child.match.group(1))
    child.expect(re.escape("[q] quit"))
    child.send("e")
    child.expect(re.escape("[c] cancel"))
    child.send("0")
    child.expect(rb"saved decision \d+: exclude record (\d+)")
    second = int(child.match.group(1))
    child.expect(re.escape("[q] quit"))
    child.send("q")
    child.expect(pexpect.EOF)
    assert [first, second] == expected[:2]
    with Store(project / "review.db") as store:
        assert drawn_column(store) == [(first, "random"), (second, "random")]


def test_status_offers_no_random_sample_once_every_unit_is_screened(tmp_path, minimal_protocol):
    # The flagship after `run`: the curator screened every record, so no record is left to draw.
    labels = [1] * 5 + [0] * 35
    with Review.init(tmp_path / "review", minimal_protocol) as review:
        review.import_file(write_ris(tmp_path / "records.ris", 40))
        screening = Screening(review.store, review.protocol)
        for record_id, label in zip(record_ids(review), labels):
            screening.decide(STAGE, record_id, "ann", label_word(label), drawn="ranked")
        status = stopping_status(review.store)
    assert RankedHypergeometric().evaluate([StoppingObservation(x) for x in labels], 40, 0.95, 0.95).should_stop
    assert status["screened"] == status["units"] == 40
    assert "next_step" not in status
