"""Reviewers: everyone (and every model) whose judgements the ledger holds, named once with a role.

A lead settles conflicts, a reviewer judges independently, a model is a program whose output is
recorded as judgements. A name is created with its role the first time it judges (or by `set_role`); the
role of an existing name is changed only by `set_role`, so a later call cannot demote a lead.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Literal, cast

from livingreview.errors import BadInput
from livingreview.store.db import Store, now

Role = Literal["lead", "reviewer", "model"]
ROLES: tuple[Role, ...] = ("lead", "reviewer", "model")


class ReviewerError(BadInput):
    """A reviewer name or role that cannot be used; the message says what was expected."""


@dataclass(frozen=True)
class Reviewer:
    id: int
    name: str
    role: Role
    created_at: str


def reviewer_name(name: str | None) -> str:
    """The name as stored: surrounding white space removed; empty names are refused."""
    cleaned = (name or "").strip()
    if not cleaned:
        raise ReviewerError("a reviewer name is required")
    return cleaned


def find_reviewer(store: Store, name: str) -> Reviewer | None:
    rows = store.query("SELECT * FROM reviewers WHERE name = ?", (reviewer_name(name),))
    return _reviewer(rows[0]) if rows else None


def reviewers(store: Store) -> list[Reviewer]:
    """Every reviewer, in the order they first judged (or were added)."""
    return [_reviewer(row) for row in store.query("SELECT * FROM reviewers ORDER BY id")]


def ensure_reviewer(store: Store, name: str, role: Role = "reviewer") -> Reviewer:
    """The reviewer called `name`, created with `role` if new (inside the caller's transaction).

    A model and a person never share a name: asking for a model under a person's name (or the
    reverse) is refused, since the ledger would then mix their judgements.
    """
    _check_role(role)
    name = reviewer_name(name)
    with store.transaction() as connection:
        existing = find_reviewer(store, name)
        if existing is None:
            created = now()
            cursor = connection.execute(
                "INSERT INTO reviewers (name, role, created_at) VALUES (?, ?, ?)", (name, role, created))
            return Reviewer(int(cursor.lastrowid or 0), name, role, created)
    if (existing.role == "model") != (role == "model"):
        raise ReviewerError(
            f"reviewer {name!r} is registered as a {existing.role}, so it cannot judge as a {role}")
    return existing


def set_role(store: Store, name: str, role: Role) -> Reviewer:
    """Give a reviewer a role (make a reviewer the lead, say), registering the name if it is new,
    so that a lead can be named before their first resolution. The change is logged."""
    _check_role(role)
    name = reviewer_name(name)
    with store.transaction() as connection:
        if find_reviewer(store, name) is None:
            ensure_reviewer(store, name, role)
        else:
            connection.execute("UPDATE reviewers SET role = ? WHERE name = ?", (role, name))
        store.log("reviewers", "reviewers.role", subject=f"reviewer:{name}", detail={"role": role})
    found = find_reviewer(store, name)
    assert found is not None  # just written in the same transaction
    return found


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ReviewerError(f"unknown reviewer role {role!r}; expected one of {', '.join(ROLES)}")


def _reviewer(row: sqlite3.Row) -> Reviewer:
    return Reviewer(int(row["id"]), str(row["name"]), cast(Role, row["role"]), str(row["created_at"]))
