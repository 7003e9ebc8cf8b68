"""Queries generated from the protocol's vocabularies, for each source's syntax."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlencode

import pytest

from livingreview.protocol import load_protocol
from livingreview.protocol.models import Source, Term
from livingreview.sources import SourceSettings, build_query
from livingreview.sources.ctgov import LONGEST_QUERY_STRING, CtgovClient, split_parameters
from livingreview.sources.pubmed import LONGEST_TERM, PubmedClient
from livingreview.sources.queries import (
    Heading,
    _phrases,
    ctgov_parameters,
    europepmc_parameters,
    parse_date_bound,
    parse_heading,
    pubmed_parameters,
)


@pytest.fixture
def protocol(minimal_protocol):
    return load_protocol(minimal_protocol)


def test_pubmed_query_ors_every_name_and_mesh_and_ands_the_blocks(protocol):
    query = build_query(protocol, protocol.sources[0])
    assert query.text == (
        '("Ketamine"[MeSH Terms] OR "ketamine"[tiab] OR "esketamine"[tiab] OR "Ketalar"[tiab] OR '
        '"Spravato"[tiab] OR "CI-581"[tiab]) AND ("empathy"[tiab] OR "empathic concern"[tiab])')
    assert query.parameters == {"term": query.text} and query.generated


def test_europepmc_query_uses_its_field_tags_and_filters(protocol):
    source = Source(name="epmc", kind="europepmc", filters={"humans": True, "languages": ["eng"]},
                    date_from="2015", date_to="2024-06")
    query = build_query(protocol, source)
    assert query.text.startswith('(MESH_HEADING:"Ketamine" OR TITLE_ABS:"ketamine" OR ')
    assert ' AND (TITLE_ABS:"empathy" OR TITLE_ABS:"empathic concern")' in query.text
    assert ' NOT (MESH_HEADING:"animals" NOT MESH_HEADING:"humans")' in query.text
    assert 'AND LANG:"eng"' in query.text
    assert query.text.endswith("AND FIRST_PDATE:[2015-01-01 TO 2024-06-30]")


def test_ctgov_query_puts_interventions_in_query_intr(protocol):
    source = Source(name="ct", kind="ctgov", concepts=["intervention", "construct", "population"],
                    filters={"trials": True, "filter.overallStatus": ["COMPLETED", "TERMINATED"]})
    query = build_query(protocol, source, since=date(2025, 1, 1))
    assert query.parameters["query.intr"] == (
        '("ketamine" OR "esketamine" OR "Ketalar" OR "Spravato" OR "CI-581")')
    assert query.parameters["query.term"] == '("empathy" OR "empathic concern")'
    assert query.parameters["query.cond"].startswith('("healthy volunteers" OR ')
    assert query.parameters["filter.overallStatus"] == "COMPLETED,TERMINATED"
    assert query.parameters["filter.advanced"] == (
        "AREA[StudyType]INTERVENTIONAL AND AREA[LastUpdatePostDate]RANGE[2025-01-01,MAX]")
    assert query.text.splitlines()[0].startswith("filter.advanced=")


def test_a_class_reference_selects_only_that_class(protocol):
    # (MDD, a three-letter acronym, is left to the expansion beside it: see the acronym tests.)
    source = Source(name="p", kind="pubmed", concepts=["population.clinical"])
    assert build_query(protocol, source).text == (
        '("depression"[tiab] OR "major depressive disorder"[tiab])')


def test_a_written_query_overrides_and_since_still_applies(protocol):
    source = Source(name="p", kind="pubmed", query="ketamine[ti]")
    query = build_query(protocol, source, since=date(2024, 3, 1))
    assert query.text == '(ketamine[ti]) AND ("2024/03/01"[EDAT] : "3000"[EDAT])'
    assert not query.generated


def test_pubmed_trial_and_human_filters(protocol):
    source = Source(name="p", kind="pubmed", filters={"humans": True, "trials": True,
                                                      "publication_types": ["Clinical Trial"]})
    text = build_query(protocol, source).text
    assert ' NOT ("animals"[MeSH Terms] NOT "humans"[MeSH Terms]) AND (randomized controlled' in text
    assert text.endswith('AND "Clinical Trial"[pt]')


def test_unknown_filters_are_named(protocol):
    with pytest.raises(ValueError, match="source p: unknown filter 'human'; known: humans"):
        build_query(protocol, Source(name="p", kind="pubmed", filters={"human": True}))
    with pytest.raises(ValueError, match="unknown filter 'filter.overallStatus'"):
        build_query(protocol, Source(name="p", kind="pubmed",
                                     filters={"filter.overallStatus": "COMPLETED"}))


def test_quotes_inside_phrases_cannot_break_the_query(protocol):
    term = Term(id="odd", label='the "quoted" drug')
    assert _phrases([term]) == (["the quoted drug"], [])


NMDA_CLASS = Term(id="nmda", label="NMDA receptor antagonist", synonyms=["NMDA antagonist"],
                  mesh=["Ketamine", "Receptors, N-Methyl-D-Aspartate/antagonists & inhibitors",
                        "Excitatory Amino Acid Antagonists[pa]"])
EMPATHY = Term(id="empathy", label="empathy")


@pytest.mark.parametrize("written, heading", [
    ("Ketamine", Heading("Ketamine")),
    ("Receptors, AMPA/agonists", Heading("Receptors, AMPA", "agonists")),
    ("Excitatory Amino Acid Agonists[pa]", Heading("Excitatory Amino Acid Agonists",
                                                   pharmacological_action=True)),
    ("Excitatory Amino Acid Agonists [PA]", Heading("Excitatory Amino Acid Agonists",
                                                    pharmacological_action=True)),
])
def test_mesh_entries_are_read_as_descriptor_subheading_or_pharmacological_action(written, heading):
    assert parse_heading(written) == heading


def test_pubmed_searches_pharmacological_actions_as_pa_and_subheadings_as_mesh_terms():
    term = pubmed_parameters(Source(name="p", kind="pubmed"),
                             [("intervention", [NMDA_CLASS]), ("construct", [EMPATHY])], None)["term"]
    assert term == (
        '("Ketamine"[MeSH Terms] OR '
        '"Receptors, N-Methyl-D-Aspartate/antagonists & inhibitors"[MeSH Terms] OR '
        '"Excitatory Amino Acid Antagonists"[pa] OR "NMDA receptor antagonist"[tiab] OR '
        '"NMDA antagonist"[tiab]) AND "empathy"[tiab]')


def test_europepmc_gets_plain_descriptors_only():
    # Europe PMC has no pharmacological-action field and cannot pair a heading with its
    # subheading; a bare receptor heading would be broader than the protocol asked for.
    query = europepmc_parameters(Source(name="e", kind="europepmc"),
                                 [("intervention", [NMDA_CLASS])], None)["query"]
    assert query == ('(MESH_HEADING:"Ketamine" OR TITLE_ABS:"NMDA receptor antagonist" OR '
                     'TITLE_ABS:"NMDA antagonist")')


def test_ctgov_never_gets_a_mesh_heading_as_words():
    parameters = ctgov_parameters(Source(name="c", kind="ctgov"),
                                  [("intervention", [NMDA_CLASS])], None)
    assert parameters == {"query.intr": '("NMDA receptor antagonist" OR "NMDA antagonist")'}


def test_ctgov_sends_an_instrument_block_to_the_outcome_field():
    rmet = Term(id="rmet", label="Reading the Mind in the Eyes Test", synonyms=["RMET"])
    parameters = ctgov_parameters(Source(name="c", kind="ctgov"),
                                  [("intervention", [NMDA_CLASS]), ("instrument", [rmet])], None)
    assert parameters["query.outc"] == '("Reading the Mind in the Eyes Test" OR "RMET")'
    assert "query.term" not in parameters


def test_a_given_ctgov_field_and_a_generated_one_both_apply():
    rmet = Term(id="rmet", label="Reading the Mind in the Eyes Test")
    source = Source(name="c", kind="ctgov", filters={"query.outc": "empathy"})
    parameters = ctgov_parameters(source, [("instrument", [rmet])], None)
    assert parameters["query.outc"] == '(empathy) AND "Reading the Mind in the Eyes Test"'


def test_short_acronyms_stay_out_of_searches_unless_they_are_the_only_name():
    # Every service folds case: "ToM" would find Tom, "DCS" direct current stimulation.
    mentalizing = Term(id="m", label="theory of mind", synonyms=["ToM", "ToMI", "RMET", "N2O"])
    only_acronym = Term(id="x", label="DXM")
    phrases, _ = _phrases([mentalizing, only_acronym])
    assert phrases == ["theory of mind", "ToMI", "RMET", "N2O", "DXM"]


@pytest.mark.parametrize("text, end, expected", [
    ("2020", False, date(2020, 1, 1)), ("2020", True, date(2020, 12, 31)),
    ("2020-02", True, date(2020, 2, 29)), ("2020/12", True, date(2020, 12, 31)),
    ("2020-02-03", False, date(2020, 2, 3)),
])
def test_date_bounds(text, end, expected):
    assert parse_date_bound(text, end=end, where="x") == expected


def test_bad_dates_are_named():
    with pytest.raises(ValueError, match="source p date_from: expected a date .* got '2020-13'"):
        parse_date_bound("2020-13", end=False, where="source p date_from")


def test_a_ctgov_query_too_long_for_a_url_is_split_without_losing_a_phrase():
    phrases = [f"drug number {n} hydrochloride" for n in range(400)]
    parameters = {"query.intr": "(" + " OR ".join(f'"{p}"' for p in phrases) + ")",
                  "query.term": '("empathy")'}
    parts = split_parameters(parameters)
    assert len(parts) > 2
    assert all(len(urlencode(p)) <= LONGEST_QUERY_STRING for p in parts)
    assert all(p["query.term"] == '("empathy")' for p in parts)
    found = [phrase for p in parts for phrase in re.findall(r'"([^"]*)"', p["query.intr"])]
    assert found == phrases


def test_flagship_queries_are_sensible_for_all_three_sources(flagship_protocol):
    if not flagship_protocol.exists():
        pytest.skip(f"{flagship_protocol} is not written yet")
    protocol = load_protocol(flagship_protocol)
    kinds = {source.kind for source in protocol.sources}
    assert kinds == {"pubmed", "europepmc", "ctgov"}
    drugs = protocol.vocabularies["intervention"].terms
    for source in protocol.sources:
        query = build_query(protocol, source)
        blocks = [protocol.vocabularies[b.partition(".")[0]] for b in source.concepts]
        if source.kind == "pubmed":
            for drug in drugs:
                assert f'"{drug.label}"[tiab]' in query.text
                for mesh in map(parse_heading, drug.mesh):
                    if mesh.pharmacological_action:
                        assert f'"{mesh.descriptor}"[pa]' in query.text
                    else:
                        written = "/".join(filter(None, [mesh.descriptor, mesh.qualifier]))
                        assert f'"{written}"[MeSH Terms]' in query.text
            assert all(f'"{t.label}"[tiab]' in query.text for t in blocks[1].terms)
            assert query.text.count(" AND ") >= len(source.concepts) - 1
            assert all(len(p) <= LONGEST_TERM for p in PubmedClient(query, SourceSettings()).parts)
        elif source.kind == "europepmc":
            assert all(f'TITLE_ABS:"{d.label}"' in query.text for d in drugs)
            assert all(f'TITLE_ABS:"{t.label}"' in query.text for t in blocks[1].terms)
        else:
            client = CtgovClient(query, SourceSettings())
            sent = " ".join(p["query.intr"] for p in client.parts)
            assert all(f'"{d.label}"' in sent for d in drugs)
            assert all(len(urlencode(p)) <= LONGEST_QUERY_STRING for p in client.parts)
            assert "AREA[StudyType]INTERVENTIONAL" in query.parameters["filter.advanced"]
        # Balanced parentheses and quotes: the query parses in the source's syntax.
        for text in query.parameters.values():
            assert text.count('"') % 2 == 0
            depth = 0
            for character in re.sub(r'"[^"]*"', "", text):
                depth += {"(": 1, ")": -1}.get(character, 0)
                assert depth >= 0
            assert depth == 0
