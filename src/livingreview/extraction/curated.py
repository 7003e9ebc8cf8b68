"""Curated evidence files loaded as the extraction of a named human reviewer.

An evidence file (format: `examples/glutamate-entactogens/evidence/README.md`) is one reviewer's
reading of one study: its `reviewer` key names them. Loading a folder matches each file to a study
of the project by PMID, DOI, PMCID, NCT id or title (in that order), records every extracted value
as that reviewer's `extraction_field` judgement (the evidence being the file and where the fact
was read), and records the file's screening decision as the reviewer's screening decision, so that
a project built from the citations alone can be synthesised. Files that match no record, or a
record dedupe has not yet grouped into a study, are reported. Loading twice records nothing new.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livingreview.dedupe.normalise import normalise_title
from livingreview.errors import BadInput
from livingreview.extraction.form import form_of
from livingreview.extraction.verify import FieldRef, record_value
from livingreview.protocol.models import Protocol
from livingreview.records import Record, normalise_doi, normalise_pmcid, normalise_pmid
from livingreview.screening.workflow import FORWARDED, Screening
from livingreview.store import Store

# Evidence-file outcome keys that the form names differently.
_OUTCOME_KEYS = {"brain_regions": "regions"}
_RIS_SAFE = re.compile(r"[\r\n]+")


class CuratedError(BadInput):
    """An evidence folder or file that cannot be loaded; the message names the file."""


@dataclass
class CuratedLoad:
    """What loading a folder did, file by file."""

    reviewer: str
    matched: dict[str, int] = field(default_factory=dict)  # file key → study id
    unmatched: list[str] = field(default_factory=list)  # file keys with no record in the project
    ungrouped: dict[str, int] = field(default_factory=dict)  # file key → record id without a study
    recorded: int = 0  # new extraction judgements
    unchanged: int = 0
    screening_recorded: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"reviewer": self.reviewer, "matched": self.matched, "unmatched": self.unmatched,
                "ungrouped": self.ungrouped, "recorded": self.recorded, "unchanged": self.unchanged,
                "screening_recorded": self.screening_recorded}


def evidence_files(folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Every `*.toml` file of the folder, parsed, in name order."""
    files = sorted(folder.glob("*.toml"))
    if not folder.is_dir() or not files:
        raise CuratedError(f"{folder}: no *.toml evidence files")
    parsed = []
    for path in files:
        try:
            parsed.append((path, tomllib.loads(path.read_text(encoding="utf-8-sig"))))
        except tomllib.TOMLDecodeError as error:
            raise CuratedError(f"{path}: not valid TOML ({error})") from error
    return parsed


def citations_as_ris(evidence_dir: Path) -> str:
    """The citations of a folder's evidence files as RIS (no abstracts: the files hold none), each
    with the file's key as its record id (`ID`), so a project can be built from them offline."""
    blocks = []
    for path, data in evidence_files(Path(evidence_dir)):
        citation = data.get("citation") or {}
        lines = [("TY", "JOUR"), ("ID", str(data.get("key", path.stem)))]
        lines += [("AU", str(a)) for a in citation.get("authors") or []]
        for tag, key in (("TI", "title"), ("PY", "year"), ("JO", "journal"), ("VL", "volume"),
                         ("IS", "issue"), ("SP", "pages"), ("DO", "doi")):
            if citation.get(key) is not None:
                lines.append((tag, str(citation[key])))
        if citation.get("pmid"):
            lines += [("DB", "PubMed"), ("AN", str(citation["pmid"]))]
        if citation.get("pmcid"):
            lines.append(("C2", str(citation["pmcid"])))  # where PubMed's RIS puts the PMCID
        blocks.append("".join(f"{tag}  - {_RIS_SAFE.sub(' ', value)}\n" for tag, value in lines) + "ER  - \n")
    return "\n".join(blocks)


@dataclass
class _RecordIndex:
    by_key: dict[tuple[str, str], Record] = field(default_factory=dict)

    @classmethod
    def build(cls, records: list[Record]) -> _RecordIndex:
        index = cls()
        for record in records:
            for kind, value in _identifiers(record.pmid, record.doi, record.pmcid, record.nct_ids, record.title):
                index.by_key.setdefault((kind, value), record)
        return index

    def find(self, citation: Mapping[str, Any]) -> Record | None:
        for key in _identifiers(citation.get("pmid"), citation.get("doi"), citation.get("pmcid"),
                                citation.get("nct_ids") or [], citation.get("title")):
            if key in self.by_key:
                return self.by_key[key]
        return None


def _identifiers(pmid: Any, doi: Any, pmcid: Any, ncts: list[str], title: Any) -> list[tuple[str, str]]:
    found = [("pmid", normalise_pmid(str(pmid)) if pmid else None), ("doi", normalise_doi(doi) if doi else None),
             ("pmcid", normalise_pmcid(pmcid) if pmcid else None),
             *(("nct", str(n).upper()) for n in ncts),
             ("title", normalise_title(title) if isinstance(title, str) else None)]
    return [(kind, value) for kind, value in found if value]


def load_curated(store: Store, protocol: Protocol, screening: Screening, folder: Path,
                 reviewer: str | None = None) -> CuratedLoad:
    """Load every file of the folder as its reviewer's extraction (`reviewer` must match the
    files' own `reviewer` when given: one person's reading is not recorded under another's name)."""
    files = evidence_files(folder)
    names = {str(data.get("reviewer", "")).strip() for _, data in files}
    if "" in names:
        missing = next(p for p, d in files if not str(d.get("reviewer", "")).strip())
        raise CuratedError(f"{missing}: no `reviewer` key; an extraction must name the person who made it")
    if reviewer is not None and names != {reviewer.strip()}:
        raise CuratedError(f"{folder}: the files are the extraction of {', '.join(sorted(names))}, "
                           f"not of {reviewer.strip()!r}")
    index = _RecordIndex.build(store.records())
    result = CuratedLoad(", ".join(sorted(names)))
    for path, data in files:
        key = str(data.get("key", path.stem))
        record = index.find(data.get("citation") or {})
        if record is None:
            result.unmatched.append(key)
            continue
        if record.study_id is None:
            result.ungrouped[key] = int(record.id or 0)
            continue
        result.matched[key] = record.study_id
        _load_file(store, protocol, path, data, record.study_id, result)
        result.screening_recorded += _record_screening(screening, data, int(record.id or 0), path)
    return result


def _load_file(store: Store, protocol: Protocol, path: Path, data: Mapping[str, Any], study_id: int,
               result: CuratedLoad) -> None:
    form = form_of(protocol)
    reviewer = str(data["reviewer"]).strip()
    where = data.get("where") or {}
    extraction = data.get("extraction") or {}
    values: list[tuple[FieldRef, Any, str]] = []
    for item in form.fields:
        if item.level == "study" and item.name in extraction:
            source = where.get(f"extraction.{item.name}") or where.get(item.name) or where.get("extraction", "")
            values.append((FieldRef(study_id, item.name), extraction[item.name], str(source)))
    outcome_fields = {f.name for f in form.fields if f.level == "outcome"}
    for number, outcome in enumerate(data.get("outcomes") or []):
        source = str(where.get(f"outcomes.{number}") or where.get("outcomes", ""))
        for name, value in _outcome_values(outcome).items():
            if name in outcome_fields:
                values.append((FieldRef(study_id, name, number), value, source))
    for ref, value, source in values:
        evidence = [{"file": path.name, "key": f"{data.get('key', path.stem)}:{ref.label}", "text": source}]
        try:
            recorded = record_value(store, protocol, ref, reviewer, value, action="curated", evidence=evidence,
                                    source=f"evidence/{path.name}")
        except BadInput as error:
            raise CuratedError(f"{path}: {error}") from error
        if recorded is None:
            result.unchanged += 1
        else:
            result.recorded += 1


def _outcome_values(outcome: Mapping[str, Any]) -> dict[str, Any]:
    """An evidence file's outcome in the form's fields: `primary` as a role, the network as a
    list, the numbers as "name=value" texts (as written)."""
    values = {_OUTCOME_KEYS.get(k, k): v for k, v in outcome.items()
              if k not in ("primary", "network", "numbers", "summary", "note", "uncertain")}
    if "primary" in outcome:
        values["role"] = "primary" if outcome["primary"] else "secondary"
    if "network" in outcome:
        values["network"] = [outcome["network"]] if isinstance(outcome["network"], str) else outcome["network"]
    if isinstance(outcome.get("numbers"), dict):
        values["numbers"] = [f"{k}={v}" for k, v in outcome["numbers"].items()]
    return values


def _record_screening(screening: Screening, data: Mapping[str, Any], record_id: int, path: Path) -> int:
    """The file's screening decision as its reviewer's: at title-abstract, and at full text too
    when it goes on there. Returns the number of decisions recorded (0 when already so)."""
    decision = (data.get("screening") or {}).get("decision")
    if decision is None:
        return 0
    reason = (data.get("screening") or {}).get("reason") if decision == "exclude" else None
    reviewer = str(data["reviewer"]).strip()
    stages = ["title_abstract", "full_text"] if decision in FORWARDED else ["title_abstract"]
    recorded = 0
    for stage in stages:
        unit = screening.unit_map()[record_id][0]
        held = screening.state(stage).labels.get(unit, {}).get(reviewer)
        if held is not None and held.label == decision:
            continue
        valid = {c.id for c in screening.protocol.criteria if stage in c.stages}
        try:
            screening.decide(stage, record_id, reviewer, decision, reason=reason if reason in valid else None,
                             note=f"curated evidence file {path.name}")
        except BadInput as error:
            raise CuratedError(f"{path}: screening.decision: {error}") from error
        recorded += 1
    return recorded
