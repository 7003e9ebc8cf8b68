"""Participant counts: how many took part in the whole study (n_total), read stage by stage
(screened, randomised or enrolled, completed, analysed) so that only the number who entered counts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from livingreview.extraction.model import Suggestion
from livingreview.extraction.passages import Hit, Passage, Sentence, find, in_background, rx, suggestion
from livingreview.extraction.text import COUNT, HEDGE, parse_count


# Clinicians and other professionals (a cluster trial's units, a survey's respondents).
_CLINICIANS = (r"nurses|physicians|practitioners|GPs|general\s+practitioners|doctors|clinicians|pharmacists|dentists|"
               r"staff|professionals|midwives|prescribers|surgeons|therapists|physiotherapists|chiropractors|"
               r"psychiatrists|psychologists|an(?:a)?esthetists|an(?:a)?esthesiologists|optometrists|dietitians|"
               r"specialists|consultants|internists|p(?:a)?ediatricians|(?:\w+)?ologists|social\s+workers")
PEOPLE = (r"(?:patients|subjects|participants|volunteers|adults|children|adolescents|women|men|"
           r"individuals|outpatients|inpatients|persons|people|males|females|boys|girls|infants|neonates|newborns|"
           r"smokers|drinkers|gamblers|meditators|students|veterans|cases|youths?|teenagers|elderly|healthy\s+volunteers|humans|drivers|"
           r"respondents|interviewees|mothers|fathers|parents|grandparents|relatives|spouses|twins|residents|workers|"
           r"survivors|users|athletes|runners|soldiers|recruits|inmates|prisoners|officers|employees|pregnancies|"
           r"(?:nulli|primi|multi)paras|parturients|" + _CLINICIANS + r"|caregivers|carers|families|households|"
           # ("migraineurs", also as misspelt: "migraneurs")
           r"(?:[A-Z][A-Za-z-]*\s+)?sufferers|[a-z]+eurs|asthmatics|completers|controls|control\s+subjects|"
           r"managers|teachers|pupils|attenders|attendees|undergraduates|trainees|clients|donors|probands|"
           r"siblings|seniors|pensioners|retirees|elders|"
           # ("65 PWH": people with HIV; "39 5-15 yr olds")
           r"(?-i:PL?W[A-Z]{1,3}s?)|(?:\d{1,2}\s*(?:to|-|\u2013)\s*)?\d{1,2}[- ](?:yr|year|month)s?[- ]olds)")
# Words between a count and its noun are adjectives ("24 healthy male volunteers"), never verbs,
# prepositions, units or other nouns ("2 drugs was similar, although more patients").
_NOT_ADJECTIVE = (r"(?!(?:was|were|is|are|be|been|of|to|for|with|and|or|in|on|at|by|from|than|the|that|no|not|none|"
                  r"which|who|drugs?(?!-)|times|occasions|groups?|studies|trials|experiments|sessions|"
                  r"weeks?|days?|months?|years?|hours?|"
                  # ("792 treated outpatients" are people; "40 treated with X patients" is no adjective)
                  r"included|received|treated(?=\s+(?:with|by|for|and|or|in|at|as|on|from|to)\b)|respectively|"
                  r"although|more|less|each|per|all|"
                  # ("120 pharmacies recruited patients": places that recruit are not the people they recruit)
                  r"pharmacies|centres|centers|sites|hospitals|practices|clinics|schools|countries|wards|"
                  r"institutions|departments|universities|communities|villages|regions)\b)")
# ... also both sexes or two adverbs joined by "and"/"or" ("male and female", "surgically or
# naturally postmenopausal") and an age written as an adjective ("21- to 37-yr-old").
# (an age in brackets too: "712 older (aged 65-90 years) patients")
_BETWEEN = (r"(?:" + _NOT_ADJECTIVE + r"(?:[A-Za-z][\w'/-]*|\d{1,2}-?\s*(?:to|-|\u2013)\s*\d{1,2}[- ](?:yr|year)s?[- ]old|"
            r"\(\s*(?:aged?\s+)?\d{1,2}\s*(?:-|\u2013|to)\s*\d{1,3}\s*(?:years?|yrs?|y)?(?:\s+old)?\s*\)|"
            r"[A-Za-z][\w-]*\s+(?:and|or)\s+" + _NOT_ADJECTIVE + r"[A-Za-z][\w-]*),?\s+){0,5}?")
# One sex's share of a sample: "17 women", "8 boys".
_SEX = r"(?:wom[ae]n|m[ae]n|males?|females?|boys|girls)"
_SEX_COUNT = r"\d[\d,]*\s+" + _SEX
_PEOPLE_COUNT = re.compile(
    r"(?P<hedge>\b(?:approximately|about|around|almost|nearly|roughly|over|more\s+than|up\s+to)\s+)?"
    # (a bracket may give the sample's make-up first: "36 (17 women, 19 men) students")
    # (a trial's phase is no count: "In this double-blind phase 3 trial, women with PPD were randomized")
    r"(?<!\bphase\s)\b(?P<count>" + COUNT + r")(?:\s+\(\d[\d,]*\)|\)|\s+\(" + _SEX_COUNT + r"(?:,?\s+(?:and\s+)?" + _SEX_COUNT +
    r")?\))?,?\s+" + _BETWEEN + PEOPLE + r"\b" + r"(?!" + r"['\u2019]s\b|"
    # (the people's word in a place's name: "four Veterans Affairs hospitals", "two Children's hospitals")
    r"\s+(?:affairs|administration|hospitals?|medical\s+cent(?:er|re)s?|clinics?|homes?|units?|wards?|schools?|"
    r"services?|cent(?:er|re)s?)\b)", re.IGNORECASE)
# "Patients (N = 5435)": the count given in brackets after the people it counts (not across a colon:
# "patients treated 900 attacks: mild (n = 600)" counts the items of a list). The bracket may say
# more of them before or after the count: "(mean age 52 years, N = 91)", "(N = 5435; 73% women)"
# (a figure first: "(sumatriptan, n = 135)" is an arm's n).
_PEOPLE_N = re.compile(r"\b" + PEOPLE + r"\b(?:[^.;:()]|\([^()]{0,30}\)){0,60}?\((?:[^()\d=]{0,40}?\d[^()=]{0,20}?[;,]\s*|(?-i:[A-Z]{2,6});\s*)?\s*[Nn]\s*=\s*"
                       r"(?P<count>\d{1,3}(?:,\d{3})+|\d+)\s*[);,]", re.IGNORECASE)
# "a trial in N = 105 healthy humans": the count written as an n before the people it counts.
_N_BEFORE_PEOPLE = re.compile(r"\b[Nn]\s*=\s*(?P<count>\d{1,3}(?:,\d{3})+|\d+)\s+" + _BETWEEN + PEOPLE + r"\b",
                              re.IGNORECASE)
# "Patients who met the recovery criteria within 3 months ... (n=372) were randomized": a bracketed n
# right before the verb that enrols the people it closes.
_BRACKET_N_BEFORE_VERB = rx(r"\(\s*n\s*=\s*(?P<count>\d{1,3}(?:,\d{3})+|\d+)\s*\)\s*(?=(?:were|was)\s+(?:randomi[sz]ed|"
                            r"randomly|enrolled|recruited|included|assigned|allocated)\b)")
# A count with no noun, before the verb that enrols it: "98 were enrolled", "212 (91%) were randomized".
# The verb is found first and the count read back from it (scanning for counts everywhere is slow).
_BARE_VERB = rx(r"\b(?:(?:were|was|had\s+been)\s+(?P<verb>randomi[sz]ed|randomly|enrolled|included|recruited)|"
                 # (those who "responded to" a drug are a result, not the sample)
                 # ("26 responded by 12 weeks" is a treatment's responders too)
                 r"(?P<verb2>responded(?!\s+to\s+(?!(?:the\s+|a\s+|our\s+)?(?:survey|questionnaire|invitation|mail))|"
                 r"\s+(?:by|at|after|within)\s+(?:the\s+end|weeks?|days?|months?|\d))|"
                 r"participated|took\s+part|underwent\s+randomi[sz]ation))\b")
_PAIRS = rx(r"(?<![\d.,%/])\b(?P<count>" + COUNT + r")\s+(?:[\w-]+\s+)?(?:(?:pairs|dyads)\s+of\s+(?:[\w-]+\s+){0,4}?"
           r"(?:" + PEOPLE + r"|[a-z]+mates|friends|partners|strangers)|couples|dyads)\b")
# "2 groups of 32 subjects": groups of one size.
_GROUPS_OF = rx(r"(?<![\d.,%/])\b(?P<groups>" + COUNT + r")\s+groups\s+of\s+(?P<size>" + COUNT + r")\s+" + _BETWEEN + PEOPLE + r"\b|"
                # ("randomly allocated into three groups (n = 32 each)", "two equal groups of 40 each")
                r"(?<![\d.,%/])\b(?P<groups2>" + COUNT + r")\s+(?:equal\s+)?groups\s*(?:\(\s*n\s*=\s*|of\s+)"
                r"(?P<size2>\d+)\s+(?:each|in\s+each|per\s+group)\b")
# (not a threshold: "a Total Tic Score of \u226520 were randomly assigned")
_COUNT_BEFORE = re.compile(r"(?<![\d.,%/\u2265\u2264<>])\b(?P<count>" + COUNT + r")\s+(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s+)?$",
                           re.IGNORECASE)
# A case report is of one person: "a 34-year-old woman", "we report the case of a man".
_CASE_REPORT = rx(r"\bcase\s+(?:presentation|report|description)\b|\bwe\s+(?:report|present|describe)\s+(?:the\s+|a\s+)?"
                   r"(?:first\s+|rare\s+|unusual\s+)?case\b")
# ... also when not called one: a sentence whose subject is one person of a stated age ("A 61-year-old
# woman developed ...") in an abstract that counts nobody else.
_ONE_PERSON_SUBJECT = rx(r"(?:^|[.;]\s+)(?:a|an)\s+\d{1,3}[- ](?:year|yr|month)s?[- ]old\s+(?:[\w-]+\s+){0,3}?"
                         r"(?:man|woman|patient|boy|girl|male|female|child|infant|person|gentleman|lady)\b")
_ONE_PERSON = rx(r"\b(?:a|an)\s+\d{1,3}[- ](?:year|yr|month)s?[- ]old\b")
# A study's own size in brackets: "a randomized controlled trial (N = 132)"; the bracket is found
# first, the design noun read back from it.
_BRACKET_N = rx(r"\(\s*n\s*=\s*(?P<count>\d{1,3}(?:,\d{3})+|\d+)\s*\)")
_DESIGN_BEFORE = rx(r"\b(?:a|an|this|our|the\s+present|the\s+current)\s+(?:[\w-]+,?\s+){0,5}?"
                     r"(?:trial|study|sample|cohort|survey|experiment)\s*$")
# ... or between the article and the design it describes: "a large (n = 264), preregistered randomized study".
_ARTICLE_BEFORE = rx(r"\b(?:a|an|this|our)\s+(?:[\w-]+\s+){0,2}$")
_DESIGN_AFTER = rx(r"\s*,?\s*(?:[\w-]+,?\s+){0,6}?(?:trial|study|experiment)\b")
# The size of the whole study said as such: "two small trials (total n = 29)", a registry's
# "Target Recruitment 80", "Estimated Enrollment: 150", "Enrollment: 40" or "planned sample size: 120".
_STATED_SIZE = rx(r"\(\s*(?:in\s+)?total,?\s+n\s*=\s*(?P<count>\d{1,3}(?:,\d{3})+|\d+)\s*[),;]|"
                  r"\b(?:(?:target|planned|anticipated|intended|estimated|actual)\s+(?:recruitment|enrol{1,2}ment|sample\s+size)|"
                  # (a registry page's field: "Enrollment: 40", "Enrollment 54", "Target Recruitment\n- 25")
                  r"enrol{1,2}ment(?=\s*[:\n]|\s+\d))"
                  r"(?:\s+(?:of|was|is)|\s*[:=]|\s*\n\s*[-\u2013\u2022])?\s*(?!(?:19|20)\d\d\b)"
                  r"(?P<target>\d{1,3}(?:,\d{3})+|\d+)\b(?!\s*(?:%|per|/|sites|centres|centers|-\d))")
# The sample given only by sex, in a bracket after its noun: "Participants (153 men; 151 women)".
_SEXES_IN_BRACKET = rx(r"\b(?:participants|subjects|volunteers|adults|patients|children)\s*\(\s*(?P<first>\d+)\s+"
                       r"(?:men|males|women|females|boys|girls)\s*[;,]\s*(?:and\s+)?(?P<second>\d+)\s+"
                       r"(?:men|males|women|females|boys|girls)\s*\)")
# ... or after any word, both sexes named: "recorded the brain activity (6 female, 7 male)". (An arm's
# make-up is its own: "the placebo group (6 women, 8 men)".)
_SEXES_BRACKET_ANY = rx(r"(?<!group\s)(?<!arm\s)\(\s*(?P<first>\d+)\s+(?P<sex>wom[ae]n|m[ae]n|males?|females?)\s*[;,]\s*"
                        r"(?:and\s+)?(?P<second>\d+)\s+(?!(?P=sex)\b)(?:wom[ae]n|m[ae]n|males?|females?)\s*\)")
_N_EQUALS = re.compile(r"\b[Nn]\s*=\s*(?P<count>\d{1,3}(?:,\d{3})+|\d+)")
_TOTAL_OF = rx(r"\b(?:a\s+)?total\s+of\s*$|\(?\btotal:?\s*$|\boverall,?\s*$|\bin\s+all,?\s*$")
_ENROLMENT_VERB = rx(r"\b(?P<verb>randomi[sz]ed|randomly|enrolled|recruited|included|entered|"
                      r"participated|took\s+part|were\s+studied|were\s+treated|were\s+assigned|were\s+allocated|"
                      r"were\s+(?:followed|examined|interviewed|surveyed|observed|seen)|"
                      r"were\s+(?:administered|given)|met\s+(?:the\s+)?(?:\w+\s+)?criteria|"
                      r"completed\s+an?\b(?=\s+(?:[\w-]+,?\s+){0,5}?(?:study|trial|experiment|protocol|session)\b)|"
                      # ("24 children with ADHD completed the Interpersonal Reactivity Index": they took part;
                      # those who "completed the study" are the completers)
                      r"completed\s+(?:an?|the|both|all|two|three|four|several)\b(?=\s+(?:[\w'-]+,?\s+){0,5}?"
                      r"(?:tasks?|questionnaires?|index|inventory|scales?|surveys?|measures|battery|tests?|games?|"
                      r"paradigms?|interviews?)\b)|"
                      r"completed|were\s+evaluated|were\s+analy[sz]ed|received|underwent\s+randomi[sz]ation|underwent|(?:were\s+)?screened|"
                      r"(?:were\s+)?assessed\s+for\s+eligibility|(?:were\s+)?approached|(?:were\s+)?invited|"
                      r"(?:were\s+)?contacted|(?:were\s+)?eligible|gave\s*(?:\w+\s+){0,2}?consent|consented|"
                      # (those who "responded to ATX" are a result; those who "responded to the survey" its sample)
                      r"responded(?!\s+to\s+(?!(?:the|a|an|our|this)\s+(?:[\w-]+\s+)?(?:survey|questionnaire|"
                      r"invitation|e-?mail|letter|call|interview|mailing)))|with|who|aged)")
_VERB_RANK = {"randomized": 5, "randomised": 5, "randomly": 5, "were assigned": 5, "were allocated": 5,
              "enrolled": 4, "recruited": 4, "included": 4, "entered": 4, "participated": 4,
              "took part": 4, "were studied": 4, "underwent randomization": 5, "underwent randomisation": 5, "were treated": 3, "received": 3, "underwent": 3,
              "were administered": 3, "were given": 3,
              # what a cohort or survey did to its sample (those "observed" or "seen" may be a subgroup)
              "were followed": 4, "were examined": 4, "were interviewed": 4, "were surveyed": 4,
              "were observed": 3, "were seen": 3,
              "responded": 4, "with": 2, "who": 2, "aged": 2, "were evaluated": 1,
              # ("12 volunteers completed an open pilot study": those who took part)
              "completed a": 4, "completed an": 4,
              "completed the": 3, "completed both": 3, "completed all": 3, "completed two": 3,
              "completed three": 3, "completed four": 3, "completed several": 3,
              # Counted after entry (completers, the analysed) or before it (the screened): not who entered.
              "completed": -1, "were analyzed": -1, "were analysed": -1}
_BEFORE_ENTRY = ("screened", "assessed for eligibility", "approached", "invited", "contacted", "eligible", "consented")
_RANDOMISED_BEFORE = rx(r"\b(?:randomi[sz]ed|randomly\s+(?:assigned|allocated)|randomi[sz]ation\s+of)\s+"
                        r"(?:a\s+total\s+of\s+)?$")
# (also a case series' "we describe three patients" and what a study did to its sample: "we interviewed 20 nurses")
_WE_ENROLLED_BEFORE = rx(r"\b(?:we|study|trial)\s+(?:\w+\s+)?(?:enrolled|recruited|included|studied|treated|"
                         r"describe[ds]?|report(?:s|ed)?|present(?:s|ed)?|examined|evaluated|investigated|followed|"
                         r"interviewed|surveyed|assessed)\s+"
                         r"(?:a\s+total\s+of\s+)?$")
_BEFORE_RANK = rx(r"(?:\b(?:randomi[sz]ed|enrolled|recruited|included|including|studied|treated|involving|involved|"
                   r"comprising|comprised|consisted\s+of|in|of|from|(?:conducted|performed|carried\s+out)\s+on|"
                   r"(?:administered|given|offered)\s+to|(?:data|experience|observations|findings)\s+(?:on|from|with|in))|"
                   r"\b(?:participants|subjects|patients|sample|population)\s*:)\s+(?:only\s+|just\s+)?$")


Candidate = tuple[float, Hit, int | None, str]  # rank, where, value (None if unparsed), as written


def n_total(passages: list[Passage]) -> Suggestion:
    """Participants randomised or enrolled in the whole study, or a flag when only estimated."""
    candidates = _candidates(passages)
    several = _several_studies(passages, candidates)
    if several is not None:
        return several
    totals = [c for c in candidates if c[0] >= 6]  # "a total of N ... randomised"
    summed = _group_sum(passages, _parts_of(candidates), candidates)
    # A stated total wins over groups counted elsewhere, not over the groups it introduces
    # ("a total of 12 healthy male and 12 healthy female volunteers").
    if summed is not None and (not totals or any(
            e.start == c[1].start or e.start == c[1].passage.text.find(c[3], c[1].start)
            for c in totals for e in summed.evidence[:1])):
        return _with_comparison_group(passages, summed)
    best_rank = max((c[0] for c in candidates), default=0.0)
    if best_rank < 4:
        summed = arm_sizes(passages)
        if summed is not None:
            return summed
    if best_rank < 4 and find(passages, _ANALYSIS_ONLY, negatable=False):
        return Suggestion(None)
    if best_rank < 3:
        sexes = _sum_of_both_sexes(passages)
        if sexes is not None:
            return sexes
    if not candidates:
        if find(passages, _CASE_REPORT, negatable=False):
            return suggestion(1, find(passages, _ONE_PERSON, negatable=False)[:1], ["a case report: one person"])
        one = find(passages, _ONE_PERSON_SUBJECT, negatable=False)
        if one:
            return suggestion(1, one[:1], ["a case report: one person"])
        return _named_arms_sum(_named_arm_counts(passages)) or Suggestion(None)
    return _with_the_other_arms(passages, _best_count(passages, candidates))


# "12 boys and 4 girls", "20 men and 22 women": a sample told by its sexes.
_BOTH_SEXES = rx(r"(?<![\d.,%/])\b(?P<first>" + COUNT + r")\s+(?:[\w-]+\s+)?(?P<sex>boys|girls|men|women|males|females)\s+"
                 r"and\s+(?P<second>" + COUNT + r")\s+(?:[\w-]+\s+)?(?!(?P=sex)\b)(?:boys|girls|men|women|males|females)\b")


def _sum_of_both_sexes(passages: list[Passage]) -> Suggestion | None:
    """When no count reads as the sample, the first pair of sexes counted outside the background
    ("In 2004-2005, 12 boys and 4 girls ... all completed") is."""
    for passage in passages:
        for match in passage.finditer(_BOTH_SEXES):
            first, second = parse_count(match.group("first")), parse_count(match.group("second"))
            if first is None or second is None or in_background(Hit(passage, match.start(), match.end())):
                continue
            hits = [Hit(passage, match.start(g), match.end(g)) for g in ("first", "second")]
            return suggestion(first + second, hits, ["summed from the counts of each sex"])
    return None


def _candidates(passages: list[Passage]) -> list[Candidate]:
    """Every count of people with its rank: how surely it is the number who entered the study."""
    candidates: list[Candidate] = []
    for passage in passages:
        for match in passage.finditer(_PEOPLE_COUNT):
            candidates.append(_rank_count(passage, match))
        for match in passage.finditer(_PEOPLE_N):
            hit = Hit(passage, match.start("count"), match.end("count"))
            # "patients ... received either 5 mg (n = 2) or 20 mg (n = 8)": the n of an arm
            rank = 2.0 if _ARM_WORDS.search(passage.text, match.start(), match.start("count")) else 3.5
            if _CLASSIFIED.search(passage.text, match.start(), match.start("count")):
                rank = 1.0
            candidates.append((rank, hit, int(match.group("count").replace(",", "")), match.group("count")))
        # (an n before its people is the sample at least as surely as one bracketed after them)
        for pattern, floor in ((_N_BEFORE_PEOPLE, 3.5), (_BRACKET_N_BEFORE_VERB, 0.0)):
            for match in passage.finditer(pattern):
                hit = Hit(passage, match.start("count"), match.end("count"))
                candidates.append((max(floor, _verb_rank(passage.text, match.end())), hit,
                                   int(match.group("count").replace(",", "")), match.group("count")))
        for verb in passage.finditer(_BARE_VERB):
            count = _COUNT_BEFORE.search(passage.text, max(0, verb.start() - 40), verb.start())
            if count is not None and not _IN_ANALYSIS.match(passage.text, verb.end()) and not _part_of_n_before(
                    passage.text, count):
                candidates.append(_rank_bare_count(passage, count, verb.group("verb") or verb.group("verb2")))
        for match in passage.finditer(_PAIRS):
            # "Ten pairs of healthy volunteers took part": two people in each pair.
            pairs = parse_count(match.group("count"))
            hit = Hit(passage, match.start("count"), match.end())
            rank = max(3.0, _rank_of_verbs(_clause_verbs(passage.text, match.end())))
            candidates.append((rank, hit, 2 * pairs if pairs is not None else None, match.group()))
        for match in passage.finditer(_GROUPS_OF):
            # "2 groups of 32 subjects", "five groups of three volunteers": the sample is their product
            groups = parse_count(match.group("groups") or match.group("groups2"))
            size = parse_count(match.group("size") or match.group("size2"))
            hit = Hit(passage, match.start(), match.end())
            candidates = [c for c in candidates if not _inside(c[1], hit)]
            rank = max(3.0, _rank_of_verbs(_clause_verbs(passage.text, match.end())))
            candidates.append((rank, hit, groups * size if groups and size else None, match.group()))
        for match in passage.finditer(_TOTAL_BARE):
            candidates.append(_rank_bare_total(passage, match))
        for match in passage.finditer(_COUNT_LIST):
            candidates.append(_rank_count_list(passage, match))
        for pattern, floor in ((_SEXES_IN_BRACKET, 3.5), (_SEXES_BRACKET_ANY, 2.5)):
            for match in passage.finditer(pattern):
                # (each sex's count inside is a part of it, whatever verb follows the bracket)
                hit = Hit(passage, match.start("first"), match.start() + len(match.group().rstrip(") ")))
                candidates = [c for c in candidates if not (c[1].passage is passage and hit.start <= c[1].start < hit.end)]
                total = int(match.group("first")) + int(match.group("second"))
                candidates.append((max(floor, _verb_rank(passage.text, match.end())), hit, total, match.group()))
        for match in passage.finditer(_STATED_SIZE):
            group = "count" if match.group("count") else "target"
            hit = Hit(passage, match.start(group), match.end(group))
            candidates.append((5.0, hit, int(match.group(group).replace(",", "")), match.group(group)))
        for match in passage.finditer(_BRACKET_N):
            if _DESIGN_BEFORE.search(passage.text, max(0, match.start() - 80), match.start()) or (
                    _ARTICLE_BEFORE.search(passage.text, max(0, match.start() - 40), match.start())
                    and _DESIGN_AFTER.match(passage.text, match.end())):
                hit = Hit(passage, match.start("count"), match.end("count"))
                candidates.append((4.0, hit, int(match.group("count").replace(",", "")), match.group("count")))
    return _below_their_total([c for c in candidates if c[0] > 0])


# Arms or studies counted in one list before their noun, or in one bracket: "120, 118 and 64 patients
# were randomized to ...", "two trials (n = 410 and 436)". Their sum is the whole study.
_LIST_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+"
# (also two kinds set against each other, each count with its own word: "in 11 light and 9 heavy
# alcohol users", "25 healthy lean and 23 overweight/obese participants")
_KIND_WORD = r"(?!(?:weeks?|days?|months?|years?|hours?|minutes?|mg|g|ml|times|sessions|doses?|of|to|in|per|or)\b)[a-z][\w/-]*"
_COUNT_LIST = rx(r"(?<![\d.,%/()=])(?<!n\s)(?<!n\s\s)\b(?P<counts>(?:" + _LIST_NUMBER + r")(?:\s*,\s*(?:" + _LIST_NUMBER +
                 r"))*,?\s+and\s+(?:" + _LIST_NUMBER + r"))\s+(?P<people>" + _BETWEEN + PEOPLE + r")\b|"
                 r"(?<![\d.,%/()=])\b(?P<kinds>(?:" + _LIST_NUMBER + r")\s+(?:" + _KIND_WORD + r"\s+){1,2}?and\s+(?:" +
                 _LIST_NUMBER + r"))\s+(?:" + _KIND_WORD + r"\s+){1,2}?" + PEOPLE + r"\b|"
                 r"\(\s*n\s*=\s*(?P<bracket>(?:" + _LIST_NUMBER + r")(?:\s*,\s*(?:" + _LIST_NUMBER + r"))*,?\s+and\s+(?:" +
                 _LIST_NUMBER + r"))\s*\)")


def _rank_count_list(passage: Passage, match: re.Match[str]) -> Candidate:
    group = next(name for name in ("counts", "kinds", "bracket") if match.group(name))
    written, start = match.group(group), match.start(group)
    hit = Hit(passage, start, start + len(written))
    parts = [int(n.replace(",", "")) for n in re.findall(_LIST_NUMBER, written)]
    if len(parts) < 2 or min(parts) < 2 or _hedged(passage.text, match.start()):
        return (0.0, hit, None, written)
    if match.group("bracket"):
        return (4.0, hit, sum(parts), written)
    rank = _verb_rank(passage.text, match.end())
    if _RANDOMISED_BEFORE.search(passage.text, max(0, start - 40), start):
        rank = max(rank, 5.0)
    elif _BEFORE_RANK.search(passage.text, max(0, start - 40), start):
        rank = max(rank, 3.0)  # ("pilot studies ... in 11 light and 9 heavy alcohol users")
    return (float(rank), hit, sum(parts), written)


def _below_their_total(candidates: list[Candidate]) -> list[Candidate]:
    """Counts that are the parts of a total given before them ("70 patients entered, 37 were
    allocated to A and 33 patients to B") rank below that total, whatever their verbs."""
    ranked = list(candidates)
    for rank, parts in _ranked_parts(candidates):
        ranked = [(min(r, rank - 0.5), h, v, w) if _inside(h, parts) else (r, h, v, w) for r, h, v, w in ranked]
    return ranked


def _parts_of(candidates: list[Candidate]) -> list[Hit]:
    """The spans after entry counts that hold the parts adding up to them."""
    return [parts for _, parts in _ranked_parts(candidates)]


def _ranked_parts(candidates: list[Candidate]) -> list[tuple[float, Hit]]:
    spans = []
    for rank, total_hit, value, _ in candidates:
        if rank < 3 or value is None:
            continue
        end = _parts_end(total_hit.passage.text, value, total_hit.end, total_hit.sentence.end)
        if end is not None:
            spans.append((rank, Hit(total_hit.passage, total_hit.end, end)))
    return spans


def _inside(hit: Hit, span: Hit) -> bool:
    return hit.passage is span.passage and span.start <= hit.start < span.end


# An abstract reporting several studies of its own ("Two randomized trials were conducted", "in 3
# comparative trials that each recruited 60 patients"): the whole is the sum of theirs.
_SEVERAL_STUDIES = rx(r"\b(?P<n>two|three|four|2|3|4)\s+(?:(?!(?:of|in|with|and|from|to|hundred|thousand|"
                       r"previous|earlier|published|other)\b)[\w-]+,?\s+){0,6}?(?:studies|trials|experiments)\b"
                       # ("... trials that each recruited 60", "... studies were conducted, each involving 12")
                       r"(?:(?:\s+(?:that|which)|[^.;]{0,120}?,)\s+each\s+(?:recruited|enrolled|included|randomi[sz]ed|"
                       r"involved|involving|including|enrolling|recruiting|studied|of|with)\s+(?:a\s+total\s+of\s+)?"
                       r"(?P<each>" + COUNT + r")(?:\s+" + _BETWEEN + PEOPLE + r")?)?")
_STUDIES_RUN = rx(r"[^.]{0,160}?\b(?:were|are)\s+(?:performed|conducted|carried\s+out|undertaken|done|reported)\b")
_STUDIES_OF_OTHERS = rx(r"\b(?:previous|earlier|prior|published|other|these|the)\s+$")


# Each study's n listed in one bracket: "two experiments in young men (n = 243 and n = 400)".
_STUDY_SIZES = rx(r"\(\s*n\s*=\s*\d[\d,]*(?:\s*(?:,|;|and)\s*(?:n\s*=\s*)?\d[\d,]*)+\s*\)")


def _sizes_listed(hit: Hit, studies: int) -> tuple[int, Hit] | None:
    """The sum of the sizes bracketed after a declaration of `studies` studies, in its sentence."""
    match = _STUDY_SIZES.search(hit.passage.text, hit.end, hit.sentence.end)
    sizes = [parse_count(n) for n in re.findall(r"\d[\d,]*", match.group())] if match else []
    if match is None or len(sizes) != studies or None in sizes:
        return None
    return sum(n for n in sizes if n is not None), Hit(hit.passage, match.start(), match.end())


def _declared_studies(passages: list[Passage]
                      ) -> tuple[int, tuple[int, Hit] | None, tuple[int, Hit] | None] | None:
    """How many studies the abstract reports as its own, the size of each when it says so, and the
    sum of their sizes when they are listed together."""
    # (A cheap test first: most abstracts do not speak of "studies", "trials" or "experiments".)
    first: tuple[int, tuple[int, Hit] | None, tuple[int, Hit] | None] | None = None
    for passage in passages:
        lowered = passage.text.lower()
        if "studies" not in lowered and "trials" not in lowered and "experiments" not in lowered:
            continue
        for match in passage.finditer(_SEVERAL_STUDIES):
            hit = Hit(passage, match.start(), match.end())
            if in_background(hit) or _STUDIES_OF_OTHERS.search(passage.text, max(0, match.start() - 12), match.start()):
                continue
            own = (passage.field == "title" or match.group("each") or _STUDIES_RUN.match(passage.text, match.end())
                   or re.search(r"\b(?:in|from)\s+$", passage.text[max(0, match.start() - 6):match.start()]))
            if own:
                n = parse_count(match.group("n"))
                each = parse_count(match.group("each")) if match.group("each") else None
                if not n:
                    return first
                declared = n, ((each, Hit(passage, match.start("each"), match.end())) if each else None), \
                    _sizes_listed(hit, n)
                if first is None or (declared[0] == first[0] and declared[2] is not None):
                    # (the title declares the studies; the abstract may list their sizes)
                    first = declared
    return first


def _several_studies(passages: list[Passage], candidates: list[Candidate]) -> Suggestion | None:
    """The sum of the studies' own counts, when each of the studies the abstract declares has one."""
    declared = _declared_studies(passages)
    if declared is None:
        return None
    n, each, listed = declared
    if listed is not None:
        return suggestion(listed[0], [listed[1]], ["summed over the studies"])
    if each is not None:
        return suggestion(n * each[0], [each[1]], [f"{n} studies of {each[0]} each"])
    sums = list(_group_sums(passages))
    entries = [(total, hits) for total, hits in sums]
    in_sums = {(h.passage.field, h.start) for _, hits in sums for h in hits}
    in_abstract = {c[2] for c in candidates if c[1].passage.field != "title"}
    for rank, hit, value, _ in candidates:
        if rank < 3 or value is None or (hit.passage.field, hit.start) in in_sums or (
                hit.passage.field == "title" and value in in_abstract):
            continue
        entries.append((value, [hit]))
    values = [value for value, _ in entries]
    if len(entries) == n:
        return suggestion(sum(values), [h for _, hits in entries for h in hits], ["summed over the studies"],
                          limit=2 * n)
    for value, hits in entries:
        # "75 patients ... 15 in the first study ... 60 in the second": the total of the studies is given.
        if len(entries) == n + 1 and 2 * value == sum(values):
            return suggestion(value, hits)
    return None


def _best_count(passages: list[Passage], candidates: list[Candidate]) -> Suggestion:
    """The count ranked highest (the earliest of equals), with any additional group added."""
    best = max(candidates, key=lambda c: (c[0], -c[1].passage.field.startswith("title"), -c[1].start))
    if _counts_professionals(best[1]):
        # A cluster trial randomises practices or clinicians; its participants are their patients.
        patients = [c for c in candidates if c[0] >= 3 and not _counts_professionals(c[1])]
        if patients:
            best = max(patients, key=lambda c: (c[0], -c[1].start))
    rank, hit, value, written = best
    if value is None:
        return suggestion(None, [hit], [f"unparsed: {written!r}"])
    if rank < 4 and (whole := _whole_of_the_arms(candidates, best)) is not None:
        return suggestion(whole[2], [whole[1]])
    if rank < 4 and (arms := _arms_given(hit)) is not None:
        return arms
    added = _additional_group(passages, hit)
    # ("75 patients. In the first study, ... 15 patients. In the second study, ... 60 patients": parts of the total)
    if added is not None and value - added[0] not in {c[2] for c in candidates}:
        return suggestion(value + added[0], [hit, added[1]], ["an additional group added"])
    return _with_comparison_group(passages, suggestion(value, [hit]))


def _whole_of_the_arms(candidates: list[Candidate], arm: Candidate) -> Candidate | None:
    """A count given before the arm chosen that is its sum with another count after it: "Thirty
    healthy volunteers listened ... 15 subjects received X while 15 subjects served as controls"."""
    _, hit, value, _ = arm
    if value is None:
        return None
    for whole in candidates:
        if whole[2] is None or whole[1].passage is not hit.passage or in_background(whole[1]):
            continue
        if whole[1].start < hit.start:
            others = [o for o in candidates if o[1].start > whole[1].start]
        elif _ALL_BEFORE.search(hit.passage.text, max(0, whole[1].start - 12), whole[1].start):
            # the whole told after the arms: "compared 20 users with 19 non-users. All 39 participants"
            others = [o for o in candidates if hit.start < o[1].start < whole[1].start]
        else:
            continue
        if any(other[2] is not None and other is not arm and other[1].passage is hit.passage
               and value + other[2] == whole[2] for other in others):
            return whole
    return None


_ALL_BEFORE = rx(r"\ball\s+(?:the\s+|of\s+the\s+)?$")


# An arm named with its size, in the ways abstracts put it: "the ketamine group comprised 26 patients",
# "the placebo arm enrolled 14", "Fifteen patients received ketamine", "another 30 received placebo",
# "26 patients in the saline arm", "randomised to ketamine (15) or placebo (14)". The arm's name is
# the word before "group"/"arm" or after what the people received; never a function word ("received
# a second infusion", "received at least one dose").
_ARM_NAME = (r"(?!(?:a|an|the|at|one|two|both|all|each|either|any|their|its|his|her|this|that|these|only|no|"
             r"study|active|same|other|first|second|further|additional|rescue|part|and|or|versus|vs|with|of|to|in|on|for)\b)"
             r"(?P<arm>[A-Za-z][\w-]*)")
# Arms that are periods of one sample: a crossover or treatments in random order.
_SAME_PEOPLE_IN_EACH_ARM = rx(r"\bcross-?over\b|\bwithin-?subjects?\b|\bin\s+(?:a\s+)?random(?:i[sz]ed)?\s+order\b|"
                              r"\b(?:three|four|five|[2-5])-(?:period|way)\b")
_GROUP_OF_PEOPLE = r"(?:\s+" + _BETWEEN + PEOPLE + r"(?:\s+with\s+[\w-]+(?:\s+[\w-]+)?)?)?"
_NAMED_ARM_COUNTS = (
    rx(r"\b" + _ARM_NAME + r"\s+(?:group|arm)\s+(?:comprised|included|enrolled|recruited|consisted\s+of|contained|had|"
       r"was\s+made\s+up\s+of)?\s*(?P<count>" + COUNT + r")\b(?![.,]\d|\s*%)"),
    rx(r"(?<![\d.,%/])\b(?P<count>" + COUNT + r")" + _GROUP_OF_PEOPLE + r"\s+(?:(?:were|was)\s+)?(?:received|given|took|"
       r"(?:randomi[sz]ed|randomly\s+assigned|assigned|allocated)\s+to(?:\s+receive)?)\s+(?:the\s+)?" + _ARM_NAME),
    rx(r"(?<![\d.,%/])\b(?P<count>" + COUNT + r")" + _GROUP_OF_PEOPLE + r"\s+in\s+the\s+" + _ARM_NAME +
       r"\s+(?:group|arm)\b"),
)
# "randomised to ketamine (15) or placebo (14)": arms with their sizes in brackets, after the assignment.
# (or given the arms' drugs: "patients were administered DHEA (N=14) or placebo (N=15)")
_ASSIGNED_TO = rx(r"\b(?:randomi[sz]ed|randomly\s+assigned|assigned|allocated)\s+to\b|"
                  r"\b(?:were|was)\s+(?:administered|given)\b")
_BRACKETED_ARM = rx(r"\b" + _ARM_NAME + r"\s*\(\s*(?:n\s*=\s*)?(?P<count>\d+)\s*\)")
# Sentences that count arms at a later stage or by what happened to them count no arm's size.
_NOT_ENTRY = rx(r"\b(?:screened|completed|analy[sz]ed|assessable|evaluable|withdr[ae]w\w*|discontinued|dropped|excluded|lost|"
                r"responded|responders?|responses?|remission|improved|experienced|reported|developed|died|relapsed|"
                r"adverse|events?|achieved)\b")


def _named_arm_counts(passages: list[Passage]) -> dict[str, tuple[int, Hit]]:
    """The first size given for each arm named in the study's own sentences of entry, by arm name
    (empty for a crossover, whose arms are the same people)."""
    if find(passages, _SAME_PEOPLE_IN_EACH_ARM, negatable=False):
        return {}
    arms: dict[str, tuple[int, Hit]] = {}
    for passage in passages:
        for sentence in passage.sentences:
            if _NOT_ENTRY.search(sentence.text) or in_background(Hit(passage, sentence.start, sentence.end)):
                continue
            for name, count, hit in _sizes_in(passage, sentence):
                arms.setdefault(name, (count, hit))
    return arms


def _sizes_in(passage: Passage, sentence: Sentence) -> list[tuple[str, int, Hit]]:
    """The arm sizes one sentence gives, an arm named twice told apart ("mg (n = 216) ... mg (n = 207)");
    a size that is the sum of the others is their total, no arm ("423 patients were randomised to
    A (n = 216) or B (n = 207)")."""
    forms = [*_NAMED_ARM_COUNTS, *((_BRACKETED_ARM,) if _ASSIGNED_TO.search(sentence.text) else ())]
    found: dict[tuple[int, int], tuple[str, int, Hit]] = {}
    for form in forms:
        for match in passage.finditer_in(form, sentence.start, sentence.end):
            count = parse_count(match.group("count"))
            if count is not None and not _hedged(passage.text, match.start("count")):
                hit = Hit(passage, match.start("count"), match.end("count"))
                found.setdefault((hit.start, hit.end), (match.group("arm").lower(), count, hit))
    sizes = [found[key] for key in sorted(found)]
    total = sum(count for _, count, _ in sizes)
    sizes = [size for size in sizes if len(sizes) < 3 or 2 * size[1] != total]
    seen: Counter[str] = Counter()
    named: list[tuple[str, int, Hit]] = []
    for name, count, hit in sizes:
        seen[name] += 1
        named.append((f"{name}#{seen[name]}" if seen[name] > 1 else name, count, hit))
    return named


def _named_arms_sum(arms: dict[str, tuple[int, Hit]]) -> Suggestion | None:
    if len(arms) < 2:
        return None
    hits = sorted((hit for _, hit in arms.values()), key=lambda h: (h.passage.field != "title", h.start))
    return suggestion(sum(count for count, _ in arms.values()), hits, ["summed from the arm sizes"], limit=len(hits))


def _with_the_other_arms(passages: list[Passage], found: Suggestion) -> Suggestion:
    """The sum of every named arm when the count chosen is one arm's size alone ("The ketamine group
    comprised 26 patients and the placebo group 24 patients": 50, not 26)."""
    if not isinstance(found.value, int) or not found.evidence:
        return found
    first = found.evidence[0]
    arms = _named_arm_counts(passages)
    if not any(hit.passage.field == first.field and hit.start == first.start and count == found.value
               for count, hit in arms.values()):
        return found
    summed = _named_arms_sum(arms)
    return summed if summed is not None and summed.value > found.value else found


# Each arm counted with what it got, in one list: "159 patients received A 7.5 mg, 162 received A 15 mg,
# and 147 received placebo".
_ARM_GIVEN = rx(r"(?<![\d.,%/])\b(?P<count>" + COUNT + r")\s+(?:" + _BETWEEN + PEOPLE + r"\s+)?"
                r"(?:received|were\s+given|took)\b")
_LIST_JOIN = re.compile(r"(?:,|\band\b)\s*(?:and\s+)?$")


def _arms_given(hit: Hit) -> Suggestion | None:
    """The sum of the arms a sentence counts one by one with what each received, joined by commas or
    "and" (a count that is the first arm of such a list is not the whole sample)."""
    sentence = hit.sentence
    arms = list(hit.passage.finditer_in(_ARM_GIVEN, sentence.start, sentence.end))
    joined = all(_LIST_JOIN.search(hit.passage.text[a.end():b.start()]) for a, b in zip(arms, arms[1:]))
    if len(arms) < 2 or not joined or not any(a.start("count") == hit.start for a in arms):
        return None
    sizes = [parse_count(a.group("count")) for a in arms]
    if any(size is None or size < 2 for size in sizes):
        return None
    hits = [Hit(hit.passage, a.start("count"), a.end("count")) for a in arms]
    return suggestion(sum(s for s in sizes if s is not None), hits, ["summed from the arm sizes"], limit=len(hits))


# A comparison group named in a sentence of its own: "Twelve healthy volunteers were also studied",
# "20 age-matched subjects served as controls", "18 matched healthy controls were scanned once".
_ALSO_GROUP = rx(r"(?<![\d.,%/])\b(?P<count>" + COUNT + r")\s+" + _BETWEEN + PEOPLE + r"\b(?:\s*\([^()]*\))?,?\s+"
                 r"(?:(?:were|was)\s+also\s+(?:studied|included|enrolled|recruited|examined|investigated|tested)|"
                 r"(?:served|acted)\s+as\s+(?:the\s+|a\s+)?(?:\w+\s+)?controls?)\b|"
                 r"(?<![\d.,%/])\b(?P<healthy>" + COUNT + r")\s+" + _BETWEEN +
                 # ("19 healthy control (HC) subjects also underwent two scans")
                 r"(?:healthy\s+(?:[\w-]+\s+){0,2}?(?:\([A-Za-z]{1,6}\)\s+)?" + PEOPLE + r"|controls|control\s+subjects)\b"
                 r"(?:\s*\([^()]*\))?,?\s+"
                 r"(?:(?:were|was)\s+(?:also\s+)?(?:studied|included|enrolled|recruited|examined|investigated|tested|scanned|"
                 r"imaged|assessed)|also\s+(?:underwent|completed|performed|participated|took\s+part))\b|"
                 # ("Sixteen controls completed the task over the same time but did not receive the drug")
                 r"(?<![\d.,%/])(?<!of\s)(?<!of\sthe\s)\b(?P<controls>" + COUNT + r")\s+(?:[\w-]+\s+){0,2}?"
                 r"(?:controls|control\s+(?:subjects|participants))\s+(?:completed|underwent|performed|participated|"
                 r"took\s+part)\b")


# An untreated or healthy comparison group given with its n: "compared with those in a control
# unmedicated group (n = 14)", "The same number of HC (n = 12) performed the test".
_CONTROL_GROUP_N = rx(r"\b(?:compared\s+(?:with|to)|versus|and)\s+(?:those\s+(?:in|of)\s+)?(?:a|an|the)\s+"
                      r"(?:[\w-]+\s+){0,3}?(?:control|comparison|reference)\s+(?:[\w-]+\s+)?group\s*\(\s*n\s*=\s*"
                      r"(?P<count>\d+)\s*\)|\b(?:healthy\s+controls?|HCs?)\s*\(\s*n\s*=\s*(?P<hc>\d+)\s*\)|"
                      # ("within 19 ADHD boys, and ... relative to 29 age-matched healthy boys")
                      r"\b(?:relative\s+to|compared\s+(?:with|to)|versus|vs\.?)\s+(?P<rel>\d+)\s+(?:[\w-]+\s+){0,2}?"
                      r"(?:healthy|typically[- ]developing)\s+(?:[\w-]+\s+)?" + PEOPLE + r"\b")


def _with_comparison_group(passages: list[Passage], found: Suggestion) -> Suggestion:
    """`found` with a comparison group counted in another sentence (or named as such in its own) added."""
    if not isinstance(found.value, int) or not found.evidence:
        return found
    first = found.evidence[0]
    if not any(flag.startswith("summed") for flag in found.flags):
        for passage in passages:
            for match in passage.finditer(_CONTROL_GROUP_N):
                group = next(name for name in ("count", "hc", "rel") if match.group(name))
                hit = Hit(passage, match.start(group), match.end(group))
                if any(e.field == passage.field and e.start == hit.start for e in found.evidence) or \
                        in_background(hit):
                    continue
                return Suggestion(found.value + int(match.group(group)), [*found.evidence, hit.evidence],
                                  [*found.flags, "a comparison group added"])
    for passage in passages:
        for match in passage.finditer(_ALSO_GROUP):
            group = next(name for name in ("count", "healthy", "controls") if match.group(name))
            count = parse_count(match.group(group))
            same_sentence = passage.field == first.field and first.start is not None and \
                passage.sentence_of(match.start()).start == passage.sentence_of(first.start).start
            if count is None or same_sentence or _hedged(passage.text, match.start()):
                continue
            hit = Hit(passage, match.start(group), match.end(group))
            return Suggestion(found.value + count, [*found.evidence, hit.evidence], [*found.flags, "a comparison group added"])
    return found


# "An additional 435 women ... were randomly assigned", "five other subjects were tested": a further
# group entered beside the main one.
_ADDITIONAL = rx(r"\b(?:additional|further|another)\s+(?P<count>" + COUNT + r")\s+" + _BETWEEN + PEOPLE + r"\b|"
                 r"(?<![\d.,%/])\b(?P<count2>" + COUNT + r")\s+(?:other|additional|further)\s+" + _BETWEEN + PEOPLE + r"\b")
_ENTERED = rx(r"\b(?:randomi[sz]ed|randomly|assigned|allocated|enrolled|recruited|included|entered|were\s+(?:[\w-]+\s+)?(?:\w+-)?"
              r"(?:studied|tested|treated|given|examined|investigated))\b")
# A second study of the abstract's own, in a sentence of its own: "In a second, open pilot study, 25
# women were treated", "In a subsequent trial, ...". (Not a "part" or "phase": the same people go on.)
_LATER_STUDY = rx(r"^(?:in|during|for)\s+(?:a|the|our)\s+(?:second|third|separate|subsequent|later|further|"
                  r"follow-up|more\s+recent)\b[^.;]{0,80}?\b(?:study|trial|experiment)\b")


def _additional_group(passages: list[Passage], main: Hit) -> tuple[int, Hit] | None:
    for passage in passages:
        for sentence in passage.sentences:
            # (in the main count's own sentence, only a group after it: "32 smokers were assigned to
            # one task, while another 32 smokers viewed ...")
            own_sentence = passage is main.passage and sentence.start == main.sentence.start
            found = _added_in(passage, sentence, main.end if own_sentence else None)
            if found is not None:
                return found
    return None


def _added_in(passage: Passage, sentence: Sentence, after: int | None = None) -> tuple[int, Hit] | None:
    """The count of a group a sentence adds to the main one: 'an additional 40 women were enrolled',
    'five other subjects were tested', or the people of a second study; in the main count's own
    sentence (`after` its end), only a group added after it."""
    if _OTHER_STAGE.search(sentence.text):
        return None
    if _ENTERED.search(sentence.text):
        for match in passage.finditer_in(_ADDITIONAL, after or sentence.start, sentence.end):
            group = "count" if match.group("count") else "count2"
            count = parse_count(match.group(group))
            if count is not None:
                return count, Hit(passage, match.start(group), match.end(group))
    study = _LATER_STUDY.match(sentence.text)
    if after is not None or study is None or in_background(Hit(passage, sentence.start, sentence.end)):
        return None
    for match in passage.finditer_in(_PEOPLE_COUNT, sentence.start + study.end(), sentence.end):
        count = parse_count(match.group("count"))
        if count is not None and count >= 2 and not match.group("hedge"):
            return count, Hit(passage, match.start("count"), match.end("count"))
    return None


_ARMS_SENTENCE = rx(r"\brandomi|\bassign|\ballocat|\bgroups?\b|\barms?\b|\breceived\b|\binterview|\benrol|"
                     r"\brecruit|\bincluded\b|\bstudied\b|\bparticipants\b|\bsurvey|\bquestionnaire")
# Groups set against each other in the design ("women using OCs (n = 42) ... than women not using
# them (n = 53)"), not in a result, whose sizes may be those analysed.
_GROUPS_SET_AGAINST = rx(r"\bthan\b|\bcompared\b|\bversus\b")
_RESULT_WORDS = rx(r"\bsignifican|\bp\s*[<=>]|\bimprov|\bdemonstrat")


# (also a size given for the baseline: "measured at baseline (N=108) and after 2 (N=59) and 6 weeks (N=69)")
_WAVES = rx(r"\b(?:again|time\s*[12]|waves?|follow-?up|re-?assessed|re-?surveyed)\b|\bbaseline\s*\(\s*n\s*=")


_PROFESSIONALS = rx(r"\b(?:" + _CLINICIANS + r"|practices|offices)\b")


_PROFESSIONALS_AFTER = rx(r"\s+(?:[\w-]+\s+){0,3}?(?:" + _CLINICIANS + r")\b")


def _counts_professionals(hit: Hit) -> bool:
    return bool(_PROFESSIONALS.search(hit.passage.text, hit.start, hit.end))


def arm_sizes(passages: list[Passage]) -> Suggestion | None:
    """The sum of every arm's n when a sentence gives each arm's size and no total is stated."""
    for passage in passages:
        for sentence in passage.sentences:
            groups = next(passage.finditer_in(_N_GROUPS, sentence.start, sentence.end), None) or \
                next(passage.finditer_in(_N_VERSUS, sentence.start, sentence.end), None)
            set_against = _GROUPS_SET_AGAINST.search(sentence.text) and not _RESULT_WORDS.search(sentence.text)
            if not (_ARMS_SENTENCE.search(sentence.text) or groups or _WAVES.search(sentence.text) or set_against):
                continue
            # ("N = 105 healthy humans (N = 70 female)": one sex's share is no arm)
            sizes = [m for m in _N_EQUALS.finditer(passage.text, sentence.start, sentence.end)
                     if not _ONE_SEX_AFTER.match(passage.text, m.end())]
            if len(sizes) >= 2 and _WAVES.search(sentence.text) and not _GROUPS_BETWEEN.search(
                    passage.text, sizes[0].start(), sizes[-1].start()):
                # The same people measured again ("Time 1; N = 600 ... Time 2; N = 412"): the first entered.
                first = sizes[0]
                return suggestion(int(first.group("count").replace(",", "")), [Hit(passage, first.start(), first.end())],
                                  ["the first of repeated measurements"])
            if len(sizes) >= 2:
                return _total_or_sum_of_arms(passage, sizes)
    return _bracketed_arms(passages)


_ONE_SEX_AFTER = rx(r"\s+" + _SEX + r"\b")
# Sizes told of groups, not of times: "(treated with lamotrigine: n = 18; former placebo group: n = 9)".
_GROUPS_BETWEEN = rx(r"\bgroups?\b|\barms?\b")


def _total_or_sum_of_arms(passage: Passage, sizes: list[re.Match[str]]) -> Suggestion:
    """A sentence's sizes are its arms, unless one of them, first or last, is the sum of the others:
    "trainees (n = 157) were allocated to A (n = 78) or B (n = 79)" counts 157 people, not 314."""
    counts = [int(m.group("count").replace(",", "")) for m in sizes]
    if len(sizes) >= 3:
        for total, rest in ((0, slice(1, None)), (-1, slice(None, -1))):
            if counts[total] == sum(counts[rest]):
                hit = Hit(passage, sizes[total].start(), sizes[total].end())
                return suggestion(counts[total], [hit], ["the total of the arm sizes given with it"])
    return _sum_of_arms(passage, sizes, 0)


def _sum_of_arms(passage: Passage, sizes: list[re.Match[str]], evidence: int | str) -> Suggestion:
    """The arms' sizes added up, each size's match (or its `evidence` group) kept as evidence."""
    hits = [Hit(passage, m.start(evidence), m.end(evidence)) for m in sizes]
    total = sum(int(m.group("count").replace(",", "")) for m in sizes)
    return suggestion(total, hits, ["summed from the arm sizes"], limit=len(hits))


# Each arm's people in a bracket after it: "oxybutynin (515 patients) and tolterodine (505 patients)".
# Kinds of people each counted in a bracket, joined by "and": "adults with X (n = 31) and healthy
# volunteers (HV; n = 24)".
_N_GROUPS = rx(r"\b[Nn]\s*=\s*\d[\d,]*\s*\)\s*,?\s*(?:and|versus|vs\.?)\s+(?:[\w'-]+\s+){0,3}?" + PEOPLE +
               r"\s*\((?:[^()]{0,30}?[;,]\s*)?[Nn]\s*=\s*\d")
# Two arms set against each other with their sizes: "memantine (n=14) versus placebo (n=15)".
_N_VERSUS = rx(r"\(\s*n\s*=\s*\d[\d,]*\s*\)\s*(?:versus|vs\.?|compared\s+(?:with|to))\s+(?:[\w-]+\s+){0,3}?\(\s*n\s*=\s*\d")
_ARM_BRACKET = rx(r"\(\s*(?P<count>\d{1,3}(?:,\d{3})+|\d+)\s+" + PEOPLE + r"\s*\)")


def _bracketed_arms(passages: list[Passage]) -> Suggestion | None:
    """The sum of the arms whose sizes a sentence gives in brackets of their own, joined by and/or/versus."""
    for passage in passages:
        for sentence in passage.sentences:
            sizes = list(passage.finditer_in(_ARM_BRACKET, sentence.start, sentence.end))
            if len(sizes) < 2 or any(not re.search(r"\b(?:and|or|versus|vs)\b", passage.text[a.end():b.start()])
                                     for a, b in zip(sizes, sizes[1:])):
                continue
            return _sum_of_arms(passage, sizes, "count")
    return None


def _hedged(text: str, start: int) -> bool:
    """Whether a hedge ("about", "over") comes right before `start` (only its last words are read:
    the hedge pattern is anchored at the end, and scanning the whole text before is slow)."""
    return bool(HEDGE.search(text, max(0, start - 40), start))


# Brackets and age ranges ("between 5 and 12 years") neither end a clause nor give its verb.
_MASKED = re.compile(r"\([^()]*\)|\bbetween\s+\d+\s+and\s+\d+")


def _clause_verbs(text: str, start: int) -> list[str]:
    """The enrolment verbs of the clause after a count, in order."""
    # What brackets hold ("(mean age, 51 yr)") neither ends the clause nor gives its verb.
    window = _MASKED.sub(lambda m: " " * len(m.group()), text[start:start + 220])
    clause = _CLAUSE_END.search(window)
    end = clause.start() if clause else len(window)
    verbs = [" ".join(v.group("verb").lower().split()) for v in _ENROLMENT_VERB.finditer(window, 0, end)]
    return ["consented" if verb.endswith("consent") else verb for verb in verbs]


def _before_entry(verbs: list[str]) -> bool:
    """"150 patients screened, 98 enrolled": the first verb says what the count is ("who", "with" and
    "aged" only lead to it)."""
    leading = [verb for verb in verbs if verb not in ("who", "with", "aged")]
    if not leading or leading[0].removeprefix("were ") not in _BEFORE_ENTRY:
        return False
    # ("40 patients gave consent and were randomized": consent leads to entry when entry follows)
    return leading[0] != "consented" or not any(_VERB_RANK.get(verb, 0) >= 4 for verb in leading[1:])


def _verb_rank(text: str, start: int) -> float:
    """The strongest enrolment verb of the clause after a count: in "8076 patients aged 50 or over
    were randomly assigned" the count is of the randomised, whatever verb comes first."""
    return _rank_of_verbs(_clause_verbs(text, start))


def _rank_of_verbs(verbs: list[str]) -> float:
    if _before_entry(verbs):
        return -1.0
    ranks = [_VERB_RANK.get(verb, 0) for verb in verbs if verb.removeprefix("were ") not in _BEFORE_ENTRY]
    if ranks and min(ranks) < 0 and max(ranks) < 3:
        return -1.0
    return float(max(ranks, default=0))


# Counts of groups added up: "12 patients and 12 healthy volunteers", "133 patients were
# randomised to A and 129 to B", "88 patients received placebo and 162 patients received X".
_PEOPLE_PHRASE = r"(?:\s+" + _BETWEEN + PEOPLE + r"\b)"
_UNIT = (r"(?:mg|mcg|µg|g|kg|ml|l|mmol|iu|units?|years?|months?|weeks?|days?|hours?|h|min|times|doses?|"
         r"percent|cycles|sessions|visits|sites|centres|centers|studies|trials)")
_COUNT_GROUPS = re.compile(
    r"(?<![\d.,%/])\b(?P<first>" + COUNT + r")(?:" + _PEOPLE_PHRASE + r"|\s+(?:healthy\s+)?(?:male|female)(?=\s+and\b)|"
    # "296 Estrostep and 295 placebo patients", "eight atopic and eight healthy subjects": the noun
    # after the second count is the first's too
    # ("Four hundred and twenty-three patients" is one count)
    r"\s+(?!(?:hundred|thousand)\b)[\w-]+(?=\s+and\s+(?:" + COUNT + r")\s+(?:[\w-]+\s+)?" + PEOPLE + r"\b))" +
    # ("and in 18 healthy controls", "compared with five healthy subjects": the joiner may name the group's place)
    # (a bare comma first: "in 20 X, in 20 Y and in 20 Z" pairs the first two, the rest are read after)
    # (a square bracket between may hold anything: "18 patients [mean age (±s.e.m.) 76.2±1.8 yr] compared to")
    r"(?P<rest>(?:,\s*|(?:[^.;%()\[]|\([^().;%]*\)|\[[^\[\]]{0,80}\]){0,220}?(?:,\s*|\s+)(?:and|plus|as\s+well\s+as|"
    r"(?:and\s+)?(?:compared|contrasted)\s+(?:with|to)|versus|vs\.?)\s+)(?:(?:in|among|with|from)\s+)?" +
    r"(?P<second>" + COUNT + r")(?:" + _PEOPLE_PHRASE + r"|\s+(?:controls|to(?!\s+\d)|in|into|received|were|from|with)\b|"
    # "4320 patients were given A and 4336 B.": the second arm named by its drug alone
    r"\s+(?!" + _UNIT + r"\b)[a-z][\w-]*(?:\s+[\w-]+)?(?=\s*[.;](?:\s|$))))",
    re.IGNORECASE)


def _counted_before_bracket(text: str, start: int) -> bool:
    """Groups inside brackets that follow a count ("42 staff (9 managers and 13 nurses)") are the
    make-up of a sample counted already."""
    window = text[max(0, start - 80):start]
    bracket = re.search(r"\([^()]*$", window)
    return bool(bracket and _ANY_COUNT.search(window, max(0, bracket.start() - 40), bracket.start()))


_N_JUST_BEFORE = rx(r"\bn\s*=\s*(?P<count>\d+)\s*[,;:]\s*(?:of\s+whom\s+|including\s+)?$")


def _part_of_n_before(text: str, count: re.Match[str]) -> bool:
    """"(n = 23; 22 were included in analyses)": fewer than the n just given are a part of it."""
    before = _N_JUST_BEFORE.search(text, max(0, count.start() - 30), count.start())
    value = parse_count(count.group("count"))
    return before is not None and value is not None and value < int(before.group("count"))


def _make_up_of_n(first: Hit, total: int) -> bool:
    """"n = 26, 21 female and 5 male patients": the groups are the make-up of the n just given."""
    before = _N_JUST_BEFORE.search(first.passage.text, max(0, first.start - 30), first.start)
    return before is not None and int(before.group("count")) == total


def _group_sum(passages: list[Passage], parts: list[Hit], candidates: list[Candidate]) -> Suggestion | None:
    """Two groups counted in one enrolment sentence and joined by "and": their sum is the total
    (unless they are `parts` of a total counted before them, or the clinicians who ran a study that
    counts its patients: "run by 50 GPs and two neurologists, and included 294 patients")."""
    patients = any(c[0] >= 3 and not _counts_professionals(c[1]) for c in candidates)
    for total, hits in _group_sums(passages):
        if any(_inside(hits[0], span) for span in parts) or _make_up_of_n(hits[0], total) or (
                patients and all(_PROFESSIONALS_AFTER.match(h.passage.text, h.end) for h in hits)):
            continue
        return suggestion(total, hits, ["summed from the group sizes"])
    return None




def _group_sums(passages: list[Passage]) -> Iterator[tuple[int, list[Hit]]]:
    """Every sum of two groups counted together ("12 patients and 12 healthy volunteers")."""
    for passage in passages:
        for match in passage.finditer(_COUNT_GROUPS):
            sentence = passage.sentence_of(match.start())
            if in_background(Hit(passage, match.start(), match.end())) or not (
                    _GROUP_SENTENCE.search(sentence.text) or _CASES_AND_CONTROLS.match(passage.text, match.start())):
                continue
            before = passage.text[max(0, match.start() - 30):match.start()]
            if _hedged(passage.text, match.start()) or _counted_before_bracket(passage.text, match.start()) or (
                    ("%" in before[-8:] or _SHARE_OF.search(passage.text, max(0, match.start() - 40), match.start()))
                    and not _TOTAL_OF.search(before) and not _SAMPLE_OF.search(before)):
                continue
            # "1200 underwent randomization, and 1190 (400 in A, 395 in B)": a count inside the bracket
            # that breaks down another count is no second group.
            between = passage.text[match.end("first"):match.start("second")]
            if between.count("(") > between.count(")"):
                continue
            first, second = parse_count(match.group("first")), parse_count(match.group("second"))
            if first is None or second is None or min(first, second) < 2:
                continue
            # "110 were evaluated and 105 enrolled": counts at different stages do not add up.
            if _OTHER_STAGE.search(passage.text, match.start(), match.start("second")) or \
                    _LATER_STAGE_AFTER.match(passage.text, match.end("second")):
                continue
            # "119 participants, 59 and 60 in the two groups": the first count is the total of the rest
            # (not when its parts end before the second group: "16 patients (7 pre- and 9 postmenopausal) and 19 controls").
            parts_end = _parts_end(passage.text, first, match.end("first"), sentence.end)
            if parts_end is not None and parts_end > match.start("second"):
                continue
            if _PROFESSIONALS.search(passage.text, match.start(), match.start("rest")) and \
                    not _PROFESSIONALS.search(passage.text, match.start("second"), match.end()):
                continue  # "105 physicians and 64,150 patients": the clinicians are a cluster trial's units
            hits = [Hit(passage, match.start("first"), match.end("first")),
                    Hit(passage, match.start("second"), match.end("second"))]
            yield first + second + sum(_further_groups(passage, match, hits)), hits


# A third or later group in the same list: "in 20 healthy subjects, in 20 patients with A and in 20 with B".
# (Between them only the words that describe the group before: no verb, no "of" leading to a larger count.)
_NEXT_GROUP = rx(r"(?:\s+(?!(?:of|were|was|had|have|and|or|in|who|completed|received|than)\b)[\w'/-]+|\s*\([^()]*\)){0,8}?"
                 r"(?:,\s*|\s+)(?:and\s+|as\s+well\s+as\s+)?(?:(?:in|among|with)\s+)?"
                 r"(?P<count>" + COUNT + r")" + _PEOPLE_PHRASE)


def _further_groups(passage: Passage, match: re.Match[str], hits: list[Hit]) -> Iterator[int]:
    """The counts of the groups listed right after a matched pair (their hits appended to `hits`)."""
    end = match.end()
    while (after := _NEXT_GROUP.match(passage.lowered or passage.text, end)) is not None:
        count = parse_count(after.group("count"))
        if count is None or _LATER_STAGE_AFTER.match(passage.text, after.end()):
            return
        hits.append(Hit(passage, after.start("count"), after.end("count")))
        end = after.end()
        yield count


# "a group of 18 patients ... and 22": "of" after a word for a sample is no share of it.
# "telomeres measured in 386 cases and 896 matched controls": patients and their controls, whatever
# the verb that measured them.
_CASES_AND_CONTROLS = rx(r"(?:" + COUNT + r")\s+[^.;]{0,160}?\band\s+(?:" + COUNT + r")\s+(?:[\w-]+\s+){0,2}?"
                         r"(?:controls|control\s+subjects)\b")
_SAMPLE_OF = rx(r"\b(?:group|sample|cohort|series|population|consist\w*|compris\w*|compos\w*|made\s+up)\s+of\s*$")
# "Of (the) 1013 randomized patients, 722 completed": a count after "of" is the whole whose shares
# follow, a percentage's base, never a group to add to the next count.
# (Only "of" that opens a clause or follows a count: "the skin of 19 patients" is no share.)
_SHARE_OF = rx(r"(?:^|[.;:,(]\s*|(?<![\d.,])\d[\d,]*\s*(?:\(\s*[\d.]+\s*%\s*\)\s*)?(?:out\s+)?)of\s+"
               r"(?:the\s+|these\s+|those\s+|all\s+(?:the\s+)?)?$")
_OTHER_STAGE = rx(r"\b(?:screened|evaluated|assessed|approached|invited|eligible|consent(?:ed)?|completed|analy[sz]ed|withdr[ae]w\w*|"
                   r"discontinued|excluded|dropped)\b")
# "8059 were enrolled, and 7968 received at least one dose": the second count is a later stage.
_LATER_STAGE_AFTER = rx(r"\s*(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s*)?(?:\w+\s+)?(?:(?:received|took|had)\s+(?:at\s+least|one\s+or\s+more)|"
                         r"completed|were\s+(?:analy[sz]ed|evaluable|assessable|followed|lost)|finished|withdr[ae]w|"
                         r"dropped\s+out|discontinued)\b")
# (A count followed by a unit is a dose or a duration, never a group.)
_ANY_COUNT = re.compile(r"(?<![\d.,%/])\b(?P<count>" + COUNT + r")\b(?![.,]\d|\s*%|[\s-]*" + _UNIT + r"\b)", re.IGNORECASE)


def _splits_into_parts(text: str, total: int, start: int, end: int) -> bool:
    """Whether two or more successive counts after `start` (up to `end`) add up to `total`."""
    return _parts_end(text, total, start, end) is not None


def _parts_end(text: str, total: int, start: int, end: int) -> int | None:
    """Where the successive counts after `start` that add up to `total` end, if there are such."""
    counts = [(c, m.end()) for m in _ANY_COUNT.finditer(text, start, end)
              if (c := parse_count(m.group("count")))]  # (a zero is no group: "on day 0 and 3")
    for first in range(len(counts)):
        running = counts[first][0]
        for count, count_end in counts[first + 1:]:
            running += count
            if running == total:
                return count_end
            if running > total:
                break
    return None


# (an age range in apposition, "Forty-five children, 2.02 to 7.58 years old, completed", goes on to the
# clause's verb; a decimal point ends nothing)
_CLAUSE_END = re.compile(r"(?<!\d)\.|\.(?!\d)|;|,\s+(?:and|but|while|whereas|of\s+whom|of\s+which)\b|"
                         r",\s+\d(?![\d.]*\s*(?:to|-|\u2013)\s*[\d.]+\s*(?:years?|yrs?|months?)\b)|\s+and\s+\d")
_GROUP_SENTENCE = rx(r"\brandomi|\bassign|\ballocat|\benrol|\brecruit|\binclud|\bstudied\b|\bparticipat|"
                      r"\breceived\b|\bunderwent\b|\binterview|\b(?:trial|study)\s+(?:[^.;]{0,60}?\s)?in\s+\d|\b(?:measured|examined|investigated|tested)\s+(?:[^.;]{0,200}?\s)?(?:in|on)\s+\d|\bwe\s+(?:studied|examined|investigated|compared)\b|"
                      r"\bsample\s+of\b|\bsurvey|\bquestionnaires?\b|\bconsisted\b|\bcomprised\b|\b(?:composed|made\s+up)\s+of\b|\btook\s+part\b|"
                      r"\bwere\s+(?:studied|treated|evaluated|administered)\b|\b(?:performed|conducted|carried\s+out|"
                      r"undertaken)\s+(?:in|on|with)\b|\bgroups?\s+of\b|\bwere\s+(?:given|compared|tested|scanned)\b|"
                      # a comparison group of healthy or matched people ("compared with five healthy subjects")
                      r"\b(?:compared|contrasted)\s+(?:with|to)\s+(?:" + COUNT + r")\s+(?:[\w-]+,?\s+){0,3}?"
                      r"(?:healthy|normal|matched|age-matched|control)\b")


# "a total of 1077 (78%) chose to continue": a total with no noun, before what the people did.
_TOTAL_BARE = rx(r"\btotal\s+of\s+(?P<count>" + COUNT + r")\s+(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s+)?"
                  r"(?P<verb>were|was|had|chose|agreed|entered|consented|participated|took|completed|received|"
                  r"underwent|met|responded|returned)\b")


def _rank_bare_total(passage: Passage, match: re.Match[str]) -> tuple[float, Hit, int | None, str]:
    written = match.group("count")
    hit = Hit(passage, match.start("count"), match.end("count"))
    value = parse_count(written)
    if value is None or value < 2 or match.group("verb").lower() == "completed":
        return (0.0, hit, None, written)
    return (3.0 + max(0.0, _verb_rank(passage.text, match.start("verb"))), hit, value, written)


def _rank_bare_count(passage: Passage, match: re.Match[str], verb: str) -> tuple[float, Hit, int | None, str]:
    written = match.group("count")
    hit = Hit(passage, match.start("count"), match.end("count"))
    value = parse_count(written)
    if value is None or value < 2 or (1900 <= value <= 2030 and "," not in written) or \
            _hedged(passage.text, match.start()):
        return (0.0, hit, None, written)
    return (5.0 if "random" in verb else 4.0, hit, value, written)


_DENOMINATOR = re.compile(r"\b(?:" + COUNT + r")\s+(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s+)?(?:out\s+)?of\s+(?:the\s+)?$",
                          re.IGNORECASE)
_COMPLETION = rx(r"[^.;]{0,40}?\b(?:completed|finished|withdr[ae]w|dropped\s+out|discontinued|were\s+(?:analy[sz]ed|"
                  r"evaluable|lost))\b")


# "bleeding occurred in 7 patients": those an event happened to, a result.
# (Not "recorded in" or "observed in": a measure taken in the sample.)
_EVENT_IN_BEFORE = rx(r"\b(?:occurred|developed|died|resolved|improved|worsened|decreased|increased|"
                      r"reduced)\s+(?:only\s+)?(?:in|among)\s+$")
# ("In study 2, no women", "type 2 diabetes patients"; not "in a randomized study 56 patients", whose
# number follows a described design.)
_LABEL_BEFORE = rx(r"(?:^|[.;:,(]\s*|\b(?:in|of|for|from|during|at|and|to)\s+)(?:study|trial|group|phase|part|arm|period|"
                   r"cycle|visit|week|day|month|year|stage|grade|step|experiment|cohort|wave)\s*$|\btype\s*$")
# The members of a panel that wrote a consensus or guideline are its authors, not a study's sample
# ("a consensus group of 20 specialists"; a Delphi panel that rated statements is surveyed, and counts).
_PANEL = rx(r"\bconsensus\s+(?:group|panel|meeting|document|statement|conference|recommendations)\b|"
            r"\b(?:task\s+force|working\s+group|guideline\s+(?:development\s+)?group)\b")
_SHARE_AFTER = re.compile(r"\s*\(\s*\d+(?:\.\d+)?\s*%\s*\)")
_ARM_WORDS = rx(r"\b(?:either|received|receiving|given|treated\s+with|groups?|arms?|doses?|\d+\s*-?\s*mg)\b")
# "participants classified as prosocial (N = 12)": a subgroup by what its members did, no arm.
_CLASSIFIED = rx(r"\b(?:classified|categori[sz]ed|identified|defined|grouped)\s+as\b")
# "a double-blind study of 20 male participants": the study's own sample.
_STUDY_OF_BEFORE = rx(r"\b(?<!previous\s)(?<!earlier\s)(?<!prior\s)(?:study|trial|experiment)\s+"
                      r"(?:of|in|with|involving)\s+(?:a\s+total\s+of\s+)?$")
# "109 consecutive patients": a series is named by the people who entered it.
_CONSECUTIVE = rx(r"\s+(?:[\w-]+\s+)?consecutive\b")
# "1013 randomized patients", "the 64 enrolled subjects": the stage is said before the noun.
_ENTRY_ADJECTIVE = rx(r"(?<!non-)(?<!non)\b(?:randomi[sz]ed|enrolled|recruited)\b")
# "the 1377 patients completing the 12-week study": those who finished an earlier stage.
_COMPLETING_AFTER = rx(r"\s+(?:who\s+(?:had\s+)?)?(?:completing|completed|finishing|finished)\s+(?:the\s+|a\s+|their\s+|all\s+)?"
                       r"(?:[\w-]+,?\s+){0,4}?(?:study|trial|treatment|phase|period|course|protocol|follow-?up|therapy|"
                       r"weeks?|months?)\b")
# "12 of the 15 patients who completed the trial": the denominator counts completers.
_WHO_COMPLETED = rx(r"\s+who\s+(?:had\s+)?(?:completed|finished)\b")
# An analysis population is counted after entry: "the intention-to-treat population comprised 412
# patients", "129 patients were included in the analysis of efficacy". (A cohort's "included in the
# analyses", with no such qualifier, is the sample itself.)
_ANALYSIS_KIND = r"(?:intent(?:ion)?-to-treat|ITT|per-protocol|full\s+analysis|efficacy|safety|evaluable)"
_ANALYSIS_SET_BEFORE = rx(r"\b" + _ANALYSIS_KIND + r"\s+(?:population|set|sample)\s+(?:\w+\s+){0,2}?$|"
                          r"\b" + _ANALYSIS_KIND + r"\s+analys[ie]s,?\s+(?:which\s+|that\s+)?(?:included|comprised|involved|of)\s+$|"
                          # Counts after entry: those excluded or lost, those a measure could be read for.
                          r"\b(?:exclusion|withdrawal|loss|removal|dropout|drop-out)\s+of\s+(?:the\s+)?$|"
                          r"\b(?:evaluable|assessable|available|analy[sz]ed)\s+(?:for|in|from)\s+$")
_IN_ANALYSIS = rx(r"\s+in\s+(?:the\s+)?(?:" + _ANALYSIS_KIND + r"\s+analys[ie]s\b|analys[ie]s\s+of\s+(?:[\w-]+\s+)?"
                  r"(?:efficacy|safety)\b)")
# An abstract that counts only such a population states no number who entered.
_ANALYSIS_ONLY = rx(r"\b" + _ANALYSIS_KIND + r"\s+(?:population|set|sample)\s+(?:\w+\s+){0,2}?\d|"
                    r"\b(?:were|was)\s+included" + _IN_ANALYSIS.pattern)
_INCLUDED_IN_ANALYSIS = rx(r"\s+(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s+)?(?:were|was)\s+included" + _IN_ANALYSIS.pattern)
_ONLY_ANALYSED = rx(r"\b(?:evaluable|assessable|analy[sz]able|analy[sz]ed|completing)\b")


# A structured abstract's participants section, its label gone, is a sentence with no verb that
# opens with the count: "Sixty women aged 45 to 60 years; mean age 52."
_FINITE_VERB = rx(r"\b(?:were|was|is|are|had|has|have|did|will|would|can|may|underwent|showed|took|gave|"
                   r"(?!aged\b)\w+ed)\b")


_OF_THE_SAMPLE = rx(r"(?:^|[.;:]\s+)(?:of|among)\s+(?:the|these|all)\s+$")


def _participants_fragment(passage: Passage, match: re.Match[str]) -> bool:
    sentence = passage.sentence_of(match.start())
    if sentence.start != match.start():
        return False
    # A relative clause's verb is not the sentence's ("Sixty residents with urge incontinence, whose
    # incontinence did not respond to ...").
    relative = _RELATIVE_CLAUSE.search(passage.text, match.end(), sentence.end)
    return not _FINITE_VERB.search(passage.text, match.end(), relative.start() if relative else sentence.end)


_RELATIVE_CLAUSE = re.compile(r",\s+(?:who|whose|which|whom)\b")


_GROUP_SIZE_BEFORE = rx(r"\b(?:groups|teams|triads|clusters|sets)\s+of\s*$")


def _rank_count(passage: Passage, match: re.Match[str]) -> tuple[float, Hit, int | None, str]:
    written = passage.text[match.start("count"):match.end("count")]
    hit = Hit(passage, match.start("count") if not match.group("hedge") else match.start(), match.end())
    text = passage.text
    before = text[max(0, match.start() - 30):match.start()]
    # Counts that are not people: "2 of 3 patients", percentages, ages, doses, durations.
    # (and a rate's denominator: "16 in 10,000 individuals")
    if re.search(r"(?:%\s+of(?:\s+(?:the|those|these))?|/|%|\bper|\baged?|\d\s*(?:and|or|to|-|\u2013|in))\s*$", before) and not _TOTAL_OF.search(before):
        return (0.0, hit, None, written)
    if _LABEL_BEFORE.search(before):
        return (0.0, hit, None, written)  # "In study 2, no women ...": the number names a study, arm or visit
    if _GROUP_SIZE_BEFORE.search(before):
        return (0.0, hit, None, written)  # "assembled into groups of 3 unacquainted persons each": one group's size
    if _PANEL.search(passage.sentence_of(match.start()).text):
        return (0.0, hit, None, written)
    if re.match(r"\s*(?:%|percent|mg|years?|weeks?|days?|months?|hours?|h\b)", text[match.end("count"):]):
        return (0.0, hit, None, written)
    value = parse_count(written)
    if match.group("hedge") or _hedged(text, match.start("count")):
        value = None
        written = text[match.start():match.end("count")]
    verbs = _clause_verbs(text, match.end())
    rank = _rank_of_verbs(verbs)
    if value is not None and re.match(r"\s*\(", text[match.end():]) and _splits_into_parts(
            text, value, match.end(), text.find(")", match.end()) + 1):
        # "150 children (30 boys and 120 girls)": a total with its parts.
        rank = max(rank, 3.0)
    denominator = _DENOMINATOR.search(before)
    # "one of 7 patients" is a subgroup's denominator, whatever preposition leads to it.
    if _BEFORE_RANK.search(before) and not denominator:
        rank = max(rank, 3.0)
    if _RANDOMISED_BEFORE.search(before):
        rank = max(rank, 5.0)  # "The trial randomly assigned 16,608 women to ..."
    elif _WE_ENROLLED_BEFORE.search(before) or _STUDY_OF_BEFORE.search(before):
        rank = max(rank, 4.0)
    if _CONSECUTIVE.match(match.group(), match.end("count") - match.start()):
        rank = max(rank, 4.0)
    adjective = _ENTRY_ADJECTIVE.search(match.group(), match.end("count") - match.start())
    if adjective:
        rank = max(rank, 5.0 if adjective.group().lower().startswith("random") else 4.0)
    if re.search(r"\b(?:additional|further|another)\s+$", before):
        return (0.0, hit, None, written)  # an additional group: added to the main count, never the count
    if _participants_fragment(passage, match):
        rank = max(rank, 3.5)
    if _OF_THE_SAMPLE.search(before) and re.match(r"\s*,", text[match.end():]):
        # "Of the 4146 attenders, 2910 showed...": the sample whose parts the sentence goes on to count.
        rank = max(rank, 3.0)
    if _TOTAL_OF.search(before):
        rank += 3.0
    elif denominator and _COMPLETION.match(text, match.end()):
        # "46 of 70 patients completed": the 70 entered the study; but "12 of the 15 patients who
        # completed the trial responded" counts completers.
        rank = -1.0 if _WHO_COMPLETED.match(text, match.end()) else max(rank, 4.0)
    if rank < 4 and _SHARE_AFTER.match(text, match.end()):
        rank = min(rank, 1.0)  # "occurred in 20 subjects (32%)": a share of the sample, not the sample
    if passage.field == "title":
        rank = max(rank, 2.5)
    if rank == 0 and value is not None and not passage.field.startswith("jats"):
        rank = 0.5 if passage.sentences and passage.sentences[0].start <= match.start() else 0.0
    if rank < 4 and _EVENT_IN_BEFORE.search(before):
        rank = 0.0
    if value is not None and (value < 2 or (1900 <= value <= 2030 and "," not in written)):
        rank = 0.0
    if match.group().lower().endswith("completers") or _ONLY_ANALYSED.search(match.group()) or \
            (_COMPLETING_AFTER.match(text, match.end()) and not denominator) or \
            _ANALYSIS_SET_BEFORE.search(text, max(0, match.start() - 70), match.start()) or _INCLUDED_IN_ANALYSIS.match(text, match.end()):
        rank = -1.0
    if _before_entry(verbs):
        rank = min(rank, 0.5)  # "A total of 596 patients were screened": a stage before entry, whatever leads to it
    return (rank, hit, value, written)
