"""What the text-format importers share: numbered lines, tagged records, years and pages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from livingreview.importers.base import ImportFormatError

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


def field_values(fields: Iterable[tuple[str, list[str]]], *, joiner: str = " ",
                 list_tags: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """Each tag's non-empty values in order. A field's continuation lines are joined with
    `joiner`, except in `list_tags`, where every line is a value of its own (one author each)."""
    values: dict[str, list[str]] = {}
    for tag, lines in fields:
        if tag in list_tags:
            values.setdefault(tag, []).extend(v for v in (present(line) for line in lines) if v)
        else:
            text = present(joiner.join(lines))
            if text:
                values.setdefault(tag, []).append(text)
    return values


def first_value(values: dict[str, list[str]], *tags: str) -> str | None:
    """The first value of the first of `tags` that has one."""
    return next((values[tag][0] for tag in tags if values.get(tag)), None)


@dataclass
class TaggedBlock:
    """One record of a tagged format: its verbatim lines and its (tag, lines) fields in order."""

    start_line: int
    lines: list[str] = field(default_factory=list)
    fields: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass(frozen=True)
class TaggedSyntax:
    """How a begin-tag ... end-tag format (RIS, Web of Science) lays out its records."""

    name: str
    tag: re.Pattern[str]  # group 1 is the tag, group 2 the value
    begin: str
    end: str
    shown_begin: str  # how messages write the tags, e.g. "'TY  -'"
    shown_end: str
    continuation: re.Pattern[str]  # a line that continues the field above
    between: re.Pattern[str]  # text allowed between records
    file_tags: frozenset[str] = frozenset()  # tags of the file's own header/trailer


def tagged_blocks(path: Path, encoding: str, syntax: TaggedSyntax) -> Iterator[TaggedBlock]:
    """The file's records, streamed; checks that every begin tag produced one record."""
    starts = produced = number = 0
    block: TaggedBlock | None = None
    for number, line in numbered_lines(path, encoding):
        text = strip_ending(line)
        match = syntax.tag.match(text)
        tag, value = (match.group(1), match.group(2) or "") if match else (None, "")
        starts += tag == syntax.begin
        if block is None:
            if tag == syntax.begin:
                block = TaggedBlock(number, [line], [(tag, [value])])
            elif tag == syntax.end:
                raise ImportFormatError(path, f"{syntax.shown_end} ends a record that no "
                                        f"{syntax.shown_begin} began", line=number, record=produced + 1)
            elif tag not in syntax.file_tags and not syntax.between.match(text):
                raise ImportFormatError(path, f"{syntax.shown_begin} to begin a record",
                                        line=number, record=produced + 1)
            continue
        block.lines.append(line)
        if tag == syntax.end:
            produced += 1
            yield block
            block = None
        elif tag == syntax.begin or tag in syntax.file_tags:
            raise ImportFormatError(
                path, f"{syntax.shown_end} to end the record that began on line {block.start_line} "
                "before this line", line=number, record=produced + 1)
        elif tag:
            block.fields.append((tag, [value]))
        elif syntax.continuation.match(text):
            block.fields[-1][1].append(text.strip())
        else:
            raise ImportFormatError(path, "a tagged line or a continuation of the field above",
                                    line=number, record=produced + 1)
    if block is not None:
        raise ImportFormatError(
            path, f"{syntax.shown_end} to end the record that began on line {block.start_line}; "
            "the file ends inside it", line=number, record=produced + 1)
    if starts != produced:
        raise ImportFormatError(
            path, f"{starts} records ({syntax.shown_begin} lines) but {produced} were read")
    if produced == 0:
        raise ImportFormatError(path, f"at least one {syntax.name} record ({syntax.shown_begin} ... "
                                f"{syntax.shown_end})", line=1)
