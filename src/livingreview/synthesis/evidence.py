"""The evidence synthesis reads: one `StudyEvidence` per study, its outcomes mapped onto the protocol.

`load_evidence_dir(path, protocol)` reads a folder of curated evidence files in the format of
`examples/glutamate-entactogens/evidence/README.md` ([citation], [screening], [extraction],
[[outcomes]]). Drug and construct names are matched case-insensitively against the protocol's
vocabularies (term id, label, synonyms, brand and code names) and stored as term ids, so the map,
the effect-direction table and the conclusions group by the protocol's own terms. Anything that
does not fit is reported with its file and key, all problems of a folder at once.

Text fields come from outside (a citation, a note): labels are stripped of control characters
here; the figure and report code escapes them for where they are shown.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from livingreview.effect_sizes import EffectSizeInputError, escalc, smd_from_t
from livingreview.errors import BadInput
from livingreview.protocol.models import Protocol, Vocabulary
from livingreview.safe_text import plain_for_terminal

Direction = Literal["improved", "worsened", "no difference", "mixed"]
DIRECTIONS: tuple[Direction, ...] = ("improved", "worsened", "no difference", "mixed")
OUTCOME_CLASSES = ("self-report", "clinician-rated", "behavioural", "neuroimaging", "physiological")
DECISIONS = ("include", "exclude", "maybe")
RANDOMISED = ("yes", "no", "not-stated")
ALLOCATIONS = ("parallel", "crossover", "single-group", "not-stated")
CONTROLS = ("placebo", "active", "none", "not-stated")


class EvidenceError(BadInput):
    """Evidence files that do not fit the format or the protocol; `problems` lists (file, key, message)."""

    def __init__(self, problems: Sequence[tuple[str, str, str]]) -> None:
        self.problems = list(problems)
        super().__init__("invalid evidence\n" + "\n".join(f"{f}: {k}: {m}" for f, k, m in self.problems))


@dataclass(frozen=True)
class Effect:
    """An effect size computed from an outcome's numbers (escalc's yi and vi)."""

    measure: str
    yi: float
    vi: float
    computed_from: str


@dataclass(frozen=True)
class OutcomeEvidence:
    construct: str  # a construct term id of the protocol
    outcome_class: str  # one of OUTCOME_CLASSES
    direction: Direction | None  # None: the extraction gives no direction
    primary: bool | None
    instrument: str = ""
    networks: tuple[str, ...] = ()
    effect: Effect | None = None


@dataclass(frozen=True)
class StudyEvidence:
    key: str
    label: str  # "Hess 2024": first author's surname and year
    decision: str  # include | exclude | maybe
    drugs: tuple[str, ...]  # intervention term ids
    population: tuple[str, ...]
    randomised: str
    allocation: str
    blinding: str
    control: str
    n_total: int | None
    outcomes: tuple[OutcomeEvidence, ...]
    pmid: str | None = None
    doi: str | None = None
    registrations: tuple[str, ...] = ()  # trial registry ids (NCT...), which tie companion reports
    reports: tuple[str, ...] = ()  # keys of the reports merged into this study; () for a single report

    @property
    def is_randomised(self) -> bool:
        return self.randomised == "yes"

    @property
    def design_strength(self) -> int:
        """3 randomised and controlled, 2 controlled, 1 uncontrolled: the bar height of a harvest plot,
        in the spirit of Ogilvie et al. (2008), who drew stronger designs as taller bars."""
        controlled = self.control in ("placebo", "active") or self.allocation == "crossover"
        if self.is_randomised and controlled:
            return 3
        return 2 if controlled else 1


def select_studies(studies: Sequence[StudyEvidence], include_maybe: bool = False) -> list[StudyEvidence]:
    """The studies a synthesis counts: included ones, and 'maybe' ones when asked, with companion
    reports of one trial merged (`merge_companion_reports`)."""
    wanted = {"include", "maybe"} if include_maybe else {"include"}
    return merge_companion_reports([study for study in studies if study.decision in wanted])


def merge_companion_reports(reports: Sequence[StudyEvidence]) -> list[StudyEvidence]:
    """Reports that share a trial registration become one study, as the Cochrane Handbook counts
    studies, not reports: counting a trial's follow-up paper as a second study would give the trial
    two votes and its participants twice.

    The merged study keeps every outcome (so the 70% rule sees them all), the largest `n_total`
    (companion reports describe one sample; the largest is the enrolment), randomised "yes" if any
    report says so, the union of drugs and populations, and the first report's other design
    fields. Its key and label join the reports' ("minshawi2016+wink2017"). Reports are linked only
    by a registration they share: reports of one sample without one stay separate.
    """
    groups = _registration_groups(reports)
    merged = []
    for group in groups:
        merged.append(group[0] if len(group) == 1 else _merge(group))
    return merged


def _registration_groups(reports: Sequence[StudyEvidence]) -> list[list[StudyEvidence]]:
    parent = list(range(len(reports)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[str, int] = {}
    for index, report in enumerate(reports):
        for registration in report.registrations:
            other = first_with.setdefault(registration.upper(), index)
            parent[root(index)] = root(other)
    groups: dict[int, list[StudyEvidence]] = {}
    for index, report in enumerate(reports):
        groups.setdefault(root(index), []).append(report)
    return list(groups.values())


def _merge(group: list[StudyEvidence]) -> StudyEvidence:
    group = sorted(group, key=lambda s: s.key)
    sizes = [s.n_total for s in group if s.n_total is not None]
    first = group[0]
    return replace(
        first,
        key="+".join(s.key for s in group), label=" + ".join(s.label for s in group),
        drugs=tuple(dict.fromkeys(d for s in group for d in s.drugs)),
        population=tuple(dict.fromkeys(p for s in group for p in s.population)),
        randomised="yes" if any(s.is_randomised for s in group) else first.randomised,
        n_total=max(sizes) if sizes else None,
        outcomes=tuple(o for s in group for o in s.outcomes),
        registrations=tuple(dict.fromkeys(r for s in group for r in s.registrations)),
        reports=tuple(s.key for s in group),
    )


def in_order(items: set[str], order: Sequence[str]) -> list[str]:
    """Items in the order given (the protocol's term order), the others after them by name."""
    rank = {item: i for i, item in enumerate(order)}
    return sorted(items, key=lambda item: (rank.get(item, len(rank)), item))


def load_evidence_dir(path: str | Path, protocol: Protocol, *, drug_vocabulary: str = "intervention",
                      construct_vocabulary: str = "construct") -> list[StudyEvidence]:
    """Every `*.toml` evidence file of a folder, in file-name order."""
    folder = Path(path)
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise EvidenceError([(str(folder), "(folder)", "no *.toml evidence files")])
    drugs = _term_index(protocol, drug_vocabulary)
    constructs = _term_index(protocol, construct_vocabulary)
    studies: list[StudyEvidence] = []
    problems: list[tuple[str, str, str]] = []
    for file in files:
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8-sig"))
        except tomllib.TOMLDecodeError as error:
            problems.append((str(file), "(syntax)", str(error)))
            continue
        reader = _Reader(str(file), problems)
        study = reader.study(data, drugs, constructs)
        if study is not None:
            studies.append(study)
    if problems:
        raise EvidenceError(problems)
    return _distinct_labels(studies)


def _term_index(protocol: Protocol, name: str) -> dict[str, str]:
    if name not in protocol.vocabularies:
        raise EvidenceError([("protocol", f"vocabularies.{name}",
                              f"no such vocabulary; defined: {', '.join(sorted(protocol.vocabularies))}")])
    return _phrases(protocol.vocabularies[name])


def _phrases(vocabulary: Vocabulary) -> dict[str, str]:
    index: dict[str, str] = {}
    for term in vocabulary.terms:
        for phrase in (term.id, term.id.replace("_", " "), *term.phrases()):
            index.setdefault(phrase.casefold(), term.id)
    return index


def _distinct_labels(studies: list[StudyEvidence]) -> list[StudyEvidence]:
    """Two studies both labelled 'Wink 2016' become 'Wink 2016a' and 'Wink 2016b' (by key order)."""
    counts: dict[str, int] = {}
    for study in studies:
        counts[study.label] = counts.get(study.label, 0) + 1
    seen: dict[str, int] = {}
    result = []
    for study in studies:
        if counts[study.label] > 1:
            index = seen.get(study.label, 0)
            seen[study.label] = index + 1
            study = replace(study, label=f"{study.label}{chr(ord('a') + index)}")
        result.append(study)
    return result


class _Reader:
    """Reads one file, collecting every problem instead of stopping at the first."""

    def __init__(self, file: str, problems: list[tuple[str, str, str]]) -> None:
        self.file = file
        self.problems = problems

    def problem(self, key: str, message: str) -> None:
        self.problems.append((self.file, key, message))

    def study(self, data: Mapping[str, Any], drugs: dict[str, str],
              constructs: dict[str, str]) -> StudyEvidence | None:
        before = len(self.problems)
        key = self.text(data, "key")
        citation = self.table(data, "citation")
        screening = self.table(data, "screening")
        extraction = self.table(data, "extraction")
        decision = self.choice(screening, "screening.decision", DECISIONS)
        outcomes_data = data.get("outcomes", [])
        if not isinstance(outcomes_data, list):
            self.problem("outcomes", "expected an array of tables ([[outcomes]])")
            outcomes_data = []
        outcomes = [self.outcome(item, f"outcomes.{i}", constructs) for i, item in enumerate(outcomes_data)]
        study_drugs = [self.term(name, f"extraction.drugs[{i}]", drugs, "drug")
                       for i, name in enumerate(self.strings(extraction, "extraction.drugs"))]
        n_total = extraction.get("n_total")
        if n_total is not None and (not isinstance(n_total, int) or isinstance(n_total, bool) or n_total < 1):
            self.problem("extraction.n_total", f"expected a positive whole number, got {n_total!r}")
        if decision == "include" and not study_drugs:
            self.problem("extraction.drugs", "an included study needs at least one drug")
        if len(self.problems) > before:
            return None
        return StudyEvidence(
            key=key, label=self.label(citation, key), decision=decision,
            drugs=tuple(dict.fromkeys(d for d in study_drugs if d)),
            population=tuple(self.strings(extraction, "extraction.population")),
            randomised=self.choice(extraction, "extraction.randomised", RANDOMISED, "not-stated"),
            allocation=self.choice(extraction, "extraction.allocation", ALLOCATIONS, "not-stated"),
            blinding=str(extraction.get("blinding", "not-stated")),
            control=self.choice(extraction, "extraction.control", CONTROLS, "not-stated"),
            n_total=n_total, outcomes=tuple(o for o in outcomes if o is not None),
            pmid=citation.get("pmid"), doi=citation.get("doi"),
            registrations=tuple(self.strings(citation, "citation.nct_ids")),
        )

    def outcome(self, item: Any, where: str, constructs: dict[str, str]) -> OutcomeEvidence | None:
        if not isinstance(item, dict):
            self.problem(where, "expected a table")
            return None
        construct = self.term(self.text(item, "construct", where), f"{where}.construct", constructs, "construct")
        outcome_class = self.choice(item, f"{where}.class", OUTCOME_CLASSES)
        direction = item.get("direction")
        if direction is not None and direction not in DIRECTIONS:
            self.problem(f"{where}.direction", f"expected one of {', '.join(DIRECTIONS)}, got {direction!r}")
            return None
        primary = item.get("primary")
        if primary is not None and not isinstance(primary, bool):
            self.problem(f"{where}.primary", f"expected true or false, got {primary!r}")
            return None
        network = item.get("network", [])
        networks = [network] if isinstance(network, str) else network
        if not isinstance(networks, list) or not all(isinstance(n, str) for n in networks):
            self.problem(f"{where}.network", f"expected a network name or a list of them, got {network!r}")
            return None
        if not construct or not outcome_class:
            return None
        return OutcomeEvidence(
            construct=construct, outcome_class=outcome_class, direction=direction, primary=primary,
            instrument=plain_for_terminal(str(item.get("instrument", ""))), networks=tuple(networks),
            effect=_effect(item.get("numbers", {})),
        )

    def table(self, data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
        value = data.get(name)
        if not isinstance(value, dict):
            self.problem(name, "required table is missing")
            return {}
        return value

    def text(self, data: Mapping[str, Any], name: str, where: str = "") -> str:
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            self.problem(f"{where}.{name}" if where else name, "expected a non-empty string")
            return ""
        return value

    def strings(self, data: Mapping[str, Any], where: str) -> list[str]:
        value = data.get(where.rpartition(".")[2], [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(where, f"expected a list of strings, got {value!r}")
            return []
        return value

    def choice(self, data: Mapping[str, Any], where: str, allowed: Sequence[str], default: str | None = None) -> str:
        value = data.get(where.rpartition(".")[2], default)
        if value not in allowed:
            got = "nothing" if value is None else repr(value)
            self.problem(where, f"expected one of {', '.join(allowed)}, got {got}")
            return ""
        return str(value)

    def term(self, name: str, where: str, index: dict[str, str], kind: str) -> str:
        term = index.get(name.strip().casefold())
        if term is None and name:
            self.problem(where, f"{name!r} is not a {kind} of the protocol's vocabulary")
            return ""
        return term or ""

    def label(self, citation: Mapping[str, Any], key: str) -> str:
        authors = citation.get("authors") or []
        year = citation.get("year")
        if not authors or not isinstance(authors[0], str) or not isinstance(year, int):
            return plain_for_terminal(key)
        # "Hess EM" -> "Hess"; surnames with spaces ("van der Berg AB") keep all but the initials.
        words = authors[0].split()
        surname = " ".join(words[:-1]) if len(words) > 1 and words[-1].isupper() else authors[0]
        return plain_for_terminal(f"{surname} {year}")


def _effect(numbers: Any) -> Effect | None:
    """Hedges' g from means, SDs and group sizes (escalc SMD), or from a t statistic and group
    sizes; None when the outcome's numbers do not give one (a lone F or p has no sign or sizes)."""
    if not isinstance(numbers, dict):
        return None
    try:
        if all(k in numbers for k in ("m1", "sd1", "n1", "m2", "sd2", "n2")):
            sizes = escalc("SMD", m1i=[numbers["m1"]], sd1i=[numbers["sd1"]], n1i=[numbers["n1"]],
                           m2i=[numbers["m2"]], sd2i=[numbers["sd2"]], n2i=[numbers["n2"]])
        elif all(k in numbers for k in ("t", "n1", "n2")):
            sizes = smd_from_t([numbers["t"]], [numbers["n1"]], [numbers["n2"]])
        else:
            return None
    except EffectSizeInputError:
        return None
    yi, vi = float(sizes.yi[0]), float(sizes.vi[0])
    if yi != yi or vi != vi:  # NaN: escalc could not compute the row
        return None
    return Effect(sizes.measure, yi, vi, sizes.computed_from[0])
