"""The report's methods paragraph, written from what the run did, with numbered citations.

Every sentence is generated from inputs (dates, sources, counts, versions, which methods ran),
so the paragraph never claims a method the run did not use. Citations are numbered in the order
they are first cited and listed with the paragraph.

Where the records came from is said the way each came: a database livingreview searched is named
with its interface and the dates it was searched; records exported from a database searched
elsewhere are "imported" with the day they were imported (the export does not say when its search
ran); a curated list of citations supplied with the protocol is called that, never "searched".
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


SOURCE_HOW = ("searched", "imported", "curated")
_NUMBER_WORDS = dict(enumerate(("zero", "one", "two", "three", "four", "five", "six", "seven",
                                "eight", "nine", "ten")))


@dataclass(frozen=True)
class SourceUse:
    """One source of the review's records: a database or register livingreview `searched` (with
    its interface), one whose export was `imported`, or a `curated` list of citations supplied
    with the protocol; `dates` are the days it was searched or imported, `records` how many
    records it gave."""

    name: str
    how: str
    dates: tuple[date, ...]
    interface: str | None = None
    records: int = 0

    def __post_init__(self) -> None:
        if self.how not in SOURCE_HOW:
            raise BadInput(f"methods paragraph: source {self.name!r} came by {self.how!r}; "
                           f"expected one of {', '.join(SOURCE_HOW)}")
        if not self.dates:
            raise BadInput(f"methods paragraph: source {self.name!r} has no date")
        object.__setattr__(self, "dates", tuple(sorted(set(self.dates))))


@dataclass(frozen=True)
class MethodsFacts:
    """What the run did, as the methods paragraph reports it.

    `sources` are where the records came from, in the order to name them; `methods` names the
    methods used, from `CITATIONS` ("rob2", "reml", "stopping", ...); `models` maps each model or
    rule set to its version (for example the screening ranker).
    """

    tool_version: str
    sources: Sequence[SourceUse] = ()
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
    searched = [u for u in facts.sources if u.how == "searched"]
    imported = [u for u in facts.sources if u.how == "imported"]
    sentences = []
    if searched:
        table = (f"; each search is listed as it was run in the PRISMA-S table {cite('prisma-s')}"
                 if "prisma-s" in used else "")
        sentences.append(f"We searched {_searched(searched)}{table}.")
    if imported:
        names = _and_list([_database_name(u.name) for u in imported])
        elsewhere = "that database was" if len(imported) == 1 else "those databases were"
        sentences.append(f"Records exported from {names} were imported "
                         f"{_days([d for u in imported for d in u.dates])}; {elsewhere} searched "
                         "outside livingreview.")
    for use in (u for u in facts.sources if u.how == "curated"):
        alone = ("; no bibliographic database was searched by livingreview"
                 if not searched and not imported else "")
        sentences.append(f"The records came from a curated list of "
                         f"{_number(use.records, 'citation', 'citations')} supplied with the "
                         f"review protocol, imported {_days(use.dates)}{alone}.")
    return sentences


def _searched(uses: Sequence[SourceUse]) -> str:
    """"PubMed (NCBI E-utilities API) and ... on 2026-11-30", or each source with its own last
    date when they were last searched on different days."""
    if len({u.dates[-1] for u in uses}) == 1:
        named = _and_list([f"{u.name} ({u.interface})" if u.interface else u.name for u in uses])
        days = sorted({d for u in uses for d in u.dates})
        return f"{named}{',' if len(days) > 1 else ''} {_days(days)}"
    first = min(d for u in uses for d in u.dates)
    each = _and_list([f"{u.name} ({u.interface + ', ' if u.interface else ''}last searched "
                      f"{u.dates[-1].isoformat()})" for u in uses])
    return f"{each}, first on {first.isoformat()}"


def _days(days: Sequence[date]) -> str:
    ordered = sorted(set(days))
    if len(ordered) == 1:
        return f"on {ordered[0].isoformat()}"
    return f"first on {ordered[0].isoformat()} and most recently on {ordered[-1].isoformat()}"


def _database_name(name: str) -> str:
    """A database as the sentence names it; an import whose database nobody named says so."""
    if name.startswith("database not named (") and name.endswith(")"):
        return f"an unnamed database ({name.removeprefix('database not named (')[:-1]} export)"
    return name


def _number(count: int, singular: str, plural: str) -> str:
    return f"{count:,} {singular if count == 1 else plural}"


def _were(count: int) -> str:
    return "was" if count == 1 else "were"


def _held_in_full(assessed: int, held: int | None) -> str:
    """How the reports were assessed, as far as the review's own files show it."""
    if held is None or held >= assessed:
        return " in full"
    if held == 0:
        return " for eligibility (the review holds none of their full texts)"
    return f" for eligibility (the review holds the full texts of {held:,})"


def _counts_sentence(counts: PrismaCounts) -> str:
    """How many records were identified, removed, screened and excluded; then the full texts."""
    if counts.previous is not None:
        identified = f"In this version, {_number(counts.records_identified, 'new record', 'new records')}"
    else:
        identified = f"In all, {_number(counts.records_identified, 'record', 'records')}"
    removed = [_number(n, what, what + "s") for n, what in (
        (counts.duplicates_removed, "duplicate"),
        (counts.removed_by_automation, "record marked ineligible by automation"),
        (counts.removed_other, "other record")) if n]
    screened = counts.records_screened
    if removed:
        before = f"after {_and_list(removed)} {_were(counts.records_removed)} removed, {screened:,}"
    else:
        before = f"none was a duplicate, and {'the' if screened == 1 else 'all'} {screened:,}"
    excluded = (f", of which {counts.records_excluded:,} {_were(counts.records_excluded)} excluded"
                if counts.records_excluded else ", and none was excluded")
    sentence = (f"{identified} {_were(counts.records_identified)} identified; {before} "
                f"{_were(screened)} screened on title and abstract{excluded}.")
    if counts.reports_sought or counts.reports_assessed:
        sentence += " " + _full_text_sentence(counts)
    return sentence


def _full_text_sentence(counts: PrismaCounts) -> str:
    sought, missing = counts.reports_sought, counts.reports_not_retrieved
    carried = counts.previous.awaiting if counts.previous else 0
    held = counts.reports_full_text_held
    if not sought:
        retrieved = "No new report was sought in full"
    elif missing:
        retrieved = f"Of {_number(sought, 'report', 'reports')} sought, {missing:,} could not be retrieved"
    elif held is not None and held < counts.reports_assessed:
        # Nothing was logged as not retrieved, but the review does not hold every full text
        # either (a curated review judged from its records): say what is known, no more.
        retrieved = f"Of the {_number(sought, 'report', 'reports')} sought, none was recorded as not retrieved"
    else:
        retrieved = ("The report sought was retrieved" if sought == 1
                     else f"All {sought:,} reports sought were retrieved")
    in_full = _held_in_full(counts.reports_assessed, held)
    assessed = f"{counts.reports_assessed:,} {_were(counts.reports_assessed)} assessed{in_full}"
    if carried:
        assessed = (f"{retrieved}; with {_number(carried, 'report', 'reports')} that awaited "
                    f"classification in the previous version, {assessed}")
    elif missing or in_full != " in full":
        assessed = f"{retrieved}, and {assessed}"
    else:
        assessed = f"{retrieved} and assessed in full"
    excluded = sum(counts.reports_excluded.values())
    parts = [f"{excluded:,} {_were(excluded)} excluded" if excluded else "none was excluded"]
    if counts.reports_awaiting:
        parts.append(f"{counts.reports_awaiting:,} "
                     f"{'awaits' if counts.reports_awaiting == 1 else 'await'} classification "
                     "(eligibility not yet decided)")
    new = "new " if counts.previous is not None else ""
    included = (f"{_number(counts.studies_included, new + 'study', new + 'studies')} "
                f"({_number(counts.reports_included, 'report', 'reports')}) "
                f"{_were(counts.studies_included)} included" if counts.studies_included
                else f"no {new}study was included")
    if counts.previous is not None:
        included += f", {_number(counts.total_studies, 'study', 'studies')} in all"
    return f"{assessed}: {_and_list([*parts, included])}."


def _screening_sentences(facts: MethodsFacts, used: set[str], cite: _Citer) -> list[str]:
    sentences = []
    if facts.screeners:
        who = ("one reviewer" if facts.screeners == 1
               else f"{_NUMBER_WORDS.get(facts.screeners, str(facts.screeners))} reviewers working "
                    "independently")
        sentences.append(f"Records were screened by {who}; the tool's criteria verdicts and "
                         "active-learning ranking were offered as suggestions only.")
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
        drawn = (f", with plots drawn in the style of robvis {cite('robvis')}" if "robvis" in used
                 else "")
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
        which = "Other results were" if "reml" in used else "Results were"
        sentences.append(f"{which} synthesised without meta-analysis following SWiM {swim}{plot}.")
    if "grade" in used:
        sentences.append(f"Certainty of evidence was rated with GRADE {cite('grade')}.")
    return sentences
