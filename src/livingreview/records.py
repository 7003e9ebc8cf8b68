"""The normalised bibliographic record shared by importers, sources and the store."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_DOI = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)
_NCT = re.compile(r"\bNCT\d{8}\b", re.IGNORECASE)
_REGISTRY_SOURCES = ("ctgov", "clinicaltrials", "ictrp", "registry", "euctr", "isrctn")
_REGISTRY_ID = re.compile(r"(?:NCT\d{8}|ISRCTN\d{8}|EUCTR[\d-]+\w*)", re.IGNORECASE)


@dataclass
class Record:
    """One retrieved record. `raw` is the verbatim source text it was parsed from."""

    source: str
    raw: str
    source_id: str | None = None
    title: str | None = None
    abstract: str | None = None
    authors: list[str] = field(default_factory=list)
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    nct_ids: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    mesh: list[str] = field(default_factory=list)
    publication_types: list[str] = field(default_factory=list)
    language: str | None = None
    label: int | None = None
    extra: dict[str, object] = field(default_factory=dict)
    # Set once the record is stored.
    id: int | None = None
    study_id: int | None = None

    def normalise(self) -> Record:
        """Canonical identifier forms; idempotent. Called by the store before insertion."""
        self.doi = normalise_doi(self.doi)
        self.pmid = normalise_pmid(self.pmid)
        self.pmcid = normalise_pmcid(self.pmcid)
        found = set(n.upper() for n in self.nct_ids)
        for text in (self.title, self.abstract):
            if text:
                found.update(m.upper() for m in _NCT.findall(text))
        self.nct_ids = sorted(found)
        self.title = _clean(self.title)
        self.abstract = _clean(self.abstract)
        self.journal = _clean(self.journal)
        return self


_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def author_year(record: Record) -> str | None:
    """"Hess 2024": the first author's surname ("Hess, Emily M" or "Hess EM": before the comma,
    else before the initials) and the year; None without either."""
    if not record.authors or not record.year:
        return None
    first = record.authors[0]
    words = first.split(",")[0].split() if "," in first else first.split()
    initials_last = "," not in first and len(words) > 1 and words[-1].isupper()
    return f"{' '.join(words[:-1] if initials_last else words)} {record.year}"


def is_registry_entry(source: str, source_id: str | None) -> bool:
    """A trial registration rather than a report of the trial."""
    return any(s in source.lower() for s in _REGISTRY_SOURCES) or bool(
        source_id and _REGISTRY_ID.fullmatch(source_id.strip())
    )


def _clean(text: str | None) -> str | None:
    """Whitespace collapsed, and HTML character references that exports leave in titles and
    abstracts (`&lt;`, `&#946;`) decoded; `raw` keeps them as they came."""
    if text is None:
        return None
    if _ENTITY.search(text):
        text = html.unescape(text)
    text = " ".join(text.split())
    return text or None


def normalise_doi(doi: str | None) -> str | None:
    if not doi:
        return None
    match = _DOI.search(doi.strip())
    if not match:
        return None
    return match.group(0).rstrip(".,;").lower()


def normalise_pmid(pmid: str | int | None) -> str | None:
    if pmid is None:
        return None
    digits = re.sub(r"\D", "", str(pmid))
    return digits.lstrip("0") or None


def normalise_pmcid(pmcid: str | None) -> str | None:
    if not pmcid:
        return None
    match = re.search(r"(?:PMC)?\s*(\d+)", pmcid.strip(), re.IGNORECASE)
    return f"PMC{match.group(1)}" if match else None
