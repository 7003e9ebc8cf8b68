"""Active-learning ranking of the records still to screen.

Feature extractors, classifiers and query strategies are plug-ins (entry-point groups
`livingreview.feature_extractors`, `livingreview.classifiers`, `livingreview.query_strategies`);
presets in `presets.toml` combine them.
"""

from livingreview.screening.ranking.presets import Component, Preset, PresetNotFound, load_preset, preset_names
from livingreview.screening.ranking.session import RankingSession, rank_unlabelled

__all__ = [
    "Component",
    "Preset",
    "PresetNotFound",
    "RankingSession",
    "load_preset",
    "preset_names",
    "rank_unlabelled",
]
