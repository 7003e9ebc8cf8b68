"""Europe PMC REST search: `resultType=core`, `cursorMark` paging to the end.

Documented at https://europepmc.org/RestfulWebService: a cursor of `*` starts, each page gives
`nextCursorMark`; the end is a page without results or a cursor that does not move.
"""

from __future__ import annotations

from operator import itemgetter
from typing import ClassVar

from livingreview.importers.europepmc import parse_europepmc_page
from livingreview.importers.json_pages import array_items
from livingreview.sources.base import PageRequest, ParsedPage, SearchSource, SourceClient, State, load_json_object
from livingreview.sources.queries import europepmc_parameters

# Long queries go by POST (`searchPOST`): URLs beyond a few kilobytes are refused by proxies.
_LONGEST_GET_QUERY = 1500


class EuropePmcClient(SourceClient):
    default_page_size: ClassVar[int] = 1000  # the API's maximum pageSize

    def requests_per_second(self) -> float:
        # No published limit; EBI asks for moderate use. Ten a second is well inside it.
        return self.settings.rate or 10.0

    def initial_state(self) -> State:
        return {"cursor": "*", "done": False}

    def next_request(self, state: State) -> PageRequest | None:
        if state["done"]:
            return None
        parameters = {"query": self.query.parameters["query"], "resultType": "core",
                      "format": "json", "pageSize": str(self.page_size),
                      "cursorMark": state["cursor"]}
        base = self.settings.europepmc_url.rstrip("/")
        if len(parameters["query"]) > _LONGEST_GET_QUERY:
            return PageRequest("search", "POST", f"{base}/searchPOST", parameters, "json")
        return PageRequest("search", "GET", f"{base}/search", parameters, "json")

    def parse(self, kind: str, body: bytes, state: State, where: str) -> ParsedPage:
        payload, text = load_json_object(body, where)
        verbatim = array_items(text, ("resultList", "result"))
        records, paging = parse_europepmc_page(payload, where=where, verbatim=verbatim)
        cursor = paging.get("nextCursorMark")
        done = not records or not cursor or cursor == state["cursor"]
        first = state["cursor"] == "*"
        count = paging.get("hitCount")
        return ParsedPage(records, {"cursor": cursor or state["cursor"], "done": done},
                          count_reported=int(count) if first and count is not None else None)


SOURCE = SearchSource("europepmc", EuropePmcClient, europepmc_parameters, itemgetter("query"))
