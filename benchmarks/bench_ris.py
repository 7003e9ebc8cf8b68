"""RIS: our parser against rispy 0.10 on the real exports in ../shared/fixtures/exports.

    .venv/bin/python benchmarks/bench_ris.py [--copies 200]

For every RIS file: records read by each, and for each record whether the two agree on title,
authors, year and DOI (rispy's values mapped to ours: first four-digit year, T1/TI title, AU/A1
authors). Then the files are concatenated --copies times and both parse the result: wall time
and ratio. Also the variants that real exporters produce and where the two differ: one space
before the dash ('TY - JOUR'), where rispy silently returns no record.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

EXPORTS = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures" / "exports"
SINGLE_SPACED = "TY - JOUR\nTI - Single spaced tags\nAU - Doe, J\nPY - 2020\nER - \n"


def ours(path: Path) -> list[dict[str, Any]]:
    from livingreview.importers.encoding import detect_encoding
    from livingreview.importers.ris import RisImporter

    return [{"title": r.title, "authors": r.authors, "year": r.year, "doi": r.doi}
            for r in RisImporter().parse(path, detect_encoding(path).name)]


def theirs(path: Path) -> list[dict[str, Any]]:
    import rispy

    from livingreview.importers.encoding import detect_encoding

    with path.open(encoding=detect_encoding(path).name) as handle:
        entries = rispy.load(handle)
    return [_their_entry(entry) for entry in entries]


def _their_entry(entry: dict[str, Any]) -> dict[str, Any]:
    year = re.search(r"\d{4}", str(entry.get("year") or entry.get("publication_year") or ""))
    doi = entry.get("doi")
    return {"title": entry.get("title") or entry.get("primary_title"),
            "authors": entry.get("authors") or entry.get("first_authors") or [],
            "year": int(year.group()) if year else None,
            "doi": doi.strip() if isinstance(doi, str) else doi}


def _files() -> list[Path]:
    return sorted(p for p in EXPORTS.glob("*") if p.suffix in (".ris", ".txt") and "web_of" not in p.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=200)
    arguments = parser.parse_args()
    if not EXPORTS.is_dir():
        sys.exit(f"{EXPORTS} is absent: this benchmark reads the shared fixtures")
    agree = total = 0
    for path in _files():
        mine, other = ours(path), theirs(path)
        same = sum(a == b for a, b in zip(mine, other))
        agree, total = agree + same, total + max(len(mine), len(other))
        print(f"{path.name:28} ours {len(mine):4}  rispy {len(other):4}  records agreeing {same}")
    print(f"records agreeing on title, authors, year and DOI: {agree}/{total}")
    with tempfile.TemporaryDirectory() as folder:
        single = Path(folder) / "single.ris"
        single.write_text(SINGLE_SPACED, encoding="utf-8")
        print(f"'TY - JOUR' (one space): ours {len(ours(single))} record, rispy {len(theirs(single))}")
        big = Path(folder) / "big.ris"
        text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in _files()
                         if p.read_bytes()[:3] != b"\xef\xbb\xbf")
        big.write_text((text + "\n") * arguments.copies, encoding="utf-8")
        start = time.perf_counter()
        count = len(ours(big))
        ours_s = time.perf_counter() - start
        start = time.perf_counter()
        theirs(big)
        theirs_s = time.perf_counter() - start
    print(f"{count} records: ours {ours_s:.2f} s, rispy {theirs_s:.2f} s, ratio {theirs_s / ours_s:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
