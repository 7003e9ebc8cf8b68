"""Per-row notes, collected while computing and joined at the end."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


class RowNotes:
    def __init__(self, rows: int) -> None:
        self._notes: list[list[str]] = [[] for _ in range(rows)]

    @classmethod
    def carrying(cls, notes: tuple[str | None, ...]) -> RowNotes:
        """Notes that start from those of an earlier computation over the same rows."""
        carried = cls(len(notes))
        carried._notes = [[note] if note is not None else [] for note in notes]
        return carried

    def add(self, where: NDArray[np.bool_], text: str) -> None:
        for row in np.flatnonzero(where):
            if text not in self._notes[row]:
                self._notes[row].append(text)

    def has_note(self, row: int) -> bool:
        return bool(self._notes[row])

    def as_tuple(self) -> tuple[str | None, ...]:
        return tuple("; ".join(notes) if notes else None for notes in self._notes)
