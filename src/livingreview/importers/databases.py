"""Which database an exported file came from, for PRISMA's "records identified per database".

A file's format says little about its database (Embase, Scopus and PsycINFO all export RIS), so
an import names its database: given by the user (`import --source NAME`), else guessed here from
what the exporters write into the file: RIS `DB` tags (Embase, Scopus, ProQuest), Ovid's
database code in its links (`D=psyc`), the Scopus record link, Web of Science accession numbers,
EndNote's `DP  - NLM` for PubMed, CSV header names (Embase's Emtree
columns, Scopus's EID, PubMed's Create Date, Web of Science's UT), and formats that only one
database writes. No guess is better than a wrong one: anything else returns None.
"""

from __future__ import annotations

import csv
import re

# RIS DB values as exporters write them → the name the review reports.
_DB_NAMES = {"embase": "Embase", "scopus": "Scopus", "medline": "MEDLINE", "pubmed": "PubMed",
             "psycinfo": "APA PsycInfo", "apa psycinfo": "APA PsycInfo", "cinahl": "CINAHL",
             "web of science": "Web of Science", "cochrane library": "Cochrane Library"}
# Ovid's database codes in its record links (`D=psyc16`), by prefix.
_OVID_CODES = (("psyc", "APA PsycInfo"), ("emed", "Embase"), ("emez", "Embase"),
               ("oemezd", "Embase"), ("medl", "MEDLINE"), ("mesz", "MEDLINE"), ("prem", "MEDLINE"),
               ("coch", "Cochrane Library"), ("cctr", "Cochrane CENTRAL"))
_RIS_DB = re.compile(r"^DB  ?- (\S.*?)\s*$", re.MULTILINE)
_RIS_DP = re.compile(r"^DP  ?- (\S.*?)\s*$", re.MULTILINE)
_OVID_LINK = re.compile(r"ovid\S*[?&]D=([a-z]+)", re.IGNORECASE)
_SCOPUS_LINK = re.compile(r"^(?:UR|L1|L2)  ?- https?://www\.scopus\.com/", re.MULTILINE)
_WOS_ACCESSION = re.compile(r"^AN  ?- WOS:\d", re.MULTILINE)
# RIS DP (database provider) values that name one database: EndNote writes "NLM" for PubMed.
_PROVIDERS = {"nlm": "PubMed", **_DB_NAMES}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_LONGEST_NAME = 80
# Formats written by one database only.
_FORMAT_DATABASES = {"wos": "Web of Science", "pubmed-xml": "PubMed",
                     "europepmc-json": "Europe PMC", "ctgov-json": "ClinicalTrials.gov"}
# Registers of trials, as opposed to bibliographic databases (PRISMA's two left-hand boxes).
REGISTERS = frozenset({"clinicaltrials.gov", "who ictrp", "ictrp", "eu ctr", "euctr", "ctis",
                       "isrctn", "anzctr", "chictr", "drks", "ctri", "jrct", "cochrane central"})


def is_register(name: str) -> bool:
    return name.strip().lower() in REGISTERS


def guess_database(format: str, head: str) -> str | None:
    """The database the file's first bytes (`head`) say it came from, or None."""
    if format in _FORMAT_DATABASES:
        return _FORMAT_DATABASES[format]
    if format == "ris":
        return _from_ris(head)
    if format == "medline":
        # PubMed's own export ("PubMed format"); Ovid's MEDLINE output has no PMID- lines.
        return "PubMed" if re.search(r"^PMID- ", head, re.MULTILINE) else None
    if format == "csv":
        return _from_header(head)
    return None


def _from_ris(head: str) -> str | None:
    named = _RIS_DB.search(head)
    if named:
        return _DB_NAMES.get(named.group(1).lower(), _plain_name(named.group(1)))
    ovid = _OVID_LINK.search(head)
    if ovid:
        code = ovid.group(1).lower()
        return next((name for prefix, name in _OVID_CODES if code.startswith(prefix)), None)
    if _SCOPUS_LINK.search(head):
        return "Scopus"
    if _WOS_ACCESSION.search(head):
        return "Web of Science"
    provider = _RIS_DP.search(head)
    return _PROVIDERS.get(provider.group(1).lower()) if provider else None


def _plain_name(text: str) -> str:
    """A database name as a file spells it, without control characters, at most 80 characters."""
    return " ".join(_CONTROL.sub(" ", text).split())[:_LONGEST_NAME]


def _from_header(head: str) -> str | None:
    first_line = head.splitlines()[0] if head else ""
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
        columns = {c.strip().lower() for c in next(csv.reader([first_line], dialect))}
    except (csv.Error, StopIteration):
        return None
    if any(column.startswith("emtree") for column in columns):
        return "Embase"
    if "eid" in columns and ("source title" in columns or "link" in columns):
        return "Scopus"
    if "ut (unique wos id)" in columns or {"pt", "au", "ut"} <= columns:
        return "Web of Science"
    if {"pmid", "create date"} <= columns:
        return "PubMed"
    return None
