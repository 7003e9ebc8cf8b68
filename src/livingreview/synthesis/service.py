"""`livingreview synthesize`: the included studies' evidence and appraisals, synthesised in one run.

Steps, each on the studies the protocol's conclusion rule counts (included, and 'maybe' when asked):

1. the evidence map, effect-direction table with sign tests, harvest plot and per-drug conclusions
   (`narrative.synthesize_evidence`);
2. a meta-analysis per drug and construct where at least `[synthesis] min_studies_for_meta`
   studies give an effect size of the same measure (one per study: its primary outcome on the
   construct, else its first), with the protocol's model, tau^2 estimator and test, and a forest plot;
   a study of several drugs is left out of pooling, since its effect is not one drug's; every other
   drug and construct with an effect size gets a forest plot of its study estimates, not pooled,
   with the studies awaiting classification marked (`effect_plots`), and a table says for each
   drug and construct which studies give no effect size and what their numbers lack;
3. a GRADE rating per drug and construct, from the final overall risk-of-bias judgements in the
   ledger; a body with a study not (or not yet conclusively) appraised is listed as not rated.

Evidence comes from `evidence_source`: the verified extractions of the ledger once there are any,
else the curated files of `DIR/evidence/`.

Files go to `DIR/report/synthesis/` with a `synthesis.json` of the whole result. The run is
idempotent: the same inputs write the same bytes, and a run whose result equals the last one's
(compared by digest) records no event and says "nothing changed".
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livingreview.errors import BadInput
from livingreview.extraction.verified import verified_evidence
from livingreview.protocol.models import Protocol
from livingreview.screening.workflow import Screening
from livingreview.store import Store, ledger
from livingreview.synthesis._plots import forest_plot
from livingreview.synthesis.certainty import (
    BodyOfEvidence,
    Design,
    PooledEffect,
    rate_certainty,
)
from livingreview.synthesis.certainty import StudyEvidence as GradeStudy
from livingreview.synthesis.effect_plots import EffectPlot, draw_effect_plots, effect_size_table
from livingreview.synthesis.evidence import OutcomeEvidence, StudyEvidence, load_evidence_dir, select_studies
from livingreview.synthesis.meta_analysis import MetaResult, meta_analysis
from livingreview.synthesis.narrative import SynthesisResult, synthesize_evidence

EVIDENCE_DIR = "evidence"
OUTPUT_DIR = Path("report") / "synthesis"
RESULT_FILE = "synthesis.json"
CURATED = "curated files"
VERIFIED = "verified extractions"


@dataclass(frozen=True)
class EvidenceSource:
    studies: tuple[StudyEvidence, ...]
    source: str  # CURATED, or where the verified extractions came from


def evidence_source(directory: Path, protocol: Protocol, store: Store) -> EvidenceSource:
    """The studies to synthesise: the verified extractions of the ledger when it holds any
    extraction judgements (`extraction.verified`), else the curated files of `DIR/evidence/`.
    Never both: a curated folder beside ledger extractions is loaded into the ledger with
    `extract --curated` instead."""
    extracted = [j for j in ledger.latest_judgements(store, "extraction_field") if not j.is_resolution]
    if extracted:
        studies = verified_evidence(store, protocol, Screening(store, protocol))
        return EvidenceSource(tuple(studies), VERIFIED)
    folder = directory / EVIDENCE_DIR
    if not folder.is_dir():
        raise BadInput(f"{directory} has no evidence to synthesise: no verified extractions and no "
                       f"{EVIDENCE_DIR}/ folder of curated evidence files")
    return EvidenceSource(tuple(load_evidence_dir(folder, protocol)), CURATED)


@dataclass(frozen=True)
class PooledBody:
    drug: str
    construct: str
    studies: tuple[str, ...]  # study keys, in pooling order
    labels: tuple[str, ...]
    measure: str
    result: MetaResult
    figure: str

    def to_dict(self) -> dict[str, Any]:
        return {"drug": self.drug, "construct": self.construct, "studies": list(self.studies),
                "measure": self.measure, "method": self.result.method, "test": self.result.test,
                **self.result.to_dict(), "figure": self.figure}


@dataclass(frozen=True)
class Synthesis:
    source: str
    narrative: SynthesisResult
    meta_analyses: tuple[PooledBody, ...]
    effect_plots: tuple[EffectPlot, ...]
    grade: tuple[dict[str, Any], ...]
    payload: dict[str, Any]
    digest: str
    changed: bool


def synthesize(directory: Path, protocol: Protocol, store: Store, evidence: EvidenceSource,
               risk_of_bias: Mapping[str, str | None], *, include_maybe: bool | None = None) -> Synthesis:
    """Run every step, write the files and `synthesis.json`, and log the run if its result changed.

    `risk_of_bias` maps a study key to its final overall judgement (None while unsettled).
    """
    out = directory / OUTPUT_DIR
    narrative = synthesize_evidence(evidence.studies, protocol, out, include_maybe=include_maybe)
    chosen = select_studies(evidence.studies, narrative.include_maybe)
    drugs = {t.id: t.label for t in protocol.vocabularies["intervention"].terms}
    constructs = {t.id: t.label for t in protocol.vocabularies["construct"].terms}
    pooled = _meta_analyses(chosen, protocol, out, drugs, constructs)
    with_maybe = select_studies(evidence.studies, include_maybe=True)
    drug_ids, construct_ids = ({label: term for term, label in m.items()} for m in (drugs, constructs))
    pooled_terms = {(drug_ids.get(p.drug, p.drug), construct_ids.get(p.construct, p.construct)) for p in pooled}
    effect_plots = draw_effect_plots(with_maybe, out, drugs, constructs, pooled_terms)
    grade = tuple(_grade(body, protocol, risk_of_bias, pooled, drugs, constructs)
                  for body in _bodies(chosen, narrative))
    payload = {
        "evidence_source": evidence.source,
        **narrative.to_dict(),
        "meta_analyses": [p.to_dict() for p in pooled],
        "forest_plots": [p.figure for p in pooled],
        "effect_plots": [p.to_dict() for p in effect_plots],
        "effect_sizes": effect_size_table(with_maybe, drugs, constructs),
        "grade": list(grade),
    }
    payload = _relative_paths(payload, directory)
    (out / RESULT_FILE).write_text(json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
    digest = _digest(out)
    previous = store.events("synthesis", "synthesis.run")
    changed = not previous or previous[-1]["detail"].get("digest") != digest
    if changed:
        store.log("synthesis", "synthesis.run", subject=str(OUTPUT_DIR), detail={
            "digest": digest, "evidence_source": evidence.source, "studies": len(chosen),
            "meta_analyses": len(pooled), "grade_rated": sum(g["certainty"] is not None for g in grade)})
    return Synthesis(evidence.source, narrative, pooled, effect_plots, grade, payload, digest, changed)


def _bodies(chosen: Sequence[StudyEvidence], narrative: SynthesisResult) -> list[tuple[str, str, list[StudyEvidence]]]:
    """(drug, construct, studies with an outcome on it) for each sign-tested drug and construct."""
    bodies = []
    for drug, construct in narrative.effect_direction.tests:
        studies = [s for s in chosen if drug in s.drugs and any(o.construct == construct for o in s.outcomes)]
        if studies:
            bodies.append((drug, construct, studies))
    return bodies


def _effect_outcome(study: StudyEvidence, construct: str) -> OutcomeEvidence | None:
    """The outcome a study contributes to pooling on a construct: its primary one, else its first."""
    with_effect = [o for o in study.outcomes if o.construct == construct and o.effect is not None]
    return next((o for o in with_effect if o.primary), with_effect[0] if with_effect else None)


def _meta_analyses(chosen: Sequence[StudyEvidence], protocol: Protocol, out: Path, drugs: Mapping[str, str],
                   constructs: Mapping[str, str]) -> tuple[PooledBody, ...]:
    settings = protocol.synthesis
    method = "EE" if settings.model == "fixed" else settings.tau2_estimator
    test = "knha" if settings.ci_method == "knapp-hartung" else "z"
    groups: dict[tuple[str, str, str], list[tuple[StudyEvidence, OutcomeEvidence]]] = {}
    for study in chosen:
        if len(study.drugs) != 1:
            continue
        for construct in dict.fromkeys(o.construct for o in study.outcomes):
            outcome = _effect_outcome(study, construct)
            if outcome is not None and outcome.effect is not None:
                groups.setdefault((study.drugs[0], construct, outcome.effect.measure), []).append((study, outcome))
    for stale in out.glob("forest_*.png"):  # bodies pooled by an earlier run on other evidence
        stale.unlink()
    pooled = []
    for (drug, construct, measure), members in sorted(groups.items()):
        if len(members) < settings.min_studies_for_meta:
            continue
        members.sort(key=lambda pair: pair[0].key)
        effects = [o.effect for _, o in members if o.effect is not None]
        result = meta_analysis([e.yi for e in effects], [e.vi for e in effects], method=method, test=test)
        figure = out / f"forest_{_slug(drug)}_{_slug(construct)}.png"
        labels = tuple(s.label for s, _ in members)
        forest_plot(result, [figure], labels=labels, measure=measure)
        pooled.append(PooledBody(drugs.get(drug, drug), constructs.get(construct, construct),
                                 tuple(s.key for s, _ in members), labels, measure, result, str(figure)))
    return tuple(pooled)


def _grade(body: tuple[str, str, list[StudyEvidence]], protocol: Protocol, risk_of_bias: Mapping[str, str | None],
           pooled: Sequence[PooledBody], drugs: Mapping[str, str], constructs: Mapping[str, str]) -> dict[str, Any]:
    drug, construct, studies = body
    outcome = f"{drugs.get(drug, drug)}: {constructs.get(construct, construct)}"
    row: dict[str, Any] = {"drug": drugs.get(drug, drug), "construct": constructs.get(construct, construct),
                           "studies": [s.key for s in studies], "certainty": None, "not_rated": None,
                           "start": None, "reasons": [], "effect": None}
    missing = [s.label for s in studies if risk_of_bias.get(s.key) is None]
    if missing:
        row["not_rated"] = f"risk of bias not appraised (or not settled) for {', '.join(missing)}"
        return row
    match = next((p for p in pooled if p.drug == drugs.get(drug, drug) and p.construct == constructs.get(construct, construct)), None)
    effect = None
    if match is not None:
        first = match.result.intercept
        effect = PooledEffect(match.measure, first.estimate, first.ci_lb, first.ci_ub, i2=match.result.i2)
        row["effect"] = {"measure": match.measure, "estimate": first.estimate, "ci_lb": first.ci_lb, "ci_ub": first.ci_ub}
    grade_studies = tuple(
        GradeStudy(s.label, risk_of_bias[s.key] or "", participants=s.n_total,
                   estimate=(o.effect.yi if (o := _effect_outcome(s, construct)) and o.effect else None))
        for s in studies)
    # A body is rated as randomised evidence only when every study in it was randomised.
    design: Design = "randomised" if all(s.is_randomised for s in studies) else "non-randomised"
    rating = rate_certainty(BodyOfEvidence(outcome, design, grade_studies, effect))
    row.update(certainty=rating.certainty, start=rating.start, design=design, reasons=list(rating.reasons()),
               downgrades={d.domain: {"levels": d.levels, "reason": d.reason} for d in rating.downgrades})
    return row


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _relative_paths(value: Any, directory: Path) -> Any:
    """Paths in the result relative to the project, so the result does not depend on where it sits."""
    if isinstance(value, dict):
        return {k: _relative_paths(v, directory) for k, v in value.items()}
    if isinstance(value, list):
        return [_relative_paths(v, directory) for v in value]
    if isinstance(value, str) and value.startswith(str(directory) + "/"):
        return value[len(str(directory)) + 1:]
    return value


def _digest(out: Path) -> str:
    """SHA-256 over every file written (names and bytes, in name order)."""
    hasher = hashlib.sha256()
    for path in sorted(p for p in out.iterdir() if p.is_file()):
        hasher.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()
