"""A real HTTP server on 127.0.0.1 for the source tests, with simulators of the three APIs.

The simulators answer in the formats the services document (E-utilities esearch/efetch XML,
Europe PMC search JSON, ClinicalTrials.gov v2 `/studies` JSON); faults are queued per path and
served in order before normal answers resume. Every request is recorded with its arrival time.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape


@dataclass
class Seen:
    method: str
    path: str
    params: dict[str, str]
    at: float
    raw_target: str
    body: bytes


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


@dataclass
class Fault:
    """One injected misbehaviour: `kind` is status | slow | reset | truncate | body | hang, or
    `pass` (answer normally: lets a fault be aimed at the n-th request)."""

    kind: str
    status: int = 500
    retry_after: str | None = None
    seconds: float = 0.0
    body: bytes = b""
    released: threading.Event | None = None


Handler = Callable[[Seen], Reply]


class SourceServer:
    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self.seen: list[Seen] = []
        self.reached = threading.Event()  # set when a `hang` fault is hit
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> SourceServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for queue in self.faults.values():
            for fault in queue:
                if fault.released:
                    fault.released.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def route(self, path: str, handler: Handler) -> None:
        self.routes[path] = handler

    def inject(self, path: str, *faults: Fault) -> None:
        self.faults[path].extend(faults)

    def requests(self, path: str | None = None) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if path is None or s.path == path]

    def _next_fault(self, path: str) -> Fault | None:
        with self._lock:
            queue = self.faults.get(path)
            return queue.popleft() if queue else None

    def _record(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)


def _handler_class(server: SourceServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass  # the tests read `server.seen`, not stderr

        def do_GET(self) -> None:
            self._answer(b"")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self._answer(self.rfile.read(length))

        def _answer(self, body: bytes) -> None:
            split = urlsplit(self.path)
            params = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
            if body:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
                params.update({k: v[-1] for k, v in form.items()})
            seen = Seen(self.command, split.path, params, time.monotonic(), self.path, body)
            server._record(seen)
            fault = server._next_fault(split.path)
            if fault and self._misbehave(fault):
                return
            handler = server.routes.get(split.path)
            reply = handler(seen) if handler else Reply(404, b'{"error": "no such path"}')
            if fault and fault.kind == "slow":
                time.sleep(fault.seconds)
            self._send(reply.status, reply.body, {"Content-Type": reply.content_type,
                                                  **reply.headers})

        def _misbehave(self, fault: Fault) -> bool:
            """Serve the fault; True when it replaces the normal answer."""
            if fault.kind == "status":
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                self._send(fault.status, b'{"error": "injected"}', headers)
                return True
            if fault.kind == "reset":
                # SO_LINGER 0 makes close() send RST: the client sees a connection reset.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True
                return True
            if fault.kind == "truncate":
                # Promise more bytes than are sent, then hang up mid-body.
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(fault.body) + 1000))
                self.end_headers()
                self.wfile.write(fault.body)
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return True
            if fault.kind == "body":
                self._send(200, fault.body, {})
                return True
            if fault.kind == "hang":
                server.reached.set()
                assert fault.released is not None
                fault.released.wait(30)
                self.close_connection = True
                return True
            return False  # "slow" (answered normally, late) or "pass"

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up (a timeout test)

    return _Handler


# --- E-utilities (PubMed) ---------------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    pmid: str
    published: date
    title: str


def pubmed_article_xml(article: Article) -> str:
    """A PubmedArticle in NLM's pubmed_250101 DTD shape, with the elements the parser reads."""
    d = article.published
    return (
        f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">'
        f'<PMID Version="1">{article.pmid}</PMID><Article PubModel="Print">'
        f"<Journal><JournalIssue CitedMedium=\"Print\"><Volume>1</Volume><PubDate>"
        f"<Year>{d.year}</Year><Month>{d.month:02d}</Month><Day>{d.day:02d}</Day></PubDate>"
        f"</JournalIssue><Title>Journal of Simulated Trials</Title></Journal>"
        f"<ArticleTitle>{escape(article.title)}</ArticleTitle>"
        f"<Abstract><AbstractText>Abstract of {article.pmid}.</AbstractText></Abstract>"
        f'<AuthorList CompleteYN="Y"><Author ValidYN="Y"><LastName>Tester</LastName>'
        f"<Initials>T</Initials></Author></AuthorList><Language>eng</Language>"
        f"</Article></MedlineCitation><PubmedData><ArticleIdList>"
        f'<ArticleId IdType="pubmed">{article.pmid}</ArticleId></ArticleIdList>'
        f"</PubmedData></PubmedArticle>"
    )


class EutilsSimulator:
    """esearch (with the history server and pdat date limits) and efetch over `articles`.

    Built from NCBI's documented eSearchResult format (esearch DTD 20060628); the efetch pages
    are PubmedArticleSet XML. `pages`, if given, replaces efetch bodies (real files) by index.
    """

    def __init__(self, articles: list[Article], pages: list[bytes] | None = None) -> None:
        self.articles = sorted(articles, key=lambda a: a.pmid)
        self.pages = pages
        self.histories: dict[str, list[Article]] = {}

    def install(self, server: SourceServer, prefix: str = "/eutils") -> None:
        server.route(f"{prefix}/esearch.fcgi", self.esearch)
        server.route(f"{prefix}/efetch.fcgi", self.efetch)

    def esearch(self, seen: Seen) -> Reply:
        chosen = self.articles
        if "mindate" in seen.params:
            low = date.fromisoformat(seen.params["mindate"].replace("/", "-"))
            high = date.fromisoformat(seen.params["maxdate"].replace("/", "-"))
            chosen = [a for a in chosen if low <= a.published <= high]
        webenv = f"MCID_simulated_{len(self.histories) + 1}"
        self.histories[webenv] = chosen
        body = (
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            '<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
            '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
            f"<eSearchResult><Count>{len(chosen)}</Count><RetMax>0</RetMax><RetStart>0</RetStart>"
            f"<QueryKey>1</QueryKey><WebEnv>{webenv}</WebEnv><IdList/><TranslationSet/>"
            f"<QueryTranslation>{escape(seen.params.get('term', ''))}</QueryTranslation>"
            "</eSearchResult>"
        )
        return Reply(body=body.encode(), content_type="text/xml")

    def efetch(self, seen: Seen) -> Reply:
        history = self.histories.get(seen.params.get("WebEnv", ""))
        if history is None:
            return Reply(400, b"<eFetchResult><ERROR>Unable to obtain query #1</ERROR></eFetchResult>",
                         content_type="text/xml")
        start, size = int(seen.params["retstart"]), int(seen.params["retmax"])
        if self.pages is not None:
            return Reply(body=self.pages[start // size], content_type="text/xml")
        chosen = history[start:start + size]
        body = ('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle,'
                ' 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
                "<PubmedArticleSet>" + "".join(pubmed_article_xml(a) for a in chosen)
                + "</PubmedArticleSet>")
        return Reply(body=body.encode(), content_type="text/xml")


# --- Europe PMC -------------------------------------------------------------------------------


def europepmc_result(number: int) -> dict[str, object]:
    """A `resultType=core` result with the members Europe PMC documents for MEDLINE records."""
    return {"id": str(40000000 + number), "source": "MED", "pmid": str(40000000 + number),
            "doi": f"10.1234/sim.{number}", "title": f"Simulated Europe PMC record {number}",
            "authorString": "Tester T.", "pubYear": "2024",
            "abstractText": f"Abstract of simulated record {number}.",
            "journalInfo": {"journal": {"title": "Journal of Simulated Trials"}}}


class EuropePmcSimulator:
    """`/search` and `/searchPOST` with cursorMark paging; the last page repeats its cursor."""

    def __init__(self, results: list[dict[str, object]]) -> None:
        self.results = results

    def install(self, server: SourceServer, prefix: str = "/europepmc") -> None:
        server.route(f"{prefix}/search", self.search)
        server.route(f"{prefix}/searchPOST", self.search)

    def search(self, seen: Seen) -> Reply:
        cursor = seen.params.get("cursorMark", "*")
        start = 0 if cursor == "*" else int(cursor.removeprefix("AoE"))
        size = int(seen.params.get("pageSize", "25"))
        chunk = self.results[start:start + size]
        following = f"AoE{start + len(chunk)}" if chunk else cursor
        payload = {"version": "6.9", "hitCount": len(self.results), "nextCursorMark": following,
                   "request": {"queryString": seen.params.get("query"), "resultType": "core",
                               "cursorMark": cursor, "pageSize": size},
                   "resultList": {"result": chunk}}
        return Reply(body=json.dumps(payload, indent=1).encode())


# --- ClinicalTrials.gov -----------------------------------------------------------------------


def ctgov_study(number: int) -> dict[str, object]:
    """A study in the v2 shape (protocolSection.identificationModule ...), with a results section
    holding one primary outcome measure."""
    return {
        "protocolSection": {
            "identificationModule": {"nctId": f"NCT{90000000 + number:08d}",
                                     "briefTitle": f"Simulated trial {number}"},
            "statusModule": {"overallStatus": "COMPLETED",
                             "startDateStruct": {"date": "2021-03"}},
            "designModule": {"studyType": "INTERVENTIONAL"},
        },
        "resultsSection": {"outcomeMeasuresModule": {"outcomeMeasures": [
            {"type": "PRIMARY", "title": f"Empathy score {number}", "timeFrame": "2 hours"}]}},
        "hasResults": True,
    }


class CtgovSimulator:
    """`/studies` with pageToken paging; `totalCount` when `countTotal=true`."""

    def __init__(self, studies: list[dict[str, object]]) -> None:
        self.studies = studies

    def install(self, server: SourceServer, prefix: str = "/ctgov") -> None:
        server.route(f"{prefix}/studies", self.studies_page)

    def studies_page(self, seen: Seen) -> Reply:
        start = int(seen.params.get("pageToken", "tok0").removeprefix("tok"))
        size = int(seen.params.get("pageSize", "10"))
        chunk = self.studies[start:start + size]
        payload: dict[str, object] = {"studies": chunk}
        if start + size < len(self.studies):
            payload["nextPageToken"] = f"tok{start + size}"
        if seen.params.get("countTotal") == "true" and start == 0:
            payload["totalCount"] = len(self.studies)
        return Reply(body=json.dumps(payload, indent=2).encode())
