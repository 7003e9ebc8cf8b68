"""Draw the records of the gold set's dev extension (tests/data/extraction_gold/README.md).

    .venv/bin/python benchmarks/draw_gold_extension.py [--per-set-included 16] [--per-set-other 6] [--out DIR]

The first gold set was halved into dev and test; its dev half (114 records) proved too small to
fit rules that hold on the test half. This draws further records for dev only, so the test half
stays unseen: from each Cohen 2006 set, records included at abstract screening (mostly trials,
which are what extraction is for) and records that were not, all with a title and an abstract and
none already in the gold set. The draw is seeded; rerunning it gives the same records. With
--out it writes one batch file per annotator holding each record's text, for annotating only
(the text stays out of the repository).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_extract import FIXTURES, fixture_records, load_gold  # noqa: E402

EXTENSION_SEED = 20261202
COHEN_SETS = ("Antihistamines", "Estrogens", "NSAIDS", "Triptans", "UrinaryIncontinence")


def _abstract_labels(file: str) -> dict[str, str]:
    with (FIXTURES / file).open(encoding="utf-8", newline="") as handle:
        return {row["record_id"]: row["label_abstract_screening"] for row in csv.DictReader(handle)}


def draw(per_set_included: int, per_set_other: int, seed: int = EXTENSION_SEED) -> list[dict[str, object]]:
    """The extension's records (file, source_id, position, title, abstract), in draw order."""
    taken = {record["key"] for record in load_gold("all")}
    rng = random.Random(seed)
    drawn: list[dict[str, object]] = []
    for name in COHEN_SETS:
        file = f"screening/cohen2006_{name}.csv"
        labels = _abstract_labels(file)
        pools: dict[str, list[dict[str, object]]] = {"1": [], "0": []}
        for position, record in enumerate(fixture_records(file), start=1):
            if (file, record.source_id) in taken or not (record.title and record.abstract):
                continue
            pools[labels[str(record.source_id)]].append(
                {"file": file, "source_id": record.source_id, "position": position,
                 "title": record.title, "abstract": record.abstract})
        for label, size in (("1", per_set_included), ("0", per_set_other)):
            drawn += rng.sample(pools[label], min(size, len(pools[label])))
    return drawn


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-set-included", type=int, default=16)
    parser.add_argument("--per-set-other", type=int, default=6)
    parser.add_argument("--batches", type=int, default=4)
    parser.add_argument("--out", type=Path, help="write batchN.jsonl files (with the texts) here")
    args = parser.parse_args()
    drawn = draw(args.per_set_included, args.per_set_other)
    rng = random.Random(EXTENSION_SEED)
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
