"""Accounts of `livingreview serve`: a password hash tied to a name in the reviewers table.

The hash is made and checked by `livingreview.web.auth` (Argon2); this module only stores it. An
account is a reviewer (or lead) with a credential; a model never gets one. Creating or replacing
a credential is logged, without the hash.
"""

from __future__ import annotations

from livingreview.store.db import Store, now
from livingreview.store.reviewers import Reviewer, ReviewerError, Role, find_reviewer, reviewer_name, set_role

ACCOUNT_ROLES: tuple[Role, ...] = ("lead", "reviewer")


def add_user(store: Store, name: str, role: Role, password_hash: str) -> Reviewer:
    """Give `name` the role and this password hash (replacing an earlier one), in one transaction."""
    if role not in ACCOUNT_ROLES:
        raise ReviewerError(f"an account's role is one of {', '.join(ACCOUNT_ROLES)}, not {role!r}")
    name = reviewer_name(name)
    existing = find_reviewer(store, name)
    if existing is not None and existing.role == "model":
        raise ReviewerError(f"{name!r} is a model in this review; a model cannot have an account")
    with store.transaction() as connection:
        reviewer = set_role(store, name, role)
        stamp = now()
        connection.execute(
            "INSERT INTO credentials (reviewer_id, password_hash, created_at, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (reviewer_id)"
            " DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at",
            (reviewer.id, password_hash, stamp, stamp))
        store.log("users", "users.add", subject=f"reviewer:{name}", detail={"role": role})
    return reviewer


def password_hash(store: Store, name: str) -> str | None:
    """The stored hash of `name`'s account, or None when there is no such account."""
    found = store.scalar(
        "SELECT c.password_hash FROM credentials c JOIN reviewers r ON r.id = c.reviewer_id"
        " WHERE r.name = ?", (name.strip(),))
    return None if found is None else str(found)


def replace_hash(store: Store, name: str, new_hash: str) -> None:
    """Store a rehash of the same password (Argon2 parameters raised); not an account change."""
    with store.transaction() as connection:
        connection.execute(
            "UPDATE credentials SET password_hash = ?, updated_at = ?"
            " WHERE reviewer_id = (SELECT id FROM reviewers WHERE name = ?)",
            (new_hash, now(), name.strip()))


def account(store: Store, name: str) -> Reviewer | None:
    """The reviewer behind an account, with the role they hold now; None without a credential."""
    if password_hash(store, name) is None:
        return None
    return find_reviewer(store, name)


def user_names(store: Store) -> list[str]:
    return [str(row[0]) for row in store.query(
        "SELECT r.name FROM credentials c JOIN reviewers r ON r.id = c.reviewer_id ORDER BY r.id")]
