"""Full texts of the reports that passed title-abstract screening.

Open-access JATS XML comes from Europe PMC (`/{PMCID}/fullTextXML`) or, failing that, from PMC
through E-utilities efetch (`db=pmc`). It is stored verbatim under `fulltexts/`. Every report
sought and not retrieved is recorded with the reason, which the PRISMA flow counts as "reports
not retrieved". Anything else (a PDF from a library, an author's copy) is attached by hand.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from livingreview.records import Record, normalise_pmcid
from livingreview.screening.workflow import ScreeningState
from livingreview.sources._transport import (
    RetryPolicy,
    Sleep,
    SourceDown,
    SourceRejected,
    Transport,
)
from livingreview.sources.settings import SourceSettings
from livingreview.errors import BadInput
from livingreview.files import replacing
from livingreview.store import Store
from livingreview.store import fulltexts as fulltexts_table
from livingreview.store.records import cached_study_of, records_by_id

FULLTEXT_DIR = "fulltexts"
JATS = "application/jats+xml"
_MEDIA_TYPES = {".pdf": "application/pdf", ".xml": JATS, ".nxml": JATS, ".txt": "text/plain"}

# (records done, records to seek)
ProgressCallback = Callable[[int, int], None]


class FulltextError(BadInput):
    """A file offered by hand that is not what its name says, or a record that does not exist."""


@dataclass
class FulltextReport:
    sought: int = 0
    retrieved: int = 0
    already_held: int = 0
    not_retrieved: dict[str, int] = field(default_factory=dict)
    items: list[dict[str, Any]] = field(default_factory=list)


def reports_to_seek(store: Store) -> list[int]:
    """Representative record ids of the units forwarded from title-abstract to full text."""
    return ScreeningState(store).eligible("full_text")


def fetch_fulltexts(
    store: Store,
    project_dir: Path,
    *,
    settings: SourceSettings | None = None,
    on_progress: ProgressCallback | None = None,
    sleep: Sleep = time.sleep,
) -> FulltextReport:
    settings = settings or SourceSettings.load()
    screening = ScreeningState(store)
    units = reports_to_seek(store)
    report = FulltextReport()
    retry = RetryPolicy(attempts=settings.retries)
    europepmc = Transport("europepmc", per_second=settings.rate or 10.0, timeout=settings.timeout,
                          retry=retry, sleep=sleep)
    pmc_rate = 10.0 if settings.ncbi_api_key else 3.0
    pmc = Transport("pmc", per_second=min(settings.rate or pmc_rate, pmc_rate),
                    timeout=settings.timeout, retry=retry, sleep=sleep)
    with europepmc, pmc:
        for done, unit in enumerate(units, start=1):
            if fulltexts_table.holds_fulltext(store, unit):
                report.already_held += 1
            else:
                group = records_by_id(store, screening.group(unit))
                report.sought += 1
                item = _seek(store, project_dir, unit, group, settings, europepmc, pmc)
                report.items.append(item)
                if item["status"] == "not_retrieved":
                    report.not_retrieved[item["reason"]] = report.not_retrieved.get(item["reason"], 0) + 1
                else:
                    report.retrieved += 1
            if on_progress:
                on_progress(done, len(units))
    store.log("fulltext", "fulltext.fetch", detail={
        "sought": report.sought, "retrieved": report.retrieved,
        "not_retrieved": sum(report.not_retrieved.values()), "already_held": report.already_held})
    return report


def _seek(store: Store, project_dir: Path, unit: int, group: list[Record],
          settings: SourceSettings, europepmc: Transport, pmc: Transport) -> dict[str, Any]:
    study = next((r.study_id for r in group if r.study_id), None)
    pmcid = next((r.pmcid for r in group if r.pmcid), None) or _pmcid_from_europepmc(
        group, settings, europepmc)
    if pmcid is None:
        if all(r.source == "ctgov" for r in group):
            reason = "registry record only: no published report yet"
        else:
            reason = "no PMCID: not in PubMed Central (seek elsewhere and attach by hand)"
        return _record_row(store, unit, study, "none", "not_retrieved", reason=reason)
    attempts = [
        ("europepmc", europepmc, "GET",
         f"{settings.europepmc_url.rstrip('/')}/{pmcid}/fullTextXML", None),
        ("pmc", pmc, "POST", f"{settings.pubmed_url.rstrip('/')}/efetch.fcgi",
         {"db": "pmc", "id": pmcid.removeprefix("PMC"), "retmode": "xml",
          "tool": settings.ncbi_tool, **_ncbi_credentials(settings)}),
    ]
    reasons = []
    for source, transport, method, url, data in attempts:
        try:
            body = transport.request(method, url, data=data, shown_url=url).content
        except SourceRejected as error:
            reasons.append(str(error))
            continue
        except SourceDown as error:
            if error.unreachable:
                raise
            reasons.append(str(error))
            continue
        problem = jats_problem(body)
        if problem:
            reasons.append(f"{source}: {problem}")
            continue
        path = _keep(project_dir, f"{unit}-{pmcid}.xml", body)
        return _record_row(store, unit, study, source, "retrieved", path=path, media_type=JATS,
                           sha256=hashlib.sha256(body).hexdigest(), project_dir=project_dir)
    reason = f"not open access: {pmcid}: " + "; ".join(reasons)
    return _record_row(store, unit, study, "europepmc+pmc", "not_retrieved", reason=reason)


def _ncbi_credentials(settings: SourceSettings) -> dict[str, str]:
    sent = {}
    if settings.ncbi_api_key:
        sent["api_key"] = settings.ncbi_api_key
    if settings.ncbi_email:
        sent["email"] = settings.ncbi_email
    return sent


def _pmcid_from_europepmc(group: list[Record], settings: SourceSettings,
                          europepmc: Transport) -> str | None:
    """Ask Europe PMC for the PMCID of a record known only by PMID or DOI."""
    record = next((r for r in group if r.pmid or r.doi), None)
    if record is None:
        return None
    query = f"EXT_ID:{record.pmid} AND SRC:MED" if record.pmid else f'DOI:"{record.doi}"'
    url = f"{settings.europepmc_url.rstrip('/')}/search"
    try:
        response = europepmc.request("GET", url, params={"query": query, "format": "json",
                                                          "resultType": "lite"})
        results = response.json().get("resultList", {}).get("result", [])
    except (SourceRejected, ValueError, AttributeError):
        return None
    found = [normalise_pmcid(r.get("pmcid")) for r in results if isinstance(r, dict)]
    return next((p for p in found if p), None)


def jats_problem(body: bytes) -> str | None:
    """Why a body is not a JATS article with a body, or None when it is one."""
    try:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True,
                                                      huge_tree=True))
    except etree.XMLSyntaxError as error:
        return f"not well-formed XML ({error.msg})"
    article = root if root.tag == "article" else root.find("article")
    if article is None:
        return f"expected a JATS <article>, found <{root.tag}>"
    if article.find("body") is None:
        return "the article has no <body> (metadata only: not open access in XML)"
    return None


def _keep(project_dir: Path, name: str, body: bytes) -> Path:
    folder = project_dir / FULLTEXT_DIR
    folder.mkdir(exist_ok=True)
    path = folder / name
    with replacing(path) as temporary:
        temporary.write_bytes(body)
    return path


def _record_row(store: Store, record_id: int, study_id: int | None, source: str, status: str, *,
                path: Path | None = None, media_type: str | None = None, sha256: str | None = None,
                reason: str | None = None, project_dir: Path | None = None) -> dict[str, Any]:
    shown = str(path.relative_to(project_dir)) if path and project_dir else None
    fulltexts_table.add_fulltext(store, record_id=record_id, study_id=study_id, source=source,
                                 status=status, path=shown, media_type=media_type, sha256=sha256,
                                 reason=reason)
    return {"record_id": record_id, "source": source, "status": status, "path": shown,
            "reason": reason}


def attach_fulltext(store: Store, project_dir: Path, record_id: int, file: Path) -> dict[str, Any]:
    """Attach a report by hand: a PDF, JATS XML or plain text file, copied in verbatim."""
    exists, study_id = cached_study_of(store, record_id)
    if not exists:
        raise FulltextError(f"record {record_id} is not in this review")
    media_type = _MEDIA_TYPES.get(file.suffix.lower())
    if media_type is None:
        raise FulltextError(f"{file}: expected a .pdf, .xml, .nxml or .txt file")
    body = file.read_bytes()
    _check_attachment(file, body, media_type)
    digest = hashlib.sha256(body).hexdigest()
    folder = project_dir / FULLTEXT_DIR
    folder.mkdir(exist_ok=True)
    target = folder / f"{record_id}-attached-{digest[:12]}{file.suffix.lower()}"
    shutil.copyfile(file, target)
    item = _record_row(store, record_id, study_id, "manual", "attached", path=target,
                       media_type=media_type, sha256=digest, project_dir=project_dir)
    store.log("fulltext", "fulltext.attach", subject=str(record_id),
              detail={"file": str(file), "path": item["path"], "sha256": digest})
    return item


def _check_attachment(file: Path, body: bytes, media_type: str) -> None:
    if media_type == "application/pdf" and not body.startswith(b"%PDF-"):
        raise FulltextError(f"{file}: not a PDF (it does not start with %PDF-)")
    if media_type == JATS:
        problem = jats_problem(body)
        if problem:
            raise FulltextError(f"{file}: {problem}")
    if media_type == "text/plain":
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise FulltextError(f"{file}: not UTF-8 text (byte {error.start})") from None


def fulltext_status(store: Store) -> dict[str, Any]:
    """Latest outcome per report: retrieved, attached, or not retrieved (with reasons)."""
    rows = fulltexts_table.latest_fulltexts(store)
    counts: dict[str, int] = {}
    reasons: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
        if row.status == "not_retrieved":
            # Reasons read "<category>: <detail>"; PRISMA wants them counted by category.
            key = (row.reason or "").split(":")[0]
            reasons[key] = reasons.get(key, 0) + 1
    return {"sought": len(rows), "retrieved": counts.get("retrieved", 0),
            "attached": counts.get("attached", 0), "not_retrieved": counts.get("not_retrieved", 0),
            "not_retrieved_reasons": reasons}
