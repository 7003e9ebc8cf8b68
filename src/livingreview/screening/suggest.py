"""Suggestions for the whole queue: every unscreened record's criteria verdicts, evidence and rank.

"Unscreened" means no one has labelled the record's unit at the stage. The rank comes from the
active-learning ranker trained on the team's settled outcomes once there is at least one include
and one exclude, otherwise from the criteria verdicts. Nothing here decides anything: it is the
queue made auditable.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from livingreview.files import replacing
from livingreview.safe_text import for_csv
from livingreview.screening.criteria import RecordVerdict, Span, evaluate_record, verdict_features
from livingreview.screening.ranking import rank_unlabelled
from livingreview.screening.workflow import Screening, record_text


@dataclass(frozen=True)
class Suggestion:
    rank: int
    record_id: int
    score: float
    title: str | None
    verdict: RecordVerdict


@dataclass(frozen=True)
class Suggestions:
    stage: str
    ranked_by: str  # "ranker" or "criteria"
    items: list[Suggestion]

    def to_json(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "ranked_by": self.ranked_by,
            "records": [
                {"rank": s.rank, "record_id": s.record_id, "score": s.score, "title": s.title,
                 "criteria": [{"criterion": c.criterion, "verdict": c.verdict, "missing": list(c.missing),
                               "evidence": [asdict(span) for span in c.spans]}
                              for c in s.verdict.criteria]}
                for s in self.items
            ],
        }


def suggest(screening: Screening, stage: str = "title_abstract", *, seed: int = 0,
            on_progress: Callable[[str, int, int], None] | None = None) -> Suggestions:
    """Every unscreened unit with its verdicts and rank; progress comes as (what, done, total)."""
    state = screening.state(stage)
    eligible = screening.eligible(stage)
    ordered = screening.records(eligible)
    verdicts = []
    for done, record in enumerate(ordered, start=1):
        verdicts.append(evaluate_record(screening.protocol, record, stage))
        if on_progress is not None and (done % 500 == 0 or done == len(ordered)):
            on_progress("criteria verdicts", done, len(ordered))
    outcomes = [state.outcome(u) for u in eligible]
    # Settled outcomes train the ranker; a maybe leans in, as it does in a reviewer's own queue.
    labels = {i: int(o != "exclude") for i, o in enumerate(outcomes) if o in ("include", "exclude", "maybe")}
    unscreened = [i for i, o in enumerate(outcomes) if o is None]
    if set(labels.values()) == {0, 1}:
        features = np.asarray([verdict_features(v) for v in verdicts], dtype=float)
        extra = features if features.size else None  # a protocol may have no criteria at a stage
        ranked = rank_unlabelled(
            [record_text(r) for r in ordered], labels, seed=seed, extra_features=extra, on_progress=on_progress)
        wanted = set(unscreened)
        order = [(i, score) for i, score in ranked if i in wanted]
        ranked_by = "ranker"
    else:
        order = sorted(((i, verdicts[i].score) for i in unscreened), key=lambda item: (-item[1], item[0]))
        ranked_by = "criteria"
    items = [Suggestion(rank, int(ordered[i].id or 0), float(score), ordered[i].title, verdicts[i])
             for rank, (i, score) in enumerate(order, start=1)]
    return Suggestions(stage, ranked_by, items)


def write_csv(suggestions: Suggestions, path: Path) -> None:
    """One row per record: rank, score, title, then per criterion its verdict and evidence."""
    criteria = [c.criterion for c in suggestions.items[0].verdict.criteria] if suggestions.items else []
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as partial, partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["rank", "record_id", "score", "ranked_by", "title",
                         *[column for c in criteria for column in (c, f"{c}_evidence")]])
        for item in suggestions.items:
            cells = []
            for verdict in item.verdict.criteria:
                cells += [verdict.verdict, "; ".join(describe_span(s) for s in verdict.spans)]
            writer.writerow([item.rank, item.record_id, f"{item.score:.6f}", suggestions.ranked_by,
                             for_csv(item.title or ""), *map(for_csv, cells)])


def describe_span(span: Span) -> str:
    """`title[12:20] "ketamine" intervention.ketamine`, with `not ` before a negated mention."""
    negation = "not " if span.negated else ""
    return f'{negation}{span.field}[{span.start}:{span.end}] "{span.text}" {span.vocabulary}.{span.term}'
