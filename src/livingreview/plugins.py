"""Plug-in lookup through entry points: built-ins are registered exactly like third-party ones.

Groups: livingreview.importers, livingreview.sources, livingreview.feature_extractors,
livingreview.classifiers, livingreview.query_strategies, livingreview.stopping_rules.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points
from typing import Any

from livingreview.errors import BadInput


class PluginNotFound(BadInput, LookupError):
    def __init__(self, group: str, name: str, valid: list[str]) -> None:
        self.group, self.name, self.valid = group, name, valid
        super().__init__(f"no {group} plug-in named '{name}'; valid names: {', '.join(valid) or '(none)'}")


@cache
def _registered(group: str) -> dict[str, Any]:
    return {entry.name: entry for entry in entry_points(group=group)}


def plugin_names(group: str) -> list[str]:
    return sorted(_registered(f"livingreview.{group}"))


def load_plugin(group: str, name: str) -> Any:
    """The object registered under `name` in `livingreview.<group>`."""
    registered = _registered(f"livingreview.{group}")
    if name not in registered:
        raise PluginNotFound(group, name, sorted(registered))
    return registered[name].load()
