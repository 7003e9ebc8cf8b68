"""The contract between the search runner and one source.

A source is registered in the `livingreview.sources` entry-point group as a `SearchSource`: its
name (the protocol's `kind`), how it turns a protocol `[[sources]]` entry into request
parameters, and its client class. Built-ins are registered exactly like third-party sources.

A client is a small state machine: from a JSON-serialisable state it says which request comes
next, and from the raw body of that request's response it produces the page's records and the
next state. The runner owns sending, snapshots, storing and resuming, so every source gets them
the same way, live or replayed offline from a snapshot.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from livingreview.errors import BadInput
from livingreview.plugins import load_plugin
from livingreview.protocol.models import Source, Term
from livingreview.records import Record
from livingreview.sources.settings import SourceSettings

if TYPE_CHECKING:
    # Only a type here: queries.py imports this module to find the registered sources.
    from livingreview.sources.queries import SourceQuery

State = dict[str, Any]
# One concept block of a [[sources]] entry: the vocabulary's name and the terms it selects.
Block = tuple[str, list[Term]]


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


class PageFormatError(BadInput):
    """A response body that is not what the source documents (bad XML/JSON, wrong shape)."""


class SourceClient(ABC):
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


@dataclass(frozen=True)
class SearchSource:
    """What the `livingreview.sources` entry point of a source names.

    `parameters` builds the request parameters from the protocol entry, its concept blocks and
    an optional "new since" date; `shown_text` says which of them is the query a person reads
    (stored verbatim with the search). `filter_prefixes` are filter keys accepted beyond the
    common ones (humans, trials, publication_types, languages), named in errors by `filter_hint`.
    """

    name: str
    client: type[SourceClient]
    parameters: Callable[[Source, list[Block], date | None], dict[str, str]]
    shown_text: Callable[[dict[str, str]], str]
    filter_prefixes: tuple[str, ...] = ()
    filter_hint: str = ""


def load_source(kind: str) -> SearchSource:
    """The source registered as `kind`; PluginNotFound (listing valid kinds) when there is none."""
    registered = load_plugin("sources", kind)
    if not isinstance(registered, SearchSource) or registered.name != kind:
        raise TypeError(f"the livingreview.sources entry point '{kind}' must name a SearchSource "
                        f"whose name is '{kind}'; it names {registered!r}")
    return registered
