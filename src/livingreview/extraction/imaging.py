"""What a brain scan measured, named as a reader names it: "amygdala reactivity to fearful faces (fMRI)".

A scan's modality ("functional magnetic resonance imaging") says how an outcome was measured, not
which outcome it was. Abstracts name what was imaged as a brain region and its response, often
with what it responded to: "reduced amygdala reactivity to social signals of threat",
"activation in the right fusiform face area". Each such phrase in the study's own sentences is
an outcome, named by its words and the modality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from livingreview.extraction.passages import Passage
from livingreview.extraction.text import Sentence

_SIDE = (r"(?:(?i:left|right|bilateral|dorsal|ventral|medial|lateral|anterior|posterior|subgenual|pregenual|"
         r"rostral|caudal|inferior|superior|middle|ventromedial|dorsolateral|dorsomedial|primary|"
         r"\(?putative\)?)[\s-]+)*")
_CORE = (r"(?:(?i:amygdalar?|insular?(?:\s+cortex)?|fronto-insular\s+cortex|cingulate(?:\s+(?:cortex|gyrus))?|"
         r"(?:orbito|pre)?frontal(?:\s+(?:cortex|gyrus|lobe))?|striat(?:um|al)|hippocamp(?:us|al)|"
         r"fusiform(?:\s+(?:face\s+area|gyrus))?|(?:hypo)?thalam(?:us|ic)|nucleus\s+accumbens|caudate|putamen|"
         r"pallidum|precuneus|cerebellum|(?:temporal|parietal|occipital|visual|motor|somatosensory)"
         r"(?:\s+(?:cortex|gyrus|lobe))?|limbic(?:\s+system)?|brain)(?:\s+(?:brain\s+)?(?:regions?|areas?|structures?))?|"
         r"(?:sg|d|r|pg)?ACC|(?:vm|dl|m)?PFC|OFC|FFA|NAc|rAI)")
# An abbreviation given in brackets after a region: "medial prefrontal cortex (mPFC)".
_REGION = _SIDE + _CORE + r"(?:\s*\([^()]{1,12}\))?"
_REGIONS = _REGION + r"(?:(?:\s*,\s*(?:and\s+)?|\s+(?:and|or)\s+|\s*/\s*|-)" + _REGION + r")*"
_RESPONSE = (r"(?i:(?:hyper|hypo)?(?:activation|activity|reactivity|responses?|responsivity)|"
             r"(?:functional\s+)?(?:connectivity|coupling)|BOLD\s+(?:signal|response)s?)")
# What the region responded to, up to where the clause turns ("... to fearful faces, and ...").
_STOP = (r"(?:and|but|or|in|relative|compared|versus|vs|across|after|before|prior|while|which|that|with|"
         r"whereas|than|on|at|to|was|were|is|are|under|suggest\w*|return\w*|remain\w*|correlat\w*|"
         r"predict\w*|increas\w*|decreas\w*|reduc\w*|rose|fell|declined|did|does|showed|differed|changed|"
         r"improved|worsened|normali\w+)")
_TO = (r"(?:\s+(?i:to|during|in\s+response\s+to|for)\s+(?:the\s+)?(?!" + _STOP + r"\b)[\w-]+"
       r"(?:\s+(?!" + _STOP + r"\b)[\w-]+){0,4})?")
_CONTEXT = r"(?:(?i:threat|fear|reward|emotion|face)-related\s+)?"
_REGION_FIRST = re.compile(r"(?<![\w-])" + _CONTEXT + r"(?:" + _REGIONS + r")\s+" + _RESPONSE + _TO)
_RESPONSE_FIRST = re.compile(r"(?<![\w-])" + _RESPONSE + r"\s+(?i:in|of|within)\s+(?:the\s+)?(?:both\s+the\s+)?"
                             r"(?:" + _REGIONS + r")" + _TO)
_MAX_MEASURES = 3


@dataclass(frozen=True)
class BrainMeasure:
    passage: Passage
    start: int
    end: int
    name: str  # the phrase as written, spaces made single, without the modality


def brain_measures(sentences: list[tuple[Passage, Sentence]]) -> list[BrainMeasure]:
    """The region-and-response phrases of these sentences, each once (by its words), at most three,
    in text order. A phrase naming only "the brain" is too vague to be one when a region is named."""
    found: dict[str, BrainMeasure] = {}
    for passage, sentence in sentences:
        spans = sorted({(m.start(), m.end()) for pattern in (_REGION_FIRST, _RESPONSE_FIRST)
                        for m in pattern.finditer(passage.text, sentence.start, sentence.end)})
        for start, end in _outermost(spans):
            name = " ".join(passage.text[start:end].split())
            found.setdefault(name.lower(), BrainMeasure(passage, start, end, name))
    measures = [m for m in found.values() if not any(_words(m.name) < _words(other.name) for other in found.values())]
    regional = [m for m in measures if not re.search(r"\bbrain\b", m.name, re.IGNORECASE)]
    return (regional or measures)[:_MAX_MEASURES]


def _words(name: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", name.lower()))


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    for start, end in spans:
        if kept and start < kept[-1][1]:
            if end - start > kept[-1][1] - kept[-1][0]:
                kept[-1] = (start, end)
            continue
        kept.append((start, end))
    return kept
