"""The lead's screening-settings page: `[screening]` of `protocol.toml`, edited in place.

The new text is checked by the loader every command uses (`protocol.parse_protocol`), so a value
the CLI would refuse is refused here with the same message; it replaces the file whole
(`files.replacing`), and the change is logged as `protocol.changed` with the lead's name, in the
same transaction and with the same summary a command logs when it first sees an edited protocol,
so the next command does not log it again. Only the keys of `[screening]` are touched: the rest of
the file, comments included, stays as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from livingreview.errors import BadInput
from livingreview.files import replacing
from livingreview.project import PROTOCOL_FILE, Review, protocol_diff, protocol_summary
from livingreview.protocol import Protocol, parse_protocol
from livingreview.protocol.models import ScreeningSettings, ranking_preset_names
from livingreview.store.protocol_log import PROTOCOL_CHANGED, last_protocol_seen

SETTINGS = tuple(ScreeningSettings.model_fields)
Setting = str | float | int | None
_TABLE = re.compile(r"^\s*\[\s*screening\s*\]\s*(#.*)?$")
_ANY_TABLE = re.compile(r"^\s*\[")


@dataclass(frozen=True)
class SettingsView:
    settings: ScreeningSettings
    presets: list[str]


def settings_view(review: Review) -> SettingsView:
    return SettingsView(review.protocol.screening, ranking_preset_names())


def with_screening(text: str, values: Mapping[str, Setting]) -> str:
    """`text` (a protocol) with each key of `values` set in its `[screening]` table: a key line
    already there gets the new value, a missing one is added after the table's last key, a key
    set to None is removed (the default applies), and a missing table is added at the end."""
    newline = "\r\n" if "\r\n" in text else "\n"  # a file written on Windows keeps its line ends
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if _TABLE.match(line)), None)
    if start is None:
        lines += ["", "[screening]"]
        start = len(lines) - 1
    end = next((i for i in range(start + 1, len(lines)) if _ANY_TABLE.match(lines[i])), len(lines))
    last_key = start
    for key, value in values.items():
        line = f"{key} = {_toml(value)}"
        found = next((i for i in range(start + 1, end) if re.match(rf"^\s*{key}\s*=", lines[i])), None)
        if value is None:
            if found is not None:
                del lines[found]
                end -= 1
                if found <= last_key:
                    last_key -= 1
            continue
        if found is None:
            lines.insert(last_key + 1, line)
            end += 1
            found = last_key + 1
        else:
            lines[found] = line
        last_key = max(last_key, found)
    return newline.join(lines) + newline


def _toml(value: Setting) -> str:
    # A JSON string of plain text is a TOML basic string; numbers are written as typed.
    return json.dumps(value)


def save_settings(review: Review, lead: str, form: Mapping[str, str]) -> tuple[Protocol, dict[str, list[object]]]:
    """Write the `form`'s settings into protocol.toml (validated, whole or not at all), log the
    change with `lead`'s name, and have the running review use the new protocol. Returns it and
    what changed (key → [before, after]); nothing is written when nothing changed."""
    values = {key: _typed(key, form.get(key, "")) for key in SETTINGS}
    before = review.protocol.screening.model_dump()
    changed = {key: [before[key], value] for key, value in values.items() if before[key] != value}
    if not changed:
        return review.protocol, {}
    path = review.directory / PROTOCOL_FILE
    text = with_screening(path.read_bytes().decode("utf-8-sig"), values)  # bytes: line ends as written
    protocol = parse_protocol(text, path)  # the loader of every command; ProtocolError names the line
    data = text.encode("utf-8")
    store = review.store
    with store.transaction():
        now = protocol_summary(protocol, data)
        seen = last_protocol_seen(store)
        earlier = {k: v for k, v in protocol_diff(seen, now).items() if k != "other_text_changed"}
        store.log("protocol", PROTOCOL_CHANGED, subject=protocol.review.id, actor=lead,
                  detail={"now": now, "before_sha256": seen and seen.get("sha256"),
                          "changes": {**earlier, "screening": changed}, "source": "web"})
        with replacing(path) as partial:
            partial.write_bytes(data)
    # The server's review goes on with the protocol just written (only [screening] differs).
    review.protocol = protocol
    review.screening.protocol = protocol
    return protocol, changed


def _typed(key: str, raw: str) -> Setting:
    text = raw.strip()
    if key == "preset":
        return text
    if key == "reviewers_per_record":
        if not text:
            return None  # every reviewer screens every record
        if not text.isdigit():
            raise BadInput(f"screening setting {key}: expected a whole number of reviewers, or nothing "
                           f"for every reviewer, got {raw!r}")
        return int(text)
    try:
        return float(text)
    except ValueError:
        raise BadInput(f"screening setting {key}: expected a number such as 0.95, got {raw!r}") from None
