"""The flagship protocol (examples/glutamate-entactogens) covers the scope its seed review fixes.

These tests pin properties of the vocabularies and criteria, not their exact contents: coverage
of every mechanism family, construct, outcome class and population the seed abstract names;
unambiguous phrases; and criteria that behave as their sentences say on short texts.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import get_args

import pytest
from conftest import fixture_path

from livingreview.protocol import Protocol, Term, load_protocol
from livingreview.protocol.models import OutcomeClass, Source
from livingreview.records import Record
from livingreview.screening.criteria import evaluate_record, find_spans
from livingreview.sources import SourceSettings
from livingreview.sources.ctgov import CtgovClient
from livingreview.sources.queries import build_query, parse_heading

# Classes that group agents but do not say how an agent works; every agent has exactly one
# class outside this set, its mechanism class (what synthesis groups by as drug_class).
PARENT_DRUG_CLASSES = {
    "glutamate_modulator", "nmda_receptor_modulator", "ampa_receptor_modulator",
    "mglu_receptor_modulator", "combination", "research_only", "class_level",
}
MECHANISM_CLASSES = {
    "nmda_channel_blocker", "nmda_glycine_site", "nmda_glun2b_nam", "nmda_pam", "ampa_pam",
    "ampa_antagonist", "mglur5_nam", "mglur2_3_agonist", "mglur2_3_antagonist", "mglur2_pam",
    "glutamate_release_modulator", "glutamate_modulator_other",
}
OUTCOME_CLASSES = set(get_args(OutcomeClass))


@pytest.fixture
def protocol(flagship_protocol: Path) -> Protocol:
    return load_protocol(flagship_protocol)


def agents(protocol: Protocol) -> list[Term]:
    return [t for t in protocol.vocabularies["intervention"].terms if "class_level" not in t.classes]


def verdict(protocol: Protocol, criterion_id: str, abstract: str) -> str:
    """The criteria engine's verdict ("met", "not_met", "unclear") on a record with this abstract."""
    record = Record(source="test", raw=abstract, title="A test record", abstract=abstract)
    return evaluate_record(protocol, record).verdict(criterion_id).verdict


def test_flagship_protocol_loads_and_names_its_seed_review(protocol: Protocol) -> None:
    assert protocol.review.id == "glutamate-entactogens"
    assert "40328099" in (protocol.review.seed_reference or "")
    assert "10.1016/j.psychres.2025.116513" in (protocol.review.seed_reference or "")


def test_at_least_25_agents_each_with_exactly_one_mechanism_class(protocol: Protocol) -> None:
    found = agents(protocol)
    assert len(found) >= 25
    for term in found:
        assert "glutamate_modulator" in term.classes, term.id
        leaves = set(term.classes) - PARENT_DRUG_CLASSES
        assert len(leaves) == 1 and leaves <= MECHANISM_CLASSES, (term.id, term.classes)


def test_every_mechanism_class_has_agents_and_every_declared_class_is_used(protocol: Protocol) -> None:
    vocabulary = protocol.vocabularies["intervention"]
    assert MECHANISM_CLASSES <= set(vocabulary.classes)
    for name in vocabulary.classes:
        assert vocabulary.members(name), f"class {name} has no member"


@pytest.mark.parametrize("agent, mechanism", [
    ("ketamine", "nmda_channel_blocker"), ("esketamine", "nmda_channel_blocker"),
    ("memantine", "nmda_channel_blocker"), ("dextromethorphan", "nmda_channel_blocker"),
    ("nitrous_oxide", "nmda_channel_blocker"), ("amantadine", "nmda_channel_blocker"),
    ("lanicemine", "nmda_channel_blocker"), ("d_cycloserine", "nmda_glycine_site"),
    ("d_serine", "nmda_glycine_site"), ("sarcosine", "nmda_glycine_site"),
    ("rapastinel", "nmda_glycine_site"), ("traxoprodil", "nmda_glun2b_nam"),
    ("perampanel", "ampa_antagonist"), ("cx516", "ampa_pam"), ("mavoglurant", "mglur5_nam"),
    ("basimglurant", "mglur5_nam"), ("fenobam", "mglur5_nam"),
    ("pomaglumetad_methionil", "mglur2_3_agonist"), ("riluzole", "glutamate_release_modulator"),
    ("lamotrigine", "glutamate_release_modulator"), ("n_acetylcysteine", "glutamate_modulator_other"),
    ("topiramate", "glutamate_modulator_other"),
])
def test_agents_named_by_the_seed_review_carry_their_mechanism(protocol: Protocol, agent: str, mechanism: str) -> None:
    assert mechanism in protocol.vocabularies["intervention"].term(agent).classes


def test_code_names_and_brands_reach_their_agent(protocol: Protocol) -> None:
    vocabulary = protocol.vocabularies["intervention"]
    assert "Spravato" in vocabulary.term("esketamine").brand_names
    assert "AZD6765" in vocabulary.term("lanicemine").code_names
    assert "GLYX-13" in vocabulary.term("rapastinel").code_names
    assert "AXS-05" in vocabulary.term("dextromethorphan_bupropion").code_names
    assert "Entonox" in vocabulary.term("nitrous_oxide").brand_names


def test_dexmedetomidine_is_not_counted_as_glutamatergic(protocol: Protocol) -> None:
    text = "Dexmedetomidine, an alpha-2 agonist, was compared with saline."
    _, spans = find_spans(protocol, Record(source="test", raw=text, abstract=text))
    assert not [s for s in spans if s.vocabulary == "intervention"]


def test_at_least_30_instruments_covering_the_three_outcome_classes(protocol: Protocol) -> None:
    instruments = protocol.vocabularies["instrument"].terms
    assert len(instruments) >= 30
    assert all(term.outcome_class is not None for term in instruments)
    assert {"self_report", "neuroimaging", "behavioural_task"} <= {t.outcome_class for t in instruments}


def test_instrument_outcome_class_and_its_rule_class_agree(protocol: Protocol) -> None:
    # C5 selects instruments by class; the synthesis reads `outcome_class`: they must not drift.
    for term in protocol.vocabularies["instrument"].terms:
        assert set(term.classes) & OUTCOME_CLASSES == {term.outcome_class}, term.id


def test_instrument_classes_are_constructs_and_every_construct_has_an_instrument(protocol: Protocol) -> None:
    # The review's own words for the whole profile (entactogen, empathogen) name no one measure.
    instruments = protocol.vocabularies["instrument"]
    constructs = protocol.vocabularies["construct"]
    construct_ids = {t.id for t in constructs.terms} - {t.id for t in constructs.members("review_terms")}
    assert set(instruments.classes) - OUTCOME_CLASSES == construct_ids
    for construct in construct_ids:
        assert instruments.members(construct), f"no instrument measures {construct}"


@pytest.mark.parametrize("instrument, construct", [
    ("met", "affective_empathy"), ("rmet", "mentalizing"), ("masc", "mentalizing"),
    ("iri", "empathic_concern"), ("dictator_game", "altruism"), ("shaps", "social_reward"),
    ("cyberball", "social_exclusion"), ("self_other_touch_paradigm", "self_other_distinction"),
    ("ios", "social_connectedness"),
])
def test_key_instruments_measure_their_construct(protocol: Protocol, instrument: str, construct: str) -> None:
    assert construct in protocol.vocabularies["instrument"].term(instrument).classes


@pytest.mark.parametrize("construct, phrase", [
    ("cognitive_empathy", "cognitive empathy"), ("affective_empathy", "affective empathy"),
    ("empathic_concern", "empathic concern"), ("mentalizing", "theory of mind"),
    ("mentalizing", "mentalizing"), ("emotion_recognition", "emotion recognition"),
    ("social_reward", "social pleasure"), ("social_reward", "social hedonic"),
    ("prosocial_behaviour", "prosocial behavior"), ("altruism", "altruism"),
    ("self_other_distinction", "self-other distinction"), ("self_perception", "self-perception"),
    ("other_perception", "other-perception"), ("social_connectedness", "closeness"),
])
def test_required_constructs_are_present_with_their_phrases(protocol: Protocol, construct: str, phrase: str) -> None:
    vocabulary = protocol.vocabularies["construct"]
    assert phrase in vocabulary.term(construct).phrases()
    assert "entactogenic" in vocabulary.term(construct).classes


@pytest.mark.parametrize("population, group", [
    ("healthy_volunteers", "healthy"), ("depression", "mood_disorder"),
    ("treatment_resistant_depression", "mood_disorder"), ("bipolar", "mood_disorder"),
    ("autism", "neurodevelopmental"), ("fragile_x", "neurodevelopmental"),
    ("schizophrenia", "psychotic_disorder"), ("borderline_personality", "personality_disorder"),
    ("ptsd", "anxiety_trauma"), ("social_anxiety", "anxiety_trauma"),
])
def test_required_populations_are_present(protocol: Protocol, population: str, group: str) -> None:
    term = protocol.vocabularies["population"].term(population)
    assert group in term.classes and "human" in term.classes


def test_regions_map_to_empathy_and_mentalizing_networks(protocol: Protocol) -> None:
    regions = protocol.vocabularies["region"]
    empathy = {t.id for t in regions.members("empathy_network")}
    mentalizing = {t.id for t in regions.members("mentalizing_network")}
    assert {"anterior_insula", "anterior_cingulate", "amygdala"} <= empathy
    assert {"tpj", "mpfc", "precuneus", "posterior_cingulate"} <= mentalizing
    assert all(term.classes for term in regions.terms)
    assert {"temporoparietal junction", "TPJ", "temporo-parietal cortex"} <= set(regions.term("tpj").phrases())


def test_every_database_is_searched_for_an_intervention(protocol: Protocol) -> None:
    assert {"pubmed", "europepmc", "ctgov"} <= {s.kind for s in protocol.sources}
    for source in protocol.sources:
        assert source.concepts[0] == "intervention" and len(source.concepts) >= 2, source.name


def test_every_source_builds_a_query_from_the_protocol(protocol: Protocol) -> None:
    # The search stage reads these sources as they are: unknown filters or blocks would fail there.
    for source in protocol.sources:
        query = build_query(protocol, source)
        assert "Ketalar" in query.text and "D-cycloserine" in query.text, source.name
    pubmed = build_query(protocol, next(s for s in protocol.sources if s.name == "pubmed_instruments"))
    assert '"Reading the Mind in the Eyes Test"[tiab]' in pubmed.text


def test_combinations_add_no_mesh_heading_of_their_partner_drug(protocol: Protocol) -> None:
    # Every MeSH heading is ORed into the search: a partner drug's heading (bupropion) would
    # retrieve that drug's whole literature.
    vocabulary = protocol.vocabularies["intervention"]
    single_agent_headings = {h for t in agents(protocol) if "combination" not in t.classes for h in t.mesh}
    for term in vocabulary.members("combination"):
        assert set(term.mesh) <= single_agent_headings, term.id


def _normalised(phrase: str) -> str:
    return " ".join(phrase.replace("’", "'").casefold().split())


@pytest.mark.parametrize("vocabulary", [
    "intervention", "construct", "instrument", "region", "population", "non_human", "design",
    "excluded_design",
])
def test_no_phrase_names_two_terms_of_one_vocabulary(protocol: Protocol, vocabulary: str) -> None:
    owner: dict[str, str] = {}
    for term in protocol.vocabularies[vocabulary].terms:
        for phrase in {_normalised(p) for p in term.phrases()}:
            assert phrase not in owner, f"{phrase!r} names both {owner.get(phrase)} and {term.id}"
            owner[phrase] = term.id


def test_no_term_repeats_a_phrase_in_another_case(protocol: Protocol) -> None:
    # Matching ignores case, so a case variant is dead weight in every generated query. (A
    # typographic apostrophe is kept as a variant: not every matcher folds it.)
    for name, vocabulary in protocol.vocabularies.items():
        for term in vocabulary.terms:
            phrases = [term.label, *term.synonyms, *term.brand_names, *term.code_names]
            assert len({p.casefold() for p in phrases}) == len(phrases), f"{name}.{term.id}: {phrases}"


def test_no_empty_or_padded_phrases(protocol: Protocol) -> None:
    for name, vocabulary in protocol.vocabularies.items():
        for term in vocabulary.terms:
            for value in [term.label, *term.synonyms, *term.brand_names, *term.code_names, *term.mesh]:
                assert value.strip() == value and value, f"{name}.{term.id}: {value!r}"


def test_criteria_cover_the_scope_and_are_explained(protocol: Protocol) -> None:
    referenced = {ref for c in protocol.criteria for ref in re.findall(r"[a-z_]+(?:\.[a-z_0-9]+)?", c.rule)}
    assert {"intervention.glutamate_modulator", "construct.entactogenic", "design.clinical_trial"} <= referenced
    assert all(len(c.sentence.split()) >= 8 for c in protocol.criteria)


# Short texts in our own words, shaped like the abstracts the criteria must handle.
MIXED_HUMAN_AND_RAT_TRIAL = (
    "In a secondary analysis of two randomized, placebo-controlled crossover trials, patients with "
    "treatment-resistant depression received ketamine. Social items of the Snaith-Hamilton Pleasure "
    "Scale, including helping others, improved. In a parallel experiment, rats gave up sucrose to "
    "spare a cage mate."
)
RAT_ONLY_STUDY = (
    "Sprague-Dawley rats received ketamine or saline and were tested for prosocial behaviour in a "
    "harm-aversion paradigm; helping rats showed greater anterior cingulate activity."
)
NARRATIVE_REVIEW = (
    "This narrative review summarises clinical trials of esketamine and their effects on empathy "
    "and theory of mind in patients with depression."
)
ALPHA2_TRIAL = (
    "In a randomized, double-blind trial, healthy volunteers received dexmedetomidine or placebo "
    "and completed the Reading the Mind in the Eyes Test."
)
OBSERVER_RATED_TRIAL = (
    "Children with autism spectrum disorder were randomized to D-cycloserine or placebo; parents "
    "rated social withdrawal on the Aberrant Behavior Checklist."
)


def test_a_human_trial_that_adds_a_rat_experiment_meets_every_criterion(protocol: Protocol) -> None:
    for criterion in protocol.criteria:
        assert verdict(protocol, criterion.id, MIXED_HUMAN_AND_RAT_TRIAL) == "met", criterion.id


def test_animal_only_reviews_and_non_glutamatergic_trials_each_fail_their_criterion(protocol: Protocol) -> None:
    assert verdict(protocol, "C1", RAT_ONLY_STUDY) == "not_met"
    assert verdict(protocol, "C6", NARRATIVE_REVIEW) == "not_met"
    assert verdict(protocol, "C3", ALPHA2_TRIAL) == "not_met"
    assert verdict(protocol, "C4", ALPHA2_TRIAL) == "met"


def test_observer_ratings_alone_fail_the_outcome_class_criterion(protocol: Protocol) -> None:
    # The abstract names self-report, neuroimaging and behavioural outcomes only (see C5's sentence).
    assert verdict(protocol, "C4", OBSERVER_RATED_TRIAL) == "met"
    assert verdict(protocol, "C5", OBSERVER_RATED_TRIAL) == "not_met"
    assert protocol.criterion("C5").stages == ["full_text"]


def test_synthesis_groups_by_mechanism_and_outcome_class_with_sane_thresholds(protocol: Protocol) -> None:
    synthesis = protocol.synthesis
    assert synthesis.group_by == ["drug_class", "outcome_class"]
    assert (synthesis.effect_measure, synthesis.tau2_estimator, synthesis.ci_method) == ("SMD", "REML", "knapp-hartung")
    assert synthesis.min_studies_for_meta == 3
    thresholds = synthesis.conclusion_thresholds
    assert 0.5 < thresholds["promising_direction_fraction"] <= 1
    assert thresholds["promising_min_studies"] >= thresholds["insufficient_below_studies"]


OFF_TOPIC_SETS = ["cohen2006_Antihistamines.csv", "cohen2006_Estrogens.csv", "cohen2006_NSAIDS.csv",
                  "cohen2006_Triptans.csv", "cohen2006_UrinaryIncontinence.csv", "nagtegaal2019.csv"]


@pytest.mark.realdata
def test_off_topic_abstracts_rarely_meet_both_drug_and_construct_criteria(protocol: Protocol) -> None:
    # Six labelled screening sets from unrelated reviews: a record meeting C3 and C4 there is
    # a false alarm caused by an ambiguous phrase (as "PCP" = primary care physician was).
    records = []
    for name in OFF_TOPIC_SETS:
        with fixture_path("screening", name).open(encoding="utf-8", errors="replace", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("title") or row.get("abstract"):
                    text = row.get("abstract") or ""
                    records.append(Record(source=name, raw=text, title=row.get("title"), abstract=text))
    both = [r.title for r in records
            if (v := evaluate_record(protocol, r)).verdict("C3").verdict == "met"
            and v.verdict("C4").verdict == "met"]
    assert len(records) > 4000
    # One in a thousand: the rate at which a screener would still not notice the noise.
    assert len(both) <= len(records) / 1000, both


# --- The generated queries (issue 9, "query quality"): what each source is sent ---------------

KINDS = ("pubmed", "europepmc", "ctgov")
DISSOCIATION_WORDS = re.compile(r"depersonali[sz]|dereali[sz]|dissociat", re.IGNORECASE)


def block_query(protocol: Protocol, kind: str, concept: str) -> str:
    """Everything a source of this kind is sent for one concept block alone."""
    query = build_query(protocol, Source(name=f"{kind}_{concept}", kind=kind, concepts=[concept]))
    return "\n".join(query.parameters.values())


def test_pubmed_searches_the_excitatory_amino_acid_actions_as_pharmacological_actions(protocol: Protocol) -> None:
    for source in protocol.sources:
        text = build_query(protocol, source).text
        if source.kind == "pubmed":
            assert '"Excitatory Amino Acid Antagonists"[pa]' in text, source.name
            assert '"Excitatory Amino Acid Agonists"[pa]' in text, source.name
            assert '"Receptors, N-Methyl-D-Aspartate/antagonists & inhibitors"[MeSH Terms]' in text
        else:
            assert "[pa]" not in text and "Excitatory Amino Acid Agonists" not in text, source.name


@pytest.mark.parametrize("kind, spelled", [
    ("pubmed", '"{}"[tiab]'), ("europepmc", 'TITLE_ABS:"{}"'), ("ctgov", '"{}"'),
])
@pytest.mark.parametrize("phrase", [
    "entactogen", "entactogens", "entactogenic", "empathogen", "empathogens", "empathogenic",
    "emotional processing", "emotional bias", "connectedness", "cooperation",
])
def test_the_construct_block_carries_the_reviews_own_words(protocol: Protocol, kind: str, spelled: str, phrase: str) -> None:
    assert spelled.format(phrase) in block_query(protocol, kind, "construct")


@pytest.mark.parametrize("kind", KINDS)
def test_no_dissociation_word_reaches_the_construct_block(protocol: Protocol, kind: str) -> None:
    # Ketamine trials report depersonalization as a side effect: as a construct phrase it
    # retrieved (and met the construct criterion for) every dissociation report.
    assert not DISSOCIATION_WORDS.search(block_query(protocol, kind, "construct"))
    for term in protocol.vocabularies["construct"].terms:
        assert not DISSOCIATION_WORDS.search(" ".join([*term.phrases(), *term.mesh])), term.id


def test_a_dissociation_side_effect_alone_does_not_meet_the_construct_criterion(protocol: Protocol) -> None:
    text = ("Healthy volunteers received ketamine; depersonalization and derealization were rated "
            "with the Clinician-Administered Dissociative States Scale.")
    _, spans = find_spans(protocol, Record(source="test", raw=text, abstract=text))
    assert not [s for s in spans if s.vocabulary == "construct"]


def test_ctgov_gets_the_instruments_through_the_outcome_field(protocol: Protocol) -> None:
    sources = [s for s in protocol.sources if s.kind == "ctgov" and "instrument" in s.concepts]
    assert sources
    for source in sources:
        query = build_query(protocol, source)
        assert "query.term" not in query.parameters
        sent = " ".join(p["query.outc"] for p in CtgovClient(query, SourceSettings()).parts)
        for term in protocol.vocabularies["instrument"].terms:
            assert f'"{term.label}"' in sent, term.id


@pytest.mark.parametrize("kind, as_words", [
    ("pubmed", '"{}"[tiab]'), ("europepmc", 'TITLE_ABS:"{}"'), ("ctgov", '"{}"'),
])
def test_mesh_headings_are_never_sent_as_words(protocol: Protocol, kind: str, as_words: str) -> None:
    phrases = {p.casefold() for v in protocol.vocabularies.values() for t in v.terms for p in t.phrases()}
    headings = {parse_heading(m).descriptor for v in protocol.vocabularies.values()
                for t in v.terms for m in t.mesh}
    only_headings = {h for h in headings if h.casefold() not in phrases}
    assert "Receptors, N-Methyl-D-Aspartate" in only_headings
    for source in (s for s in protocol.sources if s.kind == kind):
        text = "\n".join(build_query(protocol, source).parameters.values())
        for heading in only_headings:
            assert as_words.format(heading) not in text, (source.name, heading)
    if kind == "ctgov":
        for source in (s for s in protocol.sources if s.kind == kind):
            assert "Receptors, " not in "\n".join(build_query(protocol, source).parameters.values())


def test_tom_is_matched_in_its_own_case_and_kept_out_of_searches(protocol: Protocol) -> None:
    assert "ToM" in protocol.vocabularies["construct"].term("mentalizing").synonyms

    def constructs(text: str) -> set[str]:
        _, spans = find_spans(protocol, Record(source="test", raw=text, abstract=text))
        return {s.term for s in spans if s.vocabulary == "construct"}

    assert constructs("After esketamine, ToM scores rose.") == {"mentalizing"}
    assert constructs("Tom, the study nurse, gave esketamine.") == set()
    assert constructs("TOM was high after esketamine.") == set()
    for kind, spelled in (("pubmed", '"ToM"[tiab]'), ("europepmc", 'TITLE_ABS:"ToM"'), ("ctgov", '"ToM"')):
        sent = block_query(protocol, kind, "construct")
        assert spelled not in sent and spelled.replace("ToM", "theory of mind") in sent


def test_show_query_prints_the_flagship_queries_as_built(tmp_path: Path, flagship_protocol: Path, protocol: Protocol) -> None:
    # What a user reads before searching: every source, its query unchanged, parentheses whole.
    def livingreview(*args: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", "from livingreview.cli import main; main()",
                               *map(str, args)], capture_output=True, text=True, timeout=120,
                              env={**os.environ, "LIVINGREVIEW_CONFIG": "/nonexistent/config.toml"})

    project = tmp_path / "flagship"
    assert livingreview("init", project, "--protocol", flagship_protocol).returncode == 0
    done = livingreview("search", project, "--show-query", "--json")
    assert done.returncode == 0, done.stderr
    shown = {q["source"]: q for q in json.loads(done.stdout)["queries"]}
    assert set(shown) == {s.name for s in protocol.sources}
    for source in protocol.sources:
        built = build_query(protocol, source)
        assert shown[source.name]["query"] == built.text
        assert shown[source.name]["parameters"] == built.parameters
        for text in built.parameters.values():
            unquoted = re.sub(r'"[^"]*"', "", text)
            assert text.count('"') % 2 == 0 and unquoted.count("(") == unquoted.count(")")
