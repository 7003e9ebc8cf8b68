"""The review store (SQLite, WAL, versioned migrations, append-only events)."""

from livingreview.store.db import Store, now
from livingreview.store.migrations import MIGRATIONS, migrate, schema_version

__all__ = ["MIGRATIONS", "Store", "migrate", "now", "schema_version"]
