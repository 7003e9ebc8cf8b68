"""Where the sources live and who is asking: defaults, then the user's config file, then the
environment (which wins, so a test or a CI job can point a source at another host)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from livingreview.errors import BadInput

PUBMED_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
EUROPEPMC_URL = "https://www.ebi.ac.uk/europepmc/webservices/rest"
CTGOV_URL = "https://clinicaltrials.gov/api/v2"

# environment variable -> settings field
_ENVIRONMENT = {
    "LIVINGREVIEW_PUBMED_URL": "pubmed_url",
    "LIVINGREVIEW_EUROPEPMC_URL": "europepmc_url",
    "LIVINGREVIEW_CTGOV_URL": "ctgov_url",
    "NCBI_API_KEY": "ncbi_api_key",
    "NCBI_EMAIL": "ncbi_email",
    "LIVINGREVIEW_TIMEOUT": "timeout",
    "LIVINGREVIEW_RETRIES": "retries",
    "LIVINGREVIEW_PAGE_SIZE": "page_size",
    "LIVINGREVIEW_RATE": "rate",
}


@dataclass(frozen=True)
class SourceSettings:
    pubmed_url: str = PUBMED_URL
    europepmc_url: str = EUROPEPMC_URL
    ctgov_url: str = CTGOV_URL
    ncbi_api_key: str | None = None
    ncbi_email: str | None = None
    ncbi_tool: str = "livingreview"
    timeout: float = 60.0
    retries: int = 6
    # None: each source's own default (PubMed efetch 500, Europe PMC 1000, CT.gov 1000).
    page_size: int | None = None
    # None: each source's published limit (NCBI 3/s or 10/s with a key; see each client).
    rate: float | None = None

    def __repr__(self) -> str:
        # Settings get printed in tracebacks and debug logs; the key must not be.
        shown = {f.name: getattr(self, f.name) for f in fields(self)}
        if shown["ncbi_api_key"]:
            shown["ncbi_api_key"] = "***"
        return "SourceSettings(" + ", ".join(f"{k}={v!r}" for k, v in shown.items()) + ")"

    @classmethod
    def load(cls, config_file: Path | None = None,
             environment: dict[str, str] | None = None) -> SourceSettings:
        environment = dict(os.environ if environment is None else environment)
        settings = cls()
        path = config_file or _default_config_file(environment)
        if path is not None and path.exists():
            settings = replace(settings, **_from_config(path))
        for variable, name in _ENVIRONMENT.items():
            if environment.get(variable):
                settings = replace(settings, **{name: _typed(name, environment[variable], variable)})
        return settings


def _default_config_file(environment: dict[str, str]) -> Path | None:
    if environment.get("LIVINGREVIEW_CONFIG"):
        return Path(environment["LIVINGREVIEW_CONFIG"])
    base = environment.get("XDG_CONFIG_HOME") or (
        str(Path(environment["HOME"]) / ".config") if environment.get("HOME") else None)
    return Path(base) / "livingreview" / "config.toml" if base else None


def _from_config(path: Path) -> dict[str, Any]:
    """The `[sources]` table of the user's config file."""
    with path.open("rb") as handle:
        table = tomllib.load(handle).get("sources", {})
    known = {f.name for f in fields(SourceSettings)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise BadInput(f"{path}: unknown key(s) {unknown} in [sources]; known: {sorted(known)}")
    return {name: _typed(name, value, f"{path} [sources].{name}") for name, value in table.items()}


def _typed(name: str, value: Any, where: str) -> Any:
    kinds: dict[str, type] = {"timeout": float, "rate": float, "retries": int, "page_size": int}
    if name not in kinds:
        return str(value)
    try:
        converted = kinds[name](value)
    except (TypeError, ValueError):
        raise BadInput(f"{where}: expected a number, got {value!r}") from None
    if converted <= 0:
        raise BadInput(f"{where}: expected a positive number, got {value!r}")
    return converted
