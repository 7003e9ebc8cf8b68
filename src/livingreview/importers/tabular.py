"""CSV and TSV: generic screening tables, Embase CSV and Scopus CSV.

Columns are matched to record fields by their (case- and punctuation-insensitive) names; the
`column_map` option (`--column FIELD=COLUMN`) overrides that. Columns matched to no field are
kept in `extra` under their own names, and the row's verbatim line(s) become `raw`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from livingreview.importers._text import numbered_lines, pages_from, present, strip_ending, year_from
from livingreview.importers.base import ImportFormatError, Importer
from livingreview.records import Record, normalise_doi

# Field -> column names that mean it, in order of preference, written as _key() leaves them.
_COLUMNS: dict[str, tuple[str, ...]] = {
    # 'ut' before 'id': in Web of Science's tab-delimited export ID is Keywords Plus.
    "record_id": ("record id", "recordid", "ut", "ut unique wos id", "unique wos id", "id", "key",
                  "eid", "accession number", "covidence"),
    "title": ("title", "article title", "document title", "primary title", "ti"),
    "abstract": ("abstract", "abstract note", "ab"),
    "authors": ("authors", "author", "author names", "author full names", "af", "au"),
    "year": ("year", "publication year", "published year", "pubyear", "py", "date",
             "publication date"),
    "journal": ("journal", "source title", "journal title", "publication title", "secondary title",
                "journal/book", "so"),
    "volume": ("volume", "vl"),
    "issue": ("issue", "number", "is"),
    "pages": ("pages", "page range"),
    "page_start": ("page start", "start page", "bp"),
    "page_end": ("page end", "end page", "ep"),
    "doi": ("doi", "di"),
    "pmid": ("pmid", "pubmed id", "pubmedid", "medline pmid", "pm"),
    "pmcid": ("pmcid", "pmc id"),
    "keywords": ("keywords", "author keywords", "index keywords", "manual tags", "automatic tags",
                 "de"),
    "mesh": ("mesh", "mesh terms", "mh"),
    "emtree": ("emtree drug index terms major focus", "emtree drug index terms",
               "emtree medical index terms major focus", "emtree medical index terms"),
    "nct_ids": ("clinical trial numbers", "nct", "nct id", "nct number", "trial registration"),
    "publication_types": ("document type", "publication type", "publication types", "item type",
                          "dt"),
    "language": ("language", "language of original document", "la"),
    "label": ("label included", "included", "label", "inclusion", "include"),
    "source": ("source",),
    "open_url": ("open url link",),
}
# Fields several columns add up to (Scopus has author and index keywords, Embase four Emtree lists).
_MULTI = frozenset({"keywords", "emtree"})
_MAPPABLE = ("record_id", "title", "abstract", "authors", "year", "journal", "volume", "issue",
             "pages", "doi", "pmid", "pmcid", "keywords", "mesh", "nct_ids", "publication_types",
             "language", "label")
_LABEL_VALUES = {"1": 1, "0": 0, "1.0": 1, "0.0": 0, "yes": 1, "no": 0, "true": 1, "false": 0,
                 "y": 1, "n": 0,
                 "included": 1, "excluded": 0, "include": 1, "exclude": 0}
_DELIMITERS = (",", ";", "\t", "|")
# Embase's Source column: 'Cancer (2004) 102:4 (253-258). Date of Publication: 25 Aug 2004'.
_EMBASE_SOURCE = re.compile(
    r"^(?P<journal>.+?) \((?P<year>\d{4})\)(?: (?P<volume>[^\s:(]+)(?::(?P<issue>[^\s(]+))?)?"
    r"(?: \((?P<pages>[^)]*)\))?")
_EMBASE_DOI = re.compile(r"[?&]id=doi:([^&]+)")
_INITIALS_LIST = re.compile(r"^[^,;]+ [A-Z][A-Za-z.\-]*\.(?:, [^,;]+ [A-Z][A-Za-z.\-]*\.)+$")
_NCT = re.compile(r"NCT\d{8}", re.IGNORECASE)


def _key(column: str) -> str:
    """'Emtree Drug Index Terms (Major Focus)' -> 'emtree drug index terms major focus'."""
    return " ".join(re.sub(r"[^0-9a-z/]+", " ", column.lower().replace("_", " ")).split())


class CsvImporter(Importer):
    name = "csv"
    description = "CSV / TSV tables: generic (title, abstract, ...), Embase CSV, Scopus CSV"
    extensions = (".csv", ".tsv", ".tab")

    @classmethod
    def accepted_options(cls) -> tuple[str, ...]:
        return ("column_map",)

    @classmethod
    def sniff(cls, head: str, path: Path) -> bool:
        first = head.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
        if not first or first.lstrip()[:1] in ("<", "{", "[", "@", "%"):
            return False
        header = next(csv.reader([first], delimiter=_delimiter(first)), [])
        names = {_key(column) for column in header}
        wanted = {name for field in ("title", "abstract", "doi", "pmid") for name in _COLUMNS[field]}
        return len(header) >= 2 and bool(names & wanted)

    def parse(self, path: Path, encoding: str) -> Iterator[Record]:
        lines = _LineTap(numbered_lines(path, encoding))
        first = lines.peek()
        if first is None:
            raise ImportFormatError(path, "a header row naming the columns", line=1)
        delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else _delimiter(first)
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        try:
            header = next(reader)
        except csv.Error as error:
            raise ImportFormatError(path, f"a readable header row ({error})", line=1) from None
        lines.take()
        column_map = self.options.get("column_map") or {}
        if not isinstance(column_map, dict):
            raise TypeError(f"column_map must map field names to column names, not {column_map!r}")
        columns = _match_columns(path, header, column_map)
        if "title" not in columns and "abstract" not in columns:
            names = ", ".join(f"'{name}'" for name in _COLUMNS["title"] + _COLUMNS["abstract"])
            raise ImportFormatError(
                path, f"a title or abstract column (one of {names}, or mapped with column_map); "
                "the header has " + ", ".join(repr(c) for c in header), line=1)
        produced = rows = 0
        while True:
            start = lines.next_number
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                raise ImportFormatError(path, f"a well-formed {_name(delimiter)} row ({error})",
                                        line=start, record=produced + 1) from None
            raw = lines.take()
            if not any(cell.strip() for cell in row):
                continue  # blank lines carry no record
            rows += 1
            if len(row) != len(header):
                raise ImportFormatError(
                    path, f"{len(header)} {_name(delimiter)}-separated fields as in the header, "
                    f"found {len(row)}", line=start, record=rows)
            produced += 1
            record = _record(path, header, columns, row, raw, start, rows)
            self._check_year(path, columns, row, record, start)
            yield record
        if rows != produced:
            raise ImportFormatError(path, f"{rows} rows but {produced} records were read")
        if produced == 0:
            raise ImportFormatError(path, "at least one data row after the header", line=2)

    def _check_year(self, path: Path, columns: dict[str, list[int]], row: list[str], record: Record,
                    line: int) -> None:
        given = present(row[columns["year"][0]]) if "year" in columns else None
        if given and record.year is None:
            self.warnings.append(f"{path}:{line}: year {given!r} holds no four-digit year; left empty")


class _LineTap:
    """Feeds csv.reader one line at a time and remembers the lines of the current row."""

    def __init__(self, lines: Iterator[tuple[int, str]]) -> None:
        self._lines = lines
        self._pending: tuple[int, str] | None = None
        self._taken: list[str] = []
        self.next_number = 1

    def peek(self) -> str | None:
        if self._pending is None:
            self._pending = next(self._lines, None)
        return strip_ending(self._pending[1]) if self._pending else None

    def __iter__(self) -> _LineTap:
        return self

    def __next__(self) -> str:
        if self.peek() is None:
            raise StopIteration
        assert self._pending is not None
        number, line = self._pending
        self._pending = None
        self._taken.append(line)
        self.next_number = number + 1
        return line

    def take(self) -> str:
        taken, self._taken = "".join(self._taken), []
        return taken


def _delimiter(header_line: str) -> str:
    """The candidate delimiter occurring most often outside quotes in the header line."""
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    counts = {d: unquoted.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _name(delimiter: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}[delimiter]


def _match_columns(path: Path, header: list[str], column_map: dict[str, str]) -> dict[str, list[int]]:
    """Field -> indexes of the columns holding it."""
    keys = [_key(column) for column in header]
    columns: dict[str, list[int]] = {}
    for field, names in _COLUMNS.items():
        found = [keys.index(name) for name in names if name in keys]
        if found:
            columns[field] = found if field in _MULTI else found[:1]
    for field, column in column_map.items():
        field = "record_id" if field in ("source_id", "id") else field
        if field not in _MAPPABLE:
            raise ImportFormatError(path, f"a field to map from one of {', '.join(_MAPPABLE)} "
                                    f"(not '{field}')", line=1)
        if column not in header:
            raise ImportFormatError(path, f"a column '{column}' for field '{field}'; the header has "
                                    + ", ".join(repr(c) for c in header), line=1)
        columns[field] = [header.index(column)]
        if field == "pages":
            columns.pop("page_start", None)
            columns.pop("page_end", None)
    return columns


def _record(path: Path, header: list[str], columns: dict[str, list[int]], row: list[str],
            raw: str, line: int, number: int) -> Record:
    def cell(field: str) -> str | None:
        indexes = columns.get(field)
        return present(row[indexes[0]]) if indexes else None

    def cells(field: str) -> list[str]:
        return [value for index in columns.get(field, []) if (value := present(row[index]))]

    used = {index for indexes in columns.values() for index in indexes}
    source = _embase_source(cell("source"))
    keywords = [term for text in cells("keywords") + cells("emtree") for term in _terms(text)]
    return Record(
        source="csv",
        raw=raw,
        source_id=cell("record_id"),
        title=cell("title"),
        abstract=cell("abstract"),
        authors=_authors(cell("authors")),
        journal=cell("journal") or source.get("journal"),
        year=year_from(cell("year"), source.get("year")),
        volume=cell("volume") or source.get("volume"),
        issue=cell("issue") or source.get("issue"),
        pages=cell("pages") or pages_from(cell("page_start"), cell("page_end")) or source.get("pages"),
        doi=cell("doi") or _embase_doi(cell("open_url")),
        pmid=cell("pmid"),
        pmcid=cell("pmcid"),
        nct_ids=sorted({m.upper() for m in _NCT.findall(cell("nct_ids") or "")}),
        keywords=list(dict.fromkeys(keywords)),
        mesh=[term for text in cells("mesh") for term in _terms(text)],
        publication_types=_terms(cell("publication_types") or ""),
        language=cell("language"),
        label=_label(path, header, columns, cell("label"), line, number),
        extra={header[index]: value for index, value in enumerate(row)
               if index not in used and present(value)},
    )


def _label(path: Path, header: list[str], columns: dict[str, list[int]], value: str | None,
           line: int, number: int) -> int | None:
    if value is None:
        return None
    try:
        return _LABEL_VALUES[value.lower()]
    except KeyError:
        column = header[columns["label"][0]]
        raise ImportFormatError(path, f"column '{column}' to hold 1/0 (yes/no, true/false), "
                                f"not {value!r}", line=line, record=number) from None


def _authors(text: str | None) -> list[str]:
    """';'-separated lists; Embase/Scopus 'Liu R., Adler D.G.' lists split on commas."""
    if not text:
        return []
    if ";" in text:
        parts = text.split(";")
    elif _INITIALS_LIST.match(text):
        parts = text.split(", ")
    else:
        parts = [text]
    return [name for name in (present(part) for part in parts) if name]


def _terms(text: str) -> list[str]:
    """Split a term list on ';' or, failing that, on commas outside parentheses (Emtree)."""
    if ";" in text:
        return [term for term in (present(t) for t in text.split(";")) if term]
    terms: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            terms.append("".join(current))
            current = []
        else:
            current.append(char)
    terms.append("".join(current))
    return [term for term in (present(t) for t in terms) if term]


def _embase_source(text: str | None) -> dict[str, str]:
    match = _EMBASE_SOURCE.match(text or "")
    if not match or "Date of Publication" not in (text or ""):
        return {"journal": text} if text else {}
    return {key: value for key, value in match.groupdict().items() if value}


def _embase_doi(url: str | None) -> str | None:
    match = _EMBASE_DOI.search(url or "")
    return normalise_doi(unquote(match.group(1))) if match else None
