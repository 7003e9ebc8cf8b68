"""Studies with no comparison arm: everyone given the same drug, read as single-group, uncontrolled
and not randomised (the guidelines' `single-group`, `none` and `no`).

An abstract rarely says "single-group": it says who was given what ("twelve healthy volunteers
took a single oral dose of X", "patients were treated with X for 4 weeks") and compares nothing
but times or kinds of participants ("after treatment", "women with that genotype against those
without"). What rules such a study out is a second treatment: a placebo, a control or untreated
group, random allocation, or a comparison whose other side is a treatment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from livingreview.extraction import design
from livingreview.extraction.model import NOT_STATED, Suggestion
from livingreview.extraction.passages import before_own_study, Hit, Passage, find, rx, suggestion

# A comparison arm stated outright, whatever it is compared on.
# (Healthy controls are people compared, not an arm: they are given the drug or nothing; a scale's
# "control/helplessness" is what it measures.)
# (nor is a bracketed "(control)" after a value, the drug-free measurement it is set against, nor
# "control systems")
_ARM_STATED = rx(r"\bplacebo|\bsham\b|\brandom|(?<!healthy\s)(?<!\(\s)(?<!\()\bcontrols?\b"
                 r"(?!\s+of\b|/|\s*\)|\s+(?:systems?|theory|strateg\w+|signals?|processes|mechanisms?|networks?|loops?)\b)|"
                 r"\bcomparative\b|\buntreated\b|"
                 r"\bnon-?treated\b|\bwait(?:ing)?[- ]?list\b|\busual\s+care\b")
_COMPARISON = rx(r"\bcompar\w*\b|\bversus\b|\bvs\b\.?")
# What the other side of a comparison names when it is a treatment, not a time or a kind of
# participant ("compared with baseline", "compared with that in men"); another route or
# formulation of the drug is a second treatment too.
_TREATMENT_SIDE = (r"placebo|control|untreated|no\s+treatment|usual\s+care|standard|conventional|alone|"
                   r"combination|doses?|formulations?|regimens?|other\s+(?:drugs?|treatments?|agents?)|another|"
                   r"tablets?|capsules?|injections?|infusions?|oral|intravenous|subcutaneous|intranasal|nasal\s+spray")
# Several study drugs given to one group: an interaction study says how they were combined.
_COMBINED = rx(r"\bco-?administ\w*|\bconcomitant(?:ly)?\b|\bcombination\b|\binteractions?\b|"
               r"\btogether\s+with\b|\bin\s+addition\s+to\b|\badded\s+to\b|\bplus\b|\bpre-?treat(?:ment|ed)\s+with\b")
# The authors gave the drug themselves ("we administered dexmedetomidine").
AUTHORS_GAVE = r"\bwe\s+(?:administered|gave|infused|injected)\b"
# Participants given the drug: the design's own statement of what everyone got.
_GIVEN = rx(r"\b(?:was|were)\s+(?:administered|given|treated|infused|injected|started|dosed)\b|\breceived\b|"
            r"\btook\b(?!\s+part\b)|"
            r"\b(?:after|following)\s+(?:(?:a|the)\s+)?(?:single\s+|oral\s+|intravenous\s+|repeated\s+)*"
            r"(?:ingestion|intake|administration|dosing|injection|infusion)\s+of\b|"
            r"\bsingle\s+(?:oral\s+|intravenous\s+)?doses?\s+of\b|\bco-?administ\w+|\bconcomitant\s+administration\b|"
            r"\bfollowed\s+by\b|"
            # what the authors gave, and a drug given while measuring ("during N2O inhalation", "volunteers
            # sedated with a computer-controlled infusion of propofol", "entered an 8-week treatment with X")
            + AUTHORS_GAVE + r"|\b(?:sedated|an(?:a)?esthetized|premedicated)\s+with\b|"
            r"\b(?:during|under)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:inhalation|infusion|administration)\b|"
            r"\binfusions?\s+of\b|\bentered\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}?treatment\s+with\b|"
            # ("Six couples ... undertook a course of treatment combining CBCT with two MDMA sessions")
            r"\b(?:undertook|underwent)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:course|treatment|therapy|regimen)\b|"
            # measured in the same people around the dose: "before, during, and after ketamine infusion"
            r"\bbefore,?\s+(?:during,?\s+)?(?:and\s+)?after\s+(?:(?:a|the)\s+)?(?:[\w-]+\s+){0,3}?"
            r"(?:infusion|injection|inhalation|administration|ingestion|intake|dosing|dose)\b|"
            # an open study, or change read against the group's own start
            r"\bopen[- ]label\b|\bopen\s+(?:study|trial)\b|\b(?:relative\s+to|from)\s+(?:their\s+)?baseline\b|"
            r"\b(?:compared\s+(?:to|with)|and\s+at)\s+baseline\b|"
            # "after 12 weeks of lamotrigine monotherapy"
            r"\b(?:after|following)\s+(?:\d+|one|two|three|four|six|eight|ten|twelve)\s+(?:weeks?|days?|months?)\s+of\s+"
            r"(?:[\w-]+\s+){0,2}?(?:treatment|therapy|monotherapy|administration|intake)\b")
# A non-drug intervention measured in the same people before and after it (training, a programme):
# "before and after the course", "pre- and post-intervention", "at postintervention", "pretest-posttest".
# (A "pre-intervention period" or "group" is other people, seen before the change: a before-after
# comparison of periods, which assigns nothing.)
_BEFORE_AND_AFTER = rx(r"\bbefore\s+and\s+after\s+(?:the\s+|this\s+|a\s+)?(?:\w+\s+)?(?:training|intervention|"
                       r"programme|program|course|workshops?|education|sessions)\b|"
                       r"\b(?:pre|post)-?\s?(?:and\s+post-?\s?|/post-?\s?|-post-?\s?)?(?:intervention|training|"
                       r"programme|program|course|workshop)\b(?!\s+(?:periods?|phases?|groups?|cohorts?|audits?|years?|"
                       r"months?|patients)\b)|\bpre-?test[- /]+(?:and\s+)?post-?test\b")
# Studies that follow, audit or interview the people they have rather than assign anything to them.
_ASSIGNS_NOTHING = rx(
    r"\bour\s+(?:\w+\s+)?experience\b|\bconsecutive(?:ly)?\s+(?:\w+\s+)?(?:patients|cases|subjects|admissions|"
    r"referrals|women|men|children)\b|\bprospective\s+study\s+of\b|"
    r"\b(?:evaluated|studied|followed|examined|assessed|enrolled|recruited)\s+prospectively\b|"
    # the drug chosen in the clinic, not by the study ("initiation of X, prescribed by the treating neurologist")
    r"\bprescribed\s+by\s+(?:the|their|a)\s+(?:treating\s+|attending\s+|own\s+)?(?:physicians?|neurologists?|"
    r"psychiatrists?|clinicians?|doctors?|general\s+practitioners?)\b|"
    r"\baudited\b|\b(?:clinical|retrospective|prospective|first|second)\s+audits?\b|\ban\s+audit\s+of\b|"
    # treatment as usual, watched rather than assigned ("youths naturalistically treated with X")
    r"\bnaturalistic(?:ally)?\s+(?:treated|followed|observed|studied|study|sample|cohort|setting|design)\b|"
    r"\b(?:individual|in-depth|qualitative|face-to-face)\s+(?:telephone\s+)?interviews\b|"
    r"\binterviews\s+(?:were\s+)?(?:conducted|carried\s+out|held)\s+with\b|"
    r"\bthematic(?:al)?\s+(?:content\s+)?analys[ie]s\b|\bpurposive(?:ly)?\s+(?:sampl\w+|selected)\b")


# A comparison whose far side is a kind of participant ("compared with patients with urge
# incontinence alone"): the same treatment in two populations, not a second treatment.
_PEOPLE_SIDE = re.compile(r"\s+(?:with|to)\s+(?:those|patients|subjects|participants|women|men|children|"
                          r"individuals|people|volunteers)\s+(?:with|without|who\s+(?:had|have)\s+(?!been\b))")


# ... or a time of the same people's measurement ("P < 0.05 vs the result during propofol").
_TIME_SIDE = re.compile(r"\s+(?:the\s+)?(?:(?:results?|values?|levels?|scores?|measurements?|recordings?)\s+)?"
                        r"(?:during|after|before|at|following|pre-?|post-?)\b|\s+(?:the\s+)?baseline\b")


def _treatment_compared(passages: list[Passage], names: Iterable[str]) -> list[Hit]:
    """Comparisons whose far side (the rest of the sentence) names a treatment or a study drug."""
    side = re.compile(r"\b(?:" + "|".join([_TREATMENT_SIDE, *(re.escape(n.lower()) for n in names)]) + r")\b")
    found = []
    for hit in find(passages, _COMPARISON, negatable=False):
        text = hit.passage.lowered or hit.passage.text.lower()
        if _PEOPLE_SIDE.match(text, hit.end) or _TIME_SIDE.match(text, hit.end):
            continue
        if side.search(text, hit.end, min(hit.sentence.end, hit.end + 120)):
            found.append(hit)
    return found


def _arms_compared(passages: list[Passage], names: list[str]) -> bool:
    # (the randomised trials a conclusion calls for, or the placebo-controlled trials of others its
    # background cites, are no arm of this study)
    stated = [h for h in find(passages, _ARM_STATED, negatable=False)
              if not design.trials_called_for(h) and not before_own_study(h)]
    return bool(stated or _treatment_compared(passages, names))


def uncontrolled(passages: list[Passage], drug_names: Iterable[str]) -> list[Hit]:
    """Evidence that everyone got the study drugs (or, with none, one training or programme) with no
    other treatment to compare them with, or []."""
    names = list(drug_names)
    if _arms_compared(passages, names):
        return []
    if not names:
        # (a programme judged by audits of consecutive patients compares periods, not the same people)
        return [] if find(passages, _ASSIGNS_NOTHING, negatable=False) else find(passages, _BEFORE_AND_AFTER,
                                                                                 negatable=False)
    if len(names) > 1 and not find(passages, _COMBINED, negatable=False):
        return []  # two drugs and no word of giving them together: most likely compared
    return find(passages, _GIVEN, negatable=False)


# ("(in|of) each group" alone is how allocation reads arms it was not told of; with one drug and
# nothing compared, the groups are kinds of participants: "drug-naive and previously treated".)
def open_allocation(allocation: Suggestion) -> bool:
    """Whether `allocation` leaves a single group possible: not stated, or parallel only because
    results were given "in each group"."""
    if allocation.value == NOT_STATED:
        return True
    return allocation.value == "parallel" and bool(allocation.evidence) and all(
        design.EACH_GROUP.match(e.text) for e in allocation.evidence)


def unassigned(passages: list[Passage], drug_names: Iterable[str], count: Suggestion) -> Suggestion:
    """"no" for a study where no comparison arm was found (a controlled trial may recruit consecutive
    patients, so its caller asks only then) that follows, audits or interviews people, or that counts
    its participants (`count`, the n_total read) and gives them no drug and no arm; else not-stated."""
    design = find(passages, _ASSIGNS_NOTHING, negatable=False)
    if design:
        return suggestion("no", design, ["inferred: the design described assigns nothing"])
    names = list(drug_names)
    if not names and count.stated and not _arms_compared(passages, names):
        return Suggestion("no", count.evidence, ["inferred: people counted, no drug or arm assigned"])
    kinds = find(passages, _KINDS_COMPARED, negatable=False)
    if kinds and not find(passages, _ASSIGNED, negatable=False):
        return suggestion("no", kinds, ["inferred: groups by who they are, beside healthy or untreated controls"])
    return Suggestion(NOT_STATED)


# Groups that differ in who they are, not in what they were given: patients beside healthy
# controls ("compared with healthy controls", "marijuana users and non-using controls").
_KINDS_COMPARED = rx(r"\b(?:healthy|normal|non-?using|drug-?free|[\w-]*-na[iï]ve|unaffected)\s+(?:control|comparison)"
                     r"(?:s\b|\s+(?:subjects|participants|volunteers|individuals|group|persons)\b)|\bnon-?users\b")
_ASSIGNED = rx(r"\brandom|\bassign|\ballocat")
