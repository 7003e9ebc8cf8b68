"""The terminal screener: one record at a time, one key per decision.

Keys are read one at a time in cbreak mode when standard input is a terminal, and as lines
otherwise (first character counts), so scripts and pipes can drive it too. A decision is
committed by `Screening.decide` before the "saved" line is printed and before the next record is
drawn: killing the process at any moment loses nothing that was acknowledged.

Records come in ranked order, or, in the random-sample phase (`sample="random"`), in a seeded
uniformly random order of the reviewer's unscreened records; each decision records which, so the
random-sample stopping rule knows which records form its sample.
"""

from __future__ import annotations

import os
import sys
import termios
import tty
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

from rich.console import Console, Group
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from livingreview.plugins import PluginNotFound
from livingreview.protocol import Protocol
from livingreview.records import Record
from livingreview.safe_text import plain_for_terminal, visible_controls
from livingreview.screening.criteria import RecordVerdict, evaluate_record
from livingreview.screening.stopping import StoppingObservation, StoppingResult, evaluate_stopping, stop_verdict
from livingreview.screening.workflow import Screening, ScreeningError

_PALETTE = ("bold magenta", "bold cyan", "bold green", "bold yellow", "bold blue", "bold red",
            "bold bright_magenta", "bold bright_cyan")
_VERDICT_STYLE = {"met": "green", "not_met": "red", "unclear": "yellow"}
HELP = "[i] include  [e] exclude  [m] maybe  [n] note  [u] undo  [q] quit"


class KeyReader:
    """Single keys from a terminal (cbreak mode), or the first character of each input line."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.is_tty = stream.isatty()

    def key(self) -> str | None:
        """The next key, lower-cased; None at end of input."""
        if self.is_tty:
            with self._cbreak():
                data = os.read(self.stream.fileno(), 1)
            if not data or data in (b"\x04", b"\x03"):  # end of input, Ctrl-D, Ctrl-C
                return None
            return data.decode("utf-8", "replace").lower()
        while True:
            line = self.stream.readline()
            if not line:
                return None
            if line.strip():
                return line.strip()[0].lower()

    def line(self) -> str | None:
        """A whole line (for notes), echoed and editable even on a terminal."""
        line = self.stream.readline()
        return None if not line else line.rstrip("\n")

    @contextmanager
    def _cbreak(self) -> Iterator[None]:
        descriptor = self.stream.fileno()
        saved = termios.tcgetattr(descriptor)
        try:
            tty.setcbreak(descriptor)
            yield
        finally:
            termios.tcsetattr(descriptor, termios.TCSADRAIN, saved)


@dataclass
class Session:
    screening: Screening
    reviewer: str
    stage: str
    console: Console
    keys: KeyReader
    sample: str = "ranked"  # the queue order: ranked, or random for the random-sample phase
    seed: int = 0


# Fewer decisions than this bound recall too loosely to be worth a place on the screen.
_MIN_HISTORY_FOR_RECALL = 10
# A criterion's key is fixed by its place in the protocol, so the same key means the same
# criterion at every stage (C6 stays 6 where C5 does not apply); 'c' is taken by cancel.
_REASON_KEYS = "123456789abdfghjklmnoprstuvwxyz"


def _authors(record: Record) -> str:
    names = record.authors[:3]
    return "; ".join(names) + (" et al." if len(record.authors) > 3 else "")


def vocabulary_styles(protocol: Protocol) -> dict[str, str]:
    return {name: _PALETTE[i % len(_PALETTE)] for i, name in enumerate(protocol.vocabularies)}


def highlighted(text: str, field: str, verdict: RecordVerdict, styles: dict[str, str]) -> Text:
    """The field's text with each term mention coloured by vocabulary; negated ones struck out."""
    rich_text = Text(visible_controls(text))
    for span in verdict.spans:
        if span.field == field:
            style = styles.get(span.vocabulary, "bold")
            rich_text.stylize(f"{style} strike" if span.negated else style, span.start, span.end)
    return rich_text


def render_record(session: Session, record: Record, verdict: RecordVerdict, progress: str) -> Group:
    styles = vocabulary_styles(session.screening.protocol)
    parts: list = [Text(progress, style="dim")]
    title = highlighted(record.title or "(no title)", "title", verdict, styles)
    meta = plain_for_terminal(", ".join(str(x) for x in (_authors(record), record.journal, record.year) if x))
    group = session.screening.group(int(record.id or 0))
    duplicates = f" (+{len(group) - 1} grouped: {', '.join(map(str, group[1:]))})" if len(group) > 1 else ""
    header = Text.assemble(f"record {record.id}{duplicates}  ", (meta, "dim"))
    parts.append(Panel(highlighted(record.abstract, "abstract", verdict, styles) if record.abstract
                       else Text("(no abstract)", style="dim italic"),
                       title=title, subtitle=header, title_align="left"))
    for field, text in verdict.fields.items():
        if field in ("title", "abstract") or not any(s.field == field for s in verdict.spans):
            continue
        parts.append(Text.assemble((f"{field}: ", "dim"), highlighted(text, field, verdict, styles)))
    parts.append(criteria_table(session.screening.protocol, verdict, styles))
    parts.append(Text.assemble(*[(f" {name} ", style) for name, style in styles.items()]))
    return Group(*parts)


def criteria_table(protocol: Protocol, verdict: RecordVerdict, styles: dict[str, str]) -> Table:
    table = Table(show_header=True, header_style="bold", expand=True)
    # The sentence may be cut; the verdict and its evidence are what a reviewer decides on.
    table.add_column("criterion", no_wrap=True, overflow="ellipsis", ratio=2)
    table.add_column("verdict", no_wrap=True, min_width=7)
    table.add_column("evidence", ratio=3)
    for item in verdict.criteria:
        evidence = Text()
        shown: set[tuple[str, bool]] = set()
        for span in item.spans:
            if (span.text.lower(), span.negated) in shown:
                continue  # one entry per distinct mention, however often it recurs
            shown.add((span.text.lower(), span.negated))
            evidence.append(("not " if span.negated else "") + span.text, styles.get(span.vocabulary, "bold"))
            evidence.append("  ")
        if item.missing:
            evidence.append("nothing for " + ", ".join(item.missing), "dim")
        sentence = protocol.criterion(item.criterion).sentence
        table.add_row(Text(f"{item.criterion} {sentence}"), Text(item.verdict, _VERDICT_STYLE[item.verdict]),
                      evidence)
    return table


def progress_line(session: Session) -> str:
    summary = session.screening.summary()[session.stage]
    mine = summary["reviewers"].get(session.reviewer, {}).get("screened", 0)
    line = f"{session.stage}: {mine} / {summary['units']} screened by {session.reviewer}"
    if session.sample == "random":
        line = f"random-sample phase (seed {session.seed})   " + line
    estimate = recall_estimate(session)
    if estimate is not None:
        recall, stop = estimate
        # The statistical rules give a lower confidence bound, not a point estimate: early on it
        # is tiny (3 % after one include), so it is shown as the bound it is, once there is some
        # history to bound.
        level = f" at {recall.confidence:.0%} confidence" if recall.confidence else ""
        line += f"   recall ≥ {recall.estimated_recall:.0%}{level} ({recall.name})"
        if stop is not None:
            line += f"   stop: {stop.explanation}"
    return line


def recall_estimate(session: Session) -> tuple[StoppingResult, StoppingResult | None] | None:
    """This reviewer's estimated recall from the stopping rules, with the rule that says stop."""
    state = session.screening.state(session.stage)
    current = sorted((by[session.reviewer] for by in state.labels.values() if session.reviewer in by),
                     key=lambda decision: decision.id)  # the order the units were (last) labelled
    history = [StoppingObservation(int(decision.label != "exclude"), decision.drawn == "random")
               for decision in current]
    if len(history) < _MIN_HISTORY_FOR_RECALL or not any(observation.label for observation in history):
        return None
    try:
        settings = session.screening.protocol.screening
        results = evaluate_stopping(history, len(session.screening.eligible(session.stage)),
                                    target_recall=settings.target_recall, confidence=settings.confidence)
    except PluginNotFound:
        return None  # stopping rules not installed as plug-ins in this environment
    estimates = [r for r in results if r.estimated_recall is not None]
    return (estimates[0], stop_verdict(results)) if estimates else None


def run(session: Session) -> int:
    """Screen until the queue is empty or the reviewer quits; returns the decisions made."""
    made = 0
    notes: dict[int, str] = {}  # record id -> a note typed but not yet saved with a decision
    forced: int | None = None
    prepare(session)
    while True:
        queue = [unit for unit, _ in session.screening.queue(session.stage, session.reviewer,
                                                             seed=session.seed, order=session.sample)]
        if forced is not None and forced in queue:
            queue.insert(0, queue.pop(queue.index(forced)))
        if not queue:
            session.console.print(f"nothing left to screen at {session.stage} for {session.reviewer}",
                                  markup=False, highlight=False)
            return made
        record = session.screening.record(queue[0])
        forced = record.id
        note = notes.get(int(record.id or 0))
        verdict = evaluate_record(session.screening.protocol, record, session.stage)
        session.console.print(render_record(session, record, verdict, progress_line(session)))
        if note:
            session.console.print(Text(f"note: {plain_for_terminal(note)}", style="italic"))
        action = _ask(session, record, note)
        if action == "quit":
            if notes and not _discard_notes(session, notes):
                continue
            session.console.print(f"stopped; {made} decisions saved")
            return made
        if action == "note":
            session.console.print("note (Enter to finish): ", end="")
            typed = session.keys.line()
            if typed:
                notes[int(record.id or 0)] = typed
            continue
        if action == "undo":
            try:
                undone = session.screening.undo(session.stage, session.reviewer)
            except ScreeningError as error:
                session.console.print(Text(str(error), style="yellow"))
                continue
            session.console.print(f"saved undo of decision {undone.supersedes} (record {undone.record_id})",
                                  markup=False, highlight=False)
            forced = undone.record_id
            continue
        if isinstance(action, str):  # "again": a key that decides nothing
            continue
        label, reason = action
        # A record brought back by undo was drawn by the same queue, so it keeps the queue's kind.
        decision = session.screening.decide(session.stage, int(record.id or 0), session.reviewer, label,
                                            reason=reason, note=note, drawn=session.sample)
        made += 1
        notes.pop(int(record.id or 0), None)
        forced = None
        session.console.print(f"saved decision {decision.id}: {label}"
                              f"{' (' + reason + ')' if reason else ''} record {decision.record_id}",
                              markup=False, highlight=False)


def _discard_notes(session: Session, notes: dict[int, str]) -> bool:
    """A note is saved with its record's decision; quitting before that asks first."""
    records = ", ".join(str(record) for record in notes)
    session.console.print(f"unsaved note on record {records}: it is saved with a decision. "
                          "Press q again to quit and discard it, any other key to go back.",
                          markup=False, highlight=False)
    return session.keys.key() in (None, "q")


def prepare(session: Session) -> None:
    """Criteria verdicts and ranker features up front, with progress, so later records come at once."""
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=session.console, transient=True) as bar:
        task = bar.add_task("criteria verdicts", total=None)
        session.screening.prepare(session.stage, lambda done, total: bar.update(task, completed=done,
                                                                                 total=total))
        if session.sample == "ranked":
            session.screening.prepare_ranker(
                session.stage, seed=session.seed,
                on_progress=lambda what, done, total: bar.update(task, description=what, completed=done,
                                                                 total=total))
            bar.update(task, description=f"ranking the {session.stage} queue", total=None)
            session.screening.queue(session.stage, session.reviewer, seed=session.seed)
    if session.sample == "random":
        session.console.print(
            f"random-sample phase: {session.stage} records in a random order (seed {session.seed}). "
            "Screen them in the order shown: they are the sample the statistical stopping rule "
            "estimates recall from.", markup=False, highlight=False)


def _ask(session: Session, record: Record, note: str | None) -> str | tuple[str, str | None]:
    session.console.print(HELP, markup=False, highlight=False)
    while True:
        key = session.keys.key()
        if key is None or key == "q":
            return "quit"
        if key == "i":
            return ("include", None)
        if key == "m":
            return ("maybe", None)
        if key == "n":
            return "note"
        if key == "u":
            return "undo"
        if key == "e":
            reason = _ask_reason(session)
            return "again" if reason == "" else ("exclude", reason)


def _ask_reason(session: Session) -> str | None:
    """A criterion id chosen by its number; None for no reason; '' when cancelled."""
    keyed = {key: criterion for key, criterion in zip(_REASON_KEYS, session.screening.protocol.criteria)
             if session.stage in criterion.stages}
    required = session.stage == "full_text"
    session.console.print("reason:", markup=False)
    for shown, criterion in keyed.items():
        session.console.print(f"  [{shown}] {criterion.id} {criterion.sentence}", markup=False, highlight=False)
    session.console.print(("" if required else "  [0] no reason\n") + "  [c] cancel", markup=False,
                          highlight=False)
    while True:
        key = session.keys.key()
        if key is None or key == "c":
            return ""
        if key == "0" and not required:
            return None
        if key in keyed:
            return keyed[key].id


def screen(screening: Screening, reviewer: str, stage: str, *, sample: str = "ranked", seed: int = 0,
           stream: TextIO | None = None, console: Console | None = None) -> int:
    session = Session(screening, reviewer, stage, console or Console(highlight=False),
                      KeyReader(stream or sys.stdin), sample, seed)
    return run(session)
