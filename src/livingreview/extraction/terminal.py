"""The terminal verifier: `extract DIR --reviewer NAME` walks each included study's fields.

For every field the reviewer has not yet extracted it shows the rules' suggestion with the words
it was read from highlighted in the record's text, and reads one key (as the screener does, with
`screening.terminal.KeyReader`): accept, correct (type the value, checked against the form), skip,
next study, undo, quit. Each value is committed to the ledger before "saved" is printed, so
killing the process loses nothing that was acknowledged. Text from records is shown through
`rich.text.Text` with control characters made visible, never as markup.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from livingreview.errors import BadInput
from livingreview.extraction import verify
from livingreview.extraction.form import form_of
from livingreview.extraction.service import ExtractionUnit, extraction_units
from livingreview.extraction.verify import FieldRef
from livingreview.project import Review
from livingreview.records import Record
from livingreview.safe_text import plain_for_terminal, visible_controls
from livingreview.screening.terminal import KeyReader
from livingreview.store.extractions import current_suggestions

HELP = "[a] accept  [c] correct  [s] skip  [n] next study  [u] undo  [q] quit"
_HIGHLIGHT = "bold black on yellow"


@dataclass
class _Session:
    review: Review
    reviewer: str
    console: Console
    keys: KeyReader
    saved: int = 0


def verify_in_terminal(directory: Path, reviewer: str, *, stream: TextIO | None = None,
                       console: Console | None = None) -> int:
    """Walk the included studies as `reviewer`; returns the number of values saved."""
    with Review(directory) as review:
        session = _Session(review, reviewer.strip(), console or Console(highlight=False),
                           KeyReader(stream or sys.stdin))
        units = [u for u in extraction_units(review.screening, every_record=False) if u.study_id is not None]
        if not units:
            session.console.print("no included study to extract (screen first, and run dedupe so "
                                  "records are grouped into studies)", markup=False)
            return 0
        for unit in units:
            if _walk_study(session, unit) == "quit":
                break
        else:
            session.console.print(f"every field seen; {session.saved} values saved", markup=False)
            return session.saved
        session.console.print(f"stopped; {session.saved} values saved", markup=False)
        return session.saved


def _fields(session: _Session, study_id: int) -> Iterator[FieldRef]:
    form = form_of(session.review.protocol)
    suggested = current_suggestions(session.review.store, study_id)
    for item in form.fields:
        if item.level == "study":
            yield FieldRef(study_id, item.name)
    outcomes = sorted({FieldRef.from_label(study_id, label).outcome or 0 for label in suggested
                       if label.startswith("outcomes[")})
    for number in outcomes:
        for item in form.fields:
            if item.level == "outcome":
                yield FieldRef(study_id, item.name, number)


def _done(session: _Session, study_id: int) -> set[FieldRef]:
    return {e.ref for e in verify.current_extractions(session.review.store, session.reviewer)
            if e.ref.study_id == study_id and not e.is_resolution}


def _walk_study(session: _Session, unit: ExtractionUnit) -> str:
    """'quit', or 'next' when the study is done or passed over."""
    assert unit.study_id is not None
    skipped: set[FieldRef] = set()
    while True:
        done = _done(session, unit.study_id)
        pending = [ref for ref in _fields(session, unit.study_id) if ref not in done and ref not in skipped]
        if not pending:
            return "next"
        ref = pending[0]
        suggestion = verify.suggestion_of(session.review.store, ref)
        session.console.print(_render(unit, ref, suggestion, len(done), len(done) + len(pending)))
        session.console.print(HELP, markup=False, highlight=False)
        key = session.keys.key()
        if key is None or key == "q":
            return "quit"
        if key == "n":
            return "next"
        if key == "s":
            skipped.add(ref)
        elif key == "a":
            _save(session, ref, lambda: verify.accept(session.review.store, session.review.protocol, ref,
                                                      session.reviewer), "accept")
        elif key == "c":
            session.console.print(f"value for {ref.label} (lists as 'a; b', empty for none): ", end="",
                                  markup=False, highlight=False)
            typed = session.keys.line()
            if typed is None:
                return "quit"
            _save(session, ref, lambda: verify.correct(session.review.store, session.review.protocol, ref,
                                                       session.reviewer, typed), "correct")
        elif key == "u":
            _undo(session)


def _save(session: _Session, ref: FieldRef, action: Any, name: str) -> None:
    try:
        judgement = action()
    except BadInput as error:
        session.console.print(Text(plain_for_terminal(str(error)), style="yellow"))
        return
    if judgement is None:
        session.console.print(f"already so: {ref.label} of study {ref.study_id}", markup=False, highlight=False)
        return
    session.saved += 1
    session.console.print(f"saved judgement {judgement.id}: {name} study {ref.study_id} field {ref.label}",
                          markup=False, highlight=False)


def _undo(session: _Session) -> None:
    try:
        undone = verify.undo(session.review.store, session.reviewer)
    except BadInput as error:
        session.console.print(Text(plain_for_terminal(str(error)), style="yellow"))
        return
    ref = FieldRef.parse(undone.item_id)
    session.console.print(f"saved undo of judgement {undone.supersedes} (study {ref.study_id} field {ref.label})",
                          markup=False, highlight=False)


def _render(unit: ExtractionUnit, ref: FieldRef, suggestion: dict[str, Any] | None, done: int, total: int) -> Group:
    record = unit.representative
    title = Text(visible_controls(record.title or "(no title)"))
    header = Text(f"study {ref.study_id}, record {record.id}   {done} / {total} fields", style="dim")
    parts: list[Any] = [header]
    evidence = list((suggestion or {}).get("evidence") or [])
    body = _highlighted(record, "abstract", evidence) if record.abstract else Text("(no abstract)", style="dim italic")
    parts.append(Panel(body, title=_highlighted(record, "title", evidence) if record.title else title,
                       title_align="left"))
    for item in evidence:
        if str(item.get("field", "")).startswith(("registry:", "jats:")):
            parts.append(Text.assemble((f"{plain_for_terminal(str(item['field']))}: ", "dim"),
                                       (visible_controls(str(item.get("text", ""))), _HIGHLIGHT)))
    value = "(no suggestion)" if suggestion is None else _shown(suggestion.get("value"))
    parts.append(Text.assemble(("field ", "dim"), (ref.label, "bold"), ("  suggested ", "dim"),
                               (visible_controls(value), "bold cyan")))
    for flag in (suggestion or {}).get("flags") or []:
        parts.append(Text(f"check: {plain_for_terminal(str(flag))}", style="yellow"))
    return Group(*parts)


def _highlighted(record: Record, field: str, evidence: list[dict[str, Any]]) -> Text:
    text = getattr(record, field) or ""
    shown = Text(visible_controls(text))
    for item in evidence:
        start, end = item.get("start"), item.get("end")
        if item.get("field") == field and item.get("record_id") == record.id and isinstance(start, int) \
                and isinstance(end, int) and 0 <= start < end <= len(text):
            shown.stylize(_HIGHLIGHT, start, end)
    return shown


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or "(none)"
    return "null" if value is None else str(value)
