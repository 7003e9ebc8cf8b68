"""PubMed through NCBI E-utilities: esearch on the history server, then efetch in batches.

ESearch can reach only the first 10,000 records of a result, so a larger result is split into
publication-date slices (`mindate`/`maxdate`, `datetype=pdat`), halved until each slice is
under the cap. Every request goes by POST: E-utilities accept it, long queries need it, and the
API key then travels in the body, never in a URL that a log could print.

A term longer than `LONGEST_TERM` is sent in parts, as ClinicalTrials.gov queries are: the
largest OR-list ANDed into the query is cut in two, each half searched with the rest of the query
unchanged, again until every part is short enough (so two long blocks give parts for each pair of
their halves). A AND (x OR y) is (A AND x) OR (A AND y), so the union of the parts' PMIDs is the
query's result; a record found by two parts is stored once. The query stored and shown is the
whole term; each part's exact term is kept with its esearch page in the snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from io import BytesIO
from itertools import product
from math import prod
from operator import itemgetter
from typing import Any, ClassVar

from lxml import etree

from livingreview.errors import BadInput
from livingreview.importers.pubmed_xml import parse_pubmed_articles
from livingreview.sources.base import PageFormatError, PageRequest, ParsedPage, SearchSource, SourceClient, State
from livingreview.sources.queries import SourceQuery, pubmed_parameters
from livingreview.sources.settings import SourceSettings

HISTORY_CAP = 10_000
# NCBI documents no limit on the length of `term`. Long terms are reported to fail: HTTP 414
# "request too large" for a term of about 3,000 characters (ropensci/rentrez issue 163, 2021),
# and 4,000 characters is the per-term limit other E-utilities clients work within
# (NCBI-Hackathons/phenotypeXpression pull request 31). PubMed's own search box has refused
# queries near that length. A term up to this long is sent whole; a longer one in parts.
LONGEST_TERM = 4000
# More parts than this means a query far beyond what one search should hold: refused, not sent.
MOST_PARTS = 100
# Slicing needs a finite range; nothing in PubMed is dated before this.
EARLIEST = date(1700, 1, 1)


class PubmedClient(SourceClient):
    default_page_size: ClassVar[int] = 500

    def __init__(self, query: SourceQuery, settings: SourceSettings) -> None:
        super().__init__(query, settings)
        self.parts = split_term(query.parameters["term"])

    def requests_per_second(self) -> float:
        # NCBI: at most 3 requests per second without an API key, 10 with one.
        limit = 10.0 if self.settings.ncbi_api_key else 3.0
        return min(self.settings.rate, limit) if self.settings.rate else limit

    def credentials(self) -> dict[str, str]:
        sent = {}
        if self.settings.ncbi_api_key:
            sent["api_key"] = self.settings.ncbi_api_key
        if self.settings.ncbi_email:
            sent["email"] = self.settings.ncbi_email
        return sent

    def initial_state(self) -> State:
        return {"part": 0, "counted": False, "ranges": [self._bounds()], "slice": None,
                "reported": None}

    def _bounds(self) -> list[str] | None:
        if not (self.query.date_from or self.query.date_to):
            return None
        return [(self.query.date_from or EARLIEST).isoformat(),
                (self.query.date_to or date.today()).isoformat()]

    def resume_state(self, state: State) -> State:
        # A WebEnv lives for hours at most: re-run the current slice's esearch, keep retstart.
        if state["slice"]:
            return {**state, "slice": {**state["slice"], "webenv": None, "query_key": None}}
        return state

    def next_request(self, state: State) -> PageRequest | None:
        current = state["slice"]
        term = self.parts[state.get("part", 0)]
        if current and current["webenv"]:
            return self._efetch(current)
        if current:
            return self._esearch(term, current["range"])
        if state["ranges"]:
            return self._esearch(term, state["ranges"][0])
        return None

    def _esearch(self, term: str, bounds: list[str] | None) -> PageRequest:
        parameters = {"db": "pubmed", "term": term, "usehistory": "y",
                      "retmax": "0", "retmode": "xml", "tool": self.settings.ncbi_tool}
        if bounds:
            parameters.update(datetype="pdat", mindate=_entrez_date(bounds[0]),
                              maxdate=_entrez_date(bounds[1]))
        return PageRequest("esearch", "POST", self._url("esearch.fcgi"), parameters, "xml")

    def _efetch(self, current: dict[str, Any]) -> PageRequest:
        parameters = {"db": "pubmed", "WebEnv": current["webenv"],
                      "query_key": str(current["query_key"]), "retstart": str(current["retstart"]),
                      "retmax": str(self.page_size), "retmode": "xml",
                      "tool": self.settings.ncbi_tool}
        return PageRequest("efetch", "POST", self._url("efetch.fcgi"), parameters, "xml")

    def _url(self, utility: str) -> str:
        return f"{self.settings.pubmed_url.rstrip('/')}/{utility}"

    def parse(self, kind: str, body: bytes, state: State, where: str) -> ParsedPage:
        if kind == "esearch":
            return self._after_esearch(body, state, where)
        if kind == "efetch":
            return self._after_efetch(body, state, where)
        raise PageFormatError(f"{where}: unknown PubMed page kind {kind!r}")

    def _after_esearch(self, body: bytes, state: State, where: str) -> ParsedPage:
        count, webenv, query_key = read_esearch(body, where)
        current = state["slice"]
        bounds = current["range"] if current else state["ranges"][0]
        rest = state["ranges"] if current else state["ranges"][1:]
        # The first esearch of each part counts: later ones re-count date slices of it.
        first = not state.get("counted", state["reported"] is not None)
        reported = (state["reported"] or 0) + count if first else state["reported"]
        next_state: State = {**state, "reported": reported, "counted": True}
        notes = self._part_notes(state, count) if first else []
        if count > HISTORY_CAP:
            halves = split_range(bounds, where, count)
            next_state.update(ranges=[*halves, *rest], slice=None)
            notes.append(f"{count} records exceed the {HISTORY_CAP} cap: split "
                         f"{_describe(bounds)} into {_describe(halves[0])} and {_describe(halves[1])}")
        elif count == 0:
            next_state.update(ranges=rest, slice=None)
        else:
            retstart = current["retstart"] if current else 0
            next_state.update(ranges=rest, slice={"range": bounds, "count": count, "webenv": webenv,
                                                  "query_key": query_key, "retstart": retstart})
        return ParsedPage([], self._next_part(next_state),
                          count_reported=reported if first else None, notes=notes)

    def _part_notes(self, state: State, count: int) -> list[str]:
        if len(self.parts) == 1:
            return []
        part = state.get("part", 0)
        notes = [f"query part {part + 1} of {len(self.parts)}: {count} records (the whole query "
                 f"is {len(self.query.parameters['term'])} characters, more than E-utilities "
                 f"take ({LONGEST_TERM}): it is sent in parts cut from its OR-lists, each "
                 "part's term kept in the snapshot)"]
        if part == 0:
            notes.append("the reported count adds the parts' counts (a record may be in several)")
        return notes

    def _next_part(self, state: State) -> State:
        """The state after a page: the next part starts when this one has nothing left."""
        part = state.get("part", 0)
        if state["slice"] or state["ranges"] or part + 1 >= len(self.parts):
            return state
        return {**state, "part": part + 1, "counted": False, "ranges": [self._bounds()]}

    def _after_efetch(self, body: bytes, state: State, where: str) -> ParsedPage:
        current = state["slice"]
        records = list(parse_pubmed_articles(BytesIO(body), where=where))
        expected = min(self.page_size, current["count"] - current["retstart"])
        if expected > 0 and not records:
            raise PageFormatError(f"{where}: no PubmedArticle in an efetch page where "
                                  f"{expected} were expected")
        retstart = current["retstart"] + self.page_size
        finished = retstart >= current["count"]
        next_slice = None if finished else {**current, "retstart": retstart}
        return ParsedPage(records, self._next_part({**state, "slice": next_slice}))


SOURCE = SearchSource("pubmed", PubmedClient, pubmed_parameters, itemgetter("term"))


def read_esearch(body: bytes, where: str) -> tuple[int, str, str]:
    """Count, WebEnv and QueryKey of an eSearchResult (XML, NCBI's esearch DTD)."""
    try:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        raise PageFormatError(f"{where}: not well-formed esearch XML ({error.msg})") from None
    if root.tag != "eSearchResult":
        raise PageFormatError(f"{where}: expected an eSearchResult, found <{root.tag}>")
    problem = root.findtext("ERROR")
    if problem:
        raise PageFormatError(f"{where}: esearch reported an error: {problem.strip()}")
    count, webenv, query_key = (root.findtext(t) for t in ("Count", "WebEnv", "QueryKey"))
    if count is None or not count.strip().isdigit():
        raise PageFormatError(f"{where}: eSearchResult without a numeric <Count>")
    if int(count) and not (webenv and query_key):
        raise PageFormatError(f"{where}: eSearchResult without <WebEnv>/<QueryKey>; "
                              "was usehistory=y honoured?")
    return int(count), webenv or "", query_key or ""


def split_range(bounds: list[str] | None, where: str, count: int) -> list[list[str]]:
    """Two halves of a publication-date range, the first ending the day before the second."""
    low, high = (date.fromisoformat(b) for b in bounds) if bounds else (EARLIEST, date.today())
    if low >= high:
        raise PageFormatError(
            f"{where}: {count} records were published on {low.isoformat()} alone, more than "
            f"esearch can page through ({HISTORY_CAP}); narrow the query")
    middle = low + timedelta(days=(high - low).days // 2)
    return [[low.isoformat(), middle.isoformat()],
            [(middle + timedelta(days=1)).isoformat(), high.isoformat()]]


def split_term(term: str, longest: int = LONGEST_TERM) -> list[str]:
    """The term itself, or parts of at most `longest` characters whose union is its result.

    Each OR-list ANDed into the term is cut into contiguous chunks of about equal length, and
    every combination of chunks (one per list) is a part. Of the ways to cut that make every
    part fit, the one with the fewest parts is taken. Raises BadInput when none does within
    `MOST_PARTS` parts."""
    if len(term) <= longest:
        return [term]
    units = _conjuncts(term) or []
    lists = {i: items for i, (operator, unit) in enumerate(units)
             if operator != "NOT" and len(items := _or_items(unit)) >= 2}
    whole = len(_join(units))
    chunk_lengths: dict[tuple[int, int], int] = {}

    def longest_part(counts: tuple[int, ...]) -> int:
        # A part is the whole term with each list replaced by one of its chunks.
        for i, count in zip(lists, counts, strict=True):
            if (i, count) not in chunk_lengths:
                chunk_lengths[i, count] = max(len(_or_text(c)) for c in _chunks(lists[i], count))
        return whole + sum(chunk_lengths[i, count] - len(units[i][1])
                           for i, count in zip(lists, counts, strict=True))

    fitting = [c for c in _cuts([len(items) for items in lists.values()], MOST_PARTS)
               if longest_part(c) <= longest] if lists else []
    if not fitting:
        # A union (OR at the top) or what NOT removes cannot be searched in parts.
        raise BadInput(f"the PubMed query is {len(term)} characters, more than E-utilities "
                       f"take ({longest}), and cutting the OR-lists ANDed into it does not make "
                       f"it short enough in {MOST_PARTS} parts or fewer; shorten it or split it "
                       "into two sources")
    best = min(fitting, key=lambda counts: (prod(counts), longest_part(counts)))
    return _parts(units, lists, dict(zip(lists, best, strict=True)))


def _cuts(sizes: list[int], budget: int) -> Iterator[tuple[int, ...]]:
    """Every choice of a chunk count per list (1 to its size) whose product is within budget."""
    if not sizes:
        yield ()
        return
    for count in range(1, min(sizes[0], budget) + 1):
        for rest in _cuts(sizes[1:], budget // count):
            yield (count, *rest)


def _parts(units: list[tuple[str, str]], lists: dict[int, list[str]],
           counts: dict[int, int]) -> list[str]:
    """Every combination of one chunk per OR-list, each in the place of its whole list."""
    chunked = [_chunks(lists[i], counts[i]) for i in lists]
    parts = []
    for choice in product(*chunked):
        chosen = dict(zip(lists, choice, strict=True))
        parts.append(_join([(operator, _or_text(chosen[i]) if i in chosen else unit)
                            for i, (operator, unit) in enumerate(units)]))
    return parts


def _chunks(items: list[str], count: int) -> list[list[str]]:
    """`items` cut into `count` contiguous, non-empty chunks of about equal length."""
    total = sum(len(item) for item in items)
    chunks: list[list[str]] = [[]]
    running = 0
    for index, item in enumerate(items):
        left = len(items) - index  # items not yet placed, this one included
        wanted = count - len(chunks)  # chunks still to open after the current one
        if chunks[-1] and (running >= total * len(chunks) / count or left == wanted) and wanted:
            chunks.append([])
        chunks[-1].append(item)
        running += len(item)
    return chunks


def _top_level(text: str) -> list[tuple[str, str]] | None:
    """(operator, operand) pairs at parenthesis depth 0 (the first operator is ""); None when
    the text mixes OR with AND/NOT at that depth or its parentheses or quotes do not balance."""
    pieces: list[tuple[str, str]] = []
    operator, start, depth, quoted, i = "", 0, 0, False, 0
    while i < len(text):
        character = text[i]
        if character == '"':
            quoted = not quoted
        elif not quoted and character in "()":
            depth += 1 if character == "(" else -1
            if depth < 0:
                return None
        elif not quoted and depth == 0 and character == " ":
            word = next((w for w in ("AND", "OR", "NOT") if text.startswith(f" {w} ", i)), None)
            if word:
                pieces.append((operator, text[start:i].strip()))
                operator, i = word, i + len(word) + 2
                start = i
                continue
        i += 1
    if depth or quoted:
        return None
    pieces.append((operator, text[start:].strip()))
    operators = {op for op, _ in pieces[1:]}
    return pieces if not ("OR" in operators and operators - {"OR"}) else None


def _conjuncts(text: str) -> list[tuple[str, str]] | None:
    """The term as operands joined by AND or NOT, nested AND-groups opened up; None if it is
    an OR at the top (a union cannot be split by cutting one of its operands)."""
    pieces = _top_level(text)
    if pieces is None or any(op == "OR" for op, _ in pieces):
        return None
    opened: list[tuple[str, str]] = []
    for operator, operand in pieces:
        nested = _conjuncts(operand[1:-1]) if operator != "NOT" and _enclosed(operand) else None
        # Opened: an AND-group, or doubled parentheses ("((x OR y))", a written OR-list the
        # builder wrapped); a lone operand keeps its own: "(x : y)".
        if nested and (len(nested) > 1 or _enclosed(nested[0][1])):
            opened.append((operator, nested[0][1]))
            opened.extend(nested[1:])
        else:
            opened.append((operator, operand))
    return opened


def _or_items(operand: str) -> list[str]:
    """The operands of an OR-list in parentheses; [] when the operand is not one."""
    if not _enclosed(operand):
        return []
    inner = _top_level(operand[1:-1])
    if inner is None or any(op not in ("", "OR") for op, _ in inner):
        return []
    return [item for _, item in inner]


def _enclosed(operand: str) -> bool:
    """Whether the operand is one parenthesised group: its first "(" closes at its end."""
    if not operand.startswith("("):
        return False
    depth, quoted = 0, False
    for i, character in enumerate(operand):
        if character == '"':
            quoted = not quoted
        elif not quoted and character in "()":
            depth += 1 if character == "(" else -1
            if depth == 0:
                return i == len(operand) - 1
    return False


def _or_text(items: list[str]) -> str:
    return items[0] if len(items) == 1 else "(" + " OR ".join(items) + ")"


def _join(units: list[tuple[str, str]]) -> str:
    return " ".join(unit if not operator else f"{operator} {unit}" for operator, unit in units)


def _entrez_date(iso: str) -> str:
    return iso.replace("-", "/")


def _describe(bounds: list[str] | None) -> str:
    return f"{bounds[0]}..{bounds[1]}" if bounds else "all dates"
