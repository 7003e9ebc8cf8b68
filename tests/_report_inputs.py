"""Report inputs with every section filled, for the HTML and browser tests.

The counts add up (see `consistent_counts`), the figures are small real SVG and PNG files drawn
with matplotlib, and a few text fields carry markup and control characters, as a hostile record
could.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure

from livingreview.report import (
    ChangesSinceLast,
    Figure,
    MethodsFacts,
    OtherMethods,
    PreviousVersion,
    PrismaCounts,
    ReportInputs,
    SearchReport,
    SourceUse,
)

HOSTILE_TITLE = "<script>alert(1)</script> Ketamine & empathy \x1b[31m\"trial\"\x07"
HOSTILE_TITLE_AS_TEXT = "<script>alert(1)</script> Ketamine & empathy \"trial\""


def consistent_counts(*, previous: bool = True, other: bool = True) -> PrismaCounts:
    """Counts that add up: 1,153 identified - 323 removed = 830 screened; 830 - 750 = 80 sought;
    80 - 4 = 76 assessed; 76 - 60 = 16 reports, plus 4 - 2 = 2 from other methods = 18."""
    return PrismaCounts(
        databases={"PubMed": 812, "Embase (import)": 300},
        registers={"ClinicalTrials.gov": 41},
        duplicates_removed=320, removed_by_automation=0, removed_other=3,
        records_screened=830, records_excluded=750,
        reports_sought=80, reports_not_retrieved=4, reports_assessed=76,
        reports_excluded={"C1 not a human study": 20, "C2 not a clinical trial": 30,
                          "C3 no social-cognitive outcome": 10},
        studies_included=12, reports_included=18 if other else 16,
        other_methods=OtherMethods(identified={"Citation searching": 10, "Websites": 3},
                                   reports_sought=5, reports_not_retrieved=1, reports_assessed=4,
                                   reports_excluded={"C3 no social-cognitive outcome": 2})
        if other else None,
        previous=PreviousVersion(studies=9, reports=11) if previous else None,
    )


def _draw(path: Path, title: str, kind: str) -> Path:
    figure = MplFigure(figsize=(5, 2.4), dpi=80)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    if kind == "forest":
        axes.errorbar([0.4, 0.1, 0.25], [3, 2, 1], xerr=[[0.3, 0.2, 0.1], [0.3, 0.2, 0.1]],
                      fmt="s", color="#1f4e79")
        axes.axvline(0, color="grey", linewidth=0.8)
    elif kind == "map":
        axes.imshow([[3, 0, 1], [1, 2, 0]], cmap="Blues")
    else:
        axes.bar(["D1", "D2", "D3", "D4", "D5"], [1, 2, 1, 3, 2], color="#02C100")
    axes.set_title(title)
    figure.tight_layout()
    figure.savefig(path)
    return path


def full_report_inputs(folder: Path) -> ReportInputs:
    folder.mkdir(parents=True, exist_ok=True)
    return ReportInputs(
        title="Glutamate modulators and entactogens for social cognition",
        question="Do glutamate modulators and entactogens change empathy and social cognition "
                 "in adults, compared with placebo?",
        version=2,
        generated=datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc),
        summary="Twelve new studies were included in this version; " + HOSTILE_TITLE,
        methods=MethodsFacts(tool_version="0.1.0",
                             sources=(SourceUse("PubMed", "searched", (date(2026, 11, 2),
                                                                       date(2026, 11, 30))),
                                      SourceUse("Europe PMC", "searched", (date(2026, 11, 30),)),
                                      SourceUse("ClinicalTrials.gov", "searched",
                                                (date(2026, 11, 30),))),
                             screeners=2, models={"ranker": "tfidf+svm 1", "extraction rules": "3"},
                             methods=("stopping", "rob2", "robvis", "reml", "metafor", "swim",
                                      "effect-direction", "grade")),
        prisma=consistent_counts(),
        searches=(SearchReport("PubMed", "NCBI E-utilities", date(2026, 11, 30),
                               '(ketamine[tiab] OR MDMA[tiab]) AND empathy[tiab]', 812, 812),
                  SearchReport("ClinicalTrials.gov", "API v2", date(2026, 11, 30),
                               "ketamine AND social cognition", None, 41)),
        characteristics=[{"study": HOSTILE_TITLE, "design": "crossover", "n": 24,
                          "drugs": ["ketamine"], "population": "healthy"},
                         {"study": "Trial B 2021", "design": "parallel", "n": 60,
                          "drugs": ["MDMA"], "population": "ptsd"}],
        outcomes=[{"study": "Trial B 2021", "outcome": "Multifaceted Empathy Test",
                   "construct": "empathy", "direction": "improved", "g": 0.41}],
        evidence_map=(Figure(_draw(folder / "map.svg", "Evidence map", "map"),
                             "Studies per drug and construct"),),
        evidence_map_table=[{"drug": "ketamine", "empathy": 2, "trust": 0}],
        effect_direction=(Figure(_draw(folder / "direction.png", "Effect direction", "bars"),
                                 "Effect direction by drug and construct"),),
        forest_plots=(Figure(_draw(folder / "forest.png", "Empathy: MDMA vs placebo", "forest"),
                             "MDMA vs placebo, empathy (Hedges' g, REML)"),),
        risk_of_bias=(Figure(_draw(folder / "rob.svg", "Risk of bias", "bars"),
                             "RoB 2 summary " + HOSTILE_TITLE),),
        summary_of_findings=[{"outcome": "empathy", "studies": 3, "participants": 140,
                              "effect": "g 0.25 (0.05 to 0.45)", "certainty": "low",
                              "reasons": "risk of bias; imprecision"}],
        conclusions=[{"drug": "MDMA", "conclusion": "may improve empathy",
                      "rule": "pooled g > 0 with CI excluding 0; certainty low"}],
        conclusions_rule="at least two randomised studies in one direction for a drug to be "
                         "called promising",
        changes=ChangesSinceLast(previous_version=1, new_records=57,
                                 newly_included=("Trial B 2021", HOSTILE_TITLE),
                                 changed_estimates=[{"outcome": "empathy", "before": "g 0.31",
                                                     "after": "g 0.25"}],
                                 changed_conclusions=[{"drug": "MDMA", "before": "unclear",
                                                       "after": "may improve empathy"}]),
    )
