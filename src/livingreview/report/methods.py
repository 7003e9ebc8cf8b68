"""The report's methods paragraph, written from what the run did, with numbered citations.

Every sentence is generated from inputs (dates, sources, counts, versions, which methods ran),
so the paragraph never claims a method the run did not use. Citations are numbered in the order
they are first cited and listed with the paragraph.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from livingreview.errors import BadInput
from livingreview.report.prisma import PrismaCounts

# Reference strings for the methods the tool implements (DOIs checked against the publishers'
# pages or their indexing records).
CITATIONS: Mapping[str, str] = {
    "prisma2020": "Page MJ, McKenzie JE, Bossuyt PM, et al. The PRISMA 2020 statement: an updated "
                  "guideline for reporting systematic reviews. BMJ. 2021;372:n71. "
                  "doi:10.1136/bmj.n71",
    "prisma-s": "Rethlefsen ML, Kirtley S, Waffenschmidt S, et al. PRISMA-S: an extension to the "
                "PRISMA Statement for Reporting Literature Searches in Systematic Reviews. Syst Rev. "
                "2021;10:39. doi:10.1186/s13643-020-01542-z",
    "stopping": "Callaghan MW, Müller-Hansen F. Statistical stopping criteria for automated screening "
                "in systematic reviews. Syst Rev. 2020;9:273. doi:10.1186/s13643-020-01521-4",
    "rob2": "Sterne JAC, Savović J, Page MJ, et al. RoB 2: a revised tool for assessing risk of bias "
            "in randomised trials. BMJ. 2019;366:l4898. doi:10.1136/bmj.l4898",
    "robins-i": "Sterne JA, Hernán MA, Reeves BC, et al. ROBINS-I: a tool for assessing risk of bias "
                "in non-randomised studies of interventions. BMJ. 2016;355:i4919. "
                "doi:10.1136/bmj.i4919",
    "robvis": "McGuinness LA, Higgins JPT. Risk-of-bias VISualization (robvis): an R package and "
              "Shiny web app for visualizing risk-of-bias assessments. Res Synth Methods. "
              "2021;12(1):55-61. doi:10.1002/jrsm.1411",
    "reml": "Viechtbauer W. Bias and efficiency of meta-analytic variance estimators in the "
            "random-effects model. J Educ Behav Stat. 2005;30(3):261-293. "
            "doi:10.3102/10769986030003261",
    "metafor": "Viechtbauer W. Conducting meta-analyses in R with the metafor package. J Stat Softw. "
               "2010;36(3):1-48. doi:10.18637/jss.v036.i03",
    "swim": "Campbell M, McKenzie JE, Sowden A, et al. Synthesis without meta-analysis (SWiM) in "
            "systematic reviews: reporting guideline. BMJ. 2020;368:l6890. doi:10.1136/bmj.l6890",
    "effect-direction": "Boon MH, Thomson H. The effect direction plot revisited: application of "
                        "the 2019 Cochrane Handbook guidance on alternative synthesis methods. Res "
                        "Synth Methods. 2021;12(1):29-33. doi:10.1002/jrsm.1458",
    "grade": "Guyatt GH, Oxman AD, Vist GE, et al. GRADE: an emerging consensus on rating quality of "
             "evidence and strength of recommendations. BMJ. 2008;336(7650):924-926. "
             "doi:10.1136/bmj.39489.470347.AD",
}


@dataclass(frozen=True)
class MethodsFacts:
    """What the run did, as the methods paragraph reports it.

    `methods` names the methods used, from `CITATIONS` ("rob2", "reml", "stopping", ...);
    `models` maps each model or rule set to its version (for example the screening ranker).
    """

    tool_version: str
    databases: Sequence[str] = ()
    first_search: date | None = None
    last_search: date | None = None
    screeners: int | None = None
    models: Mapping[str, str] = field(default_factory=dict)
    methods: Sequence[str] = ()

    def __post_init__(self) -> None:
        unknown = [name for name in self.methods if name not in CITATIONS]
        if unknown:
            raise BadInput(f"methods paragraph: unknown method {', '.join(unknown)} "
                           f"(known: {', '.join(CITATIONS)})")


@dataclass(frozen=True)
class MethodsText:
    paragraph: str
    references: tuple[str, ...]


class _Citer:
    """Numbers references in the order the paragraph first cites them."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    def __call__(self, *keys: str) -> str:
        numbers = []
        for key in keys:
            if key not in self.keys:
                self.keys.append(key)
            numbers.append(str(self.keys.index(key) + 1))
        return f"[{', '.join(numbers)}]"


def _and_list(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def methods_text(facts: MethodsFacts, version: int, counts: PrismaCounts | None,
                 generated_on: date) -> MethodsText:
    cite = _Citer()
    used = set(facts.methods)
    sentences = [f"This is version {version} of a living systematic review, reported following "
                 f"PRISMA 2020 {cite('prisma2020')}."]
    sentences += _search_sentences(facts, used, cite)
    if counts is not None:
        sentences.append(_counts_sentence(counts))
    sentences += _screening_sentences(facts, used, cite)
    sentences += _appraisal_and_synthesis_sentences(used, cite)
    models = "; ".join(f"{name} {version_}" for name, version_ in facts.models.items())
    sentences.append(f"The report was generated on {generated_on.isoformat()} by livingreview "
                     f"{facts.tool_version}" + (f" (models and rule sets: {models})." if models
                                                else "."))
    return MethodsText(" ".join(sentences), tuple(CITATIONS[key] for key in cite.keys))


def _search_sentences(facts: MethodsFacts, used: set[str], cite: _Citer) -> list[str]:
    if not facts.databases:
        return []
    when = ""
    if facts.first_search and facts.last_search and facts.first_search != facts.last_search:
        when = (f", with searches run from {facts.first_search.isoformat()} to "
                f"{facts.last_search.isoformat()}")
    elif facts.last_search:
        when = f", last searched on {facts.last_search.isoformat()}"
    table = (f"; every search is listed as run in the PRISMA-S table {cite('prisma-s')}"
             if "prisma-s" in used else "")
    return [f"We searched {_and_list(list(facts.databases))}{when}{table}."]


def _counts_sentence(counts: PrismaCounts) -> str:
    included = (f"{counts.studies_included} new studies ({counts.reports_included} reports) were "
                f"included, {counts.total_studies} studies in all" if counts.previous is not None
                else f"{counts.studies_included} studies ({counts.reports_included} reports) were "
                     "included")
    other_removed = counts.removed_by_automation + counts.removed_other
    awaiting = (f", {counts.reports_awaiting:,} await classification (eligibility not yet "
                "decided)" if counts.reports_awaiting else "")
    return (f"The searches identified {counts.records_identified:,} records; after "
            f"{counts.duplicates_removed:,} duplicates and {other_removed:,} other records were "
            f"removed, {counts.records_screened:,} were screened on title and abstract, "
            f"{counts.reports_assessed:,} reports were assessed in full{awaiting}, and "
            f"{included}.")


def _screening_sentences(facts: MethodsFacts, used: set[str], cite: _Citer) -> list[str]:
    sentences = []
    if facts.screeners:
        who = "one reviewer" if facts.screeners == 1 else f"{facts.screeners} reviewers working independently"
        sentences.append(f"Records were screened by {who}, with criteria verdicts and an "
                         "active-learning ranking as suggestions only.")
    if "stopping" in used:
        sentences.append("Screening stopped when the hypergeometric test of Callaghan and "
                         f"Müller-Hansen {cite('stopping')} rejected having missed the recall "
                         "target.")
    return sentences


def _appraisal_and_synthesis_sentences(used: set[str], cite: _Citer) -> list[str]:
    sentences = []
    tools = [(key, name) for key, name in (("rob2", "RoB 2"), ("robins-i", "ROBINS-I")) if key in used]
    if tools:
        named = _and_list([f"{name} {cite(key)}" for key, name in tools])
        drawn = f", drawn in the style of robvis {cite('robvis')}" if "robvis" in used else ""
        sentences.append(f"Risk of bias was judged with {named}{drawn}.")
    # Each citation is numbered when cite() runs, so cite in reading order.
    if "reml" in used:
        reml = cite("reml")
        software = f", computed to agree with metafor {cite('metafor')}" if "metafor" in used else ""
        sentences.append("Where studies could be pooled, random-effects meta-analyses estimated "
                         f"between-study variance by restricted maximum likelihood {reml}"
                         f"{software}.")
    if "swim" in used:
        swim = cite("swim")
        plot = (f", with effect-direction plots {cite('effect-direction')}"
                if "effect-direction" in used else "")
        sentences.append(f"Other results were synthesised without meta-analysis following SWiM "
                         f"{swim}{plot}.")
    if "grade" in used:
        sentences.append(f"Certainty of evidence was rated with GRADE {cite('grade')}.")
    return sentences
