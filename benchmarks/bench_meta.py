"""Meta-analysis speed: our REML and DL fits against PyMARE 0.0.13 and statsmodels' combine_effects.

    python benchmarks/bench_meta.py [--repeats 15] [--seed 0]

Each tool fits the same random-effects model to the same simulated studies (k = 10 to 10,000;
true tau^2 = 0.1, sampling variances uniform on [0.01, 1]): ours is `MetaAnalysis(...).fit`
(tau^2, coefficients and their covariance), PyMARE's is `VarianceBasedLikelihoodEstimator(method=
"REML")` and `DerSimonianLaird`, statsmodels' is `combine_effects(method_re="chi2")` (DL) and,
since statsmodels has no REML, `combine_effects(method_re="iterated")` (Paule-Mandel, its only
iterative estimator) beside our REML. The figure is the median wall time over --repeats runs;
ratios are their time over ours, so > 1 means ours is faster. Each run also checks that the
tau^2 estimates agree (to 1e-6 relative for DL; REML to 1e-4, since PyMARE maximises the
likelihood with a general optimiser and metafor's scoring stops at a step below 1e-5).
Needs the bench extra: pip install -e ".[bench]".
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable

import numpy as np
from pymare.estimators import DerSimonianLaird, VarianceBasedLikelihoodEstimator
from statsmodels.stats.meta_analysis import combine_effects

from livingreview.synthesis import MetaAnalysis

SIZES = (10, 100, 1_000, 10_000)


def simulate(k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng([seed, k])
    v = rng.uniform(0.01, 1.0, size=k)
    y = 0.3 + rng.normal(0, np.sqrt(0.1), size=k) + rng.normal(0, np.sqrt(v))
    return y, v


def median_seconds(run: Callable[[], float], repeats: int) -> tuple[float, float]:
    """Median wall time of `run` and the tau^2 it returned (the last run's)."""
    run()  # warm-up: imports, caches
    times, tau2 = [], 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        tau2 = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), tau2


def ours(method: str, y: np.ndarray, v: np.ndarray) -> Callable[[], float]:
    return lambda: MetaAnalysis(method, tau2_interval=False).fit(y, v).tau2_


def pymare(method: str, y: np.ndarray, v: np.ndarray) -> Callable[[], float]:
    column_y, column_v, intercept = y[:, None], v[:, None], np.ones((len(y), 1))

    def run() -> float:
        estimator = (DerSimonianLaird() if method == "DL"
                     else VarianceBasedLikelihoodEstimator(method="REML"))
        return float(np.ravel(estimator.fit(column_y, column_v, intercept).params_["tau2"])[0])

    return run


def statsmodels(method_re: str, y: np.ndarray, v: np.ndarray) -> Callable[[], float]:
    def run() -> float:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return float(combine_effects(y, v, method_re=method_re).tau2)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    print(f"{'k':>6} {'model':>5} {'ours ms':>9} {'PyMARE ms':>10} {'ratio':>7} "
          f"{'statsmodels ms':>15} {'ratio':>7}   statsmodels estimator")
    for k in SIZES:
        y, v = simulate(k, options.seed)
        for method, sm_method, tolerance in (("DL", "chi2", 1e-6), ("REML", "iterated", 1e-4)):
            our_time, our_tau2 = median_seconds(ours(method, y, v), options.repeats)
            pm_time, pm_tau2 = median_seconds(pymare(method, y, v), options.repeats)
            sm_time, sm_tau2 = median_seconds(statsmodels(sm_method, y, v), options.repeats)
            if not np.isclose(our_tau2, pm_tau2, rtol=tolerance, atol=1e-10):
                raise SystemExit(f"k={k} {method}: tau^2 {our_tau2} (ours) against {pm_tau2} (PyMARE)")
            if method == "DL" and not np.isclose(our_tau2, sm_tau2, rtol=tolerance, atol=1e-10):
                raise SystemExit(f"k={k} DL: tau^2 {our_tau2} (ours) against {sm_tau2} (statsmodels)")
            print(f"{k:>6} {method:>5} {our_time * 1e3:9.3f} {pm_time * 1e3:10.3f} {pm_time / our_time:7.1f} "
                  f"{sm_time * 1e3:15.3f} {sm_time / our_time:7.1f}   {sm_method}")


if __name__ == "__main__":
    main()
