"""Europe PMC REST search responses (`format=json`, resultType lite, core or idlist).

The search client calls `parse_europepmc_page` on each decoded page; the importer reads a saved
page and keeps each result's text exactly as the file holds it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

from livingreview.importers.base import ImportFormatError, Importer
from livingreview.importers.json_pages import ItemText, array_items, as_dict, canonical_json, load_json
from livingreview.records import Record

EXPECTED = "a Europe PMC search response (JSON with resultList.result)"

# A tag starts with a letter: abstracts also hold bare comparisons such as "p < .05" and "<1 year".
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_HEADING = re.compile(r"<h4>(.*?)</h4>", re.IGNORECASE | re.DOTALL)
_INITIALS = re.compile(r"^[A-Z]{1,4}$")


def parse_europepmc_page(
    payload: dict[str, Any], *, where: str, verbatim: Sequence[ItemText] | None = None
) -> tuple[list[Record], dict[str, Any]]:
    """The records of one search page and its paging info: `{"hitCount", "nextCursorMark"}`.

    `verbatim` (one entry per result, from the saved file) supplies `raw`; without it `raw` is a
    canonical JSON dump of the result. Raises ImportFormatError naming the missing key.
    """
    results = _results(payload, where)
    if verbatim is not None and len(verbatim) != len(results):
        raise ImportFormatError(where, f"{EXPECTED}: {len(results)} results but {len(verbatim)} texts")
    records = []
    for number, result in enumerate(results, start=1):
        line = verbatim[number - 1].line if verbatim is not None else None
        raw = verbatim[number - 1].text if verbatim is not None else canonical_json(result)
        records.append(_record(result, raw, where, number, line))
    paging = {"hitCount": payload.get("hitCount"), "nextCursorMark": payload.get("nextCursorMark")}
    return records, paging


def _results(payload: object, where: str) -> list[Any]:
    if not isinstance(payload, dict):
        raise ImportFormatError(where, f"{EXPECTED}; found a JSON {type(payload).__name__}, not an object", line=1)
    result_list = payload.get("resultList")
    if not isinstance(result_list, dict):
        raise ImportFormatError(where, f"{EXPECTED}; the top-level key 'resultList' is missing"
                                f" (keys found: {', '.join(sorted(payload)) or 'none'})", line=1)
    results = result_list.get("result")
    if not isinstance(results, list):
        raise ImportFormatError(where, f"{EXPECTED}; 'resultList' has no 'result' list", line=1)
    return results


def _record(result: object, raw: str, where: str, number: int, line: int | None) -> Record:
    if not isinstance(result, dict) or not result.get("id") or not result.get("source"):
        raise ImportFormatError(where, "a result object with 'id' and 'source'", line=line, record=number)
    journal_info = as_dict(result.get("journalInfo"))
    journal = as_dict(journal_info.get("journal"))
    mesh, qualifiers = _mesh(result)
    extra: dict[str, object] = {
        "epmc_source": result["source"],
        "journal_iso": journal.get("isoabbreviation"),
        "issn": journal.get("issn") or journal.get("essn"),
        "mesh_qualifiers": qualifiers,
        "is_open_access": result.get("isOpenAccess") == "Y" if "isOpenAccess" in result else None,
        "cited_by": result.get("citedByCount"),
        "first_publication_date": result.get("firstPublicationDate"),
    }
    return Record(
        source="europepmc",
        raw=raw,
        source_id=f"{result['source']}:{result['id']}",
        title=_plain(result.get("title")),
        abstract=_abstract(result.get("abstractText")),
        authors=_authors(result),
        journal=journal.get("title") or result.get("journalTitle"),
        year=_year(result.get("pubYear") or journal_info.get("yearOfPublication")),
        volume=_str(journal_info.get("volume") or result.get("journalVolume")),
        issue=_str(journal_info.get("issue") or result.get("issue")),
        pages=_str(result.get("pageInfo")),
        doi=result.get("doi"),
        pmid=result.get("pmid"),
        pmcid=result.get("pmcid"),
        keywords=[k for k in as_dict(result.get("keywordList")).get("keyword", []) if isinstance(k, str)],
        mesh=mesh,
        publication_types=_publication_types(result),
        language=result.get("language"),
        extra={key: value for key, value in extra.items() if value not in (None, "", {}, [])},
    )


def _str(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def _year(value: object) -> int | None:
    text = str(value or "")[:4]
    return int(text) if text.isdigit() else None


def _plain(text: str | None) -> str | None:
    """Europe PMC marks titles and abstracts up with HTML (<i>, <sup>, <h4>); records hold plain text."""
    if not text:
        return None
    return " ".join(html.unescape(_TAG.sub("", text)).split()) or None


def _abstract(text: str | None) -> str | None:
    """Structured abstracts arrive as <h4>Heading</h4>text...; keep them as "Heading: text" paragraphs."""
    if not text:
        return None
    parts = _HEADING.split(text)
    paragraphs = [_plain(parts[0])]
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        label, content = _plain(heading), _plain(body)
        paragraphs.append(f"{label}: {content}" if label and content else label or content)
    return "\n\n".join(p for p in paragraphs if p) or None


def _authors(result: dict[str, Any]) -> list[str]:
    listed = as_dict(result.get("authorList")).get("author")
    if isinstance(listed, list):
        return [name for author in listed if (name := _author_name(as_dict(author)))]
    names = (result.get("authorString") or "").rstrip(".").split(", ")
    return [_comma_initials(name.strip()) for name in names if name.strip()]


def _author_name(author: dict[str, Any]) -> str | None:
    if author.get("lastName"):
        initials = author.get("initials") or author.get("firstName")
        return f"{author['lastName']}, {initials}" if initials else author["lastName"]
    return author.get("collectiveName") or author.get("fullName")


def _comma_initials(name: str) -> str:
    """`authorString` writes "Schoenfeld JD"; PubMed and RIS write "Schoenfeld, JD"."""
    last, _, initials = name.rpartition(" ")
    return f"{last}, {initials}" if last and _INITIALS.match(initials) else name


def _mesh(result: dict[str, Any]) -> tuple[list[str], dict[str, list[str]]]:
    descriptors: list[str] = []
    qualifiers: dict[str, list[str]] = {}
    for heading in as_dict(result.get("meshHeadingList")).get("meshHeading", []):
        name = as_dict(heading).get("descriptorName")
        if not name:
            continue
        descriptors.append(name)
        names = [str(q["qualifierName"]) for q in as_dict(heading.get("meshQualifierList")).get("meshQualifier", [])
                 if isinstance(q, dict) and q.get("qualifierName")]
        if names:
            qualifiers[name] = names
    return descriptors, qualifiers


def _publication_types(result: dict[str, Any]) -> list[str]:
    listed = as_dict(result.get("pubTypeList")).get("pubType")
    if isinstance(listed, list):
        return [t for t in listed if isinstance(t, str)]
    return [t.strip() for t in (result.get("pubType") or "").split(";") if t.strip()]


class EuropePmcImporter(Importer):
    name: ClassVar[str] = "europepmc-json"
    description: ClassVar[str] = "Europe PMC REST search response saved as JSON (resultType lite, core or idlist)"
    extensions: ClassVar[tuple[str, ...]] = (".json",)

    @classmethod
    def sniff(cls, head: str, path: Path) -> bool:
        return head.lstrip().startswith("{") and '"resultList"' in head and '"hitCount"' in head

    def parse(self, path: Path, encoding: str) -> Iterator[Record]:
        payload, text = load_json(path, encoding, EXPECTED)
        verbatim = array_items(text, ("resultList", "result")) if isinstance(payload, dict) else None
        records, _paging = parse_europepmc_page(payload, where=str(path), verbatim=verbatim)
        yield from records
