"""Typed model of a review protocol (`protocol.toml`).

The protocol is the single statement of what a review looks for. Every later stage reads its
settings from here: vocabularies drive query generation and the criteria engine, criteria drive
screening, synthesis settings drive the meta-analysis.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from livingreview.plugins import plugin_names
from livingreview.protocol.rules import RuleSyntaxError, parse_rule, rule_references

IDENTIFIER = r"^[a-z][a-z0-9_]*$"
OutcomeClass = Literal["self_report", "neuroimaging", "behavioural_task", "clinician_rated", "physiological"]
Stage = Literal["title_abstract", "full_text"]


class LocatedError(ValueError):
    """A protocol-wide check that failed at one key: `location` is that key's path (such as
    ('criteria', 2, 'id')), so the loader can name its line; pydantic reports a model
    validator's errors at the top level otherwise."""

    def __init__(self, message: str, location: tuple[str | int, ...]) -> None:
        super().__init__(message)
        self.location = location


class _Strict(BaseModel):
    # Unknown keys are typos far more often than intent: reject them with their location.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Review(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    question: str
    version: str = "1"
    authors: list[str] = []
    registration: str | None = None
    seed_reference: str | None = None


class Pico(_Strict):
    population: str
    intervention: str
    comparator: str = ""
    outcomes: str
    designs: str = ""


class Term(_Strict):
    """One concept of a vocabulary: a drug, a construct, an instrument, a region, a design."""

    id: str = Field(pattern=IDENTIFIER)
    label: str
    classes: list[str] = []
    synonyms: list[str] = []
    # General phrases that name the concept only when the text names no other concept of the same
    # vocabulary ("social interaction" is social functioning unless trust or cooperation is named).
    broad_synonyms: list[str] = []
    # The general name of one of its classes ("empathy" of the empathy class): given as an extracted
    # concept only when no other term of that class is named (affective or cognitive empathy).
    general_of: str | None = None
    brand_names: list[str] = []
    code_names: list[str] = []
    mesh: list[str] = []
    outcome_class: OutcomeClass | None = None
    note: str = ""

    def phrases(self) -> list[str]:
        """Every surface form that names this concept in text (label first, no duplicates)."""
        seen: dict[str, None] = {}
        for phrase in [self.label, *self.synonyms, *self.broad_synonyms, *self.brand_names, *self.code_names]:
            seen.setdefault(phrase, None)
        return list(seen)


class Vocabulary(_Strict):
    description: str = ""
    classes: dict[str, str] = {}
    terms: list[Term]

    @model_validator(mode="after")
    def _terms_are_unique_and_classes_declared(self) -> Vocabulary:
        ids = [term.id for term in self.terms]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"term ids must be unique; repeated: {', '.join(repeated)}")
        for term in self.terms:
            undeclared = [c for c in term.classes if c not in self.classes]
            if undeclared:
                raise ValueError(
                    f"term '{term.id}' names undeclared classes {undeclared}; "
                    f"declared: {sorted(self.classes)}"
                )
            if term.general_of is not None and term.general_of not in term.classes:
                raise ValueError(f"term '{term.id}' is general_of '{term.general_of}', which is not one of its "
                                 f"classes {term.classes}")
        clash = sorted(set(ids) & set(self.classes))
        if clash:
            raise ValueError(f"names used both as term and class: {', '.join(clash)}")
        return self

    def term(self, term_id: str) -> Term:
        for term in self.terms:
            if term.id == term_id:
                return term
        raise KeyError(term_id)

    def gives_way(self, term_id: str, others: Iterable[str]) -> bool:
        """Whether `term_id` is the general term of a class that another of `others` (term ids) is in."""
        general_of = self.term(term_id).general_of
        return general_of is not None and any(general_of in self.term(other).classes
                                              for other in others if other != term_id)

    def members(self, name: str | None) -> list[Term]:
        """Terms selected by a rule reference: the whole vocabulary, one term, or one class."""
        if name is None:
            return list(self.terms)
        if name in self.classes:
            return [t for t in self.terms if name in t.classes]
        return [self.term(name)]


class Criterion(_Strict):
    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")
    sentence: str
    rule: str
    stages: list[Stage] = ["title_abstract", "full_text"]

    @field_validator("rule")
    @classmethod
    def _rule_parses(cls, rule: str) -> str:
        try:
            parse_rule(rule)
        except RuleSyntaxError as error:
            raise ValueError(str(error)) from None
        return rule


class Source(_Strict):
    name: str = Field(pattern=IDENTIFIER)
    kind: str  # a name registered in the livingreview.sources entry-point group
    # Which vocabulary blocks are ANDed to build the generated query.
    concepts: list[str] = ["intervention", "construct"]
    query: str | None = None  # a string the user wrote overrides the generated one
    filters: dict[str, str | int | bool | list[str]] = {}
    date_from: str | None = None
    date_to: str | None = None

    @field_validator("kind")
    @classmethod
    def _kind_is_registered(cls, kind: str) -> str:
        valid = plugin_names("sources")
        if kind not in valid:
            raise ValueError(f"unknown source kind '{kind}'; valid kinds: {', '.join(valid)}")
        return kind


_SHARES = ("improved", "worsened", "no_difference")


class ConclusionGrade(_Strict):
    """One grade of the per-drug conclusion rule: every condition set here must hold.

    Counts are over a drug's studies with a known direction of effect (see
    `livingreview.synthesis.conclusions`); shares are fractions of those studies; the sign test
    compares studies that improved with studies that worsened. Unset conditions do not apply.
    """

    name: str = Field(min_length=1)
    min_studies: int = Field(default=0, ge=0)
    min_randomised: int = Field(default=0, ge=0)
    min_participants: int = Field(default=0, ge=0)
    min_improved: int = Field(default=0, ge=0)
    min_constructs_improved: int = Field(default=0, ge=0)
    min_share_improved: float | None = Field(default=None, ge=0, le=1)
    max_share_improved: float | None = Field(default=None, ge=0, le=1)
    min_share_worsened: float | None = Field(default=None, ge=0, le=1)
    max_share_worsened: float | None = Field(default=None, ge=0, le=1)
    min_share_no_difference: float | None = Field(default=None, ge=0, le=1)
    max_share_no_difference: float | None = Field(default=None, ge=0, le=1)
    sign_test_p_below: float | None = Field(default=None, gt=0, le=1)

    @model_validator(mode="after")
    def _ranges_are_not_empty(self) -> ConclusionGrade:
        for share in _SHARES:
            low, high = getattr(self, f"min_share_{share}"), getattr(self, f"max_share_{share}")
            if low is not None and high is not None and low > high:
                raise ValueError(f"grade '{self.name}': min_share_{share} ({low}) is above "
                                 f"max_share_{share} ({high}), so no drug could reach it")
        return self


def _default_grades() -> list[ConclusionGrade]:
    # The rule the flagship writes out and docs/architecture.md justifies; a protocol without a
    # [synthesis.conclusions] section is graded by it.
    return [
        ConclusionGrade(name="supported", min_studies=6, min_randomised=2, min_share_improved=0.7,
                        sign_test_p_below=0.05, min_constructs_improved=2),
        ConclusionGrade(name="suggestive", min_studies=2, min_randomised=1, min_improved=2,
                        min_share_improved=0.5),
        ConclusionGrade(name="evidence of no effect", min_studies=3, min_randomised=2,
                        max_share_improved=0.2, min_share_no_difference=0.6),
    ]


class Conclusions(_Strict):
    """Per-drug conclusions: grades are tried in order, the first whose conditions all hold is
    given, and a drug meeting none gets `otherwise`."""

    include_maybe: bool = False
    grades: list[ConclusionGrade] = Field(default_factory=_default_grades)
    otherwise: str = Field(default="insufficient", min_length=1)

    @model_validator(mode="after")
    def _names_are_unique(self) -> Conclusions:
        names = [grade.name for grade in self.grades] + [self.otherwise]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"conclusion grade names must be unique (otherwise included); "
                             f"repeated: {', '.join(repeated)}")
        return self


class Synthesis(_Strict):
    group_by: list[str] = ["drug_class", "outcome_class"]
    effect_measure: Literal["SMD", "MD", "OR", "RR", "RD", "ZCOR"] = "SMD"
    model: Literal["random", "fixed"] = "random"
    tau2_estimator: Literal["REML", "DL", "ML", "PM", "HE", "SJ"] = "REML"
    ci_method: Literal["wald", "knapp-hartung"] = "knapp-hartung"
    min_studies_for_meta: int = Field(default=3, ge=2)
    conclusion_thresholds: dict[str, float] = {}
    conclusions: Conclusions = Conclusions()


class ScreeningSettings(_Strict):
    """How screening orders the records and when it may stop (`[screening]`, all optional):
    the ranking preset of the queue (a table of `screening/ranking/presets.toml`), the recall
    target and confidence the stopping rules test, and how many reviewers screen each record
    (left out: every reviewer screens every record)."""

    preset: str = "default"
    target_recall: float = Field(default=0.95, gt=0, le=1)
    confidence: float = Field(default=0.95, gt=0, lt=1)
    reviewers_per_record: int | None = Field(default=None, ge=1)

    @field_validator("preset")
    @classmethod
    def _known_preset(cls, value: str) -> str:
        names = ranking_preset_names()
        if value not in names:
            raise ValueError(f"no ranking preset named {value!r}; valid names: {', '.join(names)}")
        return value


def ranking_preset_names() -> list[str]:
    """The tables of presets.toml, read as text: importing the ranking package to ask it would
    load scikit-learn every time a protocol is read."""
    from importlib.resources import files

    text = files("livingreview.screening").joinpath("ranking", "presets.toml").read_text(encoding="utf-8")
    return sorted(tomllib.loads(text))


FieldType = Literal["enum", "list-of-enum", "integer", "text", "list-of-text"]


class ExtractionField(_Strict):
    """One field of the extraction form, as Covidence or EPPI-Reviewer let a team declare it.

    Allowed values come from `values` (a value ending in ":*" admits any word after its prefix,
    as in "other:*"), from a `vocabulary` (its term labels), or both; `term_values` maps a
    vocabulary term id to the form value it stands for ("" drops the term).
    """

    name: str = Field(pattern=IDENTIFIER)
    type: FieldType
    values: list[str] = []
    vocabulary: str | None = None
    term_values: dict[str, str] = {}
    unit: str | None = None
    required: bool = False
    level: Literal["study", "outcome"] = "study"
    description: str = ""

    @model_validator(mode="after")
    def _values_fit_the_type(self) -> ExtractionField:
        if self.type in ("enum", "list-of-enum") and not (self.values or self.vocabulary):
            raise ValueError(f"field '{self.name}' of type {self.type} needs `values` or `vocabulary`")
        if self.type in ("integer", "text", "list-of-text") and self.values:
            raise ValueError(f"field '{self.name}' of type {self.type} takes no `values`")
        if self.unit is not None and self.type != "integer":
            raise ValueError(f"field '{self.name}': only integer fields take a `unit`")
        if self.term_values and self.vocabulary is None:
            raise ValueError(f"field '{self.name}': `term_values` needs a `vocabulary`")
        return self

    def admits(self, value: str) -> bool:
        """Whether an enum value is one of the declared `values` (vocabulary labels aside)."""
        return any(value == allowed or (allowed.endswith(":*") and value.startswith(allowed[:-1])
                                        and len(value) > len(allowed) - 1) for allowed in self.values)


class Extraction(_Strict):
    extractor: Literal["rules"] = "rules"
    fields: list[ExtractionField] = []

    @model_validator(mode="after")
    def _names_are_unique(self) -> Extraction:
        names = [f.name for f in self.fields]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"extraction field names must be unique; repeated: {', '.join(repeated)}")
        return self

    def field(self, name: str) -> ExtractionField:
        for item in self.fields:
            if item.name == name:
                return item
        raise KeyError(name)


class Protocol(_Strict):
    review: Review
    pico: Pico
    vocabularies: dict[str, Vocabulary]
    criteria: list[Criterion]
    sources: list[Source] = []
    synthesis: Synthesis = Synthesis()
    extraction: Extraction = Extraction()
    screening: ScreeningSettings = ScreeningSettings()

    @model_validator(mode="after")
    def _references_resolve(self) -> Protocol:
        for index, criterion in enumerate(self.criteria):
            for vocabulary, name in rule_references(parse_rule(criterion.rule)):
                self._check_reference(f"criterion {criterion.id}", vocabulary, name,
                                      ("criteria", index, "rule"))
        for index, source in enumerate(self.sources):
            for block in source.concepts:
                vocabulary, _, name = block.partition(".")
                self._check_reference(f"source {source.name}", vocabulary, name or None,
                                      ("sources", index, "concepts"))
        for item in self.extraction.fields:
            if item.vocabulary is not None:
                self._check_reference(f"extraction field {item.name}", item.vocabulary, None)
                vocab = self.vocabularies[item.vocabulary]
                unknown = sorted(set(item.term_values) - {t.id for t in vocab.terms})
                if unknown:
                    raise ValueError(f"extraction field {item.name}: term_values names "
                                     f"{unknown}, not terms of vocabulary '{item.vocabulary}'")
        ids = [c.id for c in self.criteria]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            # Placed at the second use of the first repeated id: that is the one to rename.
            second = [index for index, i in enumerate(ids) if i == repeated[0]][1]
            raise LocatedError(f"criterion ids must be unique; repeated: {', '.join(repeated)}",
                               ("criteria", second, "id"))
        return self

    def _check_reference(self, where: str, vocabulary: str, name: str | None,
                         location: tuple[str | int, ...] = ()) -> None:
        if vocabulary not in self.vocabularies:
            raise LocatedError(
                f"{where} names vocabulary '{vocabulary}'; defined: {sorted(self.vocabularies)}",
                location,
            )
        vocab = self.vocabularies[vocabulary]
        known = set(vocab.classes) | {t.id for t in vocab.terms}
        if name is not None and name not in known:
            raise LocatedError(
                f"{where} names '{vocabulary}.{name}', which is neither a term nor a class of "
                f"vocabulary '{vocabulary}'", location
            )

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)
