"""Input columns: coercion to float arrays of one length, and checks that name the argument and row.

Rows count from 0, as in the arrays the caller passed. A missing value (None, NaN or an empty
string) is not an error: it makes that row's effect size NaN, with a note. An impossible value (a
negative standard deviation, a correlation of 1.3) is an error, because it means the data were
entered wrongly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
from numpy.typing import ArrayLike, NDArray

from livingreview.errors import BadInput

Column = NDArray[np.float64]


class EffectSizeInputError(BadInput):
    """Input that no effect size can be computed from: the message names the argument and row."""


def row_count(values: Mapping[str, ArrayLike]) -> int:
    """The common length of the array arguments; scalars broadcast, so all-scalar input is one row."""
    lengths = {}
    for name, value in values.items():
        array = np.asarray(value, dtype=object)
        if array.ndim > 0:
            lengths[name] = len(array)
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise EffectSizeInputError(f"the arguments must have one row per study, but {described} rows")
    return next(iter(lengths.values()), 1)


def as_column(name: str, value: ArrayLike, rows: int) -> Column:
    """`value` as a float array of `rows` rows: None becomes NaN, a scalar is repeated."""
    raw = np.asarray(value, dtype=object)
    if raw.ndim > 1:
        raise EffectSizeInputError(f"{name} must be one value or one column of values, got shape {raw.shape}")
    cells = np.atleast_1d(raw)
    column = np.empty(len(cells), dtype=np.float64)
    for row, cell in enumerate(cells):
        column[row] = _as_number(name, row, cell)
    if raw.ndim == 0 and rows != 1:
        column = np.repeat(column, rows)
    infinite = np.isinf(column)
    if infinite.any():
        _raise_for_rows(name, column, infinite, "is infinite; give a finite number or leave the cell empty")
    return column


def _as_number(name: str, row: int, cell: object) -> float:
    if cell is None or (isinstance(cell, str) and not cell.strip()):  # an empty spreadsheet cell
        return float("nan")
    if isinstance(cell, (bool, np.bool_)):
        raise EffectSizeInputError(f"{name}[{row}] = {cell!r}: expected a number, got a truth value")
    try:
        return float(cell)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise EffectSizeInputError(f"{name}[{row}] = {cell!r}: expected a number") from None


def _raise_for_rows(name: str, column: Column, bad: NDArray[np.bool_], problem: str) -> None:
    rows = np.flatnonzero(bad)
    first = int(rows[0])
    more = f" (and {len(rows) - 1} more rows)" if len(rows) > 1 else ""
    raise EffectSizeInputError(f"{name}[{first}] = {column[first]:g}: {problem}{more}")


def check(name: str, column: Column, is_valid: Callable[[Column], NDArray[np.bool_]], problem: str) -> None:
    """Raise for the first row (missing values aside) where `is_valid` is false."""
    with np.errstate(invalid="ignore"):
        bad = ~np.isnan(column) & ~is_valid(column)
    if bad.any():
        _raise_for_rows(name, column, bad, problem)


def check_pair(name: str, column: Column, other_name: str, other: Column,
               is_valid: Callable[[Column, Column], NDArray[np.bool_]], problem: str) -> None:
    """Raise for the first row where `is_valid(column, other)` is false, showing both values."""
    with np.errstate(invalid="ignore"):
        bad = np.flatnonzero(~np.isnan(column) & ~np.isnan(other) & ~is_valid(column, other))
    if bad.size:
        row = int(bad[0])
        raise EffectSizeInputError(
            f"{name}[{row}] = {column[row]:g}: {problem} ({other_name}[{row}] = {other[row]:g})")


def check_sd(name: str, column: Column) -> None:
    check(name, column, lambda sd: sd >= 0, "a standard deviation cannot be negative")


def check_group_size(name: str, column: Column) -> None:
    check(name, column, lambda n: n >= 2, "a sample size must be at least 2 for a standard deviation to exist")


def check_count(name: str, column: Column) -> None:
    check(name, column, lambda count: count >= 0, "a count cannot be negative")


def check_correlation(name: str, column: Column) -> None:
    check(name, column, lambda r: (r > -1) & (r < 1), "a correlation must lie strictly between -1 and 1")
