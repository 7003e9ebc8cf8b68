"""Sources are entry-point plug-ins: the built-ins load through the `livingreview.sources`
group, a protocol naming an unregistered kind fails with the valid ones, and a source
registered from outside the package is searched live and replayed like a built-in."""

from __future__ import annotations

import json
import shutil
from importlib.metadata import EntryPoint, EntryPoints
from pathlib import Path

import pytest

import _registry_source
from _http_server import Reply, Seen, SourceServer
from livingreview import Review, plugins
from livingreview.plugins import PluginNotFound, plugin_names
from livingreview.protocol import ProtocolError, parse_protocol
from livingreview.sources import SourceSettings, build_query
from livingreview.sources.base import SearchSource, SourceClient, load_source
from livingreview.sources.search import SearchReport, search_sources

BUILT_IN = {"pubmed": "PubmedClient", "europepmc": "EuropePmcClient", "ctgov": "CtgovClient"}
DEMO = ('\n[[sources]]\nname = "registry"\nkind = "demo_registry"\n'
        'concepts = ["intervention"]\nfilters = { status = "recruiting" }\n')


@pytest.fixture
def demo_registered(monkeypatch):
    """`demo_registry` added to the installed entry points, as a plug-in package would be."""
    installed = plugins.entry_points

    def with_demo(group: str) -> EntryPoints:
        found = list(installed(group=group))
        if group == "livingreview.sources":
            found.append(EntryPoint("demo_registry", "_registry_source:SOURCE", group))
        return EntryPoints(found)

    monkeypatch.setattr(plugins, "entry_points", with_demo)
    plugins._registered.cache_clear()
    yield
    plugins._registered.cache_clear()


@pytest.mark.parametrize("kind", sorted(BUILT_IN))
def test_each_built_in_source_loads_through_its_entry_point(kind):
    (entry,) = [e for e in plugins.entry_points(group="livingreview.sources") if e.name == kind]
    registered = entry.load()
    assert registered is load_source(kind)
    assert isinstance(registered, SearchSource) and registered.name == kind
    assert issubclass(registered.client, SourceClient)
    assert registered.client.__name__ == BUILT_IN[kind]


def test_only_the_built_ins_are_registered_by_the_package():
    assert plugin_names("sources") == sorted(BUILT_IN)


def test_an_unknown_kind_fails_at_protocol_load_with_the_valid_kinds_and_line(minimal_protocol):
    text = minimal_protocol.read_text().replace('kind = "pubmed"', 'kind = "scopus"')
    with pytest.raises(ProtocolError) as raised:
        parse_protocol(text, Path("p.toml"))
    line = text.splitlines().index('kind = "scopus"') + 1
    assert raised.value.problems == [
        ("sources[0].kind", line, "unknown source kind 'scopus'; valid kinds: ctgov, europepmc, pubmed")]
    assert f"p.toml:{line}: sources[0].kind" in str(raised.value)


def test_an_unregistered_kind_asked_for_by_name_lists_the_valid_ones():
    with pytest.raises(PluginNotFound, match="valid names: ctgov, europepmc, pubmed"):
        load_source("scopus")


def test_a_kind_registered_outside_the_package_is_accepted_only_while_registered(
        minimal_protocol, demo_registered):
    protocol = parse_protocol(minimal_protocol.read_text() + DEMO)
    assert [s.kind for s in protocol.sources] == ["pubmed", "demo_registry"]
    query = build_query(protocol, protocol.sources[1])
    labels = [t.label for t in protocol.vocabularies["intervention"].terms]
    assert query.text == "(" + " | ".join(labels) + ")" and query.kind == "demo_registry"


def test_a_filter_the_source_does_not_declare_is_refused_with_its_hint(minimal_protocol,
                                                                      demo_registered):
    protocol = parse_protocol(minimal_protocol.read_text() + DEMO.replace("status", "phase"))
    with pytest.raises(ValueError, match=r"unknown filter 'phase'; known: humans, trials, "
                                         r"publication_types, languages, status \(demo registry\)"):
        build_query(protocol, protocol.sources[1])


def test_a_third_party_source_is_searched_live_then_replayed_offline(tmp_path, minimal_protocol,
                                                                     demo_registered, monkeypatch):
    protocol_file = tmp_path / "protocol.toml"
    protocol_file.write_text(minimal_protocol.read_text() + DEMO)
    trials = [{"id": f"DEMO-{n:03d}", "title": f"Demo trial {n}"} for n in range(10)]

    def answer(seen: Seen) -> Reply:
        offset, limit = int(seen.params["offset"]), int(seen.params["limit"])
        page = {"total": len(trials), "trials": trials[offset:offset + limit]}
        return Reply(body=json.dumps(page).encode())

    with Review.init(tmp_path / "live", protocol_file) as review, SourceServer() as server:
        server.route("/trials", answer)
        monkeypatch.setattr(_registry_source.DemoRegistryClient, "base_url", server.url)
        report = search(review, offline=False)
        assert report.failures == {}
        (outcome,) = report.outcomes
        assert (outcome.kind, outcome.mode, outcome.pages) == ("demo_registry", "live", 3)
        assert (outcome.count_reported, outcome.count_retrieved) == (10, 10)
        assert [s.params["offset"] for s in server.requests("/trials")] == ["0", "4", "8"]
        assert {s.params["q"] for s in server.requests("/trials")} == {outcome.query}
        live = review.store.query("SELECT source, source_id, raw, title FROM records ORDER BY id")
        assert [row["source_id"] for row in live] == [t["id"] for t in trials]
        snapshots = review.snapshots_dir

    # No server now: the replay can only come from the snapshot the live search kept.
    monkeypatch.setattr(_registry_source.DemoRegistryClient, "base_url", "http://127.0.0.1:9")
    with Review.init(tmp_path / "elsewhere", protocol_file) as other:
        shutil.copytree(snapshots, other.snapshots_dir, dirs_exist_ok=True)
        replay = search(other, offline=True)
        assert replay.failures == {}
        assert (replay.outcomes[0].mode, replay.outcomes[0].count_retrieved) == ("offline", 10)
        replayed = other.store.query("SELECT source, source_id, raw, title FROM records ORDER BY id")
        assert [tuple(r) for r in replayed] == [tuple(r) for r in live]


def search(review: Review, *, offline: bool) -> SearchReport:
    return search_sources(review.store, review.directory, review.protocol, names=["registry"],
                          offline=offline, sleep=lambda seconds: None,
                          settings=SourceSettings(rate=1000.0, timeout=2.0, retries=1))
