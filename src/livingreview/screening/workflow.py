"""The screening workflow: two stages, independent reviewers, conflicts, resolution and undo.

The unit of screening is the study: records the deduplicator grouped are screened once, through
the group's first record, and a record not yet grouped is its own unit. Units are recomputed from
the store's grouping (`store.grouping.record_studies`) whenever it changes, so grouping done after
some decisions still gathers them.

Decisions are judgements of kind `screening_unit` in the judgement ledger (`store.ledger`), with
the item id `record:<id>` of the unit's representative record at the time. They are append-only.
A reviewer's current label for a unit is their latest standing decision on any record of it, read
by one query, not by replaying the history. `undo` withdraws the reviewer's latest current
decision by appending a row (`undone = 1`) that supersedes it, and the decision before it counts
again: include, exclude, undo leaves include; a second undo leaves the unit unscreened by them. A
resolution (`is_resolution = 1`) settles a unit for everyone. Each decision is committed together
with its event before the call returns, so whatever a caller has acknowledged is on disk.

Each decision also records how its unit was drawn (`drawn`): from the ranked queue, from a seeded
uniformly random order of the reviewer's pending units, or chosen by the reviewer. Only units
drawn at random may feed the random-sample stopping rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from hashlib import blake2b
from typing import Any, Literal

import numpy as np

from livingreview.errors import BadInput
from livingreview.protocol import Protocol
from livingreview.records import Record
from livingreview.screening.criteria import evaluate_record, verdict_features
from livingreview.screening.texts import ranking_text
from livingreview.store import Store, ledger
from livingreview.store.grouping import grouping_fingerprint, record_studies, records_by_id
from livingreview.store.ledger import SCREENING_UNIT, Judgement, LogEntry, NewJudgement
from livingreview.store.reviewers import Reviewer, Role, reviewers, set_role

Stage = Literal["title_abstract", "full_text"]
Label = Literal["include", "exclude", "maybe"]
Drawn = Literal["ranked", "random", "chosen"]
Order = Literal["ranked", "random"]
STAGES: tuple[Stage, ...] = ("title_abstract", "full_text")
LABELS: tuple[Label, ...] = ("include", "exclude", "maybe")
DRAWN: tuple[Drawn, ...] = ("ranked", "random", "chosen")
ORDERS: tuple[Order, ...] = ("ranked", "random")
RESOLUTION_LABELS = ("include", "exclude")
NO_REASON = "no reason given"
# How `decide(reviewer_kind=...)` maps onto the role a new reviewer gets in the ledger.
REVIEWER_ROLES: dict[str, Role] = {"person": "reviewer", "model": "model"}


class ScreeningError(BadInput):
    """A decision that cannot be recorded; the message names the record and what was expected."""


@dataclass(frozen=True)
class Decision:
    id: int
    stage: str
    record_id: int
    study_id: int | None
    reviewer: str
    label: str
    reason: str | None
    note: str | None
    is_resolution: bool
    supersedes: int | None
    undone: bool
    decided_at: str
    # ranked / random / chosen; None on decisions stored before this was recorded (unknown).
    drawn: str | None = None


@dataclass(frozen=True)
class Conflict:
    stage: str
    record_id: int
    study_id: int | None
    labels: dict[str, str]  # reviewer → label
    reasons: dict[str, str | None]


@dataclass(frozen=True)
class _Units:
    """The screening units as of one grouping fingerprint, with each unit's records at hand:
    `group` is asked on every decision, and scanning 50k records for it made deciding lag."""

    fingerprint: int
    unit_of: dict[int, tuple[int, int | None]]  # record id → (representative record id, study id)
    units: list[int]  # representative record ids, in record order
    members: dict[int, list[int]]  # representative record id → its records, in record order

    @classmethod
    def of(cls, fingerprint: int, unit_of: dict[int, tuple[int, int | None]]) -> _Units:
        members: dict[int, list[int]] = {}
        for record_id, (unit, _) in unit_of.items():
            members.setdefault(unit, []).append(record_id)
        return cls(fingerprint, unit_of, sorted(members), members)


@dataclass
class StageState:
    """Current labels of one stage, by unit (representative record id)."""

    labels: dict[int, dict[str, Decision]] = field(default_factory=dict)
    resolutions: dict[int, Decision] = field(default_factory=dict)

    def pending_for(self, unit: int, reviewer: str, reviewers_per_unit: int | None = None) -> bool:
        """Still to screen by `reviewer`: they have no current label on it, it is not resolved, and
        fewer than `reviewers_per_unit` reviewers (when set) have labelled it."""
        labels = self.labels.get(unit, {})
        return (reviewer not in labels and unit not in self.resolutions
                and (reviewers_per_unit is None or len(labels) < reviewers_per_unit))

    def outcome(self, unit: int) -> str | None:
        """include / exclude / maybe / conflict, or None when no one has screened the unit."""
        if unit in self.resolutions:
            return self.resolutions[unit].label
        labels = {d.label for d in self.labels.get(unit, {}).values()}
        if not labels:
            return None
        if "exclude" in labels:
            # maybe counts against exclude: someone wants to look further
            return "exclude" if labels == {"exclude"} else "conflict"
        return "include" if labels == {"include"} else "maybe"


    def exclusion_reason(self, unit: int, order: Mapping[str, int] | None = None) -> str | None:
        """The criterion an excluded unit counts under: the resolution's, else the reviewers'
        first in `order` (criterion id → rank; ids outside it after, by id); None when none given."""
        if unit in self.resolutions:
            return self.resolutions[unit].reason
        reasons = [d.reason for d in self.labels.get(unit, {}).values() if d.reason]
        ranks = order or {}
        return min(reasons, key=lambda r: (ranks.get(r, len(ranks)), r)) if reasons else None


# At title-abstract a maybe goes on to full text, where the answer can be found.
FORWARDED = ("include", "maybe")


class ScreeningState:
    """What the decisions of a review say: units, current labels, outcomes, conflicts, counts.

    Needs only the store, so `status` can report it without the protocol.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._units: _Units | None = None

    # --- units ----------------------------------------------------------------------------------

    def unit_map(self) -> dict[int, tuple[int, int | None]]:
        """record id → (representative record id, study id)."""
        return self._unit_cache().unit_of

    def units(self) -> list[int]:
        """Representative record ids of every unit, in record order."""
        return list(self._unit_cache().units)

    def _unit_cache(self) -> _Units:
        # Rebuilt only when records were added or regrouped: reading 50k rows on every decision
        # would make the screener lag. The fingerprint is one row the store keeps up to date.
        fingerprint = grouping_fingerprint(self.store)
        if self._units is None or self._units.fingerprint != fingerprint:
            self._units = _Units.of(fingerprint, screening_units(record_studies(self.store)))
        return self._units

    def record(self, record_id: int) -> Record:
        found = records_by_id(self.store, (record_id,))
        if not found:
            raise ScreeningError(f"record {record_id} is not in this review")
        return found[0]

    def group(self, record_id: int) -> list[int]:
        """Every record id screened together with `record_id` (its dedup group)."""
        units = self._unit_cache()
        if record_id not in units.unit_of:
            raise ScreeningError(f"record {record_id} is not in this review")
        return list(units.members[units.unit_of[record_id][0]])

    # --- reading decisions ---------------------------------------------------------------------

    def decisions(self, stage: str | None = None) -> list[Decision]:
        """Every decision of `stage` (or of all stages), undo rows included, in the order made."""
        units = self.unit_map()
        return [_decision(j, units) for j in ledger.judgements(self.store, SCREENING_UNIT, stage)]

    def state(self, stage: str, *, as_of_event: int | None = None) -> StageState:
        """Current labels and resolutions (as they stood just after `as_of_event`, when given)."""
        _check_stage(stage)
        return self._state_of(ledger.latest_judgements(self.store, SCREENING_UNIT, stage, as_of_event=as_of_event))

    def _state_of(self, current: Iterable[Judgement]) -> StageState:
        state = StageState()
        units = self.unit_map()
        # The ledger gives the current judgement per record; records grouped after they were
        # decided fold into one unit, where the latest (highest id, rows come in id order) counts.
        for judgement in current:
            decision = _decision(judgement, units)
            unit = units.get(decision.record_id, (decision.record_id, None))[0]
            if decision.is_resolution:
                state.resolutions[unit] = decision
            else:
                state.labels.setdefault(unit, {})[decision.reviewer] = decision
        return state

    def eligible(self, stage: str, state: dict[str, StageState] | None = None) -> list[int]:
        """Units that enter `stage`: all at title-abstract, those included there at full text."""
        if stage == "title_abstract":
            return self.units()
        _check_stage(stage)
        first = (state or {}).get("title_abstract") or self.state("title_abstract")
        return [u for u in self.units() if first.outcome(u) in FORWARDED]

    def conflicts(self, stage: str) -> list[Conflict]:
        state = self.state(stage)
        units = self.unit_map()
        found = []
        for unit in self.eligible(stage):
            if state.outcome(unit) != "conflict":
                continue
            current = state.labels[unit]
            found.append(Conflict(stage, unit, units[unit][1],
                                  {r: d.label for r, d in sorted(current.items())},
                                  {r: d.reason for r, d in sorted(current.items())}))
        return found

    def pending(self, stage: str, reviewer: str) -> list[int]:
        """Units `reviewer` has still to screen at `stage`, in record order (see `queue`)."""
        state, enough = self.state(stage), self.reviewers_per_unit()
        return [u for u in self.eligible(stage) if state.pending_for(u, reviewer, enough)]

    def still_pending(self, stage: str, reviewer: str, record_id: int) -> bool:
        """Whether the unit of `record_id` is still to be screened by `reviewer` at `stage`, read
        from the judgements on that unit alone: a server showing a queue computed a while ago
        asks this of the one record it is about to show, not of the whole stage."""
        _check_stage(stage)
        items = [_item(r) for r in self.group(record_id)]
        state = self._state_of(ledger.latest_judgements(self.store, SCREENING_UNIT, stage, item_ids=items))
        return state.pending_for(self.unit_map()[record_id][0], reviewer, self.reviewers_per_unit())

    def reviewers_per_unit(self) -> int | None:
        """How many reviewers screen each unit; None: every reviewer screens every unit."""
        return None

    def own_labels(self, stage: str, reviewer: str) -> dict[int, str]:
        """unit → label, of this reviewer only: a queue never reveals anyone else's labels."""
        state = self.state(stage)
        return {u: by[reviewer].label for u, by in state.labels.items() if reviewer in by}

    def summary(self) -> dict[str, dict[str, Any]]:
        """Per stage: units, screened, included, excluded, maybe, conflicts, per reviewer."""
        states: dict[str, StageState] = {stage: self.state(stage) for stage in STAGES}
        result: dict[str, dict[str, Any]] = {}
        for stage in STAGES:
            state = states[stage]
            eligible = self.eligible(stage, states)
            outcomes = [state.outcome(u) for u in eligible]
            reviewers: dict[str, dict[str, int]] = {}
            for unit in eligible:
                for reviewer, decision in state.labels.get(unit, {}).items():
                    counts = reviewers.setdefault(reviewer, {"screened": 0, **{l: 0 for l in LABELS}})
                    counts["screened"] += 1
                    counts[decision.label] += 1
            reasons = Counter(state.exclusion_reason(u) or NO_REASON for u, o in zip(eligible, outcomes)
                              if o == "exclude")
            result[stage] = {
                "units": len(eligible),
                "screened": sum(o is not None for o in outcomes),
                "included": outcomes.count("include"),
                "excluded": outcomes.count("exclude"),
                "excluded_by_reason": dict(sorted(reasons.items())),
                "maybe": outcomes.count("maybe"),
                "conflicts": outcomes.count("conflict"),
                "resolved": sum(u in state.resolutions for u in eligible),
                "reviewers": dict(sorted(reviewers.items())),
            }
        return result



class Screening(ScreeningState):
    """Screening of one review: reads and appends decisions in its store, under its protocol."""

    def __init__(self, store: Store, protocol: Protocol) -> None:
        super().__init__(store)
        self.protocol = protocol
        # Remembered for the life of this object (one screening session): records do not change
        # while they are screened, and re-reading 50k of them per decision would dominate.
        self._features: dict[tuple[int, str], list[float]] = {}
        self._records: dict[int, Record] = {}
        self._ranker_inputs: tuple[tuple[int, ...], list[str], np.ndarray | None] | None = None
        # stage → (the units it was sorted for, their criteria order)
        self._criteria_orders: dict[str, tuple[tuple[int, ...], list[tuple[int, float]]]] = {}

    # --- writing decisions ---------------------------------------------------------------------

    def decide(
        self,
        stage: str,
        record_id: int,
        reviewer: str,
        label: str,
        *,
        reason: str | None = None,
        note: str | None = None,
        reviewer_kind: str = "person",
        drawn: str = "chosen",
    ) -> Decision:
        """Record one reviewer's label for the unit of `record_id`; committed before returning.

        `drawn` says how the unit came to the reviewer: "ranked" (the ranked queue), "random"
        (the random order of `queue(order="random")`) or "chosen" (picked by the reviewer).
        """
        reviewer = _check_reviewer(reviewer)
        _check_stage(stage)
        _check_choice("label", label, LABELS, record_id)
        _check_choice("drawn", drawn, DRAWN, record_id)
        _check_choice("reviewer kind", reviewer_kind, tuple(REVIEWER_ROLES), record_id)
        reason = self._check_reason(stage, label, reason, record_id)
        unit, study = self._unit(record_id)
        if stage == "full_text":
            outcome = self.state("title_abstract").outcome(unit)
            if outcome not in FORWARDED:
                raise ScreeningError(
                    f"record {record_id} is not at full text: its title-abstract outcome is "
                    f"{outcome or 'unscreened'} (only included or maybe records go on to full text)"
                )
        new = NewJudgement(SCREENING_UNIT, _item(unit), stage, reviewer, label, reason, note, drawn)
        return self._record(new, study, "screen.decide", REVIEWER_ROLES[reviewer_kind])

    def resolve(
        self, stage: str, record_id: int, label: str, reviewer: str, *,
        reason: str | None = None, note: str | None = None,
    ) -> Decision:
        """Settle a unit for everyone (normally a conflict) with an include or an exclude."""
        reviewer = _check_reviewer(reviewer)
        _check_stage(stage)
        _check_choice("label", label, RESOLUTION_LABELS, record_id)
        reason = self._check_reason(stage, label, reason, record_id)
        unit, study = self._unit(record_id)
        if unit not in self.eligible(stage):
            raise ScreeningError(f"record {record_id} is not screened at {stage}")
        new = NewJudgement(SCREENING_UNIT, _item(unit), stage, reviewer, label, reason, note, "chosen",
                           is_resolution=True)
        return self._record(new, study, "screen.resolve", "lead")

    def undo(self, stage: str, reviewer: str, record_id: int | None = None) -> Decision:
        """Withdraw the reviewer's latest current decision (on `record_id`'s unit, when given).

        The decision withdrawn is the latest one of the reviewer that still stands, their own label
        or a resolution they made; the one they made before it on that unit counts again (undo after
        include, exclude restores include), and with none before it the unit is unscreened by them.
        """
        reviewer = _check_reviewer(reviewer)
        _check_stage(stage)
        items = None if record_id is None else [_item(r) for r in self.group(record_id)]
        with self.store.transaction():  # what is found is what is withdrawn: no writer between
            current = ledger.latest_judgements(self.store, SCREENING_UNIT, stage, reviewer=reviewer,
                                               item_ids=items)
            if not current:
                where = f" on record {record_id}" if record_id is not None else ""
                raise ScreeningError(f"{reviewer} has no decision at {stage}{where} to undo")
            last = max(current, key=lambda j: j.id)
            withdrawn = _decision(last, self.unit_map())
            undone = ledger.withdraw(self.store, last, self._log("screen.undo", withdrawn.record_id,
                                                                 withdrawn.label, withdrawn.study_id))
        return _decision(undone, self.unit_map())

    def reviewers_per_unit(self) -> int | None:
        return self.protocol.screening.reviewers_per_record

    def reviewers(self) -> list[Reviewer]:
        """Everyone who has judged in this review, in the order they first did, with their role."""
        return reviewers(self.store)

    def set_reviewer_role(self, name: str, role: Role) -> Reviewer:
        """Give a reviewer another role (make them the lead, say); the change is logged."""
        return set_role(self.store, name, role)

    def _record(self, new: NewJudgement, study: int | None, action: str, role: Role) -> Decision:
        unit = _record_of(new.item_id)
        chain = [_item(r) for r in self.group(unit)]
        judgement = ledger.record(self.store, new, self._log(action, unit, new.value, study),
                                  role=role, chain_items=chain)
        return _decision(judgement, self.unit_map())

    @staticmethod
    def _log(action: str, record_id: int, label: str, study: int | None) -> LogEntry:
        # "decision" and "label" keep the screen events readable as before the ledger.
        return LogEntry("screen", action, f"record:{record_id}", {"label": label, "study_id": study},
                        id_key="decision")

    def _unit(self, record_id: int) -> tuple[int, int | None]:
        units = self.unit_map()
        if record_id not in units:
            raise ScreeningError(f"record {record_id} is not in this review")
        return units[record_id]

    def _check_reason(self, stage: str, label: str, reason: str | None, record_id: int) -> str | None:
        if reason is not None and not reason.strip():
            reason = None
        if label != "exclude":
            if reason is not None:
                raise ScreeningError(
                    f"record {record_id}: a reason is given only with 'exclude', not with '{label}'"
                )
            return None
        valid = [c.id for c in self.protocol.criteria if stage in c.stages]
        if reason is None:
            if stage == "full_text":
                raise ScreeningError(
                    f"record {record_id}: a full-text exclusion needs a reason, one of the "
                    f"protocol's criteria {', '.join(valid)}"
                )
            return None
        if reason not in valid:
            raise ScreeningError(
                f"record {record_id}: exclusion reason {reason!r} is not a criterion of the "
                f"protocol used at {stage}; expected one of {', '.join(valid)}"
            )
        return reason

    # --- order -------------------------------------------------------------------------------

    def records(self, record_ids: Sequence[int]) -> list[Record]:
        """The records with these ids, in this order (read once per object)."""
        missing = [i for i in record_ids if i not in self._records]
        if missing:
            for record in records_by_id(self.store, missing):
                self._records[int(record.id or 0)] = record
        return [self._records[i] for i in record_ids]

    def features(self, records: Sequence[Record], stage: str,
                 on_progress: Callable[[int, int], None] | None = None) -> list[list[float]]:
        """Criteria-verdict features of each record, remembered for the life of this object."""
        rows = []
        for done, record in enumerate(records, start=1):
            key = (int(record.id or 0), stage)
            if key not in self._features:
                self._features[key] = verdict_features(evaluate_record(self.protocol, record, stage))
                if on_progress is not None and done % 500 == 0:
                    on_progress(done, len(records))
            rows.append(self._features[key])
        if on_progress is not None:
            on_progress(len(records), len(records))
        return rows

    def prepare(self, stage: str, on_progress: Callable[[int, int], None] | None = None) -> None:
        """Read the stage's records and their criteria verdicts now (seconds on a large review)."""
        self.features(self.records(self.eligible(stage)), stage, on_progress)

    def queue(self, stage: str, reviewer: str, *, seed: int = 0,
              order: str = "ranked") -> list[tuple[int, float]]:
        """The reviewer's pending units in the order to screen them, with the score that placed them.

        order="ranked": best first, by the active-learning ranker once the reviewer has labelled
        at least one unit in and one out, before that by the criteria verdicts. Only this
        reviewer's own labels are used, so the order reveals nothing of anyone else's.

        order="random": a uniformly random permutation fixed by `seed` (see `random_order`); the
        score is the unit's random key, ascending.
        """
        if order not in ORDERS:
            raise ScreeningError(f"unknown queue order {order!r}; expected one of {', '.join(ORDERS)}")
        pending = set(self.pending(stage, reviewer))
        if not pending:
            return []
        if order == "random":
            return random_order(pending, seed)
        eligible = self.eligible(stage)
        ordered = self.records(eligible)
        features = self.features(ordered, stage)
        own = self.own_labels(stage, reviewer)
        labels = {i: int(own[r.id] != "exclude") for i, r in enumerate(ordered) if r.id in own}
        if set(labels.values()) == {0, 1}:
            return self._ranked(ordered, labels, features, pending, seed)
        return [item for item in self._criteria_order(stage, ordered, features) if item[0] in pending]

    def _criteria_order(self, stage: str, ordered: list[Record],
                        features: list[list[float]]) -> list[tuple[int, float]]:
        """Every eligible unit, best first by its criteria verdicts: the order before a reviewer has
        labels of both kinds. It is everyone's, so it is sorted once per stage and set of units (a
        server starting twenty reviewers at once would sort 50,000 units twenty times)."""
        units = tuple(int(r.id or 0) for r in ordered)
        if stage not in self._criteria_orders or self._criteria_orders[stage][0] != units:
            scored = [(int(r.id or 0), sum(f) / len(f) if f else 0.5) for r, f in zip(ordered, features)]
            self._criteria_orders[stage] = (units, sorted(scored, key=lambda item: (-item[1], item[0])))
        return self._criteria_orders[stage][1]

    def prepare_ranker(self, stage: str, *, seed: int = 0,
                       on_progress: Callable[[str, int, int], None] | None = None) -> None:
        """Compute the ranker's features now (minutes for tens of thousands of new records).

        Otherwise they would be computed at the reviewer's first include-and-exclude, between
        two records; vectors already cached are not computed again.
        """
        from livingreview.screening.ranking import rank_unlabelled

        ordered = self.records(self.eligible(stage))
        texts, extra = self._ranker_inputs_for(ordered, self.features(ordered, stage))
        rank_unlabelled(texts, {}, preset=self.protocol.screening.preset, seed=seed, extra_features=extra,
                        on_progress=on_progress)

    def _ranked(self, ordered: list[Record], labels: dict[int, int], features: list[list[float]],
                pending: set[int], seed: int) -> list[tuple[int, float]]:
        # Imported here: the ranker pulls in scikit-learn, which every CLI start would pay for.
        from livingreview.screening.ranking import rank_unlabelled

        texts, extra = self._ranker_inputs_for(ordered, features)
        ranked = rank_unlabelled(texts, labels, preset=self.protocol.screening.preset, seed=seed,
                                 extra_features=extra)
        return [(int(ordered[i].id or 0), score) for i, score in ranked if ordered[i].id in pending]

    def _ranker_inputs_for(self, ordered: list[Record],
                           features: list[list[float]]) -> tuple[list[str], np.ndarray | None]:
        key = tuple(int(r.id or 0) for r in ordered)
        if self._ranker_inputs is None or self._ranker_inputs[0] != key:
            texts = [record_text(r) for r in ordered]
            extra = np.asarray(features, dtype=float) if features and features[0] else None
            self._ranker_inputs = (key, texts, extra)
        return self._ranker_inputs[1], self._ranker_inputs[2]


def random_order(units: Iterable[int], seed: int) -> list[tuple[int, float]]:
    """`units` in a uniformly random order fixed by `seed`, each with its key in [0, 1).

    Each unit's key is a keyed hash of the seed and the unit id alone, so deciding a unit (or
    adding records) leaves the relative order of the others as it was: a reviewer who stops and
    resumes draws the same sample, and the order never depends on any label.
    """
    key = f"livingreview-random-order:{seed}".encode()
    keyed = [(int.from_bytes(blake2b(str(unit).encode(), digest_size=8, key=key).digest(), "big") / 2**64,
              unit) for unit in units]
    return [(unit, score) for score, unit in sorted(keyed)]


def screening_status(store: Store) -> dict[str, dict[str, int]]:
    """Per stage: units, screened, included, excluded, maybe, conflicts, resolved, per reviewer."""
    status = {}
    for stage, counts in ScreeningState(store).summary().items():
        reviewers = counts.pop("reviewers")
        status[stage] = {**counts, **{f"screened by {name}": n["screened"] for name, n in reviewers.items()}}
    return status


def record_text(record: Record) -> str:
    """What the ranker reads of a record: title and abstract, joined as a simulation joins them."""
    return ranking_text(record.title, record.abstract)


def screening_units(record_studies: Iterable[tuple[int, int | None]]) -> dict[int, tuple[int, int | None]]:
    """record id → (representative record id, study id), from (record id, study id) in record order.

    The one place that says what a screening unit is: a study, seen through its first record, or
    an ungrouped record on its own.
    """
    first_of_study: dict[int, int] = {}
    units: dict[int, tuple[int, int | None]] = {}
    for record_id, study in record_studies:
        units[record_id] = (record_id if study is None else first_of_study.setdefault(study, record_id), study)
    return units


def _decision(judgement: Judgement, units: dict[int, tuple[int, int | None]]) -> Decision:
    """A screening judgement as a decision on its record, with the record's study now."""
    record_id = _record_of(judgement.item_id)
    study = units.get(record_id, (record_id, None))[1]
    return Decision(judgement.id, judgement.stage, record_id, study, judgement.reviewer, judgement.value,
                    judgement.reason, judgement.note, judgement.is_resolution, judgement.supersedes,
                    judgement.undone, judgement.at, judgement.drawn)


def _item(record_id: int) -> str:
    return f"record:{record_id}"


def _record_of(item_id: str) -> int:
    prefix, _, number = item_id.partition(":")
    if prefix != "record" or not number.isdigit():
        raise ScreeningError(f"screening judgement on {item_id!r}: expected an item id 'record:<id>'")
    return int(number)


def _check_stage(stage: str) -> None:
    if stage not in STAGES:
        raise ScreeningError(f"unknown stage {stage!r}; expected one of {', '.join(STAGES)}")


def _check_choice(what: str, value: str, allowed: Sequence[str], record_id: int) -> None:
    if value not in allowed:
        raise ScreeningError(
            f"record {record_id}: unknown {what} {value!r}; expected one of {', '.join(allowed)}"
        )


def _check_reviewer(reviewer: str) -> str:
    name = (reviewer or "").strip()
    if not name:
        raise ScreeningError("a reviewer name is required")
    return name
