"""ClinicalTrials.gov API v2 `/studies`: `pageToken` paging with `countTotal`.

Full study records are kept verbatim (`Record.raw`), including `resultsSection` with its outcome
measures and their PRIMARY/SECONDARY type, which extraction reads later.

The API takes GET only, and long URLs are refused on the way, so a query whose URL would be too
long is sent in parts: the longest OR-list (typically every name of every drug) is cut into
chunks, each chunk searched with the rest of the query unchanged, and the union kept (a study
found by two parts is stored once).
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import urlencode

from livingreview.errors import BadInput
from livingreview.importers.ctgov import parse_ctgov_page
from livingreview.importers.json_pages import array_items
from livingreview.sources.base import PageRequest, ParsedPage, SearchSource, SourceClient, State, load_json_object
from livingreview.sources.queries import CTGOV_PASS_THROUGH, SourceQuery, ctgov_parameters, ctgov_text
from livingreview.sources.settings import SourceSettings

LONGEST_QUERY_STRING = 6000
_OR_LIST = re.compile(r'^\("[^"]*"(?: OR "[^"]*")*\)$')


class CtgovClient(SourceClient):
    default_page_size: ClassVar[int] = 1000  # the API's maximum pageSize

    def __init__(self, query: SourceQuery, settings: SourceSettings) -> None:
        super().__init__(query, settings)
        self.parts = split_parameters(query.parameters)

    def requests_per_second(self) -> float:
        # The service throttles at about 50 requests a minute per address.
        return self.settings.rate or 50 / 60

    def initial_state(self) -> State:
        return {"part": 0, "token": None, "done": False, "reported": 0}

    def next_request(self, state: State) -> PageRequest | None:
        if state["done"]:
            return None
        parameters = {**self.parts[state["part"]], "format": "json",
                      "pageSize": str(self.page_size), "countTotal": "true"}
        if state["token"]:
            parameters["pageToken"] = state["token"]
        url = self.settings.ctgov_url.rstrip("/") + "/studies"
        return PageRequest("studies", "GET", url, parameters, "json")

    def parse(self, kind: str, body: bytes, state: State, where: str) -> ParsedPage:
        payload, text = load_json_object(body, where)
        verbatim = array_items(text, ("studies",))
        records, token, total = parse_ctgov_page(payload, where=where, verbatim=verbatim)
        first_of_part = state["token"] is None
        reported = state["reported"] + (total or 0 if first_of_part else 0)
        if token:
            following = {**state, "token": token, "reported": reported}
        elif state["part"] + 1 < len(self.parts):
            following = {**state, "part": state["part"] + 1, "token": None, "reported": reported}
        else:
            following = {**state, "token": None, "done": True, "reported": reported}
        notes = []
        if first_of_part and state["part"] == 0 and len(self.parts) > 1:
            notes.append(f"the query is too long for one URL: sent in {len(self.parts)} parts; "
                         "the reported count adds the parts' counts (a study may be in several)")
        return ParsedPage(records, following,
                          count_reported=reported if first_of_part else None, notes=notes)


SOURCE = SearchSource("ctgov", CtgovClient, ctgov_parameters, ctgov_text,
                      filter_prefixes=CTGOV_PASS_THROUGH,
                      filter_hint="ClinicalTrials.gov parameters (filter.*, query.cond, ...)")


def split_parameters(parameters: dict[str, str]) -> list[dict[str, str]]:
    """The query's parameters as one or more sets, each short enough for a URL."""
    if len(urlencode(parameters)) <= LONGEST_QUERY_STRING:
        return [parameters]
    name = max(parameters, key=lambda key: len(parameters[key]))
    phrases = re.findall(r'"([^"]*)"', parameters[name])
    if not _OR_LIST.match(parameters[name]) or len(phrases) < 2:
        raise BadInput(f"ClinicalTrials.gov query too long for a URL and {name} is not a plain "
                         f"OR-list of phrases to split; shorten the query")
    others = {k: v for k, v in parameters.items() if k != name}
    room = LONGEST_QUERY_STRING - len(urlencode(others)) - len(name) - 2
    parts: list[dict[str, str]] = []
    chunk: list[str] = []
    for phrase in phrases:
        candidate = chunk + [phrase]
        if chunk and len(urlencode({name: _or_list(candidate)})) - len(name) - 1 > room:
            parts.append({**others, name: _or_list(chunk)})
            candidate = [phrase]
        chunk = candidate
    parts.append({**others, name: _or_list(chunk)})
    if any(len(urlencode(p)) > LONGEST_QUERY_STRING for p in parts):
        raise BadInput("ClinicalTrials.gov query too long for a URL even when split; "
                         "shorten its other parameters")
    return parts


def _or_list(phrases: list[str]) -> str:
    return "(" + " OR ".join(f'"{p}"' for p in phrases) + ")"
