"""Full texts for reports past title-abstract screening, against the local server."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from _http_server import Reply, Seen, SourceServer
from conftest import fixture_path
from livingreview.records import Record
from livingreview.screening.workflow import Screening
from livingreview.sources import SourceSettings
from livingreview.sources.fulltext import (
    FulltextError,
    attach_fulltext,
    fetch_fulltexts,
    fulltext_status,
    jats_problem,
)
from livingreview.store import now

SECRET = "SECRET-fulltext-key-000111222"


def jats(title: str, body: bool = True) -> bytes:
    """A minimal JATS article (NISO JATS 1.3 element names), with or without its <body>."""
    text = (f"<article article-type=\"research-article\"><front><article-meta><title-group>"
            f"<article-title>{title}</article-title></title-group></article-meta></front>"
            + ("<body><sec><title>Methods</title><p>Randomised.</p></sec></body>" if body else "")
            + "</article>")
    return text.encode()


def add_records(review, records: list[Record]) -> list[int]:
    with review.store.transaction() as connection:
        search_id = connection.execute(
            "INSERT INTO searches (source, query, started_at, status) VALUES ('test', 'q', ?,"
            " 'complete')", (now(),)).lastrowid
        review.store.insert_records(records, search_id=search_id)
    return [row[0] for row in review.store.query("SELECT id FROM records ORDER BY id")]


@pytest.fixture
def screened(review):
    """Seven records; all but the last are included at title-abstract."""
    ids = add_records(review, [
        Record("pubmed", "<a/>", source_id="1", pmid="1", pmcid="PMC111", title="In Europe PMC"),
        Record("pubmed", "<b/>", source_id="2", pmid="2", pmcid="PMC222", title="Only in PMC"),
        Record("pubmed", "<c/>", source_id="3", pmid="3", pmcid="PMC333", title="Not open access"),
        Record("pubmed", "<d/>", source_id="4", pmid="4", title="PMCID found by lookup"),
        Record("europepmc", "{}", source_id="5", doi="10.1/five", title="No PMCID anywhere"),
        Record("ctgov", "{}", source_id="NCT00000006", nct_ids=["NCT00000006"], title="Registry"),
        Record("pubmed", "<g/>", source_id="7", pmid="7", pmcid="PMC777", title="Excluded"),
    ])
    screening = Screening(review.store, review.protocol)
    for record_id in ids[:-1]:
        screening.decide("title_abstract", record_id, "ana", "include")
    screening.decide("title_abstract", ids[-1], "ana", "exclude", reason="C1")
    return review, ids


def serve(server: SourceServer, articles: dict[str, bytes], pmc: dict[str, bytes],
          lookups: dict[str, str]) -> None:
    for pmcid, body in articles.items():
        server.route(f"/europepmc/{pmcid}/fullTextXML", lambda seen, b=body: Reply(
            body=b, content_type="application/xml"))

    def search(seen: Seen) -> Reply:
        found = [{"id": "x", "source": "MED", "pmcid": lookups[seen.params["query"]]}] \
            if seen.params["query"] in lookups else []
        return Reply(body=json.dumps({"hitCount": len(found),
                                      "resultList": {"result": found}}).encode())

    def efetch(seen: Seen) -> Reply:
        body = pmc.get(seen.params["id"])
        if body is None:
            return Reply(400, b"<eFetchResult><ERROR>UID not found</ERROR></eFetchResult>")
        return Reply(body=b"<pmc-articleset>" + body + b"</pmc-articleset>",
                     content_type="text/xml")

    server.route("/europepmc/search", search)
    server.route("/eutils/efetch.fcgi", efetch)


def settings_for(server: SourceServer, **changes) -> SourceSettings:
    return SourceSettings(pubmed_url=server.url + "/eutils", europepmc_url=server.url + "/europepmc",
                          ctgov_url=server.url + "/ctgov", rate=1000.0, retries=2, timeout=5.0,
                          ncbi_api_key=SECRET, **changes)


def test_fulltexts_are_fetched_stored_verbatim_and_misses_recorded(screened):
    review, ids = screened
    served = {"PMC111": jats("one"), "PMC555": jats("four")}
    with SourceServer() as server:
        serve(server, served, {"222": jats("two"), "333": jats("three", body=False)},
              {"EXT_ID:4 AND SRC:MED": "PMC555"})
        report = fetch_fulltexts(review.store, review.directory, settings=settings_for(server),
                                 sleep=lambda s: None)
        efetches = server.requests("/eutils/efetch.fcgi")
    assert (report.sought, report.retrieved) == (6, 3)
    assert sorted(reason.split(":")[0] for reason in report.not_retrieved) == [
        "no PMCID", "not open access", "registry record only"]
    assert sum(report.not_retrieved.values()) == 3
    rows = {r["record_id"]: dict(r) for r in review.store.query("SELECT * FROM fulltexts")}
    assert ids[-1] not in rows  # excluded at title-abstract: never sought
    assert (rows[ids[0]]["source"], rows[ids[0]]["status"]) == ("europepmc", "retrieved")
    assert (rows[ids[1]]["source"], rows[ids[1]]["status"]) == ("pmc", "retrieved")
    assert rows[ids[3]]["status"] == "retrieved"
    assert (review.directory / rows[ids[0]]["path"]).read_bytes() == served["PMC111"]
    assert (review.directory / rows[ids[3]]["path"]).read_bytes() == served["PMC555"]
    assert rows[ids[2]]["status"] == "not_retrieved"
    assert rows[ids[2]]["reason"].startswith("not open access: PMC333: europepmc: HTTP 404")
    assert "no <body>" in rows[ids[2]]["reason"]
    assert rows[ids[4]]["reason"].startswith("no PMCID")
    assert rows[ids[5]]["reason"].startswith("registry record only")
    assert all(e.params["api_key"] == SECRET for e in efetches)
    assert SECRET not in json.dumps(list(rows.values()))
    status = fulltext_status(review.store)
    assert status == {"sought": 6, "retrieved": 3, "attached": 0, "not_retrieved": 3,
                      "not_retrieved_reasons": {"not open access": 1, "no PMCID": 1,
                                                "registry record only": 1}}


def test_a_second_fetch_seeks_only_what_is_missing(screened):
    review, ids = screened
    with SourceServer() as server:
        serve(server, {"PMC111": jats("one")}, {}, {})
        fetch_fulltexts(review.store, review.directory, settings=settings_for(server),
                        sleep=lambda s: None)
        serve(server, {"PMC111": jats("one"), "PMC333": jats("three")}, {}, {})
        again = fetch_fulltexts(review.store, review.directory, settings=settings_for(server),
                                sleep=lambda s: None)
    assert again.already_held == 1 and again.sought == 5 and again.retrieved == 1
    assert fulltext_status(review.store)["retrieved"] == 2


def test_malformed_jats_is_not_kept(screened):
    review, ids = screened
    with SourceServer() as server:
        serve(server, {"PMC111": jats("one")[:40]}, {"111": b"<html>nope</html>"}, {})
        fetch_fulltexts(review.store, review.directory, settings=settings_for(server),
                        sleep=lambda s: None)
    row = review.store.query("SELECT * FROM fulltexts WHERE record_id = ?", (ids[0],))[0]
    assert row["status"] == "not_retrieved" and row["path"] is None
    assert "europepmc: not well-formed XML" in row["reason"]
    assert "pmc: expected a JATS <article>, found <pmc-articleset>" in row["reason"]
    assert not list((review.directory / "fulltexts").glob("*PMC111*"))


@pytest.mark.realdata
def test_real_open_access_jats_is_stored_verbatim(review):
    files = sorted(fixture_path("fulltext").glob("*.nxml"))
    records = [Record("pubmed", "<x/>", source_id=str(n), pmcid=f"PMC{900 + n}", title=f"r{n}")
               for n in range(len(files))]
    ids = add_records(review, records)
    screening = Screening(review.store, review.protocol)
    for record_id in ids:
        screening.decide("title_abstract", record_id, "ana", "include")
    with SourceServer() as server:
        serve(server, {f"PMC{900 + n}": f.read_bytes() for n, f in enumerate(files)}, {}, {})
        report = fetch_fulltexts(review.store, review.directory, settings=settings_for(server),
                                 sleep=lambda s: None)
    assert report.retrieved == len(files) == 3
    for record_id, file in zip(ids, files):
        path = review.store.scalar("SELECT path FROM fulltexts WHERE record_id = ?", (record_id,))
        assert (review.directory / path).read_bytes() == file.read_bytes()
        assert jats_problem(file.read_bytes()) is None


def test_attach_by_hand_checks_what_the_file_is(screened, tmp_path):
    review, ids = screened
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    item = attach_fulltext(review.store, review.directory, ids[4], pdf)
    assert item["status"] == "attached" and item["source"] == "manual"
    assert (review.directory / item["path"]).read_bytes() == pdf.read_bytes()
    assert fulltext_status(review.store)["attached"] == 1
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf")
    with pytest.raises(FulltextError, match="fake.pdf: not a PDF"):
        attach_fulltext(review.store, review.directory, ids[4], fake)
    with pytest.raises(FulltextError, match="record 999 is not in this review"):
        attach_fulltext(review.store, review.directory, 999, pdf)
    word = tmp_path / "paper.docx"
    word.write_bytes(b"PK")
    with pytest.raises(FulltextError, match="expected a .pdf, .xml, .nxml or .txt"):
        attach_fulltext(review.store, review.directory, ids[4], word)


def test_fulltext_commands(screened, tmp_path):
    review, ids = screened
    directory = review.directory
    review.close()
    with SourceServer() as server:
        serve(server, {"PMC111": jats("one")}, {}, {})
        environment = {"LIVINGREVIEW_PUBMED_URL": server.url + "/eutils",
                       "LIVINGREVIEW_EUROPEPMC_URL": server.url + "/europepmc",
                       "LIVINGREVIEW_RATE": "1000", "LIVINGREVIEW_RETRIES": "2",
                       "LIVINGREVIEW_CONFIG": "/nonexistent"}
        done = run("fetch-fulltext", directory, "--json", environment=environment)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["retrieved"] == 1
    text = tmp_path / "note.txt"
    text.write_text("Full text typed from a scanned copy.")
    attached = run("attach-fulltext", directory, ids[2], text, environment={})
    assert attached.returncode == 0 and "attached fulltexts/" in attached.stdout
    bad = tmp_path / "bad.xml"
    bad.write_text("<article><front/>")
    refused = run("attach-fulltext", directory, ids[2], bad, environment={})
    assert refused.returncode == 1 and "bad.xml: not well-formed XML" in refused.stderr


def run(*args: object, environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from livingreview.cli import main; main()",
                           *map(str, args)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **environment})
