"""`escalc`: effect sizes and sampling variances under metafor's measure and argument names."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike

from livingreview.effect_sizes import _formulas as formulas
from livingreview.effect_sizes._columns import (
    Column,
    EffectSizeInputError,
    as_column,
    check_correlation,
    check_count,
    check_group_size,
    check_pair,
    check_sd,
    row_count,
)
from livingreview.effect_sizes._notes import RowNotes
from livingreview.effect_sizes._result import EffectSizes

Formula = Callable[[dict[str, Column], RowNotes], formulas.Estimates]

TWO_GROUP_MEANS = ("m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i")
TABLE_CELLS = ("ai", "bi", "ci", "di")
TABLE_WITH_GROUP_SIZES = ("ai", "n1i", "ci", "n2i")
PAIRED_MEANS = ("m1i", "m2i", "sd1i", "sd2i", "ni", "ri")
ZERO_CELL_RULES = ("only0", "all", "if0all", "none")
WITHIN_SUBJECT = ("MC", "SMCC", "SMCR")


@dataclass(frozen=True)
class Measure:
    """One `escalc` measure: its metafor name, what it is, and the argument sets it accepts
    (a row needs every argument of one set; for 2x2 tables, the cells or events with group sizes)."""

    name: str
    description: str
    argument_sets: tuple[tuple[str, ...], ...]
    computed_from: str
    formula: Formula

    @property
    def arguments(self) -> frozenset[str]:
        return frozenset(name for names in self.argument_sets for name in names)

    @property
    def is_table(self) -> bool:
        return self.argument_sets[0] == TABLE_CELLS


def _measure(name: str, description: str, argument_sets: tuple[tuple[str, ...], ...],
             computed_from: str, formula: Formula) -> tuple[str, Measure]:
    return name, Measure(name, description, argument_sets, computed_from, formula)


MEASURES: Mapping[str, Measure] = MappingProxyType(dict([
    _measure("SMD", "Hedges' g: standardized mean difference on the pooled SD, exact small-sample correction",
             (TWO_GROUP_MEANS,), "means and SDs", formulas.smd),
    _measure("MD", "raw mean difference m1i - m2i (variance without assuming equal SDs)",
             (TWO_GROUP_MEANS,), "means and SDs", formulas.md),
    _measure("ROM", "log ratio of means log(m1i / m2i)", (TWO_GROUP_MEANS,), "means and SDs", formulas.rom),
    _measure("OR", "log odds ratio of a 2x2 table", (TABLE_CELLS, TABLE_WITH_GROUP_SIZES),
             "2x2 table", formulas.log_odds_ratio),
    _measure("RR", "log risk ratio of a 2x2 table", (TABLE_CELLS, TABLE_WITH_GROUP_SIZES),
             "2x2 table", formulas.log_risk_ratio),
    _measure("RD", "risk difference of a 2x2 table", (TABLE_CELLS, TABLE_WITH_GROUP_SIZES),
             "2x2 table", formulas.risk_difference),
    _measure("COR", "raw correlation coefficient", (("ri", "ni"),), "correlation", formulas.correlation),
    _measure("ZCOR", "Fisher's r-to-z transformed correlation", (("ri", "ni"),), "correlation",
             formulas.fisher_z),
    _measure("MN", "raw mean of one group", (("mi", "sdi", "ni"),), "mean and SD", formulas.mean),
    _measure("MC", "raw mean change m1i - m2i within subjects (pre-post or crossover)",
             (PAIRED_MEANS,), "paired means and SDs", formulas.mean_change),
    _measure("SMCC", "standardized mean change, standardized by the SD of the change scores",
             (PAIRED_MEANS,), "paired means and SDs", formulas.standardized_change_by_change_sd),
    _measure("SMCR", "standardized mean change, standardized by sd1i (the raw-score SD)",
             (("m1i", "m2i", "sd1i", "ni", "ri"),), "paired means and SDs",
             formulas.standardized_change_by_raw_sd),
]))


def escalc(
    measure: str,
    *,
    ai: ArrayLike | None = None,
    bi: ArrayLike | None = None,
    ci: ArrayLike | None = None,
    di: ArrayLike | None = None,
    n1i: ArrayLike | None = None,
    n2i: ArrayLike | None = None,
    m1i: ArrayLike | None = None,
    m2i: ArrayLike | None = None,
    sd1i: ArrayLike | None = None,
    sd2i: ArrayLike | None = None,
    mi: ArrayLike | None = None,
    sdi: ArrayLike | None = None,
    ri: ArrayLike | None = None,
    ni: ArrayLike | None = None,
    ri_default: float | None = None,
    add: float = 0.5,
    to: str = "only0",
) -> EffectSizes:
    """Effect sizes `yi` and sampling variances `vi` for `measure`, one row per study.

    Argument names, measures and defaults are metafor's (`escalc`, version 4.6.0): group 1 is the
    treatment (or post) group, so a positive SMD favours higher values in group 1. 2x2 tables are
    `ai, bi` (events, non-events in group 1) and `ci, di` (group 2), or `ai, n1i, ci, n2i`.
    A table with a zero cell gets `add` (1/2) in each of its four cells (`to="only0"`; also "all",
    "if0all", "none"), as metafor does for OR, RR and RD. `ri_default` is the pre-post or crossover
    correlation (usually the protocol's) for MC, SMCC and SMCR rows whose `ri` is missing.

    Missing inputs (None, NaN) make a row NaN with a note; impossible ones raise
    EffectSizeInputError naming the argument and row.
    """
    spec = _lookup(measure)
    given = {name: value for name, value in dict(
        ai=ai, bi=bi, ci=ci, di=di, n1i=n1i, n2i=n2i, m1i=m1i, m2i=m2i, sd1i=sd1i, sd2i=sd2i,
        mi=mi, sdi=sdi, ri=ri, ni=ni).items() if value is not None}
    arguments = _argument_set(spec, given, ri_default)
    rows = row_count(given)
    columns = {name: as_column(name, value, rows) for name, value in given.items()}
    notes = RowNotes(rows)
    _validate(spec, columns)
    if spec.is_table:
        columns = _complete_table(columns)
        arguments = TABLE_CELLS
    if "ri" in arguments and ri_default is not None:
        columns["ri"] = _fill_default_correlation(columns.get("ri"), ri_default, rows, notes)
    _note_missing(columns, arguments, notes)
    if spec.is_table:
        columns.update(_zero_cell_correction(columns, add, to, notes))
    return finish(spec.name, spec.formula, columns, notes, spec.computed_from)


def finish(measure: str, formula: Formula, columns: dict[str, Column], notes: RowNotes,
           computed_from: str) -> EffectSizes:
    """Evaluate `formula`, then make every row either finite or NaN, as metafor does (a +-Inf yi or
    vi becomes NA), with a note wherever a row came out NaN without one."""
    with np.errstate(all="ignore"):
        yi, vi = formula(columns, notes)
    unusable = ~np.isfinite(yi)
    vi = np.where(unusable | ~np.isfinite(vi), np.nan, vi)
    yi = np.where(unusable, np.nan, yi)
    noted = np.array([notes.has_note(row) for row in range(len(yi))], dtype=bool)
    unexplained = (np.isnan(yi) | np.isnan(vi)) & ~noted
    notes.add(unexplained, "the inputs give no finite estimate or variance")
    return EffectSizes(measure, yi, vi, notes.as_tuple(), (computed_from,) * len(yi))


def _lookup(measure: str) -> Measure:
    try:
        return MEASURES[measure]
    except KeyError:
        raise EffectSizeInputError(
            f"unknown measure {measure!r}; escalc computes {', '.join(MEASURES)}"
        ) from None


def _argument_set(spec: Measure, given: Mapping[str, object], ri_default: float | None) -> tuple[str, ...]:
    unused = sorted(set(given) - spec.arguments)
    if unused:
        raise EffectSizeInputError(
            f"escalc({spec.name!r}) does not use {', '.join(unused)}; it takes "
            + " or ".join(", ".join(names) for names in spec.argument_sets))
    if ri_default is not None and spec.name not in WITHIN_SUBJECT:
        raise EffectSizeInputError(f"escalc({spec.name!r}) has no pre-post correlation to default: drop ri_default")
    available = set(given) | ({"ri"} if ri_default is not None else set())
    for names in spec.argument_sets:
        if available.issuperset(names):
            return names
    missing = [name for name in spec.argument_sets[0] if name not in available]
    raise EffectSizeInputError(f"escalc({spec.name!r}) needs {', '.join(spec.argument_sets[0])}; "
                               f"missing: {', '.join(missing)}")


def _validate(spec: Measure, columns: Mapping[str, Column]) -> None:
    for name, column in columns.items():
        if name.startswith("sd"):
            check_sd(name, column)
        elif name in TABLE_CELLS or (spec.is_table and name in ("n1i", "n2i")):
            check_count(name, column)
        elif name in ("n1i", "n2i", "ni"):
            check_group_size(name, column)
        elif name == "ri":
            check_correlation(name, column)


def _complete_table(columns: dict[str, Column]) -> dict[str, Column]:
    """Cells from events and group sizes where those were given (bi = n1i - ai, di = n2i - ci).
    A table may carry both cells and group sizes (exports often do) as long as they agree."""
    table = dict(columns)
    for events, group, cell in (("ai", "n1i", "bi"), ("ci", "n2i", "di")):
        if group in table and cell in table:
            check_pair(f"{events}+{cell}", table[events] + table[cell], group, table.pop(group),
                       lambda total, n: total == n, "the cells do not add up to the group size")
        elif group in table:
            size = table.pop(group)
            check_pair(events, table[events], group, size, lambda count, n: count <= n,
                       "more events than the group has")
            table[cell] = size - table[events]
    return table


def _fill_default_correlation(ri: Column | None, default: float, rows: int, notes: RowNotes) -> Column:
    if not -1 < default < 1:
        raise EffectSizeInputError(f"ri_default={default!r}: a correlation must lie strictly between -1 and 1")
    given = ri if ri is not None else np.full(rows, np.nan)
    assumed = np.isnan(given)
    notes.add(assumed, f"pre-post correlation not reported; assumed ri = {default:g}")
    return np.where(assumed, default, given)


def _note_missing(columns: Mapping[str, Column], arguments: tuple[str, ...], notes: RowNotes) -> None:
    for name in arguments:
        notes.add(np.isnan(columns[name]), f"{name} is missing")


def _zero_cell_correction(cells: Mapping[str, Column], add: float, to: str, notes: RowNotes) -> dict[str, Column]:
    """metafor's `add`/`to`: add `add` to all four cells of the rows `to` selects."""
    if to not in ZERO_CELL_RULES:
        raise EffectSizeInputError(f"to={to!r}: expected one of {', '.join(ZERO_CELL_RULES)}")
    if not (np.isfinite(add) and add >= 0):
        raise EffectSizeInputError(f"add={add!r}: expected a finite number >= 0")
    has_zero = np.any([cells[name] == 0 for name in TABLE_CELLS], axis=0)
    selected = {"only0": has_zero, "all": np.ones_like(has_zero),
                "if0all": np.full_like(has_zero, has_zero.any()), "none": np.zeros_like(has_zero)}[to]
    if add > 0:
        notes.add(selected, f"{add:g} added to each cell (to={to!r})")
    return {name: np.where(selected, cells[name] + add, cells[name]) for name in TABLE_CELLS}
