"""Synthesis: meta-analysis whose numbers equal metafor's rma.uni, with its diagnostics and plots.

`MetaAnalysis(method, test).fit(yi, vi, mods).summary()` (or `meta_analysis(...)`) is rma.uni;
`leave_one_out`, `egger_test`, `trim_and_fill` and `subgroup_analysis` are leave1out, regtest,
trimfill and the separate-tau^2 subgroup recipe; `forest_plot` and `funnel_plot` draw the figures.
"""

from livingreview.synthesis._diagnostics import (
    EggerTest,
    LeaveOneOut,
    SubgroupAnalysis,
    TrimAndFill,
    egger_test,
    leave_one_out,
    subgroup_analysis,
    trim_and_fill,
)
from livingreview.synthesis._plots import forest_plot, funnel_plot
from livingreview.synthesis.meta_analysis import (
    METHODS,
    TESTS,
    Coefficient,
    ConvergenceError,
    MetaAnalysis,
    MetaResult,
    meta_analysis,
)

__all__ = [
    "METHODS", "TESTS", "Coefficient", "ConvergenceError", "EggerTest", "LeaveOneOut", "MetaAnalysis",
    "MetaResult", "SubgroupAnalysis", "TrimAndFill", "egger_test", "forest_plot", "funnel_plot",
    "leave_one_out", "meta_analysis", "subgroup_analysis", "trim_and_fill",
]
