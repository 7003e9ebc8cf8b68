"""The PRISMA 2020 checklist filled where the tool knows the answer, and the PRISMA-S table.

The checklist's items (numbers, sections, topics and our own paraphrases) are data, in
`data/prisma2020_items.toml`. `fill_checklist` pairs each item with where the report answers it,
from a mapping of what the tool knows; every other item says it is not known to the tool, for
the authors to answer. The PRISMA-S table (Rethlefsen et al. 2021) lists each search as run:
database, interface, date, query as sent, limits, hits the source reported and records kept.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources

from livingreview.errors import BadInput

NOT_KNOWN = "not known to the tool"
SECTIONS = ("Title", "Abstract", "Introduction", "Methods", "Results", "Discussion",
            "Other information")
_ITEM_ID = re.compile(r"^([1-9][0-9]?)([a-f]?)$")


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    section: str
    topic: str
    text: str

    @property
    def number(self) -> int:
        """The item's number without its part letter (13 for "13d")."""
        return int(self.id.rstrip("abcdef"))


@dataclass(frozen=True)
class ChecklistEntry:
    item: ChecklistItem
    location: str | None

    @property
    def answer(self) -> str:
        return self.location if self.location is not None else NOT_KNOWN


@functools.cache
def checklist_items() -> tuple[ChecklistItem, ...]:
    """The checklist's items in order, read and checked from the package's data file."""
    source = resources.files("livingreview.report").joinpath("data/prisma2020_items.toml")
    raw = tomllib.loads(source.read_text(encoding="utf-8"))
    items: list[ChecklistItem] = []
    for index, entry in enumerate(raw.get("item", []), start=1):
        if set(entry) != {"id", "section", "topic", "text"} or not _ITEM_ID.fullmatch(entry["id"]):
            raise ValueError(f"{source}: item {index} must have id (like 13a), section, topic and "
                             f"text; got {entry!r}")
        if entry["section"] not in SECTIONS:
            raise ValueError(f"{source}: item {entry['id']}: unknown section {entry['section']!r}")
        items.append(ChecklistItem(entry["id"], entry["section"], entry["topic"], entry["text"]))
    return tuple(items)


def fill_checklist(known: Mapping[str, str]) -> list[ChecklistEntry]:
    """Every checklist item with where the report answers it (`known`, by item id like "16a")."""
    items = checklist_items()
    unknown = sorted(set(known) - {item.id for item in items})
    if unknown:
        raise BadInput(f"PRISMA 2020 checklist: no item {', '.join(unknown)} "
                       f"(items are {', '.join(item.id for item in items)})")
    return [ChecklistEntry(item, known.get(item.id)) for item in items]


@dataclass(frozen=True)
class SearchReport:
    """One search as it was run, for the PRISMA-S table."""

    database: str
    interface: str
    date_run: date
    query: str
    hits_reported: int | None
    records_retrieved: int | None
    limits: str = ""


PRISMA_S_COLUMNS = ("Database", "Interface / platform", "Date run", "Query as sent",
                    "Limits and filters", "Hits reported", "Records retrieved")


def prisma_s_rows(searches: Sequence[SearchReport]) -> list[dict[str, str]]:
    """The PRISMA-S table, one row per search in the order run; an unknown count shows as
    "not reported"."""
    rows = []
    for number, search in enumerate(searches, start=1):
        _check_search(number, search)
        rows.append(dict(zip(PRISMA_S_COLUMNS, (
            search.database, search.interface, search.date_run.isoformat(), search.query,
            search.limits or "none", _count(search.hits_reported),
            _count(search.records_retrieved)), strict=True)))
    return rows


def _check_search(number: int, search: SearchReport) -> None:
    for name in ("database", "interface", "query"):
        if not getattr(search, name).strip():
            raise BadInput(f"PRISMA-S search {number}: {name} is empty")
    if not isinstance(search.date_run, date):
        raise BadInput(f"PRISMA-S search {number} ({search.database}): date_run must be a date, "
                       f"got {search.date_run!r}")
    for name in ("hits_reported", "records_retrieved"):
        value = getattr(search, name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise BadInput(f"PRISMA-S search {number} ({search.database}): {name} must be a whole "
                           f"number >= 0 or None, got {value!r}")


def _count(value: int | None) -> str:
    return "not reported" if value is None else f"{value:,}"
