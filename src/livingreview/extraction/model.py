"""What a suggestion is: a value with the spans of text (or registry paths) it was read from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

EXTRACTOR = "rules"
# Bumped whenever a rule changes what it suggests, so a stored suggestion says which rules made it.
EXTRACTOR_VERSION = "1.1.0"

NOT_STATED = "not-stated"


@dataclass(frozen=True)
class Evidence:
    """Where a value was read: a record's field and the character span of it, or a registry path.

    `field` is "title" or "abstract", "registry:<JSON path>" for a ClinicalTrials.gov record, or
    "jats:<section title>" for a full text; `start`/`end` index that field's text (None for a
    registry value, whose path is exact).
    """

    record_id: int | None
    field: str
    start: int | None
    end: int | None
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"record_id": self.record_id, "field": self.field, "start": self.start,
                "end": self.end, "text": self.text, "extractor": EXTRACTOR,
                "extractor_version": EXTRACTOR_VERSION}


@dataclass
class Suggestion:
    """One field's suggested value. `flags` say what a reviewer must check (unparsed numbers)."""

    value: Any
    evidence: list[Evidence] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "evidence": [e.to_json() for e in self.evidence],
                "flags": list(self.flags)}

    @property
    def stated(self) -> bool:
        return self.value not in (None, NOT_STATED, [])


@dataclass
class StudySuggestions:
    """Every field of one study (study-level) and its outcomes (outcome-level fields each)."""

    fields: dict[str, Suggestion] = field(default_factory=dict)
    outcomes: list[dict[str, Suggestion]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "fields": {name: s.to_json() for name, s in self.fields.items()},
            "outcomes": [{name: s.to_json() for name, s in outcome.items()} for outcome in self.outcomes],
        }
