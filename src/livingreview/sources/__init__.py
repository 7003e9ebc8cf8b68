"""Live bibliographic and registry sources (PubMed, Europe PMC, ClinicalTrials.gov), with every
raw response kept as a snapshot that can be replayed offline."""

from livingreview.sources._transport import SourceDown, SourceError, SourceRejected
from livingreview.sources.queries import SourceQuery, build_query
from livingreview.sources.search import (
    MalformedPage,
    NoSnapshot,
    SearchOutcome,
    run_search,
)
from livingreview.sources.settings import SourceSettings

__all__ = [
    "MalformedPage", "NoSnapshot", "SearchOutcome", "SourceDown", "SourceError", "SourceQuery",
    "SourceRejected", "SourceSettings", "build_query", "run_search",
]
