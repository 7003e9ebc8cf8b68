"""Page-sized JSON files (Europe PMC, ClinicalTrials.gov): load with line-numbered errors, and
recover each result's verbatim text so a record's `raw` is the bytes the source sent."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livingreview.importers.base import ImportFormatError

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def load_json(path: Path, encoding: str, expected: str) -> tuple[Any, str]:
    """The parsed document and its text; malformed JSON raises ImportFormatError at its line."""
    text = path.read_text(encoding=encoding).lstrip("\ufeff")
    try:
        return json.loads(text), text
    except json.JSONDecodeError as error:
        raise ImportFormatError(path, f"{expected}: not valid JSON ({error.msg} at column {error.colno})",
                                line=error.lineno) from None


@dataclass(frozen=True)
class ItemText:
    """One array item as the file holds it, and the line it starts on (for error messages)."""

    text: str
    line: int


def array_items(text: str, keys: tuple[str, ...]) -> list[ItemText] | None:
    """The verbatim text of each item of the array at `keys` (object members, outermost first).

    `text` must already have parsed as JSON. Returns None when the path does not lead to an array.
    """
    position = _skip(text, 0)
    for key in keys:
        if text[position] != "{":
            return None
        found = _member_value_start(text, position, key)
        if found is None:
            return None
        position = found
    if text[position] != "[":
        return None
    items, line, previous = [], 1, 0
    for start, end in _items(text, position):
        line += text.count("\n", previous, start)
        previous = start
        items.append(ItemText(text[start:end], line))
    return items


def _skip(text: str, position: int) -> int:
    match = _WHITESPACE.match(text, position)
    return match.end() if match else position


def _member_value_start(text: str, brace: int, wanted: str) -> int | None:
    position = _skip(text, brace + 1)
    while text[position] != "}":
        key, position = _DECODER.raw_decode(text, position)
        position = _skip(text, _skip(text, position) + 1)  # past the colon
        if key == wanted:
            return position
        _, position = _DECODER.raw_decode(text, position)
        position = _skip(text, position)
        if text[position] == ",":
            position = _skip(text, position + 1)
    return None


def _items(text: str, bracket: int) -> list[tuple[int, int]]:
    items = []
    position = _skip(text, bracket + 1)
    while text[position] != "]":
        _, end = _DECODER.raw_decode(text, position)
        items.append((position, end))
        position = _skip(text, end)
        if text[position] == ",":
            position = _skip(text, position + 1)
    return items


def as_dict(value: object) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one: absent and malformed read alike."""
    return value if isinstance(value, dict) else {}


def canonical_json(value: Any) -> str:
    """The text kept as `raw` when only the parsed value exists (an HTTP response already decoded)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
