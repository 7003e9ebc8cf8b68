"""Every field of every entry in tests/data/bibtex_corpus/ reads as expected.json says.

The corpus holds what real exports do that broke earlier versions: @string in every spelling, a
space before the opening brace, author lists wrapped after 'and', LaTeX symbol commands
({\\hyphen}, {\\textgreater}), math, accents, corporate authors and name particles.
benchmarks/bench_bibtex.py scores bibtexparser 2 on the same files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from livingreview.importers.bibtex import BibtexImporter

CORPUS = Path(__file__).parent / "data" / "bibtex_corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_reads_as_expected(name: str) -> None:
    records = list(BibtexImporter().parse(CORPUS / name, "utf-8"))
    got = [{"key": r.source_id, "title": r.title, "authors": r.authors, "journal": r.journal,
            "year": r.year, "volume": r.volume, "issue": r.issue, "pages": r.pages, "doi": r.doi}
           for r in records]
    assert got == EXPECTED[name]


def test_every_corpus_file_has_expectations() -> None:
    assert {path.name for path in CORPUS.glob("*.bib")} == set(EXPECTED)
