"""Every rma.uni reference case in PyMARE 0.0.13's wheel, asserted field by field.

The reference (pymare/tests/data/metafor_reference.json) was produced by metafor 4.6.0 on R 4.4.1:
`rma.uni(y, v, mods = <model>, data = <design>, method = <method>, test = <test>)` over four designs
(metafor_small_sample.csv), three models (intercept, one moderator, two), five methods (FE, DL, HE,
ML, REML) and three tests (z, knha, adhoc), with tau^2 intervals from
`confint(<fit>, control = list(tol = 1e-12, maxiter = 1000))`. The files are read from the installed
package (a test dependency), never copied here.
"""

from __future__ import annotations

import csv
import importlib.util
import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livingreview.synthesis import MetaAnalysis, MetaResult

# Closed-form estimators (FE, DL, HE) and everything computed from a given tau^2 agree to rounding.
CLOSED_FORM_RTOL = 1e-6
# ML and REML stop when a Fisher scoring step moves tau^2 by less than 1e-5, so the reported value
# is an iterate, not the exact optimum. We run metafor's iteration (same start, steps, halving and
# stopping rule), so we land on the same iterate up to floating-point order of operations; 1e-5 still
# bounds what an iterate can differ by if one extra step were taken.
ITERATIVE_RTOL = 1e-5
# Exact zeros (tau^2 truncated at 0, I^2 = 0, a zero lower bound) have no relative scale.
ZERO_ATOL = 1e-12

DESIGNS = ("equal_k5", "unequal_k5", "extreme_k10", "moderate_k20")
MODELS = ("intercept", "one", "two")
METHODS = ("FE", "DL", "HE", "ML", "REML")
TESTS = ("z", "knha", "adhoc")
FIELDS = ("beta", "se", "pval", "ci_lb", "ci_ub", "tau2", "QE", "QEp", "I2", "H2",
          "tau2_ci_lb", "tau2_ci_ub", "dof")


def _reference_dir() -> Path:
    # find_spec locates the package without importing it (pymare's __init__ pulls in sympy).
    spec = importlib.util.find_spec("pymare")
    assert spec is not None and spec.submodule_search_locations, "pymare==0.0.13 is a test dependency"
    return Path(next(iter(spec.submodule_search_locations))) / "tests" / "data"


def _load() -> tuple[dict[str, Any], dict[str, list[dict[str, str]]]]:
    directory = _reference_dir()
    reference = json.loads((directory / "metafor_reference.json").read_text(encoding="utf-8"))
    rows: dict[str, list[dict[str, str]]] = {}
    with (directory / "metafor_small_sample.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rows.setdefault(row["case"], []).append(row)
    return reference, rows


REFERENCE, SAMPLE = _load()
CASES = REFERENCE["cases"]


def _fit(case: dict[str, Any]) -> MetaResult:
    rows = SAMPLE[case["design"]]
    y = [float(row["y"]) for row in rows]
    v = [float(row["v"]) for row in rows]
    columns = {"intercept": (), "one": ("mod1",), "two": ("mod1", "mod2")}[case["model"]]
    mods = np.array([[float(row[c]) for c in columns] for row in rows]) if columns else None
    return MetaAnalysis(case["method"], case["test"]).fit(y, v, mods).summary()


def _ours(result: MetaResult) -> dict[str, Any]:
    rows = result.coefficients
    lower, upper = result.tau2_ci if result.tau2_ci else (None, None)
    return {
        "beta": [r.estimate for r in rows], "se": [r.se for r in rows], "pval": [r.pval for r in rows],
        "ci_lb": [r.ci_lb for r in rows], "ci_ub": [r.ci_ub for r in rows], "tau2": result.tau2,
        "QE": result.q, "QEp": result.q_pval, "I2": result.i2, "H2": result.h2,
        "tau2_ci_lb": lower, "tau2_ci_ub": upper, "dof": result.df,
    }


def test_the_reference_grid_is_complete_and_has_no_duplicates():
    assert REFERENCE["source"]["metafor_version"] == "4.6.0"
    seen = [(c["design"], c["model"], c["method"], c["test"]) for c in CASES]
    assert len(seen) == len(set(seen))
    assert set(seen) == set(itertools.product(DESIGNS, MODELS, METHODS, TESTS))
    assert all(set(FIELDS) <= set(case) for case in CASES)
    assert set(SAMPLE) == set(DESIGNS)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['design']}-{c['model']}-{c['method']}-{c['test']}")
def test_rma_uni_case_matches_metafor(case: dict[str, Any]):
    ours = _ours(_fit(case))
    rtol = ITERATIVE_RTOL if case["method"] in ("ML", "REML") else CLOSED_FORM_RTOL
    for name in FIELDS:
        expected = case[name]
        if expected is None:
            assert ours[name] is None, f"{name}: metafor gives none, we give {ours[name]}"
        else:
            _assert_close(np.atleast_1d(ours[name]).astype(float), np.atleast_1d(expected).astype(float),
                          rtol, name)


def _assert_close(ours: np.ndarray, expected: np.ndarray, rtol: float, name: str) -> None:
    """Relative agreement where metafor's value is non-zero, absolute ZERO_ATOL where it is 0."""
    assert ours.shape == expected.shape, name
    zero = expected == 0
    assert np.all(np.abs(ours[zero]) <= ZERO_ATOL), f"{name}: {ours} against metafor's {expected}"
    error = np.abs(ours[~zero] - expected[~zero]) / np.abs(expected[~zero])
    assert np.all(error <= rtol), f"{name}: {ours} against metafor's {expected} (relative {error.max():.2e})"
