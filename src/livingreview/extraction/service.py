"""Automatic suggestions for a study: every source read, the values merged, checked against the form.

A study's records are read by source: a ClinicalTrials.gov record through its registry JSON
(`registry.py`), a record with a retrieved JATS full text through its sections (`jats.py`), any
other through its title and abstract. Single values come from the registry's structured fields
first, then the full text or abstract; lists are united. A value the form does not admit is
dropped with a flag, so the output only ever holds the form's vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livingreview.extraction import counts, design, drugs, measures, participants, single_group
from livingreview.extraction.form import field_or_none, form_of, vocabulary_for
from livingreview.extraction.jats import jats_passages
from livingreview.extraction.model import (
    EXTRACTOR,
    EXTRACTOR_VERSION,
    NOT_STATED,
    Evidence,
    StudySuggestions,
    Suggestion,
)
from livingreview.extraction.outcomes import measured_construct, OutcomeVocabularies, suggest_outcomes
from livingreview.extraction.registry import (
    registry_outcomes,
    registry_passages,
    registry_study,
    structured_fields,
)
from livingreview.extraction.passages import Hit, Passage, before_own_study, find, suggestion, vocabulary_hits
from livingreview.extraction.text import singular
from livingreview.protocol.models import Extraction, Protocol, Vocabulary
from livingreview.records import Record
from livingreview.screening.criteria import Span
from livingreview.screening.workflow import Screening
from livingreview.store import Store
from livingreview.store.extractions import SuggestionRow, add_suggestions

# Fields where the registry's structured value is preferred to what a text says.
_SINGLE_FIELDS = ("randomised", "allocation", "blinding", "control", "active_comparator",
                  "age_group", "n_total")
# A record that reports no study of its own participants gets no values (reviews, animal work).
# ("we reviewed the records", "we reviewed our experience" is a chart review: a study of its own patients)
_NOT_A_STUDY = re.compile(
    r"\b(?:meta-?analy[sz](?:is|es)|systematic(?:ally)?\s+review(?:ed)?|(?:this|we|the\s+present)\s+review\b|"
    r"\bthe\s+review\s+(?:summari[sz]es|describes|discusses|examines|considers|covers|focuses)\b|"
    r"\b(?:aim(?:ed|s)?|sought|set\s+out)\s+to\s+review\b|\bthe\s+reviewed\s+(?:studies|trials|articles|papers)\b|"
    r"\bbibliographic\s+search\b|:\s+an?\s+(?:systematic\s+|narrative\s+|critical\s+|brief\s+|selective\s+)?review\b|"
    r"review\s+of\s+(?:the\s+)?(?:literature|evidence|studies|trials|data)|literature\s+review|"
    r"narrative\s+review|pooled\s+analysis\s+of\s+published|"
    r"we\s+(?:reviewed(?!\s+(?:the\s+|our\s+)?(?:\w+\s+)?(?:records|charts|case\s+notes|experience|cases|series|"
    r"database|registry))|summari[sz]e|discuss)|"
    r"(?:a\s+)?review\s+of\s+its\s+(?:use|pharmacolog|therapeutic|efficacy|role)|"
    r"this\s+(?:article|paper|communication|chapter)\s+(?:reviews|discusses|summari[sz]es)|"
    # a literature search: the sources are other people's reports
    r"(?:medline|pubmed|embase|literature)\s+(?:\w+\s+)?search(?:es)?\b|"
    r"\bsearch(?:es|ed)?\s+(?:of\s+|in\s+|through\s+)?(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:medline|pubmed|embase|psycinfo|"
    r"web\s+of\s+science|scopus|cochrane|cinahl|electronic\s+databases)\b|"
    r"in\s+(?:(?:adult|young|aged|juvenile|male|female|transgenic|wild-type)\s+){0,3}(?:rats|mice|dogs|rabbits|pigs|"
    r"guinea\s+pigs|monkeys|animals)\b|(?:rats|mice)\s+were\b|\bmice\b[^.]{0,120}\bwere\s+(?:\w+\s+)?(?:treated|"
    r"injected|given|administered|tested)\b|"
    # ("videos of rats treated with vehicle", "the social behaviors of rat pairs")
    r"\b(?:rats|mice|rodents)\s+(?:treated|given|injected|received)\b|\b(?:rat|mouse)\s+(?:pairs|dyads)\b|"
    # an animal model studied ("in a BTBR mouse model of autism")
    r"\bin\s+(?:an?|the|our)\s+(?:[\w+/()-]+\s+){0,4}(?:mouse|murine|rat|rodent|primate)\s+model\b|"
    # (not "in vitro tests" of the patients' own blood: a measure taken in a study of people)
    r"in\s+vitro\b(?!\s+(?:and\s+in\s+vivo\s+)?(?:parameters|tests?|assays?|measures?|markers?|responses?)\b)|"
    # cell work: cells cultured or incubated, or named human cells with an acronym (not "T-cell lines"
    # grown from a study's own patients)
    r"\b(?:cultured|incubat(?:ed|ion\s+of))\s+(?:[\w-]+\s+){0,3}?cells\b|\bcells\s+were\s+(?:incubated|cultured)\b|"
    r"\bin\s+(?:cultured\s+)?human\s+(?:[\w-]+\s+){0,3}cells\s+\()",
    re.IGNORECASE)
# A trial of its own reported beside a review, or re-analysed: "a double-blind comparison of A and B
# in 120 patients", "a secondary analysis of", "this paper further investigates", "data were obtained
# from 900 patients in 6 trials" (a sponsor pooling its own trials gives their patients' count).
_OWN_TRIAL_DATA = re.compile(
    r"\ban?\s+(?:[\w-]+,?\s+){0,4}(?:comparison|trial|study)\s+(?:of\s+[^.;]{0,80}?)?\bin\s+\d[\d,]*\s+"
    r"(?:[\w-]+\s+){0,2}?(?:patients|subjects|participants|volunteers|women|men|children|adults)\b|"
    # (not "a secondary analysis of 57 trials": a review's)
    r"\b(?:further|secondary|post[- ]?hoc)\s+analys[ie]s\s+(?:of|from)\b(?![^.;]{0,40}\b(?:trials|studies)\b)|"
    r"\b(?:this|the\s+present)\s+(?:paper|report|analysis)\s+further\s+(?:investigates|examines|analy[sz]es|explores)\b|"
    r"\bdata\s+(?:were|was)\s+(?:obtained|pooled|drawn|taken)\s+from\s+\d[\d,]*\s+(?:[\w-]+\s+){0,2}?"
    r"(?:patients|subjects|participants)\s+(?:in|enrolled\s+in)\b", re.IGNORECASE)
# (Also the abstract's own trial described in the singular, and a drug given to a counted group:
# background sentences about meta-analyses or mice do not make such an abstract a review.)
_OWN_PARTICIPANTS = re.compile(r"\b(?:patients|subjects|participants|volunteers|women|men|children|adults)\s+"
                               # ("patients with SAD were allocated")
                               r"(?:(?:with|from|aged)\s+[\w-]+(?:\s+[\w-]+)?\s+)?"
                               r"(?:were|was)\s+(?:randomi[sz]ed|randomly|enrolled|recruited|included|assigned|allocated|"
                               r"treated|studied)\b|\bwe\s+(?:randomi[sz]ed|enrolled|recruited)\b|"
                               r"\b(?:a|this|the\s+present)\s+(?:[\w-]+,?\s+){0,6}(?:study|trial)\s+(?:was|is)\s+"
                               r"(?:carried\s+out|conducted|performed|undertaken|presented)\b|"
                               r"\bthis\s+was\s+an?\s+(?:[\w-]+,?\s+){0,6}(?:study|trial)\b|"
                               r"\b(?:administered|given)\s+to\s+\d+\s+(?:\w+\s+)?(?:patients|subjects|participants|"
                               r"volunteers|women|men|children|adults)\b|"
                               # ("in a sample of participants with X": people of its own, beside any rats)
                               r"\b(?:a|the|our)\s+(?:\w+\s+)?(?:sample|cohort)\s+(?:of|including|comprising)\s+(?:\d[\d,]*\s+)?"
                               r"(?:[\w-]+\s+){0,2}?(?:patients|"
                               r"subjects|participants|volunteers|women|men|children|adults|individuals)\b|"
                               # the authors gave the drug ("we used the Eyes Test and intranasal administration of AVP")
                               r"\bwe\s+(?:used|employed|gave|administered)\s+[^.;]{0,120}?\b(?:intranasal|oral|"
                               r"intravenous|sublingual|inhaled)\s+(?:administration|doses?|infusions?)\b", re.IGNORECASE)


def text_passages(record: Record) -> list[Passage]:
    return [Passage(record.id, name, value) for name in ("title", "abstract")
            if (value := getattr(record, name))]


# A title naming one study ("a PET study", "a pilot trial"): the abstract reports its own.
_STUDY_IN_TITLE = re.compile(r"\b(?:study|trial)\b", re.IGNORECASE)
# What was done to or by its people, told in the past ("took", "were given"): a review speaks in the
# present of what patients usually have and drugs do.
_DONE_TO_PEOPLE = re.compile(r"\b(?:received|took|underwent|undertook|completed|audited|rated|were\s+(?:given|divided|"
                             r"treated|assigned|allocated|followed|asked|split)|"
                             # what the authors did to their participants ("We gave healthy volunteers citalopram")
                             r"we\s+(?:gave|administered|treated|scanned|tested|asked|enhanced|depleted|manipulated))\b",
                             re.IGNORECASE)


def is_own_study(passages: list[Passage], count: Suggestion) -> bool:
    """False for reviews, meta-analyses and animal or in vitro work (unless they enrolled people),
    for abstracts that speak of studies in general and describe no participants of their own
    (`count`: the n_total the rules read), and for abstracts that show no study of their own at all."""
    text = " ".join(p.text for p in passages)
    if _OWN_TRIAL_DATA.search(text):
        return True
    if _NOT_A_STUDY.search(text) and not _OWN_PARTICIPANTS.search(text) and not design.people_of_its_own(passages):
        return False
    return (not design.speaks_of_others_only(passages, _exact_count(count))
            and not _shows_nothing_of_its_own(passages, count, text))


def _exact_count(count: Suggestion) -> Suggestion:
    """The count without its estimates: 'more than 10 000 patients' (a flagged, unparsed count) is
    the total a summary of other people's trials gives, no sign of participants of its own."""
    return Suggestion(count.value, count.evidence, [f for f in count.flags if not f.startswith("unparsed")])


def _shows_nothing_of_its_own(passages: list[Passage], count: Suggestion, text: str) -> bool:
    """An abstract with no participants counted or described, no conduct of its own, no design
    (randomised, blinded), no dose given and no study named in its title: a narrative review, a
    drug profile or an essay, whose title need not say so ('X in children', 'X: an overview')."""
    title = " ".join(p.text for p in passages if p.field == "title")
    return not (count.value is not None or design.people_of_its_own(passages) or _OWN_PARTICIPANTS.search(text)
                or find(passages, design.OWN_STUDY, negatable=False) or _STUDY_IN_TITLE.search(title)
                or _DONE_TO_PEOPLE.search(text) or find(passages, design.OWN_BASELINE)
                or design.randomised(passages).value != NOT_STATED or design.blinding(passages).value != NOT_STATED
                or drugs.doses(passages).value)


# Words of observation that an open-label trial uses too: "we present the preliminary data", "the
# dementia cohort's results are reported".
_TRIAL_WORDS_TOO = re.compile(r"(?:cohorts?|" + design.AUTHORS_TELL + r")$", re.IGNORECASE)


# The authors gave the drug themselves: an experiment, whatever words of reporting it uses.
_WE_GAVE = re.compile(single_group.AUTHORS_GAVE, re.IGNORECASE)


def _observed(passages: list[Passage], blinding: Suggestion) -> bool:
    """Whether the abstract calls its design observational."""
    trial = blinding.value == "open-label" or bool(find(passages, _WE_GAVE, negatable=False))
    return any(not trial or not _TRIAL_WORDS_TOO.match(h.evidence.text) for h in design.observational(passages))


def _one_group(fields: dict[str, Suggestion], hits: list[Hit], flag: str) -> None:
    """A single group with no control, read from `hits` for the reason `flag` gives: assigned
    nothing at random unless the abstract says otherwise."""
    fields["allocation"] = suggestion("single-group", hits, [flag])
    fields["control"] = suggestion("none", hits, [flag])
    if fields["randomised"].value == NOT_STATED:
        fields["randomised"] = suggestion("no", hits, [flag])


def suggest_text(protocol: Protocol, form: Extraction, passages: list[Passage]) -> StudySuggestions:
    """Every field the rules know, read from passages of running text."""
    result = StudySuggestions()
    count = counts.n_total(passages)
    if not passages or not is_own_study(passages, count):
        return result
    fields = result.fields
    drug_field = field_or_none(form, "drugs")
    dropped = frozenset(k for k, v in (drug_field.term_values if drug_field else {}).items() if not v)
    reading = drugs.read_drugs(protocol, passages, vocabulary_for(protocol, form, "drugs") or "", dropped)
    fields["randomised"] = design.randomised(passages)
    single = find(passages, design.SINGLE_GROUP)
    fields["control"], fields["active_comparator"] = drugs.control(passages, reading, single)
    fields["allocation"] = design.allocation(passages, fields["randomised"].value, fields["control"].value)
    alone = single_group.uncontrolled(passages, reading.study)
    if alone and single_group.open_allocation(fields["allocation"]) and fields["control"].value == NOT_STATED:
        _one_group(fields, alone, "inferred: a drug given with no comparison described")
    baseline = find(passages, design.OWN_BASELINE)
    if baseline and fields["randomised"].value != "yes" and fields["allocation"].value == fields["control"].value == NOT_STATED:
        _one_group(fields, baseline, "inferred: one group measured against its own baseline")
    if fields["randomised"].value == NOT_STATED and fields["control"].value in ("none", NOT_STATED):
        fields["randomised"] = single_group.unassigned(passages, reading.study, count)
    fields["blinding"] = design.blinding(passages)
    if (fields["randomised"].value != "yes" and _observed(passages, fields["blinding"])
            and not find(passages, design.TREATMENTS_IN_SEQUENCE) and fields["control"].value != "placebo"):
        # An observational study compares no arms: what looked like a control is a cohort's drug.
        # (Not a placebo: only an experiment gives one, whatever the abstract calls its design.)
        for name in ("control", "allocation"):
            fields[name] = Suggestion(NOT_STATED)
        fields["active_comparator"] = Suggestion(None)
    population_field = field_or_none(form, "population")
    fields["population"] = participants.population(passages, protocol, vocabulary_for(protocol, form, "population"),
                                                   population_field.term_values if population_field else {})
    fields["age_group"] = participants.age_group(passages)
    fields["n_total"] = count
    names = {**reading.study, **reading.comparator}
    ordered = sorted(names, key=lambda n: (names[n][0].passage.field != "title", names[n][0].start))
    fields["drugs"] = Suggestion(ordered, [names[n][0].evidence for n in ordered])
    fields["doses"] = drugs.doses(passages)
    if (fields["control"].value == NOT_STATED and fields["randomised"].value == "yes"
            and len(reading.study) == 1 and len(fields["doses"].value) >= 2):
        fields["control"] = Suggestion("active", fields["doses"].evidence[:2],
                                       ["inferred: one drug at several doses, randomised, no placebo"])
    fields["routes"] = drugs.routes(passages, drug_given=bool(fields["drugs"].value) or fields["control"].value in (
        "placebo", "active") or fields["randomised"].value == "yes")
    vocabularies = OutcomeVocabularies(vocabulary_for(protocol, form, "instrument"),
                                       vocabulary_for(protocol, form, "constructs"),
                                       vocabulary_for(protocol, form, "regions"))
    result.outcomes = suggest_outcomes(protocol, passages, vocabularies, _networks(protocol, form, vocabularies),
                                       fields["control"].value)
    classes: dict[str, list[Hit]] = {}
    for outcome in result.outcomes:
        cls = outcome.get("class")
        if cls is not None and cls.value and cls.evidence:
            classes.setdefault(str(cls.value), []).append(_evidence_hit(passages, cls.evidence[0]))
    fields["outcome_classes"] = measures.outcome_classes(passages, classes, drug_given=bool(fields["drugs"].value))
    fields["imaging_modalities"] = measures.imaging_modalities(passages)
    inferred_scan = fields["imaging_modalities"]
    if inferred_scan.flags and "neuroimaging" not in fields["outcome_classes"].value:
        # (a task scan known only by what it showed: the study measured by neuroimaging all the same)
        by_class = {**dict(zip(fields["outcome_classes"].value, fields["outcome_classes"].evidence)),
                    "neuroimaging": inferred_scan.evidence[0]}
        ordered = [v for v in measures.OUTCOME_CLASSES if v in by_class]
        fields["outcome_classes"] = Suggestion(ordered, [by_class[v] for v in ordered], inferred_scan.flags)
    construct_field = field_or_none(form, "constructs")
    fields["constructs"] = _constructs(protocol, passages, vocabularies.construct, result.outcomes,
                                       construct_field.term_values if construct_field else {})
    return result


def _networks(protocol: Protocol, form: Extraction, vocabularies: OutcomeVocabularies) -> dict[str, str]:
    """Region class → network value: a class whose name starts with a declared network value."""
    network = field_or_none(form, "network")
    if network is None or vocabularies.region not in protocol.vocabularies:
        return {}
    classes = protocol.vocabularies[vocabularies.region or ""].classes
    return {cls: value for cls in classes for value in network.values if cls.split("_")[0] == value}


def _constructs(protocol: Protocol, passages: list[Passage], vocabulary: str | None,
                outcomes: list[dict[str, Suggestion]], term_values: dict[str, str]) -> Suggestion:
    """Constructs named in the title or the study's own sentences, and those the named instruments
    measure (a trust game: trust). A background sentence ("improves sociability in mice") says what
    others found, not what this study measured; a term the form maps to "" (the review's own name
    for the whole profile) is no construct an outcome measures."""
    found = {term: kept for term, spans in vocabulary_hits(protocol, passages, vocabulary, negated_results=True).items()
             if term_values.get(term, term)
             and (kept := [(p, s) for p, s in spans if measured_construct(Hit(p, s.start, s.end))])}
    labels: list[str] = []
    evidence: list[Evidence] = []
    if found:
        vocab = protocol.vocabularies[vocabulary or ""]
        found = _without_broad_mentions(vocab, found)
        ordered = sorted(found, key=lambda t: (found[t][0][0].field != "title", found[t][0][1].start))
        labels = [vocab.term(t).label for t in ordered]
        evidence = [found[t][0][0].evidence(found[t][0][1].start, found[t][0][1].end) for t in ordered]
    dropped = {protocol.vocabularies[vocabulary or ""].term(t).label for t, v in term_values.items() if not v}
    for outcome in outcomes:
        construct = outcome.get("construct")
        if (construct is None or not construct.value or construct.value in labels or construct.value in dropped
                or _narrower_given(protocol.vocabularies.get(vocabulary or ""), str(construct.value), labels)):
            continue
        # An outcome anchored on a named instrument measures its construct; one anchored only on
        # the construct's own words passes the same test as any other mention of it.
        instrument = outcome.get("instrument")
        if not (instrument is not None and instrument.value) and not all(
                measured_construct(_evidence_hit(passages, e)) for e in construct.evidence[:1]):
            continue
        labels.append(str(construct.value))
        evidence.extend(construct.evidence[:1])
    return Suggestion(labels, evidence)


def _narrower_given(vocab: Vocabulary | None, label: str, labels: list[str]) -> bool:
    """Whether `label` is a class's general term and `labels` already hold another term of that class."""
    ids = {term.label: term.id for term in vocab.terms} if vocab is not None else {}
    return vocab is not None and label in ids and vocab.gives_way(ids[label], [ids[o] for o in labels if o in ids])


def _without_broad_mentions(vocab: Vocabulary, found: dict[str, list[tuple[Passage, Span]]]
                            ) -> dict[str, list[tuple[Passage, Span]]]:
    """`found` without the terms named only by their broad synonyms when another term is named,
    and without a class's general term when the text names another term of that class (a construct
    an instrument is taken to measure does not count: "empathy measured with the MET" stays empathy)."""
    def broad_only(term: str) -> bool:
        broad = {singular(" ".join(b.lower().split())) for b in vocab.term(term).broad_synonyms}
        return bool(broad) and all(singular(" ".join(p.text[s.start:s.end].lower().split())) in broad
                                   for p, s in found[term])
    if len(found) < 2:
        return found
    return {term: spans for term, spans in found.items() if not broad_only(term) and not vocab.gives_way(term, found)}


def _evidence_hit(passages: list[Passage], evidence: Evidence) -> Hit:
    """The hit a suggestion's evidence points at, in the passage it was read from."""
    passage = next(p for p in passages if p.field == evidence.field and p.record_id == evidence.record_id)
    return Hit(passage, evidence.start or 0, evidence.end or 0)


def suggest_registry(protocol: Protocol, form: Extraction, record: Record, study: dict) -> StudySuggestions:
    result = suggest_text(protocol, form, registry_passages(record, study))
    for name, value in structured_fields(record, study).items():
        if value.stated or name not in result.fields:
            result.fields[name] = value
    # A registry record states its design: text rules on its summary would only second-guess it.
    result.outcomes = registry_outcomes(record, study)
    return result


def suggest_study(protocol: Protocol, records: Iterable[Record],
                  fulltexts: dict[int, Path] | None = None) -> StudySuggestions:
    """Suggestions for one study from all of its records."""
    form = form_of(protocol)
    parts: list[StudySuggestions] = []
    registry_parts: list[StudySuggestions] = []
    for record in records:
        study = registry_study(record)
        if study is not None:
            registry_parts.append(suggest_registry(protocol, form, record, study))
            continue
        path = (fulltexts or {}).get(int(record.id or 0))
        passages = jats_passages(path, record.id) if path is not None else text_passages(record)
        parts.append(suggest_text(protocol, form, passages))
    return conform(form, merge(registry_parts + parts))


def merge(parts: list[StudySuggestions]) -> StudySuggestions:
    """Single values: the first source that states one; lists: united in source order."""
    merged = StudySuggestions()
    for part in parts:
        for name, value in part.fields.items():
            held = merged.fields.get(name)
            if held is None or (not held.stated and value.stated):
                merged.fields[name] = value
            elif isinstance(held.value, list) and isinstance(value.value, list) and name not in _SINGLE_FIELDS:
                new = [v for v in value.value if v not in held.value]
                merged.fields[name] = Suggestion(held.value + new, held.evidence + value.evidence, held.flags + value.flags)
        seen = {str(o.get("instrument", Suggestion(None)).value).lower() for o in merged.outcomes}
        merged.outcomes.extend(o for o in part.outcomes
                               if str(o.get("instrument", Suggestion(None)).value).lower() not in seen)
    return merged


def conform(form: Extraction, suggestions: StudySuggestions) -> StudySuggestions:
    """Only the form's fields, only values it admits; a field no rule fills says so."""
    result = StudySuggestions()
    for item in form.fields:
        if item.level == "outcome":
            continue
        result.fields[item.name] = _admitted(item, suggestions.fields.get(item.name))
    outcome_fields = [f for f in form.fields if f.level == "outcome"]
    for outcome in suggestions.outcomes:
        result.outcomes.append({f.name: _admitted(f, outcome.get(f.name)) for f in outcome_fields})
    return result


def _admitted(item: Any, value: Suggestion | None) -> Suggestion:
    empty: Any = [] if item.type.startswith("list") else (NOT_STATED if item.type == "enum" and
                                                           item.admits(NOT_STATED) else None)
    if value is None:
        return Suggestion(empty)
    if item.type == "enum" and item.values and value.value is not None and not item.admits(str(value.value)):
        return Suggestion(empty, value.evidence, [*value.flags, f"not in the form: {value.value!r}"])
    if item.type == "list-of-enum" and item.values and isinstance(value.value, list):
        kept = [v for v in value.value if item.admits(str(v))]
        flags = [f"not in the form: {v!r}" for v in value.value if v not in kept]
        return Suggestion(kept, value.evidence, [*value.flags, *flags])
    return value


@dataclass(frozen=True)
class ExtractionUnit:
    """One study (or, with --all, one record) to extract: its representative record and all records."""

    record_id: int
    study_id: int | None
    records: list[Record]

    @property
    def representative(self) -> Record:
        return next(r for r in self.records if r.id == self.record_id)


def run_suggestions(protocol: Protocol, units: list[ExtractionUnit], fulltexts: dict[int, Path],
                    on_progress: Callable[[int, int], None] | None = None) -> list[tuple[ExtractionUnit, StudySuggestions]]:
    results = []
    for done, unit in enumerate(units, start=1):
        results.append((unit, suggest_study(protocol, unit.records, fulltexts)))
        if on_progress is not None:
            on_progress(done, len(units))
    return results


def unit_json(unit: ExtractionUnit, suggestions: StudySuggestions) -> dict[str, Any]:
    return {"record_id": unit.record_id, "source_id": unit.representative.source_id,
            "study_id": unit.study_id, "record_ids": [r.id for r in unit.records],
            "extractor": EXTRACTOR, "extractor_version": EXTRACTOR_VERSION, **suggestions.to_json()}


def extraction_units(screening: Screening, *, every_record: bool) -> list[ExtractionUnit]:
    """Studies included at their latest screening stage, or (every_record) each record alone."""
    units = screening.unit_map()
    if every_record:
        ids = sorted(units)
        return [ExtractionUnit(int(r.id or 0), r.study_id, [r]) for r in screening.records(ids)]
    title_abstract, full_text = screening.state("title_abstract"), screening.state("full_text")
    chosen = []
    for unit in screening.units():
        outcome = full_text.outcome(unit) or title_abstract.outcome(unit)
        if outcome == "include":
            chosen.append(ExtractionUnit(unit, units[unit][1], screening.records(screening.group(unit))))
    return chosen


def store_suggestions(store: Store, results: list[tuple[ExtractionUnit, StudySuggestions]]) -> tuple[int, int]:
    """Write each study's suggestions to `extractions`; returns (rows written, units without a study)."""
    rows: list[SuggestionRow] = []
    unplaced = 0
    extractor = f"{EXTRACTOR}/{EXTRACTOR_VERSION}"
    for unit, suggestions in results:
        if unit.study_id is None:
            unplaced += 1  # not yet grouped into a study by dedupe: nothing to attach rows to
            continue
        for name, value in suggestions.fields.items():
            rows.append(SuggestionRow(unit.study_id, name, value.to_json(), unit.record_id, extractor))
        for index, outcome in enumerate(suggestions.outcomes):
            for name, value in outcome.items():
                rows.append(SuggestionRow(unit.study_id, f"outcomes[{index}].{name}", value.to_json(),
                                          unit.record_id, extractor))
    return add_suggestions(store, rows), unplaced
