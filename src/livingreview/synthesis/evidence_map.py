"""The evidence map: what has been studied, how often, in how many people, with what direction.

A drug x construct matrix for each outcome class (self-report, clinician-rated, behavioural,
neuroimaging, physiological). A cell counts the studies that gave the drug and measured the
construct with an outcome of that class, adds their participants (each study once per cell, its
`n_total`; studies that do not report one are counted apart) and tallies each study's direction
for the cell by the 70% rule of `effect_direction.domain_direction`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from livingreview.synthesis.effect_direction import domain_direction
from livingreview.synthesis.evidence import (
    DIRECTIONS,
    OUTCOME_CLASSES,
    Direction,
    StudyEvidence,
    in_order,
    select_studies,
)


@dataclass(frozen=True)
class MapCell:
    drug: str
    construct: str
    outcome_class: str
    studies: tuple[str, ...]  # study keys
    participants: int  # sum of n_total over the studies that report it
    without_n: int  # studies that do not report n_total
    directions: dict[Direction, int] = field(default_factory=dict)  # studies per direction
    without_direction: int = 0

    @property
    def k(self) -> int:
        return len(self.studies)

    @property
    def share_improved(self) -> float | None:
        """Share of the cell's studies with a direction whose direction is improved."""
        known = sum(self.directions.values())
        return self.directions.get("improved", 0) / known if known else None

    @property
    def net_direction(self) -> float | None:
        """(improved - worsened) / studies with a direction: +1 all improved, -1 all worsened, 0 when
        the studies found no difference, were mixed, or cancel out. None when no study has a direction."""
        known = sum(self.directions.values())
        if not known:
            return None
        return (self.directions.get("improved", 0) - self.directions.get("worsened", 0)) / known

    def to_dict(self) -> dict[str, Any]:
        return {"drug": self.drug, "construct": self.construct, "outcome_class": self.outcome_class,
                "k": self.k, "participants": self.participants, "studies_without_n": self.without_n,
                "studies": list(self.studies),
                "directions": {d: self.directions.get(d, 0) for d in DIRECTIONS},
                "studies_without_direction": self.without_direction, "share_improved": self.share_improved,
                "net_direction": self.net_direction}


@dataclass(frozen=True)
class EvidenceMap:
    drugs: tuple[str, ...]
    constructs: tuple[str, ...]
    outcome_classes: tuple[str, ...]  # the classes with at least one study
    cells: dict[tuple[str, str, str], MapCell]  # (drug, construct, outcome class)
    include_maybe: bool = False

    def cell(self, drug: str, construct: str, outcome_class: str) -> MapCell | None:
        return self.cells.get((drug, construct, outcome_class))

    def to_dict(self) -> dict[str, Any]:
        return {"drugs": list(self.drugs), "constructs": list(self.constructs),
                "outcome_classes": list(self.outcome_classes), "include_maybe": self.include_maybe,
                "cells": [cell.to_dict() for cell in self.cells.values()]}


def build_evidence_map(studies: Sequence[StudyEvidence], *, include_maybe: bool = False,
                       drug_order: Sequence[str] = (), construct_order: Sequence[str] = ()) -> EvidenceMap:
    chosen = select_studies(studies, include_maybe)
    members: dict[tuple[str, str, str], dict[str, list[Direction | None]]] = {}
    for study in chosen:
        for outcome in study.outcomes:
            for drug in study.drugs:
                cell = members.setdefault((drug, outcome.construct, outcome.outcome_class), {})
                cell.setdefault(study.key, []).append(outcome.direction)
    by_key = {study.key: study for study in chosen}
    cells = {}
    for (drug, construct, outcome_class), per_study in members.items():
        directions = [domain_direction(ds) for ds in per_study.values()]
        sizes = [by_key[key].n_total for key in per_study]
        cells[(drug, construct, outcome_class)] = MapCell(
            drug, construct, outcome_class, tuple(sorted(per_study)),
            participants=sum(n for n in sizes if n is not None), without_n=sizes.count(None),
            directions=dict(Counter(d for d in directions if d is not None)),
            without_direction=directions.count(None),
        )
    drugs = in_order({key[0] for key in cells}, drug_order)
    constructs = in_order({key[1] for key in cells}, construct_order)
    classes = [c for c in OUTCOME_CLASSES if any(key[2] == c for key in cells)]
    return EvidenceMap(tuple(drugs), tuple(constructs), tuple(classes), cells, include_maybe)
