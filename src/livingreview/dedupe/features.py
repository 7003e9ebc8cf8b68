"""One record reduced to the normalised fields the matcher compares."""

from __future__ import annotations

from dataclasses import dataclass

from livingreview.dedupe import normalise as norm
from livingreview.records import is_registry_entry

# Enough of an abstract to recognise the same text; the rest adds cost, not evidence.
ABSTRACT_PREFIX = 300


@dataclass(slots=True)
class Features:
    id: int
    study_id: int | None
    title: str
    title_numbers: tuple[str, ...]
    title_words: int
    surnames: tuple[str, ...]
    year: int | None
    journal: tuple[str, ...]
    volume: str
    first_page: str
    last_page: str
    abstract: str
    doi: str | None
    pmid: str | None
    pmcid: str | None
    nct_ids: tuple[str, ...]
    registry: bool
    preprint: bool
    conference: bool
    erratum: bool

    @property
    def is_new(self) -> bool:
        """Not yet through deduplication: it has no study."""
        return self.study_id is None

    @property
    def single_nct(self) -> str | None:
        """The one registry number a report names; several usually mean a pooled analysis."""
        return self.nct_ids[0] if len(self.nct_ids) == 1 else None


def record_features(
    *,
    id: int,
    study_id: int | None,
    source: str,
    source_id: str | None,
    title: str | None,
    abstract: str | None,
    authors: list[str],
    journal: str | None,
    year: int | None,
    volume: str | None,
    issue: str | None,
    pages: str | None,
    doi: str | None,
    pmid: str | None,
    pmcid: str | None,
    nct_ids: list[str],
    publication_types: list[str],
) -> Features:
    erratum, says_abstract = norm.title_markers(title)
    registry = is_registry_entry(source, source_id)
    registry_numbers = set(nct_ids)
    if registry and source_id and source_id.strip().upper().startswith("NCT"):
        registry_numbers.add(source_id.strip().upper())
    normalised_title = norm.normalise_title(title)
    first_page, last_page = norm.page_range(pages)
    return Features(
        id=id,
        study_id=study_id,
        title=normalised_title,
        title_numbers=norm.number_tokens(normalised_title),
        title_words=len(normalised_title.split()),
        surnames=tuple(norm.author_surnames(authors)),
        year=year,
        journal=norm.journal_tokens(journal),
        volume=norm.volume_key(volume),
        first_page=first_page,
        last_page=last_page,
        # Spelling rules cost more than they help on an abstract compared only for agreement.
        abstract=norm.normalise_text(abstract, unify_spelling=False)[:ABSTRACT_PREFIX],
        doi=doi,
        pmid=pmid,
        pmcid=pmcid,
        nct_ids=tuple(sorted(registry_numbers)),
        registry=registry,
        preprint=norm.is_preprint(doi, journal, source),
        conference=norm.is_conference_abstract(publication_types, says_abstract, first_page, volume, issue),
        erratum=erratum,
    )
