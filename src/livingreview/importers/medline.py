"""MEDLINE / PubMed `.nbib` tagged text: `PMID- ` opens a record, a blank line closes it.

Tags are padded to four characters before `- `; a line starting with spaces continues the field
above it (PubMed wraps long values at about 80 columns).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from livingreview.importers._text import field_values, first_value, numbered_lines, strip_ending, year_from
from livingreview.importers.base import ImportFormatError, Importer
from livingreview.records import Record

_TAG = re.compile(r"^([A-Z][A-Z0-9]{0,3}) {0,3}-(?: (.*))?$")
_SNIFF = re.compile(r"^PMID- ?\d", re.MULTILINE)
_ID_KIND = re.compile(r"^(.*?)\s*\[(\w+)\]$")
_NCT = re.compile(r"NCT\d{8}", re.IGNORECASE)
_MAPPED = frozenset({"PMID", "TI", "AB", "FAU", "AU", "JT", "TA", "DP", "VI", "IP", "PG", "PMC",
                     "MH", "OT", "PT", "LA"})


class _Block:
    def __init__(self, line_number: int) -> None:
        self.start_line = line_number
        self.lines: list[str] = []
        self.fields: list[tuple[str, list[str]]] = []


class MedlineImporter(Importer):
    name = "medline"
    description = "MEDLINE / PubMed tagged text (.nbib, .txt)"
    extensions = (".nbib", ".medline", ".txt")

    @classmethod
    def sniff(cls, head: str, path: Path) -> bool:
        return bool(_SNIFF.search(head))

    def parse(self, path: Path, encoding: str) -> Iterator[Record]:
        starts = produced = number = 0
        block: _Block | None = None
        for number, line in numbered_lines(path, encoding):
            text = strip_ending(line)
            match = _TAG.match(text)
            if match and match.group(1) == "PMID":
                starts += 1
                if block is not None:  # PubMed always leaves a blank line, others may not
                    produced += 1
                    yield _record(block)
                block = _Block(number)
            if not text.strip():
                if block is not None:
                    produced += 1
                    yield _record(block)
                    block = None
                continue
            if block is None:
                raise ImportFormatError(path, "a record starting with 'PMID- '", line=number,
                                        record=produced + 1)
            block.lines.append(line)
            if match:
                block.fields.append((match.group(1), [match.group(2) or ""]))
            elif text[:1].isspace() and block.fields:
                block.fields[-1][1].append(text.strip())
            else:
                raise ImportFormatError(
                    path, "a 'TAG - value' line or an indented continuation line",
                    line=number, record=produced + 1)
        if block is not None:
            produced += 1
            yield _record(block)
        if starts != produced:
            raise ImportFormatError(path, f"{starts} 'PMID- ' lines but {produced} records were read")
        if produced == 0:
            raise ImportFormatError(path, "at least one MEDLINE record ('PMID- ...')", line=1)


def _record(block: _Block) -> Record:
    values = field_values(block.fields)
    first = partial(first_value, values)

    ids = _identifiers(values.get("AID", []) + values.get("LID", []))
    return Record(
        source="medline",
        raw="".join(block.lines),
        source_id=first("PMID"),
        title=first("TI"),
        abstract=first("AB"),
        authors=values.get("FAU") or values.get("AU", []),
        journal=first("JT") or first("TA"),
        year=year_from(first("DP")),
        volume=first("VI"),
        issue=first("IP"),
        pages=first("PG"),
        doi=ids.get("doi"),
        pmid=first("PMID"),
        pmcid=first("PMC"),
        nct_ids=sorted({m.upper() for si in values.get("SI", []) for m in _NCT.findall(si)}),
        keywords=values.get("OT", []),
        mesh=values.get("MH", []),
        publication_types=values.get("PT", []),
        language=first("LA"),
        extra={tag: found[0] if len(found) == 1 else found
               for tag, found in values.items() if tag not in _MAPPED},
    )


def _identifiers(article_ids: list[str]) -> dict[str, str]:
    """'10.1186/1471-2105-7-10 [doi]' -> {'doi': '10.1186/...'}; the first of each kind wins."""
    found: dict[str, str] = {}
    for article_id in article_ids:
        match = _ID_KIND.match(article_id)
        if match:
            found.setdefault(match.group(2).lower(), match.group(1))
    return found
