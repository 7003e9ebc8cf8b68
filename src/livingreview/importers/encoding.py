"""Decide a text file's encoding: BOMs first, then strict UTF-8, then cp1252 / latin-1."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Encoding:
    name: str
    warning: str | None = None


def detect_encoding(path: Path) -> Encoding:
    """Reads the file in chunks (constant memory) to check that UTF-8 decodes throughout."""
    with path.open("rb") as handle:
        head = handle.read(4)
        for bom, name in _BOMS:
            if head.startswith(bom):
                return Encoding(name)
        if _looks_like_bomless_utf16(head):
            return Encoding("utf-16-le" if head[1] == 0 else "utf-16-be")
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        offset = 0
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
                offset += len(chunk)
            decoder.decode(b"", final=True)
            return Encoding("utf-8")
        except UnicodeDecodeError as error:
            position = offset + error.start
    fallback = "cp1252" if _decodes(path, "cp1252") else "latin-1"
    return Encoding(
        fallback,
        f"{path}: not valid UTF-8 (first bad byte at offset {position}); read as {fallback}",
    )


def _looks_like_bomless_utf16(head: bytes) -> bool:
    return len(head) >= 4 and ((head[0] != 0 and head[1] == 0 and head[3] == 0) or
                               (head[0] == 0 and head[2] == 0 and head[1] != 0))


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            return True
        except UnicodeDecodeError:
            return False
