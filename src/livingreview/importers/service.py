"""Import one file into a review: all or nothing, verbatim copy kept, re-imports detected.

The verbatim copy is written under a name of its own (`.SHA256.PID-TOKEN@HOST.partial`) and renamed
into place only once the import's transaction has committed, so an import that fails (or loses
a race with another process importing the same bytes) never touches a copy another import owns.
Copies left by an import that was killed or ran out of disk are cleaned up by the next import.
"""

from __future__ import annotations

import dataclasses
import errno
import functools
import hashlib
import os
import re
import secrets
import shutil
import socket
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from livingreview.errors import BadInput
from livingreview.importers.base import ImportFormatError, detect_format, get_importer
from livingreview.importers.databases import guess_database
from livingreview.importers.encoding import detect_encoding
from livingreview.records import Record
from livingreview.store import Store
from livingreview.store import imports as imports_table
from livingreview.store.db import StoreUnavailable

_HEAD_BYTES = 8192
_PARTIAL = ".partial"
_COPY_NAME = re.compile(r"^[0-9a-f]{12}-")
# A partial copy from another host cannot be checked for a live owner: it is left this long.
_FOREIGN_PARTIAL_AGE = 24 * 3600.0
# Leading bytes of packed or binary files people export by mistake, and what to say about them.
_PACKED = (
    (b"\x1f\x8b", "looks like gzip; unpack it first (gunzip)"),
    (b"PK\x03\x04", "looks like a zip archive (or an .xlsx workbook); unpack it, or save the "
                     "sheet as CSV, first"),
    (b"BZh", "looks like bzip2; unpack it first (bunzip2)"),
    (b"\xfd7zXZ\x00", "looks like xz; unpack it first (unxz)"),
    (b"7z\xbc\xaf\x27\x1c", "looks like a 7-Zip archive; unpack it first"),
    (b"%PDF", "is a PDF, not a text export of records"),
)


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
    the file (`importers.databases`), else left unknown (`ImportResult.database` is None).

    `imports_dir` is the project's `imports/` folder; the copy is stored relative to the
    project folder (its parent). A pipe or device (`/dev/stdin`, a FIFO, `<(zcat x.ris.gz)`)
    can be read only once, so it is first spooled to a temporary file; messages still name it."""
    path = Path(path)
    import_as = functools.partial(_import, store, imports_dir, shown=path, format=format,
                                  options=options, on_record=on_record, source_name=source_name)
    if not _is_pipe_or_device(path):
        return import_as(path)
    with tempfile.TemporaryDirectory(prefix="livingreview-spool-") as folder:
        spool = Path(folder) / (path.name or "input")
        _copy_in(path, spool)
        try:
            result = import_as(spool)
        except ImportFormatError as error:
            raise ImportFormatError(path, error.expected, line=error.line, record=error.record) from None
    return dataclasses.replace(result, warnings=tuple(
        warning.replace(str(spool), str(path)) for warning in result.warnings))


def _is_pipe_or_device(path: Path) -> bool:
    try:
        return not stat.S_ISREG(path.stat().st_mode) and not path.is_dir()
    except OSError:
        return False  # a missing or unreadable file is reported where it is opened


def _import(store: Store, imports_dir: Path, path: Path, *, shown: Path, format: str | None,
            options: dict[str, object] | None, on_record: Callable[[int], None] | None,
            source_name: str | None) -> ImportResult:
    """Import `path`, recorded and reported as `shown` (they differ for a spooled pipe)."""
    started = time.time()
    refuse_binary(path, shown)
    digest = sha256_of(path)
    if imports_dir.is_dir():
        sweep_orphan_copies(store, imports_dir, started)
    earlier = imports_table.import_by_sha256(store, digest)
    if earlier:
        return _skipped(store, shown, digest, earlier, "the same bytes were imported before")

    encoding = detect_encoding(path)
    head = read_head(path, encoding.name)
    format = format or detect_format(path, head)
    database = (source_name or "").strip() or guess_database(format, head)
    importer = get_importer(format)(**(options or {}))
    _make_folder(imports_dir)
    copy = imports_dir / f"{digest[:12]}-{shown.name}"
    owner = f"{os.getpid()}-{secrets.token_hex(4)}@{socket.gethostname()}"
    partial = imports_dir / f".{digest}.{owner}{_PARTIAL}"
    try:
        _copy_in(path, partial)
        with store.transaction():
            # Read again under the write lock: another process may have imported the same
            # bytes while this one was copying or waiting for the lock.
            earlier = imports_table.import_by_sha256(store, digest)
            if earlier is None:
                import_id = imports_table.add_import(
                    store, path=str(shown), stored_copy=copy.relative_to(imports_dir.parent).as_posix(),
                    sha256=digest, format=format, encoding=encoding.name, source_name=database)
                records = _counting(importer.parse(path, encoding.name), on_record)
                count = store.insert_records(records, import_id=import_id)
                imports_table.set_record_count(store, import_id, count)
                store.log("import", "import.file", subject=str(shown),
                          detail={"import_id": import_id, "records": count, "format": format,
                                  "encoding": encoding.name, "sha256": digest,
                                  "database": database})
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if earlier is not None:
        partial.unlink(missing_ok=True)
        return _skipped(store, shown, digest, earlier,
                        "another livingreview process imported the same bytes at the same time")
    os.replace(partial, copy)
    warnings = ((encoding.warning,) if encoding.warning else ()) + tuple(importer.warnings)
    return ImportResult(shown, format, encoding.name, count, False, import_id, warnings, database)


def _skipped(store: Store, path: Path, digest: str, earlier: imports_table.ImportRow,
             why: str) -> ImportResult:
    store.log("import", "import.skipped", subject=str(path),
              detail={"sha256": digest, "same_as_import": earlier.id}, why=why)
    return ImportResult(path, earlier.format, earlier.encoding, earlier.record_count, True,
                        earlier.id, database=earlier.source_name)


def refuse_binary(path: Path, shown: Path | None = None) -> None:
    """A packed (gzip, zip, ...) or binary file is refused by name before anything is stored."""
    name = shown or path
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    for magic, what in _PACKED:
        if head.startswith(magic):
            raise BadInput(f"{name} {what}")
    if b"\x00" in head and not _looks_like_utf16(head):
        raise BadInput(f"{name} is a binary file, not a text export of records (it holds NUL "
                       "bytes); export the records as RIS, MEDLINE, XML, CSV or BibTeX")


def _looks_like_utf16(head: bytes) -> bool:
    """UTF-16 or UTF-32 text (with or without a BOM) holds NULs too, but in a regular pattern."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    # Without a BOM: NULs all on one side of each pair, and many of them (ASCII letters).
    even, odd = head[0::2], head[1::2]
    for nuls, others in ((even, odd), (odd, even)):
        if b"\x00" not in others and nuls.count(0) >= len(nuls) / 4:
            return True
    return False


def sweep_orphan_copies(store: Store, imports_dir: Path, before: float) -> list[Path]:
    """Remove copies no import owns: a partial copy whose process is gone (killed, or stopped
    by a full disk), and a named copy with no imports row that is older than `before` (the
    start of the running import). A partial copy whose import did commit (killed between the
    commit and the rename) is renamed into place instead. Returns the files removed."""
    owned = imports_table.stored_copy_names(store)
    removed = []
    for entry in sorted(imports_dir.iterdir()):
        if not entry.is_file():
            continue
        if entry.name.endswith(_PARTIAL):
            digest = entry.name[1:].split(".", 1)[0]
            if not _abandoned(entry):
                continue
            finished = owned.get(digest)
            if finished and not (imports_dir / finished).exists():
                os.replace(entry, imports_dir / finished)
                continue
        elif (not _COPY_NAME.match(entry.name) or entry.name in owned.values()
              or entry.stat().st_mtime >= before):
            continue
        entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


def _abandoned(partial: Path) -> bool:
    """True when the process that wrote `partial` is gone (or, on another host, long ago)."""
    owner = partial.name[1:].removesuffix(_PARTIAL).split(".", 1)[-1]
    process, _, host = owner.partition("@")
    pid = process.split("-", 1)[0]
    if host != socket.gethostname() or not pid.isdigit():
        return time.time() - partial.stat().st_mtime > _FOREIGN_PARTIAL_AGE
    if int(pid) == os.getpid():
        return False  # another import in this process (a thread) is writing it
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, owned by another user
    return False


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        expected = _unwritable(folder, error)
        if expected is None:
            raise
        raise expected from error


def _copy_in(source: Path, target: Path) -> None:
    try:
        # copyfileobj, not copyfile: copyfile refuses pipes, which are spooled through here.
        with source.open("rb") as reading, target.open("wb") as writing:
            shutil.copyfileobj(reading, writing, 1 << 20)
    except OSError as error:
        target.unlink(missing_ok=True)
        expected = _unwritable(target.parent, error)
        if expected is None:
            raise
        raise expected from error


def _unwritable(folder: Path, error: OSError) -> StoreUnavailable | None:
    """A full disk or a read-only folder as the expected error it is; None for others."""
    if error.errno == errno.ENOSPC:
        return StoreUnavailable(f"cannot copy the file into {folder}: the disk is full; nothing "
                                "was imported, free some space and run the command again")
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StoreUnavailable(f"cannot write into {folder}: {error.strerror}; nothing was "
                                "imported")
    return None


def _counting(records: Iterator[Record], on_record: Callable[[int], None] | None) -> Iterator[Record]:
    for number, record in enumerate(records, start=1):
        if on_record:
            on_record(number)
        yield record
