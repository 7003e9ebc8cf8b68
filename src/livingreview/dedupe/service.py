"""The dedupe stage against the review store: match new records, record pairs, regroup studies.

A run matches records without a study (new since the last run) against all records, writes each
duplicate, companion or uncertain pair to `duplicate_pairs`, then regroups every record into
`studies`, all in one transaction with a `dedupe.run` event. Pairs already recorded are never
rewritten, so a human's confirmation or rejection stands, and a second run with nothing new
changes nothing but the log.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from livingreview.dedupe.blocking import candidate_pairs
from livingreview.dedupe.compare import Verdict, fuzzy_score, judge
from livingreview.dedupe.features import ABSTRACT_PREFIX, Features, record_features
from livingreview.dedupe.grouping import PairRow, assign_studies, group_records
from livingreview.errors import BadInput
from livingreview.store import Store
from livingreview.store import dedupe as pairs_table
from livingreview.store import studies as grouping
from livingreview.store.db import now
from livingreview.store.records import cached_study_of

ACTOR = "livingreview"
HUMAN_STATUSES = ("confirmed", "rejected")
# How often (in records read or pairs judged) the progress callback hears from a run.
PROGRESS_EVERY = 5000
# Enough of the abstract to compare openings, with room for what normalising strips.
_ABSTRACT_CHARS = ABSTRACT_PREFIX + 100

Progress = Callable[[str, int, int], None]


class DedupeError(BadInput):
    """A human decision that cannot be applied: unknown record, same record twice, not yet run."""


@dataclass(frozen=True)
class DedupeResult:
    records: int
    new_records: int
    pairs_compared: int
    studies: int
    duplicate_groups: int
    auto_pairs: int
    uncertain_pairs: int
    confirmed_pairs: int
    rejected_pairs: int
    new_pairs: int
    studies_created: int
    studies_emptied: int
    records_regrouped: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def run_dedupe(store: Store, on_progress: Progress | None = None) -> DedupeResult:
    report = on_progress or (lambda stage, done, total: None)
    features = load_features(store, report)
    new_records = sum(1 for f in features if f.is_new)
    report("blocking", 0, len(features))
    candidates = candidate_pairs(features)
    report("blocking", len(features), len(features))
    verdicts = _judge_all(features, candidates, report)
    with store.transaction():
        new_pairs = pairs_table.insert_pairs(
            store, (pairs_table.NewPair(a, b, v.relation, v.method, v.score, v.status, v.reason)
                    for a, b, v in verdicts), ACTOR, now())
        regrouped = regroup(store, newly_matched=[f.id for f in features if f.is_new], features=features)
        result = _summary(store, new_records, len(candidates), new_pairs, regrouped)
        event = store.log("dedupe", "dedupe.run", detail=result.as_dict())
        grouping.append_changes(store, regrouped.changes, event)
    return result


def load_features(store: Store, report: Progress | None = None) -> list[Features]:
    fields = pairs_table.match_fields(store, _ABSTRACT_CHARS)
    features: list[Features] = []
    for start in range(0, len(fields), PROGRESS_EVERY):
        if report:
            report("reading records", start, len(fields))
        features.extend(_features(f) for f in fields[start:start + PROGRESS_EVERY])
    if report:
        report("reading records", len(fields), len(fields))
    return features


def load_features_for(store: Store, ids: Sequence[int]) -> list[Features]:
    return [_features(f) for f in pairs_table.match_fields(store, _ABSTRACT_CHARS, ids)]


def _features(row: pairs_table.MatchFields) -> Features:
    return record_features(
        id=row.id, study_id=row.study_id, source=row.source, source_id=row.source_id,
        title=row.title, abstract=row.abstract, authors=row.authors, journal=row.journal,
        year=_year(row.year), volume=row.volume, issue=row.issue, pages=row.pages, doi=row.doi,
        pmid=row.pmid, pmcid=row.pmcid, nct_ids=row.nct_ids,
        publication_types=row.publication_types,
    )


def _year(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _judge_all(
    features: Sequence[Features], candidates: Sequence[tuple[int, int]], report: Progress
) -> list[tuple[int, int, Verdict]]:
    verdicts = []
    for done, (i, j) in enumerate(candidates):
        if done % PROGRESS_EVERY == 0:
            report("matching", done, len(candidates))
        verdict = judge(features[i], features[j])
        if verdict is not None:
            a, b = sorted((features[i].id, features[j].id))
            verdicts.append((a, b, verdict))
    report("matching", len(candidates), len(candidates))
    return verdicts


@dataclass(frozen=True)
class Regrouped:
    """What one regrouping did, and the history rows to append with its event."""

    studies_created: int
    studies_emptied: int
    records_moved: int
    changes: grouping.MembershipChanges


def regroup(store: Store, newly_matched: Sequence[int] = (),
            features: Sequence[Features] | None = None) -> Regrouped:
    """Recompute groups from the pairs for records already in a study and `newly_matched`; any
    other record (stored since the run read its records) stays new for the next run.

    Studies are the groups of every accepted pair; the reports of a study are its records
    grouped by accepted duplicate pairs alone, so a companion (registry entry, abstract,
    secondary analysis) stays a report of its own. Study and report ids stay with the group
    holding most of their records; a study left without records redirects to the study that
    took most of them. Writes new ids and the cached `records.study_id` (counted as moved);
    the caller appends `changes` with the event it logs. `features` (read again when not given)
    supply the identifiers that keep automatic links from chaining different articles.
    """
    current: dict[int, int | None] = {record: None for record in newly_matched}
    current.update(grouping.cached_studies(store))
    stored = pairs_table.pairs(store)
    if features is None:  # a human's pair decision: only records in accepted pairs can chain
        linked = {r for p in stored if p.status in ("auto", "confirmed") for r in (p.record_a, p.record_b)}
        features = load_features_for(store, sorted(linked & current.keys()))
    groups = group_records(sorted(current), [_pair_row(p) for p in stored], _identities(features))
    study_of = _place(store, groups, current, grouping.create_studies)
    moves = [(study, record) for record, study in study_of.items() if current[record] != study]
    grouping.apply_study_cache(store, moves)
    old_reports = grouping.current_reports(store)
    held: dict[int, int | None] = {record: old_reports.get(record) for record in current}
    report_of = _place(store, _report_groups(groups, stored), held, grouping.create_reports)
    changes = _membership_changes(store, old_reports, report_of, study_of)
    emptied = sorted({s for s in current.values() if s is not None} - set(study_of.values()))
    changes.redirects.extend((study, _heir(study, current, study_of)) for study in emptied)
    created = len(set(study_of.values()) - {s for s in current.values() if s is not None})
    return Regrouped(created, len(emptied), len(moves), changes)


def _pair_row(pair: pairs_table.StoredPair) -> PairRow:
    return PairRow(pair.record_a, pair.record_b, pair.score, pair.status, pair.relation, pair.method)


def _identities(features: Sequence[Features]) -> dict[int, tuple[str | None, str | None]]:
    """(DOI, PMID) of the records that are reports in their own right: a companion (erratum,
    conference abstract, preprint, registry entry) carries identifiers of its own by nature."""
    return {f.id: (f.doi, f.pmid) for f in features
            if not (f.erratum or f.conference or f.preprint or f.registry)}


def _place(store: Store, groups: Sequence[list[int]], current: dict[int, int | None],
           create: Callable[[Store, int], list[int]]) -> dict[int, int]:
    """record → id of its group: kept from `current` where it can be, else newly created."""
    kept, needing_new = assign_studies(groups, current)
    kept.update(zip(needing_new, create(store, len(needing_new))))
    return {record: kept[index] for index, group in enumerate(groups) for record in group}


def _report_groups(study_groups: Sequence[list[int]],
                   stored: Sequence[pairs_table.StoredPair]) -> list[list[int]]:
    """Each study group split by its duplicate pairs (rejections still keep records apart)."""
    group_of = {record: index for index, group in enumerate(study_groups) for record in group}
    within: dict[int, list[PairRow]] = {}
    for pair in stored:
        index = group_of.get(pair.record_a)
        if index is None or index != group_of.get(pair.record_b):
            continue
        if pair.relation == "duplicate" or pair.status == "rejected":
            within.setdefault(index, []).append(_pair_row(pair))
    reports: list[list[int]] = []
    for index, group in enumerate(study_groups):
        reports.extend(group_records(group, within[index]) if index in within else
                       [[record] for record in group])
    return reports


def _membership_changes(store: Store, old_reports: dict[int, int], report_of: dict[int, int],
                        study_of: dict[int, int]) -> grouping.MembershipChanges:
    """History rows turning the stored grouping into the new one: records changing report,
    reports changing study, and reports left without records leaving their study."""
    old_studies = grouping.current_report_studies(store)
    changes = grouping.MembershipChanges()
    changes.record_reports = [(record, old_reports.get(record), report)
                              for record, report in sorted(report_of.items())
                              if old_reports.get(record) != report]
    new_studies = {report_of[record]: study_of[record] for record in report_of}
    changes.report_studies = [(report, old_studies.get(report), study)
                              for report, study in sorted(new_studies.items())
                              if old_studies.get(report) != study]
    holding = set({**old_reports, **report_of}.values())
    changes.report_studies.extend((report, study, None) for report, study in sorted(old_studies.items())
                                  if report not in holding)
    return changes


def _heir(study: int, before: dict[int, int | None], after: dict[int, int]) -> int:
    """Where an emptied study went: the study now holding most of its former records (the
    lowest id on a tie)."""
    counts = Counter(after[record] for record, old in before.items() if old == study)
    return min(counts, key=lambda target: (-counts[target], target))


def _summary(store: Store, new_records: int, compared: int, new_pairs: int,
             regrouped: Regrouped) -> DedupeResult:
    by_status = pairs_table.pair_counts(store)
    counts = pairs_table.grouped_counts(store)
    return DedupeResult(
        records=counts["records"], new_records=new_records, pairs_compared=compared,
        studies=counts["studies"], duplicate_groups=counts["duplicate_groups"],
        auto_pairs=by_status.get("auto", 0), uncertain_pairs=by_status.get("uncertain", 0),
        confirmed_pairs=by_status.get("confirmed", 0), rejected_pairs=by_status.get("rejected", 0),
        new_pairs=new_pairs, studies_created=regrouped.studies_created,
        studies_emptied=regrouped.studies_emptied, records_regrouped=regrouped.records_moved,
    )


# --- human review -------------------------------------------------------------------------------

def uncertain_pairs(store: Store) -> list[dict[str, Any]]:
    """Pairs waiting for a human, best score first, each with both records side by side."""
    rows = pairs_table.uncertain_pairs(store)
    ids = sorted({r["record_a"] for r in rows} | {r["record_b"] for r in rows})
    sides = pairs_table.record_sides(store, ids)
    return [{"pair_id": r["id"], "relation": r["relation"], "method": r["method"], "score": r["score"],
             "reason": r["reason"] or "reason not recorded",
             "a": sides[r["record_a"]], "b": sides[r["record_b"]]} for r in rows]


@dataclass(frozen=True)
class PairDecision:
    record_a: int
    record_b: int
    status: str
    previous_status: str | None
    study_a: int
    study_b: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def decide_pair(store: Store, first: int, second: int, status: str, decided_by: str) -> PairDecision:
    """Record a human's `confirmed` or `rejected` for two records, then regroup."""
    if status not in HUMAN_STATUSES:
        raise DedupeError(f"a decision is one of {', '.join(HUMAN_STATUSES)}, not {status!r}")
    if first == second:
        raise DedupeError(f"record {first} cannot be paired with itself")
    a, b = sorted((first, second))
    with store.transaction():
        for record in (a, b):
            _grouped_study(store, record)
        previous = pairs_table.pair_status(store, a, b)
        decided_at = now()
        if previous:
            pairs_table.set_pair_status(store, a, b, status, decided_by, decided_at)
        else:
            manual = pairs_table.NewPair(a, b, "duplicate", "manual", _pair_score(store, a, b), status)
            pairs_table.insert_pairs(store, [manual], decided_by, decided_at)
        regrouped = regroup(store)
        decision = PairDecision(a, b, status, previous, _grouped_study(store, a),
                                _grouped_study(store, b))
        event = store.log("dedupe", f"dedupe.{status.removesuffix('ed')}", subject=f"{a},{b}",
                          detail=decision.as_dict(), actor=decided_by)
        grouping.append_changes(store, regrouped.changes, event)
    return decision


def _grouped_study(store: Store, record: int) -> int:
    exists, study = cached_study_of(store, record)
    if not exists:
        raise DedupeError(f"record {record} does not exist")
    if study is None:
        raise DedupeError(
            f"record {record} has not been through deduplication yet; run `livingreview dedupe` first")
    return study


def _pair_score(store: Store, a: int, b: int) -> float:
    by_id = {f.id: f for f in load_features_for(store, (a, b))}
    assessed = fuzzy_score(by_id[a], by_id[b])
    return round(assessed[0], 4) if assessed else 0.0


# --- status -------------------------------------------------------------------------------------

def dedupe_status(store: Store) -> dict[str, Any]:
    pairs = pairs_table.pair_counts(store)
    relations = pairs_table.accepted_relation_counts(store)
    counts = pairs_table.grouped_counts(store)
    return {
        "runs": len(store.events("dedupe", "dedupe.run")),
        "records_pending": counts["pending"],
        "reports": grouping.grouping_counts(store)["reports"],
        "studies": counts["studies"],
        "duplicate_groups": counts["duplicate_groups"],
        "pairs": {status: pairs.get(status, 0) for status in ("auto", "uncertain", "confirmed", "rejected")},
        "linked_by": {relation: relations.get(relation, 0) for relation in ("duplicate", "companion", "registry")},
    }
