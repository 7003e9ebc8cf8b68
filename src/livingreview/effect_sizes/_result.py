"""The result of an effect-size computation: one estimate and sampling variance per row."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from livingreview.effect_sizes._columns import Column


@dataclass(frozen=True)
class EffectSizes:
    """Estimates `yi` and sampling variances `vi` in metafor's `escalc` sense, row by row.

    `notes[i]` is None when row i was computed as documented, and otherwise says what happened:
    why the row is NaN (a missing input, a zero standard deviation) or what was assumed to compute
    it (1/2 added to the cells of a table with a zero cell, the default pre-post correlation).
    `computed_from[i]` says which statistics row i was computed from ("means and SDs", "t statistic",
    ...), which a review records beside the effect size.
    """

    measure: str
    yi: Column
    vi: Column
    notes: tuple[str | None, ...]
    computed_from: tuple[str, ...]

    def __post_init__(self) -> None:
        lengths = {len(self.yi), len(self.vi), len(self.notes), len(self.computed_from)}
        if len(lengths) != 1:
            raise ValueError(f"yi, vi, notes and computed_from must have one entry per row, got lengths {lengths}")

    def __len__(self) -> int:
        return len(self.yi)

    @property
    def sei(self) -> Column:
        """Standard errors, sqrt(vi)."""
        return np.sqrt(self.vi)

    def fill_missing(self, other: EffectSizes) -> EffectSizes:
        """Rows that are NaN here, taken from `other` (metafor's `replmiss`): for a table of studies
        that report different statistics, compute from means and SDs first, then fill the gaps from
        t statistics, p values, and so on."""
        if other.measure != self.measure or len(other) != len(self):
            raise ValueError(
                f"can only fill {self.measure} x {len(self)} rows from the same measure and row count, "
                f"got {other.measure} x {len(other)}"
            )
        take = np.isnan(self.yi) | np.isnan(self.vi)
        return EffectSizes(
            measure=self.measure,
            yi=np.where(take, other.yi, self.yi),
            vi=np.where(take, other.vi, self.vi),
            notes=tuple(o if t else s for s, o, t in zip(self.notes, other.notes, take)),
            computed_from=tuple(o if t else s for s, o, t in zip(self.computed_from, other.computed_from, take)),
        )
