"""Synthesis: meta-analysis whose numbers equal metafor's rma.uni, with its diagnostics and plots."""

from livingreview.synthesis.meta_analysis import (
    METHODS,
    TESTS,
    Coefficient,
    ConvergenceError,
    MetaAnalysis,
    MetaResult,
    meta_analysis,
)

__all__ = ["METHODS", "TESTS", "Coefficient", "ConvergenceError", "MetaAnalysis", "MetaResult", "meta_analysis"]
