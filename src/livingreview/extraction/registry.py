"""Suggestions from a ClinicalTrials.gov record: its structured design, arms, enrolment, outcomes.

Only a registry record (source ctgov, the API v2 study JSON in `raw`) is read here. Enumerated
fields are mapped directly and cited by their JSON path; free-text fields (arm and intervention
descriptions, conditions, outcome measures) become passages for the text rules, so a dose or a
route is cited by path and character span.
"""

from __future__ import annotations

import json
from typing import Any

from livingreview.extraction.model import NOT_STATED, Evidence, Suggestion
from livingreview.extraction.passages import Passage
from livingreview.records import Record

_ALLOCATION = {"RANDOMIZED": "yes", "NON_RANDOMIZED": "no", "NA": "no"}
_MODEL = {"PARALLEL": "parallel", "CROSSOVER": "crossover", "SINGLE_GROUP": "single-group",
          "FACTORIAL": "parallel"}
_MASKING = {"NONE": "open-label", "SINGLE": "single-blind", "DOUBLE": "double-blind",
            "TRIPLE": "triple-blind", "QUADRUPLE": "triple-blind"}
_CONTROL_ARMS = {"PLACEBO_COMPARATOR": "placebo", "SHAM_COMPARATOR": "placebo", "ACTIVE_COMPARATOR": "active"}


def registry_study(record: Record) -> dict[str, Any] | None:
    """The study JSON of a ClinicalTrials.gov record, or None for any other record."""
    if "ctgov" not in record.source.lower() or not record.raw.lstrip().startswith("{"):
        return None
    try:
        study = json.loads(record.raw)
    except json.JSONDecodeError:
        return None
    if not isinstance(study, dict) or not isinstance(study.get("protocolSection"), dict):
        return None
    return study


def _get(data: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def _cite(record: Record, path: str, value: Any) -> Evidence:
    return Evidence(record.id, f"registry:{path}", None, None, str(value))


def _enum(record: Record, study: dict, path: str, mapping: dict[str, str]) -> Suggestion:
    value = _get(study, path)
    if isinstance(value, str) and value in mapping:
        return Suggestion(mapping[value], [_cite(record, path, value)])
    return Suggestion(NOT_STATED)


def registry_passages(record: Record, study: dict) -> list[Passage]:
    """The registry's free text, one passage per JSON path."""
    passages: list[Passage] = []

    def add(path: str) -> None:
        value = _get(study, path)
        if isinstance(value, str) and value.strip():
            passages.append(Passage(record.id, f"registry:{path}", value))

    add("protocolSection.identificationModule.briefTitle")
    add("protocolSection.identificationModule.officialTitle")
    add("protocolSection.descriptionModule.briefSummary")
    conditions = _get(study, "protocolSection.conditionsModule.conditions") or []
    for index in range(len(conditions)):
        add(f"protocolSection.conditionsModule.conditions.{index}")
    arms = _get(study, "protocolSection.armsInterventionsModule") or {}
    for index in range(len(arms.get("armGroups") or [])):
        add(f"protocolSection.armsInterventionsModule.armGroups.{index}.label")
        add(f"protocolSection.armsInterventionsModule.armGroups.{index}.description")
    for index in range(len(arms.get("interventions") or [])):
        add(f"protocolSection.armsInterventionsModule.interventions.{index}.name")
        add(f"protocolSection.armsInterventionsModule.interventions.{index}.description")
    return passages


def structured_fields(record: Record, study: dict) -> dict[str, Suggestion]:
    """The fields the registry states as enumerations or numbers."""
    design = "protocolSection.designModule"
    fields = {
        "randomised": _enum(record, study, f"{design}.designInfo.allocation", _ALLOCATION),
        "allocation": _enum(record, study, f"{design}.designInfo.interventionModel", _MODEL),
        "blinding": _enum(record, study, f"{design}.designInfo.maskingInfo.masking", _MASKING),
        "n_total": _enrolment(record, study),
        "age_group": _age_group(record, study),
    }
    fields["control"], fields["active_comparator"] = _control(record, study)
    return fields


def _enrolment(record: Record, study: dict) -> Suggestion:
    path = "protocolSection.designModule.enrollmentInfo"
    info = _get(study, path) or {}
    count = info.get("count")
    if not isinstance(count, int):
        return Suggestion(None)
    flags = [] if info.get("type") != "ESTIMATED" else ["registry enrolment is an estimate (ESTIMATED)"]
    return Suggestion(count, [_cite(record, f"{path}.count", count)], flags)


def _age_group(record: Record, study: dict) -> Suggestion:
    path = "protocolSection.eligibilityModule.stdAges"
    ages = set(_get(study, path) or [])
    if not ages:
        return Suggestion(NOT_STATED)
    evidence = [_cite(record, path, ", ".join(sorted(ages)))]
    if ages == {"CHILD"}:
        return Suggestion("child-adolescent", evidence)
    if "CHILD" in ages:
        return Suggestion("mixed", evidence)
    return Suggestion("adult", evidence)


def _control(record: Record, study: dict) -> tuple[Suggestion, Suggestion]:
    path = "protocolSection.armsInterventionsModule.armGroups"
    arms = _get(study, path) or []
    found: dict[str, tuple[int, dict]] = {}
    for index, arm in enumerate(arms):
        kind = _CONTROL_ARMS.get(str(arm.get("type")))
        if kind:
            found.setdefault(kind, (index, arm))
    comparator = Suggestion(None)
    if "active" in found:
        index, arm = found["active"]
        names = [n.split(":", 1)[-1].strip() for n in arm.get("interventionNames") or []]
        if names:
            comparator = Suggestion(names[0].lower(), [_cite(record, f"{path}.{index}.interventionNames",
                                                              "; ".join(names))])
    for kind in ("placebo", "active"):
        if kind in found:
            index, arm = found[kind]
            return Suggestion(kind, [_cite(record, f"{path}.{index}.type", arm.get("type"))]), comparator
    if len(arms) == 1:
        return Suggestion("none", [_cite(record, path, f"1 arm: {arms[0].get('label', '')}")]), comparator
    return Suggestion(NOT_STATED), comparator


def registry_outcomes(record: Record, study: dict) -> list[dict[str, Suggestion]]:
    """Each registered outcome measure, with its posted results where there are any."""
    outcomes = []
    module = "protocolSection.outcomesModule"
    posted = {str(m.get("title", "")).strip().lower(): (i, m) for i, m in
              enumerate(_get(study, "resultsSection.outcomeMeasuresModule.outcomeMeasures") or [])}
    for key, rank in (("primaryOutcomes", "primary"), ("secondaryOutcomes", "secondary")):
        for index, measure in enumerate(_get(study, f"{module}.{key}") or []):
            path = f"{module}.{key}.{index}"
            title = str(measure.get("measure", "")).strip()
            outcome = {
                "instrument": Suggestion(title or None, [_cite(record, f"{path}.measure", title)]),
                "role": Suggestion(rank, [_cite(record, path, key)]),
                "timepoint": Suggestion(measure.get("timeFrame"),
                                        [_cite(record, f"{path}.timeFrame", measure.get("timeFrame"))]
                                        if measure.get("timeFrame") else []),
            }
            result = posted.get(title.lower())
            if result is not None:
                outcome["numbers"], outcome["direction"] = _posted_numbers(record, *result)
            outcomes.append(outcome)
    return outcomes


def _posted_numbers(record: Record, index: int, measure: dict) -> tuple[Suggestion, Suggestion]:
    path = f"resultsSection.outcomeMeasuresModule.outcomeMeasures.{index}"
    groups = {g.get("id"): g.get("title") for g in measure.get("groups") or []}
    numbers: list[dict[str, object]] = []
    evidence: list[Evidence] = []
    for d, denom in enumerate(measure.get("denoms") or []):
        for c, count in enumerate(denom.get("counts") or []):
            numbers.append({"statistic": "n", "group": groups.get(count.get("groupId")), "text": count.get("value"),
                            "values": _floats(count.get("value"))})
            evidence.append(_cite(record, f"{path}.denoms.{d}.counts.{c}.value", count.get("value")))
    for k, cls in enumerate(measure.get("classes") or []):
        for g, category in enumerate(cls.get("categories") or []):
            for m, value in enumerate(category.get("measurements") or []):
                numbers.append({"statistic": str(measure.get("paramType", "value")).lower(),
                                "group": groups.get(value.get("groupId")), "unit": measure.get("unitOfMeasure"),
                                "dispersion": measure.get("dispersionType"), "text": value.get("value"),
                                "spread": value.get("spread"), "values": _floats(value.get("value"))})
                evidence.append(_cite(record, f"{path}.classes.{k}.categories.{g}.measurements.{m}.value",
                                      value.get("value")))
    direction = Suggestion(None)
    for a, analysis in enumerate(measure.get("analyses") or []):
        numbers.append({"statistic": analysis.get("paramType"), "text": analysis.get("paramValue"),
                        "p": analysis.get("pValue"), "ci": [analysis.get("ciLowerLimit"), analysis.get("ciUpperLimit")],
                        "values": _floats(analysis.get("paramValue"))})
        evidence.append(_cite(record, f"{path}.analyses.{a}", analysis.get("paramValue")))
        p_values = _floats(analysis.get("pValue"))
        if p_values and p_values[0] >= 0.05 and direction.value is None:
            direction = Suggestion("no difference", [_cite(record, f"{path}.analyses.{a}.pValue", analysis.get("pValue"))],
                                   ["from the posted p value, not from a result sentence"])
    return Suggestion(numbers, evidence), direction


def _floats(text: object) -> list[float]:
    try:
        return [float(str(text).lstrip("<>= "))]
    except ValueError:
        return []
