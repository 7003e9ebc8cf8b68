"""Expected errors: what a user can cause and fix, each with the exit code the CLI ends with.

Anything raised that is not a `LivingReviewError` is a bug in livingreview, and the CLI says so
(exit `EXIT_INTERNAL`, traceback under `--debug`) instead of passing it off as bad input.
"""

from __future__ import annotations

EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_NOT_A_PROJECT = 3
EXIT_UNREACHABLE = 4
# From BSD sysexits.h: EX_SOFTWARE, "an internal software error has been detected".
EXIT_INTERNAL = 70


class LivingReviewError(Exception):
    """Base of every expected error; `exit_code` is what `livingreview` exits with."""

    exit_code: int = EXIT_BAD_INPUT


class BadInput(LivingReviewError, ValueError):
    """A file, protocol, option or request that is not what it must be (it says what was expected).

    Also a ValueError, so callers that caught ValueError before this base existed still do.
    """

    exit_code = EXIT_BAD_INPUT


class NotAProject(LivingReviewError):
    """A folder that is not a review project, or one that exists already where one is created."""

    exit_code = EXIT_NOT_A_PROJECT


class SourceUnreachable(LivingReviewError):
    """A source (the network) could not be reached; what was retrieved is kept."""

    exit_code = EXIT_UNREACHABLE
