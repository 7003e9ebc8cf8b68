"""Read `protocol.toml` into a validated `Protocol`, with errors that point at file, key and line.

`tomllib` reports syntax errors with their line but forgets positions once parsed, so validation
errors are placed by `_locate`, which scans the source for the table header and key of the
failing path (arrays of tables are counted to find the right element).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from livingreview.errors import BadInput
from livingreview.protocol.models import LocatedError, Protocol


class ProtocolError(BadInput):
    """The protocol could not be read or is invalid. `problems` lists (key, line, message)."""

    def __init__(self, path: Path, problems: list[tuple[str, int | None, str]]) -> None:
        self.path = path
        self.problems = problems
        lines = [
            f"{path}:{line if line else '?'}: {key}: {message}" for key, line, message in problems
        ]
        super().__init__("invalid protocol\n" + "\n".join(lines))


def load_protocol(path: str | Path) -> Protocol:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ProtocolError(path, [("(file)", None, "no such file")]) from None
    return parse_protocol(text, path)


def parse_protocol(text: str, path: Path = Path("protocol.toml")) -> Protocol:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None) or _line_from_message(str(error))
        raise ProtocolError(path, [("(syntax)", line, str(error))]) from None
    try:
        return Protocol.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            location = tuple(item["loc"]) or _located(item)
            key = _dotted(location)
            problems.append((key, _locate(text, location), _message(item)))
        raise ProtocolError(path, problems) from None


def _located(item: ErrorDetails) -> tuple[str | int, ...]:
    """Where a protocol-wide check placed its error (`LocatedError`), else the top level."""
    error = item.get("ctx", {}).get("error")
    return error.location if isinstance(error, LocatedError) else ()


def _message(item: ErrorDetails) -> str:
    message = str(item["msg"]).removeprefix("Value error, ")
    if item["type"] == "extra_forbidden":
        return "unknown key (check its spelling)"
    if item["type"] == "missing":
        return "required key is missing"
    return message


def _dotted(location: tuple[str | int, ...]) -> str:
    parts: list[str] = []
    for part in location:
        if isinstance(part, int):
            parts[-1] = f"{parts[-1]}[{part}]" if parts else f"[{part}]"
        else:
            parts.append(str(part))
    return ".".join(parts) or "(top level)"


def _line_from_message(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def _locate(text: str, location: tuple[str | int, ...]) -> int | None:
    """Best line for a path such as ('vocabularies', 'drug', 'terms', 3, 'classes', 0)."""
    lines = text.splitlines()
    table_path: list[str | int] = []
    array_index: dict[str, int] = {}
    wanted = list(location)
    # Walk the file remembering the current table; score each line by how much of the wanted
    # path it matches, and keep the first line of the deepest match.
    best: int | None = None
    best_depth = -1
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        header = re.match(r"^\[\[\s*([^\]]+?)\s*\]\]$", line) or re.match(r"^\[\s*([^\]]+?)\s*\]$", line)
        if header:
            names = [n.strip().strip('"') for n in header.group(1).split(".")]
            is_array = line.startswith("[[")
            path: list[str | int] = []
            prefix = ""
            for name in names:
                prefix = f"{prefix}.{name}" if prefix else name
                path.append(name)
                if is_array and prefix == ".".join(names):
                    array_index[prefix] = array_index.get(prefix, -1) + 1
                    path.append(array_index[prefix])
                elif prefix in array_index:
                    path.append(array_index[prefix])
            table_path = path
            depth = _common(table_path, wanted)
            if depth > best_depth:
                best, best_depth = number, depth
            continue
        key = re.match(r'^("?)([A-Za-z0-9_.-]+)\1\s*=', line)
        if key:
            full = [*table_path, *key.group(2).split(".")]
            depth = _common(full, wanted)
            if depth > best_depth:
                best, best_depth = number, depth
    return best


def _common(path: list[str | int], wanted: list[str | int]) -> int:
    depth = 0
    for have, want in zip(path, wanted):
        if have != want:
            break
        depth += 1
    # A path longer than what is wanted is not a match for it at that depth.
    return depth if depth == len(path) else -1
