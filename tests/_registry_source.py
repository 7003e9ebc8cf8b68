"""A source written the way a third-party package would write one: a paged JSON registry
(`GET /trials?offset=N&limit=M` answering `{"total": T, "trials": [{"id", "title"}, ...]}`),
registered at test time under the entry-point name `demo_registry`.

`DemoRegistryClient.base_url` is where it is served (a test points it at 127.0.0.1).
"""

from __future__ import annotations

import json
from datetime import date
from typing import ClassVar

from livingreview.protocol.models import Source
from livingreview.records import Record
from livingreview.sources.base import Block, PageFormatError, PageRequest, ParsedPage, SearchSource, SourceClient, State, load_json_object


class DemoRegistryClient(SourceClient):
    default_page_size: ClassVar[int] = 4
    base_url: ClassVar[str] = "http://127.0.0.1:9"

    def requests_per_second(self) -> float:
        return self.settings.rate or 5.0

    def initial_state(self) -> State:
        return {"offset": 0, "done": False}

    def next_request(self, state: State) -> PageRequest | None:
        if state["done"]:
            return None
        parameters = {"q": self.query.parameters["q"], "offset": str(state["offset"]),
                      "limit": str(self.page_size)}
        return PageRequest("trials", "GET", f"{self.base_url}/trials", parameters, "json")

    def parse(self, kind: str, body: bytes, state: State, where: str) -> ParsedPage:
        payload, _ = load_json_object(body, where)
        trials = payload.get("trials")
        if not isinstance(trials, list):
            raise PageFormatError(f"{where}: expected a 'trials' array")
        records = [Record(source="demo_registry", raw=json.dumps(trial, sort_keys=True),
                          source_id=trial["id"], title=trial["title"]) for trial in trials]
        offset = state["offset"] + len(trials)
        done = not trials or offset >= payload["total"]
        first = state["offset"] == 0
        return ParsedPage(records, {"offset": offset, "done": done},
                          count_reported=payload["total"] if first else None)


def demo_parameters(source: Source, blocks: list[Block], since: date | None) -> dict[str, str]:
    if source.query is not None:
        return {"q": source.query}
    # Every block's term labels ORed, the blocks ANDed: enough to show the protocol drives it.
    ors = [" | ".join(term.label for term in terms) for _, terms in blocks]
    return {"q": " & ".join(f"({part})" for part in ors)}


def demo_text(parameters: dict[str, str]) -> str:
    return parameters["q"]


SOURCE = SearchSource("demo_registry", DemoRegistryClient, demo_parameters, demo_text,
                      filter_prefixes=("status",), filter_hint="status (demo registry)")
