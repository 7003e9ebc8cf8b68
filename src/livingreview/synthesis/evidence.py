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

import math
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from livingreview.effect_sizes import (
    EffectSizeInputError,
    EffectSizes,
    escalc,
    smcc_from_t,
    smd_from_ci,
    smd_from_f,
    smd_from_p,
    smd_from_t,
)
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

# An outcome's [outcomes.numbers]: group 1 is the drug (arm or session), group 2 the control.
NUMERIC_KEYS = {
    "m1": "mean, drug", "sd1": "SD, drug", "n1": "participants, drug", "m2": "mean, control",
    "sd2": "SD, control", "n2": "participants, control", "t": "two-sample t (drug minus control)",
    "t_paired": "paired t of a within-subject comparison (drug minus control)",
    "n": "participants measured under drug and control", "f": "F with one numerator df",
    "p": "exact two-sided p", "ci_lb": "lower 95% limit of the mean difference",
    "ci_ub": "upper 95% limit of the mean difference", "md": "mean difference (drug minus control)",
    "r": "correlation", "direction": "+1 where the drug scored higher, -1 where the control did",
}
TEXT_KEYS = {"design": "the design or analysis behind the numbers",
             "better": "which scores are better on the instrument: higher or lower",
             "caveat": "why the effect size is approximate"}
NUMBER_KEYS = frozenset(NUMERIC_KEYS) | frozenset(TEXT_KEYS)
_COUNT_KEYS = ("n1", "n2", "n")


def _from_means(n: Mapping[str, Any]) -> EffectSizes:
    return escalc("SMD", m1i=[n["m1"]], sd1i=[n["sd1"]], n1i=[n["n1"]], m2i=[n["m2"]], sd2i=[n["sd2"]], n2i=[n["n2"]])


def _from_ci(n: Mapping[str, Any]) -> EffectSizes:
    return smd_from_ci([n["ci_lb"]], [n["ci_ub"]], [n["n1"]], [n["n2"]], mdi=[n["md"]] if "md" in n else None)


# The routes from reported statistics to an effect size, in the order they are tried: a name,
# the keys the route needs, and the computation.
EffectRoute = tuple[str, tuple[str, ...], Callable[[Mapping[str, Any]], EffectSizes]]
EFFECT_ROUTES: tuple[EffectRoute, ...] = (
    ("means and SDs", ("m1", "sd1", "n1", "m2", "sd2", "n2"), _from_means),
    ("two-sample t", ("t", "n1", "n2"), lambda n: smd_from_t([n["t"]], [n["n1"]], [n["n2"]])),
    ("paired t", ("t_paired", "n"), lambda n: smcc_from_t([n["t_paired"]], [n["n"]])),
    ("95% CI of the mean difference", ("ci_lb", "ci_ub", "n1", "n2"), _from_ci),
    ("F", ("f", "n1", "n2", "direction"), lambda n: smd_from_f([n["f"]], [n["n1"]], [n["n2"]], [n["direction"]])),
    ("exact p", ("p", "n1", "n2", "direction"), lambda n: smd_from_p([n["p"]], [n["n1"]], [n["n2"]], [n["direction"]])),
)


class EvidenceError(BadInput):
    """Evidence files that do not fit the format or the protocol; `problems` lists (file, key, message)."""

    def __init__(self, problems: Sequence[tuple[str, str, str]]) -> None:
        self.problems = list(problems)
        super().__init__("invalid evidence\n" + "\n".join(f"{f}: {k}: {m}" for f, k, m in self.problems))


@dataclass(frozen=True)
class Effect:
    """An effect size computed from an outcome's numbers (escalc's yi and vi).

    `favours_drug` is True when the sign was set from the instrument's `better` direction, so
    that a positive yi favours the drug; False when yi is drug minus control on the instrument's
    own scale, whose better end the extraction does not say."""

    measure: str
    yi: float
    vi: float
    computed_from: str
    favours_drug: bool = False
    caveat: str = ""


@dataclass(frozen=True)
class OutcomeEvidence:
    construct: str  # a construct term id of the protocol
    outcome_class: str  # one of OUTCOME_CLASSES
    direction: Direction | None  # None: the extraction gives no direction
    primary: bool | None
    instrument: str = ""
    networks: tuple[str, ...] = ()
    effect: Effect | None = None
    effect_missing: str = ""  # what the numbers lack for an effect size, when `effect` is None


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
        numbers = self.numbers(item.get("numbers", {}), f"{where}.numbers")
        if not construct or not outcome_class or numbers is None:
            return None
        try:
            effect = _effect(numbers)
        except EffectSizeInputError as error:
            self.problem(f"{where}.numbers", str(error))
            return None
        return OutcomeEvidence(
            construct=construct, outcome_class=outcome_class, direction=direction, primary=primary,
            instrument=plain_for_terminal(str(item.get("instrument", ""))), networks=tuple(networks),
            effect=effect, effect_missing="" if effect is not None else missing_statistics(numbers),
        )

    def numbers(self, value: Any, where: str) -> dict[str, Any] | None:
        """The outcome's statistics, each checked for its kind and range; None after a problem."""
        if not isinstance(value, dict):
            self.problem(where, f"expected a table of statistics, got {value!r}")
            return None
        before = len(self.problems)
        for key, number in value.items():
            if key in TEXT_KEYS:
                if not isinstance(number, str) or (key == "better" and number not in ("higher", "lower")):
                    wanted = "higher or lower" if key == "better" else "a text"
                    self.problem(f"{where}.{key}", f"expected {wanted}, got {number!r}")
            elif key not in NUMERIC_KEYS:
                self.problem(f"{where}.{key}", f"unknown statistic; known: {', '.join(sorted(NUMBER_KEYS))}")
            elif isinstance(number, bool) or not isinstance(number, int | float) or not math.isfinite(number):
                self.problem(f"{where}.{key}", f"expected a number, got {number!r}")
            elif key in _COUNT_KEYS and (not isinstance(number, int) or number < 2):
                self.problem(f"{where}.{key}", f"expected a whole number of participants >= 2, got {number!r}")
            elif key == "p" and not 0 < number <= 1:
                self.problem(f"{where}.p", f"an exact p value lies in (0, 1], got {number!r}")
            elif key == "direction" and number not in (1, -1):
                self.problem(f"{where}.direction", f"expected +1 (drug higher) or -1 (control higher), got {number!r}")
        if "ci_lb" in value and "ci_ub" in value and len(self.problems) == before \
                and not value["ci_lb"] < value["ci_ub"]:
            self.problem(f"{where}.ci_lb", "the lower limit must be below the upper one")
        return dict(value) if len(self.problems) == before else None

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


def missing_statistics(numbers: Mapping[str, Any]) -> str:
    """What an outcome's numbers lack for an effect size: the route they come closest to and its
    missing statistics ("exact p: needs n1, n2, direction"), or that there are none."""
    given = {k for k in numbers if k in NUMERIC_KEYS}
    if not given:
        return "no statistics in the sources read"
    name, keys, _ = max(EFFECT_ROUTES, key=lambda route: len(given & set(route[1])))
    return f"{name}: needs {', '.join(k for k in keys if k not in given)}"


def _effect(numbers: Mapping[str, Any]) -> Effect | None:
    """The effect size of the first route in EFFECT_ROUTES the numbers complete: Hedges' g (escalc
    SMD) from means and SDs, a two-sample t, a mean difference's CI, an F or an exact p with its
    direction; metafor's SMCC from a paired t. None when no route is complete (a lone F or p has no
    sign or group sizes). With `better = "lower"` the sign is turned so that positive favours the
    drug. Raises EffectSizeInputError for impossible numbers."""
    found = next((r for r in EFFECT_ROUTES if all(k in numbers for k in r[1])), None)
    if found is None:
        return None
    route, _, compute = found
    sizes = compute(numbers)
    yi, vi = float(sizes.yi[0]), float(sizes.vi[0])
    if not (math.isfinite(yi) and math.isfinite(vi)):
        raise EffectSizeInputError(f"{route}: {sizes.notes[0] or 'no finite effect size'}")
    better = numbers.get("better")
    computed_from = sizes.computed_from[0]
    if better == "lower":
        yi, computed_from = -yi, f"{computed_from}; sign turned, lower scores are better"
    return Effect(sizes.measure, yi, vi, computed_from, favours_drug=better is not None,
                  caveat=str(numbers.get("caveat", "")))
