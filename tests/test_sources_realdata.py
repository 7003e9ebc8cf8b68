"""The clients fed real responses (../shared/fixtures) by the local server."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from _http_server import Reply, Seen, SourceServer
from conftest import fixture_path
from livingreview.protocol.models import Source
from livingreview.sources import SourceSettings, run_search
from livingreview.sources.base import PageFormatError
from livingreview.sources.pubmed import read_esearch

pytestmark = pytest.mark.realdata

PUBMED_FILES = ["pubmed-29768149.xml", "pubmed1.xml", "pubmed2.xml", "pubmed4.xml", "pubmed5.xml",
                "pubmed6.xml", "pubmed7.xml"]


def settings_for(server: SourceServer, page_size: int) -> SourceSettings:
    return SourceSettings(pubmed_url=server.url + "/eutils",
                          europepmc_url=server.url + "/europepmc", ctgov_url=server.url + "/ctgov",
                          page_size=page_size, rate=1000.0, timeout=5.0, retries=2)


def search(review, kind: str, settings: SourceSettings):
    return run_search(review.store, review.directory, review.protocol,
                      Source(name=kind, kind=kind), settings=settings, sleep=lambda s: None)


def test_real_esearch_history_results_are_read():
    count, webenv, query_key = read_esearch(
        fixture_path("pubmed", "esearch2.xml").read_bytes(), "esearch2.xml")
    assert (count, webenv, query_key) == (42249, "MCID_6927d6e7fee3e90f880ec190", "1")


def test_a_real_esearch_without_history_is_refused():
    with pytest.raises(PageFormatError, match="without <WebEnv>/<QueryKey>; was usehistory=y"):
        read_esearch(fixture_path("pubmed", "esearch1.xml").read_bytes(), "esearch1.xml")


def test_pubmed_search_over_real_efetch_pages(review):
    pages = [fixture_path("pubmed", name).read_bytes() for name in PUBMED_FILES]
    history = b"<eSearchResult><Count>%d</Count><RetMax>0</RetMax><RetStart>0</RetStart>" \
              b"<QueryKey>1</QueryKey><WebEnv>MCID_real</WebEnv><IdList/></eSearchResult>" % len(pages)
    with SourceServer() as server:
        server.route("/eutils/esearch.fcgi", lambda seen: Reply(body=history))
        server.route("/eutils/efetch.fcgi",
                     lambda seen: Reply(body=pages[int(seen.params["retstart"])]))
        outcome = search(review, "pubmed", settings_for(server, page_size=1))
    records = review.store.records()
    expected = [pmid for page in pages for pmid in etree.fromstring(page).xpath(
        "/PubmedArticleSet/PubmedArticle/MedlineCitation/PMID/text()"
        " | /PubmedArticleSet/PubmedBookArticle/BookDocument/PMID/text()")]
    assert [r.pmid for r in records] == expected
    assert outcome.count_retrieved == len(expected) and outcome.count_reported == len(pages)
    assert "29768149" in expected
    assert all(r.raw.startswith(("<PubmedArticle", "<PubmedBookArticle")) for r in records)


def test_europepmc_cursor_paging_over_real_pages(review):
    """page 1: a real core page; page 2: the real page fetched with its nextCursorMark; then the
    real empty response ends the paging."""
    first = fixture_path("europepmc", "search_cancer_core.json").read_bytes()
    second = fixture_path("europepmc", "search_cancer_page2.json").read_bytes()
    empty = fixture_path("europepmc", "search_no_results.json").read_bytes()
    by_cursor = {"*": first, json.loads(first)["nextCursorMark"]: second,
                 json.loads(second)["nextCursorMark"]: empty}

    def answer(seen: Seen) -> Reply:
        return Reply(body=by_cursor[seen.params["cursorMark"]])

    with SourceServer() as server:
        server.route("/europepmc/search", answer)
        outcome = search(review, "europepmc", settings_for(server, page_size=25))
    expected = len(json.loads(first)["resultList"]["result"]) + len(
        json.loads(second)["resultList"]["result"])
    ids = [r.source_id for r in review.store.records()]
    assert len(set(ids)) == len(ids) == outcome.count_retrieved
    assert outcome.count_retrieved == expected - outcome.repeats_dropped
    assert outcome.count_reported == json.loads(first)["hitCount"]
    assert outcome.pages == 3


def test_ctgov_real_study_keeps_its_results_section(review):
    study = json.loads(fixture_path("ctgov", "NCT02513394.json").read_text())
    page = json.dumps({"studies": [study], "totalCount": 1}, indent=2).encode()
    with SourceServer() as server:
        server.route("/ctgov/studies", lambda seen: Reply(body=page))
        outcome = search(review, "ctgov", settings_for(server, page_size=10))
    (record,) = review.store.records()
    assert outcome.count_reported == 1 and record.source_id == "NCT02513394"
    measures = json.loads(record.raw)["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]
    assert {m["type"] for m in measures} >= {"PRIMARY"}
