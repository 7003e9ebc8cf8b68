"""The flagship's curated evidence base (examples/glutamate-entactogens/evidence/) is well formed.

Each TOML file is one study as a named human reviewer extracted it. These tests check the format
that evidence/README.md describes: required keys, the vocabularies of issue 10 and of the
flagship protocol, identifier syntax, one file per study, a source ("where") for every fact,
uncertain items marked with a note, and no sentence of the seed review's abstract copied in.

The checks live in `problems()`, which returns every problem in one study's data; the per-file
tests assert it returns none, and the tests at the bottom show that it does catch each kind of
fault, so a file that breaks the format cannot pass.
"""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from livingreview.protocol import Protocol, load_protocol
from livingreview.synthesis.evidence import NUMBER_KEYS

EXAMPLE = ROOT / "examples" / "glutamate-entactogens"
EVIDENCE = EXAMPLE / "evidence"
SEED_ABSTRACT = ROOT.parent / "shared" / "flagship" / "seed-abstract.txt"
STUDY_FILES = sorted(EVIDENCE.glob("*.toml"))

# Vocabularies fixed by issue 10 (part 2); the extraction stage reads these exact names.
RANDOMISED = {"yes", "no", "not-stated"}
ALLOCATION = {"parallel", "crossover", "single-group", "not-stated"}
BLINDING = {"open-label", "single-blind", "double-blind", "triple-blind", "not-stated"}
CONTROL = {"placebo", "active", "none", "not-stated"}
POPULATION = {
    "healthy", "depression", "bipolar", "autism", "fragile-x", "social-anxiety", "ptsd",
    "schizophrenia", "borderline-pd", "ocd", "substance-use",
}
AGE_GROUP = {"adult", "child-adolescent", "mixed", "not-stated"}
ROUTES = {"intravenous", "intranasal", "oral", "intramuscular", "inhaled", "subcutaneous"}
OUTCOME_CLASSES = {"self-report", "clinician-rated", "behavioural", "neuroimaging", "physiological"}
IMAGING = {"fMRI", "EEG", "MEG", "PET", "MRS", "other"}
NETWORKS = {"empathy", "mentalizing", "reward", "face"}
DIRECTION = {"improved", "worsened", "no difference", "mixed"}
DECISION = {"include", "exclude", "maybe"}
FIT = {"high", "medium", "low"}
VERIFICATION = {"verified", "partly-verified", "unverified"}

PMID = re.compile(r"^\d{1,9}$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMCID = re.compile(r"^PMC\d+$")
NCT = re.compile(r"^NCT\d{8}$")
OTHER_POPULATION = re.compile(r"^other:[a-z][a-z0-9-]*$")
# A "where" value names the page a fact was read on, or the flagship README row that records it.
SOURCE = re.compile(r"https?://\S+|flagship README row [A-Z]\d+")

CITATION_KEYS = {
    "authors", "year", "title", "journal", "volume", "issue", "pages", "doi", "pmid", "pmcid",
    "nct_ids", "verification", "uncertain", "note",
}
EXTRACTION_KEYS = {
    "randomised", "allocation", "blinding", "control", "active_comparator", "population",
    "age_group", "n_total", "drugs", "doses", "routes", "outcome_classes", "imaging_modalities",
    "constructs", "uncertain", "note",
}
EXTRACTION_REQUIRED = {
    "randomised", "allocation", "blinding", "control", "population", "age_group", "drugs",
    "outcome_classes", "constructs",
}
OUTCOME_KEYS = {
    "instrument", "construct", "class", "brain_regions", "network", "timepoint", "primary",
    "direction", "summary", "numbers", "uncertain", "note",
}
# Fields that record the curator's own bookkeeping rather than a fact read somewhere.
NOT_FACTS = {"verification", "uncertain", "note"}
MAX_SUMMARY_CHARS = 300
SHARED_WORDS = 12


class Vocabularies:
    """The flagship protocol's term labels that evidence files must use."""

    def __init__(self, protocol: Protocol) -> None:
        vocabularies = protocol.vocabularies
        self.drugs = {t.label for t in vocabularies["intervention"].terms}
        self.constructs = {t.label for t in vocabularies["construct"].terms}
        self.region_networks = {
            t.label: {c.removesuffix("_network").removesuffix("_processing") for c in t.classes}
            for t in vocabularies["region"].terms
        }
        self.criteria = {c.id for c in protocol.criteria}


@pytest.fixture(scope="module")
def vocabularies() -> Vocabularies:
    return Vocabularies(load_protocol(EXAMPLE / "protocol.toml"))


@pytest.fixture(scope="module")
def studies() -> dict[str, dict[str, Any]]:
    return {path.stem: load(path) for path in STUDY_FILES}


def load(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def problems(data: dict[str, Any], stem: str, vocab: Vocabularies) -> list[str]:
    """Every way this study's data breaks the evidence format, as readable messages."""
    found: list[str] = []
    if data.get("key") != stem:
        found.append(f"key {data.get('key')!r} is not the file stem {stem!r}")
    if not isinstance(data.get("reviewer"), str) or not data["reviewer"].strip():
        found.append("reviewer: a non-empty name is required")
    unknown = set(data) - {"key", "reviewer", "citation", "screening", "extraction", "outcomes", "where"}
    found += [f"unknown top-level key {k!r}" for k in sorted(unknown)]
    found += citation_problems(data.get("citation", {}))
    screening = data.get("screening", {})
    found += screening_problems(screening, vocab)
    included = screening.get("decision") in {"include", "maybe"}
    extraction = data.get("extraction", {})
    if included or extraction:
        found += extraction_problems(extraction, vocab)
    outcomes = data.get("outcomes", [])
    if included and not outcomes:
        found.append("outcomes: an included study needs at least one outcome")
    for index, outcome in enumerate(outcomes):
        found += [f"outcomes.{index}: {p}" for p in outcome_problems(outcome, extraction, vocab)]
    found += where_problems(data)
    return found


def citation_problems(citation: dict[str, Any]) -> list[str]:
    found = [f"citation: unknown key {k!r}" for k in sorted(set(citation) - CITATION_KEYS)]
    authors = citation.get("authors")
    if not isinstance(authors, list) or not authors or not all(isinstance(a, str) and a.strip() for a in authors):
        found.append("citation.authors: a list with at least the first author is required")
    year = citation.get("year")
    if not isinstance(year, int) or not 1950 <= year <= 2026:
        found.append(f"citation.year: expected a year between 1950 and 2026, got {year!r}")
    for key, pattern in (("pmid", PMID), ("doi", DOI), ("pmcid", PMCID)):
        value = citation.get(key)
        if value is not None and not (isinstance(value, str) and pattern.match(value)):
            found.append(f"citation.{key}: {value!r} does not match {pattern.pattern}")
    for nct in citation.get("nct_ids", []):
        if not (isinstance(nct, str) and NCT.match(nct)):
            found.append(f"citation.nct_ids: {nct!r} is not an NCT number")
    verification = citation.get("verification")
    if verification not in VERIFICATION:
        found.append(f"citation.verification: {verification!r} is not one of {sorted(VERIFICATION)}")
    if verification == "verified" and not (citation.get("doi") or citation.get("pmid")):
        found.append("citation: 'verified' needs a DOI or PMID that was seen")
    if verification in {"partly-verified", "unverified"} and not citation.get("note"):
        found.append("citation.note: say what is not verified")
    found += uncertain_problems(citation, "citation")
    return found


def screening_problems(screening: dict[str, Any], vocab: Vocabularies) -> list[str]:
    found = [f"screening: unknown key {k!r}" for k in sorted(set(screening) - {"decision", "reason", "fit", "note"})]
    decision = screening.get("decision")
    if decision not in DECISION:
        found.append(f"screening.decision: {decision!r} is not one of {sorted(DECISION)}")
    if decision == "exclude" and screening.get("reason") not in vocab.criteria:
        found.append(f"screening.reason: an exclusion names a protocol criterion {sorted(vocab.criteria)}")
    if "reason" in screening and screening["reason"] not in vocab.criteria:
        found.append(f"screening.reason: {screening['reason']!r} is not a protocol criterion")
    if screening.get("fit") not in FIT:
        found.append(f"screening.fit: {screening.get('fit')!r} is not one of {sorted(FIT)}")
    if not screening.get("note"):
        found.append("screening.note: give the reason for the decision")
    return found


def extraction_problems(extraction: dict[str, Any], vocab: Vocabularies) -> list[str]:
    found = [f"extraction: unknown key {k!r}" for k in sorted(set(extraction) - EXTRACTION_KEYS)]
    found += [f"extraction.{k}: required" for k in sorted(EXTRACTION_REQUIRED - set(extraction))]
    for key, allowed in (("randomised", RANDOMISED), ("allocation", ALLOCATION),
                         ("blinding", BLINDING), ("control", CONTROL), ("age_group", AGE_GROUP)):
        if key in extraction and extraction[key] not in allowed:
            found.append(f"extraction.{key}: {extraction[key]!r} is not one of {sorted(allowed)}")
    for key, allowed in (("drugs", vocab.drugs), ("routes", ROUTES),
                         ("outcome_classes", OUTCOME_CLASSES), ("imaging_modalities", IMAGING),
                         ("constructs", vocab.constructs)):
        found += [f"extraction.{key}: {v!r} is not in the vocabulary" for v in extraction.get(key, []) if v not in allowed]
    found += [
        f"extraction.population: {p!r} is neither a listed population nor other:WORD"
        for p in extraction.get("population", [])
        if p not in POPULATION and not OTHER_POPULATION.match(str(p))
    ]
    n_total = extraction.get("n_total")
    if n_total is not None and (not isinstance(n_total, int) or isinstance(n_total, bool) or n_total < 1):
        found.append(f"extraction.n_total: a positive whole number or absent, got {n_total!r}")
    if ("active_comparator" in extraction) != (extraction.get("control") == "active"):
        found.append("extraction.active_comparator: given exactly when control is 'active'")
    if "neuroimaging" in extraction.get("outcome_classes", []) and not extraction.get("imaging_modalities"):
        found.append("extraction.imaging_modalities: required with a neuroimaging outcome")
    found += uncertain_problems(extraction, "extraction")
    return found


def outcome_problems(outcome: dict[str, Any], extraction: dict[str, Any], vocab: Vocabularies) -> list[str]:
    found = [f"unknown key {k!r}" for k in sorted(set(outcome) - OUTCOME_KEYS)]
    for key in ("instrument", "construct", "class", "summary"):
        if not outcome.get(key):
            found.append(f"{key}: required")
    if outcome.get("construct") and outcome["construct"] not in vocab.constructs:
        found.append(f"construct: {outcome['construct']!r} is not a protocol construct")
    if outcome.get("construct") and outcome["construct"] not in extraction.get("constructs", []):
        found.append(f"construct: {outcome.get('construct')!r} is missing from extraction.constructs")
    if outcome.get("class") and outcome["class"] not in OUTCOME_CLASSES:
        found.append(f"class: {outcome['class']!r} is not an outcome class")
    if outcome.get("class") and outcome["class"] not in extraction.get("outcome_classes", []):
        found.append(f"class: {outcome['class']!r} is missing from extraction.outcome_classes")
    direction = outcome.get("direction")
    if direction is None and not outcome.get("uncertain"):
        found.append("direction: required unless the outcome is marked uncertain")
    if direction is not None and direction not in DIRECTION:
        found.append(f"direction: {direction!r} is not one of {sorted(DIRECTION)}")
    if "primary" in outcome and not isinstance(outcome["primary"], bool):
        found.append("primary: true or false")
    regions = outcome.get("brain_regions", [])
    found += [f"brain_regions: {r!r} is not a protocol region" for r in regions if r not in vocab.region_networks]
    network = outcome.get("network")
    if network is not None:
        if network not in NETWORKS:
            found.append(f"network: {network!r} is not one of {sorted(NETWORKS)}")
        elif regions and not any(network in vocab.region_networks.get(r, set()) for r in regions):
            found.append(f"network: no listed region belongs to the {network} network")
    if len(outcome.get("summary", "")) > MAX_SUMMARY_CHARS:
        found.append(f"summary: keep it under {MAX_SUMMARY_CHARS} characters, in your own words")
    numbers = outcome.get("numbers", {})
    found += [f"numbers: unknown key {k!r}" for k in sorted(set(numbers) - NUMBER_KEYS)]
    found += uncertain_problems(outcome, "outcome")
    return found


def uncertain_problems(table: dict[str, Any], name: str) -> list[str]:
    if "uncertain" in table and not isinstance(table["uncertain"], bool):
        return [f"{name}.uncertain: true or false"]
    if table.get("uncertain") and not table.get("note"):
        return [f"{name}: marked uncertain without a note saying what is uncertain"]
    return []


def fact_paths(data: dict[str, Any]) -> Iterator[str]:
    """The dotted path of every fact in a study that needs a source."""
    for section in ("citation", "extraction"):
        for key in data.get(section, {}):
            if key not in NOT_FACTS:
                yield f"{section}.{key}"
    for index, outcome in enumerate(data.get("outcomes", [])):
        for key in outcome:
            if key not in NOT_FACTS:
                yield f"outcomes.{index}.{key}"


def canonical(where_key: str) -> str:
    """`n_total` and `extraction.n_total` name the same fact (issue 10's example uses both)."""
    head = where_key.split(".", 1)[0]
    return f"extraction.{where_key}" if head in EXTRACTION_KEYS else where_key


def covers(where_key: str, path: str) -> bool:
    return path == where_key or path.startswith(where_key + ".")


def where_problems(data: dict[str, Any]) -> list[str]:
    where = {canonical(k): v for k, v in data.get("where", {}).items()}
    paths = list(fact_paths(data))
    found = [f"where: no source for {p}" for p in paths if not any(covers(k, p) for k in where)]
    found += [f"where.{k}: names no fact in this file" for k in where if not any(covers(k, p) for p in paths)]
    found += [f"where.{k}: {v!r} names no page or flagship README row" for k, v in where.items()
              if not (isinstance(v, str) and SOURCE.search(v))]
    return found


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def shingles(text: str, size: int = SHARED_WORDS) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


def strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


# --------------------------------------------------------------------------------- the files


def test_the_evidence_base_holds_at_least_25_studies() -> None:
    assert len(STUDY_FILES) >= 25, f"{len(STUDY_FILES)} study files in {EVIDENCE}"


@pytest.mark.parametrize("path", STUDY_FILES, ids=lambda p: p.stem)
def test_study_file_follows_the_evidence_format(path: Path, vocabularies: Vocabularies) -> None:
    assert problems(load(path), path.stem, vocabularies) == []


def test_no_study_appears_twice(studies: dict[str, dict[str, Any]]) -> None:
    seen: dict[tuple[str, str], str] = {}
    for stem, data in studies.items():
        citation = data["citation"]
        title = " ".join(words(citation.get("title", "")))
        for kind, value in (("doi", citation.get("doi", "").lower()), ("pmid", citation.get("pmid")),
                            ("pmcid", citation.get("pmcid")), ("title", title)):
            if value:
                assert (kind, value) not in seen, f"{stem} and {seen[(kind, value)]} share {kind} {value}"
                seen[(kind, value)] = stem


def test_reports_of_one_trial_name_each_other(studies: dict[str, dict[str, Any]]) -> None:
    # Companion reports (one registered trial, several papers) are allowed, but each must say
    # which other file it shares its trial with, so synthesis does not count participants twice.
    by_trial: dict[str, list[str]] = {}
    for stem, data in studies.items():
        for nct in data["citation"].get("nct_ids", []):
            by_trial.setdefault(nct, []).append(stem)
    for nct, stems in by_trial.items():
        for stem in stems:
            note = studies[stem]["screening"]["note"]
            for other in set(stems) - {stem}:
                assert other in note, f"{stem} shares {nct} with {other} but its screening note does not say so"


def test_the_extracted_drugs_include_ketamine_and_d_cycloserine(studies: dict[str, dict[str, Any]]) -> None:
    # The seed review's two named agents must be represented among the included studies.
    included = [d for d in studies.values() if d["screening"]["decision"] == "include"]
    drugs = {drug for d in included for drug in d["extraction"]["drugs"]}
    assert {"ketamine", "D-cycloserine"} <= drugs


@pytest.mark.realdata
def test_no_passage_of_the_seed_abstract_is_copied_into_the_evidence() -> None:
    if not SEED_ABSTRACT.exists():
        pytest.skip(f"{SEED_ABSTRACT} is not present (tests marked realdata need ../shared)")
    seed = shingles(SEED_ABSTRACT.read_text(encoding="utf-8"))
    texts = [(p.name, text) for p in [*STUDY_FILES, EVIDENCE / "README.md"]
             for text in ([p.read_text(encoding="utf-8")] if p.suffix == ".md" else strings_in(load(p)))]
    copied = [(name, " ".join(s)) for name, text in texts for s in shingles(text) & seed]
    assert copied == []


# ------------------------------------------------------------ the checks catch what they should


@pytest.fixture
def hess() -> dict[str, Any]:
    return load(EVIDENCE / "hess2024.toml")


def mutated(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy with one dotted path set (or removed, when value is None)."""
    changed = copy.deepcopy(data)
    *parents, last = path.split(".")
    target: Any = changed
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if value is None:
        del target[last]
    else:
        target[last] = value
    return changed


@pytest.mark.parametrize("path, value, message", [
    ("citation.pmid", "PMID38982828", "citation.pmid"),
    ("citation.doi", "doi:10.1176/appi.ajp.20230980", "citation.doi"),
    ("citation.nct_ids", ["NCT123"], "not an NCT number"),
    ("citation.verification", "checked", "citation.verification"),
    ("extraction.blinding", "blinded", "extraction.blinding"),
    ("extraction.drugs", ["Ketalar"], "extraction.drugs"),
    ("extraction.constructs", ["niceness"], "extraction.constructs"),
    ("extraction.population", ["depressed"], "extraction.population"),
    ("extraction.n_total", 0, "extraction.n_total"),
    ("outcomes.0.direction", "better", "direction"),
    ("outcomes.0.construct", "social reward ", "not a protocol construct"),
    ("screening.decision", "exclude", "screening.reason"),
    ("key", "hess2023", "file stem"),
])
def test_problems_reports_a_value_outside_its_vocabulary_or_syntax(
    hess: dict[str, Any], vocabularies: Vocabularies, path: str, value: Any, message: str,
) -> None:
    assert problems(hess, "hess2024", vocabularies) == []
    found = problems(mutated(hess, path, value), "hess2024", vocabularies)
    assert any(message in p for p in found), found


def test_problems_reports_a_fact_without_a_source(hess: dict[str, Any], vocabularies: Vocabularies) -> None:
    with_new_fact = mutated(hess, "extraction.routes", ["intravenous", "oral"])
    without_sources = mutated(with_new_fact, "where", {})
    found = problems(without_sources, "hess2024", vocabularies)
    assert "where: no source for extraction.routes" in found


def test_problems_reports_an_uncertain_item_without_a_note(hess: dict[str, Any], vocabularies: Vocabularies) -> None:
    outcome = mutated(hess, "outcomes.0.uncertain", True)
    found = problems(outcome, "hess2024", vocabularies)
    assert "outcomes.0: outcome: marked uncertain without a note saying what is uncertain" in found


def test_problems_reports_an_unverified_citation_without_a_note(hess: dict[str, Any], vocabularies: Vocabularies) -> None:
    found = problems(mutated(hess, "citation.verification", "partly-verified"), "hess2024", vocabularies)
    assert "citation.note: say what is not verified" in found


def test_shared_word_runs_are_found_across_punctuation_and_case() -> None:
    source = "Thirty studies met the inclusion criteria, suggesting potential effects of the drug today."
    copied = "thirty STUDIES met the inclusion criteria -- suggesting potential effects of the drug"
    assert shingles(source) & shingles(copied)
    assert not shingles(source) & shingles("Thirty studies met the criteria; effects were small.")
