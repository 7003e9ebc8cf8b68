"""Web of Science tagged text ("Plain text" / savedrecs.txt).

`FN`/`VR` head the file and `EF` ends it; each record runs from `PT` to `ER`. A tag is two
characters and a space; a line starting with three spaces is the next value of the field above
(one author per line in AU/AF/C1), or the wrapped rest of a text field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from livingreview.importers._text import TaggedBlock, TaggedSyntax, field_values, first_value, pages_from, tagged_blocks, year_from
from livingreview.importers.base import Importer
from livingreview.records import Record

_SNIFF_HEADER = re.compile(r"^(?:\ufeff)?FN (?:Thomson Reuters|Clarivate|ISI)", re.MULTILINE)
_SNIFF_RECORD = re.compile(r"^PT [A-Z]\s*$(?:.|\n)*?^ER\s*$", re.MULTILINE)
# Web of Science's field tags. Some exports drop the space after a tag ('AUGilles, H'); a
# known tag glued to its value is still a tag, while an unknown pair of capitals without the
# space is not (a wrapped line can begin with capitals).
_KNOWN_TAGS = (
    "FN VR PT AU AF BA BF CA GP BE TI SO SE BS LA DT CT CY CL SP HO DE ID AB C1 C3 RP EM RI OI FU "
    "FP FX CR NR TC Z9 U1 U2 PU PI PA SN EI BN J9 JI PD PY VL IS PN SU SI MA BP EP AR DI DL D2 EA "
    "PG WC WE SC GA PM OA HC HP DA UT ER EF").split()
_TAG = re.compile(r"^(?=(?:" + "|".join(_KNOWN_TAGS) + r")\S|[A-Z][A-Z0-9](?: |$))([A-Z][A-Z0-9]) ?(.*)$")
_SYNTAX = TaggedSyntax(
    name="Web of Science", tag=_TAG, begin="PT", end="ER",
    shown_begin="'PT'", shown_end="'ER'", continuation=re.compile(r"^   "),
    between=re.compile(r"^\s*$"), file_tags=frozenset({"FN", "VR", "EF"}))
# Fields whose continuation lines are further values rather than wrapped text.
_LIST_TAGS = frozenset({"AU", "AF", "BA", "BF", "CA", "C1", "CR", "ED", "RP", "EM", "RI", "OI"})
# Keyword fields hold '; '-separated terms that may wrap across lines.
_KEYWORD_TAGS = ("DE", "ID")
_MAPPED = frozenset({"PT", "AU", "AF", "TI", "SO", "PY", "VL", "IS", "BP", "EP", "AR", "DI", "PM",
                     "AB", "DE", "ID", "UT", "LA", "DT"})


class WosImporter(Importer):
    name = "wos"
    description = "Web of Science tagged text (savedrecs.txt, .ciw)"
    extensions = (".txt", ".ciw")

    @classmethod
    def sniff(cls, head: str, path: Path) -> bool:
        return bool(_SNIFF_HEADER.search(head) or _SNIFF_RECORD.search(head))

    def parse(self, path: Path, encoding: str) -> Iterator[Record]:
        for block in tagged_blocks(path, encoding, _SYNTAX):
            yield _record(block)


def _record(block: TaggedBlock) -> Record:
    values = field_values(block.fields, list_tags=_LIST_TAGS)
    first = partial(first_value, values)

    keywords = [term.strip() for tag in _KEYWORD_TAGS for text in values.get(tag, [])
                for term in text.split(";") if term.strip()]
    return Record(
        source="wos",
        raw="".join(block.lines),
        source_id=first("UT"),
        title=first("TI"),
        abstract=first("AB"),
        authors=values.get("AF") or values.get("AU", []),
        journal=first("SO"),
        year=year_from(first("PY"), first("PD")),
        volume=first("VL"),
        issue=first("IS"),
        pages=pages_from(first("BP"), first("EP")) or first("AR"),
        doi=first("DI"),
        pmid=first("PM"),
        keywords=list(dict.fromkeys(keywords)),
        publication_types=[t.strip() for text in values.get("DT", []) for t in text.split(";")],
        language=first("LA"),
        extra={tag: found[0] if len(found) == 1 else found
               for tag, found in values.items() if tag not in _MAPPED},
    )
