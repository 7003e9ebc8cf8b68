"""What every importer is, and how a file finds its importer.

An importer turns one file into `Record`s, streaming, and raises `ImportFormatError` naming the
file, the line or record and what it expected. It checks its own count (for example the number
of record-start tags against the records it produced) so that a silently dropped record fails.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from livingreview.errors import BadInput
from livingreview.plugins import load_plugin, plugin_names
from livingreview.records import Record


class ImportFormatError(BadInput):
    """A file that does not hold what its format promises."""

    def __init__(
        self,
        path: Path | str,
        expected: str,
        *,
        line: int | None = None,
        record: int | str | None = None,
    ) -> None:
        self.path, self.expected, self.line, self.record = Path(path), expected, line, record
        where = str(path)
        if line is not None:
            where += f":{line}"
        if record is not None:
            where += f" (record {record})"
        super().__init__(f"{where}: {expected}")


class Importer(ABC):
    """Base class of the built-in importers; third-party ones may subclass it too."""

    name: ClassVar[str]
    description: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]] = ()

    def __init__(self, **options: object) -> None:
        # Options are importer-specific (for example a CSV column map); unknown ones are errors.
        unknown = set(options) - set(self.accepted_options())
        if unknown:
            raise TypeError(f"importer '{self.name}' takes no option(s) {sorted(unknown)}")
        self.options = options
        # Values a parse had to leave out (a year that is no year), each naming its line; the
        # import reports them beside its count so nothing is dropped silently.
        self.warnings: list[str] = []

    @classmethod
    def accepted_options(cls) -> tuple[str, ...]:
        return ()

    @classmethod
    @abstractmethod
    def sniff(cls, head: str, path: Path) -> bool:
        """Whether the first few kilobytes (decoded) look like this format."""

    @abstractmethod
    def parse(self, path: Path, encoding: str) -> Iterator[Record]:
        """Yield the file's records in order; raise ImportFormatError on malformed input."""


def importer_names() -> list[str]:
    return plugin_names("importers")


def get_importer(name: str) -> type[Importer]:
    return load_plugin("importers", name)


def detect_format(path: Path, head: str) -> str:
    """The one importer whose sniff accepts the file; extension breaks ties."""
    matches = [name for name in importer_names() if get_importer(name).sniff(head, path)]
    if len(matches) > 1:
        by_extension = [n for n in matches if path.suffix.lower() in get_importer(n).extensions]
        matches = by_extension or matches
    if not matches:
        raise ImportFormatError(
            path,
            "a recognised format (" + ", ".join(importer_names()) + "); pass --format to choose one",
            line=1,
        )
    return matches[0]
