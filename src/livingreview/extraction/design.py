"""Design rules: randomised, allocation, blinding, and the cues of an uncontrolled or observational study.
"""

from __future__ import annotations

import re

from livingreview.extraction.model import NOT_STATED, Suggestion
from livingreview.extraction.counts import arm_sizes
from livingreview.extraction.passages import find, Hit, in_conclusions, Passage, rx, suggestion


_RANDOMISED = rx(
    # (not "randomization statistics" or "randomization tests", which analyse rather than allocate)
    r"\brandomi[sz](?:ed|ation|ing)\b(?!\s+(?:statistics|tests?)\b)|\brandomly\s+(?:re-?)?(?:assigned|allocated|divided|distributed|"
    r"chosen\s+to\s+receive|received|given|administered|treated)|"
    r"\b(?:assigned|allocated|distributed|divided)\s+(?:\w+\s+)?randomly\b|\brandom(?:ised|ized)?[\s-]+(?:allocation|assignment|order|sequence)\b|"
    r"\bat\s+random\b|\bRCT\b")
# (a quasi-experimental or quasi-randomised design is by definition not randomly allocated)
_NOT_RANDOMISED = rx(r"\bnon-?\s?randomi[sz]ed\b|\bnot\s+randomi[sz]ed\b|\bwithout\s+randomi[sz]ation\b|"
                      r"\bnonrandomi[sz]ed\b|\bquasi-?\s?(?:experimental|randomi[sz]ed)\b|"
                      # groups the patients chose ("the remaining 18 preferred to continue with oral therapy")
                      r"\b(?:according\s+to|by)\s+(?:their|the\s+patients'?|patients'?)\s+(?:own\s+)?(?:preferences?|"
                      r"choices?)\b|\bpreferred\s+to\s+(?:continue|remain|stay)\s+(?:with|on)\b")
# A session of each condition, in either order: "a ketamine day and a placebo day".
_DRUG_SESSION = r"(?:[\w-]+\s+)?(?:drug|active|treatment|[\w-]+ine)\s+(?:session|day|visit)"
_PLACEBO_SESSION = r"placebo\s+(?:session|day|visit)"
_REPEATED_MEASURES = r"\brepeated[- ]measures\s+(?:designs?|stud(?:y|ies)|experiments?)\b"
# (nothing later in the sentence sets groups apart)
_NO_GROUPS = r"(?![^.;]*\b(?:groups?|between[- ]subjects?|parallel)\b)"
_UNIT = r"(?:mg|µg|mcg|g|iu|ml)(?:\s*/\s*kg)?"
_CROSSOVER = rx(
    r"\bcross-?\s?over\b|\bcounter-?\s?balanced\b|\blatin[- ]square\b|"
    # a within-subject design or study; "correlated within subjects" and "within-subject variability"
    # are statistics any design reports
    # ("within-subject with 4 treatment conditions", "a within-groups design")
    r"\bwithin[- ]?(?:subjects?|patients?|participants?)[,\s]+(?:[\w-]+,?\s+){0,3}?(?:design|study|trial|"
    r"comparisons?|crossover|cross-over|experiment|paradigm|repeated[- ]measures|conditions)\b|\bwithin[- ]groups?\s+design\b|"
    r"\b(?:two|three|four|2|3|4)-(?:period|way|treatment|sequence)\b(?!\s+(?:anova|analys[ie]s|analysis|interactions?|"
    r"sensitivity|"
    r"repeated|tables?|mixed))|\bcrossed\s+over\b|\bin\s+(?:a\s+)?(?:random(?:i[sz]ed)?|counter-?balanced|balanced)\s+order\b|"
    r"\bwash-?\s?out\b[^.]{0,40}\bbetween\s+(?:the\s+)?(?:two\s+|three\s+)?(?:treatments|periods|phases|sessions|"
    r"study\s+days|regimens|doses)\b|"
    r"\b(?:each|every|all)\s+(?:subjects?|participants?|patients?|volunteers?)\s+(?:received|was\s+given|were\s+given|"
    r"underwent|took|completed|attended)\s+(?:both|all|each|two|three|four|placebo\s+and)\b|"
    # each participant their own control ("subjects served as their own controls")
    r"\bserv(?:ed|ing|e)\s+as\s+(?:their|his|her)\s+own\s+controls?\b|"
    # tested after each treatment in turn: "following hormonal and placebo treatment, participants made
    # judgements"; doses in a sequence with placebo doses between them
    r"\b(?:following|after)\s+(?:both\s+)?(?:[\w-]+\s+){1,2}and\s+placebo\s+(?:treatments?|administrations?|"
    r"infusions?|intake|conditions?)\b|\bintervening\s+placebo\b|\binterspersed\s+with\s+placebo\b|"
    # every participant under each condition: "each tested under both drug and placebo conditions",
    # "completed a drug session and a placebo session"
    r"\b(?:under|in)\s+both\s+(?:the\s+)?(?:[\w-]+\s+){1,2}and\s+(?:the\s+)?placebo\s+(?:conditions?|sessions?)\b|"
    r"\ban?\s+(?:" + _DRUG_SESSION + r"\s+and\s+an?\s+" + _PLACEBO_SESSION + "|" + _PLACEBO_SESSION +
    r"\s+and\s+an?\s+" + _DRUG_SESSION + r")\b|"
    # "MDMA and placebo study days were a week apart", "a double-blind, balanced-order study"
    r"\b[\w-]+\s+and\s+placebo\s+(?:study\s+|test\s+|experimental\s+)?(?:days|sessions|challenges)\b|\bbalanced[- ]order\b|"
    # the drug in one session, placebo in another: "during one session and a placebo during another session"
    r"\b(?:during|on|in)\s+one\s+(?:session|day|occasion|visit)\b[^.;]{0,100}\b(?:during|on|in)\s+(?:another|the\s+other|"
    r"a\s+second|a\s+different)\s+(?:session|day|occasion|visit)\b|"
    # the same people scanned or tested with and without the drug ("with and without intravenous citalopram
    # (7.5 mg) pretreatment")
    r"\bwith\s+and\s+without\s+(?:[\w-]+\s+){1,2}(?:\([^()]{0,20}\)\s+)?(?:pre-?treatment|administration|infusion|challenge)\b|"
    # drugs compared in the same people: "DXM compared to psilocybin in the same participants"
    r"\b(?:compar\w+|versus|vs\.?|placebo)\b[^.;]{0,200}\b(?:in|within)\s+the\s+same\s+(?:participants|subjects|"
    r"volunteers|individuals|patients)\b|"
    # "a 4-session, within-between-subjects study"; "two doses and placebo across separate sessions"
    r"\b(?:two|three|four|five|2|3|4|5)-session,?\s+(?:[\w-]+,?\s+){0,3}?(?:study|design|experiment|trial)\b|"
    r"\bwithin[- ]between[- ]subjects?\b|\b(?:across|in)\s+separate\s+(?:sessions|occasions|study\s+days|test\s+days)\b|"
    # conditions set apart in time: "the two treatment conditions will be separated by a washout",
    # "imaged three times (at least a week apart)"
    r"\b(?:conditions|sessions|treatments|treatment\s+periods|study\s+days|test\s+days|administrations)\s+"
    r"(?:will\s+be\s+|were\s+|was\s+|are\s+)?separated\s+by\b|"
    r"\b(?:(?:two|three|four|five|[2-5])\s+(?:times|occasions)|twice)\s*\(?(?:at\s+least\s+|about\s+|approximately\s+)?"
    r"(?:a|one|two|three|four|\d+)\s+(?:days?|weeks?)\s+apart\b|"
    # sessions set apart by a stated interval ("two experimental sessions, with one week in between")
    r"\b(?:sessions|occasions|visits|test\s+days|study\s+days),?\s+(?:with\s+)?(?:at\s+least\s+)?"
    r"(?:a|one|two|three|four|\d+)[\s-]+(?:days?|weeks?)\s+(?:in\s+between|apart)\b|"
    # the same people under each condition in a list joined by "and" (a parallel trial says "or"):
    # "boys received placebo, 0.15 mg/kg, and 0.50 mg/kg", "after the administration of the drug and
    # placebo", "consecutive 2-week trials of placebo and four doses", a placebo ABAB design
    r"\b(?<!groups\sthat\s)(?<!groups\swho\s)(?<!arms\sthat\s)(?:received|receiving|after|following)\s+placebo,?\s+"
    r"(?:[\d.]+\s*" + _UNIT + r",\s+)*(?:and\s+)?[\d.]+\s*" + _UNIT + r",?\s+and\s+[\d.]+\s*" + _UNIT + _NO_GROUPS + "|"
    r"\b(?:after|following)\s+(?:the\s+)?(?:administration|intake|ingestion|infusion)s?\s+of\s+(?:both\s+)?"
    r"(?:[\w-]+\s+(?:and\s+(?:a\s+)?placebo)|placebo\s+and\s+(?:a\s+|the\s+)?[\w-]+)\b" + _NO_GROUPS + "|"
    r"\bconsecutive\s+(?:[\w-]+\s+){0,2}?(?:trials|periods|phases|blocks)\s+of\s+(?:placebo\s+and|[\w-]+\s+and\s+placebo)\b|"
    r"\bplacebo\b[^.;]{0,80}\ba-?b-?a-?b\b|\ba-?b-?a-?b\b[^.;]{0,80}\bplacebo\b|"
    # a placebo and rising doses given in turn ("a placebo and three increasing doses of the drug")
    r"\bplacebo\s+and\s+(?:two|three|four|five|[2-5])\s+(?:increasing|ascending|escalating)\s+doses\b" + _NO_GROUPS + "|"
    # a repeated-measures design against placebo, with no groups set apart
    r"\bplacebo\b" + _NO_GROUPS + r"[^.;]{0,120}" + _REPEATED_MEASURES + "|" + _REPEATED_MEASURES + _NO_GROUPS +
    r"[^.;]{0,120}\bplacebo\b")
# A design told of another trial ("a previous crossover trial found ...") is not this study's.
# ("prior to the scan", "previous experience with the drug" say nothing of another trial.)
_OTHER_TRIAL = rx(r"\b(?:previous|previously|earlier|prior|preceding)\b(?!\s+(?:to|experiences?|use|exposure|drug\s+use)\b)|"
                  r"\bpilot\s+open-label\b|\bpost[- ]hoc\s+analysis\s+of\b|"
                  r"\b(?:trials?|stud(?:y|ies))\s+(?:\w+\s+)?(?:found|suggested|showed|shown|demonstrated|reported|"
                  r"indicated)\b")
# Repeated occasions suggest one group given each condition in turn, but measurements repeat in
# parallel trials too ("assessed on five occasions"): these yield to a statement of separate groups.
# ("during three days" is a duration, not three sessions.)
_OCCASIONS = rx(
    r"\b(?:on|during|in)\s+separate\s+(?:(?:\d+|one|two|three|four)[- ]?(?:h|hr|hours?|min|minutes?)\s+)?(?:experimental\s+|test\s+|testing\s+|"
    r"study\s+)?(?:occasions|days|visits|sessions)\b|"
    # ("during each of four sessions")
    r"\b(?:during|in|on)\s+each\s+of\s+(?:the\s+)?(?:two|three|four|five|2|3|4|5)\s+(?:[\w-]+\s+)?(?:sessions|occasions|"
    r"visits|test\s+days|study\s+days)\b|"
    # ("saline or ketamine ... measured in each session"; not the sessions of a therapy)
    r"(?<!therapy\s)\b(?:in|during)\s+(?:each|both)\s+(?:drug\s+|test\s+|study\s+|experimental\s+)?sessions?\b"
    r"(?![^.;]{0,60}\b(?:therapy|psychotherapy|intervention|weekly)\b)|"
    r"\b(?:on|in|across|over|completed|attended|underwent)\s+(?:two|three|four|five|2|3|4|5)\s+(?:separate\s+|different\s+|"
    r"consecutive\s+|test\s+|experimental\s+|study\s+)?(?:occasions|sessions|days|visits|periods|test\s+days)\b"
    # (occasions within one treatment period are assessments, not periods of a crossover)
    r"(?!\s+during\s+(?:the\s+)?(?:treatment|study|follow-up)\b)|"
    r"\bduring\s+(?:two|three|four|five|2|3|4|5)\s+(?:separate\s+|different\s+|test\s+|experimental\s+|study\s+|"
    # ("during two five- to seven-day periods")
    r"(?:[\w-]+\s+){1,3}?(?=[\w-]*day\s+periods))?(?:[\w-]*day\s+)?"
    r"(?:occasions|sessions|visits|periods|test\s+days)\b")
# A result that moved "over three occasions" counts times it was measured, not treatment periods.
_CHANGED_BEFORE = rx(r"\b(?:declined|decreased|increased|rose|fell|dropped|improved|changed|remained|stayed|varied)\s+$")
# The same patients treated first with what they usually take, then with the study drug (or in the
# other order): a fixed-order crossover, not a single group. A placebo run-in or washout after usual
# therapy, or randomisation "then", is no second treatment period.
_USUAL_THERAPY = (r"(?:customary|usual|current|regular|existing|conventional|standard)\s+(?:[\w-]+\s+)?"
                  r"(?:therapy|therapies|treatments?|medications?|care|regimens?)\b")
TREATMENTS_IN_SEQUENCE = rx(
    _USUAL_THERAPY + r"[^.;]{0,80}?\b(?:followed\s+by|then|subsequently|before\s+switching\s+to|switched\s+to)\b"
    r"(?!\s+(?:were\s+)?(?:randomi|assigned|allocated|enrolled|entered|(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,3}"
    r"(?:run-?in|wash-?out)))|"
    r"\b(?:following|after)\s+(?:(?:a|an|the)\s+(?:[\w-]+\s+){1,4}(?:period|phase)\s+(?:of\s+)?(?:using\s+|with\s+|"
    r"on\s+)?)?(?:their\s+|the\s+patients'?\s+)?(?:customary|usual)\s+(?:[\w-]+\s+)?(?:therapy|treatments?|"
    r"medications?|care)\b")
# A food-effect study doses the same people fasting and fed: a crossover unless it says otherwise.
FOOD_EFFECT_WORDS = (r"\b(?:effects?|influence|impact)\s+of\s+(?:a\s+)?(?:food|meals?|breakfast)\b|\bfood[- ]effect\b|"
                     r"\bfed\s+(?:and|or|versus|vs\.?)\s+fast(?:ed|ing)\b|\bfast(?:ed|ing)\s+(?:and|or|versus|vs\.?)\s+fed\b|"
                     r"\b(?:with|alone)\s+(?:and|or)\s+with(?:out)?\s+food\b|"
                     r"\b(?:empty\s+stomach|fasting|fasted)\s+(?:state\s+)?(?:or|and|versus|vs\.?)\s+(?:after|with)\s+"
                     r"(?:a\s+)?(?:[\w-]+\s+){0,3}(?:breakfast|meal|food)\b")
_FOOD_EFFECT = rx(FOOD_EFFECT_WORDS)
# A group of its own left without the drug: "compared with a control unmedicated group".
UNTREATED_GROUP = r"\b(?:control\s+)?(?:unmedicated|untreated|drug-free|medication-free)\s+(?:control\s+)?(?:group|arm)\b"
_PARALLEL = rx(UNTREATED_GROUP + r"|"
                r"\bparallel[- ]?(?:group|arm|design|assignment)s?\b|\bparallel\s+(?:study|trial|design)\b|"
                # ("a double-blind, placebo-controlled, between-participant design")
                r"(?<!within-)\bbetween[- ](?:subjects?|participants?)(?:\s+(?:design|study|trial|comparison)\b|\s*,)|"
                r"\b(?:received|receive|given|assigned\s+to|allocated\s+to|randomi[sz]ed\s+to)\s+(?:receive\s+)?either\b|"
                # ("assigned to receive the full dose (125 mg) or assigned to receive a low dose")
                r"\bor\s+(?:were\s+|was\s+)?(?:randomly\s+)?(?:assigned|allocated|randomi[sz]ed)\s+to\b|"
                r"\b(?:two|three|four|2|3|4)[- ](?:arm|group)\s+(?:parallel|randomi[sz]ed|study|trial|design)\b|"
                r"\b(?:divided|allocated|assigned|randomi[sz]ed|distributed|split)\s+(?:\w+\s+)?(?:in)?to\s+"
                r"(?:one\s+of\s+)?(?:two|three|four|five|six|[2-6])\s+(?!sequence)(?:\w+\s+)?"
                r"(?:groups|arms|regimens|cohorts)\b"
                # (groups formed by a characteristic are no assigned arms)
                r"(?!\s*(?:according|on\s+the\s+basis|based|depending))|"
                r"\b(?:in|of)\s+each\s+(?:treatment\s+|study\s+)?(?:group|arm)\b")
# An extension study: its participants come from an earlier trial and all continue on the drug.
_EXTENSION = (r"\bopen[- ]label\s+(?:extension|follow-up)\b|\b(?:chose|elected|opted|agreed)\s+to\s+continue\b|"
              r"\bextension\s+(?:study|phase|trial)\b|"
              r"\b(?:previously|had)\s+(?:participated|taken\s+part|been\s+enrolled)\s+in\b")
# ("analysed as a single group" pools arms, it does not describe the design.)
_SINGLE_DESIGN = _EXTENSION + "|" + (
                  r"\bsingle[- ](?:arm|group|cohort)\b(?<!\bas\ssingle\sgroup)(?<!\bas\sa\ssingle\sgroup)|"
                  r"\bone[- ]arm\b|\buncontrolled\b|\bnon-?\s?controlled\b|"
                  r"\bno\s+control\s+group\b|"
                  r"\bsequential(?:ly)?\b(?=[^.]{0,80}\b(?:alone|combination|co-?administ|together|followed))|"
                  r"\b(?:drug|pharmacokinetic)[- ](?:drug\s+)?interactions?\s+(?:study|trial)\b|"
                  # a drug-interaction design: everyone takes one drug, then both together
                  r"\b(?:during|after|with|on)\s+(?:the\s+)?(?:co-?administration|concomitant\s+administration)\b")
# Everyone given the same drug: a single group unless the abstract also assigns arms (then it is
# background therapy given to every arm, "all patients received calcium").
_EVERYONE_GIVEN = (r"\ball\s+(?:\w+\s+){0,2}(?:patients|subjects|participants|volunteers|women|men)\s+"
                   r"(?:received|were\s+(?:treated|given))\b")
SINGLE_GROUP = rx(_SINGLE_DESIGN + "|" + _EVERYONE_GIVEN)
# The same people measured before and after the drug, or results set against their own baseline
# ("in healthy volunteers before and after intravenous application of ketamine", "improved ... vs.
# baseline"): one group, unless arms are assigned too. Randomised arms are measured against their
# baselines as well, and the same people can be measured before and after each of two drugs, so
# this says nothing of randomisation.
OWN_BASELINE = rx(r"\bbefore\s+and\s+(?:[\w-]+\s+){0,2}?(?:after|during)\s+(?:[\w-]+\s+){0,4}?(?:application|administration|"
                   r"infusion|injection|intake|ingestion|dosing|start|initiation|introduction)\s+of\b|"
                   r"\b(?:vs\.?|versus|compared\s+(?:with|to))\s+baseline\b")
_SINGLE_STATED = rx(_SINGLE_DESIGN)
_EXTENSION_STUDY = rx(_EXTENSION)
# The authors telling of what they saw: a case or a cohort's, or (said of an open-label study) a trial's.
AUTHORS_TELL = r"we\s+(?:would\s+like\s+to\s+)?(?:present|report|describe)"
# Designs that assign nothing at random: a study so described is not randomised.
# (A "Health Survey" is a questionnaire's name, such as the SF-36's, not a survey design.)
OBSERVATIONAL = rx(r"\b(?:cohort|cross[- ]?sectional|case[- ]control|(?<!health\s)surveys?|retrospective(?:ly)?|registry|"
                     r"databases?|semi-?structured\s+interviews?|focus\s+groups?|"
                     # (a trial's "qualitative perceptions" or "feedback" is a measure, not its design)
                     r"qualitative\s+(?:study|studies|research|design|approach|methodology|inquiry|enquiry|"
                     r"descriptive|exploratory|interview\s+study)|"
                     r"(?:anonymous|online|web-based|internet)\s+(?:[\w-]+\s+)?(?:questionnaires?|surveys?)|"
                     # (not "observational fear learning", learning by watching others)
                     r"observational(?!\s+(?:period|phase|(?:[\w-]+\s+)?(?:learning|conditioning|tasks?|paradigm)))|"
                     r"case\s+series|case\s+reports?|chart\s+review|prescription-event\s+monitoring|"
                     r"post-?marketing\s+surveillance|population-based|epidemiolog\w+|questionnaire\s+study|"
                     r"validation\s+study|co-design|workshops?|"
                     + AUTHORS_TELL + r"|"
                     r"(?:\ban?|\bone|\btwo|\bthree)\s+\d+-year-old|prospective\s+investigation|"
                     r"longitudinal\s+(?:study|cohort|survey|design|data)|"
                     r"(?:diagnostic|prevalence)\s+study|"
                     r"reviewed\s+the\s+(?:\w+\s+)?(?:records|charts|case\s+notes))\b")

# A capitalised name ending in "Survey" is a questionnaire ("the Parental Satisfaction Survey (PASS)").
_NAME_BEFORE = re.compile(r"[A-Z][\w'-]*\s+$")


def observational(passages: list[Passage]) -> list[Hit]:
    """The words that call the abstract's design observational."""
    return [h for h in find(passages, OBSERVATIONAL)
            if not (h.evidence.text.startswith("Survey") and _NAME_BEFORE.search(h.passage.text, max(0, h.start - 30),
                                                                                 h.start))]


_BLINDING = (
    # (a registry's masking field too: "Masking: Double (Participant, Investigator)", "Masking: None (Open Label)")
    ("triple-blind", rx(r"\btriple[- ]?(?:blind|blinded|masked)\b|\bmasking\s*:\s*triple\b")),
    # ("a double – blind design": a dash with spaces, as some copies write it)
    ("double-blind", rx(r"\bdouble(?:[- ]?|\s*[-\u2013]\s*)(?:blind|blinded|masked|dummy)\b|\bdouble[- ]?(?:blind|mask)ing\b|"
                         r"\bmasking\s*:\s*double\b")),
    ("single-blind", rx(r"\bsingle[- ]?(?:blind|blinded|masked)\b|\b(?:rater|assessor|evaluator|observer|"
                         r"investigator|examiner|outcome[- ]assessor)s?[- ](?:blind|blinded|masked)\b|"
                         r"\bblinded\s+(?:raters?|assessors?|evaluators?|observers?|investigators?)\b|"
                         r"\bpatient[- ]blinded\b|\bmasking\s*:\s*single\b")),
    ("open-label", rx(r"\bopen[- ]label(?:led)?\b|\bmasking\s*:\s*none\b|\bun(?:blinded|masked)\b|\bnon-?\s?blind(?:ed)?\b|\bnot\s+blinded\b|"
                       r"\bopen\s+(?:study|trial|design|fashion|manner|randomi[sz]ed|comparative|"
                       r"multicent(?:er|re)|crossover|cross-over|pilot|prospective|label|parallel|controlled|"
                       # ("an open clinical trial", "an open, non-comparative study")
                       r"uncontrolled|non-?comparative|clinical\s+(?:study|trial))\b|\bopen,\s")),
)
# Saline given as an arm ("ketamine or saline", "a saline infusion") is a placebo; an "active
# placebo" (a drug that mimics side effects) is an active comparator.
# (Each alternative starts with its literal word and looks back from there: lookbehinds tried at
# every position made this scan several times slower.)
PLACEBO = rx(r"\bplacebos?\b(?![- ]like\b)(?<!\bactive\splacebo)(?<!\bactive-placebo)(?<!\bactive\splacebos)(?<!\bactive-placebos)|"
               r"\bsham\b|\bdummy\s+(?:tablets?|capsules?|drug)\b|"
               r"\bsaline\b(?:(?<=\bor\ssaline)|(?<=\beither\ssaline)|(?<=\band\ssaline)|(?<=\bwith\ssaline)|(?<=\bversus\ssaline)|"
               r"(?<=\bvs\ssaline)|(?<=\bvs\.\ssaline)|(?<=\bor\snormal\ssaline)|(?<=\band\snormal\ssaline)|"
               r"(?<=\bwith\snormal\ssaline)|(?<=\bversus\snormal\ssaline)|(?<=\breceived\ssaline)|(?<=\bgiven\ssaline)|"
               r"[- ](?:placebo|control|infusions?|"
               r"injections?|sessions?)\b)|"
               r"\bvehicle(?:-controlled)?\b(?=[^.]{0,60}\b(?:spray|cream|gel|solution|drops?|control)\b)")


# An extension study names the trial its participants completed first ("patients who had completed
# 12 weeks in a randomised, double-blind study"): that design is the parent trial's, not its own.
# ("Sixteen volunteers completed a randomised crossover study" is the study's own: "completed" as the
# main verb reports who finished it, while "who had completed", "after completing" or "patients
# completing" name an earlier trial.)
_PARENT_STUDY_BEFORE = rx(r"(?:\b(?:who|that|had|having|after|upon|on)\s+(?:had\s+|successfully\s+)?(?:completed|finished)|"
                          r"\b(?:completing|finishing))\s+(?:[\w'-]+,?\s+){0,6}$|"
                          r"\b(?:previous|preceding|prior|earlier|parent|original|core|feeder)\s+(?:[\w-]+,?\s+){0,2}$")


def _own_design(hits: list[Hit]) -> list[Hit]:
    """`hits` less those that describe a parent trial an extension study's participants completed."""
    return [h for h in hits
            if not _PARENT_STUDY_BEFORE.search(h.passage.lowered or h.passage.text.lower(),
                                              max(h.sentence.start, h.start - 80), h.start)]


_QUASI_BEFORE = re.compile(r"quasi-?\s?$", re.IGNORECASE)
# The study the authors mean to grow this one into ("plans to expand the project into a randomised
# placebo-controlled study") is not this one's design.
PLANNED_NEXT = r"\b(?:expand|extend|develop|grow)\w*\s+(?:the\s+|this\s+|our\s+)?(?:[\w-]+\s+)?(?:project|study|trial|pilot|work)\s+into\b"
# Trials a conclusion calls for ("larger randomised trials are needed", "should be confirmed in a
# randomised study") are not the study's own design.
_TRIALS_CALLED_FOR = rx(r"\b(?:are|is|will\s+be|would\s+be|remain)\s+(?:still\s+|now\s+|urgently\s+|clearly\s+)?"
                        r"(?:needed|required|warranted|necessary|awaited|indicated)\b|\bshould\s+be\s+(?:confirmed|"
                        r"tested|evaluated|investigated|studied|performed|conducted)\b|(?:\b(?:further|future|larger|"
                        r"additional|more)\s+(?:[\w-]+,?\s+){0,3}|\bneed\s+for\s+(?:[\w-]+,?\s+){0,3})"
                        # ("each group was further randomised to exercise" is the study's own)
                        r"randomi[sz]ed\s+(?:[\w-]+\s+){0,2}(?:trials|studies|research|designs)\b|"
                        # ("these findings warrant a randomised trial", "support the initiation of randomised studies")
                        r"\b(?:warrants?|justify|justifies|supports?|recommends?|calls?\s+for|initiation\s+of)\s+"
                        r"(?:[\w-]+,?\s+){0,5}?randomi[sz]ed,?\s+(?:[\w-]+,?\s+){0,3}(?:trials?|stud(?:y|ies)|research|"
                        r"designs?)\b|"
                        # ("until a prospective, randomized study is performed"; "hypotheses for a larger randomized
                        # controlled clinical trial")
                        r"\b(?:until|before)\s+(?:a|an)\s+(?:[\w-]+,?\s+){0,3}?randomi[sz]ed\b|"
                        r"\ba\s+(?:larger|future|subsequent|definitive|full-?scale)\s+(?:[\w-]+,?\s+){0,3}?randomi[sz]ed,?\s+"
                        r"(?:[\w-]+,?\s+){0,3}(?:trial|study)\b|"
                        # ("information useful for the design of double-blind, placebo-controlled studies")
                        r"\b(?:design|planning)\s+of\s+(?!this\b|the\s+present\b|our\b)(?:[\w-]+,?\s+){0,5}?"
                        r"(?:trials|studies)\b|" + PLANNED_NEXT)


def trials_called_for(hit: Hit) -> bool:
    """Whether `hit` sits in a sentence calling for (further) randomised trials."""
    return bool(_TRIALS_CALLED_FOR.search(hit.sentence.text))


def randomised(passages: list[Passage]) -> Suggestion:
    positive = [h for h in _own_design(find(passages, _RANDOMISED))
                if not _QUASI_BEFORE.search(h.passage.text, max(0, h.start - 6), h.start) and not trials_called_for(h)]
    negative = find(passages, _NOT_RANDOMISED, negatable=False)
    # "120 randomised plus 63 in nonrandomised control groups": the randomised part makes it one.
    if negative and not [h for h in positive if h.evidence.text.lower() not in ("rct", "rcts")]:
        return suggestion("no", negative)
    if positive:
        return suggestion("yes", positive)
    design = observational(passages) or find(passages, SINGLE_GROUP)
    if design and (not _controlled(passages) or find(passages, _PARTICIPANTS_CONTINUED)):
        return suggestion("no", design, ["inferred: the design described assigns nothing at random"])
    return Suggestion(NOT_STATED)


def _controlled(passages: list[Passage]) -> bool:
    """A placebo or a double blind of the study's own: a controlled design is there too, often the
    random one left unsaid (a double-blind, placebo-controlled trial and its open-label continuation)."""
    return bool(_own_design(find(passages, PLACEBO) + find(passages, _DOUBLE_BLIND)))


_DOUBLE_BLIND = dict(_BLINDING)["double-blind"]
# Participants who completed a trial and went on: an extension, whose placebo is the parent trial's.
_PARTICIPANTS_CONTINUED = rx(r"\b(?:completed|finished)\b[^.]{0,120}\b(?:continue[sd]?|entered|enrolled|rolled\s+over)\b")


# What narrative reviews, drug profiles, essays and debates say: other people's studies, in the
# present perfect, or the article's own purpose.
_OTHERS_STUDIES = rx(
    r"\b(?:studies|trials|reports|evidence|data|research|investigations)\s+(?:have|has)\s+(?:\w+\s+)?"
    r"(?:shown|demonstrated|suggested|reported|indicated|found|called|established|linked|confirmed)\b|"
    r"\b(?:as\s+)?ha(?:s|ve)\s+been\s+(?:\w+\s+)?(?:shown|demonstrated|reported|studied|described|established|"
    r"investigated|evaluated|assessed|compared|tested)\b|"
    # a drug profile's account of its trials: "studies show that", "in another large trial", and
    # trials described before their verb ("Double-blind trials in osteoarthritis patients have
    # shown", "three trials versus naproxen in a total of 3 258 patients show that")
    r"\b(?:studies|trials)\s+(?:show|demonstrate|suggest|indicate|confirm)\b|"
    r"\b(?:studies|trials)\s+(?:in|of|on|versus|against|relating\s+to|with)\s+[^.;:]{1,100}?\s(?:"
    r"(?:have|has)\s+(?:\w+\s+)?(?:shown|demonstrated|suggested|reported|found|focused|established|confirmed)|"
    r"(?:show|demonstrate|suggest|indicate|confirm)\s+that)\b|"
    r"\bin\s+(?:another|comparative)\s+(?:\w+\s+)?trials?\b|"
    r"\bover\s+the\s+(?:past|last)\s+(?:few\s+|two\s+|"
    r"several\s+)?(?:years|decades)\b|\brecent\s+(?:advances|advancements|developments)\b|"
    r"\bthis\s+(?:article|paper|chapter|overview|editorial|commentary|essay)\b|"
    r"\bwe\s+(?:review|discuss|summari[sz]e|highlight|outline|argue)\b|\b(?:is|are)\s+(?:reviewed|discussed)\b|"
    r"\barguments?\s+(?:for|against)\b|\bcurrent\s+(?:evidence|literature|knowledge)\b|"
    # models and updates, not people studied
    r"\bcost-?\s?(?:effectiveness|utility|benefit)\s+(?:analysis|model)\b|\bdecision[- ]analytic\b|\bmarkov\s+model\b|"
    r"\ban\s+update\b|\bupdate\s+on\b")
# What an abstract of a study of its own says about its participants or its conduct.
OWN_STUDY = rx(
    # ("In the current double-blind, between-subjects, placebo-controlled design study", "This
    # pharmacological functional magnetic-resonance imaging study shows")
    r"\b(?:the|this)\s+(?:current|present)\s+(?:[\w-]+,?\s+){0,6}?(?:study|trial|experiment|investigation)\b|"
    r"\b(?:this|our)\s+(?:[\w-]+,?\s+){1,6}?(?:study|trial|experiment)\s+(?:shows|showed|demonstrates|demonstrated|"
    r"reveals|revealed|found|finds|tested|tests|examined|examines|investigated|investigates|was|is)\b|"
    # a clinical report's own findings ("the authors report preliminary findings that")
    r"\b(?:we|the\s+authors)\s+report\s+(?:\w+\s+)?(?:findings|results|data|observations)\b|"
    r"\b(?:we|this|the\s+present|our)\s+(?:randomi[sz]ed|enrolled|recruited|studied|examined|investigated|"
    r"compared|assessed|evaluated|measured|conducted|performed|analy[sz]ed|interviewed|surveyed|"
    r"study|trial|survey|investigation|experiment)\b|\b(?:was|were)\s+(?:randomi[sz]ed|enrolled|recruited|"
    r"randomly|allocated|assigned|conducted|performed|carried\s+out)\b|\b(?:methods?|design|setting|"
    r"participants|subjects|patients)\s*:|\bcase\s+(?:presentation|report)\b|\b(?:n|N)\s*=\s*\d|"
    # one study of its own, however its background cites others ("was studied in a randomised
    # crossover study"), and a case the authors report
    r"\b(?:was|were)\s+(?:studied|evaluated|examined|investigated|assessed|compared|tested)\s+in\s+an?\s|"
    # ("we present" and "we describe" open reviews as often as cases)
    r"\bwe\s+(?:would\s+like\s+to\s+)?report\b|"
    # ("as school-aged boys participated in a dyadic referential communication task")
    r"\b(?:boys|girls|children|adolescents|participants|subjects|patients|volunteers|adults|men|women)\s+"
    r"(?:participated|took\s+part)\s+in\s+(?:a|an|the|this|our|two|three|four)\b|"
    # ("Here we sought to investigate the effects of IV DMT on ... brain activity")
    r"\bwe\s+(?:sought|aimed|set\s+out)\s+to\s+(?:investigate|examine|test|determine|assess|evaluate|measure|compare|"
    r"characteri[sz]e)\b|"
    # a protocol or registry entry tells its study in the future ("the investigators will administer")
    r"\b(?:we|the\s+(?:investigators|researchers|study\s+team)|this\s+(?:study|trial))\s+will\s+(?:\w+\s+)?"
    r"(?:administer|randomi[sz]e|enrol{1,2}|recruit|give|compare|test|examine|evaluate|assess|measure|investigate)\b|"
    r"\b(?:the|this)\s+(?:proposed|planned)\s+(?:study|trial)\s+(?:is\s+designed|will|aims)\b|"
    # a design of its own told in the present ("We employ a randomized, double-blind, within-subject
    # design"), and "Here, we ..." with a verb of doing research rather than of reviewing it
    r"\bwe\s+(?:employ(?:ed)?|use[ds]?|appl(?:y|ied)|conduct(?:ed)?|ran|run|perform(?:ed)?)\s+(?:a|an)\s+"
    r"(?:[\w/-]+,?\s+){0,6}?(?:design|trial|study|experiment|paradigm|task|game)\b|"
    # ("Here, using functional neuroimaging we show", "Here, in a double-blind design, we administered")
    r"\bhere,?\s+(?:[^.;]{0,150}?\s)?we\s+(?:investigate|examine|test|tested|show|showed|demonstrate|report|measure|"
    r"assess|compare|use|used|employ|conducted|performed|administered|administrated|gave)\b")


# People of the abstract's own, whatever its background says of animals or what it discusses: a
# case it opens on ("A 76-year-old man developed"), or healthy volunteers it studied.
_CASE_OPENING = rx(r"^\s*(?:an?|the|our)\s+\d{1,3}-(?:year|month)-old\s+(?:[\w-]+\s+){0,2}?(?:man|woman|boy|girl|"
                   r"patient|male|female|child|infant|baby)\b")
_HEALTHY_STUDIED = rx(r"\b(?:in|of|on)\s+(?:\w+\s+)?(?:healthy|normal)\s+(?:human\s+|male\s+|female\s+|adult\s+)?"
                      r"(?:subjects|volunteers|men|women|participants)\b")
# (what was done to them in this study, not what "studies in healthy subjects" or a drug profile say)
_DONE_HERE = rx(r"\b(?:was|were)\s+(?:used|studied|performed|measured|given|administered|investigated|examined|"
                r"assessed|tested|recruited|enrolled|included|randomi[sz]ed)\b|\bwe\s+(?:\w+\s+)?(?:studied|"
                r"investigated|examined|measured|assessed|tested|recruited|enrolled|gave|administered)\b")


# A case series of its own: "we describe three patients", "we report two cases of" (not cases
# others published, which a review summarises).
_OUR_CASES = rx(r"\bwe\s+(?:describe|report|present)\s+(?:the\s+cases?\s+of\s+)?(?!(?:\w+\s+)?(?:previously|"
                r"published|reported)\b)(?:a|an|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+"
                r"(?:[\w-]+\s+){0,2}?(?:patients?|cases?|children|women|men|persons|subjects|siblings)\b")


def people_of_its_own(passages: list[Passage]) -> bool:
    """Whether the abstract opens on a case of its own, describes its own cases or says what it did
    to healthy volunteers."""
    openings = [p.sentences[0].text for p in passages if p.field == "abstract" and p.sentences]
    return any(_CASE_OPENING.search(text) for text in openings) or bool(find(passages, _OUR_CASES, negatable=False)) \
        or any(_DONE_HERE.search(h.sentence.text) for h in find(passages, _HEALTHY_STUDIED))


def speaks_of_others_only(passages: list[Passage], count: Suggestion) -> bool:
    """An abstract about other people's studies (a review, a drug profile, an essay): it cites them
    or its own purpose, or its title is a bare name, and it never describes a study of its own
    (`count` is the n_total read from the passages)."""
    if find(passages, OWN_STUDY, negatable=False) or count.stated or count.flags or people_of_its_own(passages):
        return False
    title = next((p.text for p in passages if p.field == "title"), "")
    bare_title = 0 < len(title.split()) <= 2
    return bare_title or bool(find(passages, _OTHERS_STUDIES, negatable=False))


# Randomised trials spoken of in general (a review's "RCTs"), not one study's own allocation.
_RCT_ONLY = rx(r"\b(?:two|three|four|several|both|these|the|most|many)\s+(?:\w+\s+)?(?:randomi[sz]ed\s+)?"
                r"(?:controlled\s+)?(?:trials|RCTs|studies)\b")


# ("and" is left out: "the nonrandomized and unblinded nature of this study" is the trial's own.)
# "On the basis of their CRP change, patients were divided into three groups": groups by a
# characteristic, not assigned arms.
_GROUPED_BY_BEFORE = rx(r"\b(?:on\s+the\s+basis\s+of|according\s+to|based\s+on|depending\s+on)\b")
_ARM_BEFORE = re.compile(r"\b(?:or|versus|vs\.?)\s+$", re.IGNORECASE)


# Results given "in each group" name groups without saying they were assigned arms: with everyone
# given the same drug and nothing else compared, they are kinds of participants.
EACH_GROUP = rx(r"^(?:in|of)\s+each\b")


# "with autistic disorder (n = 7), Asperger's disorder (n = 7), or PDD not otherwise specified (n = 2)":
# sizes of kinds of patients, not of arms.
_DIAGNOSIS_BEFORE = rx(r"\b(?:disorders?|syndromes?|diseases?|specified|subtypes?)\s*\(\s*$")


def _diagnostic_subgroups(passages: list[Passage], arms: Suggestion) -> bool:
    return bool(arms.evidence) and all(
        e.start is not None and any(p.field == e.field and _DIAGNOSIS_BEFORE.search(p.text, max(0, e.start - 40), e.start)
                                    for p in passages)
        for e in arms.evidence)


def allocation(passages: list[Passage], randomised_value: str, control_value: str) -> Suggestion:
    crossover = [h for h in find(passages, _CROSSOVER) if not _OTHER_TRIAL.search(h.sentence.text)]
    if crossover:
        return suggestion("crossover", crossover)
    parallel = [h for h in find(passages, _PARALLEL) if not _GROUPED_BY_BEFORE.search(
        h.passage.lowered or h.passage.text.lower(), h.sentence.start, h.start)]
    occasions = [h for h in find(passages, _OCCASIONS) if not _CHANGED_BEFORE.search(
        h.passage.text, max(h.sentence.start, h.start - 30), h.start)] or find(passages, _FOOD_EFFECT)
    if occasions and not parallel:
        return suggestion("crossover", occasions)
    sequence = find(passages, TREATMENTS_IN_SEQUENCE)
    if sequence and not parallel and randomised_value != "yes":
        return suggestion("crossover", sequence)
    single = find(passages, SINGLE_GROUP)
    arms_stated = [h for h in parallel if not EACH_GROUP.match(h.evidence.text)]
    if single and control_value in ("none", NOT_STATED) and (not arms_stated or find(passages, _SINGLE_STATED)):
        return suggestion("single-group", single)
    extension = find(passages, _EXTENSION_STUDY)
    if extension and randomised_value != "yes" and not parallel:
        # The placebo or comparator it names belongs to the parent trial.
        return suggestion("single-group", extension)
    if parallel:
        return suggestion("parallel", parallel)
    arms = arm_sizes(passages)
    if arms is not None and not _diagnostic_subgroups(passages, arms):
        return Suggestion("parallel", arms.evidence, ["inferred: each arm has its own participants"])
    if control_value == "none" and randomised_value != "yes":
        # (randomised to an arm given nothing is no single group)
        return suggestion("single-group", single)
    if find(passages, _RCT_ONLY):
        # Several trials in one abstract (or trials spoken of in general): nothing says how each allocated.
        return Suggestion(NOT_STATED)
    # Arms compared with no within-subject statement: abstracts of parallel trials rarely say
    # "parallel", while a crossover says so ("crossover", "sessions", "each subject received both").
    if randomised_value == "yes":
        return suggestion("parallel", find(passages, _RANDOMISED)[:1],
                          ["inferred: randomised with no crossover statement"])
    groups = find(passages, _GROUPS_COMPARED)
    if control_value == "placebo" and not groups and not find(passages, _ASSIGNED_TO) and find(passages, _VOLUNTEERS):
        # Volunteers given the drug and placebo, with no groups or assignment told: the same people
        # under both ("14 healthy participants were given ketamine ... relative to placebo").
        return suggestion("crossover", find(passages, _CONTROL_WORDS)[:1],
                          ["inferred: volunteers given drug and placebo, no groups described"])
    if control_value in ("placebo", "active"):
        return suggestion("parallel", groups or find(passages, _CONTROL_WORDS),
                          ["inferred: arms compared, no crossover statement"])
    return Suggestion(NOT_STATED)


# (also "after receiving either 10 mg hydrocortisone or 10 mg yohimbine ... or placebo": one of several)
# (and people named by what they received: "participants that received saline showed reduced coupling")
_ASSIGNED_TO = rx(r"\brandomi[sz]\w*|\bassign\w*|\ballocat\w*|\bgroups?\b|\barms?\b|\bbetween[- ](?:subjects?|participants?)\b|"
                  r"\bparallel\b|\beither\b|\b(?:participants|subjects|volunteers|those|patients)\s+(?:who|that)\s+"
                  r"(?:received|were\s+given|got)\b")
_VOLUNTEERS = rx(r"\b(?:healthy|research)\s+(?:[\w-]+\s+){0,2}?(?:volunteers|participants|subjects|adults|men|women|males|"
                 r"females)\b")


_CONTROL_WORDS = rx(r"\bplacebo|\bcompar\w*|\bversus\b|\bvs\b|\bcontrol")
# Groups set side by side: "in groups I and III", "one group received", "the two groups".
_GROUPS_COMPARED = rx(r"\b(?:groups?\s+(?:I{1,3}|IV|[1-4]|A|B)\b|(?:one|each|the\s+other|other)\s+group\b|"
                       r"\b(?:two|three|four|both)\s+(?:treatment\s+)?groups\b|\bbetween\s+(?:the\s+)?groups\b)")


def blinding(passages: list[Passage]) -> Suggestion:
    found = []
    for value, pattern in _BLINDING:
        # ("larger, double-blind trials are needed")
        hits = [h for h in _own_design(find(passages, pattern)) if not trials_called_for(h)]
        if value == "open-label":
            # "...placebo, or open-label estrogen": one arm given openly, not how the trial was run.
            hits = [h for h in hits if not _ARM_BEFORE.search(h.passage.text, max(0, h.start - 12), h.start)]
        if hits:
            found.append((value, hits))
    # (what a structured abstract's conclusions say of blinding yields to its methods: "This study had
    # an open-label design ... CONCLUSIONS: ... useful for double-blind studies")
    for value, hits in [(v, [h for h in hs if not in_conclusions(h)]) for v, hs in found] + found:
        if hits:
            return suggestion(value, hits)
    return Suggestion(NOT_STATED)
