"""ClinicalTrials.gov API v2 JSON: one study (`/studies/{nctId}`) or a search page (`/studies`).

A registry record keeps the whole study JSON as `raw`, because extraction later reads the posted
results (`resultsSection`) from it; the outcome measures are also summarised in
`extra["outcome_measures"]` so screening and reporting need not parse the raw text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

from livingreview.importers.base import ImportFormatError, Importer
from livingreview.importers.json_pages import ItemText, array_items, as_dict, canonical_json, load_json
from livingreview.records import Record

EXPECTED = ("ClinicalTrials.gov API v2 JSON (a study with 'protocolSection', or a /studies page"
            " with 'studies')")

_NCT = re.compile(r"^NCT\d{8}$", re.IGNORECASE)


def parse_ctgov_page(
    payload: dict[str, Any], *, where: str, verbatim: Sequence[ItemText] | None = None
) -> tuple[list[Record], str | None, int | None]:
    """The records of one `/studies` page, its `nextPageToken` and `totalCount` (None when absent).

    `verbatim` (one entry per study, from the saved file) supplies `raw`; without it `raw` is a
    canonical JSON dump of the study.
    """
    if not isinstance(payload, dict):
        raise ImportFormatError(where, f"{EXPECTED}; found a JSON {type(payload).__name__}", line=1)
    studies = payload.get("studies")
    if not isinstance(studies, list):
        raise ImportFormatError(where, f"{EXPECTED}; the top-level key 'studies' is missing"
                                f" (keys found: {', '.join(sorted(payload)) or 'none'})", line=1)
    if verbatim is not None and len(verbatim) != len(studies):
        raise ImportFormatError(where, f"{EXPECTED}: {len(studies)} studies but {len(verbatim)} texts")
    records = [
        parse_ctgov_study(study, raw=verbatim[index].text if verbatim is not None else None, where=where,
                          record=index + 1, line=verbatim[index].line if verbatim is not None else None)
        for index, study in enumerate(studies)
    ]
    total = payload.get("totalCount")
    return records, payload.get("nextPageToken"), total if isinstance(total, int) else None


def parse_ctgov_study(
    study: dict[str, Any],
    *,
    raw: str | None = None,
    where: str = "<study>",
    record: int | None = None,
    line: int | None = None,
) -> Record:
    """One study as a Record; `raw` defaults to a canonical JSON dump of `study`."""
    protocol = as_dict(study.get("protocolSection")) if isinstance(study, dict) else {}
    identification = as_dict(protocol.get("identificationModule"))
    nct_id = identification.get("nctId")
    if not isinstance(nct_id, str) or not _NCT.match(nct_id):
        missing = "protocolSection" if not protocol else "protocolSection.identificationModule.nctId"
        raise ImportFormatError(where, f"a study with '{missing}' (an NCT number)", line=line, record=record)
    description = as_dict(protocol.get("descriptionModule"))
    conditions = _strings(as_dict(protocol.get("conditionsModule")).get("conditions"))
    keywords = _strings(as_dict(protocol.get("conditionsModule")).get("keywords"))
    status = as_dict(protocol.get("statusModule"))
    start = as_dict(status.get("startDateStruct")).get("date")
    return Record(
        source="ctgov",
        raw=raw if raw is not None else canonical_json(study),
        source_id=nct_id.upper(),
        title=identification.get("officialTitle") or identification.get("briefTitle"),
        abstract="\n\n".join(
            text for text in (description.get("briefSummary"), description.get("detailedDescription")) if text
        ) or None,
        year=_year(start),
        nct_ids=_nct_ids(nct_id, identification),
        keywords=list(dict.fromkeys(conditions + keywords)),
        mesh=_browse_terms(study, "conditionBrowseModule") + _browse_terms(study, "interventionBrowseModule"),
        extra=_extra(study, protocol, identification, status, conditions),
    )


def _extra(study: dict[str, Any], protocol: dict[str, Any], identification: dict[str, Any],
           status: dict[str, Any], conditions: list[str]) -> dict[str, object]:
    design = as_dict(protocol.get("designModule"))
    enrollment = as_dict(design.get("enrollmentInfo"))
    arms = as_dict(protocol.get("armsInterventionsModule"))
    extra: dict[str, object] = {
        "brief_title": identification.get("briefTitle"),
        "acronym": identification.get("acronym"),
        "overall_status": status.get("overallStatus"),
        "study_type": design.get("studyType"),
        "phases": _strings(design.get("phases")),
        "design": as_dict(design.get("designInfo")),
        "enrollment": enrollment.get("count"),
        "enrollment_type": enrollment.get("type"),
        "start_date": as_dict(status.get("startDateStruct")).get("date"),
        "primary_completion_date": as_dict(status.get("primaryCompletionDateStruct")).get("date"),
        "completion_date": as_dict(status.get("completionDateStruct")).get("date"),
        "conditions": conditions,
        "interventions": [{"type": i.get("type"), "name": i.get("name")}
                          for i in _dicts(arms.get("interventions"))],
        "arms": [{"label": a.get("label"), "type": a.get("type")} for a in _dicts(arms.get("armGroups"))],
        "sponsor": as_dict(as_dict(protocol.get("sponsorCollaboratorsModule")).get("leadSponsor")).get("name"),
        "has_results": study.get("hasResults"),
        "reference_pmids": [r["pmid"] for r in _dicts(as_dict(protocol.get("referencesModule")).get("references"))
                            if r.get("pmid")],
    }
    extra.update(_outcome_measures(study, protocol))
    return {key: value for key, value in extra.items() if value not in (None, "", {}, [])}


def _outcome_measures(study: dict[str, Any], protocol: dict[str, Any]) -> dict[str, object]:
    """Posted results when there are any, else the outcomes the protocol registered."""
    posted = _dicts(as_dict(as_dict(study.get("resultsSection")).get("outcomeMeasuresModule")).get("outcomeMeasures"))
    if posted:
        measures = [{"title": m.get("title"), "type": m.get("type"), "timeFrame": m.get("timeFrame")}
                    for m in posted]
        return {"outcome_measures": measures, "outcome_measures_from": "resultsSection"}
    outcomes = as_dict(protocol.get("outcomesModule"))
    measures = [
        {"title": m.get("measure"), "type": kind, "timeFrame": m.get("timeFrame")}
        for key, kind in (("primaryOutcomes", "PRIMARY"), ("secondaryOutcomes", "SECONDARY"),
                          ("otherOutcomes", "OTHER_PRE_SPECIFIED"))
        for m in _dicts(outcomes.get(key))
    ]
    return {"outcome_measures": measures, "outcome_measures_from": "protocolSection"} if measures else {}


def _nct_ids(nct_id: str, identification: dict[str, Any]) -> list[str]:
    """The study's own number, its aliases, and NCT numbers listed among its secondary ids."""
    found = [nct_id, *_strings(identification.get("nctIdAliases"))]
    found += [s["id"] for s in _dicts(identification.get("secondaryIdInfos")) if isinstance(s.get("id"), str)]
    return sorted({n.upper() for n in found if _NCT.match(n)})


def _browse_terms(study: dict[str, Any], module: str) -> list[str]:
    meshes = as_dict(as_dict(study.get("derivedSection")).get(module)).get("meshes")
    return [m["term"] for m in _dicts(meshes) if isinstance(m.get("term"), str)]


def _year(date: object) -> int | None:
    text = str(date or "")[:4]
    return int(text) if text.isdigit() else None


def _dicts(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


class CtgovImporter(Importer):
    name: ClassVar[str] = "ctgov-json"
    description: ClassVar[str] = "ClinicalTrials.gov API v2 JSON: one study, or a /studies search page"
    extensions: ClassVar[tuple[str, ...]] = (".json",)

    @classmethod
    def sniff(cls, head: str, path: Path) -> bool:
        # An empty /studies page has no protocolSection; its paging keys still identify it.
        return head.lstrip().startswith("{") and ('"protocolSection"' in head or (
            '"studies"' in head and ('"totalCount"' in head or '"nextPageToken"' in head)))

    def parse(self, path: Path, encoding: str) -> Iterator[Record]:
        payload, text = load_json(path, encoding, EXPECTED)
        if isinstance(payload, dict) and "studies" not in payload and "protocolSection" in payload:
            yield parse_ctgov_study(payload, raw=text.strip(), where=str(path), record=1, line=1)
            return
        verbatim = array_items(text, ("studies",)) if isinstance(payload, dict) else None
        records, _next_page, _total = parse_ctgov_page(payload, where=str(path), verbatim=verbatim)
        yield from records
