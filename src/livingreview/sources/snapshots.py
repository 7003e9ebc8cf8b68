"""Raw responses on disk, saved before they are parsed, so a search can be replayed offline.

Layout: `snapshots/<date>/<source>/search-<id>/` holding numbered pages (`0001-efetch.xml`, ...)
and `manifest.json` (what was asked, minus secrets; one entry per page; whether it finished).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from livingreview.errors import BadInput

MANIFEST = "manifest.json"
# Request parameters that identify or authorise the user; they never reach the disk.
SECRET_PARAMETERS = frozenset({"api_key", "email"})


def redact(parameters: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in parameters.items() if k not in SECRET_PARAMETERS}


def shown_url(url: str, parameters: Mapping[str, Any]) -> str:
    """The URL a person could paste to repeat the request, without the secrets."""
    visible = redact(parameters)
    return f"{url}?{urlencode(visible, doseq=True)}" if visible else url


@dataclass(frozen=True)
class SnapshotPage:
    seq: int
    kind: str
    path: Path


class Snapshot:
    """One search's folder of raw pages and its manifest."""

    def __init__(self, directory: Path, manifest: dict[str, Any]) -> None:
        self.directory = directory
        self.manifest = manifest

    @classmethod
    def create(cls, root: Path, source: str, search_id: int, request: dict[str, Any]) -> Snapshot:
        started = datetime.now(UTC)
        directory = _free_directory(root / started.date().isoformat() / source, f"search-{search_id}")
        manifest = {"source": source, "search_id": search_id, "started_at": started.isoformat(),
                    "complete": False, "request": redact(request), "pages": []}
        snapshot = cls(directory, manifest)
        snapshot._write_manifest()
        return snapshot

    @classmethod
    def open(cls, directory: Path) -> Snapshot:
        path = directory / MANIFEST
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise BadInput(f"{path}: not a readable snapshot manifest ({error})") from None
        return cls(directory, manifest)

    def save_page(self, seq: int, kind: str, suffix: str, body: bytes, *, url: str,
                  parameters: Mapping[str, Any], status: int) -> Path:
        """Write the raw body first, then list it; a page re-fetched after a crash replaces
        the earlier attempt under the same number."""
        path = self.directory / f"{seq:04d}-{kind}.{suffix}"
        _write_atomically(path, body)
        entry = {"seq": seq, "kind": kind, "file": path.name, "url": url,
                 "parameters": redact(parameters), "status": status, "bytes": len(body),
                 "sha256": hashlib.sha256(body).hexdigest(),
                 "received_at": datetime.now(UTC).isoformat()}
        self.manifest["pages"] = [p for p in self.manifest["pages"] if p["seq"] < seq] + [entry]
        self._write_manifest()
        return path

    def finish(self, count_reported: int | None, count_retrieved: int) -> None:
        self.manifest.update(complete=True, count_reported=count_reported,
                             count_retrieved=count_retrieved,
                             finished_at=datetime.now(UTC).isoformat())
        self._write_manifest()

    def pages(self, upto: int | None = None) -> list[SnapshotPage]:
        return [SnapshotPage(p["seq"], p["kind"], self.directory / p["file"])
                for p in sorted(self.manifest["pages"], key=lambda p: p["seq"])
                if upto is None or p["seq"] <= upto]

    def _write_manifest(self) -> None:
        text = json.dumps(self.manifest, indent=2, ensure_ascii=False, sort_keys=True)
        _write_atomically(self.directory / MANIFEST, text.encode("utf-8"))


def newest_complete(root: Path, source: str) -> Snapshot | None:
    """The most recent finished snapshot of `source` (by the time its search started)."""
    candidates = []
    for manifest in root.glob(f"*/{source}/search-*/{MANIFEST}"):
        snapshot = Snapshot.open(manifest.parent)
        if snapshot.manifest.get("complete"):
            candidates.append((snapshot.manifest["started_at"], snapshot))
    if not candidates:
        return None
    return max(candidates, key=lambda c: c[0])[1]


def _free_directory(parent: Path, name: str) -> Path:
    """A new folder `name` under `parent`, suffixed when taken (snapshots copied in from another
    project, or left by a review.db that was recreated, may hold the same search id)."""
    parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, 1000):
        directory = parent / (name if attempt == 1 else f"{name}.{attempt}")
        try:
            directory.mkdir()
        except FileExistsError:
            continue
        return directory
    raise FileExistsError(f"{parent}: no free snapshot folder for {name}")


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".partial")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
