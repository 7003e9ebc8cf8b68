"""Per-outcome suggestions: what was measured, how, where in the brain, when, and what it showed.

An outcome is anchored on a named instrument of the protocol's instrument vocabulary, on a
"primary/secondary outcome was ..." statement, or (when neither is there) on a construct of the
protocol; the sentences that mention the anchor give its timepoint, its rank, the direction of
the effect and the numbers an effect size needs.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from livingreview.extraction.model import NOT_STATED, Suggestion
from livingreview.extraction.design import PLACEBO
from livingreview.extraction import outcome_names, result_phrases
from livingreview.extraction.imaging import brain_measures
from livingreview.extraction.lexicon import drug_mentions
from livingreview.extraction.measures import (brain_imaging, class_named, cue_class, imaging_modalities,
                                              OUTCOME_CLASS_PATTERNS,
                                              PROTOCOL_OUTCOME_CLASS, filled_in_for_a_child, observed_in_a_child, parents_rate,
                                              studies_children)
from livingreview.extraction.passages import (BACKGROUND_LABEL, before_own_study, find, Hit, lowercase_twin, Passage,
                                               study_start, suggestion, vocabulary_hits)
from livingreview.extraction.substances import substances_given
from livingreview.extraction.text import Sentence, singular
from livingreview.protocol.models import Protocol
from livingreview.screening.criteria import Span, is_negated


@dataclass(frozen=True)
class OutcomeVocabularies:
    instrument: str | None
    construct: str | None
    region: str | None


@dataclass
class _Anchor:
    key: str
    instrument: str | None
    hits: list[Hit]
    construct: str | None = None
    outcome_class: str | None = None
    # False for outcomes that have no class (clinical events): their sentences' cue words
    # ("serum", "questionnaire") say how something else was measured.
    class_from_sentences: bool = True


_NAMED_OUTCOME = re.compile(
    r"\b(?P<rank>primary|secondary|main|principal|key\s+secondary)\s+(?:efficacy\s+|study\s+)?"
    r"(?:outcomes?|end-?\s?points?|measures?|variables?|parameters?)(?:\s+measures?)?\s*"
    r"(?:was|were|is|are|included|:|,|was\s+the|were\s+the)\s+(?:the\s+|a\s+|an\s+|change\s+in\s+|"
    r"changes\s+in\s+)*(?P<what>[^.;:()]{3,90}?)(?=\s*(?:[.;:(]|,\s+(?:and|which|as|measured|assessed)|"
    r"\s+(?:at|from|after|over|during|measured|assessed|as\s+measured)\b))", re.IGNORECASE)
_TIMEPOINT = re.compile(
    r"\b(?:(?:at|after|within|over|for|during|by|through)\s+)?(?:(?:\d+(?:\.\d+)?|one|two|three|four|five|six|"
    r"seven|eight|ten|twelve|twenty-four)\s*(?:-|\s)?(?:minutes?|min|hours?|hrs?|h|days?|weeks?|wk|months?)"
    r"(?:\s+(?:post|after)[- ]?(?:infusion|dose|dosing|administration|treatment|injection|drug|randomi[sz]ation))?"
    r"|(?:week|day|month|visit)\s+\d+)\b", re.IGNORECASE)
# A measure found unchanged beside another finding ("in the absence of changes in mood").
_IN_THE_ABSENCE = r"\bin\s+the\s+absence\s+of\s+(?:any\s+)?(?:significant\s+)?(?:changes?|effects?|differences?)\b"
_NO_DIFFERENCE = re.compile(
    r"\bequally\b|\bequivalent\b|\bas\s+effective\s+as\b|\bnon-?inferior\b|\bdid\s+not\s+differ\b|"
    # a verdict of no efficacy ("is not a clinically effective treatment", "was ineffective")
    r"\b(?:is|was|were|are)\s+not\s+(?:an?\s+)?(?:clinically\s+|cost-?\s?)?effective\b|\bineffective\b|"
    # an effect looked for and not found ("no evidence that empathy is impaired", "did not detect any response")
    r"\bno\s+(?:\w+\s+)?evidence\s+(?:that|of|for)\b|\bdid\s+not\s+(?:detect|find|show|reveal|demonstrate|display|"
    r"exhibit|produce|yield)\s+"
    r"(?:any\s+)?(?:significant\s+)?(?:response|effects?|changes?|differences?|improvement|benefit|evidence)\b|"
    r"\bno\s+(?:[\w-]+\s+){1,3}differences?\b|\bno\s+differentiation\b|"
    + _IN_THE_ABSENCE + r"|"
    # the drug not tied to a change, or a change seen whatever was given
    r"\bnot\s+associated\s+with\s+(?:an?\s+|any\s+)?(?:(?:statistically\s+)?significant\s+|meaningful\s+)?"
    r"(?:change|improvement|difference|effect|benefit|reduction|increase|decrease)s?\b|"
    r"\b(?:independent(?:ly)?\s+of|regardless\s+of)\s+(?:the\s+)?(?:treatment|condition|drug|group|arm)s?\b|"
    r"\bnone\s+of\s+the\b[^.;]{0,60}\b(?:significant|differ|affected|changed|altered|influenced)\w*|"
    r"\bno\s+(?:statistically\s+)?(?:significant\s+)?(?:differences?|effects?|changes?|improvement|benefit|"
    r"variations?|alterations?|findings|results|impacts?|influences?)\b|"
    # a difference in the numbers only ("numerically lower under naltrexone than under placebo")
    r"\bnumerically\s+(?:\w+\s+)?(?:lower|higher|greater|smaller|larger|better|worse|fewer|more|less)\b|"
    r"\bnot\s+(?:a\s+)?(?:statistically\s+)?significant(?:ly)?\b|\bdid\s+not\s+(?:[a-z]+ly\s+)?(?:differ|change|"
    r"affect|alter|improve|reduce|increase|decrease|influence|modulate)\b|\bcomparable\b|\bsimilar\b|"
    r"\bno\s+(?:significant\s+)?(?:between-group|group)\s+differences?\b|\bnon-?significant\b|"
    r"\bfailed\s+to\b|\bunchanged\b|\b(?:was|were)\s+not\s+(?:significantly\s+)?(?:superior|better|more\s+effective)\b|"
    # a change not made by the drug, a trend short of significance, a p value above 0.05
    r"\b(?:was|were)\s+not\s+(?:significantly\s+)?(?:increased|decreased|reduced|changed|affected|altered|"
    r"influenced|different|improved)\b|\btrend(?:ed)?\s+(?:toward|towards|to)\b|\bmarginal(?:ly)?\b|"
    r"\btended\s+to\b|\ba\s+(?:statistical\s+|non-?significant\s+)?trend\b|"
    r"\b[Pp]\s*(?:=|>)\s*0?\.(?:0[6-9]|[1-9])\d*|\b[Pp]\s*>\s*0?\.05\b|\bn\.?s\.(?=\W)", re.IGNORECASE)
_BETTER = re.compile(r"\bimprov(?:ed|ement|ements|es)\b|\benhanc(?:ed|ement|es)\b|\bbetter\b|\bsuperior\b|"
                     r"\brelie(?:f|ved)\b|\bbenefi(?:t|cial)\b|\beffective\b|\bfacilitat(?:ed|es)\b|"
                     r"\b(?:faster|earlier|quicker|more\s+rapid)\b",
                     re.IGNORECASE)
_WORSE = re.compile(r"\bimpair(?:ed|ment|s)\b|\bworse(?:ned|ning)?\b|\bdeteriorat(?:ed|ion)\b|\bdisrupt(?:ed|s)\b|"
                    r"\binferior\b|\bblunted\b", re.IGNORECASE)
_UP = re.compile(r"\b(?:increas(?:ed|es|e)|greater|higher|elevated|more|rose|risen|raised)\b", re.IGNORECASE)
_DOWN = re.compile(r"\b(?:reduc(?:ed|es|tion|tions)|decreas(?:ed|es|e)|lower|attenuat(?:ed|es)|less|fewer|"
                   r"diminished|suppress(?:ed|es|ion|ive)|inhibit(?:ed|s|ion)|prevent(?:ed|s)|fell|declined?|"
                   # ("a greater fall in ABC-SW"; not "falls", which are events)
                   r"fall|dropped)\b", re.IGNORECASE)
# An outcome where less is better (symptoms, pain, adverse effects): "reduced" is an improvement.
_BURDEN = re.compile(r"\b(?:symptoms?|severity|pain|depressi\w*|anxiety|episodes?|frequency|incontinence|"
                     r"urgency|itch\w*|congestion|sneez\w*|headache|nausea|distress|loneliness|"
                     r"anhedonia|impairment|withdrawal|craving|disabilit\w*|burden|scores?\s+on\s+the\s+HAM|w(?:h)?eals?|flares?|"
                     r"cough\w*|bleeding|adverse|side[- ]effects?|dissociat\w*|psychotomimetic|hot\s+(?:flush|flash)\w*|"
                     r"bone\s+loss|stiffness|MADRS|HAM-?[DA]|HDRS|PANSS|BPRS|CADSS|BDI|heart\s+rate|blood\s+pressure|"
                     r"QTc|body\s+temperature|Kupperman|cancers?|risk|incidence|fluctuation|histamine\s+release|"
                     r"bronchial\s+response|disturbances?|vomiting|consumption|hyperplasia|ulcers?|ulcerations?|lesions?|"
                     r"exacerbations?|recurrences?|relapses?|toxicity|complications?|"
                     # scales of problem behaviour and illness severity, where a lower score is better
                     r"ABC|Aberrant\s+Behaviou?r|Autism\s+Behaviou?r\s+Checklist|CGI(?:-[SI])?|Clinical\s+Global\s+Impressions?|"
                     r"CARS|C?Y-?BOCS|CMAI|YMRS|SANS|SAPS|CAPS|agitation|aggressi\w*|irritability|hyperactivity|"
                     r"mania|manic|obsessi\w*|compulsi\w*|stereotyp\w*|"
                     # a drug's exposure: more of it is the harm an interaction study looks for
                     r"AUC\w*|C\s?max|exposure)\b", re.IGNORECASE)
# (A p value's sign is followed by a space as often as by its number: it is matched outside the \b group.)
_RESULT = re.compile(r"\b[Pp]\s*[<=>\u2264]|\b(?:significant\w*|fell|rose|declined|differ\w*|effect\w*|result\w*|showed|found|increas\w*|chang\w*|"
                     r"suppress\w*|inhibit\w*|worsen\w*|lower|higher|similar\w*|comparable|equally|equivalent|better|"
                     r"worse|greater|faster|earlier|superior|inferior|unchanged|no\s+significant|"
                     r"decreas\w*|improv\w*|reduc\w*|enhanc\w*|impair\w*|compared|relative|less|fewer|"
                     r"no\s+evidence|did\s+not\s+(?:detect|find|show|reveal|demonstrate)|affected|unaffected|altered)\b",
                     re.IGNORECASE)
_NUMBERS = (
    ("mean_sd", re.compile(r"-?\d+(?:\.\d+)?\s*(?:±|\+/-|\+-)\s*\d+(?:\.\d+)?")),
    ("t", re.compile(r"\bt\s*\(\s*\d+(?:\.\d+)?\s*\)\s*=\s*-?\d+(?:\.\d+)?")),
    ("F", re.compile(r"\bF\s*\(\s*\d+(?:\.\d+)?\s*,\s*\d+(?:\.\d+)?\s*\)\s*=\s*\d+(?:\.\d+)?")),
    ("p", re.compile(r"\b[Pp]\s*(?:<|>|=|≤|≥)\s*0?\.\d+")),
    ("ci", re.compile(r"\b\d{2}\s*%\s*(?:CI|confidence\s+interval)\s*[:,=]?\s*\[?\(?-?\d+(?:\.\d+)?\s*"
                      r"(?:to|-|–|,)\s*-?\d+(?:\.\d+)?", re.IGNORECASE)),
    ("n", re.compile(r"\b[Nn]\s*=\s*\d+")),
    ("effect_size", re.compile(r"\b(?:Cohen'?s\s+)?(?:d|g|r|η2|eta2|SMD|OR|RR|HR)\s*=\s*-?\d*\.\d+")),
)


# Standard instruments of psychiatry, psychopharmacology and pain research that any review may meet,
# with the outcome class of what they record (the protocol's own instrument vocabulary comes
# first). Full names ignore case; acronyms are matched as written, so that words are not taken
# for them.
_GLOBAL_OF = (r"(?:\s+of\s+(?:the\s+)?(?:disease\s+(?:activity|status)|arthritis|pain|efficacy|"
              r"response\s+to\s+(?:therapy|treatment)))?")
_GENERAL_INSTRUMENTS: tuple[tuple[str, str, str], ...] = (
    ("hamd", "clinician-rated", r"(?i:hamilton\s+(?:rating\s+scale\s+for\s+depression|depression\s+(?:rating\s+)?scale|"
                                r"(?:rating\s+)?scale\s+for\s+depression))|HAM-?D(?:-?\d+)?|HDRS(?:-?\d+)?|HRSD(?:-?\d+)?"),
    ("hama", "clinician-rated", r"(?i:hamilton\s+anxiety\s+(?:rating\s+)?scale)|HAM-?A|HARS"),
    ("madrs", "clinician-rated", r"(?i:montgomery[-\s\u2013]+(?:\u00c5|\u00e5|a)sberg\s+depression\s+rating\s+scale)|MADRS"),
    ("panss", "clinician-rated", r"(?i:positive\s+and\s+negative\s+syndrome\s+scale)|PANSS"),
    ("bprs", "clinician-rated", r"(?i:brief\s+psychiatric\s+rating\s+scale)|BPRS"),
    ("ymrs", "clinician-rated", r"(?i:young\s+mania\s+rating\s+scale)|YMRS"),
    ("cgi", "clinician-rated", r"(?i:clinical\s+global\s+impressions?(?:[-\s]+(?:severity|improvement|scale)s?)*)|CGI(?:-[SI])?"),
    ("caps", "clinician-rated", r"(?i:clinician[-\s]administered\s+PTSD\s+scale)|CAPS(?:-\d)?"),
    ("ybocs", "clinician-rated", r"(?i:yale[-\s]brown\s+obsessive[-\s]compulsive\s+scale)|Y-?BOCS"),
    ("sans", "clinician-rated", r"(?i:scale\s+for\s+the\s+assessment\s+of\s+negative\s+symptoms)|SANS"),
    ("ados", "clinician-rated", r"(?i:autism\s+diagnostic\s+observation\s+schedule)|ADOS(?:-2)?"),
    ("cssrs", "clinician-rated", r"(?i:columbia[-\s]suicide\s+severity\s+rating\s+scale)|C-SSRS"),
    ("ritchie", "clinician-rated", r"(?i:ritchie(?:\s+(?:articular|joint))?\s+index)"),
    ("kupperman", "clinician-rated", r"(?i:kupperman(?:n)?(?:\s+(?:menopausal\s+)?index)?)"),
    # Global assessments, named by who made them ("Physician's Global Assessment of Arthritis").
    ("patient_global", "self-report", r"(?i:(?:patient|subject|participant)(?:'s|s'|s)?(?:[-\s](?:reported|rated))?\s+"
                                      r"global\s+(?:assessment|evaluation|rating)" + _GLOBAL_OF + ")"),
    ("rater_global", "clinician-rated", r"(?i:(?:physician|investigator|clinician)(?:'s|s'|s)?\s+global\s+"
                                        r"(?:assessment|evaluation|rating)" + _GLOBAL_OF + r"|global\s+(?:assessment|evaluation)"
                                        r"\s+(?:of|by)\s+the\s+(?:investigator|physician|researcher|clinician)s?)"),
    ("bdi", "self-report", r"(?i:beck\s+depression\s+inventory(?:[-\s]?II)?)|BDI(?:-?II)?"),
    ("bai", "self-report", r"(?i:beck\s+anxiety\s+inventory)|BAI"),
    ("stai", "self-report", r"(?i:state[-\s]trait\s+anxiety\s+inventory)|STAI(?:-[ST])?"),
    ("phq", "self-report", r"(?i:patient\s+health\s+questionnaire)(?:-?9)?|PHQ-?9"),
    ("gad7", "self-report", r"GAD-?7"),
    ("qids", "self-report", r"(?i:quick\s+inventory\s+of\s+depressive\s+symptomatology)|QIDS(?:-SR(?:16)?)?"),
    ("panas", "self-report", r"(?i:positive\s+and\s+negative\s+affect\s+schedule)|PANAS"),
    ("poms", "self-report", r"(?i:profile\s+of\s+mood\s+states?)|POMS"),
    ("pcl", "self-report", r"(?i:PTSD\s+checklist)|PCL-5"),
    ("meq", "self-report", r"(?i:mystical\s+experience\s+questionnaire)|MEQ(?:-?30)?"),
    ("deq", "self-report", r"(?i:drug\s+effects?\s+questionnaire)|DEQ"),
    ("arci", "self-report", r"(?i:addiction\s+research\s+cent(?:er|re)\s+inventory)|ARCI"),
    ("sf36", "self-report", r"SF-?36|(?i:short[-\s]form\s+(?:health\s+survey\s+)?36)"),
    ("womac", "self-report", r"WOMAC(?:\s+(?:total|pain|stiffness|function))?|(?i:western\s+ontario\s+and\s+mcmaster)"),
    ("psqi", "self-report", r"(?i:pittsburgh\s+sleep\s+quality\s+index)|PSQI"),
    ("pss", "self-report", r"(?i:perceived\s+stress\s+scale)"),
    ("vas", "self-report", r"(?i:visual\s+analog(?:ue)?\s+scales?)|VAS"),
    ("stroop", "behavioural", r"(?i:(?:emotional\s+)?stroop(?:\s+(?:colou?r[-\s]word\s+)?(?:task|test))?)"),
    ("nback", "behavioural", r"(?i:(?:n|\d)-back(?:\s+(?:task|test))?)"),
    ("gonogo", "behavioural", r"(?i:go/no-?go(?:\s+task)?)"),
    ("tmt", "behavioural", r"(?i:trail[-\s]making\s+test)(?:\s+(?:part\s+)?[AB])?|TMT(?:-[AB])?"),
    ("dsst", "behavioural", r"(?i:digit[-\s]symbol\s+(?:substitution\s+|coding\s+)?(?:test|task))|DSST"),
    ("wcst", "behavioural", r"(?i:wisconsin\s+card\s+sorting\s+(?:test|task))|WCST"),
    ("cpt", "behavioural", r"(?i:continuous\s+performance\s+(?:test|task))"),
    ("verbal_learning", "behavioural", r"(?i:(?:rey\s+auditory|hopkins|california)\s+verbal\s+learning\s+test)(?:-R)?|RAVLT|HVLT(?:-R)?|CVLT"),
    ("mccb", "behavioural", r"(?i:MATRICS\s+consensus\s+cognitive\s+battery)|MCCB"),
    ("cantab", "behavioural", r"CANTAB"),
    ("verbal_fluency", "behavioural", r"(?i:verbal\s+fluency(?:\s+(?:task|test))?)"),
    ("working_memory", "behavioural", r"(?i:(?:spatial\s+|verbal\s+)?working\s+memory\s+(?:task|test)s?)"),
)


_CLASS_OF_INSTRUMENT = {key: cls for key, cls, _ in _GENERAL_INSTRUMENTS}
# One pass over the text for all of them (a scan per instrument cost more than the rest of the rules).
_ANY_INSTRUMENT = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?P<{key}>{pattern})" for key, _, pattern in _GENERAL_INSTRUMENTS)
                             + r")(?![\w-])")


_GENERIC_SCALES = frozenset({"vas"})
# Instruments that are one outcome per subject assessed ("patient global assessment of pain" and
# "... of disease activity" are two).
_NAMED_BY_SUBJECT = frozenset({"patient_global", "rater_global"})


# The Clinical Global Impressions' two scales, severity and improvement, are two outcomes.
_SUBSCALES = {"severity": "cgi_s", "improvement": "cgi_i"}
_CGI_SUBSCALE = re.compile(r"(?P<severity>severity|-S$)|(?P<improvement>improvement|-I$)", re.IGNORECASE)


def _subscale_key(key: str, written: str) -> str:
    found = _CGI_SUBSCALE.search(written) if key == "cgi" else None
    return _SUBSCALES[found.lastgroup or ""] if found else key


def _general_instrument_anchors(passages: list[Passage]) -> list[_Anchor]:
    """Anchors on the standard instruments named in the passages, each named as first written."""
    found: dict[str, _Anchor] = {}
    for passage in passages:
        for match in _ANY_INSTRUMENT.finditer(passage.text):
            key = match.lastgroup or ""
            if is_negated(passage.text, match.start(), match.end()):
                continue
            cls = _CLASS_OF_INSTRUMENT[key]
            key = _subscale_key(key, match.group())
            if key in _NAMED_BY_SUBJECT:
                key = f"{key}:{' '.join(match.group().lower().split())}"
            anchor = found.setdefault(key, _Anchor(key, match.group(), [], None, cls))
            anchor.hits.append(Hit(passage, match.start(), match.end(), key))
    if any(key in found for key in _SUBSCALES.values()):
        found.pop("cgi", None)  # "the CGI" beside its severity and improvement scales: one of them
    for anchor in found.values():
        written = [h.evidence.text for h in anchor.hits]
        anchor.instrument = _name(written[0], written)
        if anchor.key in _GENERIC_SCALES:
            # A scale any symptom is rated on is named by its short form, not joined to its long one:
            # "the pain VAS" and "the itch VAS" are different outcomes on the same kind of scale.
            anchor.instrument = min(written, key=len)
    return list(found.values())


def _name(label: str, written: list[str]) -> str:
    """An instrument's name with the abbreviation or other form the text also uses:
    "Montgomery-Asberg Depression Rating Scale (MADRS)"."""
    label = " ".join(label.split())
    other = next((w for w in (" ".join(x.split()) for x in written) if w.lower() != label.lower()), None)
    if other is None:
        return label
    short, full = sorted((label, other), key=len)
    return f"{full} ({short})"


# Any other instrument with a proper name: capitalised words ending in what instruments are called
# ("McCarthy Scales of Children's Abilities", "Menstrual Distress Questionnaire").
_PROPER_INSTRUMENT = re.compile(
    r"(?<![\w-])(?:(?:The|A|An)\s+)?(?P<name>(?:[A-Z][\w'\u2019-]*\s+(?:(?:of|for|the|and|in|on|to)\s+){0,2}){1,7}"
    r"(?P<head>Scales?|Index|Questionnaire|Inventory|Test|Task|Checklist|Battery|Interview|Schedule|Survey|Game)"
    r"(?:\s+(?:of|for)\s+(?:[A-Z][\w'\u2019-]*(?:\s+|(?=[\s,.;:)]|$))){1,4})?)(?<!\s)\b")
# Names that are not outcomes: statistical tests, and the interviews and scales that diagnose or
# describe participants at entry (the SCID, handedness, intelligence).
_STATISTICAL_TEST = re.compile(r"\b(?:Fisher|Student|Wilcoxon|Mann|Whitney|Kruskal|Chi|Exact|Rank|Tukey|Bonferroni|"
                               r"Kolmogorov|Shapiro|Log|Cochran|McNemar|Wald|Hosmer|Durbin|Structured|Diagnostic|"
                               r"Neuropsychiatric|Handedness|Intelligence|DSM|ICD|Adult\s+Reading)\b")
# Capitalised words that open a sentence, not a name.
_NOT_A_NAME_WORD = re.compile(r"(?:(?:The|A|An|In|On|At|After|Before|During|With|Using|Our|This|These|We|Both|All|"
                              r"Mean|Total|Change|Changes|Scores?|Ratings?|Results?|Performance|Participants|"
                              r"Patients|Subjects)\s+(?:(?:of|for|the|and|in|on|to|with)\s+)*)+")
_HEAD_CLASS = {"questionnaire": "self-report", "inventory": "self-report", "checklist": "self-report",
               "survey": "self-report", "test": "behavioural", "task": "behavioural", "battery": "behavioural",
               "game": "behavioural"}


def _proper_instrument_anchors(passages: list[Passage], taken: list[tuple[str, int, int]]) -> list[_Anchor]:
    found: dict[str, _Anchor] = {}
    for passage in passages:
        for match in _PROPER_INSTRUMENT.finditer(passage.text):
            start, end = match.start("name"), match.end("name")
            lead = _NOT_A_NAME_WORD.match(passage.text, start, end)
            start = lead.end() if lead else start  # "Scores on the Menstrual Distress Questionnaire"
            for start, end in _joined_names(passage.text, start, end):
                name = passage.text[start:end]
                if not name[:1].isupper():
                    continue
                if (_STATISTICAL_TEST.search(name) or _overlaps((passage.field, start, end), taken)
                        or is_negated(passage.text, start, end)):
                    continue
                key = " ".join(name.lower().split())
                head = _PROPER_INSTRUMENT.match(name)
                cls = _proper_class(name, head.group("head") if head else match.group("head"))
                anchor = found.setdefault(key, _Anchor(key, name, [], None, cls))
                anchor.hits.append(Hit(passage, start, end, key))
    return list(found.values())


# Two whole names joined: "the Social Phobia Inventory and (the) Liebowitz Social Anxiety Scale".
_NAME_JOIN = re.compile(r"\b(?:Scales?|Index|Questionnaire|Inventory|Test|Task|Checklist|Battery|Interview|"
                        r"Schedule|Survey)(?P<join>\s+and\s+(?:the\s+)?)(?=[A-Z])")


def _joined_names(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the whole names a proper-name match joins with "and", or the match itself."""
    spans, begin = [], start
    for join in _NAME_JOIN.finditer(text, start, end):
        spans.append((begin, join.start("join")))
        begin = join.end("join")
    return [*spans, (begin, end)]


def _proper_class(name: str, head: str) -> str | None:
    if re.search(r"\b(?:Parent|Teacher|Clinician|Observer|Investigator)", name):
        return "clinician-rated"
    # (a scale of what a drug made one feel is the participant's: "Hallucinogen Rating Scale")
    if re.search(r"\b(?:Self|Hallucinogen|Subjective|Drug\s+Effects?)\b", name):
        return "self-report"
    if re.search(r"\bRating\s+Scale", name):
        return "clinician-rated"
    return _HEAD_CLASS.get(head.lower().rstrip("s") if head.lower() != "scales" else "scale")


def _value_of(text: str) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", text)]


def suggest_outcomes(protocol: Protocol, passages: list[Passage], vocabularies: OutcomeVocabularies,
                     network_of: dict[str, str], control: str | None = None) -> list[dict[str, Suggestion]]:
    """`control`: the study's control as read (placebo, active, ...); a placebo named only as a
    double dummy or a run-in is no placebo arm to read the results against."""
    anchors = _anchors(protocol, passages, vocabularies)
    regions = vocabulary_hits(protocol, passages, vocabularies.region)
    constructs = vocabulary_hits(protocol, passages, vocabularies.construct)
    placebo_arm = control == "placebo" if control in ("placebo", "active") else bool(find(passages, PLACEBO))
    drugs = frozenset(m.text.lower() for p in passages for m in drug_mentions(protocol, p.text))
    study = _StudyResults(placebo_arm, _overall_results(passages), _conclusion(passages), drugs,
                          _control_comparisons(passages))
    children = studies_children(passages)
    by_parents = children and parents_rate(passages)
    outcomes = []
    for anchor in anchors:
        others = [h for a in anchors if a is not anchor for h in a.hits]
        outcome = _describe(protocol, anchor, passages, regions, vocabularies, network_of, constructs, others, study)
        cls = outcome["class"]
        if children and cls.value == "self-report" and anchor.instrument and (
                by_parents or filled_in_for_a_child(anchor.instrument)):
            outcome["class"] = Suggestion("clinician-rated", cls.evidence, [*cls.flags, "a children's measure: "
                                          "filled in by a parent or teacher"])
        elif (children and cls.value == "self-report" and anchor.instrument and observed_in_a_child(anchor.instrument)
              and class_named(anchor.instrument) != "self-report"):
            outcome["class"] = Suggestion(None, [], ["a child's behaviour or mental symptom, no report of its own named"])
        outcomes.append(outcome)
    return outcomes


@dataclass(frozen=True)
class _StudyResults:
    """What every outcome of a study reads alike, found once: whether it has a placebo arm, the
    results stated for all measures at once, and its conclusion."""

    placebo_arm: bool
    overall: list[Hit]
    conclusion: list[Hit]
    drugs: frozenset[str] = frozenset()  # the drug names the text uses, in lower case
    # Results set against the control that name no measure ("performed worse than after placebo").
    comparisons: list[Hit] = dataclasses.field(default_factory=list)


def _anchors(protocol: Protocol, passages: list[Passage], vocabularies: OutcomeVocabularies) -> list[_Anchor]:
    anchors: dict[str, _Anchor] = {}
    instruments = vocabulary_hits(protocol, passages, vocabularies.instrument, negated_results=True)
    construct_ids = ({t.id for t in protocol.vocabularies[vocabularies.construct].terms}
                     if vocabularies.construct in protocol.vocabularies else set())
    for term_id, spans in instruments.items():
        term = protocol.vocabularies[vocabularies.instrument or ""].term(term_id)
        construct = next((c for c in term.classes if c in construct_ids), None)
        hits = [Hit(p, s.start, s.end, term_id) for p, s in spans]
        anchors[term_id] = _Anchor(term_id, _name(term.label, [h.evidence.text for h in hits]), hits,
                                   construct, PROTOCOL_OUTCOME_CLASS.get(term.outcome_class or ""))
    taken = [(h.passage.field, h.start, h.end) for a in anchors.values() for h in a.hits]
    for anchor in _general_instrument_anchors(passages):
        hits = [h for h in anchor.hits if not _overlaps((h.passage.field, h.start, h.end), taken)]
        if hits:
            anchors.setdefault(anchor.key, _Anchor(anchor.key, anchor.instrument, hits, None, anchor.outcome_class))
    taken = [(h.passage.field, h.start, h.end) for a in anchors.values() for h in a.hits]
    for anchor in _proper_instrument_anchors(passages, taken):
        anchors.setdefault(anchor.key, anchor)
    for passage in passages:
        for match in _NAMED_OUTCOME.finditer(passage.text):
            what = " ".join(match.group("what").split())
            key = what.lower()
            if any(a.hits[0].passage is passage and a.hits[0].start >= match.start() and
                   a.hits[0].end <= match.end() for a in anchors.values()):
                continue  # a named instrument inside the statement is already an outcome
            anchors.setdefault(key, _Anchor(key, what, [Hit(passage, match.start("what"), match.end("what"), key)]))
    named = [(h.passage.field, h.start, h.end) for a in anchors.values() for h in a.hits]
    sites = _site_anchors(passages)
    for anchor in _listed_anchors(passages, named) + sites:
        anchors.setdefault(anchor.key, anchor)
    named = [(h.passage.field, h.start, h.end) for a in anchors.values() for h in a.hits]
    room = _MAX_CUE_OUTCOMES
    rated = any(a.outcome_class == "clinician-rated" for a in anchors.values())
    for anchor in _cue_anchors(passages, named):
        if rated and anchor.outcome_class == "self-report" and _SYMPTOMS.search(anchor.instrument or ""):
            anchor.outcome_class = "clinician-rated"  # the named rating scale is how they were measured
        words = set(anchor.key.split())
        # The first cue outcome may be one only measured; a further one must have a result.
        wanted = room == _MAX_CUE_OUTCOMES or any(_reports_result(h) for h in anchor.hits)
        if room and wanted and not any(words <= set(a.key.lower().split()) or set(a.key.lower().split()) <= words
                                       for a in anchors.values()):
            anchors[anchor.key] = anchor
            room -= 1
    for anchor in _event_anchors(passages, [(h.passage.field, h.start, h.end) for a in anchors.values() for h in a.hits]):
        if not any(_same_words(anchor, a) for a in anchors.values()):
            anchors.setdefault(anchor.key, anchor)
    # Last, the measures only the result sentences' grammar names, where no rule above named them.
    # (A cue or event outcome inside such a phrase takes the phrase's fuller name.)
    for anchor in _result_anchors(protocol, passages, named):
        inner = next((a for a in anchors.values() if not a.key.startswith("site:") and _inside(a, anchor)), None)
        if inner is not None:
            inner.instrument = anchor.instrument  # "adult height" read in full: "predicted adult height"
        elif not any(_same_words(anchor, a) for a in anchors.values()):
            anchors.setdefault(anchor.key, anchor)
    anchors = _without_change_words(anchors)
    _name_brain_measures(anchors, passages)
    _add_abbreviations(anchors, passages)
    _name_the_scanner(anchors)
    if sites:  # bone density is an outcome per site: not once more for all sites together
        anchors = {k: a for k, a in anchors.items() if k.startswith("site:") or not _BONE_DENSITY.search(a.instrument or "")}
    if not anchors and vocabularies.construct in protocol.vocabularies:
        # No measure named: each construct the study's own sentences say it measured is an outcome,
        # called by the words they name it with ("touch pleasantness").
        for term_id, spans in vocabulary_hits(protocol, passages, vocabularies.construct).items():
            hits = [h for p, s in spans if measured_construct(h := Hit(p, s.start, s.end, term_id))]
            if hits:
                anchors[term_id] = _Anchor(term_id, hits[0].evidence.text, hits, term_id)
    kept = [a for a in anchors.values() if not _names_no_measure(a)]
    return sorted(kept, key=lambda a: (a.hits[0].passage.field != "title", a.hits[0].start))


def _names_no_measure(anchor: _Anchor) -> bool:
    """Whether an outcome's name, found by grammar, names nothing measured (outcome_names); a
    clause read as a name is cut to its subject first. Vocabulary, imaging and site outcomes are
    named by rules that know what they are."""
    if anchor.key.startswith(("site:", "brain:")) or anchor.construct is not None:
        return False
    name = " ".join((anchor.instrument or anchor.key).split())
    subject = outcome_names.clause_subject(name)
    if subject != name:
        anchor.instrument = subject
    return outcome_names.names_nothing_measured(subject, anchor.hits)


# A scan's modality alone, or the brain as a whole, as an outcome's name: how it was measured.
_MODALITY_ONLY = re.compile(r"(?:functional\s+magnetic(?:\s+resonance(?:\s+imaging)?)?|f?MRI|BOLD|PET|EEG|MEG|"
                            r"neuroimaging|brain\s+(?:imaging|activation|activity))", re.IGNORECASE)


def _name_brain_measures(anchors: dict[str, _Anchor], passages: list[Passage]) -> None:
    """In a study that scans the brain, what it imaged ("amygdala reactivity to fearful faces")
    is the outcome: the phrases saying so replace the outcomes named by the modality alone or by
    an imaging paradigm of the protocol, and measure the paradigm's construct. In a study with no
    scan, the paradigm's words ("fearful faces") are the stimuli of another task: that outcome is
    named as written and takes its class from its sentences."""
    modalities = [m for m in imaging_modalities(passages).value or [] if m != "other"]
    scanned = {k: a for k, a in anchors.items() if a.outcome_class == "neuroimaging"}
    paradigms = [a for a in scanned.values() if a.construct is not None]
    if not modalities:
        for anchor in paradigms:
            anchor.instrument = " ".join(anchor.hits[0].evidence.text.split())
            anchor.outcome_class = None
        return
    measures = brain_measures(list(_own_study_sentences(passages)))
    if not measures:
        return
    spans = [(m.passage.field, m.start, m.end) for m in measures]
    for key, anchor in list(anchors.items()):
        paradigm = key in scanned and (anchor.construct is not None
                                       or _MODALITY_ONLY.fullmatch((anchor.instrument or "").strip()) is not None)
        if paradigm or all(_overlaps((h.passage.field, h.start, h.end), spans) for h in anchor.hits
                           if h.passage.field != "title"):
            del anchors[key]
    taken = [(h.passage.field, h.start, h.end) for a in anchors.values() for h in a.hits]
    suffix = f" ({modalities[0]})"
    construct = paradigms[0].construct if paradigms else None
    for measure in measures:
        if not _overlaps((measure.passage.field, measure.start, measure.end), taken):
            key = f"brain:{measure.name.lower()}"
            anchors[key] = _Anchor(key, measure.name + suffix, [Hit(measure.passage, measure.start, measure.end, key)],
                                   construct, "neuroimaging")


# The scanner named in full, often cut short by a cue ("placed in a functional magnetic resonance
# imaging (fMRI) scanner" read as "functional magnetic").
_SCANNER_ONLY = re.compile(r"(?:functional\s+)?magnetic(?:\s+resonance)?(?:\s+imaging)?$", re.IGNORECASE)


def _name_the_scanner(anchors: dict[str, _Anchor]) -> None:
    """An outcome named only by the scanner is no measure of its own beside one the scan measured;
    alone, it is the scan's brain measure, called by its usual name."""
    scanners = {key: name for key, a in anchors.items() if (name := a.instrument) and _SCANNER_ONLY.match(name)}
    measured = [a for key, a in anchors.items() if key not in scanners and a.outcome_class == "neuroimaging"]
    for key, name in scanners.items():
        if measured:
            del anchors[key]
        else:
            anchors[key].instrument = "fMRI" if name.lower().startswith("functional") else "MRI"


def _add_abbreviations(anchors: dict[str, _Anchor], passages: list[Passage]) -> None:
    """Where an instrument's name gives its abbreviation, the abbreviation's later mentions are the
    instrument's too: results often name only the abbreviation ("reduction in ABC-I versus placebo").
    An outcome named by the abbreviation alone ("BSPS scores") is the same outcome."""
    for key, anchor in list(anchors.items()):
        first = anchor.hits[0]
        found = outcome_names.ABBREVIATION_AFTER.match(first.passage.text, first.end)
        if key not in anchors or found is None or key.startswith("site:"):
            continue
        abbreviation = found.group("abbr")
        written = first.passage.text[first.start:found.start("abbr")]
        if "," in written and not outcome_names.abbreviates(abbreviation, written, from_first_word=True):
            continue  # "SCORAD, eosinophilic cationic protein (ECP)": a list, not a qualified name
        fits = outcome_names.abbreviates(abbreviation, written)
        if fits:
            anchor.instrument = outcome_names.with_abbreviation(anchor.instrument or "", first, written, abbreviation)
        for other_key, other in list(anchors.items()):
            words = {singular(w) for w in other.key.removeprefix("result:").split()}
            # (an outcome read inside the name's own span is part of it: its qualifier, its abbreviation)
            inside = fits and other.hits[0].passage is first.passage and first.start <= other.hits[0].start < found.end()
            abbreviated = not words - {singular(abbreviation.lower()), *map(singular, _SCORE_WORDS)}
            if other is not anchor and (inside or abbreviated):
                anchor.hits.extend(other.hits)
                del anchors[other_key]
        taken = [(h.passage.field, h.start, h.end) for a in anchors.values() for h in a.hits]
        mention = re.compile(r"(?<![\w-])" + re.escape(abbreviation) + r"(?![\w-])")
        for passage in passages:
            for match in mention.finditer(passage.text):
                span = (passage.field, match.start(), match.end())
                if not ((passage is first.passage and match.start() < found.end()) or _overlaps(span, taken)):
                    anchor.hits.append(Hit(passage, match.start(), match.end(), key))
        anchor.hits.sort(key=lambda h: (h.passage.field != "title", h.start))


_SCORE_WORDS = ("score", "scores", "total", "totals", "rating", "ratings", "change", "changes", "scale")


# A sentence naming what measures something ("the questionnaire has five domains (... social
# functioning ...)") describes a measure even before the abstract turns to its own study.
_MEASURE_WORD = re.compile(r"\b(?:questionnaires?|scales?|subscales?|inventor(?:y|ies)|checklists?|tasks?|tests?)\b",
                           re.IGNORECASE)


# Where a construct is named but not measured: what animals did, speculation about use or
# mechanism ("might interfere with social cognitive abilities", "may be useful in patients with
# social dysfunction"), a descriptor ("hormones involved in social behaviour").
_NOT_MEASURED_SENTENCE = re.compile(
    r"\b(?:rats?|mice|mouse|rodents?|animals?|monkeys?)\b|"
    r"\b(?:may|might|could|likely)\s+(?:\w+\s+){0,3}?(?:be\s+(?:useful|used|relevant|helpful|beneficial|important)|"
    r"have\s+(?:implications|relevance)|help|enhance|interfere|play|contribute|underlie|promote)\b|"
    r"\bimplications?\s+for\b|\bpotential\s+(?:treatment|therapeutic|use)\b|\bcharacteri[sz]ed\s+by\b",
    re.IGNORECASE)
_DESCRIPTOR_BEFORE = re.compile(r"\binvolved\s+in\s+(?:[\w-]+\s+){0,4}$", re.IGNORECASE)
# A labelled section: its label, as the last "Label:" at a sentence start before a mention.
_SECTION_LABEL = re.compile(r"(?:^|(?<=[.!?]\s))([A-Z][A-Za-z ]{2,24}):")
_BACKGROUND_LABELS = frozenset({"background", "introduction", "context", "rationale"})


def _in_background_section(hit: Hit) -> bool:
    labels = [m.group(1).lower() for m in _SECTION_LABEL.finditer(hit.passage.text, 0, hit.start)]
    return bool(labels) and labels[-1] in _BACKGROUND_LABELS


def measured_construct(hit: Hit) -> bool:
    """Whether a mention of a construct says this study measured it."""
    if hit.passage.field == "title":
        return True
    sentence = hit.sentence.text
    if _NOT_MEASURED_SENTENCE.search(sentence) or _in_background_section(hit) or _DESCRIPTOR_BEFORE.search(
            hit.passage.text, max(hit.sentence.start, hit.start - 60), hit.start):
        return False
    return not before_own_study(hit) or bool(_MEASURE_WORD.search(sentence))


# Abstracts report a few main outcomes in words; more cue words are mostly safety measures.
_MAX_CUE_OUTCOMES = 3
# Symptoms named without an instrument, in an abstract that names a clinician's rating scale
# ("depressive symptoms" beside the HDRS): the scale measured them, not the participant's report.
_SYMPTOMS = re.compile(r"\bsymptoms?\b|\bdepress\w*", re.IGNORECASE)


# Cue words that say how something was measured or by whom, but name no measure.
_NOT_A_MEASURE = re.compile(
    r"(?:by\b.*|(?:assess|evaluat|rat|judg)\w*\s+by.*|scored\s+by.*|subjective\w*|self-?\s?\w+|patient[- ]\w+|serum|plasma|blood\s+samples?|"
    r"interviews?|syndromal|inter-?rater|(?:clinician|investigator|physician|observer|rater|parent|teacher)s?'?\W.*|"
    r"symptoms?\s+(?:were\s+)?(?:recorded|rated|assessed)|(?:physicians?|investigators?|clinicians?|assessors?|"
    r"raters?)\s+.*|biomarkers?|neuroimaging|brain\s+imaging|cognition|"
    r"(?:behaviou?ral|cognitive|computeri[sz]ed|experimental|laboratory)\s+\w+|tasks?\s+\w+(?:\s+\w+)?|games?|motility|mucosal|"
    r"endoscop\w*|pharmacokinetic\w*|transaminases?|alkaline\s+phosphatase|creatinine|la?boratory\s+\w+)",
    re.IGNORECASE)


# Harms counted rather than measured on a scale: an outcome with no class, reported when the
# abstract gives a result for them ("adverse events were similar", "fewer withdrawals for side effects").
_EVENT = re.compile(
    r"\b(?:(?:serious|severe|drug-related|treatment-related|treatment-emergent|gastrointestinal|GI|upper\s+GI|"
    r"anticholinergic|cardiovascular|cardiac|systemic|local)\s+)?(?:adverse\s+(?:drug\s+)?(?:events?|effects?|"
    r"experiences?|reactions?)|side[- ]effects?)|\b(?:discontinuation|withdrawal)s?\s+(?:due\s+to|for|because\s+of)\s+"
    r"(?:lack\s+of\s+efficacy|(?:GI\s+|gastrointestinal\s+)?(?:adverse\s+(?:events?|effects?)|side[- ]effects?))|"
    r"\b(?:(?:total|all-cause|cancer|cardiovascular)\s+)?mortality\b|\b(?:(?:invasive\s+)?breast|endometrial|colorectal|"
    r"colon)\s+cancer\b|\b(?:hip\s+|vertebral\s+)?fractures?\b|\bvenous\s+thromboembolism\b|"
    r"\b(?:(?:major|serious|secondary)\s+)?cardiovascular\s+events\b|\b(?:upper\s+GI\s+)?ulcer\s+complications\b",
    re.IGNORECASE)
_MAX_EVENT_OUTCOMES = 2
# A word every match of _EVENT holds.
_EVENT_WORDS = ("advers", "side", "lack of", "mortal", "cancer", "fractur", "thrombo", "cardiovascular", "ulcer")


def _event_anchors(passages: list[Passage], named: list[tuple[str, int, int]]) -> list[_Anchor]:
    """Adverse events or side effects, named as the abstract first writes them, when a sentence
    of the study's own reports a result for them."""
    found: dict[str, _Anchor] = {}
    for passage in passages:
        if passage.field == "title" or passage.field.startswith("registry:"):
            continue
        lowered = passage.lowered or passage.text.lower()
        if not any(word in lowered for word in _EVENT_WORDS):
            continue  # most texts name no event: skip the scan
        for match in passage.finditer(_EVENT):
            hit = Hit(passage, match.start(), match.end())
            if match.start() < study_start(passage) or _overlaps((passage.field, match.start(), match.end()), named):
                continue
            written = passage.text[match.start():match.end()]
            key = "event:" + " ".join(written.lower().split())
            found.setdefault(key, _Anchor(key, written, [], None, None, False)).hits.append(hit)
    reported = [a for a in found.values() if any(_reports_result(h) for h in a.hits)]
    return reported[:_MAX_EVENT_OUTCOMES]


# A sentence that lists what was measured: "A, B and C were measured", "efficacy was assessed by
# A and B", "outcome measures included A, B and C".
_LIST_VERB = r"(?:measured|assessed|recorded|evaluated|determined|monitored)"
_MEASURED_LIST = (
    re.compile(r"^\s*(?P<what>[^.;:]{3,200}?)\s+(?:were|was)\s+(?:also\s+)?" + _LIST_VERB + r"\b", re.IGNORECASE),
    re.compile(r"\b" + _LIST_VERB + r"\s+(?:by|with|using|through)\s+(?:the\s+)?(?P<what>[^.;:]{3,200})", re.IGNORECASE),
    re.compile(r"\b(?:outcomes?|measures?|variables?|end-?\s?points?|parameters?|assessments?)\s+(?:included|comprised|"
               r"were)\s*:?\s+(?P<what>[^.;:]{3,200})", re.IGNORECASE),
)
# Where an item's own words stop: a time, a place or the way it was measured.
_ITEM_TAIL = re.compile(r"\s+(?:at|before|after|during|every|throughout|over|on|in|from|by|with|using|for|"
                        r"as|were|was|of\s+(?:the\s+)?(?:patients|participants|subjects|women|men|children))\b.*$",
                        re.IGNORECASE)
_ITEM_LEAD = re.compile(r"^\s*(?:(?:and|or|the|a|an|both|also|then|on|including|changes?\s+in|"
                        r"change\s+from\s+baseline\s+in|(?:reduction|improvement|increase|decrease)s?\s+in|"
                        r"(?:\w+\s+)?(?:levels?|values?)\s+of)\s+)+", re.IGNORECASE)
_NOT_AN_ITEM = re.compile(r"^(?:efficacy|safety|tolerability|outcomes?|results?|data|patients?|subjects?|"
                          r"participants?|baseline|treatment|this|these|it|they|all|each|both|study|trial|"
                          r"groups?|doses?|drugs?|placebo)$|\d|\b(?:respectively|addition|well)\b", re.IGNORECASE)
# A part that is a clause, not a noun phrase: the "list" is a sentence's arms or its findings.
_CLAUSE = re.compile(r"\b(?:we|our|randomi[sz]\w*|treated|received|given|administered|assigned|included|enrolled|"
                     r"patients|women|men|was|were|is|are|had|has|not|significantly|compared|comparison|which|"
                     r"suggest\w*|favou?r\w*|could|would|may|might|be)\b", re.IGNORECASE)


def _own_study_sentences(passages: list[Passage]) -> Iterator[tuple[Passage, Sentence]]:
    """The running text's sentences about the study itself: not the title, a registry field, a
    labelled background or what comes before the abstract turns to its own study."""
    for passage in passages:
        if passage.field == "title" or passage.field.startswith("registry:"):
            continue
        for sentence in passage.sentences:
            if sentence.start >= study_start(passage) and not BACKGROUND_LABEL.match(sentence.text):
                yield passage, sentence


def _listed_anchors(passages: list[Passage], named: list[tuple[str, int, int]]) -> list[_Anchor]:
    """Each measure of a list of what was measured, when the list has more than one."""
    found: dict[str, _Anchor] = {}
    for passage, sentence in _own_study_sentences(passages):
        for pattern in _MEASURED_LIST:
            match = _search_lowered(pattern, sentence.text)
            if match:
                items = _list_items(passage, sentence.start + match.start("what"), sentence.start + match.end("what"))
                if len(items) >= 2 and any(_is_measure(passage.text[a:b]) for a, b in items):
                    for start, end in items:
                        if not _overlaps((passage.field, start, end), named):
                            _add_item(found, passage, start, end)
                break
    return list(found.values())


def _list_items(passage: Passage, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of a comma-separated list's items ("A, B, and C"; not split at a bare "and",
    which joins the parts of one measure: "urinary and serum sodium")."""
    text = passage.text
    spans = []
    offset = start
    parts = re.split(r"(,\s*(?:and\s+|or\s+)?|\s+and\s+(?=[^,]*$))", text[start:end]) if "," in text[start:end] else [text[start:end]]
    for index, part in enumerate(parts):
        if index % 2:
            offset += len(part)
            continue
        lead_match = _ITEM_LEAD.match(part)
        skip = lead_match.end() if lead_match else 0
        item = _unbracketed(_ITEM_TAIL.sub("", part[skip:]))
        if _CLAUSE.search(item):
            return []
        words = item.split()
        if 1 <= len(words) <= 6 and not _NOT_AN_ITEM.search(item):
            item_start = text.index(item, offset + skip)
            spans.append((item_start, item_start + len(item)))
        offset += len(part)
    return spans


# Bone density is one outcome per skeletal site measured ("BMD of the lumbar spine and total hip").
_BONE_DENSITY = re.compile(r"\bbone\s+mineral\s+(?:density|content)\b|\bBMD\b|\bBMC\b|\bbone\s+density\b",
                           re.IGNORECASE)
_SKELETAL_SITE = re.compile(r"\b(?:lumbar\s+spine|(?:total\s+)?hip|femoral\s+neck|(?:proximal\s+)?femur|trochanter|"
                            r"(?:distal\s+)?forearm|(?:distal\s+)?radius|total\s+body|whole\s+body|vertebrae|"
                            r"vertebral|spine|wrist|calcaneus|heel|tibia)\b", re.IGNORECASE)
_SITE_WINDOW = 70


def _site_anchors(passages: list[Passage]) -> list[_Anchor]:
    """Bone density at each site named beside a bone density mention, named in the text's own
    spelled-out form when it has one ("lumbar spine bone mineral density")."""
    found: dict[str, _Anchor] = {}
    for passage in passages:
        if passage.field == "title" or passage.field.startswith("registry:"):
            continue
        spelled = re.search(r"\bbone\s+mineral\s+(?:density|content)\b", passage.text, re.IGNORECASE)
        for measure in passage.finditer(_BONE_DENSITY):
            if measure.start() < study_start(passage):
                continue
            sentence = passage.sentence_of(measure.start())
            start = max(sentence.start, measure.start() - _SITE_WINDOW)
            end = min(sentence.end, measure.end() + _SITE_WINDOW)
            name = _site_measure_name(passage.text[measure.start():measure.end()], spelled.group() if spelled else None)
            for site in passage.finditer_in(_SKELETAL_SITE, start, end):
                written = " ".join(site.group().lower().split())
                key = f"site:{written}"  # one outcome per site, whether as density or content
                found.setdefault(key, _Anchor(key, f"{written} {name}", [], None, "physiological")).hits.append(
                    Hit(passage, site.start(), site.end(), key))
    return list(found.values()) if len(found) >= 2 else []


def _site_measure_name(written: str, spelled: str | None) -> str:
    if spelled and written.upper() in ("BMD", "BMC") and written.upper()[-1] == spelled.split()[-1][0].upper():
        return " ".join(spelled.lower().split())
    return " ".join(written.split()) if written.isupper() else " ".join(written.lower().split())


# Words that name who or what was compared rather than a measure ("patients", "the placebo
# group"): no phrase of a result sentence that ends or starts with one is a measure.
_ARM_HEAD = re.compile(r"(?:patients?|subjects?|participants?|volunteers?|women|men|children|individuals|groups?|"
                       r"arms?|placebo|treatments?|therapy|therapies|drugs?|doses?|dosing|regimens?|formulations?|"
                       r"tablets?|preparations?|medications?|study|studies|trials?|RCTs|cases|controls)", re.IGNORECASE)
# Words too general to name a measure alone ("efficacy", "the change", "safety parameters",
# "the morning"): a phrase needs a word besides them (and besides its drug and arm words).
_GENERAL_WORD = re.compile(
    r"(?:results?|data|findings|analys[ie]s|effects?|differences?|changes?|improvements?|reductions?|increases?|"
    r"decreases?|magnitude|degree|extent|outcomes?|measures?|measurements?|parameters?|variables?|endpoints?|"
    r"assessments?|evaluations?|trend|one|none|most|others?|time|days?|weeks?|months?|years?|hours?|baseline|"
    r"conditions?|period|visits?|rates?|proportion|percentage|number|incidence|values?|levels?|"
    r"concentrations?|scores?|ratings?|efficacy|safety|tolerability|tolerance|effectiveness|response|use|action|"
    r"significance|any|similar|mild|moderate|severe|morning|evening|night|age|addition|symptoms?|illness|"
    r"function|functioning|activity|status|profile|benefits?|risks?|key|individual|primary|secondary|main|"
    r"overall|total|global|final|subjective|objective|clinical|ng|ml|mg|kg|dl|mmol|d|h)", re.IGNORECASE)
# What only the participant can tell (a symptom, a feeling, a preference): a measure named by it
# alone is the participant's report, whatever else the sentence measured ("nausea", "dry mouth").
# What participants rate or feel about the stimuli of an experiment ("touch pleasantness", "ratings of
# emotional scenes", "feelings of social connection").
_RATED_WORDS = r"pleasantness|unpleasantness|liking|wanting|feelings?|ratings?|subjective|closeness|connectedness"
_FELT = re.compile(r"\b(?:symptoms?|pain\w*|\w*aches?|migraine|nausea|vomiting|itch\w*|pruritus|incontinen\w*|urgency|"
                   r"dry\s+mouth|anxiety|fears?|mood|depress\w*|loneliness|motivation|somnolence|drowsiness|sleepiness|"
                   r"fatigue|dizziness|stiffness|disability|sleep\w*|photophobia|phonophobia|dyspepsia|discomfort|"
                   r"well-being|arousal|desire|satisfaction|preferences?|attacks?|sneez\w*|rhinorrh\w*|congestion|"
                   r"flush\w*|sweat\w*|consumption|" + _RATED_WORDS + r")\b", re.IGNORECASE)
_CHANGE_WORD = re.compile(r"(?:changes?|increases?|decreases?|reductions?|improvements?|differences?|effects?)")
# What may be left of a phrase once its drug names are taken out without it naming a measure.
_ARM_WORDS = frozenset({"plus", "alone", "and", "or", "with", "the", "a", "of", "to", "on", "in", "group", "groups",
                        "treatment", "therapy", "oral", "subcutaneous", "intravenous", "intranasal", "inhaled",
                        "formulation", "formulations", "tablet", "tablets", "dose", "doses", "combination",
                        "regimen", "mg", "once", "daily", "twice", "placebo", "active", "conventional", "standard",
                        "new", "both", "either", "patch", "patches", "spray", "matrix", "er", "cr", "sr", "xl",
                        "la", "odt", "ir", "gel", "cream", "ring", "nasal"})
_MAX_RESULT_OUTCOMES = 6


def _result_anchors(protocol: Protocol, passages: list[Passage], taken: list[tuple[str, int, int]]) -> list[_Anchor]:
    """Measures the result sentences of the study's own speak of, read from the frames findings
    are stated in (result_phrases), when no other rule named them."""
    found: dict[str, _Anchor] = {}
    for passage, sentence in _own_study_sentences(passages):
        # A finding compared between arms or tested names its measure; a change described
        # alone is as often a side remark ("symptom severity ranged widely").
        if (_AIM.match(sentence.text) or _AT_BASELINE.search(sentence.text) or not _RESULT.search(sentence.text)
                or not _SIGNIFICANCE.search(sentence.text)):
            continue
        for start, end in result_phrases.phrases(sentence.text):
            name = result_phrases.phrase_name(sentence.text, start, end)
            at = sentence.start + start
            if (not _names_a_measure(name, _drug_words(protocol, passage, at, sentence.start + end))
                    or _overlaps((passage.field, at, sentence.start + end), taken)):
                continue
            key = "result:" + " ".join(name.lower().split())
            cue = class_named(name) or ("behavioural" if _PERFORMANCE.search(name) else None)
            if cue is None and _FELT.search(name):
                cue = cue_class("self-report", name)
            found.setdefault(key, _Anchor(key, name, [], None, cue)).hits.append(
                Hit(passage, at, sentence.start + end, key))
    return list(found.values())[:_MAX_RESULT_OUTCOMES]


# The change a sentence reports is no part of the measure's name: "relieving nausea" measures
# nausea, "a reduction in the total symptom score" the score; "relief" alone is relief of what
# another outcome names.
_CHANGE_LEAD = re.compile(r"(?:(?:reductions?|decreases?|increases?|improvements?|changes?|relief)\s+(?:in|of)\s+|"
                          r"(?:reliev|reduc|improv|decreas|increas|alleviat|lessen)(?:ing|ed|es|e)\s+)"
                          r"(?:the\s+)?", re.IGNORECASE)
_BARE_CHANGE = re.compile(r"(?:relief|relieved|improvement|reduction)", re.IGNORECASE)
# Where relief alone is the outcome: pain and headache trials (their abstracts name pain or
# headache) measure relief as such.
_PAIN = re.compile(r"\b(?:pain\w*|headaches?|migraines?|analges\w*)\b", re.IGNORECASE)


def _without_change_words(anchors: dict[str, _Anchor]) -> dict[str, _Anchor]:
    """Outcomes named by a sentence's words lose a leading change word; one left naming no measure,
    or the same measure as another outcome, is dropped."""
    kept: dict[str, _Anchor] = {}
    for key, anchor in anchors.items():
        name = anchor.instrument or ""
        lead = _CHANGE_LEAD.match(name)
        if lead and lead.end() < len(name):
            anchor.instrument = name[lead.end():]
            if not _names_a_measure(anchor.instrument, set()) or any(
                    _words_within(anchor, other) for other in anchors.values() if other is not anchor):
                continue
        elif _BARE_CHANGE.fullmatch(name.strip()) and not any(_PAIN.search(h.passage.text) for h in anchor.hits):
            continue
        kept[key] = anchor
    return kept


def _words_within(one: _Anchor, other: _Anchor) -> bool:
    """Every word of one outcome's name is in the other's."""
    words_one = set(_NAME_WORD_RX.findall((one.instrument or one.key).lower()))
    return bool(words_one) and words_one <= set(_NAME_WORD_RX.findall((other.instrument or other.key).lower()))


def _inside(inner: _Anchor, outer: _Anchor) -> bool:
    """`outer`'s first mention is a mention of `inner` with a word or two of modifier before it
    ("predicted adult height" around "adult height")."""
    span = outer.hits[0]
    return any(h.passage is span.passage and span.start < h.start and h.end == span.end
               and len(span.passage.text[span.start:h.start].split()) <= 2 for h in inner.hits)


def _drug_words(protocol: Protocol, passage: Passage, start: int, end: int) -> set[str]:
    """The words of the drug names (and their bracketed abbreviations: "estradiol (E2)") in the
    passage; those between `start` and `end` only."""
    words: set[str] = set()
    for mention in drug_mentions(protocol, passage.text):
        short = _BRACKETED.match(passage.text, mention.end)
        if start <= mention.start and mention.end <= end:
            words.update(_NAME_WORD_RX.findall(mention.text.lower()))
        if short:
            words.add(short.group(1).lower())
    return words


def _names_a_measure(name: str, drug_words: set[str]) -> bool:
    words = _NAME_WORD_RX.findall(name.lower())
    if (not words or len(name.split()) > 7 or _ARM_HEAD.fullmatch(words[-1]) or _ARM_HEAD.fullmatch(words[0])
            or _CHANGE_WORD.fullmatch(words[-1])):
        return False  # "evaluable patients", "the placebo group", "the histamine-induced increase"
    content = [w for w in words if w not in drug_words and w not in _ARM_WORDS and not _GENERAL_WORD.fullmatch(w)]
    return len(content) > 0 and (len(words) > 1 or len(words[0]) > 3)


def _search_lowered(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """`pattern.search(text)` at the same offsets, over lowercased text (re's case folding is slow);
    the match's groups are lowercased."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return pattern.search(text)
    return lowercase_twin(pattern).search(lowered)


def _finditer_lowered(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    lowered = text.lower()
    if len(lowered) != len(text):
        return pattern.finditer(text)
    return lowercase_twin(pattern).finditer(lowered)


def _unbracketed(item: str) -> str:
    """An item without the brackets the list's commas cut in half ("(measured by DXA" -> "measured by DXA")."""
    item = item.strip()
    if item.count("(") > item.count(")"):
        item = item.replace("(", "", 1) if item.startswith("(") else item[:item.rfind("(")].strip()
    if item.count(")") > item.count("("):
        item = item[:item.rfind(")")].strip() if item.endswith(")") else item
    return item


def _is_measure(text: str) -> bool:
    return bool(_EVENT.search(text)) or any(pattern.search(text) for _, pattern in OUTCOME_CLASS_PATTERNS)


def _add_item(found: dict[str, _Anchor], passage: Passage, start: int, end: int) -> None:
    written = passage.text[start:end]
    key = "list:" + " ".join(written.lower().split())
    cue = class_named(written)
    anchor = found.setdefault(key, _Anchor(key, written, [], None, cue))
    # Its other mentions give its result.
    lowered, needle = passage.text.lower(), written.lower()
    at = lowered.find(needle)
    while at >= 0:
        anchor.hits.append(Hit(passage, at, at + len(needle), key))
        at = lowered.find(needle, at + 1)


def _same_words(one: _Anchor, other: _Anchor) -> bool:
    """One outcome's name holds every word of the other's ("adverse events", "serious adverse events")."""
    words_one = set(_NAME_WORD_RX.findall((one.instrument or one.key).lower()))
    words_other = set(_NAME_WORD_RX.findall((other.instrument or other.key).lower()))
    return bool(words_one and words_other) and (words_one <= words_other or words_other <= words_one)


_NAME_WORD_RX = re.compile(r"[a-z0-9]+")


def _overlaps(span: tuple[str, int, int], spans: list[tuple[str, int, int]]) -> bool:
    return any(span[0] == f and span[1] < end and start < span[2] for f, start, end in spans)


def _cue_anchors(passages: list[Passage], named: list[tuple[str, int, int]]) -> list[_Anchor]:
    """Outcomes named by the words that say what was measured ("wheal", "pain relief").

    Only sentences of the abstract (or a full text's sections) about the study's own methods or
    results count, not words inside or beside a named instrument (`named`: its spans), and at most
    the outcomes a result sentence speaks of first, then the most mentioned.
    """
    found: dict[str, _Anchor] = {}
    given = {hit.evidence.text.lower() for hit in substances_given(passages)}  # the study drug, not a measure
    for passage in passages:
        if passage.field == "title" or passage.field.startswith("registry:"):
            continue
        with_instrument = {passage.sentence_of(start).start for f, start, _ in named if f == passage.field}
        # "event-related potentials (ERPs)": the bracketed abbreviation is the same outcome.
        abbreviated: dict[int, str] = {}
        for cls, pattern in OUTCOME_CLASS_PATTERNS:
            for cue_start, cue_end, _ in passage.matches(pattern):  # scanned once, shared with the rules
                sentence = passage.sentence_of(cue_start)
                end = _word_end(passage.text, cue_end)  # "electrocardiogra" -> "...gram"
                written = passage.text[cue_start:end]
                if cue_start in abbreviated:
                    found[abbreviated[cue_start]].hits.append(Hit(passage, cue_start, end))
                    continue
                if (BACKGROUND_LABEL.match(sentence.text) or sentence.start in with_instrument
                        or _NOT_A_MEASURE.fullmatch(written.strip()) or cue_start < study_start(passage)
                        or written.strip().lower() in given):
                    continue
                start = cue_start
                if _GENERIC_NAME.fullmatch(written):
                    start = _name_start(passage.text, start)
                    if start == cue_start or _STATISTICAL_TEST.search(passage.text, start, end):
                        continue  # "a questionnaire" names no measure; a handedness inventory no outcome
                    written = passage.text[start:end]
                if _RATER_ADJECTIVE.fullmatch(written) and (rated := _RATED.match(passage.text, end)):
                    end = rated.end()  # "caregiver-rated social responsiveness": what the rater rated
                    written = passage.text[start:end]
                key = singular(" ".join(written.lower().split()))
                measured = cue_class(cls, written)
                if cls == "neuroimaging" and not brain_imaging(Hit(passage, start, end)):
                    measured = "physiological"  # imaging of the heart or lungs
                anchor = found.setdefault(key, _Anchor(key, written, [], None, measured))
                anchor.hits.append(Hit(passage, start, end, key))
                bracket = _BRACKETED.match(passage.text, end)
                if bracket:
                    abbreviated[bracket.start(1)] = key
    ranked = sorted(found.values(), key=lambda a: (not any(_reports_result(h) for h in a.hits), -len(a.hits),
                                                   a.hits[0].start))
    return ranked


# A rater's adjective names no measure by itself: the words after it do ("parent-rated irritability").
_RATER_ADJECTIVE = re.compile(r"(?i:[\w]+\s*-\s*(?:rated|reported|administered|assessed|completed))")
_RATED = re.compile(r"(?:\s+(?!(?:was|were|is|are|and|or|of|in|at|on|by|for|with|to|from|the|a|an|than|"
                    r"improved|decreased|increased|reduced|did|showed)\b)[\w/'-]+){1,4}")


def _word_end(text: str, offset: int) -> int:
    while offset < len(text) and (text[offset].isalnum() or text[offset] == "_"):
        offset += 1
    return offset


_BRACKETED = re.compile(r"\s*\((\w[\w-]{0,11})\)")
# A generic word that ends a measure's proper name ("Menstrual Distress Questionnaire").
_GENERIC_NAME = re.compile(r"(?i:questionnaires?|inventory)")
_NAME_WORD = re.compile(r"(?:[A-Z0-9][\w'-]*|of|the|for|and)\s+$")


def _name_start(text: str, start: int) -> int:
    """Where the capitalised words before `start` begin (at most six), `start` when there are none."""
    begin = start
    for _ in range(6):
        match = _NAME_WORD.search(text, max(0, begin - 40), begin)
        if not match or match.start() == begin:
            break
        begin = match.start()
    while begin < start and re.match(r"(?:of|the|for|and)\s", text[begin:start]):
        begin = text.index(" ", begin) + 1  # a name starts with its own word, not "of the"
    lead = _NOT_A_NAME_WORD.match(text, begin, start)
    return lead.end() if lead else begin


def _reports_result(hit: Hit) -> bool:
    return _states_result(hit.sentence.text)


# "Further studies are needed to determine whether ... reduces fractures" states no result.
_FUTURE_WORK = re.compile(r"\b(?:further|future|more|larger)\s+(?:\w+\s+)?(?:studies|research|trials)\b|"
                          r"\b(?:are|is)\s+(?:needed|required|warranted)\b", re.IGNORECASE)


@lru_cache(maxsize=512)
def _states_result(sentence: str) -> bool:
    return (bool(_RESULT.search(sentence)) and not _FUTURE_WORK.search(sentence)
            and _sentence_direction(sentence) is not None)


def _describe(protocol: Protocol, anchor: _Anchor, passages: list[Passage],
              regions: dict, vocabularies: OutcomeVocabularies,
              network_of: dict[str, str], constructs: dict[str, list[tuple[Passage, Span]]],
              others: list[Hit], study: _StudyResults) -> dict[str, Suggestion]:
    """Everything about one outcome; `others`: the mentions of the other outcomes, whose result
    sentences do not speak for this one."""
    sentences = list(dict.fromkeys((h.passage.field, h.sentence.start) for h in anchor.hits))
    sentence_hits = [Hit(p, s.start, s.end) for p in passages for s in p.sentences
                     if (p.field, s.start) in sentences]
    construct_label = None
    if anchor.construct and vocabularies.construct in protocol.vocabularies:
        construct_label = protocol.vocabularies[vocabularies.construct].term(anchor.construct).label
    outcome: dict[str, Suggestion] = {
        "instrument": suggestion(anchor.instrument, anchor.hits[:1]) if anchor.instrument else Suggestion(None),
        "construct": suggestion(construct_label, anchor.hits[:1]) if construct_label else Suggestion(None),
        "class": _outcome_class(anchor, sentence_hits),
    }
    outcome["regions"], outcome["network"] = _regions(protocol, anchor, outcome["class"].value, regions,
                                                     vocabularies, sentences, network_of)
    outcome["timepoint"] = _first(sentence_hits, _TIMEPOINT)
    outcome["role"] = _rank(anchor, sentence_hits)
    placebo_arm = study.placebo_arm
    # Results often speak of what an instrument measures ("felt closer to others") rather than
    # name it: those sentences answer when the instrument's own say nothing. (Not what earlier
    # studies found, or speculation: measured_construct.)
    construct_hits = [h for p, span in constructs.get(anchor.construct or "", [])
                      if measured_construct(h := Hit(p, span.start, span.end))]
    construct_sentences = [Hit(h.passage, h.sentence.start, h.sentence.end) for h in construct_hits
                           if (h.passage.field, h.sentence.start) not in sentences]
    fallback = study.overall + [h for h in study.comparisons + study.conclusion if not any(
        o.passage is h.passage and h.start <= o.start < h.end for o in others)]
    outcome["direction"] = _direction(sentence_hits, fallback, placebo_arm, anchor.hits, others, study.drugs)
    if outcome["direction"].value is None or outcome["direction"].flags:
        outcome["direction"] = _found_with(
            _direction(construct_sentences, None, placebo_arm, construct_hits),
            "from sentences on the construct the instrument measures") or outcome["direction"]
    if outcome["direction"].value is None and any(_DEFINES_RESPONSE.search(h.passage.text, h.start, h.end)
                                                  for h in sentence_hits):
        outcome["direction"] = _found_with(
            _direction(_response_results(passages, sentences), None, placebo_arm),
            "from the response rates the outcome defines") or outcome["direction"]
    role = outcome["role"].value
    if outcome["direction"].value is None and role in ("primary", "secondary"):
        outcome["direction"] = _found_with(
            _direction(_rank_results(passages, sentences, str(role)), None, placebo_arm),
            f"from a result told of the {role} outcome, not by its name") or outcome["direction"]
    if outcome["direction"].value is None:
        outcome["direction"] = _significant_for_an_effective_drug(sentence_hits, study.conclusion)
    if outcome["class"].value == "neuroimaging" and outcome["direction"].value in ("improved", "worsened", "mixed"):
        # A brain response that rose or fell is no better or worse in itself (more amygdala activity
        # to faces is no harm): the direction of effect is for measures with a better end.
        outcome["direction"] = Suggestion(None, outcome["direction"].evidence,
                                          [f"a brain measure that changed ({outcome['direction'].value}): "
                                           "no better or worse end"])
    outcome["numbers"] = _numbers(sentence_hits)
    return outcome


def _found_with(direction: Suggestion, source: str) -> Suggestion | None:
    """`direction` flagged with the sentences it was read from, or None when they gave none."""
    if direction.value is None:
        return None
    direction.flags.append(source)
    return direction


# An outcome that defines response ("responders on the CGI Global Improvement item", "Response was
# defined as a CGI-I score of 1 or 2") has its result where response rates are compared.
_DEFINES_RESPONSE = re.compile(r"\bresponders?\b|\bresponse\s+(?:was|is|were)\s+defined\b", re.IGNORECASE)
_RESPONSE_RESULT = re.compile(r"\brespon(?:ded|ders?|se\s+rates?)\b|\bresponse\b(?=[^.;]{0,40}\brates?\b)",
                              re.IGNORECASE)


# "Regarding the primary outcome measure, the between-group difference was non-significant": a
# result told of the outcome by its rank.
_OF_RANK = {"primary": re.compile(r"\b(?:primary|main)\s+(?:efficacy\s+)?(?:outcomes?|end-?\s?points?|measures?)\b",
                                  re.IGNORECASE),
            "secondary": re.compile(r"\bsecondary\s+(?:efficacy\s+)?(?:outcomes?|end-?\s?points?|measures?)\b",
                                    re.IGNORECASE)}


def _rank_results(passages: list[Passage], taken: list[tuple[str, int]], rank: str) -> list[Hit]:
    """Sentences of the study's own that give a tested result of the outcomes of `rank`, other
    than the outcome's own."""
    return [h for h in _other_own_sentences(passages, taken) if _OF_RANK[rank].search(h.sentence.text)
            and (_SIGNIFICANCE.search(h.sentence.text) or _NO_DIFFERENCE.search(h.sentence.text))]


def _response_results(passages: list[Passage], taken: list[tuple[str, int]]) -> list[Hit]:
    """Sentences of the study's own that compare response rates, other than the outcome's own."""
    return [h for h in _other_own_sentences(passages, taken)
            if _RESPONSE_RESULT.search(h.sentence.text) and _SIGNIFICANCE.search(h.sentence.text)]


def _other_own_sentences(passages: list[Passage], taken: list[tuple[str, int]]) -> list[Hit]:
    """The sentences of the study's own part, other than those in `taken` and definitions, as hits."""
    return [Hit(p, s.start, s.end) for p in passages if p.field != "title" for s in p.sentences
            if (p.field, s.start) not in taken and s.start >= study_start(p) and not _DEFINITION.search(s.text)]


# A difference found significant with no word for which way ("significant differences on the LSAS
# were observed in the drug-treated subjects"), and a conclusion calling the drug effective.
_UNDIRECTED = re.compile(r"\bsignificant(?:ly)?\s+(?:differences?|changes?|interactions?)\b|"
                         r"\b(?:differed|changed)\s+significantly\b", re.IGNORECASE)
_EFFECTIVE = re.compile(r"\b(?:effective|efficacious|superior|beneficial)\b", re.IGNORECASE)
_NOT_EFFECTIVE = re.compile(r"\b(?:not|no|neither|nor|less|un\w+|lack\w*|fail\w*)\s+(?:\w+\s+){0,3}"
                            r"(?:effective|efficacious|superior|beneficial)\b", re.IGNORECASE)


def _significant_for_an_effective_drug(sentence_hits: list[Hit], conclusion: list[Hit]) -> Suggestion:
    """`improved` where the outcome's own result says only that it differed significantly and the
    conclusion judges the drug effective: the conclusion says which way the difference went."""
    significant = [h for h in sentence_hits if _UNDIRECTED.search(text := h.passage.text[h.start:h.end])
                   and _RESULT.search(text) and not _NO_DIFFERENCE.search(text) and not _AIM.match(text)]
    verdict = [h for h in conclusion if _EFFECTIVE.search(text := h.passage.text[h.start:h.end])
               and not _NOT_EFFECTIVE.search(text)]
    if not (significant and verdict):
        return Suggestion(None)
    return suggestion("improved", significant + verdict,
                      ["a significant difference with no direction stated, read with the conclusion's verdict"])


# An outcome named as a performance ("recognition of facial fear", "reaction times", "free recall")
# is what participants did in a task, whatever else its sentences measured.
_PERFORMANCE = re.compile(r"\b(?:recogni\w*|identification|detection|discrimination|accuracy|reaction\s+times?|"
                          r"response\s+times?|recall|errors|performance|"
                          # what players chose in the money games of social experiments
                          r"(?:rejection|acceptance|cooperation)\s+rates?|offers?|allocations?|investments?|"
                          r"transfers?|contributions?|donations?|generosity|punishment|choices)\b", re.IGNORECASE)


def _outcome_class(anchor: _Anchor, sentence_hits: list[Hit]) -> Suggestion:
    if anchor.outcome_class:
        return suggestion(anchor.outcome_class, anchor.hits[:1])
    if not anchor.class_from_sentences:
        return Suggestion(None)
    name = anchor.instrument or ""
    if _PERFORMANCE.search(name):
        return suggestion("behavioural", anchor.hits[:1])
    for value, pattern in OUTCOME_CLASS_PATTERNS:
        for hit in sentence_hits:
            match = next(hit.passage.finditer_in(pattern, hit.start, hit.end), None)
            if match and cue_class(value, match.group()):
                return suggestion(value, [Hit(hit.passage, match.start(), match.end())])
    if _NAMED_SCALE.search(name):
        # A named scale no sentence says who filled in is most often the participant's own
        # (a rating scale, a clinician's, has its class from its name already).
        return suggestion("self-report", anchor.hits[:1], ["inferred: a named scale, rater not stated"])
    if _RATED_STIMULI.search(name):
        return suggestion("self-report", anchor.hits[:1], ["inferred: what participants rate or feel"])
    if _TASK_STIMULI.search(name):
        return suggestion("behavioural", anchor.hits[:1], ["inferred: an outcome named by a task's stimuli or choices"])
    return Suggestion(None)


# An outcome named by the faces a task shows or the decisions it asks for ("happy faces", "emotional
# expressions", "social decision making") is measured by the participants' responses.
_TASK_STIMULI = re.compile(r"\b(?:faces|(?:facial|emotional)\s+expressions?|expressions\s+of\s+emotions?|"
                           r"decision[- ]making)\b", re.IGNORECASE)


_RATED_STIMULI = re.compile(r"\b(?:" + _RATED_WORDS + r")\b", re.IGNORECASE)


_NAMED_SCALE = re.compile(r"\b[A-Z][\w'-]*\s+(?:[\w'-]+\s+){0,5}Scales?\b(?:\s*\([^)]*\))?$")


def _regions(protocol: Protocol, anchor: _Anchor, outcome_class: object, regions: dict,
             vocabularies: OutcomeVocabularies, sentences: list[tuple[str, int]],
             network_of: dict[str, str]) -> tuple[Suggestion, Suggestion]:
    if not regions or vocabularies.region not in protocol.vocabularies:
        return Suggestion([]), Suggestion([])
    vocab = protocol.vocabularies[vocabularies.region or ""]
    names: dict[str, Hit] = {}
    networks: dict[str, Hit] = {}
    for term_id, spans in regions.items():
        for passage, span in spans:
            # Regions belong to an imaging outcome; to another only when named in its sentences.
            if outcome_class != "neuroimaging" and (passage.field, passage.sentence_of(span.start).start) not in sentences:
                continue
            hit = Hit(passage, span.start, span.end)
            names.setdefault(vocab.term(term_id).label, hit)
            for cls in vocab.term(term_id).classes:
                if cls in network_of:
                    networks.setdefault(network_of[cls], hit)
    return (Suggestion(list(names), [h.evidence for h in names.values()]),
            Suggestion(list(networks), [h.evidence for h in networks.values()]))


_CONCLUSION = re.compile(r"\s*(?:conclusions?|interpretation|summary)\s*:", re.IGNORECASE)


# A result stated for all the measures at once ("no differences on either of the behaviour and
# cognition measures").
_ALL_MEASURES = re.compile(r"\b(?:any|all|either|each|both|the|in|on)\s+(?:\w+\s+){0,5}(?:measures|outcomes|variables|"
                           r"end-?points|parameters|assessments|scales|tests|measurements|tasks|aspects|facets|"
                           r"domains|indices)\b|\bany\s+other\s+(?:aspect|measure|outcome|variable)\b", re.IGNORECASE)


def _overall_results(passages: list[Passage]) -> list[Hit]:
    return [Hit(p, s.start, s.end, _FOR_ALL_MEASURES) for p in passages if p.field != "title" for s in p.sentences
            if s.start >= study_start(p) and _ALL_MEASURES.search(s.text) and not _MEASURES_LISTED.search(s.text)
            and _RESULT.search(s.text)]


# The label of a result stated for all measures at once: it speaks for each of them with or
# without a verdict word ("decreased anxiety measured by both scales").
_FOR_ALL_MEASURES = "all measures"


_AGAINST_CONTROL = re.compile(r"\b(?:than|versus|vs\.?|compared\s+(?:with|to)|relative\s+to|"
                              r"(?:superior|inferior|similar|equivalent|comparable)\s+to)\s+(?:the\s+)?"
                              r"(?:placebo|control|sham)\b|\brelative\s+to\s+placebo\b", re.IGNORECASE)


def _control_comparisons(passages: list[Passage]) -> list[Hit]:
    return [Hit(p, s.start, s.end) for p, s in _own_study_sentences(passages)
            if _AGAINST_CONTROL.search(s.text) and not _AIM.match(s.text)]


def _conclusion(passages: list[Passage]) -> list[Hit]:
    """The abstract's conclusion: its labelled section, else its last sentence."""
    for passage in passages:
        if passage.field not in ("abstract", "jats:abstract") or not passage.sentences:
            continue
        labelled = [s for s in passage.sentences if _CONCLUSION.match(s.text)]
        chosen = labelled or passage.sentences[-1:]
        return [Hit(passage, s.start, s.end) for s in chosen]
    return []


def _first(sentence_hits: list[Hit], pattern: re.Pattern[str]) -> Suggestion:
    for hit in sentence_hits:
        match = pattern.search(hit.passage.text, hit.start, hit.end)
        if match:
            return suggestion(" ".join(match.group().split()), [Hit(hit.passage, match.start(), match.end())])
    return Suggestion(None)


_RANK_WORD = re.compile(r"\b(?:(?P<secondary>secondary)|primary|main|principal)\b", re.IGNORECASE)


def _rank(anchor: _Anchor, sentence_hits: list[Hit]) -> Suggestion:
    """The rank word nearest before a mention of the outcome in its sentence ("the primary outcome
    was X; secondary outcomes included Y"), else the first in the sentence."""
    for hit in sentence_hits:
        mentions = [a.start for a in anchor.hits if a.passage is hit.passage and hit.start <= a.start < hit.end]
        words = list(_RANK_WORD.finditer(hit.passage.text, hit.start, hit.end))
        if not words:
            continue
        before = [w for w in words if mentions and w.start() < mentions[0]]
        word = before[-1] if before else words[0]
        return suggestion("secondary" if word.group("secondary") else "primary",
                          [Hit(hit.passage, word.start(), word.end())])
    return Suggestion(NOT_STATED)


def _direction(sentence_hits: list[Hit], fallback: list[Hit] | None = None, placebo_arm: bool = False,
               anchor_hits: list[Hit] | None = None, others: list[Hit] | None = None,
               drugs: frozenset[str] = frozenset()) -> Suggestion:
    """The direction most result sentences about the outcome give, each read in the clause that
    names the outcome when that clause gives one; else what `fallback` (results stated for all
    measures, the conclusion) says. `others`: the other outcomes' mentions, whose words do not
    say whether less of this outcome is better; `drugs`: the drug names of the text."""
    votes: dict[str, list[Hit]] = {}
    for hit in sentence_hits:
        text = hit.passage.text[hit.start:hit.end]
        if (not _RESULT.search(text) or BACKGROUND_LABEL.match(text) or re.match(r"\s*methods?\s*:", text, re.IGNORECASE)
                or _AIM.match(text) or (_AT_BASELINE.search(text) and _NO_DIFFERENCE.search(text))
                or (_MEASURES_LISTED.search(text) and not _SIGNIFICANCE.search(text)) or _DEFINITION.search(text)
                or _between_populations(text, drugs)):
            continue  # what was measured, or how patients differ from healthy people: not what the drug did
        if (placebo_arm and _WHOLE_SAMPLE.search(text) and not _SIGNIFICANCE_BETWEEN.search(text)
                and not _NO_DIFFERENCE.search(text)):
            continue  # a change in everyone, drug and placebo arms alike, says nothing of the drug
        burden = _burden_near(hit, anchor_hits or [], others or [])
        text = _names_unjudged(hit, anchor_hits or [])
        value = None
        for clause in _clauses_naming(hit, anchor_hits or [], text):
            value = value or _sentence_direction(clause, placebo_arm, burden)
            if value in _OPPOSITE and _CONTROL_ARM_ALONE.search(text) and not _CONTROL_ARM_ALONE.search(clause):
                value = _OPPOSITE[value]  # "In the placebo group, X rose, while Y fell"
        value = value or _sentence_direction(text, placebo_arm, burden)
        if value:
            votes.setdefault(value, []).append(hit)
    if not votes:
        fallback = [h for h in fallback or [] if not _SAFETY.search(h.passage.text, h.start, h.end)
                    and (h.label == _FOR_ALL_MEASURES or _VERDICT.search(h.passage.text, h.start, h.end))]
        if fallback:
            found = _direction(fallback, None, placebo_arm)
            if found.value is not None:
                found.flags.append("from the study's results as a whole or its conclusion, "
                                   "not a sentence naming this outcome")
            return found
        return Suggestion(None)
    # Sentences that compare (a test, "than", "versus") outvote those that only describe a change.
    compared = {value: [h for h in hits if _SIGNIFICANCE.search(h.passage.text, h.start, h.end)]
                for value, hits in votes.items()}
    if any(compared.values()):
        votes = {value: hits for value, hits in compared.items() if hits}
    ranked = sorted(votes.items(), key=lambda item: -len(item[1]))
    if len(ranked) > 1 and len(ranked[0][1]) == len(ranked[1][1]):
        return suggestion("mixed", [h for _, hits in ranked for h in hits])
    return suggestion(ranked[0][0], ranked[0][1])


# Outcomes where more is better for the participant even when a burden word is near ("pain relief").
_GAIN = re.compile(r"\b(?:relief|relieved|pain[- ]free|free\s+of|response|responders?|remission|density|clearance|"
                   r"quality\s+of\s+life|satisfaction|efficacy|success|improvement)\b", re.IGNORECASE)
_FAVOURS = re.compile(r"\b(?:superior\s+to|more\s+effective|significantly\s+(?:better|more|greater)|"
                      r"better\s+than|effective\s+in|was\s+effective|were\s+effective|efficacious)\b",
                      re.IGNORECASE)
# What sets one arm above another ("both were effective" does not).
_FAVOURS_ONE = re.compile(r"\b(?:superior\s+to|more\s+effective|significantly\s+(?:better|more|greater)|"
                          r"better\s+than)\b", re.IGNORECASE)


_CONTRAST = re.compile(r"\bbut\b|\bwhereas\b|\bhowever\b|\balthough\b|\bwhile\b", re.IGNORECASE)
# (not "but not in the group given placebo": the drug's result set against the control's)
_BUT_NOT = re.compile(r"\bbut\s+not\b(?!\s+(?:in|with|after|on|for|under)\s+(?:the\s+)?(?:(?:group|arm|patients|subjects)\s+"
                      r"(?:given|receiving|treated\s+with|on)\s+)?(?:placebo|control|sham|vehicle)\b)|\bwhereas\s+(?:\w+\s+){0,4}(?:did|was|were)\s+not\b", re.IGNORECASE)
# A change in every arm ("both regimens reduced symptoms") says nothing of one arm against the other.
_BOTH_ARMS = re.compile(r"(?<!between\s)\b(?:both|all|either|each\s+of\s+the|the\s+(?:two|2))\s+(?:\w+\s+){0,2}(?:groups?|treatments?|regimens?|"
                        r"formulations?|doses|drugs|arms|patches|preparations|products)\b|\bin\s+both\b", re.IGNORECASE)
_BETWEEN_ARMS = re.compile(r"\b(?:than|versus|vs\.?|compared\s+(?:with|to)|in\s+comparison\s+with|relative\s+to|over)\s+"
                           r"(?:the\s+)?(?:placebo|control|untreated)\b", re.IGNORECASE)


# The whole sample of a controlled study: "from baseline to the end of treatment for the entire group".
# (Not "in both groups of volunteers": groups of people, not arms.)
_WHOLE_SAMPLE = re.compile(r"\b(?:for|in|across|among)\s+(?:the\s+)?(?:entire|whole|total|overall|combined)\s+"
                           r"(?:group|sample|cohort|population)\b|\b(?:for|in|across)\s+(?:both|all)\s+(?:treatment\s+)?"
                           r"arms\b", re.IGNORECASE)
# A sentence listing what was measured ("other efficacy variables included reduction in hot flushes").
_MEASURES_LISTED = re.compile(r"\b(?:variables?|outcomes?|end-?\s?points?|measures?|parameters?)\s+(?:\w+\s+)?"
                              r"(?:included|were|was|comprised)\b|\b(?:were|was)\s+(?:assessed|measured|recorded|"
                              r"evaluated|rated|monitored)\s+(?:at|by|with|using|before|after|on|every|daily|weekly)\b",
                              re.IGNORECASE)
# "Response was defined as a reduction in pain": how an outcome was defined, not what it showed.
_DEFINITION = re.compile(r"\b(?:was|were|is|are)\s+defined\s+(?:as|by)\b", re.IGNORECASE)
# ("in the absence of changes in mood": a finding of no change, stated without a test)
_SIGNIFICANCE = re.compile(r"\bsignifican\w*|\bp\s*[<=>≤]|\bdiffer\w*|\bcompared\b|\bversus\b|\bthan\b|" + _IN_THE_ABSENCE,
                           re.IGNORECASE)
# A conclusion speaks for an outcome it does not name only with a verdict on efficacy.
_VERDICT = re.compile(r"\b(?:improv\w*|effective|efficacious|superior|inferior|better|worse\w*|benefi(?:t|cial)|"
                      r"no\s+(?:significant\s+)?(?:effect|difference|benefit)\w*|did\s+not\s+(?:improve|differ|affect)|"
                      r"not\s+(?:a\s+)?(?:statistically\s+)?significant\s+(?:effect|difference)\w*|"
                      r"comparable|similar)\b(?<!risk-benefit)", re.IGNORECASE)
# A conclusion about tolerability says nothing about an efficacy outcome.
_SAFETY = re.compile(r"\btolera\w+|\bsafety\b|\bsafe\b|\badverse\b|\bside[- ]effects?\b", re.IGNORECASE)
# A result stated for the control arm alone ("in the placebo group, bone density fell"): the
# study drug fared the other way.
_CONTROL_ARM_ALONE = re.compile(r"\b(?:in|of|for)\s+the\s+(?:control|placebo|untreated)\s+(?:group|arm)s?\b|"
                                r"\b(?:control|placebo)\s+(?:group|arm|patients|subjects|participants)\s+"
                                r"(?:showed|had|experienced|presented)\b", re.IGNORECASE)
_OPPOSITE = {"improved": "worsened", "worsened": "improved"}
# Active arms alike ("equally effective") with a placebo arm beside them: no word against placebo.
_ALIKE = re.compile(r"\bequally\b|\bequivalent\b|\bsimilar(?:ly)?\b|\bcomparable\b|\bas\s+effective\s+as\b",
                    re.IGNORECASE)

# Where one sentence reports two results: "X did not change, while Y fell"; but
# "... at 24 hours but not at day 7" is one outcome's mixed result, not a second clause.
# ("X fell, in the absence of changes in mood": the aside speaks for mood only)
_CLAUSE_BREAK = re.compile(r";|,?\s+(?:while|whereas|but(?!\s+not\b)|although|though)\s+|"
                           r",?\s+(?:and\s+)?(?=in\s+the\s+absence\s+of\s)|"
                           r",\s+and\s+(?=\w+\s+(?:was|were|did|had)\b|\w+ed\b)",
                           re.IGNORECASE)


_CONCESSION = re.compile(r"\s*(?:although|though|while|whereas)\b[^,;]{10,300}?(?=,\s)", re.IGNORECASE)


# The head word of a named instrument ("... Improvement Scale", "Clinical Global Impression-Improvement").
_INSTRUMENT_HEAD = re.compile(r"\b(?:Scales?|Index|Questionnaire|Inventory|Checklist|Test|Battery|Schedule|Survey|"
                              r"Impressions?)\b")


def _names_unjudged(sentence: Hit, anchor_hits: list[Hit]) -> str:
    """The sentence with the judging words inside the outcome's own named-instrument mentions
    blanked out: the "Improvement" of "Clinical Global Impression Improvement Scale" says nothing of
    the result (while the "relief" of "headache relief" is what the outcome is)."""
    text = list(sentence.passage.text[sentence.start:sentence.end])
    for mention in anchor_hits:
        name = sentence.passage.text[mention.start:mention.end]
        if (mention.passage is sentence.passage and sentence.start <= mention.start and mention.end <= sentence.end
                and _INSTRUMENT_HEAD.search(name)):
            for pattern in (_BETTER, _WORSE):
                for word in pattern.finditer(name):
                    offset = mention.start - sentence.start
                    text[offset + word.start():offset + word.end()] = " " * (word.end() - word.start())
    return "".join(text)


def _clauses_naming(sentence: Hit, anchor_hits: list[Hit], text: str | None = None) -> list[str]:
    """The clauses of a sentence (when it has several) that hold a mention of the outcome;
    `text`: the sentence's text as read (the same length)."""
    text = sentence.passage.text[sentence.start:sentence.end] if text is None else text
    breaks = [0, *(m.start() for m in _CLAUSE_BREAK.finditer(text)), len(text)]
    concession = _CONCESSION.match(text)
    if concession:  # "Although X was faster with the drug, the groups did not differ in Y"
        breaks = sorted({*breaks, concession.end()})
    if len(breaks) == 2:
        return []
    found = []
    for start, end in zip(breaks, breaks[1:]):
        if any(h.passage is sentence.passage and sentence.start + start <= h.start < sentence.start + end
               for h in anchor_hits):
            # (without the word that opens it: the "but" of ", but only marginally" sets it
            # against the clause before, not against itself)
            opening = _CLAUSE_BREAK.match(text, start)
            found.append(text[opening.end() if opening and start else start:end])
    return found


def _sentence_direction(text: str, placebo_arm: bool = False, burden: bool | None = None) -> str | None:
    """The direction one sentence gives; `placebo_arm`: the study has one, so a change in
    "both" active arms, or active arms alike, is read against it; `burden`: whether less of the
    outcome is better, when the words around its mention say (else the sentence's words)."""
    value = _stated_direction(text, placebo_arm, burden)
    if value in _OPPOSITE and _CONTROL_ARM_ALONE.search(text) and not _SIGNIFICANCE_BETWEEN.search(text):
        return _OPPOSITE[value]
    return value


# "No significant differences between celecoxib and diclofenac" beside a result against placebo.
_ALIKE_ACTIVE = re.compile(r"\b(?:no\s+(?:statistically\s+)?(?:significant\s+)?differences?\s+between|comparable|"
                           r"similar)\b(?![^.;]{0,40}\bplacebo\b)", re.IGNORECASE)
# Groups alike at baseline is no result of the treatment.
_AT_BASELINE = re.compile(r"\b(?:at\s+baseline|before\s+(?:the\s+)?(?:study|treatment|randomi[sz]ation)|baseline\s+"
                          r"(?:characteristics|demographic\w*|values))\b", re.IGNORECASE)
# "Prevented the decrease of bone density": a loss averted is a gain.
_PREVENTED_LOSS = re.compile(r"\bprevent\w*\s+(?:\w+\s+){0,3}(?:decrease|loss|decline|reduction|fall)\b", re.IGNORECASE)
# An aim ("To determine the effects of lower doses on BMD", labelled or not) states no result.
_AIM = re.compile(r"\s*(?:(?:objectives?|aims?|purpose|goals?)\s*[:.]?\s+)?"
                  r"(?:to\s+(?:determine|evaluate|assess|investigate|compare|examine|test|study|establish|describe|explore)|"
                  r"the\s+(?:aim|objective|purpose)\s+of|we\s+(?:aimed|sought|hypothesi[sz]ed))\b",
                  re.IGNORECASE)
_SIGNIFICANCE_BETWEEN = re.compile(r"\bcompared\b|\bversus\b|\bvs\b|\bthan\b|\brelative\s+to\b|"
                                   r"\b(?:superior|inferior)\s+to\b", re.IGNORECASE)


def _stated_direction(text: str, placebo_arm: bool, burden: bool | None = None) -> str | None:
    none = bool(_NO_DIFFERENCE.search(text))
    alike_only = none and not _NO_DIFFERENCE.search(_ALIKE.sub(" ", text))
    better, worse = bool(_BETTER.search(text)), _judged_worse(text)
    said_better, said_worse = better, worse
    up, down = bool(_UP.search(text)), bool(_DOWN.search(text))
    if burden is None:
        burden = _is_burden(text)
    if up or down:
        better = better or (down if burden else up)
        worse = worse or (up if burden else down)
    if _FAVOURS.search(text) or _PREVENTED_LOSS.search(text):
        better, worse = True, False
    if alike_only and placebo_arm and (better or worse) and not re.search(r"\bplacebo\b", text, re.IGNORECASE):
        none = False  # the active arms alike, both against placebo
    if not (better or worse):
        return "no difference" if none else _changes_compared(text, burden)
    if none and _BETWEEN_ARMS.search(text) and _ALIKE_ACTIVE.search(text):
        none = False  # better than placebo, the active arms alike: the placebo comparison comes first
    if none or _BUT_NOT.search(text):
        return "mixed" if _CONTRAST.search(text) else "no difference"
    if not placebo_arm and _BOTH_ARMS.search(text) and not _FAVOURS_ONE.search(text) and not _BETWEEN_ARMS.search(text):
        return "no difference"  # each arm changed alike: nothing sets the study drug apart
    if not none and _SUBGROUP_ONLY.search(text):
        return "mixed"  # a result for one sex or one dose only ("in men", "the larger dose increased")
    if better and worse:
        if said_better != said_worse:
            # "greater improvement in caregiver burden": the words that judge outweigh a burden's
            # change words
            return "improved" if said_better else "worsened"
        return "improved" if not burden or down else "worsened"
    return "improved" if better else "worsened"


# Two changes set side by side, the drug's first: "mean change was -3.3 for drug A versus -2.1 for
# placebo (P = 0.03)". (The statistics in brackets after each number are skipped.)
_NUMBER = r"(?P<{}>[-\u2212\u2013]?\s?\d+(?:\.\d+)?)\s*%?\s*(?:\([^()]*\)\s*)?(?:points?\s+)?"
_CHANGES_COMPARED = re.compile(
    r"\bchanges?\b[^.;]{0,80}?" + _NUMBER.format("drug") + r"(?:for|with|in|on)\s+(?!(?:the\s+)?placebo\b)[^,;]{1,40}?"
    r"\s*,?\s*(?:versus|vs\.?|compared\s+(?:with|to)|and)\s+" + _NUMBER.format("control") +
    r"(?:for|with|in|on)\s+(?:the\s+)?(?:placebo|control|sham)\b", re.IGNORECASE)
_SIGNIFICANT_P = re.compile(r"\b[Pp]\s*(?:<|=|\u2264)\s*0?\.0(?:[0-4]\d*|5\b)|\bsignificant", re.IGNORECASE)


def _changes_compared(text: str, burden: bool | None) -> str | None:
    """The direction of a significant difference between the drug's change and the control's: with
    both arms changed the same way (as on a scale where patients get better over a trial, drug or
    not) the drug's larger change is the better one; otherwise less is better on a burden."""
    found = _CHANGES_COMPARED.search(text)
    if found is None or not _SIGNIFICANT_P.search(text):
        return None
    drug, control = (float(re.sub(r"[\u2212\u2013]", "-", found.group(name)).replace(" ", ""))
                     for name in ("drug", "control"))
    if drug == control:
        return None
    if drug * control > 0:
        return "improved" if abs(drug) > abs(control) else "worsened"
    return "improved" if (drug < control) == bool(burden) else "worsened"


def _judged_worse(text: str) -> bool:
    """A word that judges the drug's result worse, not one naming a harm it lessened ("reduced PTSD
    symptoms and functional impairment": the impairment is what fell)."""
    return any(not _DOWN.search(text, max(0, m.start() - 60), m.start()) for m in _WORSE.finditer(text))


_SUBGROUP_ONLY = re.compile(r"\b(?:only|but\s+not)\s+(?:in|at|with|for|among)\s+(?:the\s+)?(?:men|women|males|females|boys|girls|"
                            r"(?:higher|larger|lower|smaller|highest|lowest)\s+doses?)\b|\b(?:in|among)\s+(?:men|women|males|"
                            r"females|boys|girls)\s+only\b|\bthe\s+(?:higher|larger|highest)\s+dose\b(?!s)", re.IGNORECASE)


def _is_burden(text: str) -> bool:
    return bool(_BURDEN.search(text)) and not _GAIN.search(text)


_CHANGE = re.compile(_UP.pattern + "|" + _DOWN.pattern + "|" + _BETTER.pattern + "|" + _WORSE.pattern, re.IGNORECASE)


def _burden_near(sentence: Hit, anchor_hits: list[Hit], others: list[Hit]) -> bool | None:
    """Whether less of the outcome is better, read between the change words on either side of its
    mention ("increased feelings of closeness, and the low dose increased loneliness": closeness
    is no burden); when those words do not say, the sentence's words outside the stretches that
    name other outcomes. None when the outcome is not named in the sentence."""
    text = sentence.passage.text[sentence.start:sentence.end]
    own = [(h.start - sentence.start, h.end - sentence.start) for h in anchor_hits
           if h.passage is sentence.passage and sentence.start <= h.start < sentence.end]
    if not own:
        return None
    # (A change word inside the outcome's own name, "pain relief", is part of what it measures.)
    changes = [m for m in _CHANGE.finditer(text) if not any(a < m.end() and m.start() < b for a, b in own)]
    cuts = [0, *(at for m in changes for at in (m.start(), m.end())), len(text)]
    stretches = [(a, b) for a, b in zip(cuts[::2], cuts[1::2])]
    mine = [(a, b) for a, b in stretches if any(a <= at < b for at, _ in own)]
    for a, b in mine:  # the first mention whose stretch says
        if _GAIN.search(text, a, b) or _BURDEN.search(text, a, b):
            return _is_burden(text[a:b])
    theirs = [(a, b) for a, b in stretches if (a, b) not in mine and any(
        h.passage is sentence.passage and a <= h.start - sentence.start < b for h in others)]
    rest = "".join(" " if any(a <= i < b for a, b in theirs) else c for i, c in enumerate(text))
    return _is_burden(rest)


# A comparison of the patients with healthy people (or controls) that names no treatment says how
# the disorder differs, not what the drug did ("patients looked less at the eyes than controls").
_POPULATIONS = re.compile(r"\bhealthy\s+(?:controls?|volunteers|participants|subjects|individuals|comparison)|\bHCs?\b|"
                          r"\b(?:than|with|to)\s+(?:the\s+)?(?:healthy\s+)?controls\b")
_TREATMENT_WORD = re.compile(r"\b(?:placebo|drugs?|doses?|dosing|treat\w*|therap\w*|infusions?|administ\w*|"
                             r"intervention|medication|active|after|following|session|condition)\b", re.IGNORECASE)


def _between_populations(text: str, drugs: frozenset[str]) -> bool:
    if not _POPULATIONS.search(text) or _TREATMENT_WORD.search(text):
        return False
    lowered = text.lower()
    return not any(name in lowered for name in drugs)


def _numbers(sentence_hits: list[Hit]) -> Suggestion:
    values: list[dict[str, object]] = []
    hits: list[Hit] = []
    for hit in sentence_hits:
        for kind, pattern in _NUMBERS:
            for match in pattern.finditer(hit.passage.text, hit.start, hit.end):
                values.append({"statistic": kind, "text": match.group(), "values": _value_of(match.group())})
                hits.append(Hit(hit.passage, match.start(), match.end()))
    return suggestion(values, hits, limit=len(hits))
