"""What the pages show, built from the stage code: the next record with its evidence, progress,
the stopping estimate, conflicts, a reviewer's own decisions, the dashboard's counts.

No rule is decided here: the queue, the criteria verdicts, the recall estimate and the outcomes
all come from `livingreview.screening`. Record text is untrusted; `highlight` escapes every
piece of it and returns markup only for the <mark> tags it adds itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from livingreview.project import Review
from livingreview.records import Record
from livingreview.safe_text import for_html
from livingreview.screening.criteria import RecordVerdict, Span, evaluate_record
from livingreview.screening.workflow import STAGES
from livingreview.web.queues import QueueBoard

SAMPLES = ("ranked", "random")


@dataclass(frozen=True)
class CriterionRow:
    id: str
    sentence: str
    verdict: str
    evidence: list[tuple[str, bool, int]]  # text, negated, vocabulary colour index
    missing: tuple[str, ...]


@dataclass
class ScreenView:
    stage: str
    sample: str
    seed: int
    reviewer: str
    record: Record | None = None
    title: Markup = Markup("")
    abstract: Markup = Markup("")
    grouped: list[int] = field(default_factory=list)
    meta: list[str] = field(default_factory=list)  # authors, journal, year: those present
    score: float | None = None
    criteria_score: float | None = None
    criteria: list[CriterionRow] = field(default_factory=list)
    reasons: list[tuple[str, str, str]] = field(default_factory=list)  # key, criterion id, sentence
    screened: int = 0
    units: int = 0
    pending: int = 0
    recall: str | None = None
    stop: str | None = None
    random_phase_hint: str | None = None
    vocabularies: list[str] = field(default_factory=list)


def highlight(text: str, field_name: str, spans: tuple[Span, ...], colours: dict[str, int]) -> Markup:
    """The field's text, escaped, with each term mention in a <mark> coloured by vocabulary.

    Overlapping mentions keep the first (the longest at that start, as the matcher found it).
    """
    pieces: list[str] = []
    position = 0
    for span in sorted((s for s in spans if s.field == field_name), key=lambda s: (s.start, -s.end)):
        if span.start < position or span.end > len(text):
            continue
        pieces.append(for_html(text[position:span.start]))
        negated = " negated" if span.negated else ""
        pieces.append(f'<mark class="v{colours.get(span.vocabulary, 0)}{negated}" '
                      f'title="{for_html(span.vocabulary)}">{for_html(text[span.start:span.end])}</mark>')
        position = span.end
    pieces.append(for_html(text[position:]))
    return Markup("".join(pieces))


def screen_view(review: Review, board: QueueBoard, reviewer: str, stage: str, sample: str, seed: int,
                first: int | None = None) -> ScreenView:
    """The next record for `reviewer` (or `first`, a record brought back by undo, when pending)."""
    key = (reviewer, stage, sample, seed)
    shown = board.next_record(key, first)
    # The ranking was computed a while ago: a unit someone settled since (a lead's resolution,
    # this reviewer in the CLI) is hidden now rather than shown again.
    while shown.unit is not None and not review.screening.still_pending(stage, reviewer, shown.unit):
        board.decided(reviewer, stage, shown.unit)
        shown = board.next_record(key, first)
    view = ScreenView(stage, sample, seed, reviewer, screened=shown.screened, units=shown.units,
                      pending=shown.pending, recall=shown.recall, stop=shown.stop,
                      random_phase_hint=shown.random_phase_hint)
    view.reasons = [(key, c.id, c.sentence) for key, c in zip(_REASON_KEYS, review.protocol.criteria)
                    if stage in c.stages]
    if shown.unit is None:
        return view
    unit, score = shown.unit, shown.score
    record = review.screening.records([unit])[0]
    verdict = evaluate_record(review.protocol, record, stage)
    colours = {name: i % 6 for i, name in enumerate(review.protocol.vocabularies)}
    view.vocabularies = list(colours)
    view.record, view.score, view.criteria_score = record, score, verdict.score
    view.title = highlight(verdict.fields.get("title", record.title or ""), "title", verdict.spans, colours)
    view.abstract = highlight(verdict.fields.get("abstract", record.abstract or ""), "abstract",
                              verdict.spans, colours)
    view.grouped = review.screening.group(unit)[1:]
    authors = "; ".join(record.authors[:3]) + (" et al." if len(record.authors) > 3 else "")
    view.meta = [str(part) for part in (authors, record.journal, record.year) if part]
    view.criteria = _criteria_rows(review, verdict, colours)
    return view


# The terminal screener's keys for criteria, so a reviewer's habit carries over.
_REASON_KEYS = "123456789abdfghjklmnoprstuvwxyz"


def _criteria_rows(review: Review, verdict: RecordVerdict, colours: dict[str, int]) -> list[CriterionRow]:
    rows = []
    for item in verdict.criteria:
        shown: dict[tuple[str, bool], int] = {}
        for span in item.spans:
            shown.setdefault((span.text.lower(), span.negated), colours.get(span.vocabulary, 0))
        rows.append(CriterionRow(item.criterion, review.protocol.criterion(item.criterion).sentence,
                                 item.verdict, [(t, n, c) for (t, n), c in shown.items()], item.missing))
    return rows


def dashboard_view(review: Review, board: QueueBoard, is_lead: bool) -> dict[str, Any]:
    status = board.project_status()  # computed apart from the server, at most seconds old
    report = review.report_dir / "index.html"
    return {
        "records": status["records"],
        "screening": {stage: status["screening"].get(stage, {}) for stage in STAGES},
        "stopping": status["stopping"],
        "agreement": review.agreement() if is_lead else [],
        "disagreements": _open_disagreements(review) if is_lead else {},
        "report": report.exists(),
        "prisma": (review.report_dir / "prisma.png").exists(),
    }


def _open_disagreements(review: Review) -> dict[str, int]:
    """How many extraction fields and risk-of-bias domains await a lead's resolution."""
    # Imported here, as Review does: the appraisal stage pulls in scipy, which screening pages need not load.
    from livingreview.appraisal.service import ROB_DOMAIN, STAGE
    from livingreview.extraction import verify
    from livingreview.store import ledger

    return {"extraction": len(verify.conflicts(review.store)),
            "risk of bias": len(ledger.conflicts(review.store, ROB_DOMAIN, STAGE))}


def own_decisions(review: Review, reviewer: str, stage: str) -> list[dict[str, Any]]:
    """The reviewer's current labels; another reviewer's label shows only where they conflict."""
    screening = review.screening
    state = screening.state(stage)
    rows = []
    for unit, by in sorted(state.labels.items()):
        if reviewer not in by:
            continue
        mine = by[reviewer]
        outcome = state.outcome(unit)
        others = {name: d.label for name, d in by.items() if name != reviewer} if outcome == "conflict" else {}
        rows.append({"record_id": unit, "label": mine.label, "reason": mine.reason, "note": mine.note,
                     "outcome": outcome if outcome == "conflict" or unit in state.resolutions else None,
                     "others": others, "title": screening.records([unit])[0].title or ""})
    return rows


def conflict_rows(review: Review, stage: str) -> list[dict[str, Any]]:
    screening = review.screening
    return [{"record_id": c.record_id, "labels": c.labels, "reasons": c.reasons,
             "title": screening.records([c.record_id])[0].title or ""}
            for c in screening.conflicts(stage)]
