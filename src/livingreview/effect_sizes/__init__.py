"""Effect sizes for meta-analysis under metafor's `escalc` names and conventions.

    es = escalc("SMD", m1i=..., sd1i=..., n1i=..., m2i=..., sd2i=..., n2i=...)
    es.yi, es.vi, es.notes

`MEASURES` lists the measures escalc computes (SMD, MD, ROM, OR, RR, RD, COR, ZCOR, MN, MC, SMCC,
SMCR) with the arguments each takes. The `smd_from_*` functions give Hedges' g where a study
reports a t, F or p value, a confidence interval, or a 2x2 table instead of means and SDs;
`smcc_from_t` gives the standardized mean change from a paired (crossover) t statistic.
tests/test_effect_sizes_metafor.py checks escalc against metafor 4.6.0's own output.
"""

from livingreview.effect_sizes._columns import EffectSizeInputError
from livingreview.effect_sizes._conversions import (
    smcc_from_t,
    smd_from_2x2,
    smd_from_ci,
    smd_from_f,
    smd_from_log_or,
    smd_from_p,
    smd_from_t,
)
from livingreview.effect_sizes._escalc import MEASURES, Measure, escalc
from livingreview.effect_sizes._formulas import hedges_correction
from livingreview.effect_sizes._result import EffectSizes

__all__ = [
    "MEASURES",
    "EffectSizeInputError",
    "EffectSizes",
    "Measure",
    "escalc",
    "hedges_correction",
    "smcc_from_t",
    "smd_from_2x2",
    "smd_from_ci",
    "smd_from_f",
    "smd_from_log_or",
    "smd_from_p",
    "smd_from_t",
]
