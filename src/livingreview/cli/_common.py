"""Shared CLI plumbing: JSON output, progress on stderr, errors mapped to exit codes.

Expected errors (`LivingReviewError` and click's own) end with their exit code and one line;
anything else is a bug: a short "internal error" line and `EXIT_INTERNAL`, with the traceback
when `livingreview --debug ...` asked for it.
"""

from __future__ import annotations

import errno
import json
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click
from rich.markup import escape

from livingreview.errors import EXIT_BAD_INPUT, EXIT_INTERNAL, LivingReviewError
from livingreview.safe_text import for_terminal, redact

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from livingreview.project import Review

EXIT_INTERRUPTED = 130


class _StderrConsole:
    """rich's Console on stderr, built on first use: building it imports most of rich, which
    `livingreview --help` does not need."""

    def __init__(self) -> None:
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            # Soft wrap: error lines stay whole for logs and scripts that grep them.
            self._console = Console(stderr=True, soft_wrap=True)
        return self._console

    def print(self, *objects: Any, **options: Any) -> None:
        self.console.print(*objects, **options)


stderr = _StderrConsole()

json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")


@dataclass
class Invocation:
    """What the top-level options asked of this run; click carries it as the context's obj."""

    debug: bool = False


def emit(payload: dict[str, Any], as_json: bool, render: Callable[[dict[str, Any]], None]) -> None:
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str))
    else:
        render(payload)


def progress(enabled: bool = True) -> Progress:
    """A rich progress display on stderr; quiet when stderr is not a terminal-like stream."""
    # Imported here: `--help` and quick commands do not pay for it.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr.console,
        disable=not enabled,
        transient=False,
    )


# A full disk, a read-only file system, no permission: an expected failure, exit 1.
_DISK_FULL_OR_READ_ONLY = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES,
                                     errno.EPERM})


def warn_about_protocol(review: Review) -> None:
    """Before criteria are used: say where protocol.toml no longer matches the decisions
    stored under it (a cited criterion removed, the review id changed)."""
    for warning in review.protocol_warnings():
        stderr.print(f"[yellow]warning:[/yellow] {for_terminal(warning)}", highlight=False)


def run_guarded(command: click.Group, args: Sequence[str] | None = None) -> None:
    with _noting_ctrl_c() as ctrl_c:
        _run_mapping_errors(command, args, ctrl_c)


class _CtrlC:
    pressed = False


@contextmanager
def _noting_ctrl_c() -> Iterator[_CtrlC]:
    """Raise KeyboardInterrupt on Ctrl-C as Python does, and remember that it came: a compiled
    module interrupted while it loads turns the KeyboardInterrupt into `ImportError:
    initialization failed`, which must still end as an interruption, not as a bug."""
    ctrl_c = _CtrlC()

    def note_and_raise(signum: int, frame: object) -> None:
        ctrl_c.pressed = True
        raise KeyboardInterrupt

    # An ignored SIGINT (a background job) stays ignored; only the main thread may set handlers.
    if (signal.getsignal(signal.SIGINT) is not signal.default_int_handler
            or threading.current_thread() is not threading.main_thread()):
        yield ctrl_c
        return
    signal.signal(signal.SIGINT, note_and_raise)
    try:
        yield ctrl_c
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _run_mapping_errors(command: click.Group, args: Sequence[str] | None, ctrl_c: _CtrlC) -> None:
    invocation = Invocation()
    try:
        command.main(args=list(args) if args is not None else None, standalone_mode=False,
                     obj=invocation)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Abort as aborted:
        # click turns Ctrl-C into Abort; a closed stdin at a prompt is an Abort too.
        if isinstance(aborted.__cause__, KeyboardInterrupt):
            _interrupted()
        stderr.print("aborted")
        sys.exit(EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        _interrupted()
    except LivingReviewError as error:
        stderr.print(f"[red]error:[/red] {for_terminal(redact(str(error)))}", highlight=False)
        if invocation.debug:
            traceback.print_exc()
        sys.exit(error.exit_code)
    except Exception as error:  # anything else is a bug in livingreview, not the user's doing
        if ctrl_c.pressed:
            _interrupted()
        if isinstance(error, OSError) and error.errno in _DISK_FULL_OR_READ_ONLY:
            # The machine's doing, not a bug: every store write rolled back whole.
            where = f" {error.filename}" if error.filename else ""
            stderr.print(f"[red]error:[/red] cannot write{for_terminal(str(where))}: "
                         f"{for_terminal(error.strerror or str(error))}", highlight=False)
            sys.exit(EXIT_BAD_INPUT)
        if invocation.debug:
            traceback.print_exc()
        else:
            stderr.print(f"[red]internal error:[/red] {escape(type(error).__name__)}: "
                         f"{for_terminal(redact(str(error)))}\nThis is a bug in livingreview; rerun with "
                         "`livingreview --debug ...` to see where it happened.", highlight=False)
        sys.exit(EXIT_INTERNAL)


def _interrupted() -> None:
    """Ctrl-C: one line and the shell's convention for SIGINT (128 + 2); every write is in a
    transaction, so nothing is left half-done."""
    stderr.print("interrupted", highlight=False)
    sys.exit(EXIT_INTERRUPTED)
