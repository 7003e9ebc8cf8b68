"""An edited protocol.toml is logged and flagged; rule errors name the line of their key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from livingreview import Review
from livingreview.cli import cli
from livingreview.protocol import load_protocol
from livingreview.protocol.loader import ProtocolError


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    numbers = [n for n, line in enumerate(text.splitlines(), start=1) if line.strip() == needle]
    return numbers[occurrence - 1]


def test_a_rule_naming_an_unknown_term_reports_the_line_of_that_rule(
        tmp_path: Path, minimal_protocol: Path) -> None:
    text = minimal_protocol.read_text().replace('rule = "intervention.nmda_channel_blocker"',
                                                'rule = "intervention.no_such_class"')
    path = tmp_path / "protocol.toml"
    path.write_text(text)
    with pytest.raises(ProtocolError) as error:
        load_protocol(path)
    [(key, line, message)] = error.value.problems
    assert line == _line_of(text, 'rule = "intervention.no_such_class"')
    assert key == "criteria[1].rule" and "intervention.no_such_class" in message
    assert f"{path}:{line}:" in str(error.value)


def test_a_repeated_criterion_id_reports_the_line_of_its_second_use(
        tmp_path: Path, minimal_protocol: Path) -> None:
    text = minimal_protocol.read_text().replace('id = "C3"', 'id = "C1"')
    path = tmp_path / "protocol.toml"
    path.write_text(text)
    with pytest.raises(ProtocolError) as error:
        load_protocol(path)
    [(key, line, message)] = error.value.problems
    assert line == _line_of(text, 'id = "C1"', occurrence=2)
    assert key == "criteria[2].id" and "repeated: C1" in message


def _screened_review(directory: Path, protocol: Path, tmp_path: Path) -> None:
    records = tmp_path / "records.ris"
    records.write_text("".join(f"TY  - JOUR\nTI  - Ketamine study {n}\nPY  - 2020\nER  - \n\n"
                               for n in range(3)), encoding="utf-8")
    with Review.init(directory, protocol) as review:
        review.import_file(records)
        review.dedupe()
        units = review.screening.units()
        review.screening.decide("title_abstract", units[0], "ana", "exclude", reason="C2")
        review.screening.decide("title_abstract", units[1], "ana", "exclude", reason="C2")
        review.screening.decide("title_abstract", units[2], "ana", "include")


def _remove_c2_and_rename(protocol: Path) -> None:
    text = protocol.read_text().replace('id = "minimal"', 'id = "renamed"')
    start = text.index('[[criteria]]\nid = "C2"')
    protocol.write_text(text[:start] + text[text.index("[[criteria]]", start + 5):])


def _protocol_events(directory: Path) -> list[dict[str, object]]:
    with Review(directory) as review:
        return review.store.events("protocol", "protocol.changed")


def test_each_edit_of_the_protocol_is_logged_once_with_what_changed(
        tmp_path: Path, minimal_protocol: Path) -> None:
    directory = tmp_path / "review"
    _screened_review(directory, minimal_protocol, tmp_path)
    first = _protocol_events(directory)
    assert len(first) == 1 and first[0]["detail"]["changes"] == {"first_seen": True}
    assert len(_protocol_events(directory)) == 1  # opened again unchanged: nothing new
    _remove_c2_and_rename(directory / "protocol.toml")
    events = _protocol_events(directory)
    assert len(events) == 2
    changes = events[1]["detail"]["changes"]
    assert changes == {"criteria_removed": ["C2"], "review_id": ["minimal", "renamed"]}
    assert events[1]["detail"]["before_sha256"] == first[0]["detail"]["now"]["sha256"]


def test_status_warns_when_decisions_cite_a_removed_criterion_or_the_review_id_changed(
        tmp_path: Path, minimal_protocol: Path) -> None:
    directory = tmp_path / "review"
    _screened_review(directory, minimal_protocol, tmp_path)
    unchanged = CliRunner().invoke(cli, ["status", str(directory), "--json"])
    assert unchanged.exit_code == 0 and json.loads(unchanged.stdout)["warnings"] == []
    _remove_c2_and_rename(directory / "protocol.toml")
    result = CliRunner().invoke(cli, ["status", str(directory), "--json"])
    assert result.exit_code == 0
    warnings = json.loads(result.stdout)["warnings"]
    assert len(warnings) == 2
    assert "2 screening decisions cite criterion C2" in warnings[0]
    assert "'renamed'" in warnings[1] and "'minimal'" in warnings[1]
    assert "criterion C2, which protocol.toml no longer defines" in result.stderr


def test_screening_commands_warn_before_using_criteria_the_decisions_no_longer_match(
        tmp_path: Path, minimal_protocol: Path) -> None:
    directory = tmp_path / "review"
    _screened_review(directory, minimal_protocol, tmp_path)
    _remove_c2_and_rename(directory / "protocol.toml")
    result = CliRunner().invoke(cli, ["decide", str(directory), "1", "include",
                                      "--reviewer", "bo", "--json"])
    assert result.exit_code == 0, result.output
    assert "criterion C2, which protocol.toml no longer defines" in result.stderr
    assert "'renamed'" in result.stderr
