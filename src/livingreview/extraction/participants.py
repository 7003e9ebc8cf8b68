"""Participant rules: their age group and the condition that defines who took part.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from livingreview.extraction.counts import PEOPLE
from livingreview.extraction.lexicon import text_spans
from livingreview.extraction.model import NOT_STATED, Suggestion
from livingreview.extraction.passages import Hit, Passage, before_own_study, find, in_background, rx, suggestion
from livingreview.protocol.models import Protocol
from livingreview.extraction.text import COUNT
from livingreview.screening.criteria import is_negated


# (also a registry's "Ages Eligible for Study: 18 Years to 45 Years")
# (the bounds may carry their signs: "aged \u22656 to <18 years")
_AGE_RANGE = rx(r"\b(?:aged?|ages?(?:\s+eligible(?:\s+for\s+study)?)?|age\s+range(?:d)?|between\s+the\s+ages\s+of)\s*"
                 r"(?:of\s+|from\s+|between\s*|:\s*|,\s*)?(?:\u2265|>=)?\s*"
                 r"(?P<low>\d{1,2})\s*(?:years?\s+)?(?:-|\u2013|\u2014|to|and)\s*(?P<below><|\u2264|<=)?\s*(?P<high>\d{1,3})\s*"
                 r"(?P<unit>years?|yrs?|y\b|months?)?")
_YEARS = r"(?:years?|yrs?|y)\b"
# An age range written without "aged": "25 to 44 years of age", "patients (15-65 years)",
# "volunteers (12 women, 19-30 years)".
_AGE_RANGE_AFTER = rx(r"(?:\b(?P<low>\d{1,2})\s*(?:-|\u2013|to)\s*(?P<high>\d{1,3})\s*" + _YEARS +
                       r"\s*(?:of\s+age|old|of\s+age\s+or\s+older)|\b" + PEOPLE +
                       r"\s*\((?:\d{1,4}\s+[a-z]+\s*[,;]\s*)?(?:aged?\s*)?(?P<low2>\d{1,2})\s*(?:-|\u2013|to)\s*(?P<high2>\d{1,3})\s*" + _YEARS +
                       # the range beside a mean age: "mean age 33 years (range 18 to 55 years)"
                       r"|\brange[ds]?\s*:?\s*(?:from\s+|of\s+)?(?P<low3>\d{1,2})\s*(?:-|\u2013|to)\s*(?P<high3>\d{1,3})\s*" + _YEARS +
                       # ... or after the mean age's unit: "mean age 10.2 years, range 7-14"
                       r"|\bage\b(?:[^.;()]|\.\d){0,30}?\b" + _YEARS + r"\s*[,;(]\s*range[ds]?\s*:?\s*(?P<low4>\d{1,2})\s*"
                       r"(?:-|\u2013|to)\s*(?P<high4>\d{1,3})\b)")
# Only a lower bound: "aged 18 years or older", "aged >or=50 years", "over 65 years of age".
_AGE_FLOOR = rx(r"(?:\baged?\s*(?:>\s*or\s*=|>=|\u2265|>|over|above|at\s+least|of\s+at\s+least)?\s*"
                 r"(?P<low>\d{1,2})\s*(?:" + _YEARS + r")?\s*(?:(?:of\s+age\s+)?(?:or|and)\s+(?:older|over|above)|\+(?!\s*/?\s*-))|"
                 r"\baged?\s*(?:>\s*or\s*=|>=|\u2265|>|over|above|at\s+least)\s*(?P<low2>\d{1,2})\b|"
                 r"\b(?P<low3>\d{1,2})\s*" + _YEARS + r"\s*(?:of\s+age\s+)?(?:or|and)\s+(?:older|over|above)|"
                 r"(?:>\s*or\s*=|>=|\u2265)\s*(?P<low4>\d{1,2})\s*" + _YEARS + r"|"
                 # ("patients 75 and older", the unit left out)
                 r"\b(?:patients|adults|people|persons|subjects|individuals|participants|women|men)\s+"
                 r"(?P<low5>\d{2})\s+(?:and|or)\s+(?:older|over|above)\b|"
                 # ("Patients at least 55 years of age")
                 r"\bat\s+least\s+(?P<low6>\d{1,2})\s*" + _YEARS + r"\s*(?:of\s+age|old)\b)")
# One person's age, as a case report gives it: "a 64-year-old woman".
_SINGLE_AGE = rx(r"(?<!than )(?<!under )(?<!below )(?<!over )(?<!above )\b(?P<age>\d{1,3})[- ](?:year|yr)s?[- ]old\b")
# Faces, cries or cues of infants or adults shown to participants are stimuli, not who took part
# ("the processing of adult and infant cues", "infant face processing in non-parent women").
_AS_STIMULI = (r"(?![\s-]+(?:and\s+(?:adult|infant|child)\s+)?(?:faces?|facial|cues?|cr(?:y|ies|ying)|pictures?|images?|"
               r"photo\w*|stimuli|vocali[sz]ations?|laughter|videos?|sounds?|expressions?)\b)")
# (the parents' own children are theirs, not who took part: "17 fathers with their toddler")
# (an adult's "childhood trauma" is a history, not an age)
# (nor is a mother's "second or third child")
_CHILD = rx(r"(?<!\btheir\s)(?<!first\s)(?<!second\s)(?<!third\s)(?<!fourth\s)(?<!only\s)(?<!her\s)\b(?:child(?:ren|hood(?!\s+(?:trauma|abuse|adversity|adversities|maltreatment|neglect|"
             r"experiences?|onset|emotional|physical|sexual)\b))?|paediatric|pediatric|adolescen(?:ts?|ce)|teen(?:s|agers?)|youths?|"
             r"juvenile|infants?|toddlers?|boys|girls|school[- ]?(?:age|aged|children)|kids|minors|"
             # ("neonatal outcomes" of a pregnancy trial are the babies', not who took part)
             r"preschool(?:ers)?|neonates)\b" + _AS_STIMULI)
_ADULT = rx(r"\badult(?![\s-]+(?:height|stature|size|doses?|life|levels?|values?|range|form|type|"
             r"respiratory|teeth|dentition|formulation))\b" + _AS_STIMULI + r"|\badults\b|\b(?:men|women)\b(?!'s)|\belderly\b|"
             r"\bolder\s+(?:adults|people|patients|persons)\b|"
             r"\bpost-?menopausal\b|\bmenopaus(?:al|e)\b|\bgeriatric\b|\b(?:university|college|graduate)\s+students\b|\bundergraduates?\b")


def age_group(passages: list[Passage]) -> Suggestion:
    for hit in find(passages, _AGE_RANGE, negatable=False):
        match = _AGE_RANGE.match(hit.passage.text, hit.start)
        assert match is not None
        low, high = int(match.group("low")), int(match.group("high")) - (match.group("below") == "<")
        if high <= low:
            continue
        if (match.group("unit") or "").startswith("month"):
            low, high = low // 12, high // 12
        if high < 18:
            return suggestion("child-adolescent", [hit])
        if low >= 18:
            return suggestion("adult", [hit])
        return suggestion("mixed", [hit])
    for hit in find(passages, _AGE_RANGE_AFTER, negatable=False):
        match = _AGE_RANGE_AFTER.match(hit.passage.text, hit.start)
        assert match is not None
        low = int(match.group("low") or match.group("low2") or match.group("low3") or match.group("low4"))
        high = int(match.group("high") or match.group("high2") or match.group("high3") or match.group("high4"))
        if high > low:
            return suggestion("adult" if low >= 18 else "child-adolescent" if high < 18 else "mixed", [hit])
    for hit in find(passages, _AGE_FLOOR, negatable=False):
        match = _AGE_FLOOR.match(hit.passage.text, hit.start)
        assert match is not None
        low = int(match.group("low") or match.group("low2") or match.group("low3") or match.group("low4")
                  or match.group("low5") or match.group("low6"))
        return suggestion("adult" if low >= 18 else "mixed", [hit])
    if _clinicians_studied(passages):
        return Suggestion(NOT_STATED)  # "women" and "children" are then the clinicians' patients
    child = [h for h in find(passages, _CHILD) if not before_own_study(h)]
    adult = [h for h in find(passages, _ADULT) if not before_own_study(h) and not _share(h)]
    if child and adult:
        return suggestion("mixed", child[:1] + adult[:1])
    if child:
        return suggestion("child-adolescent", child)
    if adult:
        return suggestion("adult", adult)
    single = [h for h in find(passages, _SINGLE_AGE, negatable=False) if not in_background(h)]
    if single:
        age = int(_SINGLE_AGE.match(single[0].passage.text, single[0].start).group("age"))  # type: ignore[union-attr]
        return suggestion("adult" if age >= 18 else "child-adolescent", single[:1])
    return Suggestion(NOT_STATED)


def _share(hit: Hit) -> bool:
    """"64% women", "40 per cent men": the make-up of a sample, not who could take part."""
    before = hit.passage.text[max(0, hit.start - 16):hit.start]
    return bool(re.search(r"\d\s*(?:%|per\s?cent|percent)\s*(?:were\s+|of\s+(?:them\s+|whom\s+)?(?:were\s+)?)?$", before))


# Population: the fixed values; protocol population terms add their own phrases.
_POPULATIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("healthy", rx(r"\bhealthy,?\s+(?:[\w-]+,?\s+){0,4}?(?:volunteers|subjects|participants|adults|individuals|men|"
                    r"women|males|females|controls|people|persons|students|elderly|smokers|non-?smokers|users|drinkers|children|"
                    r"adolescents|nulliparas|primigravidas|pregnant\s+women|infants|newborns|workers|athletes|humans)\b|\bnormal,?\s+(?:[\w-]+\s+){0,2}?(?:volunteers|subjects|women|men|adults|individuals|"
                    r"participants|controls)\b|\bnon-?clinical\b|"
                    # ("healthy control (n=28) groups", "healthy control (HC) subjects")
                    r"\bhealthy\s+control\b(?=\s*\(|\s+(?:group|subjects|participants|volunteers|individuals|cohort|sample)\b)|"
                    # said of them: "all of the subjects were healthy"
                    r"\b(?:volunteers|subjects|participants|adults|individuals|men|women|students)\s+(?:were|was)\s+"
                    r"(?:all\s+)?(?:physically\s+|medically\s+)?healthy\b")),
    ("depression", rx(r"\b(?<!respiratory )(?<!CNS )(?<!ST )(?<!ST-segment )(?<!spreading )(?<!cardiac )"
                       r"(?<!marrow )(?<!segment )(?<!ST-)(?<!mm )(?<!myocardial )depression\b|\bdepressive\s+(?:disorder|episode|symptoms)\b|\bMDD\b|"
                       r"\bdepressed\s+(?:patients|adults|adolescents|outpatients|individuals|subjects)\b|"
                       r"\bTRD\b")),
    ("bipolar", rx(r"\bbipolar\b|\bmania\b|\bmanic\b")),
    ("autism", rx(r"\bautis(?:m|tic)\b|\bASD\b|\bAsperger")),
    ("fragile-x", rx(r"\bfragile\s*-?\s*X\b|\bFXS\b")),
    ("social-anxiety", rx(r"\bsocial\s+anxiety(?:\s+disorder)?\b|\bsocial\s+phobia\b|\bSAD\b(?=[^.]*\bsocial)")),
    ("ptsd", rx(r"\bPTSD\b|\bpost-?\s?traumatic\s+stress\b")),
    # (not the symptoms a drug model gives healthy people: "schizophrenic-like", "schizophrenic and
    # dissociative symptoms")
    ("schizophrenia", rx(r"\bschizophreni(?:a|cs)\b|\bschizophrenic\b(?![- ]like\b|(?:\s+and\s+[\w-]+)?\s+(?:symptoms?|"
                         r"features|experiences|traits|signs)\b)|\bschizoaffective\b|\bfirst[- ]episode\s+psychosis\b")),
    ("borderline-pd", rx(r"\bborderline\s+personality\b|\bBPD\b")),
    ("ocd", rx(r"\bobsessive[- ]compulsive\s+disorder\b|\bOCD\b")),
    ("substance-use", rx(r"\b(?:substance|alcohol|cocaine|crack|opioid|opiate|cannabis|marijuana|methamphetamine|"
                          r"amphetamine|stimulant|psychostimulant|nicotine|tobacco|heroin|drug)[\s-]+(?:use\s+disorders?|"
                          r"dependence|abuse|addiction|dependent)\b|\balcoholi(?:sm|cs)\b|\baddicts?\b|"
                          # in treatment for it, or drinking heavily ("methadone-maintained patients", "heavy drinkers")
                          r"\b(?:methadone|buprenorphine)[- ]maintained\b|\b(?:methadone|buprenorphine|opioid\s+agonist)\s+"
                          r"(?:maintenance|substitution)\s+(?:patients|clients|treatment|therapy|program(?:me)?s?)\b|"
                          r"\bopioid\s+(?:agonist|substitution|replacement)\s+(?:treatment|therapy)\b|"
                          r"\b(?:OAT|OST)\s+(?:patients|clients|programs?|clinics?)\b|\bheroin[- ]assisted\s+treatment\b|"
                          r"\b(?:heavy|problem)\s+drinkers\b|"
                          # (the noun, not "an alcoholic beverage")
                          r"\balcoholic\s+(?:patients|subjects|men|women|individuals|inpatients|outpatients|participants)\b|"
                          # people who use a drug of their own accord ("chronic ketamine users"; see _HEALTHY_USERS)
                          r"\b(?:ketamine|mdma|ecstasy|cannabis|marijuana|cocaine|methamphetamine|heroin|opioid|"
                          r"poly-?drug)\s+(?:users|abusers)\b")),
)
# "patients with X": the condition of a population the fixed values do not name.
_CONDITION = rx(
    r"\b(?:patients|subjects|participants|adults|children|adolescents|women|men|individuals|outpatients|"
    r"inpatients|people|persons|volunteers|sufferers|girls|boys)\s+(?:\w+\s+)?(?:with|suffering\s+from|"
    r"diagnosed\s+with|having|affected\s+by)\s+(?:a\s+|an\s+)?(?:(?:history|diagnosis)\s+of\s+)?"
    r"(?:(?:mild|moderate|severe|chronic|acute|active|recurrent|established|primary|symptomatic|"
    r"persistent|perennial|seasonal|moderate-to-severe|mild-to-moderate|documented|clinically|"
    r"significant|refractory|stable|idiopathic|new-onset|early|advanced)(?:,|\s+or|\s+to|\s+and)?\s+)*"
    r"(?P<condition>[a-z][a-z'-]+(?:\s+[a-z][a-z'-]+){0,2}?)"
    r"(?=\s*(?:[,.;:()]|\b(?:who|and|or|were|was|in|of|to|for|at|received|receiving|treated|undergoing|"
    r"on|from|by|after|during|aged|randomi[sz]ed|that|whose|requiring|than|\d)\b))")
# People named by the operation or procedure they had, when no condition is named: "150 pregnant
# women undergoing elective cesarean sections" are other:cesarean-section.
_PROCEDURE = rx(r"\b(?:patients|women|men|children|adults|adolescents|mothers|parturients|individuals|subjects|"
                r"participants|people|infants|girls|boys)\s+(?:[\w-]+\s+){0,2}?"
                # ("Ninety children aged 3 to 6 years who underwent elective strabismus surgery")
                r"(?:\(?(?:aged?\s+)?(?:\u2265|>=|>|over\s+)?\s*(?:[\d.]+\s*(?:-|\u2013|to)\s*)?[\d.]+\s*"
                r"(?:years?|yrs?|yr|y|months?)(?:\s+old)?\)?,?\s+)?"
                r"(?:undergoing|scheduled\s+for|"
                r"who\s+underwent|who\s+were\s+undergoing|having)\s+(?:an?\s+|the\s+)?"
                r"(?:(?:elective|planned|scheduled|emergency|routine|major|minor|primary|first|unilateral|"
                r"bilateral|total|general|day-case|outpatient|ambulatory)\s+)*"
                r"(?P<procedure>(?:[a-z][\w'-]*\s+){0,2}?(?:surgery|surgeries|sections?|[a-z]+ectom(?:y|ies)|"
                r"[a-z]+otom(?:y|ies)|[a-z]+plast(?:y|ies)|replacements?|repairs?|bypass|resections?|"
                r"transplant(?:ation)?s?|an(?:a)?esthesia|endoscop(?:y|ies)|colonoscop(?:y|ies)|extractions?))\b")


def _procedure(passages: list[Passage]) -> dict[str, list[Hit]]:
    hits = find(passages, _PROCEDURE)
    # (the background's "individuals undergoing surgery" before the study's own "children undergoing
    # elective adenotonsillectomy")
    for hit in [h for h in hits if not before_own_study(h)] or hits:
        match = _PROCEDURE.match(hit.passage.text, hit.start)
        assert match is not None
        words = match.group("procedure").lower().split()
        last = words[-1]  # made singular: "cesarean sections", "tonsillectomies" (not "bypass")
        words[-1] = last[:-3] + "y" if last.endswith("ies") else re.sub(r"(?<=[^s])s$", "", last)
        span = Hit(hit.passage, match.start("procedure"), match.end("procedure"))
        return {"other:" + "-".join(words): [span]}
    return {}


_NOT_CONDITIONS = frozenset("""
the a an at least these this their symptoms disease diseases disorder disorders conditions condition
no normal healthy history documented one two three placebo or and pain
""".split())


# Conditions that define a population, by their head word; the modifiers kept are the ones that
# name a different condition ("cluster headache", "allergic rhinitis"), not a severity or course.
_KEPT_MODIFIER = (r"(?:(?:allergic|cluster|tension-type|rheumatoid|breast|prostate|lung|colorectal|pancreatic|urinary|"
                  r"ovarian|postoperative|post-operative|dental|urge|stress|atopic(?=\s+(?:dermatitis|eczema))|overactive|neuropathic|"
                  r"benign\s+prostatic|"
                  r"low\s+back|inflammatory\s+bowel|chronic\s+idiopathic|irritable\s+bowel|"
                  r"menstrual|duplication|mediastinal|urinary\s+tract|respiratory\s+tract|upper\s+respiratory|"
                  r"spinal\s+cord|traumatic\s+brain|brain|HIV|detrusor|coronary(?:\s+(?:heart|artery))?|bladder\s+outlet|"
                  r"(?:frontotemporal|vascular|lewy\s+body)(?=\s+dementia)|"
                  r"cholinergic|cold|contact)\s+)?")
_DISEASE_HEAD = (r"(?:migraine|headaches?|rhinitis|urticaria|eczema|dermatitis|asthma|arthritis|osteoarthritis|"
                 r"osteoporosis|incontinence|bladder|cancer|carcinoma|pain|insomnia|dysmenorrh(?:o)?ea|"
                 r"hypertension|diabetes|obesity|epilepsy|dementia|alzheimer'?s\s+disease|parkinson'?s\s+disease|"
                 r"huntington'?s\s+disease|"
                 r"stroke|sinusitis|conjunctivitis|psoriasis|endometriosis|cysts?|disease|syndrome|infections?|injury|injuries|"
                 r"instability|overactivity|hyper-?reflexia|obstruction|hypertrophy|hyperplasia|"
                 # (nor a drug's effect measured: "opioid miosis")
                 r"(?!(?:diagn|progn|anal|hypoth|synth|ba|empha|the|metasta|mi)osis)"
                 # (feelings for others end in -pathy too: empathy, sympathy)
                 r"(?!(?:em|sym|anti|tele)pathy)"
                 r"(?!academia)[a-z]+(?:itis|osis|algia|pathy|orrhea|orrhoea|a?emia))")
_CONDITION_PHRASE = rx(r"\b(?P<phrase>" + _KEPT_MODIFIER + _DISEASE_HEAD + r")\b")
_MENOPAUSE = rx(r"\b(?:post-?\s?menopausal|peri-?\s?menopausal|menopaus(?:e|al))\b")
_DISEASE_WORD = rx(_DISEASE_HEAD)
_PEOPLE_SENTENCE = rx(r"\b" + PEOPLE + r"\b|\b(?:patients|subjects|participants|volunteers|women|men|children|adults|adolescents|"
                       r"individuals|outpatients|sufferers|migraineurs|people|persons|cases)\b|\bin\s+(?:the\s+)?"
                       r"(?:treatment|management)\s+of\b")
# Conditions written as a person ("migraineurs"), an abbreviation or a lay name, by their value.
_NAMED_CONDITIONS = rx(r"\b(?:(?P<migraine>migraineurs?)|(?P<asthma>asthmatics?)|(?P<diabetes>diabetics?)|"
                        r"(?P<epilepsy>epileptics?)|(?P<copd>COPD|chronic\s+obstructive\s+(?:pulmonary|lung|airways?)\s+"
                        r"disease)|(?P<adhd>ADHD|attention[- ]deficit(?:/|\s+|-)?hyperactivity\s+disorder|"
                        r"attention[- ]deficit\s+disorder(?:\s+with(?:out)?\s+hyperactivity)?|ADDH)|"
                        r"(?P<allergic_rhinitis>hay\s*fever)|(?P<irritable_bowel_syndrome>IBS)|"
                        r"(?P<urinary_tract_infection>UTIs?|urinary\s+infections?)|(?P<coronary_heart_disease>CHD)|"
                        r"(?P<atopy>atopic(?=\s+(?:patients|subjects|volunteers|individuals|children|adults|people)))|"
                        # psychiatric disorders beside the issue's own terms
                        r"(?P<conduct_disorder>conduct\s+disorders?)|"
                        r"(?P<depersonalization_disorder>depersonali[sz]ation(?:[/ -]derealization)?\s+disorders?)|"
                        r"(?P<avoidant_personality_disorder>avoidant\s+personality\s+disorders?)|"
                        r"(?P<antisocial_personality_disorder>antisocial\s+personality\s+disorders?)|"
                        r"(?P<generalized_anxiety_disorder>generali[sz]ed\s+anxiety\s+disorders?|GAD)|"
                        r"(?P<panic_disorder>panic\s+disorders?)|(?P<anorexia_nervosa>anorexia\s+nervosa)|"
                        # the other disorders of the DSM's chapters that trials recruit for
                        r"(?P<tourette_syndrome>(?:Gilles\s+de\s+la\s+)?Tourette(?:'s)?\s+(?:syndrome|disorder))|"
                        r"(?P<chronic_motor_tic_disorder>chronic\s+motor\s+tic\s+disorders?)|(?P<tic_disorder>tic\s+disorders?)|"
                        r"(?P<separation_anxiety_disorder>separation\s+anxiety\s+disorders?)|"
                        r"(?P<overanxious_disorder>overanxious\s+disorders?)|"
                        r"(?P<oppositional_defiant_disorder>oppositional\s+defiant\s+disorders?)|"
                        r"(?P<selective_mutism>selective\s+mutism)|(?P<specific_phobia>specific\s+phobias?)|"
                        r"(?P<agoraphobia>(?<!with\s)(?<!without\s)(?<!and\s)(?<!or\s)agoraphobia)|(?P<binge_eating_disorder>binge[- ]eating\s+disorders?)|"
                        r"(?P<body_dysmorphic_disorder>body\s+dysmorphic\s+disorders?)|(?P<trichotillomania>trichotillomania)|"
                        r"(?P<intermittent_explosive_disorder>intermittent\s+explosive\s+disorders?)|(?P<narcolepsy>narcolepsy)|"
                        r"(?P<prolonged_grief_disorder>(?:prolonged|complicated)\s+grief(?:\s+disorders?)?)|"
                        r"(?P<adjustment_disorder>adjustment\s+disorders?)|"
                        # ("trans men (assigned female at birth with male gender identity)")
                        r"(?P<gender_dysphoria>gender\s+dysphoria|gender\s+identity\s+disorder|"
                        r"trans(?:gender)?\s+(?:men|women|individuals|people|persons|adolescents|youths?))|"
                        r"(?P<bulimia_nervosa>bulimia\s+nervosa)|"
                        # smokers (the substance use is a disorder: smokers stay other unless called
                        # dependent) and gamblers
                        r"(?P<smokers>(?<!non-)(?<!non)(?<!never\s)(?<!ex-)smokers)|"
                        r"(?P<pathological_gambling>(?:pathological|problem|compulsive)\s+gambl(?:ing|ers?))|"
                        r"(?P<gambling_disorder>gambling\s+disorders?)|"
                        r"(?P<premenstrual_dysphoric_disorder>premenstrual\s+dysphoric\s+disorders?|PMDD)|"
                        r"(?P<mild_cognitive_impairment>mild\s+cognitive\s+impairment|MCI)|"
                        r"(?P<chronic_fatigue_syndrome>chronic\s+fatigue\s+syndrome)|"
                        r"(?P<obesity>obese(?=\s+(?:[\w-]+\s+)?(?:patients|adults|subjects|participants|individuals|women|men|"
                        r"children|adolescents|people|volunteers)\b))|"
                        # neurological and genetic conditions whose name is more than a head word
                        r"(?P<multiple_sclerosis>multiple\s+sclerosis)|(?P<als>(?-i:ALS)|amyotrophic\s+lateral\s+sclerosis)|"
                        r"(?P<pseudobulbar_affect>pseudobulbar\s+affect)|(?P<prader_willi_syndrome>Prader[- ]Willi(?:\s+syndrome)?)|"
                        r"(?P<williams_syndrome>Williams(?:[- ]Beuren)?\s+syndrome)|(?P<angelman_syndrome>Angelman\s+syndrome))\b")
# "Parkinson's disease" is read as other:parkinson, the way the eponym is usually shortened.
_EPONYM_DISEASE = re.compile(r"^other:(parkinson|alzheimer|crohn|huntington|graves|hodgkin|cushing|addison)-disease$")
_VAGUE_CONDITIONS = frozenset({"disease", "syndrome", "pain", "headache", "headaches", "cyst", "cysts", "bladder",
                               "infection", "infections", "injury", "injuries", "instability", "overactivity",
                               "hyperreflexia", "hyper-reflexia", "obstruction", "hypertrophy", "hyperplasia"})


def _conditions(passages: list[Passage]) -> dict[str, list[Hit]]:
    """other:WORD values for the conditions named in the title or in sentences about participants."""
    found: dict[str, list[Hit]] = {}
    for passage in passages:
        about_people = {passage.sentence_of(m.start()).start for m in passage.finditer(_PEOPLE_SENTENCE)}
        for sentence in passage.sentences:
            if passage.field != "title" and sentence.start not in about_people:
                continue
            if in_background(Hit(passage, sentence.start, sentence.end)):
                continue
            for pattern in (_MENOPAUSE, _NAMED_CONDITIONS, _CONDITION_PHRASE):
                for match in passage.finditer_in(pattern, sentence.start, sentence.end):
                    if is_negated(passage.text, match.start(), match.end()):
                        continue
                    words = " ".join(match.group().lower().split())
                    if pattern is _MENOPAUSE:
                        value = "other:menopause"
                    elif pattern is _NAMED_CONDITIONS:
                        value = "other:" + next(name for name, v in match.groupdict().items() if v).replace("_", "-")
                    elif words in _VAGUE_CONDITIONS:
                        continue
                    else:
                        value = "other:" + words.replace(" ", "-").replace("'s", "").replace("-disease", "-disease")
                    found.setdefault(value, []).append(Hit(passage, match.start(), match.end()))
    merged: dict[str, list[Hit]] = {}
    for value, hits in found.items():
        value = re.sub(r"(headache|cyst|infection)s$", r"\1", value).replace("injuries", "injury")
        value = value.replace("hyper-reflexia", "hyperreflexia").replace("other:migraine-headache", "other:migraine")
        value = _EPONYM_DISEASE.sub(r"other:\1", value)
        value = _SAME_CONDITION.get(value, value)
        merged.setdefault(value, []).extend(hits)
    return merged


def _most_specific(found: dict[str, list[Hit]]) -> dict[str, list[Hit]]:
    """A general value beside a specific one ("cancer" beside "breast-cancer"), a phrase inside a
    longer one ("lung disease" in "chronic obstructive lung disease") or a symptom of a syndrome
    named too (urge incontinence in overactive bladder) adds nothing. (Read after the mentions that
    do not define the population are gone: "symptoms of overactive bladder" subsumes nothing.)"""
    spans = [(h.passage.field, h.start, h.end) for hits in found.values() for h in hits]
    return {value: hits for value, hits in found.items()
            if not value.startswith("other:") or (
                not any(other != value and other.endswith("-" + value[6:]) for other in found)
                and not all(any(f == h.passage.field and s <= h.start and h.end <= e and e - s > h.end - h.start
                                for f, s, e in spans) for h in hits)
                and not _SUBSUMED.get(value, frozenset()) & found.keys())}


# One condition written two ways: the usual name.
_SAME_CONDITION = {"other:urinary-infection": "other:urinary-tract-infection"}
_SUBSUMED = {"other:allergic-rhinitis": frozenset({"other:allergic-rhinoconjunctivitis"}),
             # atopy is the general term for the allergic conditions a study may name
             "other:atopy": frozenset({"other:asthma", "other:allergic-rhinitis", "other:pollinosis", "other:hay-fever",
                                       "other:atopic-dermatitis", "other:atopic-eczema",
                                       "other:allergic-rhinoconjunctivitis"}),
             "other:amenorrhea": frozenset({"other:menopause"}),  # menopause is defined by it
             "other:smokers": frozenset({"substance-use"}),  # "nicotine-dependent smokers": the disorder
             # (the protocol files Alzheimer's disease and frontotemporal dementia under dementia)
             "other:dementia": frozenset({"other:alzheimer", "other:frontotemporal-dementia", "other:vascular-dementia",
                                          "other:lewy-body-dementia"}),
             "other:arthritis": frozenset({"other:osteoarthritis"}),
             "other:rhinosinusitis": frozenset({"other:sinusitis"}),
             "other:urge-incontinence": frozenset({"other:overactive-bladder", "other:detrusor-instability",
                                                   "other:detrusor-overactivity"}),
             "other:urinary-incontinence": frozenset({"other:overactive-bladder", "other:urge-incontinence",
                                                      "other:stress-incontinence"})}


# A condition named as what was measured ("depression symptoms", "the Depression Inventory",
# "urge incontinence episodes"), not as who took part.
_MEASURED_AFTER = rx(r"(?:\s+(?:and\s+)?(?:anxiety\s+)?(?:disorder\s+)?)?[\s'-]*(?:symptoms?|scores?|scales?|subscales?|"
                      r"drugs?|medications?|agents?|models?|"
                      r"inventory|questionnaire|index|checklist|severity|episodes|events?|rates?|risk|trajector\w*|"
                      r"incidence|outcomes?|screening|awareness|rating|measures?|prevention)\b")
_LIKE_AFTER = rx(r"[- ]like\b")
_PEOPLE_WITH_BEFORE = rx(r"\b(?:patients|subjects|participants|volunteers|women|men|children|adults|adolescents|"
                         r"individuals|outpatients|people|persons|girls|boys)\s+(?:\([^()]*\)\s+)?(?:who\s+(?:had|have|were|"
                         r"are|suffered|experienced)\s+|with\s+|suffering\s+from\s+)(?:a\s+|an\s+)?(?:[\w-]+,?\s+){0,3}$")
# People excluded, or a conclusion about people who were not studied ("should not be extrapolated
# to patients with coronary artery disease").
_EXCLUDED = rx(r"\bexclu\w+|\bineligible\b|\bnot\s+eligible\b|\bextrapolat\w+|\bgenerali[sz]\w*\s+to\b|"
               r"\bcontraindicated\b|\b(?:could|did|must|may)\s+not\s+(?:meet|fulfil+|have)\b")
# A condition that happened during the study: "Breast pain was reported by 8% of women".
# ... or what was measured: "depression was evaluated with the Hamilton scale".
# ... or how an outcome was defined: "postpartum depression was defined as EPDS score >= 13".
_EVENT_AFTER = rx(r"(?:\s+and\s+(?:[\w-]+\s+){0,2}?[\w-]+(?=\s+occurred\b))?"
                  r"\s+(?:(?:was|were)\s+(?:reported|observed|noted|seen|recorded|experienced|more\s+(?:common|frequent)|"
                  r"evaluated|assessed|measured|rated|scored|quantified|defined\s+as|"
                  r"less\s+(?:common|frequent)|the\s+most)|occurred|developed|resolved)\b")
# Sentences that name conditions of other people: exclusions, outcomes and events counted,
# the state of knowledge.
_NOT_WHO_TOOK_PART = rx(r"\bexclu\w+|\b(?:primary|secondary|main)?\s*(?:outcomes?|end-?\s?points?)\b|"
                         r"\b(?:primary|secondary|main)\s+measures?\b|\bglobal\s+index\b|"
                         r"\bevidence\b|\bprevious(?:ly)?\b|\b(?:studies|research)\s+(?:have|has)\b|"
                         r"\bincidence\s+of\b|\brisk\s+of\b|\bstopping\b|"
                         # harms counted
                         r"\badverse\s+(?:events?|effects?|reactions?|experiences?)\b|\bside[- ]effects?\b|"
                         # results: a condition counted with its statistics is an outcome
                         r"\bhazard\s+ratios?\b|\bHRs?\b|\bodds\s+ratios?\b|\bORs?\s*=|\b95\s*%|\bCIs?\b|\bp\s*[<=]")
# A condition named as what changes, is measured or is prevented: "the development
# of depression", "improvement in migraine", "to prevent asthma".
# (a report of it by the participants is a measure: "self-reported depression increased")
_MEASURED_BEFORE = rx(r"\bself-?\s?(?:reported|rated)\s+$|"
                      # a harm looked for: "no ... increased suicidal ideation or behavior were observed"
                      r"\b(?:increased|decreased|worsened|treatment-emergent|emergent)\s+$|"
                      # a drug model of the disease in others: "experiences associated with schizophrenia",
                      # "the performance of schizophrenia patients" a drug "mimicked"
                      r"\b(?:experiences?|features?|symptoms?|changes?|deficits?|abnormalit\w+)\s+(?:associated\s+with|"
                      r"characteristic\s+of|seen\s+in|typical\s+of)\s+$|\b(?:mimic\w*|models?|modell?ing|redolent\s+of|"
                      r"akin\s+to)\s+(?:(?:the\s+)?[\w-]+\s+(?:of|in)\s+)?$|"
                      r"(?:\b(?:from|against)\s+develop\w*|\bdeveloped|\bprevent\w*(?:\s+of)?|"
                      r"\b(?:development|maintenance|symptoms?|severity|levels?|prevalence|incidence|"
                       r"risk|trajector\w+|predictors?|onset|associations?|relationships?|scores?|rates?|proportion|percentage|"
                       r"measures?|reduction|improvement|change|worsening|resolution|relief|control|frequency|"
                       r"duration)s?\s+"
                       # ("No clinically significant changes were observed in ECG, vital signs or suicidality")
                       r"(?:(?:were|was)\s+(?:observed|seen|found|noted|detected)\s+)?"
                       # (the condition may close a list: "relief of flushes, sweating and insomnia")
                       r"(?:of|in|with))\s+(?:[\w-]+\s+){0,1}(?:[\w-]+(?:\s+[\w-]+)?\s*(?:,|\band\b|\bor\b)\s*){0,4}$")


_EFFECT_ON_BEFORE = rx(r"\b(?:effects?|impact|influence|dose)\s+of\s+(?:[\w-]+\s+){1,8}?on\s+(?:[\w-]+\s+)?$")


# What a drug is for in general ("tolterodine, used for the treatment of overactive bladder"; "an
# antagonist for allergic diseases, such as rhinitis and urticaria"), said in an abstract about other
# participants; every condition of the list it opens is an indication.
_INDICATION_BEFORE = rx(r"\b(?:indicated|approved|used|licensed|prescribed|marketed|developed|effective|agents?|drugs?|"
                         r"medications?|antagonists?|agonists?|inhibitors?|blockers?)\s+(?:\w+\s+){0,3}?(?:for|in|to\s+treat)\s+"
                         r"(?:the\s+)?(?:(?:treatment|management|therapy|relief)\s+of\s+)?(?:[\w-]+\s+){0,1}"
                         # ("approved by the FDA for the treatment of moderate to severe Alzheimer's disease")
                         r"(?:(?:mild|moderate|severe)\s+(?:to|or)\s+(?:mild|moderate|severe)\s+)?"
                         r"(?:[\w\s-]{0,40}(?:,|\band|\bor|\bsuch\s+as|\bincluding)\s+(?:[\w-]+\s+){0,2}?){0,3}$")


# A condition listed among what was measured ("quality of life, anxiety, and depression").
_MEASURE_LIST_BEFORE = rx(r"\b(?:anxiety|stress|qol|quality\s+of\s+life|well-?being|self-?esteem|mood|fatigue|sleep|"
                           r"distress|burnout|coping)\s*(?:\([^()]*\))?\s*,?\s*(?:and|or)?\s*$")
_MEASURE_LIST_AFTER = rx(r"\s*(?:\([^()]*\))?\s*(?:,|and|or)\s+(?:and\s+)?(?:anxiety|stress|qol|quality\s+of\s+life|"
                          r"well-?being|self-?esteem|mood|fatigue|sleep|distress|burnout|coping)\b")


# "bladder outlet obstruction and concomitant detrusor instability": the second condition comes
# with the one that defines who was studied.
_COEXISTING_BEFORE = rx(r"\b(?:concomitant|coexisting|co-existing|accompanying|comorbid|associated)\s+$")


def _in_a_name(hit: Hit) -> bool:
    """A capitalised condition mid-sentence whose run of capitalised words ends in a word for a
    trial, body or instrument is part of a name ("the Women's Health, Osteoporosis, Progestin,
    Estrogen trial", "American Cancer Society"); "Type 2 Diabetes Mellitus" stays a condition."""
    text = hit.passage.text
    if not text[hit.start].isupper() or hit.start == hit.sentence.start or _ABBREVIATION.fullmatch(
            text[hit.start:hit.end]):
        return False
    return bool(_NAME_RUN_AFTER.match(text, hit.end, min(len(text), hit.end + 80))
                or _NAME_RUN_BEFORE.search(text, max(hit.sentence.start, hit.start - 80), hit.start))


_NAME_RUN_AFTER = re.compile(r"(?:,?\s+(?:and\s+|&\s+|of\s+)?[A-Z][\w'-]*)*,?\s+(?:[Tt]rials?|[Ss]tudy|Society|Group|"
                             r"Initiative|Foundation|Association|Institute|Hospital|Questionnaire|Scale|Index|"
                             r"Inventory|Assessment|Program(?:me)?|Project|Survey|Network|Council|Cent(?:er|re)|Unit|"
                             r"Clinic|Research|Test|Checklist|Interview|Schedule)\b")


# ... or one whose run starts with such a word ("Schedule for Affective Disorders and Schizophrenia").
_NAME_RUN_BEFORE = re.compile(r"\b(?:Schedule|Scale|Inventory|Index|Interview|Questionnaire|Checklist|Assessment)\s+"
                              r"(?:for|of)\s+(?:(?:and|of|the|&)\s+|[A-Z][\w'-]*,?\s+){1,6}$")
_ABBREVIATION = re.compile(r"[A-Z0-9-]{2,8}")


# Healthy volunteers are often given a drug to model a disorder or to ask what it might do for
# patients: the disorder then names the question, not the people. It names people studied only in
# the study's own sentences, not as a model, not as what others reported, and not in speculation.
_MODELLED_BEFORE = rx(r"\b(?:models?|modell?ing|mimic\w*|reproduc\w*)\s+(?:of\s+|for\s+)?(?:[\w-]+\s+){0,3}$|"
                      r"\b(?:reported|seen|observed|found|described|common|stronger|weaker|impaired)\s+in\s+"
                      r"(?:[\w-]+\s+){0,3}$")
_RELATED_AFTER = re.compile(r"-(?:related|like|associated|relevant)\b")
_SPECULATION = rx(r"\b(?:may|might|could)\s+(?:\w+\s+){0,2}?(?:play|be\s+(?:useful|used|relevant|helpful|beneficial)|"
                  r"have\s+(?:implications|relevance)|help|benefit)\b|\bimplications?\s+for\b|\brelevance\s+(?:for|to)\b|"
                  r"\bpathogenesis\b|\bpathophysiology\b")


# A disease a drug treats, named beside the healthy volunteers it was tested in ("for the treatment
# of patients with overactive bladder", "relevant for migraine patients taking it").
_TREATMENT_OF_BEFORE = rx(r"\b(?:for|treatment\s+of|management\s+of|therapy\s+(?:of|for)|treating)\s+(?:the\s+)?"
                          r"(?:(?:patients|people|individuals)\s+with\s+)?(?:[\w-]+\s+){0,2}$")
# Patients studied beside healthy volunteers are counted: "11 dialysis patients with pruritus and 10
# healthy controls", "33 individuals with depression".
# ... or with their n after them: "in bipolar disorder (n=24) and healthy control (n=22) groups".
_COUNTED_AFTER = rx(r"(?:\s+(?:patients|subjects|participants|group))?\s*\(\s*n\s*=\s*\d")
_COUNTED_BEFORE = rx(r"(?<![\d.,%])\b" + COUNT + r"\s+(?:[\w(),-]+\s+){0,7}$")


def _studied_beside_healthy(hit: Hit) -> bool:
    text = hit.passage.text
    if _MODELLED_BEFORE.search(text, max(hit.sentence.start, hit.start - 80), hit.start) \
            or _RELATED_AFTER.match(text, hit.end):
        return False
    if hit.passage.field == "title":
        return not _TREATMENT_OF_BEFORE.search(text, max(0, hit.start - 60), hit.start)
    return not (before_own_study(hit) or _SPECULATION.search(hit.sentence.text)) and bool(
        _COUNTED_BEFORE.search(text, hit.sentence.start, hit.start) or _COUNTED_AFTER.match(text, hit.end))


_SYMPTOMS_OF_BEFORE = rx(r"\b(?:signs\s+and\s+)?symptoms?\s+(?:of|in|associated\s+with)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$")
_SYMPTOMS_AFTER = rx(r"[\s-]+symptoms?\b")


def _symptoms_treated_in_title(hit: Hit) -> bool:
    return hit.passage.field == "title" and hit.label != "healthy" and bool(
        _SYMPTOMS_OF_BEFORE.search(hit.passage.text, max(0, hit.start - 40), hit.start)
        or _SYMPTOMS_AFTER.match(hit.passage.text, hit.end))


# Conditions given as examples of a kind: "psychopathological conditions such as autism spectrum
# disorder and schizophrenia", "disorders like OCD".
_EXAMPLES_BEFORE = rx(r"\b(?:conditions|disorders|diseases|illnesses|populations|pathologies)\s+(?:such\s+as|like|"
                      r"including|e\.g\.,?)\s+(?:[\w-]+,?\s+){0,6}?(?:and\s+|or\s+)?$")
# ... or set off by a comma after a longer description, in the background: "for disorders
# characterized by distortions of the self-experience, like depression".
_EXAMPLE_AFTER_COMMA = rx(r",\s+(?:such\s+as|like|including|e\.g\.,?)\s+$")
# A share of the participants who have it describes them; it does not say who was studied ("69%
# had a history of alcohol or drug dependence").
_SHARE_WHO_HAD = rx(r"\b\d+(?:\.\d+)?\s*%\s+(?:of\s+(?:the\s+)?(?:[\w-]+\s+)?)?(?:had|have|were|with|reported|met)\s+"
                    r"(?:[\w-]+\s+){0,6}$")


def _example_or_share(hit: Hit) -> bool:
    """Whether a condition is named as an example of who is affected ("conditions such as autism and
    schizophrenia"; in the background, after a comma) or as what a share of the participants had."""
    text, window = hit.passage.text, max(hit.sentence.start, hit.start - 80)
    return bool(_EXAMPLES_BEFORE.search(text, window, hit.start) or _SHARE_WHO_HAD.search(text, window, hit.start)
                or before_own_study(hit) and _EXAMPLE_AFTER_COMMA.search(text, max(hit.sentence.start, hit.start - 20),
                                                                         hit.start))


def _depression_of_its_own(hit: Hit) -> bool:
    """Beside bipolar disorder, whether a depression mention names a condition of its own ("17 with
    major depression and 15 with bipolar depression"), not bipolar depression: a depressive episode
    is a phase of the bipolar disorder, depression named near it or beside mania a dimension of it."""
    text = hit.passage.text
    if _UNIPOLAR.search(text, max(0, hit.start - 12), hit.end):
        return True
    return not (_EPISODE.match(text, hit.start) or _BIPOLAR_NEAR.search(
        text, max(hit.sentence.start, hit.start - 100), min(hit.sentence.end, hit.end + 40)))


_UNIPOLAR = rx(r"\bmajor\s+depress(?:ion|ive\s+disorder)|\bunipolar\b|\bMDD\b|\bTRD\b")
_BIPOLAR_NEAR = rx(r"\bbipolar\b|\bmani[ac]\b|\bBD\b")
_EPISODE = rx(r"depressive\s+episode")


_PSYCHOSIS_OF_ANOTHER = rx(r"(?:disease|dementia|\bAD|\bPD|related|associated|induced)['\u2019]?s?\s*$")


def _psychosis_of_another_illness(hit: Hit) -> bool:
    """Whether a schizophrenia mention is the psychosis of another illness ("Alzheimer's disease
    psychosis", "ketamine-induced psychosis"), which the protocol's "psychosis" synonym would take."""
    return (hit.passage.text[hit.start:hit.end].lower().startswith("psycho")
            and bool(_PSYCHOSIS_OF_ANOTHER.search(hit.passage.text, max(0, hit.start - 30), hit.start)))


# Users called healthy ("20 healthy poly-drug MDMA users") are healthy volunteers who have taken the drug.
_HEALTHY_USERS = rx(r"\bhealthy,?\s+(?:[\w-]+,?\s+){0,2}$")


def _called_healthy(hit: Hit) -> bool:
    """Whether drug users are called healthy ("healthy poly-drug MDMA users"), not healthy but for
    the condition ("psychiatrically healthy nicotine-dependent smokers")."""
    called = _HEALTHY_USERS.search(hit.passage.text, max(0, hit.start - 30), hit.start)
    return called is not None and not _HEDGED_BEFORE.search(hit.passage.text, max(0, called.start() - 20),
                                                            called.start())


def _keep_hits(found: dict[str, list[Hit]], value: str, keep: Callable[[Hit], bool]) -> None:
    """Keep the hits of `value` that pass `keep`; drop the value when none does."""
    if value in found:
        found[value] = [h for h in found[value] if keep(h)]
        if not found[value]:
            found.pop(value)


def _defines_population(hit: Hit) -> bool:
    """Whether a condition mention says who was studied (not what was measured or ruled out)."""
    if hit.passage.field != "title" and _in_a_name(hit):
        return False
    if hit.label != "healthy" and _example_or_share(hit):
        return False
    if hit.label == "healthy":
        # Healthy people are a study's participants wherever they are named ("symptoms in healthy
        # women", beside "no previous use of HRT"); only what follows can make them a measure.
        return not _MEASURED_AFTER.match(hit.passage.text, hit.end)
    window = max(hit.sentence.start, hit.start - 60)
    # ("psychosis-like effects": what a drug does, like the condition, in people without it)
    if _MEASURED_AFTER.match(hit.passage.text, hit.end) or _LIKE_AFTER.match(hit.passage.text, hit.end) or _MEASURED_BEFORE.search(hit.passage.text, window, hit.start) \
            or _EVENT_AFTER.match(hit.passage.text, hit.end):
        return False
    if _EFFECT_ON_BEFORE.search(hit.passage.text, max(hit.sentence.start, hit.start - 100), hit.start) and not \
            _PEOPLE_NOUN_AFTER.match(hit.passage.text, hit.end):
        return False  # what a drug acts on: "the effect of a subclinical dose of esketamine on depression"
    if hit.passage.field != "title" and _INDICATION_BEFORE.search(
            hit.passage.text, max(hit.sentence.start, hit.start - 160), hit.start):
        return False
    if _MEASURE_LIST_BEFORE.search(hit.passage.text, window, hit.start) or _MEASURE_LIST_AFTER.match(
            hit.passage.text, hit.end) or _COEXISTING_BEFORE.search(hit.passage.text, window, hit.start):
        return False
    if hit.passage.field == "title":
        return True
    # "... was conducted in 83 women who had experienced a surgical menopause": people named with
    # their condition are who took part, whatever else the sentence counts (unless it excludes them).
    if _EXCLUDED.search(hit.sentence.text):
        return False
    return bool(_PEOPLE_WITH_BEFORE.search(hit.passage.text, window, hit.start)
                or _COUNTED_AS_PEOPLE.search(hit.passage.text, window, hit.start)
                and _PEOPLE_NOUN_AFTER.match(hit.passage.text, hit.end)) or \
        not _NOT_WHO_TOOK_PART.search(hit.sentence.text)


# A condition that describes counted people ("Fifty postmenopausal women were studied", "120
# asthmatic children") is who took part, whatever else the sentence names.
_COUNTED_AS_PEOPLE = rx(r"(?<![\d.,%])\b" + COUNT + r"\s+(?:[\w-]+\s+){0,2}$")
_PEOPLE_NOUN_AFTER = rx(r"(?:\s+[\w-]+){0,2}?\s+" + PEOPLE + r"\b")


# ("psychiatrically healthy nicotine-dependent smokers": healthy but for the condition studied)
_HEDGED_BEFORE = rx(r"\b(?:otherwise|relatively|generally|reasonably|fairly|psychiatrically|medically|physically|"
                    r"mentally)\s+$")


# A study of health professionals ("a survey of 300 pharmacists", "24 randomly selected GPs took
# part"): its participants are the clinicians, not the patients whose conditions they manage
# (unless patients are counted too, as in a cluster trial).
_PROFESSION = (r"(?:physicians|GPs|general\s+practitioners|practitioners|doctors|clinicians|nurses|pharmacists|dentists|"
               r"midwives|prescribers|chiropractors|physiotherapists|psychiatrists|psychologists|neurologists|surgeons|"
               r"geriatricians|paediatricians|pediatricians|oncologists|(?:health(?:\s*care)?|medical)\s+professionals|"
               r"an(?:a)?esthe(?:tists|siologists)|experts|(?:GP|general\s+practice|medical|surgical|nursing)\s+trainees)")
_PROFESSIONALS_STUDIED = rx(r"\b(?:surveys?|questionnaires?|interviews?|focus\s+groups?|sample|audit)\s+(?:\w+\s+){0,2}?"
                            r"(?:of|with|among|to)\s+(?:(?:all|the)\s+)?(?:" + COUNT + r"\s+)?(?:[\w-]+\s+){0,3}?" +
                            _PROFESSION + r"\b|(?<![\d.,%])\b" + COUNT + r"\s+(?:[\w-]+\s+){0,3}?" + _PROFESSION +
                            r"\b(?!\s+(?:and|or)\b)|"
                            # "GP trainees in Sydney (n = 157) were randomised", "a group of US surgeons received"
                            r"\b" + _PROFESSION + r"\b[^.;()]{0,40}\(\s*[Nn]\s*=\s*\d|"
                            r"\b(?:group|panel|sample|cohort)\s+of\s+(?:[\w-]+\s+){0,3}?" + _PROFESSION +
                            r"\b(?=[^.;]{0,60}\b(?:received|completed|answered|responded|were\s+(?:randomi[sz]ed|surveyed|"
                            r"interviewed|asked)))")
_PATIENTS_COUNTED = rx(r"(?<![\d.,%])\b" + COUNT + r"\s+(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s+)?(?:[\w-]+\s+){0,3}?"
                       r"(?:patients|participants|subjects|women|men|children|adults|adolescents|people|persons)\b")


def _clinicians_studied(passages: list[Passage]) -> list[Hit]:
    studied = [h for h in find(passages, _PROFESSIONALS_STUDIED) if not in_background(h)]
    return studied if studied and not find(passages, _PATIENTS_COUNTED) else []


def population(passages: list[Passage], protocol: Protocol, vocabulary: str | None,
               term_values: dict[str, str]) -> Suggestion:
    clinicians = _clinicians_studied(passages)
    if clinicians:
        return suggestion(["other:clinicians"], clinicians[:1])
    found: dict[str, list[Hit]] = {}
    for value, pattern in _POPULATIONS:
        hits = find(passages, pattern, label=value)
        if hits:
            found[value] = hits
    if vocabulary in protocol.vocabularies:
        for passage in passages:
            for span in text_spans(protocol, passage.text):
                if span.vocabulary != vocabulary or span.negated:
                    continue
                value = term_values.get(span.term, f"other:{span.term.replace('_', '-')}")
                if value:
                    found.setdefault(value, []).append(Hit(passage, span.start, span.end))
    for value, hits in _conditions(passages).items():
        if not any(v == value for v in found):
            found[value] = hits
    # One condition by the vocabulary's value and the text's words ("other:generalized-anxiety" and
    # "generalized anxiety disorder"): the shorter name.
    for value in [v for v in found if v.endswith("-disorder") and v.removesuffix("-disorder") in found]:
        found[value.removesuffix("-disorder")].extend(found.pop(value))
    # "otherwise healthy" people with a condition, "relatively healthy" women, are not called healthy
    _keep_hits(found, "healthy", lambda h: not _HEDGED_BEFORE.search(h.passage.text, max(0, h.start - 20), h.start))
    _keep_hits(found, "substance-use", lambda h: not _called_healthy(h))
    if "bipolar" in found:
        _keep_hits(found, "depression", _depression_of_its_own)
    _keep_hits(found, "schizophrenia", lambda h: not _psychosis_of_another_illness(h))
    if len(found) > 1:
        # What a drug did "in healthy individuals" before the abstract turns to its own patients
        # is background, not who took part.
        _keep_hits(found, "healthy", lambda h: not before_own_study(h))
    named = found
    found = _most_specific({value: kept for value, hits in found.items()
                            if (kept := [h for h in hits if _defines_population(h)])})
    if not found:
        # A title about treating "the signs and symptoms of X" (or "X symptoms") names whom the trial treated.
        found = _most_specific({value: kept for value, hits in named.items()
                                if (kept := [h for h in hits if _symptoms_treated_in_title(h)])})
    if len(found) > 1:
        # A condition named only before the abstract turns to its own study, beside one its study
        # names, is what the background speaks of ("Anhedonia ... correlates with suicidality").
        own = {value: hits for value, hits in found.items() if not all(before_own_study(h) for h in hits)}
        found = own or found
    if "healthy" in found:
        found.pop("other:menopause", None)  # "healthy postmenopausal women" are healthy
        found = {value: hits for value, hits in found.items()
                 if value == "healthy" or any(_studied_beside_healthy(h) for h in hits)}
    if not found:
        for hit in find(passages, _CONDITION):
            match = _CONDITION.match(hit.passage.text, hit.start)
            assert match is not None
            words = [w for w in match.group("condition").lower().split() if w not in _NOT_CONDITIONS]
            if not words or words[0] in _NOT_CONDITIONS or not _DISEASE_WORD.search(" ".join(words)):
                continue
            start = match.start("condition")
            value = "other:" + "-".join(words)
            found.setdefault(value, []).append(Hit(hit.passage, start, match.end("condition")))
            break
    if not found:
        found = _procedure(passages)
    if not found:
        return Suggestion([])
    ordered = sorted(found, key=lambda v: (found[v][0].passage.field != "title", found[v][0].start))
    return Suggestion(ordered, [found[v][0].evidence for v in ordered])
