"""Forest and funnel plots (matplotlib, Agg backend: files only, never a window)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from livingreview.synthesis._diagnostics import TrimAndFill
from livingreview.synthesis.meta_analysis import MetaResult


def _pyplot() -> ModuleType:
    """pyplot on the Agg backend, imported only when a figure is drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def forest_plot(result: MetaResult, paths: Sequence[Path], *, labels: Sequence[str] | None = None,
                measure: str = "effect size") -> None:
    """Studies with their confidence intervals (squares sized by weight), the pooled diamond and,
    for a random-effects model, the prediction interval as a bar under the diamond."""
    plt = _pyplot()
    k = result.k
    names = list(labels) if labels is not None else [f"Study {i + 1}" for i in range(k)]
    z = 1.959963984540054  # the study intervals are plain normal 95% intervals, as metafor's forest
    se = np.sqrt(result.vi)
    lower, upper = result.yi - z * se, result.yi + z * se
    rows = np.arange(k, 0, -1) + 1.0
    figure, axes = plt.subplots(figsize=(8.5, 1.2 + 0.32 * (k + 3)))
    axes.hlines(rows, lower, upper, color="black", linewidth=1)
    sizes = 20 + 180 * result.weights / result.weights.max()
    axes.scatter(result.yi, rows, s=sizes, marker="s", color="#1f4e79", zorder=3)
    pooled = result.intercept
    axes.fill([pooled.ci_lb, pooled.estimate, pooled.ci_ub, pooled.estimate], [0.5, 0.8, 0.5, 0.2],
              color="#b22222", zorder=3)
    if result.method != "EE":
        axes.hlines(0.5, result.pi[0], result.pi[1], color="#b22222", linewidth=1, linestyle=(0, (4, 2)))
    axes.axvline(0, color="grey", linewidth=0.8, linestyle=":")
    model = "EE model" if result.method == "EE" else f"RE model ({result.method})"
    if len(result.coefficients) > 1:  # with moderators the diamond is the intercept, not an average
        model = "intercept (moderators at 0)"
    axes.set_yticks([*rows, 0.5], [*names, model])
    for row, estimate, lo, hi, weight in zip(rows, result.yi, lower, upper, result.weights, strict=True):
        axes.annotate(f"{weight:4.1f}%  {estimate: .2f} [{lo: .2f}, {hi: .2f}]", (1.01, row),
                      xycoords=("axes fraction", "data"), va="center", fontsize=8, family="monospace")
    axes.annotate(f"       {pooled.estimate: .2f} [{pooled.ci_lb: .2f}, {pooled.ci_ub: .2f}]", (1.01, 0.5),
                  xycoords=("axes fraction", "data"), va="center", fontsize=8, family="monospace",
                  fontweight="bold")
    axes.set_ylim(-0.2, k + 1.8)
    axes.set_xlabel(measure)
    axes.set_title(f"k = {k}, tau\u00b2 = {result.tau2:.3g}, I\u00b2 = {result.i2:.1f}%, "
                   f"Q p = {result.q_pval:.3g}", fontsize=9)
    _save_forest(plt, figure, axes, paths)


def study_effects_plot(labels: Sequence[str], yi: Sequence[float], vi: Sequence[float], paths: Sequence[Path],
                       *, axis: str, title: str) -> None:
    """Each study's own estimate with its normal 95% interval, without a pooled diamond: the forest
    plot of a body too small to pool (a single study shows just its estimate)."""
    plt = _pyplot()
    estimates, se = np.asarray(yi, dtype=float), np.sqrt(np.asarray(vi, dtype=float))
    z = 1.959963984540054
    lower, upper = estimates - z * se, estimates + z * se
    k = len(estimates)
    rows = np.arange(k, 0, -1, dtype=float)
    figure, axes = plt.subplots(figsize=(10, 1.3 + 0.36 * (k + 1)))
    axes.hlines(rows, lower, upper, color="black", linewidth=1)
    reach = max(abs(float(lower.min())), abs(float(upper.max())), 0.5) * 1.15
    axes.set_xlim(-reach, reach)  # symmetric about no effect, so the side an interval leans to shows
    axes.scatter(estimates, rows, s=60, marker="s", color="#1f4e79", zorder=3)
    axes.axvline(0, color="grey", linewidth=0.8, linestyle=":")
    axes.set_yticks(rows, list(labels))
    for row, estimate, lo, hi in zip(rows, estimates, lower, upper, strict=True):
        axes.annotate(f"{estimate: .2f} [{lo: .2f}, {hi: .2f}]", (1.01, row), xycoords=("axes fraction", "data"),
                      va="center", fontsize=8, family="monospace")
    axes.set_ylim(0.4, k + 0.6)
    axes.set_xlabel(axis)
    axes.set_title(title, fontsize=9)
    _save_forest(plt, figure, axes, paths)


def _save_forest(plt: ModuleType, figure: Any, axes: Any, paths: Sequence[Path]) -> None:
    """A forest plot's frame (no box, no y ticks) and its files, then the figure is closed."""
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="y", length=0)
    figure.tight_layout()
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(figure)


def funnel_plot(result: MetaResult, paths: Sequence[Path], *, filled: TrimAndFill | None = None,
                measure: str = "effect size") -> None:
    """Effect against standard error (inverted axis) with the pseudo 95% region about the estimate;
    studies imputed by trim and fill are drawn as open circles."""
    plt = _pyplot()
    centre = result.intercept.estimate
    se = np.sqrt(result.vi)
    all_se = se if filled is None else np.concatenate([se, np.sqrt(filled.filled_vi)])
    top = float(all_se.max()) * 1.05
    figure, axes = plt.subplots(figsize=(6, 4.8))
    funnel_se = np.array([0.0, top])
    axes.fill_betweenx(funnel_se, centre - 1.96 * funnel_se, centre + 1.96 * funnel_se,
                       color="#eeeeee", zorder=0)
    axes.plot(centre - 1.96 * funnel_se, funnel_se, color="grey", linewidth=0.8, linestyle="--")
    axes.plot(centre + 1.96 * funnel_se, funnel_se, color="grey", linewidth=0.8, linestyle="--")
    axes.axvline(centre, color="black", linewidth=0.8)
    axes.scatter(result.yi, se, color="black", zorder=3, label="observed")
    if filled is not None and filled.k0 > 0:
        axes.scatter(filled.filled_yi, np.sqrt(filled.filled_vi), facecolors="white", edgecolors="black",
                     zorder=3, label=f"imputed by trim and fill ({filled.k0}, {filled.side})")
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, fontsize=8, frameon=False)
    axes.set_ylim(top, 0)
    axes.set_xlabel(measure)
    axes.set_ylabel("standard error")
    figure.tight_layout()
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=150)
    plt.close(figure)
