"""RIS as exported by Lens, Zotero, EndNote, Embase, Ovid, ProQuest, Scopus and Web of Science.

A record runs from a `TY  - ` line to an `ER  - ` line. A line that is not a tag continues the
field above it: for list tags (authors, keywords) each such line is one more value, because
EndNote and Rayyan write one keyword per line under a single `KW  - `; for text fields the lines
are joined. Text between records (Ovid numbers its records and appends links) is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from functools import partial
from urllib.parse import unquote

from livingreview.importers._text import TaggedBlock, TaggedSyntax, field_values, first_value, pages_from, tagged_blocks, year_from
from livingreview.importers.base import Importer
from livingreview.records import Record

_ANY_LINE = re.compile("")
# The specification puts two spaces before the dash; some exporters write one ('TY - JOUR').
_SYNTAX = TaggedSyntax(
    name="RIS", tag=re.compile(r"^([A-Z][A-Z0-9])  ?-(?: (.*))?$"), begin="TY", end="ER",
    shown_begin="'TY  -'", shown_end="'ER  -'", continuation=_ANY_LINE, between=_ANY_LINE)
_SNIFF = re.compile(r"^(?:\ufeff)?TY  ?- ", re.MULTILINE)
# AU and A1 are the authors. A2-A4 are editors and the like (Ovid even lists cited authors in
# A2), so they stay in `extra`.
_AUTHOR_TAGS = ("AU", "A1")
_LIST_TAGS = frozenset({"AU", "A1", "A2", "A3", "A4", "KW"})
_TITLE_TAGS = ("TI", "T1", "CT")
_ABSTRACT_TAGS = ("AB", "N2")
_JOURNAL_TAGS = ("JF", "T2", "JO", "JA", "J2")
_YEAR_TAGS = ("PY", "Y1", "DA", "Y2")
_LINK_TAGS = ("UR", "L1", "L2", "L3", "L4")
# Tags whose whole content lands in a Record field; every other tag is kept in `extra`.
_MAPPED = frozenset({*_TITLE_TAGS, *_ABSTRACT_TAGS, *_AUTHOR_TAGS, *_JOURNAL_TAGS,
                     "KW", "VL", "IS", "SP", "EP", "DO", "LA", "ID", "TY", "ER"})
_DOI_URL = re.compile(r"doi\.org/(10\.\d{4,9}/\S+)", re.IGNORECASE)
_PMID_TEXT = re.compile(r"\bPMID:?\s*(\d{1,9})\b")
_DIGITS = re.compile(r"^\d{1,9}$")
# A PMCID as PubMed's RIS writes it in C2 ("PMC1234567", "PMCID: PMC1234567"), or in a link to
# the article in PubMed Central or Europe PMC.
_PMCID_TEXT = re.compile(r"^(?:PMCID:?\s*)?(PMC\d{1,9})$", re.IGNORECASE)
_PMCID_LINK = re.compile(r"(?:ncbi\.nlm\.nih\.gov/pmc/articles/|europepmc\.org/articles?/(?:PMC/)?)(PMC\d{1,9})\b",
                         re.IGNORECASE)
# Which tag holds the PubMed id depends on the exporting database (its DB / DP tag).
_PMID_TAG_BY_DATABASE = (("scopus", "C2"), ("embase", "C5"), ("medline", "AN"),
                         ("pubmed", "AN"), ("nlm", "AN"))


class RisImporter(Importer):
    name = "ris"
    description = "RIS (.ris): Zotero, EndNote, Lens, Embase, Ovid, ProQuest, Scopus, Web of Science"
    extensions = (".ris", ".txt")

    @classmethod
    def sniff(cls, head: str, path: Path) -> bool:
        return bool(_SNIFF.search(head))

    def parse(self, path: Path, encoding: str) -> Iterator[Record]:
        for block in tagged_blocks(path, encoding, _SYNTAX):
            yield _record(block)


def _record(block: TaggedBlock) -> Record:
    values = field_values(block.fields, joiner="\n", list_tags=_LIST_TAGS)
    first = partial(first_value, values)

    authors = [name for tag in _AUTHOR_TAGS for name in values.get(tag, [])]
    return Record(
        source="ris",
        raw="".join(block.lines),
        source_id=first("ID", "AN"),
        title=first(*_TITLE_TAGS),
        abstract=first(*_ABSTRACT_TAGS),
        authors=authors,
        journal=first(*_JOURNAL_TAGS),
        year=year_from(*(first(tag) for tag in _YEAR_TAGS)),
        volume=first("VL"),
        issue=first("IS"),
        pages=pages_from(first("SP"), first("EP")),
        doi=first("DO") or _doi_from_links(values),
        pmid=_pmid(values),
        pmcid=_pmcid(values),
        keywords=list(dict.fromkeys(values.get("KW", []))),
        language=first("LA"),
        label=_asreview_label(values.get("N1", [])),
        extra={tag: found[0] if len(found) == 1 else found
               for tag, found in values.items() if tag not in _MAPPED},
    )


def _doi_from_links(values: dict[str, list[str]]) -> str | None:
    for tag in _LINK_TAGS:
        for link in values.get(tag, []):
            match = _DOI_URL.search(unquote(link))
            if match:
                return match.group(1)
    return None


def _pmid(values: dict[str, list[str]]) -> str | None:
    databases = " ".join(values.get("DB", []) + values.get("DP", [])).lower()
    for database, tag in _PMID_TAG_BY_DATABASE:
        if database in databases:
            for value in values.get(tag, []):
                if _DIGITS.match(value):
                    return value
    for tag in ("AN", "N1", "C2"):
        for value in values.get(tag, []):
            match = _PMID_TEXT.search(value)
            if match:
                return match.group(1)
    return None


def _pmcid(values: dict[str, list[str]]) -> str | None:
    for tag in ("C2", "N1", "M2"):
        for value in values.get(tag, []):
            match = _PMCID_TEXT.match(value.strip())
            if match:
                return match.group(1)
    for tag in _LINK_TAGS:
        for link in values.get(tag, []):
            match = _PMCID_LINK.search(link)
            if match:
                return match.group(1)
    return None


def _asreview_label(notes: list[str]) -> int | None:
    """ASReview writes its screening decision into N1; keep it as the record's label."""
    text = " ".join(notes)
    if "ASReview_relevant" in text:
        return 1
    if "ASReview_irrelevant" in text:
        return 0
    return None
