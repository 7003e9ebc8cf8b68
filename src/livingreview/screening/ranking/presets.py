"""Presets: named combinations of plug-ins and their settings, read from presets.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

from livingreview.plugins import load_plugin


class PresetNotFound(LookupError, ValueError):
    def __init__(self, name: str, valid: list[str]) -> None:
        self.name, self.valid = name, valid
        super().__init__(f"no ranking preset named '{name}'; valid names: {', '.join(valid)}")


@dataclass(frozen=True)
class Component:
    """One plug-in by entry-point name, with the settings passed to its constructor."""

    name: str
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Preset:
    name: str
    feature_extractors: tuple[Component, ...]
    classifier: Component
    query_strategy: Component
    description: str = ""


@cache
def _preset_table() -> dict[str, Any]:
    return tomllib.loads(files(__package__).joinpath("presets.toml").read_text(encoding="utf-8"))


def preset_names() -> list[str]:
    return sorted(_preset_table())


def load_preset(name: str) -> Preset:
    table = _preset_table()
    if name not in table:
        raise PresetNotFound(name, preset_names())
    entry = table[name]
    return Preset(
        name=name,
        feature_extractors=tuple(_component(item) for item in entry["feature_extractors"]),
        classifier=_component(entry["classifier"]),
        query_strategy=_component(entry["query_strategy"]),
        description=entry.get("description", ""),
    )


def _component(entry: dict[str, Any] | str) -> Component:
    if isinstance(entry, str):
        return Component(entry)
    settings = {key: value for key, value in entry.items() if key != "name"}
    return Component(entry["name"], settings)


def build(group: str, component: Component, seed: int) -> Any:
    """Instantiate a plug-in; seeded components get the session seed, ensembles build their members."""
    factory = load_plugin(group, component.name)
    settings = dict(component.settings)
    if "members" in settings:
        settings["members"] = tuple(build(group, _component(member), seed) for member in settings["members"])
    if "seed" in getattr(factory, "__dataclass_fields__", {}):
        settings.setdefault("seed", seed)
    return factory(**settings)
