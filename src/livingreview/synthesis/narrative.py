"""Synthesis without meta-analysis in one call: evidence map, effect direction, harvest plot and
per-drug conclusions, written to a folder for the report.

`synthesize_evidence(studies, protocol, out_dir)` is what `livingreview synthesize` calls. Which
studies count (included only, or 'maybe' too) is the protocol's `[synthesis.conclusions]
include_maybe`, unless the caller overrides it, and is the same for every part. It writes:

- figures, each as PNG and SVG: `evidence_map`, `effect_direction`, `harvest_plot`;
- tables as CSV (cells neutralised against spreadsheet formulas): `evidence_map.csv` (one row per
  drug, construct and outcome class), `sign_tests.csv` (per drug and construct),
  `conclusions.csv` (per drug).

Rerunning on the same evidence writes the same files (SVGs without dates or random ids).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from livingreview.protocol.models import Protocol
from livingreview.files import replacing
from livingreview.safe_text import for_csv
from livingreview.synthesis.conclusions import ConclusionTable, conclude
from livingreview.synthesis.effect_direction import EffectDirectionTable, effect_direction_table
from livingreview.synthesis.evidence import DIRECTIONS, StudyEvidence
from livingreview.synthesis.evidence_map import EvidenceMap, build_evidence_map
from livingreview.synthesis.plots_map import effect_direction_plot, evidence_map_plot, harvest_plot, save_figure

FIGURE_FORMATS = (".png", ".svg")


@dataclass(frozen=True)
class SynthesisResult:
    evidence_map: EvidenceMap
    effect_direction: EffectDirectionTable
    conclusions: ConclusionTable
    include_maybe: bool
    figures: dict[str, tuple[Path, ...]]  # figure name -> its files (none when nothing to draw)
    tables: dict[str, Path]

    def conclusion_text(self) -> str:
        return self.conclusions.text()

    def to_dict(self) -> dict[str, Any]:
        return {
            "include_maybe": self.include_maybe,
            "evidence_map": self.evidence_map.to_dict(),
            "effect_direction": self.effect_direction.to_dict(),
            "conclusions": self.conclusions.to_dict(),
            "conclusion_table": self.conclusions.rows(),
            "conclusion_text": [c.text(self.conclusions.construct_labels) for c in self.conclusions.conclusions],
            "figures": {name: [str(p) for p in paths] for name, paths in self.figures.items()},
            "tables": {name: str(path) for name, path in self.tables.items()},
        }


def synthesize_evidence(studies: Sequence[StudyEvidence], protocol: Protocol, out_dir: str | Path, *,
                        include_maybe: bool | None = None, drug_vocabulary: str = "intervention",
                        construct_vocabulary: str = "construct") -> SynthesisResult:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    maybe = protocol.synthesis.conclusions.include_maybe if include_maybe is None else include_maybe
    drug_terms = protocol.vocabularies[drug_vocabulary].terms
    construct_terms = protocol.vocabularies[construct_vocabulary].terms
    drug_labels = {t.id: t.label for t in drug_terms}
    construct_labels = {t.id: t.label for t in construct_terms}
    order = {"drug_order": [t.id for t in drug_terms], "construct_order": [t.id for t in construct_terms]}
    evidence_map = build_evidence_map(studies, include_maybe=maybe, **order)
    directions = effect_direction_table(studies, include_maybe=maybe, **order)
    conclusions = conclude(studies, protocol, include_maybe=maybe, drug_vocabulary=drug_vocabulary,
                           construct_vocabulary=construct_vocabulary)
    figures: dict[str, tuple[Path, ...]] = {"evidence_map": (), "effect_direction": (), "harvest_plot": ()}
    if evidence_map.cells:
        figures["evidence_map"] = _save(evidence_map_plot(evidence_map, drug_labels, construct_labels),
                                        out / "evidence_map")
    if directions.rows:
        figures["effect_direction"] = _save(effect_direction_plot(directions, drug_labels, construct_labels),
                                            out / "effect_direction")
        figures["harvest_plot"] = _save(harvest_plot(directions, drug_labels, construct_labels), out / "harvest_plot")
    tables = {
        "evidence_map": _write_csv(out / "evidence_map.csv", _map_rows(evidence_map, drug_labels, construct_labels)),
        "sign_tests": _write_csv(out / "sign_tests.csv", _sign_test_rows(directions, drug_labels, construct_labels)),
        "conclusions": _write_csv(out / "conclusions.csv", conclusions.rows()),
    }
    return SynthesisResult(evidence_map, directions, conclusions, maybe, figures, tables)


def _save(figure: Figure, stem: Path) -> tuple[Path, ...]:
    return tuple(save_figure(figure, stem.with_suffix(suffix)) for suffix in FIGURE_FORMATS)


def _map_rows(evidence_map: EvidenceMap, drugs: dict[str, str], constructs: dict[str, str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for (drug, construct, outcome_class), cell in evidence_map.cells.items():
        rows.append({"drug": drugs.get(drug, drug), "construct": constructs.get(construct, construct),
                     "outcome_class": outcome_class, "k": cell.k, "participants": cell.participants,
                     "studies_without_n": cell.without_n, **{d: cell.directions.get(d, 0) for d in DIRECTIONS},
                     "studies_without_direction": cell.without_direction, "studies": "; ".join(cell.studies)})
    return rows


def _sign_test_rows(table: EffectDirectionTable, drugs: dict[str, str],
                    constructs: dict[str, str]) -> list[dict[str, Any]]:
    return [{"drug": drugs.get(drug, drug), "construct": constructs.get(construct, construct), **test.to_dict()}
            for (drug, construct), test in table.tests.items()]


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    with replacing(path) as partial, partial.open("w", newline="", encoding="utf-8") as handle:
        if rows:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows({k: for_csv(v) for k, v in row.items()} for row in rows)
    return path
