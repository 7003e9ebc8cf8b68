"""Decide a text file's encoding: BOMs first, then strict UTF-8, then GB18030 / cp1252 / latin-1.

Chinese database exports (CNKI, Wanfang, VIP) are often GBK. cp1252 decodes almost any byte, so
GBK text would be read as mojibake without a word of warning; it is told apart by its shape:
Chinese runs of non-ASCII bytes are long (a word is several two-byte characters), while Western
text in cp1252 has one or two accented letters at a time."""

from __future__ import annotations

import codecs
import re
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
# GB18030 is chosen when it decodes the whole file and at least this share of the non-ASCII bytes
# sit in runs of four or more (two or more Chinese characters in a row).
_CJK_RUN_SHARE = 0.6
_NON_ASCII_RUN = re.compile(rb"[\x80-\xff]+")


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
    fallback = _legacy_encoding(path)
    return Encoding(
        fallback,
        f"{path}: not valid UTF-8 (first bad byte at offset {position}); read as {fallback}",
    )


def _legacy_encoding(path: Path) -> str:
    if _decodes(path, "gb18030") and _long_non_ascii_runs(path):
        return "gb18030"
    return "cp1252" if _decodes(path, "cp1252") else "latin-1"


def _long_non_ascii_runs(path: Path) -> bool:
    in_long_runs = total = 0
    with path.open("rb") as handle:
        # A run cut at a chunk boundary counts as two shorter runs: slightly conservative.
        while chunk := handle.read(_CHUNK):
            for run in _NON_ASCII_RUN.finditer(chunk):
                length = run.end() - run.start()
                total += length
                in_long_runs += length if length >= 4 else 0
    return total > 0 and in_long_runs / total >= _CJK_RUN_SHARE


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
