"""A PubMed query too long for E-utilities is sent in parts and their PMIDs united: cut at the
right places only, every part short enough, each record stored once, a failed part resumed."""

from __future__ import annotations

import json
import random
import re
import shutil
from datetime import date, timedelta

import pytest

from _http_server import Article, EutilsSimulator, Fault, Reply, Seen, SourceServer
from livingreview import Review
from livingreview.errors import BadInput
from livingreview.protocol.models import Source
from livingreview.sources import SourceDown, SourceSettings, run_search
from livingreview.sources.pubmed import LONGEST_TERM, split_term

COMPOUNDS = 300  # '"compound number N"[tiab]' x 300: about 9,000 characters


def compound_list(numbers: range) -> str:
    return "(" + " OR ".join(f'"compound number {n}"[tiab]' for n in numbers) + ")"


LONG_QUERY = (compound_list(range(COMPOUNDS)) + ' AND ("empathy"[tiab] OR "theory of mind"[tiab])'
              ' NOT ("animals"[MeSH Terms] NOT "humans"[MeSH Terms])')


def test_a_term_that_fits_is_sent_whole():
    assert split_term('"ketamine"[tiab] AND "empathy"[tiab]') == ['"ketamine"[tiab] AND "empathy"[tiab]']


def test_a_long_term_is_cut_only_in_its_anded_or_lists_and_every_part_fits():
    parts = split_term(LONG_QUERY)
    assert len(parts) == 3 and all(len(p) <= LONGEST_TERM for p in parts)
    named = [set(map(int, re.findall(r'"compound number (\d+)"', p))) for p in parts]
    assert sorted(n for chunk in named for n in chunk) == list(range(COMPOUNDS))  # each once
    for part in parts:  # the rest of the query, the NOT filter included, is unchanged
        assert part.endswith(' AND ("empathy"[tiab] OR "theory of mind"[tiab]) '
                             'NOT ("animals"[MeSH Terms] NOT "humans"[MeSH Terms])')


def test_two_long_or_lists_give_a_part_for_every_pair_of_their_chunks():
    constructs = "(" + " OR ".join(f'"construct number {n}"[tiab]' for n in range(150)) + ")"
    parts = split_term(compound_list(range(COMPOUNDS)) + " AND " + constructs)
    assert all(len(p) <= LONGEST_TERM for p in parts)
    pairs = {(c, k) for p in parts
             for c in re.findall(r'"compound number (\d+)"', p)
             for k in re.findall(r'"construct number (\d+)"', p)}
    assert len(pairs) == COMPOUNDS * 150


def test_a_written_query_in_parentheses_and_a_date_range_are_kept_intact():
    written = f"({LONG_QUERY}) AND (\"2024/03/01\"[EDAT] : \"3000\"[EDAT])"
    parts = split_term(written)
    assert len(parts) > 1
    assert all(p.endswith('AND ("2024/03/01"[EDAT] : "3000"[EDAT])') for p in parts)


def evaluate(term: str, document: set[str]) -> bool:
    """PubMed's reading of a term: operators left to right, no precedence, parentheses first;
    a quoted phrase is true when the document holds it."""
    tokens = re.findall(r'\(|\)|AND|OR|NOT|"[^"]*"(?:\[[^\]]*\])?', term)

    def expression(at: int) -> tuple[bool, int]:
        value, at = operand(at)
        while at < len(tokens) and tokens[at] != ")":
            operator = tokens[at]
            right, at = operand(at + 1)
            value = {"AND": value and right, "OR": value or right, "NOT": value and not right}[operator]
        return value, at

    def operand(at: int) -> tuple[bool, int]:
        if tokens[at] == "(":
            value, at = expression(at + 1)
            return value, at + 1
        return tokens[at].split('"')[1] in document, at + 1

    return expression(0)[0]


def random_query(rng: random.Random) -> str:
    def or_list(prefix: str) -> str:
        return "(" + " OR ".join(f'"{prefix}{n}"[tiab]' for n in range(rng.randint(4, 12))) + ")"

    blocks = [or_list(p) for p in "abc"[:rng.randint(1, 3)]]
    if rng.random() < 0.5:  # a written query in parentheses, as the builder wraps one
        blocks = ["(" + " AND ".join(blocks) + ")"]
    query = " AND ".join(blocks)
    if rng.random() < 0.5:
        query += ' NOT ("a1"[tiab] OR "b0"[tiab])'
    return query


def test_the_parts_find_exactly_what_the_whole_query_finds():
    rng = random.Random(9)
    words = [f"{p}{n}" for p in "abc" for n in range(12)]
    for _ in range(200):
        query = random_query(rng)
        parts = split_term(query, longest=len(query) * 2 // 3)
        for _ in range(30):
            document = set(rng.sample(words, rng.randint(1, 8)))
            assert evaluate(query, document) == any(evaluate(p, document) for p in parts), (query, parts)


@pytest.mark.parametrize("query", [
    # A union cannot be split by cutting one of its operands, nor can what NOT removes.
    compound_list(range(COMPOUNDS)) + ' OR "empathy"[tiab]',
    '"empathy"[tiab] NOT ' + compound_list(range(COMPOUNDS)),
    '"' + "x" * 5000 + '"[tiab]',
    # Each 3,000-character name needs a part of its own: 150 parts, beyond MOST_PARTS.
    "(" + " OR ".join(f'"{n:03d}{"x" * 3000}"[tiab]' for n in range(150)) + ")",
])
def test_a_long_query_that_cannot_be_cut_safely_is_refused_with_its_length(query):
    with pytest.raises(BadInput, match=rf"the PubMed query is {len(query)} characters"):
        split_term(query)


# --- End to end against the local E-utilities simulator ---------------------------------------


def mentions(pmid: int) -> set[int]:
    """The compounds a simulated article names: two far apart for every fifth, so that some
    articles are found by two parts."""
    first = (pmid * 37) % COMPOUNDS
    return {first, (first + 150) % COMPOUNDS} if pmid % 5 == 0 else {first}


class NamedCompounds(EutilsSimulator):
    """esearch answers with the articles naming a compound the term names."""

    def esearch(self, seen: Seen) -> Reply:
        named = set(map(int, re.findall(r'"compound number (\d+)"', seen.params["term"])))
        every = self.articles
        self.articles = [a for a in every if mentions(int(a.pmid)) & named]
        try:
            return super().esearch(seen)
        finally:
            self.articles = every


ARTICLES = [Article(str(n), date(2021, 1, 1) + timedelta(days=n), f"Simulated record {n}")
            for n in range(1, 61)]


@pytest.fixture
def server():
    with SourceServer() as running:
        NamedCompounds(ARTICLES).install(running)
        yield running


def settings_for(server: SourceServer) -> SourceSettings:
    return SourceSettings(pubmed_url=server.url + "/eutils", page_size=10, rate=1000.0,
                          timeout=2.0, retries=2)


def stored(review) -> list[str]:
    return [row[0] for row in review.store.query(
        "SELECT source_id FROM records WHERE source = 'pubmed' ORDER BY id")]


def search(review, server, **options):
    return run_search(review.store, review.directory, review.protocol,
                      Source(name="pubmed", kind="pubmed", query=LONG_QUERY),
                      settings=settings_for(server), sleep=lambda seconds: None, **options)


def found_by(part: str) -> set[str]:
    named = set(map(int, re.findall(r'"compound number (\d+)"', part)))
    return {a.pmid for a in ARTICLES if mentions(int(a.pmid)) & named}


def test_the_parts_are_searched_and_their_pmids_united_with_one_part_failing_once(review, server):
    parts = split_term(f"({LONG_QUERY})")
    # The second part's esearch fails through every retry: the first part's records are kept.
    server.inject("/eutils/esearch.fcgi", Fault("pass"), Fault("status", 503), Fault("status", 503))
    with pytest.raises(SourceDown):
        search(review, server)
    assert set(stored(review)) == found_by(parts[0])

    outcome = search(review, server)  # resumes at the failed part
    ids = stored(review)
    assert outcome.resumed and len(ids) == len(set(ids)) == len(ARTICLES)
    sent = [s.params["term"] for s in server.requests("/eutils/esearch.fcgi")]
    assert all(len(term) <= LONGEST_TERM for term in sent)
    assert list(dict.fromkeys(sent)) == parts  # in order; the failed one asked again
    found_twice = sum(sum(a.pmid in found_by(p) for p in parts) - 1 for a in ARTICLES)
    assert found_twice > 0 and outcome.repeats_dropped == found_twice
    # What was sent is honest: the stored query is the whole one, each part's term is in the
    # snapshot, and the run says it was split and that the reported count adds the parts'.
    row = review.store.query("SELECT * FROM searches WHERE id = ?", (outcome.search_id,))[0]
    assert row["query"] == f"({LONG_QUERY})"
    assert row["count_reported"] == len(ARTICLES) + found_twice
    manifest = json.loads((review.directory / row["snapshot_path"] / "manifest.json").read_text())
    esearched = [p["parameters"]["term"] for p in manifest["pages"] if p["kind"] == "esearch"]
    assert list(dict.fromkeys(esearched)) == parts
    assert any(f"query part {len(parts)} of {len(parts)}: " in note for note in outcome.notes)


def test_a_search_sent_in_parts_replays_offline_to_the_same_records(review, server, tmp_path,
                                                                    minimal_protocol):
    server.inject("/eutils/efetch.fcgi", Fault("pass"), Fault("status", 503), Fault("status", 503))
    with pytest.raises(SourceDown):
        search(review, server)
    search(review, server)
    live = [tuple(r) for r in review.store.query("SELECT source_id, raw FROM records ORDER BY id")]
    with Review.init(tmp_path / "elsewhere", minimal_protocol) as other:
        shutil.copytree(review.snapshots_dir, other.snapshots_dir, dirs_exist_ok=True)
        outcome = search(other, server, offline=True)
        replayed = [tuple(r) for r in other.store.query("SELECT source_id, raw FROM records ORDER BY id")]
    assert outcome.mode == "offline" and replayed == live and len(live) == len(ARTICLES)
