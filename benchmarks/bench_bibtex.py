"""BibTeX: our parser against bibtexparser 2 (with its LaTeX-decoding middleware), same files.

    .venv/bin/python benchmarks/bench_bibtex.py [--entries 20000]

Accuracy: every field of every entry in `tests/data/bibtex_corpus/` (hand-written cases of what
real exports contain: @string spellings, space before the opener, wrapped author lists, LaTeX
symbol commands, accents, corporate authors, name particles) is compared with `expected.json`;
the score is the share of (entry, field) pairs equal to the expected value. Speed: a file of
--entries entries built from the corpus, parsed once by each, wall time and ratio.

bibtexparser's output is mapped to our conventions (names as 'Last, First' through its
SplitNameParts and MergeNameParts('last') middlewares, en dashes in pages as '-') so that only
real differences count.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "bibtex_corpus"
FIELDS = ("key", "title", "authors", "journal", "year", "volume", "issue", "pages", "doi")


def ours(path: Path) -> list[dict[str, Any]]:
    from livingreview.importers.bibtex import BibtexImporter

    return [{"key": r.source_id, "title": r.title, "authors": r.authors, "journal": r.journal,
             "year": r.year, "volume": r.volume, "issue": r.issue, "pages": r.pages, "doi": r.doi}
            for r in BibtexImporter().parse(path, "utf-8")]


def theirs(path: Path) -> list[dict[str, Any]]:
    import bibtexparser
    from bibtexparser import middlewares

    library = bibtexparser.parse_file(str(path), append_middleware=[
        middlewares.LatexDecodingMiddleware(), middlewares.SeparateCoAuthors(),
        middlewares.SplitNameParts(), middlewares.MergeNameParts("last")])
    return [_their_entry(entry) for entry in library.entries]


def _their_entry(entry: Any) -> dict[str, Any]:
    fields = {name.lower(): value for name, value in
              ((field.key, field.value) for field in entry.fields)}

    def text(name: str) -> str | None:
        value = fields.get(name)
        return " ".join(str(value).split()) or None if value is not None else None

    year = re.search(r"\d{4}", text("year") or "")
    pages = text("pages")
    return {"key": entry.key, "title": text("title"), "authors": fields.get("author", []),
            "journal": text("journal") or text("booktitle"), "year": int(year.group()) if year else None,
            "volume": text("volume"), "issue": text("number"),
            "pages": pages.replace("–", "-").replace("--", "-") if pages else None, "doi": text("doi")}


def accuracy(parse: Any) -> tuple[int, int, list[str]]:
    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    right = total = 0
    misses: list[str] = []
    for name, cases in expected.items():
        try:
            got = {entry["key"]: entry for entry in parse(CORPUS / name)}
        except Exception as error:  # a parser that refuses the file scores nothing on it
            misses.append(f"{name}: refused ({type(error).__name__}: {error})")
            total += len(cases) * len(FIELDS)
            continue
        for case in cases:
            entry = got.get(case["key"], {})
            for field in FIELDS:
                total += 1
                if entry.get(field) == case[field]:
                    right += 1
                else:
                    misses.append(f"{name} {case['key']} {field}: {entry.get(field)!r}")
    return right, total, misses


def speed(parse: Any, path: Path) -> float:
    start = time.perf_counter()
    parse(path)
    return time.perf_counter() - start


def _big_file(entries: int, folder: Path) -> Path:
    blocks = [block for name in ("macros_and_spacing.bib", "latex_text.bib", "comments_and_quirks.bib")
              for block in re.split(r"\n(?=@)", (CORPUS / name).read_text(encoding="utf-8"))]
    strings = [b for b in blocks if b.lower().startswith("@string")]
    records = [b for b in blocks if re.match(r"@(article|misc|inproceedings)", b, re.IGNORECASE)]
    path = folder / "big.bib"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("\n".join(strings) + "\n")
        for number in range(entries):
            block = records[number % len(records)]
            handle.write(re.sub(r"([{(]\s*)([\w]+)(\s*,)", rf"\g<1>\g<2>x{number}\3", block, count=1) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=20000)
    arguments = parser.parse_args()
    for label, parse in (("livingreview", ours), ("bibtexparser 2", theirs)):
        right, total, misses = accuracy(parse)
        print(f"{label:15} fields right {right}/{total} ({right / total:.1%})")
        for miss in misses:
            print(f"    {miss}")
    with tempfile.TemporaryDirectory() as folder:
        path = _big_file(arguments.entries, Path(folder))
        ours_s, theirs_s = speed(ours, path), speed(theirs, path)
    print(f"{arguments.entries} entries: livingreview {ours_s:.2f} s, bibtexparser {theirs_s:.2f} s, "
          f"ratio {theirs_s / ours_s:.1f}x")


if __name__ == "__main__":
    sys.exit(main())
