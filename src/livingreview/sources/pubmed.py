"""PubMed through NCBI E-utilities: esearch on the history server, then efetch in batches.

ESearch can reach only the first 10,000 records of a result, so a larger result is split into
publication-date slices (`mindate`/`maxdate`, `datetype=pdat`), halved until each slice is
under the cap. Every request goes by POST: E-utilities accept it, long queries need it, and the
API key then travels in the body, never in a URL that a log could print.
"""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from operator import itemgetter
from typing import Any, ClassVar

from lxml import etree

from livingreview.importers.pubmed_xml import parse_pubmed_articles
from livingreview.sources.base import PageFormatError, PageRequest, ParsedPage, SearchSource, SourceClient, State
from livingreview.sources.queries import pubmed_parameters

HISTORY_CAP = 10_000
# Slicing needs a finite range; nothing in PubMed is dated before this.
EARLIEST = date(1700, 1, 1)


class PubmedClient(SourceClient):
    default_page_size: ClassVar[int] = 500

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
        bounds = None
        if self.query.date_from or self.query.date_to:
            bounds = [(self.query.date_from or EARLIEST).isoformat(),
                      (self.query.date_to or date.today()).isoformat()]
        return {"ranges": [bounds], "slice": None, "reported": None}

    def resume_state(self, state: State) -> State:
        # A WebEnv lives for hours at most: re-run the current slice's esearch, keep retstart.
        if state["slice"]:
            return {**state, "slice": {**state["slice"], "webenv": None, "query_key": None}}
        return state

    def next_request(self, state: State) -> PageRequest | None:
        current = state["slice"]
        if current and current["webenv"]:
            return self._efetch(current)
        if current:
            return self._esearch(current["range"])
        if state["ranges"]:
            return self._esearch(state["ranges"][0])
        return None

    def _esearch(self, bounds: list[str] | None) -> PageRequest:
        parameters = {"db": "pubmed", "term": self.query.parameters["term"], "usehistory": "y",
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
        first = state["reported"] is None
        next_state: State = {**state, "reported": count if first else state["reported"]}
        notes = []
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
        return ParsedPage([], next_state, count_reported=count if first else None, notes=notes)

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
        return ParsedPage(records, {**state, "slice": next_slice})


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


def _entrez_date(iso: str) -> str:
    return iso.replace("-", "/")


def _describe(bounds: list[str] | None) -> str:
    return f"{bounds[0]}..{bounds[1]}" if bounds else "all dates"
