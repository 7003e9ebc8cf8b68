"""Runs ASReview LAB's default model inside the benchmark venv; driven by bench_screening.py.

Reads one JSON job on stdin, prints one JSON result on stdout. Jobs:
  {"mode": "simulate", "csv": PATH, "priors": [row, ...], "seed": N}
      -> {"order": [row, ...], "seconds_per_iteration": S, "cpu_seconds": S, "wall_seconds": S}
         (the last two: the whole simulation, reading the CSV and the features included)
  {"mode": "timing", "csv": PATH, "labelled": {row: label}, "repeats": K, "seed": N}
      -> {"seconds_per_iteration": S, "feature_seconds": S}
  {"mode": "metrics", "sequences": [[label, ...], ...], "wss": R, "fraction": F}
      -> {"loss": [...], "ndcg": [...], "recall": [...], "wss": [...]} from ASReview's own code
Rows are 0-based positions in the CSV (title, abstract, label_included columns).
"""

import importlib.util
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from asreview import metrics as asreview_metrics
from asreview.learner import ActiveLearningCycle
from asreview.models.models import AI_MODEL_CONFIGURATIONS
from asreview.simulation.simulate import Simulate

DEFAULT_MODEL = "elas_u4"


def default_cycle(seed):
    config = next(c for c in AI_MODEL_CONFIGURATIONS if c["name"] == DEFAULT_MODEL)["value"]
    cycle = ActiveLearningCycle.from_meta(config)
    for component in (cycle.classifier, cycle.querier, cycle.balancer):
        if component is not None and "random_state" in component.get_params():
            component.set_params(random_state=seed)
    return cycle


def read(path):
    frame = pd.read_csv(path, dtype={"title": str, "abstract": str})
    frame[["title", "abstract"]] = frame[["title", "abstract"]].fillna("")
    return frame


def simulate(job):
    tick, started = time.process_time(), time.perf_counter()
    frame = read(job["csv"])
    labels = frame["label_included"].astype(int).to_numpy()
    simulation = Simulate(frame[["title", "abstract"]], labels, default_cycle(job["seed"]), print_progress=False)
    simulation.label(job["priors"])
    simulation.review()
    cpu_seconds, wall_seconds = time.process_time() - tick, time.perf_counter() - started
    results = simulation._results
    # The label time stamps are taken once per query (n_query=1): their differences after the
    # priors are ASReview's whole iteration (refit, rank, record the label).
    stamps = results["time"].to_numpy(dtype=float)[len(job["priors"]) - 1:]
    per_iteration = float(np.mean(np.diff(stamps))) if len(stamps) > 1 else 0.0
    return {"order": [int(r) for r in results["record_id"]], "seconds_per_iteration": per_iteration,
            "cpu_seconds": cpu_seconds, "wall_seconds": wall_seconds}


def timing(job):
    frame = read(job["csv"])
    cycle = default_cycle(job["seed"])
    started = time.perf_counter()
    features = cycle.transform(frame[["title", "abstract"]])
    feature_seconds = time.perf_counter() - started
    labelled = np.array(sorted(int(k) for k in job["labelled"]))
    y = np.array([job["labelled"][str(k)] for k in labelled])
    pool = np.setdiff1d(np.arange(features.shape[0]), labelled)
    cycle.fit(features[labelled], y)  # warm-up, as for ours
    cycle.rank(features[pool])
    times = []
    for _ in range(job["repeats"]):
        tick = time.process_time()
        cycle.fit(features[labelled], y)
        cycle.rank(features[pool])
        times.append(time.process_time() - tick)
    return {"seconds_per_iteration": float(np.median(times)), "feature_seconds": feature_seconds}


def insights_algorithms():
    # asreview-insights 1.6.1 is the newest release; its package __init__ imports an API that
    # ASReview 3 removed, but its curve computations (algorithms.py) need only numpy: load that file.
    import asreviewcontrib

    path = Path(asreviewcontrib.__path__[0]) / "insights" / "algorithms.py"
    spec = importlib.util.spec_from_file_location("insights_algorithms", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def metrics(job):
    algorithms = insights_algorithms()
    out = {"loss": [], "ndcg": [], "recall": [], "wss": []}
    for labels in job["sequences"]:
        out["loss"].append(asreview_metrics.loss(labels))
        out["ndcg"].append(asreview_metrics.ndcg(labels))
        # insights reads a curve at x by the last point with x_i <= x (its _slice_metric).
        x, y = algorithms._recall_values(labels)
        out["recall"].append(y[int(np.searchsorted(x, job["fraction"], side="right")) - 1])
        x, y = algorithms._wss_values(labels)
        out["wss"].append(y[int(np.searchsorted(x, job["wss"], side="right")) - 1])
    return out


if __name__ == "__main__":
    request = json.load(sys.stdin)
    print(json.dumps({"simulate": simulate, "timing": timing, "metrics": metrics}[request["mode"]](request)))
