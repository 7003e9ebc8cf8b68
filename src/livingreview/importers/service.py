"""Import one file into a review: all or nothing, verbatim copy kept, re-imports detected."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from livingreview.importers.base import detect_format, get_importer
from livingreview.importers.databases import guess_database
from livingreview.importers.encoding import detect_encoding
from livingreview.records import Record
from livingreview.store import Store
from livingreview.store import imports as imports_table

_HEAD_BYTES = 8192


@dataclass(frozen=True)
class ImportResult:
    path: Path
    format: str
    encoding: str
    records: int
    already_imported: bool
    import_id: int
    warnings: tuple[str, ...] = ()
    # The database the file came from (PRISMA counts per database), None when not known.
    database: str | None = None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def read_head(path: Path, encoding: str) -> str:
    with path.open("rb") as handle:
        return handle.read(_HEAD_BYTES).decode(encoding, errors="replace").lstrip("\ufeff")


def import_file(
    store: Store,
    imports_dir: Path,
    path: Path,
    *,
    format: str | None = None,
    options: dict[str, object] | None = None,
    on_record: Callable[[int], None] | None = None,
    source_name: str | None = None,
) -> ImportResult:
    """Import one file; `source_name` names the database it came from, else it is guessed from
    the file (`importers.databases`), else left unknown (`ImportResult.database` is None)."""
    path = Path(path)
    digest = sha256_of(path)
    earlier = imports_table.import_by_sha256(store, digest)
    if earlier:
        store.log("import", "import.skipped", subject=str(path),
                  detail={"sha256": digest, "same_as_import": earlier.id},
                  why="the same bytes were imported before")
        return ImportResult(path, earlier.format, earlier.encoding, earlier.record_count, True,
                            earlier.id, database=earlier.source_name)

    encoding = detect_encoding(path)
    head = read_head(path, encoding.name)
    format = format or detect_format(path, head)
    database = (source_name or "").strip() or guess_database(format, head)
    importer = get_importer(format)(**(options or {}))
    imports_dir.mkdir(parents=True, exist_ok=True)
    copy = imports_dir / f"{digest[:12]}-{path.name}"
    shutil.copyfile(path, copy)
    try:
        with store.transaction():
            import_id = imports_table.add_import(store, path=str(path), stored_copy=str(copy),
                                                 sha256=digest, format=format,
                                                 encoding=encoding.name, source_name=database)
            records = _counting(importer.parse(path, encoding.name), on_record)
            count = store.insert_records(records, import_id=import_id)
            imports_table.set_record_count(store, import_id, count)
            store.log("import", "import.file", subject=str(path),
                      detail={"import_id": import_id, "records": count, "format": format,
                              "encoding": encoding.name, "sha256": digest,
                              "database": database})
    except BaseException:
        copy.unlink(missing_ok=True)
        raise
    warnings = ((encoding.warning,) if encoding.warning else ()) + tuple(importer.warnings)
    return ImportResult(path, format, encoding.name, count, False, import_id, warnings, database)


def _counting(records: Iterator[Record], on_record: Callable[[int], None] | None) -> Iterator[Record]:
    for number, record in enumerate(records, start=1):
        if on_record:
            on_record(number)
        yield record
