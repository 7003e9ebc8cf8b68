"""escalc against metafor's own output: every case and measure of the reference PyMARE 0.0.13 ships.

pymare/tests/data/metafor_escalc_reference.json holds `escalc(measure=<measure>, ...)` as run by
metafor 4.6.0 on R 4.4.1 over the eight designs of metafor_escalc_inputs.csv (balanced and very
unbalanced groups, n from 5 to 400, r from -0.9 to 0.99, a zero effect): MN, COR, ZCOR, SMCC
(called as the file's `sm_call` records), MD and SMD, plus Hedges' exact correction c(m) for the
one-sample (m = n - 1) and two-sample (m = n1 + n2 - 2) degrees of freedom. The files are read
where pip installed them; they are not copied into this repository.

Tolerance: 1e-8, required both absolutely and relatively (|ours - metafor| <= 1e-8 and
<= 1e-8 * |metafor|; an exact 0 must come out as 0 to 1e-15). Both sides evaluate the same closed
forms in double precision, and the file stores 17 significant digits, so honest results differ by
rounding (~1e-16). The relative bound matters for the small variances (COR at r = 0.99 has
vi = 1.65e-5, where an absolute 1e-8 alone would let a 0.06% error through); the absolute one for
the large estimates. Errors of substance are far coarser: the approximate correction
1 - 3/(4m - 1) in place of the exact c(m) is off by 2e-7 even at m = 398, and an SMD variance
with n1 + n2 - 2 instead of n1 + n2 in its last term by 9e-4 in balanced_small.
"""

from __future__ import annotations

import csv
import importlib.util
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from livingreview.effect_sizes import EffectSizes, escalc, hedges_correction

TOLERANCE = 1e-8
ZERO_FLOOR = 1e-15


def _reference_dir() -> Path:
    # find_spec locates the package without importing it (pymare's __init__ pulls in sympy).
    spec = importlib.util.find_spec("pymare")
    assert spec is not None and spec.submodule_search_locations, "pymare==0.0.13 is a test dependency"
    return Path(next(iter(spec.submodule_search_locations))) / "tests" / "data"


def _load() -> tuple[dict, dict[str, np.ndarray], list[str]]:
    data = _reference_dir()
    reference = json.loads((data / "metafor_escalc_reference.json").read_text(encoding="utf-8"))
    with (data / "metafor_escalc_inputs.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = [row["case"] for row in rows]
    inputs = {column: np.array([float(row[column]) for row in rows]) for column in rows[0] if column != "case"}
    return reference, inputs, names


REFERENCE, INPUTS, INPUT_CASES = _load()
CASES = REFERENCE["cases"]


def _escalc_column(measure: str) -> Callable[[], EffectSizes]:
    """How each measure of the file is called on the input grid (the file's `call` and `sm_call`)."""
    x = INPUTS
    calls: dict[str, Callable[[], EffectSizes]] = {
        "MN": lambda: escalc("MN", mi=x["m"], sdi=x["sd"], ni=x["n"]),
        "COR": lambda: escalc("COR", ri=x["r"], ni=x["n"]),
        "ZCOR": lambda: escalc("ZCOR", ri=x["r"], ni=x["n"]),
        # sm_call: escalc(measure="SMCC", m1i=m, m2i=0, sd1i=sd, sd2i=0, ni=n, ri=0)
        "SMCC": lambda: escalc("SMCC", m1i=x["m"], m2i=0, sd1i=x["sd"], sd2i=0, ni=x["n"], ri=0),
        "MD": lambda: escalc("MD", m1i=x["m1"], sd1i=x["sd1"], n1i=x["n1"], m2i=x["m2"], sd2i=x["sd2"], n2i=x["n2"]),
        "SMD": lambda: escalc("SMD", m1i=x["m1"], sd1i=x["sd1"], n1i=x["n1"], m2i=x["m2"], sd2i=x["sd2"],
                              n2i=x["n2"]),
    }
    return calls[measure]


MEASURES_IN_FILE = ("MN", "COR", "ZCOR", "SMCC", "MD", "SMD")
CORRECTIONS_IN_FILE = {"cm_one_sample": lambda: hedges_correction(INPUTS["n"] - 1),
                       "cm_two_sample": lambda: hedges_correction(INPUTS["n1"] + INPUTS["n2"] - 2)}
COMPUTED = {measure: _escalc_column(measure)() for measure in MEASURES_IN_FILE}
CORRECTIONS = {name: compute() for name, compute in CORRECTIONS_IN_FILE.items()}
CHECKED = [(case["case"], key) for case in CASES for key in (*MEASURES_IN_FILE, *CORRECTIONS_IN_FILE)]


def _errors(ours: float, metafor: float) -> tuple[float, float]:
    absolute = abs(ours - metafor)
    return absolute, (absolute / abs(metafor) if metafor != 0 else (0.0 if absolute <= ZERO_FLOOR else np.inf))


def _assert_agrees(ours: float, metafor: float, label: str) -> None:
    absolute, relative = _errors(ours, metafor)
    assert absolute <= TOLERANCE and relative <= TOLERANCE, (
        f"{label}: ours {ours!r}, metafor {metafor!r} (absolute error {absolute:.3g}, relative {relative:.3g})")


def test_reference_is_metafor_4_6_0_over_the_shipped_inputs():
    assert REFERENCE["source"]["metafor_version"] == "4.6.0"
    assert REFERENCE["source"]["sm_call"] == (
        'escalc(measure = "SMCC", m1i = m, m2i = 0, sd1i = sd, sd2i = 0, ni = n, ri = 0)')
    assert [case["case"] for case in CASES] == INPUT_CASES


def test_reference_grid_is_complete():
    """Every (case, key) in the file is among those checked below, and every checked pair is in the
    file: a measure added to the reference fails here until it is compared."""
    in_file = {(case["case"], key) for case in CASES for key in case if key != "case"}
    assert in_file == set(CHECKED)
    assert len(CASES) == 8 and len(CHECKED) == 8 * 8


@pytest.mark.parametrize(("case", "key"), CHECKED, ids=[f"{case}-{key}" for case, key in CHECKED])
def test_escalc_agrees_with_metafor(case: str, key: str):
    row = INPUT_CASES.index(case)
    metafor = next(entry for entry in CASES if entry["case"] == case)[key]
    if key in CORRECTIONS:
        _assert_agrees(float(CORRECTIONS[key][row]), metafor, f"{case} {key}")
        return
    ours = COMPUTED[key]
    assert ours.notes[row] is None
    _assert_agrees(float(ours.yi[row]), metafor["yi"], f"{case} {key} yi")
    _assert_agrees(float(ours.vi[row]), metafor["vi"], f"{case} {key} vi")


def largest_errors() -> tuple[float, float]:
    """The largest absolute and relative error over the whole grid (quoted in the docs)."""
    pairs = []
    for case in CASES:
        row = INPUT_CASES.index(case["case"])
        for key, ours in COMPUTED.items():
            pairs += [(float(ours.yi[row]), case[key]["yi"]), (float(ours.vi[row]), case[key]["vi"])]
        pairs += [(float(CORRECTIONS[key][row]), case[key]) for key in CORRECTIONS]
    errors = [_errors(ours, metafor) for ours, metafor in pairs]
    return max(a for a, _ in errors), max(r for _, r in errors)


def test_largest_error_over_the_grid_is_rounding():
    absolute, relative = largest_errors()
    assert absolute <= TOLERANCE and relative <= TOLERANCE
