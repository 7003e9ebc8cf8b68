"""Deduplication at scale: time, peak memory, and pairwise accuracy against known duplicates.

    .venv/bin/python benchmarks/bench_dedupe.py [--sizes 25000,50000,100000]

For each size a labelled corpus (see _dedupe_corpus.py) is inserted into a fresh review store,
then, each in its own process so that peak memory (ru_maxrss) is that step's alone:
  - livingreview's dedupe (`run_dedupe`), and
  - the same-run reference: a naive baseline grouping records with the same title (lowercased,
    whitespace collapsed, final full stop dropped) and the same year.
There is no Python ASySD to run beside it; the baseline is what a reference manager's
"find duplicates" on title and year does.

Accuracy is pairwise: a pair of records is predicted duplicate when both end up in one group
(study), true when both report the same article (duplicates and preprint companions alike).
Sensitivity = true pairs found / true pairs. Specificity = non-duplicate pairs kept apart / all
non-duplicate pairs, counted over every pair of records, N(N-1)/2 (so it is close to 1 by
construction; the false-positive count and precision beside it say more). Uncertain pairs left
for a human count as not found. The 11 marked pairs of Nagtegaal 2019 (title and abstract only)
are scored the same way.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from livingreview.dedupe.blocking import WINDOW

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

OUT = HERE / "out" / "dedupe"
NAGTEGAAL = HERE.parent.parent / "shared" / "fixtures" / "screening" / "nagtegaal2019.csv"
TARGET_SENSITIVITY, TARGET_SPECIFICITY, MEMORY_LIMIT_MB = 0.98, 0.995, 1024


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def cpu_seconds() -> float:
    """Processor time of this process: on a shared machine it varies less than wall time."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- phases, each run in a child process ------------------------------------------------------

def phase_build(size: int, seed: int, db: Path, truth: Path) -> dict:
    from _dedupe_corpus import build_corpus
    from livingreview.store import Store

    started = time.perf_counter()
    records, numbers = build_corpus(size, seed=seed)
    with Store(db) as store:
        with store.transaction() as connection:
            connection.execute(
                "INSERT INTO imports (path, stored_copy, sha256, format, encoding, record_count,"
                " imported_at) VALUES ('bench', 'bench', ?, 'bench', 'utf-8', ?, 'now')",
                (f"bench-{size}-{seed}", len(records)))
            import_id = connection.execute("SELECT max(id) FROM imports").fetchone()[0]
            store.insert_records(records, import_id=import_id)
        ids = [row[0] for row in store.query("SELECT id FROM records ORDER BY id")]
    truth.write_text(json.dumps(dict(zip(map(str, ids), numbers))))
    return {"records": len(records), "seconds": time.perf_counter() - started}


def phase_dedupe(db: Path) -> dict:
    from livingreview.dedupe import run_dedupe
    from livingreview.store import Store

    with Store(db) as store:
        started, cpu_started = time.perf_counter(), cpu_seconds()
        result = run_dedupe(store)
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
        methods = dict(store.query(
            "SELECT method || '/' || relation, COUNT(*) FROM duplicate_pairs WHERE status = 'auto'"
            " GROUP BY 1 ORDER BY 1"))
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak_mb(), "result": result.as_dict(),
            "auto_pairs_by_method": methods}


def phase_baseline(db: Path, groups_file: Path) -> dict:
    from livingreview.store import Store

    started, cpu_started = time.perf_counter(), cpu_seconds()
    with Store(db) as store:
        rows = store.query("SELECT id, title, year FROM records")
    groups: dict[tuple[str, object], int] = {}
    assignment = {}
    for record_id, title, year in rows:
        key = (" ".join((title or "").lower().split()).rstrip("."), year)
        assignment[record_id] = groups.setdefault(key, len(groups)) if title else -record_id
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    groups_file.write_text(json.dumps(assignment))
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak_mb()}


def phase_nagtegaal(db: Path, truth: Path) -> dict:
    from livingreview.records import Record
    from livingreview.store import Store

    with NAGTEGAAL.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with Store(db) as store:
        with store.transaction() as connection:
            import_id = connection.execute(
                "INSERT INTO imports (path, stored_copy, sha256, format, encoding, record_count,"
                " imported_at) VALUES (?, ?, 'nagtegaal', 'csv', 'utf-8', ?, 'now')",
                (str(NAGTEGAAL), str(NAGTEGAAL), len(rows))).lastrowid
            store.insert_records((Record(source="csv", raw=json.dumps(row), source_id=row["record_id"],
                                         title=row["title"] or None, abstract=row["abstract"] or None)
                                  for row in rows), import_id=import_id)
        ids = {row[1]: row[0] for row in store.query("SELECT id, source_id FROM records")}
    # Article number: the record's own id, or the id of the record it is marked a duplicate of.
    numbers = {ids[r["record_id"]]: int(r["duplicate_record_id"] or r["record_id"]) for r in rows}
    truth.write_text(json.dumps({str(k): v for k, v in numbers.items()}))
    return {"records": len(rows)}


# --- scoring ----------------------------------------------------------------------------------

def pairs_within(groups: dict[int, object]) -> int:
    return sum(n * (n - 1) // 2 for n in Counter(groups.values()).values())


def pairwise_scores(predicted: dict[int, object], truth: dict[int, int]) -> dict:
    both = {record: (predicted[record], truth[record]) for record in truth}
    true_pairs, predicted_pairs = pairs_within(truth), pairs_within(predicted)
    found = pairs_within(both)
    n = len(truth)
    all_pairs = n * (n - 1) // 2
    false_positives = predicted_pairs - found
    negatives = all_pairs - true_pairs
    return {
        "true_pairs": true_pairs, "found": found, "false_positives": false_positives,
        "sensitivity": found / true_pairs if true_pairs else 1.0,
        "specificity": (negatives - false_positives) / negatives if negatives else 1.0,
        "precision": found / predicted_pairs if predicted_pairs else 1.0,
    }


def study_groups(db: Path) -> dict[int, object]:
    from livingreview.store import Store

    with Store(db) as store:
        return {row[0]: row[1] for row in store.query("SELECT id, study_id FROM records")}


def uncertain_breakdown(db: Path, truth: dict[int, int]) -> tuple[int, int]:
    from livingreview.store import Store

    with Store(db) as store:
        rows = store.query("SELECT record_a, record_b FROM duplicate_pairs WHERE status = 'uncertain'")
    return len(rows), sum(1 for a, b in rows if truth[a] == truth[b])


def false_positive_examples(db: Path, truth: dict[int, int], limit: int = 5) -> list[dict]:
    from livingreview.store import Store

    with Store(db) as store:
        rows = store.query(
            "SELECT p.record_a, p.record_b, p.method, p.score, a.title AS ta, b.title AS tb"
            " FROM duplicate_pairs p JOIN records a ON a.id = p.record_a JOIN records b ON b.id = p.record_b"
            " WHERE p.status = 'auto'")
    wrong = [dict(r) for r in rows if truth[r["record_a"]] != truth[r["record_b"]]]
    return wrong[:limit]


# --- driver -----------------------------------------------------------------------------------

def child(*arguments: str) -> dict:
    completed = subprocess.run([sys.executable, __file__, *arguments], capture_output=True, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"benchmark step {' '.join(arguments)} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def bench_size(size: int, seed: int, work: Path) -> dict:
    db, truth_file, baseline_file = work / f"bench-{size}.db", work / f"truth-{size}.json", work / f"base-{size}.json"
    built = child("--phase", "build", "--size", str(size), "--seed", str(seed), "--db", str(db),
                  "--truth", str(truth_file))
    ours = child("--phase", "dedupe", "--db", str(db))
    baseline = child("--phase", "baseline", "--db", str(db), "--groups", str(baseline_file))
    truth = {int(k): v for k, v in json.loads(truth_file.read_text()).items()}
    base_groups = {int(k): v for k, v in json.loads(baseline_file.read_text()).items()}
    uncertain, uncertain_true = uncertain_breakdown(db, truth)
    return {
        "size": built["records"], "build_seconds": built["seconds"], "ours": ours,
        "ours_scores": pairwise_scores(study_groups(db), truth),
        "baseline": baseline, "baseline_scores": pairwise_scores(base_groups, truth),
        "uncertain": uncertain, "uncertain_true": uncertain_true,
        "false_positive_examples": false_positive_examples(db, truth),
    }


def bench_nagtegaal(work: Path) -> dict | None:
    if not NAGTEGAAL.exists():
        return None
    db, truth_file, baseline_file = work / "nagtegaal.db", work / "truth-nag.json", work / "base-nag.json"
    child("--phase", "nagtegaal", "--db", str(db), "--truth", str(truth_file))
    ours = child("--phase", "dedupe", "--db", str(db))
    baseline = child("--phase", "baseline", "--db", str(db), "--groups", str(baseline_file))
    truth = {int(k): v for k, v in json.loads(truth_file.read_text()).items()}
    base_groups = {int(k): v for k, v in json.loads(baseline_file.read_text()).items()}
    return {"ours": ours, "ours_scores": pairwise_scores(study_groups(db), truth),
            "baseline": baseline, "baseline_scores": pairwise_scores(base_groups, truth),
            "uncertain": uncertain_breakdown(db, truth)[0]}


def print_report(rows: list[dict], nagtegaal: dict | None) -> None:
    print("\nlivingreview dedupe vs naive exact title+year baseline (same run, same stores)")
    header = (f"{'records':>8} {'ours s':>7} {'cpu s':>6} {'MB':>5} {'sens':>7} {'spec':>9} {'prec':>7}"
              f" {'FP':>4} {'uncert':>6} | {'base s':>6} {'MB':>5} {'sens':>7} {'spec':>9} {'FP':>4}")
    print(header)
    for row in rows:
        ours, base = row["ours_scores"], row["baseline_scores"]
        print(f"{row['size']:>8} {row['ours']['seconds']:>7.1f} {row['ours']['cpu_seconds']:>6.1f}"
              f" {row['ours']['peak_mb']:>5.0f} {ours['sensitivity']:>7.4f} {ours['specificity']:>9.7f}"
              f" {ours['precision']:>7.4f} {ours['false_positives']:>4} {row['uncertain']:>6} |"
              f" {row['baseline']['seconds']:>6.2f} {row['baseline']['peak_mb']:>5.0f}"
              f" {base['sensitivity']:>7.4f} {base['specificity']:>9.7f} {base['false_positives']:>4}")
    for row in rows:
        print(f"  {row['size']}: {row['ours']['result']['pairs_compared']} candidate pairs compared;"
              f" automatic pairs by method/relation {row['ours']['auto_pairs_by_method']}")
        print(f"  {row['size']}: {row['ours_scores']['true_pairs']} true pairs; uncertain pairs "
              f"{row['uncertain']} ({row['uncertain_true']} of them true duplicates); "
              f"sensitivity / baseline sensitivity = "
              f"{row['ours_scores']['sensitivity'] / max(row['baseline_scores']['sensitivity'], 1e-9):.2f}x;"
              f" time / baseline time = {row['ours']['seconds'] / row['baseline']['seconds']:.0f}x")
        for example in row["false_positive_examples"]:
            print(f"    false positive ({example['method']}, {example['score']}): "
                  f"{example['ta'][:70]!r} / {example['tb'][:70]!r}")
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        size_ratio = last["size"] / first["size"]
        time_ratio = last["ours"]["seconds"] / first["ours"]["seconds"]
        cpu_ratio = last["ours"]["cpu_seconds"] / first["ours"]["cpu_seconds"]
        compared_ratio = last["ours"]["result"]["pairs_compared"] / first["ours"]["result"]["pairs_compared"]
        print(f"growth: {size_ratio:.1f}x records took {time_ratio:.1f}x wall time, {cpu_ratio:.1f}x processor"
              f" time, {compared_ratio:.1f}x candidate pairs (linear would be {size_ratio:.1f}x, all pairs"
              f" {size_ratio ** 2:.0f}x; candidates are capped at 3 keys x {WINDOW} neighbours per record)")
    largest = rows[-1]
    checks = {
        f"sensitivity >= {TARGET_SENSITIVITY}": all(r["ours_scores"]["sensitivity"] >= TARGET_SENSITIVITY for r in rows),
        f"specificity >= {TARGET_SPECIFICITY}": all(r["ours_scores"]["specificity"] >= TARGET_SPECIFICITY for r in rows),
        f"peak memory < {MEMORY_LIMIT_MB} MB at {largest['size']}": largest["ours"]["peak_mb"] < MEMORY_LIMIT_MB,
    }
    if nagtegaal:
        ours, base = nagtegaal["ours_scores"], nagtegaal["baseline_scores"]
        print(f"nagtegaal2019 ({nagtegaal['ours']['result']['records']} records, {ours['true_pairs']} marked pairs):"
              f" ours found {ours['found']}/{ours['true_pairs']}, {ours['false_positives']} other pairs grouped,"
              f" {nagtegaal['uncertain']} uncertain, {nagtegaal['ours']['seconds']:.2f} s;"
              f" baseline found {base['found']}/{base['true_pairs']}, {base['false_positives']} other pairs")
        checks["all nagtegaal marked pairs found"] = ours["found"] == ours["true_pairs"]
    for name, passed in checks.items():
        print(f"  [{'ok' if passed else 'MISSED'}] {name}")


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["size"] for r in rows]
    figure, (timing, memory) = plt.subplots(1, 2, figsize=(10, 4))
    timing.plot(sizes, [r["ours"]["seconds"] for r in rows], "o-", label="livingreview dedupe (wall)")
    timing.plot(sizes, [r["ours"]["cpu_seconds"] for r in rows], "^-", label="livingreview dedupe (cpu)")
    timing.plot(sizes, [r["baseline"]["seconds"] for r in rows], "s--", label="exact title+year")
    slope = rows[0]["ours"]["cpu_seconds"] / sizes[0]
    timing.plot(sizes, [slope * s for s in sizes], ":", color="grey", label="linear from smallest (cpu)")
    timing.set(xlabel="records", ylabel="seconds", title="time")
    timing.legend()
    memory.plot(sizes, [r["ours"]["peak_mb"] for r in rows], "o-", label="livingreview dedupe")
    memory.plot(sizes, [r["baseline"]["peak_mb"] for r in rows], "s--", label="exact title+year")
    memory.axhline(MEMORY_LIMIT_MB, color="red", linestyle=":", label="1 GB")
    memory.set(xlabel="records", ylabel="peak RSS (MB)", title="peak memory")
    memory.legend()
    for axes in (timing, memory):
        axes.xaxis.set_major_formatter(lambda value, _: f"{value / 1000:.0f}k")
    figure.tight_layout()
    figure.savefig(path, dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="25000,50000,100000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--phase", choices=("build", "dedupe", "baseline", "nagtegaal"), help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--truth", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--groups", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "build":
        print(json.dumps(phase_build(args.size, args.seed, args.db, args.truth)))
    elif args.phase == "dedupe":
        print(json.dumps(phase_dedupe(args.db)))
    elif args.phase == "baseline":
        print(json.dumps(phase_baseline(args.db, args.groups)))
    elif args.phase == "nagtegaal":
        print(json.dumps(phase_nagtegaal(args.db, args.truth)))
    else:
        run_all([int(s) for s in args.sizes.split(",")], args.seed)


def run_all(sizes: list[int], seed: int) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-dedupe-") as scratch:
        work = Path(scratch)
        nagtegaal = bench_nagtegaal(work)
        for size in sizes:
            print(f"size {size}: building, deduplicating, baseline ...", file=sys.stderr, flush=True)
            rows.append(bench_size(size, seed, work))
    print_report(rows, nagtegaal)
    (OUT / "results.json").write_text(json.dumps({"sizes": rows, "nagtegaal": nagtegaal}, indent=1, default=str))
    plot(rows, OUT / "scaling.png")
    print(f"results: {OUT / 'results.json'}; plot: {OUT / 'scaling.png'}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
