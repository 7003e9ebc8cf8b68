"""Speed of automatic extraction: rule-based suggestions for 10,000 abstracts, time and peak memory.

    .venv/bin/python benchmarks/bench_extract.py [--count 10000] [--json]

The abstracts are the titled and abstracted records of the Cohen 2006 screening sets in
../shared/fixtures, repeated until there are enough; each repeat is perturbed (its sentences
rotated and a record number appended to the title) so that no two texts are the same. The
lexicons are compiled once before timing starts, and that cost is reported on its own.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import time
from pathlib import Path

from livingreview.extraction.service import suggest_study
from livingreview.extraction.text import sentences
from livingreview.protocol import load_protocol
from livingreview.records import Record

ROOT = Path(__file__).resolve().parent.parent
SCREENING = ROOT.parent / "shared" / "fixtures" / "screening"
PROTOCOL = ROOT / "examples" / "glutamate-entactogens" / "protocol.toml"


def fixture_abstracts() -> list[tuple[str, str]]:
    found = []
    for path in sorted(SCREENING.glob("cohen2006_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("title") and row.get("abstract"):
                    found.append((row["title"], row["abstract"]))
    return found


def perturbed(abstracts: list[tuple[str, str]], count: int) -> list[Record]:
    records = []
    for index in range(count):
        title, abstract = abstracts[index % len(abstracts)]
        parts = [s.text for s in sentences(abstract)]
        shift = (index // len(abstracts)) % max(1, len(parts))
        records.append(Record(source="bench", raw="", title=f"{title} [{index}]",
                              abstract=" ".join(parts[shift:] + parts[:shift]), id=index + 1))
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not SCREENING.exists():
        print(f"the screening fixtures are not at {SCREENING}", file=sys.stderr)
        return 1
    protocol = load_protocol(PROTOCOL)
    records = perturbed(fixture_abstracts(), args.count)
    started = time.perf_counter()
    suggest_study(protocol, records[:1])  # compiles the protocol's and the general lexicon's matchers
    warm_up = time.perf_counter() - started
    started = time.perf_counter()
    stated = 0
    for record in records:
        result = suggest_study(protocol, [record])
        stated += sum(s.stated for s in result.fields.values())
    elapsed = time.perf_counter() - started
    # ru_maxrss is in kilobytes on Linux.
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {"abstracts": len(records), "seconds": round(elapsed, 2), "warm_up_seconds": round(warm_up, 2),
              "abstracts_per_second": round(len(records) / elapsed, 1), "peak_memory_mb": round(peak_mb, 1),
              "stated_values": stated}
    if args.json:
        print(json.dumps(report, sort_keys=True))
    else:
        print(f"{report['abstracts']} abstracts in {report['seconds']} s ({report['abstracts_per_second']}/s; "
              f"lexicons compiled in {report['warm_up_seconds']} s), peak memory {report['peak_memory_mb']} MB, "
              f"{stated} values stated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
