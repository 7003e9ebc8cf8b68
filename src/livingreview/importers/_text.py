"""Small helpers the text-format importers share: numbered lines, years and pages from messy text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

# A plausible publication year standing alone (not part of a longer number such as an ISSN).
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


def numbered_lines(path: Path, encoding: str) -> Iterator[tuple[int, str]]:
    """(line number, line with its own line ending) pairs, read one at a time.

    `newline=""` keeps each line's exact ending so that records can keep their verbatim text.
    """
    with open(path, encoding=encoding, newline="") as handle:
        for number, line in enumerate(handle, start=1):
            yield number, (line.lstrip("\ufeff") if number == 1 else line)


def strip_ending(line: str) -> str:
    return line.rstrip("\r\n")


def year_from(*texts: str | None) -> int | None:
    """The first plausible year in the first text that has one ('2019//', 'Jun 2011', '2020///nan')."""
    for text in texts:
        if text:
            match = _YEAR.search(text)
            if match:
                return int(match.group(1))
    return None


def pages_from(start: str | None, end: str | None) -> str | None:
    """'start-end', or whichever exists; text without a digit (Ovid's 'No'/'Specified') is dropped."""
    start, end = (start or "").strip(), (end or "").strip()
    if not re.search(r"\d", start):
        start = ""
    if not re.search(r"\d", end):
        end = ""
    if start and end and "-" not in start:
        return f"{start}-{end}"
    return start or end or None


def present(text: str | None) -> str | None:
    """The text with surrounding whitespace removed, or None when nothing is left."""
    if text is None:
        return None
    text = text.strip()
    return text or None
