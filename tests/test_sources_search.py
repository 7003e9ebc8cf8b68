"""Searches end to end against simulated PubMed, Europe PMC and ClinicalTrials.gov on 127.0.0.1:
every record exactly once, snapshots, faults, resume, offline replay, rate limits, secrecy."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from _http_server import (
    Article,
    CtgovSimulator,
    EuropePmcSimulator,
    EutilsSimulator,
    Fault,
    Seen,
    SourceServer,
    ctgov_study,
    europepmc_result,
)
from livingreview import Review
from livingreview.protocol.models import Source
from livingreview.sources import (
    MalformedPage,
    NoSnapshot,
    SourceDown,
    SourceSettings,
    build_query,
    run_search,
)

KINDS = ("pubmed", "europepmc", "ctgov")
PATHS = {"pubmed": "/eutils/efetch.fcgi", "europepmc": "/europepmc/search",
         "ctgov": "/ctgov/studies"}
SECRET = "SECRET-ncbi-key-0123456789abcdef"


class FakeSleep:
    def __init__(self) -> None:
        self.slept: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)


def articles(count: int, first: date = date(2020, 1, 1), days: int = 1) -> list[Article]:
    return [Article(str(30000000 + n), first + timedelta(days=(n * days) % 1460),
                    f"Simulated PubMed record {n}") for n in range(count)]


@pytest.fixture
def server():
    with SourceServer() as running:
        EutilsSimulator(articles(45)).install(running)
        EuropePmcSimulator([europepmc_result(n) for n in range(37)]).install(running)
        CtgovSimulator([ctgov_study(n) for n in range(23)]).install(running)
        yield running


def settings_for(server: SourceServer, **changes) -> SourceSettings:
    base = SourceSettings(pubmed_url=server.url + "/eutils",
                          europepmc_url=server.url + "/europepmc", ctgov_url=server.url + "/ctgov",
                          page_size=10, rate=1000.0, timeout=2.0, retries=4)
    return SourceSettings(**{**base.__dict__, **changes})


def search(review: Review, kind: str, settings: SourceSettings, **options):
    options.setdefault("sleep", FakeSleep())
    return run_search(review.store, review.directory, review.protocol,
                      options.pop("source", Source(name=kind, kind=kind)),
                      settings=settings, **options)


def stored(review: Review, kind: str) -> list[str]:
    return [row[0] for row in review.store.query(
        "SELECT source_id FROM records WHERE source = ? ORDER BY id", (kind,))]


EXPECTED = {"pubmed": 45, "europepmc": 37, "ctgov": 23}


@pytest.mark.parametrize("kind", KINDS)
def test_every_record_arrives_exactly_once_with_its_search_recorded(review, server, kind):
    outcome = search(review, kind, settings_for(server))
    ids = stored(review, kind)
    assert len(ids) == EXPECTED[kind] == len(set(ids))
    row = review.store.query("SELECT * FROM searches WHERE id = ?", (outcome.search_id,))[0]
    assert row["query"] == build_query(review.protocol, Source(name=kind, kind=kind)).text
    assert (row["count_reported"], row["count_retrieved"]) == (EXPECTED[kind], EXPECTED[kind])
    assert row["status"] == "complete" and row["finished_at"] >= row["started_at"]
    snapshot = review.directory / row["snapshot_path"]
    manifest = json.loads((snapshot / "manifest.json").read_text())
    assert manifest["complete"] and manifest["count_retrieved"] == EXPECTED[kind]
    assert [p["file"] for p in manifest["pages"]] == sorted(
        p.name for p in snapshot.iterdir() if p.name != "manifest.json")
    pages = review.store.scalar("SELECT COUNT(*) FROM search_pages WHERE search_id = ?",
                                (outcome.search_id,))
    assert pages == len(manifest["pages"]) == outcome.pages
    assert review.store.events("search", "search.run")[-1]["detail"]["records"] == EXPECTED[kind]


def test_a_page_is_on_disk_before_it_is_parsed_and_a_malformed_one_stores_nothing(review, server):
    server.inject(PATHS["europepmc"], Fault("pass"), Fault("body", body=b'{"hitCount": 37, "resultL'))
    with pytest.raises(MalformedPage) as failure:
        search(review, "europepmc", settings_for(server))
    error = failure.value
    assert error.url.startswith(server.url + "/europepmc/search?query=")
    kept = review.directory / error.snapshot_file
    assert kept.read_bytes() == b'{"hitCount": 37, "resultL'
    assert "invalid JSON" in str(error) and str(error.snapshot_file) in str(error)
    assert len(stored(review, "europepmc")) == 10  # the first page, nothing of the second
    assert review.store.scalar("SELECT status FROM searches") == "failed"
    assert review.store.events("search", "search.failed")[0]["detail"]["count_retrieved"] == 10

    outcome = search(review, "europepmc", settings_for(server))
    assert outcome.resumed and outcome.search_id == error_search_id(review)
    ids = stored(review, "europepmc")
    assert len(ids) == 37 == len(set(ids))
    cursors = [s.params["cursorMark"] for s in server.requests(PATHS["europepmc"])]
    assert cursors == ["*", "AoE10", "AoE10", "AoE20", "AoE30", "AoE37"]


def error_search_id(review: Review) -> int:
    return review.store.scalar("SELECT MIN(id) FROM searches")


@pytest.mark.parametrize("kind, body, expected", [
    ("pubmed", b"<?xml version='1.0'?><PubmedArticleSet><PubmedArticle><MedlineCit",
     "well-formed XML"),
    ("pubmed", b"<eFetchResult><ERROR>Unable to obtain query #1</ERROR></eFetchResult>",
     "eFetchResult"),
    ("ctgov", b'{"items": []}', "'studies' is missing"),
    ("ctgov", b"<html>Service Unavailable</html>", "invalid JSON"),
    ("europepmc", b'{"hitCount": 3, "resultList": {"result": [{"title": "no id"}]}}', "'id'"),
], ids=["truncated-xml", "eutils-error", "ctgov-wrong-shape", "html-not-json", "epmc-no-id"])
def test_malformed_pages_are_reported_with_url_and_snapshot(review, server, kind, body, expected):
    server.inject(PATHS[kind], Fault("body", body=body))
    with pytest.raises(MalformedPage, match=expected) as failure:
        search(review, kind, settings_for(server))
    assert failure.value.source == kind
    assert (review.directory / failure.value.snapshot_file).read_bytes() == body
    assert stored(review, kind) == []
    search(review, kind, settings_for(server))
    assert len(set(stored(review, kind))) == len(stored(review, kind)) == EXPECTED[kind]


def test_a_truncated_page_without_content_length_is_malformed_not_partial(review, server):
    # Truncation the transport cannot see (no length promised): the parser must catch it.
    whole = EuropePmcSimulator([europepmc_result(n) for n in range(10)]).search
    body = whole(Seen("GET", "/", {"pageSize": "10"}, 0.0, "/", b"")).body
    server.inject(PATHS["europepmc"], Fault("body", body=body[: len(body) // 2]))
    with pytest.raises(MalformedPage):
        search(review, "europepmc", settings_for(server))
    assert stored(review, "europepmc") == []


@pytest.mark.parametrize("kind", KINDS)
def test_searches_survive_every_transient_fault(review, server, kind):
    sleep = FakeSleep()
    faults = [Fault("status", 429, retry_after="3"), Fault("pass"), Fault("status", 500),
              Fault("reset"), Fault("pass"), Fault("truncate", body=b"<?xml"),
              Fault("slow", seconds=1.5), Fault("status", 503)]
    server.inject(PATHS[kind], *faults)
    outcome = search(review, kind, settings_for(server, timeout=0.5), sleep=sleep)
    ids = stored(review, kind)
    assert len(ids) == len(set(ids)) == EXPECTED[kind] == outcome.count_retrieved
    assert 3.0 in [round(s, 6) for s in sleep.slept if s >= 3.0] or max(sleep.slept) >= 3.0
    assert not server.faults[PATHS[kind]]  # every fault was met


def test_a_source_that_stays_down_keeps_what_it_retrieved(review, server):
    server.inject(PATHS["ctgov"], Fault("pass"), *[Fault("status", 503)] * 4)
    with pytest.raises(SourceDown, match="^ctgov: stayed down after 4 attempts"):
        search(review, "ctgov", settings_for(server))
    assert len(stored(review, "ctgov")) == 10
    assert review.store.scalar("SELECT count_retrieved FROM searches") == 10
    search(review, "ctgov", settings_for(server))
    assert len(set(stored(review, "ctgov"))) == len(stored(review, "ctgov")) == 23


def test_pubmed_slices_by_publication_date_when_the_count_exceeds_the_cap(review):
    with SourceServer() as server:
        EutilsSimulator(articles(12_000, first=date(2019, 1, 1))).install(server)
        outcome = search(review, "pubmed", settings_for(server, page_size=5000))
        searches = server.requests("/eutils/esearch.fcgi")
    ids = stored(review, "pubmed")
    assert len(ids) == len(set(ids)) == 12_000 == outcome.count_reported
    assert outcome.repeats_dropped == 0
    assert "exceed the 10000 cap" in outcome.notes[0]
    ranges = [(s.params["mindate"], s.params["maxdate"]) for s in searches if "mindate" in s.params]
    bounds = [(date.fromisoformat(a.replace("/", "-")), date.fromisoformat(b.replace("/", "-")))
              for a, b in ranges]
    assert searches[0].params.get("mindate") is None  # the first search is unbounded
    assert all(low <= high for low, high in bounds)
    # The two halves of the first split tile the whole range: no gap, no overlap.
    assert bounds[0][0] == date(1700, 1, 1) and bounds[1][1] == date.today()
    assert bounds[0][1] + timedelta(days=1) == bounds[1][0]
    assert len(searches) > 3  # the later half was split again, until under the cap
    assert all(s.params["datetype"] == "pdat" for s in searches[1:])


def test_pubmed_resumes_a_slice_with_a_fresh_history_session(review, server):
    server.inject(PATHS["pubmed"], Fault("pass"), Fault("pass"), Fault("body", body=b"<oops"))
    with pytest.raises(MalformedPage):
        search(review, "pubmed", settings_for(server))
    assert len(stored(review, "pubmed")) == 20
    search(review, "pubmed", settings_for(server))
    ids = stored(review, "pubmed")
    assert len(ids) == len(set(ids)) == 45
    fetches = server.requests(PATHS["pubmed"])
    assert [f.params["retstart"] for f in fetches] == ["0", "10", "20", "20", "30", "40"]
    webenvs = [f.params["WebEnv"] for f in fetches]
    assert webenvs[2] != webenvs[3]  # the resumed slice asked esearch for a new session
    assert len(server.requests("/eutils/esearch.fcgi")) == 2


def test_the_api_key_is_sent_but_never_written(review, server):
    server.inject(PATHS["pubmed"], Fault("body", body=b"<broken"))
    settings = settings_for(server, ncbi_api_key=SECRET, ncbi_email="me@example.org")
    with pytest.raises(MalformedPage) as failure:
        search(review, "pubmed", settings)
    search(review, "pubmed", settings)
    assert all(s.params.get("api_key") == SECRET for s in server.seen)
    assert all(SECRET not in s.raw_target for s in server.seen)  # POST: never in a URL
    assert SECRET not in str(failure.value) and SECRET not in repr(settings)
    written = [p for p in review.directory.rglob("*") if p.is_file()]
    assert any(p.suffix == ".xml" for p in written)
    for path in written:
        data = path.read_bytes()
        assert SECRET.encode() not in data, path
        assert b"me@example.org" not in data, path
    events = json.dumps([dict(e) for e in review.store.events()])
    assert SECRET not in events


def test_offline_replay_gives_the_same_records(review, server, tmp_path, minimal_protocol):
    for kind in KINDS:
        search(review, kind, settings_for(server))
    live = review.store.query("SELECT source, source_id, raw, title FROM records ORDER BY id")
    with Review.init(tmp_path / "elsewhere", minimal_protocol) as other:
        shutil.copytree(review.snapshots_dir, other.snapshots_dir, dirs_exist_ok=True)
        offline = SourceSettings(pubmed_url="http://127.0.0.1:9", europepmc_url="http://127.0.0.1:9",
                                 ctgov_url="http://127.0.0.1:9")
        for kind in KINDS:
            outcome = search(other, kind, offline, offline=True)
            assert outcome.mode == "offline" and outcome.count_retrieved == EXPECTED[kind]
        replayed = other.store.query("SELECT source, source_id, raw, title FROM records ORDER BY id")
        assert [tuple(r) for r in replayed] == [tuple(r) for r in live]
        # Replaying again, or in the project that searched live, stores nothing new.
        again = search(other, "pubmed", offline, offline=True)
        assert again.already_stored
        assert other.store.scalar("SELECT COUNT(*) FROM records") == len(live)
    assert search(review, "ctgov", settings_for(server), offline=True).already_stored
    assert review.store.scalar("SELECT COUNT(*) FROM records") == len(live)


def test_offline_without_a_snapshot_says_so(review, server):
    with pytest.raises(NoSnapshot, match="no finished snapshot"):
        search(review, "pubmed", settings_for(server), offline=True)


def test_long_europepmc_queries_are_posted(review, server):
    long_query = " OR ".join(f'TITLE_ABS:"drug {n}"' for n in range(120))
    source = Source(name="europepmc", kind="europepmc", query=long_query)
    search(review, "europepmc", settings_for(server), source=source)
    posted = server.requests("/europepmc/searchPOST")
    assert posted and all(p.method == "POST" for p in posted)
    assert posted[0].params["query"] == f"({long_query})"
    assert len(stored(review, "europepmc")) == 37


def test_the_pubmed_rate_limit_is_respected_and_measured(review, capsys):
    with SourceServer() as server:
        EutilsSimulator(articles(36)).install(server)
        # The real limiter with real sleeping: NCBI's 3 requests a second without a key.
        settings = settings_for(server, page_size=4, rate=None)
        run_search(review.store, review.directory, review.protocol,
                   Source(name="pubmed", kind="pubmed"), settings=settings)
        times = [s.at for s in server.seen]
    assert len(times) == 10
    gaps = [b - a for a, b in zip(times, times[1:])]
    # The times are when the server saw each request: one that arrives late shortens the next gap
    # by the delay (23 ms seen on a busy two-core machine), though the client spaced its sends.
    # Without the limiter the gaps are a few milliseconds, so the bound still tests it.
    assert min(gaps) >= 1 / 3 - 0.05
    for index, start in enumerate(times):
        assert sum(1 for t in times[index:] if t < start + 1.0) <= 3
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert rate <= 3.05
    with capsys.disabled():
        print(f"\nmeasured PubMed request rate without key: {rate:.3f}/s (limit 3/s), "
              f"min gap {min(gaps) * 1000:.1f} ms")


def test_the_pubmed_rate_limit_with_a_key_is_ten_per_second(review, capsys):
    with SourceServer() as server:
        EutilsSimulator(articles(60)).install(server)
        settings = settings_for(server, page_size=3, rate=None, ncbi_api_key=SECRET)
        run_search(review.store, review.directory, review.protocol,
                   Source(name="pubmed", kind="pubmed"), settings=settings)
        times = [s.at for s in server.seen]
    assert len(times) == 21
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= 0.1 - 0.02
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert rate <= 10.2
    with capsys.disabled():
        print(f"\nmeasured PubMed request rate with key: {rate:.3f}/s (limit 10/s), "
              f"min gap {min(gaps) * 1000:.1f} ms")


def test_a_source_repeating_a_record_stores_it_once(review):
    results = [europepmc_result(n) for n in range(12)]
    results[11] = results[3]  # the same record listed on two pages
    with SourceServer() as server:
        EuropePmcSimulator(results).install(server)
        outcome = search(review, "europepmc", settings_for(server))
    assert outcome.repeats_dropped == 1
    assert len(stored(review, "europepmc")) == 11 == len(set(stored(review, "europepmc")))


def test_resumed_searches_match_only_the_same_query(review, server):
    server.inject(PATHS["ctgov"], Fault("body", body=b"{"))
    with pytest.raises(MalformedPage):
        search(review, "ctgov", settings_for(server))
    changed = Source(name="ctgov", kind="ctgov", query="ketamine")
    outcome = search(review, "ctgov", settings_for(server), source=changed)
    assert not outcome.resumed
    assert review.store.scalar("SELECT COUNT(*) FROM searches") == 2
    assert Path(review.directory / outcome.snapshot).is_dir()


def test_a_long_ctgov_query_is_sent_in_parts_and_the_union_kept(review, server):
    long_query = "(" + " OR ".join(f'"drug number {n}"' for n in range(500)) + ")"
    source = Source(name="ctgov", kind="ctgov", query=long_query)
    outcome = search(review, "ctgov", settings_for(server, page_size=100), source=source)
    sent = server.requests(PATHS["ctgov"])
    assert len(sent) > 2 and all(len(s.raw_target) < 7000 for s in sent)
    # The simulator ignores the query, so every part finds the same 23 studies: stored once.
    assert len(stored(review, "ctgov")) == 23 == outcome.count_retrieved
    assert outcome.repeats_dropped == 23 * (len(sent) - 1)
    assert outcome.count_reported == 23 * len(sent)
    assert "sent in" in outcome.notes[0]


def test_a_resumed_search_replays_offline_to_the_same_records(review, server, tmp_path,
                                                              minimal_protocol):
    # The resumed PubMed run holds a second esearch mid-stream and a page number reused after
    # the malformed attempt: the replay must follow the manifest, not the files on disk.
    server.inject(PATHS["pubmed"], Fault("pass"), Fault("body", body=b"<half"))
    with pytest.raises(MalformedPage):
        search(review, "pubmed", settings_for(server))
    search(review, "pubmed", settings_for(server))
    live = [tuple(r) for r in review.store.query("SELECT source_id, raw FROM records ORDER BY id")]
    with Review.init(tmp_path / "replay", minimal_protocol) as other:
        shutil.copytree(review.snapshots_dir, other.snapshots_dir, dirs_exist_ok=True)
        outcome = search(other, "pubmed", SourceSettings(), offline=True)
        replayed = [tuple(r) for r in other.store.query(
            "SELECT source_id, raw FROM records ORDER BY id")]
    assert replayed == live and len(live) == 45 and outcome.count_reported == 45


def test_a_live_search_beside_copied_snapshots_keeps_both(review, server, tmp_path,
                                                          minimal_protocol):
    search(review, "ctgov", settings_for(server))
    with Review.init(tmp_path / "other", minimal_protocol) as other:
        shutil.copytree(review.snapshots_dir, other.snapshots_dir, dirs_exist_ok=True)
        outcome = search(other, "ctgov", settings_for(server))  # also search id 1, same day
        assert outcome.snapshot.endswith("search-1.2")
        folders = sorted(p.name for p in other.snapshots_dir.glob("*/ctgov/*"))
        assert folders == ["search-1", "search-1.2"]
        replay = search(other, "ctgov", settings_for(server), offline=True)
        assert replay.already_stored and replay.snapshot == outcome.snapshot  # the newest
