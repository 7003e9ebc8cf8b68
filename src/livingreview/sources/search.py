"""Running one source's search: live (snapshot every page, then store it) or offline (replay).

Each page's records, its `search_pages` row and the search's running count are stored in one
transaction, and the page's raw body is on disk before that. A killed search therefore resumes
from the next state of its last stored page: nothing lost, nothing stored twice.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from livingreview.errors import BadInput
from livingreview.protocol.models import Protocol, Source
from livingreview.records import Record
from livingreview.sources._transport import Clock, RetryPolicy, Sleep, SourceError, Transport
from livingreview.plugins import plugin_names
from livingreview.sources.base import PageRequest, ParsedPage, SourceClient, State, load_source
from livingreview.sources.queries import SourceQuery, build_query
from livingreview.sources.settings import SourceSettings
from livingreview.sources.snapshots import Snapshot, newest_complete, shown_url
from livingreview.store import Store
from livingreview.store import searches as searches_table
from livingreview.store.records import source_ids_in_search
from livingreview.store.searches import SearchRow

# (source name, records stored so far, count the source reported or None)
PageCallback = Callable[[str, int, int | None], None]


class MalformedPage(SourceError):
    """A page that could not be parsed; its raw body stays in the snapshot for inspection."""

    def __init__(self, source: str, url: str, snapshot_file: str, reason: str) -> None:
        self.url, self.snapshot_file, self.reason = url, snapshot_file, reason
        super().__init__(source, f"malformed page from {url} (kept as {snapshot_file}): {reason}; "
                                 "nothing from it was stored")


class NoSnapshot(SourceError):
    """Offline replay was asked for a source that was never searched to the end."""


@dataclass
class SearchOutcome:
    source: str
    kind: str
    search_id: int
    mode: str  # "live" or "offline"
    query: str
    count_reported: int | None
    count_retrieved: int
    snapshot: str
    pages: int
    requests: int = 0
    resumed: bool = False
    already_stored: bool = False
    repeats_dropped: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class _Run:
    """A search being stored: its row, its snapshot, where it stands."""

    search_id: int
    snapshot: Snapshot
    state: State
    next_seq: int
    resumed: bool
    outcome: SearchOutcome


def run_search(
    store: Store,
    project_dir: Path,
    protocol: Protocol,
    source: Source,
    *,
    settings: SourceSettings | None = None,
    offline: bool = False,
    since: date | None = None,
    on_page: PageCallback | None = None,
    on_retry: Callable[[str], None] | None = None,
    sleep: Sleep = time.sleep,
    clock: Clock = time.monotonic,
) -> SearchOutcome:
    settings = settings or SourceSettings.load()
    if offline:
        return _replay(store, project_dir, source, settings, on_page)
    query = build_query(protocol, source, since=since)
    client = load_source(source.kind).client(query, settings)
    run = _open_live(store, project_dir, client, query)
    transport = Transport(source.name, per_second=client.requests_per_second(),
                          timeout=settings.timeout, retry=RetryPolicy(attempts=settings.retries),
                          sleep=sleep, clock=clock, on_retry=on_retry)
    try:
        with transport:
            while (request := client.next_request(run.state)) is not None:
                body, status, url = _fetch(transport, client, request)
                path = run.snapshot.save_page(run.next_seq, request.kind, request.suffix, body,
                                              url=url, parameters=request.parameters,
                                              status=status)
                parsed = _parse(client, request.kind, body, run.state, path, project_dir, url)
                _store_page(store, run, request.kind, path, parsed, project_dir)
                if on_page:
                    on_page(source.name, run.outcome.count_retrieved, run.outcome.count_reported)
    except SourceError as error:
        _fail(store, run, str(error))
        raise
    finally:
        run.outcome.requests = transport.requests_sent
    return _finish(store, run)


def _fetch(transport: Transport, client: SourceClient,
           request: PageRequest) -> tuple[bytes, int, str]:
    url = shown_url(request.url, request.parameters)
    sent = {**request.parameters, **client.credentials()}
    if request.method == "POST":
        response = transport.request("POST", request.url, data=sent, shown_url=url)
    else:
        response = transport.request("GET", request.url, params=sent, shown_url=url)
    return response.content, response.status_code, url


def _parse(client: SourceClient, kind: str, body: bytes, state: State, path: Path,
           project_dir: Path, url: str) -> ParsedPage:
    where = str(path)
    try:
        return client.parse(kind, body, state, where)
    except (ValueError, KeyError, TypeError) as error:
        # ValueError covers the importers' ImportFormatError and PageFormatError; the others
        # are a payload of the wrong shape reaching code that trusted the documented one.
        reason = str(error) if isinstance(error, ValueError) else f"{type(error).__name__}: {error}"
        raise MalformedPage(client.query.source, url, _relative(path, project_dir), reason) from None


def _open_live(store: Store, project_dir: Path, client: SourceClient, query: SourceQuery) -> _Run:
    filters = _filters_text(json.loads(query.filters_json()), "live")
    unfinished = searches_table.unfinished_search(store, query.source, query.text, filters)
    if unfinished:
        run = _resume(store, project_dir, unfinished, client.initial_state())
        run.state = client.resume_state(run.state)
        store.log("search", "search.resume", subject=query.source,
                  detail={"search_id": unfinished.id, "from_page": run.next_seq})
        return run
    with store.transaction():
        search_id = searches_table.start_search(store, query.source, query.text, filters)
        snapshot = Snapshot.create(project_dir / "snapshots", query.source, search_id,
                                   _manifest_request(client, query))
        searches_table.set_snapshot_path(store, search_id,
                                         _relative(snapshot.directory, project_dir))
    outcome = SearchOutcome(query.source, query.kind, search_id, "live", query.text, None, 0,
                            _relative(snapshot.directory, project_dir), 0)
    store.log("search", "search.start", subject=query.source,
              detail={"search_id": search_id, "query": query.text, "kind": query.kind})
    return _Run(search_id, snapshot, client.initial_state(), 1, False, outcome)


def _resume(store: Store, project_dir: Path, row: SearchRow, initial: State) -> _Run:
    snapshot_path = row.snapshot_path or ""
    snapshot = Snapshot.open(project_dir / snapshot_path)
    last = searches_table.last_page(store, row.id)
    pages = searches_table.count_pages(store, row.id)
    state = last.next_state if last else initial
    outcome = SearchOutcome(row.source, snapshot.manifest["request"]["kind"], row.id, row.mode,
                            row.query, row.count_reported, row.count_retrieved, snapshot_path,
                            pages, resumed=True)
    searches_table.set_status(store, row.id, "running")
    return _Run(row.id, snapshot, state, (last.seq + 1) if last else 1, True, outcome)


def _manifest_request(client: SourceClient, query: SourceQuery) -> dict[str, Any]:
    # Enough to rebuild the client offline, whatever the protocol says by then.
    return {"kind": query.kind, "query": query.text, "parameters": query.parameters,
            "date_from": query.date_from.isoformat() if query.date_from else None,
            "date_to": query.date_to.isoformat() if query.date_to else None,
            "page_size": client.page_size, "generated": query.generated}


def _store_page(store: Store, run: _Run, kind: str, path: Path, parsed: ParsedPage,
                project_dir: Path) -> None:
    with store.transaction():
        fresh, repeats = _new_records(store, run.search_id, parsed.records)
        stored = store.insert_records(fresh, search_id=run.search_id)
        searches_table.add_page(store, run.search_id, seq=run.next_seq, kind=kind,
                                snapshot_file=_relative(path, project_dir), records=stored,
                                next_state=parsed.next_state,
                                count_reported=parsed.count_reported)
    outcome = run.outcome
    outcome.count_retrieved += stored
    outcome.pages += 1
    outcome.repeats_dropped += repeats
    outcome.notes.extend(parsed.notes)
    if parsed.count_reported is not None:
        outcome.count_reported = parsed.count_reported
    run.state = parsed.next_state
    run.next_seq += 1


def _new_records(store: Store, search_id: int, records: list[Record]) -> tuple[list[Record], int]:
    """Drop records this search already holds (a source listing one twice, or a page boundary
    that moved between a crash and its resume)."""
    held = source_ids_in_search(store, search_id, [r.source_id for r in records if r.source_id])
    fresh = []
    for record in records:
        if record.source_id and record.source_id in held:
            continue
        if record.source_id:
            held.add(record.source_id)
        fresh.append(record)
    return fresh, len(records) - len(fresh)


def _fail(store: Store, run: _Run, message: str) -> None:
    searches_table.set_status(store, run.search_id, "failed")
    store.log("search", "search.failed", subject=run.outcome.source,
              detail={"search_id": run.search_id, "error": message,
                      "count_retrieved": run.outcome.count_retrieved, "pages": run.outcome.pages})


def _finish(store: Store, run: _Run) -> SearchOutcome:
    outcome = run.outcome
    searches_table.finish_search(store, run.search_id)
    if outcome.mode == "live":
        run.snapshot.finish(outcome.count_reported, outcome.count_retrieved)
    store.log("search", "search.run", subject=outcome.source,
              detail={"search_id": run.search_id, "mode": outcome.mode,
                      "count_reported": outcome.count_reported,
                      "records": outcome.count_retrieved, "pages": outcome.pages,
                      "snapshot": outcome.snapshot, "resumed": outcome.resumed,
                      "repeats_dropped": outcome.repeats_dropped})
    return outcome


def _replay(store: Store, project_dir: Path, source: Source, settings: SourceSettings,
            on_page: PageCallback | None) -> SearchOutcome:
    root = project_dir / "snapshots"
    snapshot = newest_complete(root, source.name)
    if snapshot is None:
        raise NoSnapshot(source.name, f"no finished snapshot under {root}; run a live search first")
    path = _relative(snapshot.directory, project_dir)
    request = snapshot.manifest["request"]
    query = SourceQuery(source.name, request["kind"], request["query"], request["parameters"],
                        _date(request["date_from"]), _date(request["date_to"]),
                        request["generated"])
    client = load_source(request["kind"]).client(query, settings)
    client.page_size = int(request["page_size"])
    earlier = searches_table.searches_of_snapshot(store, path)
    done = [row for row in earlier if row.status == "complete"]
    if done:
        row = done[0]
        return SearchOutcome(source.name, query.kind, row.id, "offline", row.query,
                             row.count_reported, row.count_retrieved, path, 0,
                             already_stored=True)
    replaying = [row for row in earlier if row.filters.get("mode") == "offline"]
    if replaying:
        run = _resume(store, project_dir, replaying[0], client.initial_state())
    else:
        run = _open_replay(store, snapshot, query, path, client.initial_state())
    for page in snapshot.pages():
        if page.seq < run.next_seq:
            continue
        url = next(p["url"] for p in snapshot.manifest["pages"] if p["seq"] == page.seq)
        parsed = _parse(client, page.kind, page.path.read_bytes(), run.state, page.path,
                        project_dir, url)
        _store_page(store, run, page.kind, page.path, parsed, project_dir)
        if on_page:
            on_page(source.name, run.outcome.count_retrieved, run.outcome.count_reported)
    return _finish(store, run)


def _open_replay(store: Store, snapshot: Snapshot, query: SourceQuery, path: str,
                 initial: State) -> _Run:
    filters = _filters_text(json.loads(query.filters_json()), "offline")
    search_id = searches_table.start_search(store, query.source, query.text, filters, path)
    outcome = SearchOutcome(query.source, query.kind, search_id, "offline", query.text, None, 0,
                            path, 0)
    store.log("search", "search.replay", subject=query.source,
              detail={"search_id": search_id, "snapshot": path})
    return _Run(search_id, snapshot, initial, 1, False, outcome)


def _filters_text(filters: dict[str, Any], mode: str) -> str:
    return json.dumps({**filters, "mode": mode}, sort_keys=True)


def _relative(path: Path, project_dir: Path) -> str:
    try:
        return str(path.relative_to(project_dir))
    except ValueError:
        return str(path)


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@dataclass
class SearchReport:
    outcomes: list[SearchOutcome]
    failures: dict[str, SourceError]


def search_sources(
    store: Store,
    project_dir: Path,
    protocol: Protocol,
    *,
    names: list[str] | None = None,
    offline: bool = False,
    since: date | None = None,
    settings: SourceSettings | None = None,
    on_page: PageCallback | None = None,
    on_retry: Callable[[str], None] | None = None,
    sleep: Sleep = time.sleep,
) -> SearchReport:
    """Every chosen source in protocol order; one source failing does not stop the others."""
    settings = settings or SourceSettings.load()
    report = SearchReport([], {})
    for source in select_sources(protocol, names):
        try:
            report.outcomes.append(run_search(store, project_dir, protocol, source,
                                              settings=settings, offline=offline, since=since,
                                              on_page=on_page, on_retry=on_retry,
                                              sleep=sleep))
        except SourceError as error:
            report.failures[source.name] = error
    return report


def select_sources(protocol: Protocol, names: list[str] | None) -> list[Source]:
    if not protocol.sources:
        raise BadInput("the protocol lists no [[sources]]; add one (name, kind = "
                         f"{' | '.join(plugin_names('sources'))}) to search")
    known = {source.name: source for source in protocol.sources}
    unknown = [name for name in names or [] if name not in known]
    if unknown:
        raise BadInput(f"no source named {', '.join(unknown)} in the protocol; "
                         f"sources: {', '.join(known)}")
    return [known[name] for name in names] if names else list(protocol.sources)


def search_status(store: Store) -> dict[str, Any]:
    """Searches run and records stored per protocol source, with each source's latest run."""
    last_run = {}
    for row in searches_table.latest_search_per_source(store):
        reported = "?" if row.count_reported is None else row.count_reported
        last_run[row.source] = (f"{row.started_at[:10]} {row.mode} {row.status}: "
                                f"{row.count_retrieved} stored of {reported} reported")
    by_status = searches_table.searches_by_status(store)
    records = searches_table.searched_records_by_source(store)
    return {"searches": sum(by_status.values()), "by_status": by_status,
            "records_by_source": records, "last_run": last_run}
