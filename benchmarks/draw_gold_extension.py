"""Draw further records for the extraction gold set (tests/data/extraction_gold/README.md).

    .venv/bin/python benchmarks/draw_gold_extension.py extension [--out DIR]
    .venv/bin/python benchmarks/draw_gold_extension.py holdout|holdout2|...|holdout5 [--out DIR]

The first gold set was halved into dev and test; its dev half (114 records) proved too small to
fit rules that hold on the test half. `extension` draws further records for dev only: from each
Cohen 2006 set, 16 records included at abstract screening (mostly trials, which are what
extraction is for) and 6 that were not. `holdout` draws a fresh set for one final measurement,
annotated while the rules were being fitted and scored once when they were done: 10 included
and 4 other records per Cohen set, and 10 Nagtegaal 2019 records. `holdout2` to `holdout5` draw
further such sets, each for the next session's measurement once the one before it had been scored
and its errors read. Every drawn record has a
title and an abstract and is in no earlier sample. Draws are seeded; rerunning one gives the
same records. With --out it writes one batch file per annotator holding each record's text, for
annotating only (the text stays out of the repository).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_extract import FIXTURES, fixture_records, load_gold  # noqa: E402

COHEN_SETS = ("Antihistamines", "Estrogens", "NSAIDS", "Triptans", "UrinaryIncontinence")
NAGTEGAAL = "screening/nagtegaal2019.csv"


@dataclass(frozen=True)
class Sample:
    """How many records a sample takes: per Cohen set, included at abstract screening and not;
    from Nagtegaal 2019 (not drug trials: it shows the rules on other kinds of study)."""

    seed: int
    per_set_included: int
    per_set_other: int
    nagtegaal: int = 0


SAMPLES = {"extension": Sample(20261202, 16, 6), "holdout": Sample(20261203, 10, 4, nagtegaal=10),
           "holdout2": Sample(20261204, 10, 4, nagtegaal=10), "holdout3": Sample(20261205, 10, 4, nagtegaal=10),
           "holdout4": Sample(20261206, 10, 4, nagtegaal=10), "holdout5": Sample(20261207, 10, 4, nagtegaal=10)}


def _abstract_labels(file: str) -> dict[str, str]:
    with (FIXTURES / file).open(encoding="utf-8", newline="") as handle:
        return {row["record_id"]: row["label_abstract_screening"] for row in csv.DictReader(handle)}


def draw(name: str) -> list[dict[str, object]]:
    """A sample's records (file, source_id, position, title, abstract), in draw order. Records of
    the gold files and of the samples drawn before this one are left out."""
    sample = SAMPLES[name]
    taken = {record["key"] for record in load_gold("all") if record.get("sample") not in SAMPLES}
    for earlier in list(SAMPLES)[:list(SAMPLES).index(name)]:
        taken |= {(str(r["file"]), str(r["source_id"])) for r in draw(earlier)}
    rng = random.Random(sample.seed)
    drawn: list[dict[str, object]] = []
    for set_name in COHEN_SETS:
        pools = _pools(f"screening/cohen2006_{set_name}.csv", taken)
        for label, size in (("1", sample.per_set_included), ("0", sample.per_set_other)):
            drawn += rng.sample(pools[label], min(size, len(pools[label])))
    if sample.nagtegaal:
        pool = [r for records in _pools(NAGTEGAAL, taken).values() for r in records]
        drawn += rng.sample(sorted(pool, key=lambda r: int(str(r["position"]))), sample.nagtegaal)
    return drawn


def _pools(file: str, taken: set[tuple[str, str]]) -> dict[str, list[dict[str, object]]]:
    """The file's records with a title and an abstract and not taken, by abstract-screening label."""
    labels = _abstract_labels(file)
    pools: dict[str, list[dict[str, object]]] = {"1": [], "0": []}
    for position, record in enumerate(fixture_records(file), start=1):
        if (file, str(record.source_id)) in taken or not (record.title and record.abstract):
            continue
        pools[labels[str(record.source_id)]].append(
            {"file": file, "source_id": record.source_id, "position": position,
             "title": record.title, "abstract": record.abstract})
    return pools


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sample", choices=sorted(SAMPLES))
    parser.add_argument("--batches", type=int, default=4)
    parser.add_argument("--out", type=Path, help="write batchN.jsonl files (with the texts) here")
    args = parser.parse_args()
    drawn = draw(args.sample)
    rng = random.Random(SAMPLES[args.sample].seed)
    rng.shuffle(drawn)
    for record in drawn:
        print(record["file"], record["source_id"], record["position"], sep="\t")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for number in range(args.batches):
            with (args.out / f"batch{number + 1}.jsonl").open("w", encoding="utf-8") as handle:
                for record in drawn[number::args.batches]:
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
