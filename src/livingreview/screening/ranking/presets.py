"""Presets: named combinations of plug-ins and their settings, read from presets.toml."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np

from livingreview.errors import BadInput
from livingreview.plugins import load_plugin
from livingreview.screening.ranking.classifiers import ColumnSubset

EXTRA_BLOCK = "extra"


class PresetNotFound(BadInput, LookupError):
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
    # The preset to use instead when an optional extra this one needs is not installed.
    fallback: str | None = None


@cache
def _preset_table() -> dict[str, Any]:
    return tomllib.loads(files(__package__).joinpath("presets.toml").read_text(encoding="utf-8"))


def preset_names() -> list[str]:
    return sorted(_preset_table())


def load_preset(name: str) -> Preset:
    table = _preset_table()
    if name not in table:
        raise PresetNotFound(name, preset_names())
    return preset_from_table(name, table[name])


def preset_from_table(name: str, entry: Mapping[str, Any]) -> Preset:
    """A preset from a table shaped like one of presets.toml's (benchmarks build their grids so)."""
    return Preset(
        name=name,
        feature_extractors=tuple(_component(item) for item in entry["feature_extractors"]),
        classifier=_component(entry["classifier"]),
        query_strategy=_component(entry["query_strategy"]),
        description=entry.get("description", ""),
        fallback=entry.get("fallback"),
    )


def _component(entry: dict[str, Any] | str) -> Component:
    if isinstance(entry, str):
        return Component(entry)
    settings = {key: value for key, value in entry.items() if key != "name"}
    return Component(entry["name"], settings)


def build(group: str, component: Component, seed: int, blocks: Mapping[str, np.ndarray] | None = None,
          cuts: dict | None = None) -> Any:
    """Instantiate a plug-in; seeded components get the session seed, ensembles build their members.

    A classifier's `features = [block names]` restricts it to those blocks' columns (`blocks`
    maps each feature block of the session to its column positions); an ensemble member's
    `share` is its weight in the ensemble.
    """
    factory = load_plugin(group, component.name)
    settings = dict(component.settings)
    cuts = {} if cuts is None else cuts  # column cuts, shared by every member of one ensemble
    feature_names = settings.pop("features", None)
    if "members" in settings:
        members = [_component(member) for member in settings["members"]]
        settings["members"] = tuple(build(group, _without_share(member), seed, blocks, cuts)
                                   for member in members)
        if any("share" in member.settings for member in members):
            settings["shares"] = tuple(float(member.settings.get("share", 1.0)) for member in members)
    if "seed" in getattr(factory, "__dataclass_fields__", {}):
        settings.setdefault("seed", seed)
    built = factory(**settings)
    if feature_names is None:
        return built
    return ColumnSubset(built, _columns(feature_names, blocks or {}, component.name), cuts)


def _without_share(member: Component) -> Component:
    return Component(member.name, {key: value for key, value in member.settings.items() if key != "share"})


def _columns(names: list[str], blocks: Mapping[str, np.ndarray], owner: str) -> np.ndarray:
    # "extra" is the caller's own feature block (criteria verdicts when screening a project):
    # present in some sessions and not others, so naming it where it is absent is no error.
    unknown = [name for name in names if name not in blocks and name != EXTRA_BLOCK]
    if unknown:
        raise ValueError(f"classifier '{owner}' asks for feature blocks {unknown}; "
                         f"this session has {sorted(blocks)}")
    chosen = [blocks[name] for name in names if name in blocks]
    return np.sort(np.concatenate(chosen)) if chosen else np.zeros(0, dtype=np.int64)
