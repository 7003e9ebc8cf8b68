"""Screening: our default ranking preset against ASReview LAB 3.0.8's default model (ELAS u4), same run.

    .venv/bin/python benchmarks/bench_screening.py [--datasets nagtegaal2019,...] [--seeds 0,1,2]
                                                   [--timing-sizes 2000,50000] [--out benchmarks/out]
                                                   [--also-presets tfidf,elas-u4]

ASReview runs in its own venv (.bench-venv-asreview, created from requirements-asreview.txt when
missing) through benchmarks/_asreview_driver.py, on the same CSV files, with the same priors: one
relevant and one irrelevant record drawn by each seed. Both screening orders are scored by
livingreview.screening.metrics (priors count as screened; WSS@95 = (N - screened to reach
ceil(0.95 x relevant)) / N - 0.05).

Metric cross-check, on every screening order of the run: our `loss` and `ndcg` must equal
ASReview's own `asreview.metrics.loss`/`ndcg`, and our recall@10% must equal asreview-insights'
recall curve read at 10%, within 1e-9 (exit status 1 otherwise). asreview-insights' WSS uses a
different random baseline (rounded linspace, floor of the target count), so it is printed beside
ours, not asserted.

Stopping check: on each of our screening orders the `hypergeometric-ranked` rule is evaluated
after every record; and a review that switches to random order after 50 irrelevant in a row is
replayed (seeded) with the `hypergeometric` rule checked after every record. Prints how often
the recall at the stop reached the 95% target (the rules promise this in >= 95% of reviews).

Timing: median CPU time (steadier than wall time on a shared machine) of one ranking iteration (refit the classifier on the labelled records,
score and order the rest; features computed once beforehand, for both tools) at each size in
--timing-sizes; sets larger than the fixtures are built from all of them, repeated with seeded
word dropout so that no two records are identical.

Targets: mean WSS@95 >= ASReview's + 0.02, no set more than 0.03 below it, an iteration at
50k records under 1 s and faster than ASReview's.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import venv
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from livingreview.screening import metrics
from livingreview.screening.ranking import RankingSession
from livingreview.screening.simulate import LabelledSet, draw_priors, read_labelled_csv, simulate
from livingreview.screening.stopping import RandomSampleHypergeometric, RankedHypergeometric, StoppingObservation

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIXTURES = ROOT.parent / "shared" / "fixtures" / "screening"
BENCH_VENV = ROOT / ".bench-venv-asreview"
# asreview-insights 1.6.1 (the newest) declares asreview<3; only its numpy-only curve code is used,
# so it is installed without dependencies next to ASReview 3.0.8.
INSIGHTS = "asreview-insights==1.6.1"
TOLERANCE = 1e-9  # the same sums in a different order: float64 rounding only
TARGET_RECALL, CONFIDENCE = 0.95, 0.95


def main() -> None:
    arguments = _arguments()
    from rich.console import Console

    console = Console(stderr=True, soft_wrap=True)
    python = _bench_python(console)
    paths = _datasets(arguments.datasets)
    seeds = [int(s) for s in arguments.seeds.split(",")]
    arguments.out.mkdir(parents=True, exist_ok=True)
    data = data_by_path(paths)
    also = [name for name in arguments.also_presets.split(",") if name]
    runs = [_compare(python, path, data[path.stem], seed, console, also) for path in paths for seed in seeds]
    checks = _cross_check(python, runs)
    stopping = [_stopping_check(run, data[run["dataset"]]) for run in runs]
    timings = [_timing(python, size, console) for size in arguments.timing_sizes]
    report = {"runs": [{k: v for k, v in run.items() if k not in ("ours_order", "asreview_order")} for run in runs],
              "cross_check": checks, "stopping": stopping, "timing": timings}
    (arguments.out / "screening.json").write_text(json.dumps(report, indent=2))
    _plot(runs, paths, arguments.out / "screening-recall.png")
    ok = _print_report(runs, checks, stopping, timings)
    sys.exit(0 if ok else 1)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", default="", help="comma-separated file stems; default: every set")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--timing-sizes", default="2000,50000",
                        type=lambda text: [int(s) for s in text.split(",") if s])
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--also-presets", default="",
                        help="more of our presets to score beside the default (reported, not targeted)")
    return parser.parse_args()


def _datasets(names: str) -> list[Path]:
    if not FIXTURES.exists():
        sys.exit(f"the labelled sets are not here: {FIXTURES}")
    paths = sorted(FIXTURES.glob("*.csv"))
    if names:
        wanted = set(names.split(","))
        unknown = wanted - {p.stem for p in paths}
        if unknown:
            sys.exit(f"unknown data set(s) {', '.join(sorted(unknown))}; valid: {', '.join(p.stem for p in paths)}")
        paths = [p for p in paths if p.stem in wanted]
    return paths


_DATA: dict[str, LabelledSet] = {}


def data_by_path(paths: list[Path]) -> dict[str, LabelledSet]:
    for path in paths:
        _DATA.setdefault(path.stem, read_labelled_csv(path))
    return _DATA


def _bench_python(console) -> Path:
    python = BENCH_VENV / "bin" / "python"
    if not python.exists():
        console.print(f"creating {BENCH_VENV} (asreview 3.0.8 from PyPI)")
        venv.create(BENCH_VENV, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(HERE / "requirements-asreview.txt")],
                       check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", INSIGHTS], check=True)
    return python


def _driver(python: Path, job: dict) -> dict:
    # ASReview's synergy-dataset dependency opens an HTTP cache (synergy_cache.sqlite) in the
    # working directory on import: run it in a throwaway folder, not the repository.
    with tempfile.TemporaryDirectory(prefix="asreview-driver-") as folder:
        done = subprocess.run([str(python), str(HERE / "_asreview_driver.py")], input=json.dumps(job),
                              capture_output=True, text=True, cwd=folder)
    if done.returncode:
        raise RuntimeError(f"ASReview driver failed on {job['mode']}:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout)


def _figures(order_labels: np.ndarray, n_total: int, n_relevant: int) -> dict[str, float | None]:
    return {
        "wss@95": metrics.wss(order_labels, n_total, n_relevant, 0.95),
        "wss@100": metrics.wss(order_labels, n_total, n_relevant, 1.0),
        "recall@10%": metrics.recall_at(order_labels, n_total, n_relevant, 0.10),
        "erf@10%": metrics.erf(order_labels, n_total, n_relevant, 0.10),
    }


def _compare(python: Path, path: Path, data: LabelledSet, seed: int, console, also: list[str]) -> dict:
    priors = draw_priors(data.labels, seed)
    n_total, n_relevant = len(data.labels), data.n_relevant
    console.print(f"{path.stem} seed {seed}: ours", end="")
    started = time.perf_counter()
    ours = simulate(data, priors, seed=seed)
    ours_seconds = time.perf_counter() - started
    console.print(f" {ours_seconds:.0f}s, ASReview", end="")
    started = time.perf_counter()
    theirs = _driver(python, {"mode": "simulate", "csv": str(path), "priors": priors, "seed": seed})
    console.print(f" {time.perf_counter() - started:.0f}s")
    theirs_order = np.asarray(theirs["order"], dtype=np.int64)
    others = {}
    for preset in also:
        other = simulate(data, priors, preset=preset, seed=seed)
        others[preset] = {**_figures(other.order_labels, n_total, n_relevant),
                          "seconds_per_iteration": float(np.mean(other.iteration_seconds))}
    return {
        "dataset": path.stem, "seed": seed, "records": n_total, "relevant": n_relevant,
        "prior_rows": priors,
        "ours": {**_figures(ours.order_labels, n_total, n_relevant),
                 "seconds_per_iteration": float(np.mean(ours.iteration_seconds))},
        "asreview": {**_figures(data.labels[theirs_order], n_total, n_relevant),
                     "seconds_per_iteration": theirs["seconds_per_iteration"]},
        "ours_order": ours.order, "asreview_order": theirs_order.tolist(), "also": others,
    }


def _padded(order: list[int], labels: np.ndarray) -> list[int]:
    # ASReview stops at the last relevant record; the records never screened are irrelevant.
    return labels[order].tolist() + [0] * (len(labels) - len(order))


def _cross_check(python: Path, runs: list[dict]) -> dict:
    sequences = [_padded(run[key], _DATA[run["dataset"]].labels) for run in runs for key in ("ours_order", "asreview_order")]
    theirs = _driver(python, {"mode": "metrics", "sequences": sequences, "wss": 0.95, "fraction": 0.10})
    ours = {
        "loss": [metrics.loss(s) for s in sequences],
        "ndcg": [metrics.ndcg(s) for s in sequences],
        "recall": [metrics.recall_at(s, len(s), sum(s), 0.10) for s in sequences],
        "wss": [metrics.wss(s, len(s), sum(s), 0.95) for s in sequences],
    }
    worst = {name: max(abs(a - b) for a, b in zip(ours[name], theirs[name])) for name in ("loss", "ndcg", "recall")}
    return {"sequences": len(sequences), "max_abs_difference": worst,
            "equal": all(value <= TOLERANCE for value in worst.values()),
            "wss_insights_minus_ours": [b - a for a, b in zip(ours["wss"], theirs["wss"])]}


def _stopping_check(run: dict, data: LabelledSet) -> dict:
    labels, n_total, n_relevant = data.labels, len(data.labels), data.n_relevant
    order_labels = labels[run["ours_order"]]
    ranked = _first_stop(RankedHypergeometric(), [StoppingObservation(int(x)) for x in order_labels], n_total)
    switched = _random_phase_history(order_labels, labels, run["ours_order"], run["seed"])
    random_phase = _first_stop(RandomSampleHypergeometric(), switched, n_total)
    return {"dataset": run["dataset"], "seed": run["seed"],
            "ranked": _stop_summary(ranked, switched_history=None, order_labels=order_labels, n_relevant=n_relevant,
                                    n_total=n_total),
            "random": _stop_summary(random_phase, switched_history=switched, order_labels=None,
                                    n_relevant=n_relevant, n_total=n_total)}


def _random_phase_history(order_labels: np.ndarray, labels: np.ndarray, order: list[int], seed: int,
                          switch_after: int = 50) -> list[StoppingObservation]:
    """The ranked screening up to 50 irrelevant in a row, then the remaining records in random order."""
    run = 0
    for position, label in enumerate(order_labels):
        run = 0 if label else run + 1
        if run >= switch_after:
            break
    ranked = [StoppingObservation(int(x)) for x in order_labels[:position + 1]]
    rest = np.random.default_rng([seed, 2020]).permutation(np.asarray(order[position + 1:], dtype=np.int64))
    return ranked + [StoppingObservation(int(labels[i]), True) for i in rest]


def _first_stop(rule, history: list[StoppingObservation], n_total: int) -> int | None:
    for length in range(2, len(history) + 1):
        if rule.evaluate(history[:length], n_total, TARGET_RECALL, CONFIDENCE).should_stop:
            return length
    return None


def _stop_summary(stop: int | None, *, switched_history, order_labels, n_relevant: int, n_total: int) -> dict:
    if stop is None:
        return {"stopped_at": None, "recall": 1.0, "reached_target": True, "screened_share": 1.0}
    found = (sum(o.label for o in switched_history[:stop]) if switched_history is not None
             else int(order_labels[:stop].sum()))
    return {"stopped_at": stop, "recall": found / n_relevant, "reached_target": found / n_relevant >= TARGET_RECALL,
            "screened_share": stop / n_total}


def _synthetic_set(size: int, seed: int = 0) -> tuple[list[str], np.ndarray, list[str]]:
    """`size` records from every fixture set, repeated with 15% of the words dropped at random.

    Also returns each record's source text (the fixture record it was copied from).
    """
    sets = [read_labelled_csv(p) for p in sorted(FIXTURES.glob("*.csv"))]
    texts = [t for s in sets for t in s.texts]
    labels = np.concatenate([s.labels for s in sets])
    rng = np.random.default_rng(seed)
    out_texts, out_labels, sources = [], [], []
    for copy in range(math.ceil(size / len(texts))):
        for text, label in zip(texts, labels):
            words = text.split()
            kept = [w for w in words if rng.random() > 0.15] if copy else words
            out_texts.append(" ".join(kept))
            out_labels.append(int(label))
            sources.append(text)
    return out_texts[:size], np.asarray(out_labels[:size]), sources[:size]


@contextmanager
def _embeddings_of_sources(texts: list[str], sources: list[str]):
    """A throwaway embeddings cache in which each synthetic copy has its source record's vector.

    Embedding 50,000 word-dropout copies would take about half an hour on this machine and
    would not change what is timed: an iteration's cost depends on the matrix's shape, not on
    its values. The source texts are embedded for real (through the user's cache).
    """
    from livingreview.screening.ranking._embedding_cache import cached_embeddings
    from livingreview.screening.ranking.features import (MINILM_DIMENSIONS, FeatureContext, SentenceEmbeddings,
                                                          embedding_model_id)

    unique_sources = sorted(set(sources))
    vectors = SentenceEmbeddings().transform(FeatureContext(texts=unique_sources)).toarray()
    by_source = dict(zip(unique_sources, vectors))
    source_of = dict(zip(texts, sources))
    previous = os.environ.get("LIVINGREVIEW_CACHE_DIR")
    with tempfile.TemporaryDirectory(prefix="bench-embeddings-") as folder:
        cached_embeddings(texts, embedding_model_id(), MINILM_DIMENSIONS,
                          lambda missing: np.stack([by_source[source_of[t]] for t in missing]),
                          Path(folder) / "embeddings.sqlite")
        os.environ["LIVINGREVIEW_CACHE_DIR"] = folder
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop("LIVINGREVIEW_CACHE_DIR")
            else:
                os.environ["LIVINGREVIEW_CACHE_DIR"] = previous


def _timing(python: Path, size: int, console) -> dict:
    texts, labels, sources = _synthetic_set(size)
    rng = np.random.default_rng(size)
    n_labelled = min(1000, size // 10)
    labelled_rows = rng.choice(size, n_labelled, replace=False)
    labelled = {int(i): int(labels[i]) for i in labelled_rows}
    console.print(f"timing at {size} records ({n_labelled} labelled, {sum(labelled.values())} relevant)")
    with _embeddings_of_sources(texts, sources):
        started = time.perf_counter()
        session = RankingSession(texts, seed=0)
        feature_seconds = time.perf_counter() - started
    session.rank(labelled)  # warm-up: first calls import and allocate
    times = []
    for _ in range(7):
        tick = time.process_time()
        session.rank(labelled)
        times.append(time.process_time() - tick)
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "synthetic.csv"
        _write_csv(csv_path, texts, labels)
        theirs = _driver(python, {"mode": "timing", "csv": str(csv_path), "seed": 0, "repeats": 7,
                                  "labelled": {str(k): v for k, v in labelled.items()}})
    return {"records": size, "labelled": n_labelled,
            "ours": {"seconds_per_iteration": float(np.median(times)), "feature_seconds": feature_seconds},
            "asreview": theirs}


def _write_csv(path: Path, texts: list[str], labels: np.ndarray) -> None:
    import csv

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "title", "abstract", "label_included"])
        for i, (text, label) in enumerate(zip(texts, labels)):
            writer.writerow([i, "", text, int(label)])


def _plot(runs: list[dict], paths: list[Path], target: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    columns = min(3, len(paths))
    rows = math.ceil(len(paths) / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(4.5 * columns, 3.6 * rows), squeeze=False)
    for axis, path in zip(axes.flat, paths):
        data = _DATA[path.stem]
        for run in (r for r in runs if r["dataset"] == path.stem):
            for key, colour in (("ours_order", "tab:blue"), ("asreview_order", "tab:orange")):
                screened, recall = metrics.recall_curve(data.labels[run[key]], len(data.labels), data.n_relevant)
                axis.step(screened, recall, where="post", color=colour, alpha=0.6,
                          label=("livingreview" if key == "ours_order" else "ASReview 3.0.8") if run["seed"] == runs[0]["seed"] else None)
        axis.plot([0, len(data.labels)], [0, 1], "--", color="grey", linewidth=0.8)
        axis.set_title(path.stem, fontsize=9)
        axis.set_xlabel("records screened")
        axis.set_ylabel("recall")
        axis.legend(fontsize=7, loc="lower right")
    for axis in list(axes.flat)[len(paths):]:
        axis.set_visible(False)
    figure.tight_layout()
    figure.savefig(target, dpi=110)
    plt.close(figure)


def _mean(values: list[float | None]) -> float:
    return float(np.mean([v if v is not None else 0.0 for v in values]))


def _print_report(runs: list[dict], checks: dict, stopping: list[dict], timings: list[dict]) -> bool:
    print(f"{'data set':<28}{'N':>6}{'rel':>5}  {'WSS@95 ours':>11}{'ASReview':>9}{'diff':>7}  "
          f"{'R@10% ours':>10}{'ASReview':>9}")
    differences = []
    for name in dict.fromkeys(run["dataset"] for run in runs):
        mine = [r for r in runs if r["dataset"] == name]
        ours_wss = _mean([r["ours"]["wss@95"] for r in mine])
        theirs_wss = _mean([r["asreview"]["wss@95"] for r in mine])
        differences.append(ours_wss - theirs_wss)
        print(f"{name:<28}{mine[0]['records']:>6}{mine[0]['relevant']:>5}  {ours_wss:>11.3f}{theirs_wss:>9.3f}"
              f"{ours_wss - theirs_wss:>+7.3f}  {_mean([r['ours']['recall@10%'] for r in mine]):>10.3f}"
              f"{_mean([r['asreview']['recall@10%'] for r in mine]):>9.3f}")
    ours_mean = _mean([_mean([r["ours"]["wss@95"] for r in runs if r["dataset"] == n]) for n in dict.fromkeys(r["dataset"] for r in runs)])
    theirs_mean = ours_mean - float(np.mean(differences))
    print(f"{'mean':<39}  {ours_mean:>11.3f}{theirs_mean:>9.3f}{float(np.mean(differences)):>+7.3f}")
    for preset in runs[0]["also"]:
        means = {n: _mean([r["also"][preset]["wss@95"] for r in runs if r["dataset"] == n])
                 for n in dict.fromkeys(r["dataset"] for r in runs)}
        print(f"preset {preset!r} WSS@95: " + ", ".join(f"{n} {v:.3f}" for n, v in means.items())
              + f"; mean {np.mean(list(means.values())):.3f}")
    print(f"seeds: {sorted({r['seed'] for r in runs})}; priors: one relevant + one irrelevant record per seed, the same for both")
    print()
    for timing in timings:
        ours, theirs = timing["ours"]["seconds_per_iteration"], timing["asreview"]["seconds_per_iteration"]
        print(f"ranking iteration at {timing['records']:>6} records ({timing['labelled']} labelled), CPU: ours {ours * 1000:7.1f} ms, "
              f"ASReview {theirs * 1000:7.1f} ms, ratio {theirs / ours:5.2f}x  "
              f"(features once: ours {timing['ours']['feature_seconds']:.1f} s with embeddings from the cache, ASReview {timing['asreview']['feature_seconds']:.1f} s)")
    print()
    print(f"metric cross-check on {checks['sequences']} screening orders, max |ours - ASReview|: "
          + ", ".join(f"{k} {v:.2e}" for k, v in checks["max_abs_difference"].items())
          + f" -> {'equal' if checks['equal'] else 'DIFFERENT'} within {TOLERANCE:g}")
    gaps = checks["wss_insights_minus_ours"]
    print(f"asreview-insights WSS@95 (other baseline) minus ours: mean {np.mean(gaps):+.4f}, range {min(gaps):+.4f}..{max(gaps):+.4f}")
    for rule in ("ranked", "random"):
        reached = [s[rule]["reached_target"] for s in stopping]
        stopped = [s[rule] for s in stopping if s[rule]["stopped_at"] is not None]
        share = np.mean([s["screened_share"] for s in stopped]) if stopped else float("nan")
        name = "hypergeometric-ranked" if rule == "ranked" else "hypergeometric (random after 50 irrelevant in a row)"
        print(f"stopping {name}: recall >= {TARGET_RECALL:.0%} at the stop in {sum(reached)}/{len(reached)} reviews "
              f"({np.mean(reached):.0%}; promised >= {CONFIDENCE:.0%}); stopped in {len(stopped)}, "
              f"after screening {share:.0%} on average")
    print()
    targets = {
        "mean WSS@95 >= ASReview + 0.02": float(np.mean(differences)) >= 0.02,
        "no set more than 0.03 below ASReview": min(differences) >= -0.03,
    }
    large = [t for t in timings if t["records"] >= 50000]
    if large:
        targets["iteration at 50k under 1 s"] = large[-1]["ours"]["seconds_per_iteration"] < 1.0
        targets["iteration at 50k faster than ASReview"] = (
            large[-1]["ours"]["seconds_per_iteration"] < large[-1]["asreview"]["seconds_per_iteration"])
    for target, met in targets.items():
        print(f"{'MET ' if met else 'MISSED'} {target}")
    return checks["equal"]


if __name__ == "__main__":
    main()
