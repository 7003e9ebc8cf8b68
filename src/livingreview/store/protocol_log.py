"""What the event log knows of the protocol: the last version seen, and the criteria that
stored decisions cite (so that an edited `protocol.toml` can be told apart from the one the
decisions were made under)."""

from __future__ import annotations

import json
from typing import Any

from livingreview.store.db import Store

PROTOCOL_CHANGED = "protocol.changed"


def last_protocol_seen(store: Store) -> dict[str, Any] | None:
    """The summary logged with the latest `protocol.changed` event, None before the first."""
    detail = store.scalar("SELECT detail FROM events WHERE stage = 'protocol' AND action = ?"
                          " ORDER BY id DESC LIMIT 1", (PROTOCOL_CHANGED,))
    if detail is None:
        return None
    seen = json.loads(detail).get("now")
    return seen if isinstance(seen, dict) else None


def review_id_at_init(store: Store) -> str | None:
    """The review id the project was created with (the subject of `project.init`)."""
    subject = store.scalar("SELECT subject FROM events WHERE action = 'project.init'"
                           " ORDER BY id LIMIT 1")
    return None if subject is None else str(subject)


def cited_criteria(store: Store) -> dict[str, int]:
    """Criterion ids given as reasons by screening decisions still standing (not withdrawn),
    with how many decisions cite each."""
    rows = store.query(
        "SELECT reason, COUNT(*) AS cited FROM judgements WHERE item_kind = 'screening_unit'"
        " AND reason IS NOT NULL AND undone = 0 AND id NOT IN"
        " (SELECT supersedes FROM judgements WHERE undone = 1 AND supersedes IS NOT NULL)"
        " GROUP BY reason ORDER BY reason")
    return {str(row["reason"]): int(row["cited"]) for row in rows}
