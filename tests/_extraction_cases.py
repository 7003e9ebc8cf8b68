"""Phrasing cases for the extraction rules (tests/test_extraction_*_general.py and friends): each
snippet goes through the whole text pipeline (`suggest_study` with the flagship protocol), so a
field sees what the other rules read, as on real records; only the fields a case names are checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from livingreview.extraction.lexicon import lexicon_path
from livingreview.extraction.service import suggest_study
from livingreview.protocol import load_protocol
from livingreview.protocol.models import Protocol
from livingreview.records import Record

needs_lexicon = pytest.mark.skipif(lexicon_path() is None, reason="drug-named-entity-recognition is not installed")

Case = tuple[str, str, dict[str, object]]  # title, abstract, the expected value of each field checked


@pytest.fixture(scope="module")
def flagship() -> Protocol:
    return load_protocol(Path(__file__).resolve().parent.parent / "examples" / "glutamate-entactogens" / "protocol.toml")


def suggested_values(protocol: Protocol, title: str, abstract: str) -> dict[str, object]:
    record = Record(source="test", raw="", title=title, abstract=abstract, id=23, source_id="t23")
    return {name: s.value for name, s in suggest_study(protocol, [record]).fields.items()}


def check_case(protocol: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    got = suggested_values(protocol, title, abstract)
    wrong = {name: (got.get(name), value) for name, value in expected.items() if got.get(name) != value}
    assert not wrong, f"(got, expected) by field: {wrong}"
