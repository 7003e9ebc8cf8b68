"""The contract between the search runner and one source's client.

A client is a small state machine: from a JSON-serialisable state it says which request comes
next, and from the raw body of that request's response it produces the page's records and the
next state. The runner owns sending, snapshots, storing and resuming, so every source gets them
the same way.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from livingreview.records import Record
from livingreview.sources.queries import SourceQuery
from livingreview.sources.settings import SourceSettings

State = dict[str, Any]


@dataclass(frozen=True)
class PageRequest:
    kind: str  # what the page is, e.g. "esearch", "efetch", "search", "studies"
    method: str
    url: str
    parameters: dict[str, str]
    suffix: str  # file extension of the raw body: "xml" or "json"


@dataclass
class ParsedPage:
    records: list[Record]
    next_state: State
    count_reported: int | None = None
    notes: list[str] = field(default_factory=list)


class PageFormatError(ValueError):
    """A response body that is not what the source documents (bad XML/JSON, wrong shape)."""


class SourceClient(ABC):
    kind: ClassVar[str]
    # Pages larger than this are asked for in several requests.
    default_page_size: ClassVar[int]

    def __init__(self, query: SourceQuery, settings: SourceSettings) -> None:
        self.query = query
        self.settings = settings
        self.page_size = settings.page_size or self.default_page_size

    @abstractmethod
    def requests_per_second(self) -> float:
        """The source's published limit (or a polite one where none is published)."""

    def credentials(self) -> dict[str, str]:
        """Parameters sent with every request but never stored (keys, contact addresses)."""
        return {}

    @abstractmethod
    def initial_state(self) -> State: ...

    def resume_state(self, state: State) -> State:
        """The state to continue from after an interruption (e.g. drop expired sessions)."""
        return state

    @abstractmethod
    def next_request(self, state: State) -> PageRequest | None:
        """The next request, or None when the search is complete."""

    @abstractmethod
    def parse(self, kind: str, body: bytes, state: State, where: str) -> ParsedPage:
        """Records and next state from one raw page; raises PageFormatError (or the importers'
        ImportFormatError) for a malformed page."""


def load_json_object(body: bytes, where: str) -> tuple[dict[str, Any], str]:
    """The page's JSON object and its text (from which records take their verbatim `raw`)."""
    try:
        text = body.decode("utf-8").lstrip("\ufeff")
        payload = json.loads(text)
    except UnicodeDecodeError as error:
        raise PageFormatError(f"{where}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise PageFormatError(f"{where}: invalid JSON at line {error.lineno} column {error.colno}: "
                              f"{error.msg} (truncated or not JSON)") from None
    if not isinstance(payload, dict):
        raise PageFormatError(f"{where}: expected a JSON object, got {type(payload).__name__}")
    return payload, text
