"""ClinicalTrials.gov API v2 `/studies`: `pageToken` paging with `countTotal`.

Full study records are kept verbatim (`Record.raw`), including `resultsSection` with its outcome
measures and their PRIMARY/SECONDARY type, which extraction reads later.
"""

from __future__ import annotations

from typing import ClassVar

from livingreview.importers.ctgov import parse_ctgov_page
from livingreview.importers.json_pages import array_items
from livingreview.sources.base import PageRequest, ParsedPage, SourceClient, State, load_json_object


class CtgovClient(SourceClient):
    kind: ClassVar[str] = "ctgov"
    default_page_size: ClassVar[int] = 1000  # the API's maximum pageSize

    def requests_per_second(self) -> float:
        # The service throttles at about 50 requests a minute per address.
        return self.settings.rate or 50 / 60

    def initial_state(self) -> State:
        return {"token": None, "done": False}

    def next_request(self, state: State) -> PageRequest | None:
        if state["done"]:
            return None
        parameters = {**self.query.parameters, "format": "json", "pageSize": str(self.page_size),
                      "countTotal": "true"}
        if state["token"]:
            parameters["pageToken"] = state["token"]
        url = self.settings.ctgov_url.rstrip("/") + "/studies"
        return PageRequest("studies", "GET", url, parameters, "json")

    def parse(self, kind: str, body: bytes, state: State, where: str) -> ParsedPage:
        payload, text = load_json_object(body, where)
        verbatim = array_items(text, ("studies",))
        records, token, total = parse_ctgov_page(payload, where=where, verbatim=verbatim)
        first = state["token"] is None
        return ParsedPage(records, {"token": token, "done": not token},
                          count_reported=total if first else None)
