"""Participant rules: how many took part (n_total), their age group and the condition that defines them.
"""

from __future__ import annotations

import re

from livingreview.extraction.lexicon import text_spans
from livingreview.extraction.model import NOT_STATED, Suggestion
from livingreview.extraction.passages import before_own_study, find, Hit, in_background, Passage, rx, suggestion
from livingreview.extraction.text import COUNT, HEDGE, parse_count
from livingreview.protocol.models import Protocol
from livingreview.screening.criteria import is_negated


_PEOPLE = (r"(?:patients|subjects|participants|volunteers|adults|children|adolescents|women|men|"
           r"individuals|outpatients|inpatients|persons|people|males|females|boys|girls|infants|"
           r"smokers|students|veterans|cases|youths?|teenagers|elderly|healthy\s+volunteers|drivers|"
           r"respondents|mothers|parents|couples|nurses|physicians|practitioners|residents|workers|"
           r"survivors|users|athletes|employees|pregnancies|GPs|general\s+practitioners|doctors|clinicians|"
           r"pharmacists|dentists|caregivers|carers|families|households|"
           r"(?:[A-Z][A-Za-z-]*\s+)?sufferers|migraineurs|asthmatics|completers|controls|control\s+subjects|staff|"
           r"professionals|midwives|managers|teachers|pupils|prescribers)")
# Words between a count and its noun are adjectives ("24 healthy male volunteers"), never verbs,
# prepositions, units or other nouns ("2 drugs was similar, although more patients").
_BETWEEN = (r"(?:(?!(?:was|were|is|are|be|been|of|to|for|with|and|or|in|on|at|by|from|than|the|that|"
            r"which|who|drugs?|times|occasions|groups?|studies|trials|weeks?|days?|months?|years?|hours?|"
            r"included|received|treated|respectively|although|more|less|each|per|all)\b)"
            r"[A-Za-z][\w'/-]*,?\s+){0,4}?")
_PEOPLE_COUNT = re.compile(
    r"(?P<hedge>\b(?:approximately|about|around|almost|nearly|roughly|over|more\s+than|up\s+to)\s+)?"
    r"\b(?P<count>" + COUNT + r")(?:\s+\(\d[\d,]*\)|\))?,?\s+" + _BETWEEN + _PEOPLE + r"\b", re.IGNORECASE)
# "Patients (N = 5435)": the count given in brackets after the people it counts.
_PEOPLE_N = re.compile(r"\b" + _PEOPLE + r"\b(?:[^.;()]|\([^()]{0,30}\)){0,60}?\(\s*[Nn]\s*=\s*(?P<count>\d{1,3}(?:,\d{3})+|\d+)\s*\)",
                       re.IGNORECASE)
# A count with no noun, before the verb that enrols it: "98 were enrolled", "212 (91%) were randomized".
# The verb is found first and the count read back from it (scanning for counts everywhere is slow).
_BARE_VERB = rx(r"\b(?:(?:were|was|had\s+been)\s+(?P<verb>randomi[sz]ed|randomly|enrolled|included|recruited)|"
                 r"(?P<verb2>responded|participated|took\s+part))\b")
_COUNT_BEFORE = re.compile(r"(?<![\d.,%/])\b(?P<count>" + COUNT + r")\s+(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s+)?$",
                           re.IGNORECASE)
# A case report is of one person: "a 34-year-old woman", "we report the case of a man".
_CASE_REPORT = rx(r"\bcase\s+(?:presentation|report|description)\b|\bwe\s+(?:report|present|describe)\s+(?:the\s+|a\s+)?"
                   r"(?:first\s+|rare\s+|unusual\s+)?case\b")
_ONE_PERSON = rx(r"\b(?:a|an)\s+\d{1,3}[- ](?:year|yr|month)s?[- ]old\b")
# A study's own size in brackets: "a randomized controlled trial (N = 132)"; the bracket is found
# first, the design noun read back from it.
_BRACKET_N = rx(r"\(\s*n\s*=\s*(?P<count>\d{1,3}(?:,\d{3})+|\d+)\s*\)")
_DESIGN_BEFORE = rx(r"\b(?:a|an|this|our|the\s+present|the\s+current)\s+(?:[\w-]+,?\s+){0,5}?"
                     r"(?:trial|study|sample|cohort|survey|experiment)\s*$")
_N_EQUALS = re.compile(r"\b[Nn]\s*=\s*(?P<count>\d{1,3}(?:,\d{3})+|\d+)")
_TOTAL_OF = rx(r"\b(?:a\s+)?total\s+of\s*$|\(?\btotal:?\s*$|\boverall,?\s*$|\bin\s+all,?\s*$")
_ENROLMENT_VERB = rx(r"\b(?P<verb>randomi[sz]ed|randomly|enrolled|recruited|included|entered|"
                      r"participated|took\s+part|were\s+studied|were\s+treated|were\s+assigned|were\s+allocated|"
                      r"completed|were\s+evaluated|were\s+analy[sz]ed|received|underwent|(?:were\s+)?screened|"
                      r"(?:were\s+)?assessed\s+for\s+eligibility|(?:were\s+)?approached|(?:were\s+)?invited|"
                      r"(?:were\s+)?contacted|(?:were\s+)?eligible|responded|with|who|aged)")
_VERB_RANK = {"randomized": 5, "randomised": 5, "randomly": 5, "were assigned": 5, "were allocated": 5,
              "enrolled": 4, "recruited": 4, "included": 4, "entered": 4, "participated": 4,
              "took part": 4, "were studied": 4, "were treated": 3, "received": 3, "underwent": 3,
              "responded": 4, "with": 2, "who": 2, "aged": 2, "were evaluated": 1,
              # Counted after entry (completers, the analysed) or before it (the screened): not who entered.
              "completed": -1, "were analyzed": -1, "were analysed": -1}
_BEFORE_ENTRY = ("screened", "assessed for eligibility", "approached", "invited", "contacted", "eligible")
_BEFORE_RANK = rx(r"(?:\b(?:randomi[sz]ed|enrolled|recruited|included|studied|treated|involving|involved|"
                   r"comprising|comprised|consisted\s+of|in|of|from|(?:conducted|performed|carried\s+out)\s+on|"
                   r"(?:administered|given|offered)\s+to)|\b(?:participants|subjects|patients|sample|population)\s*:)\s+$")


def n_total(passages: list[Passage]) -> Suggestion:
    """Participants randomised or enrolled in the whole study, or a flag when only estimated."""
    candidates: list[tuple[float, Hit, int | None, str]] = []
    for passage in passages:
        for match in passage.finditer(_PEOPLE_COUNT):
            candidates.append(_rank_count(passage, match))
        for match in passage.finditer(_PEOPLE_N):
            hit = Hit(passage, match.start("count"), match.end("count"))
            candidates.append((3.5, hit, int(match.group("count").replace(",", "")), match.group("count")))
        for verb in passage.finditer(_BARE_VERB):
            count = _COUNT_BEFORE.search(passage.text, max(0, verb.start() - 40), verb.start())
            if count is not None:
                candidates.append(_rank_bare_count(passage, count, verb.group("verb") or verb.group("verb2")))
        for match in passage.finditer(_BRACKET_N):
            if _DESIGN_BEFORE.search(passage.text, max(0, match.start() - 80), match.start()):
                hit = Hit(passage, match.start("count"), match.end("count"))
                candidates.append((4.0, hit, int(match.group("count").replace(",", "")), match.group("count")))
    candidates = [c for c in candidates if c[0] > 0]
    totals = [c for c in candidates if c[0] >= 6]  # "a total of N ... randomised"
    summed = _group_sum(passages)
    # A stated total wins over groups counted elsewhere, not over the groups it introduces
    # ("a total of 12 healthy male and 12 healthy female volunteers").
    if summed is not None and (not totals or any(
            e.start == c[1].start or e.start == c[1].passage.text.find(c[3], c[1].start)
            for c in totals for e in summed.evidence[:1])):
        return summed
    if not any(c[0] >= 4 for c in candidates):
        summed = arm_sizes(passages)
        if summed is not None:
            return summed
    if not candidates:
        if find(passages, _CASE_REPORT, negatable=False):
            return suggestion(1, find(passages, _ONE_PERSON, negatable=False)[:1], ["a case report: one person"])
        return Suggestion(None)
    best = max(candidates, key=lambda c: (c[0], -c[1].passage.field.startswith("title"), -c[1].start))
    rank, hit, value, written = best
    if value is None:
        return suggestion(None, [hit], [f"unparsed: {written!r}"])
    return suggestion(value, [hit])


_ARMS_SENTENCE = rx(r"\brandomi|\bassign|\ballocat|\bgroups?\b|\barms?\b|\breceived\b|\binterview|\benrol|"
                     r"\brecruit|\bincluded\b|\bstudied\b|\bparticipants\b|\bsurvey|\bquestionnaire")


_WAVES = rx(r"\b(?:again|time\s*[12]|waves?|follow-?up|re-?assessed|re-?surveyed)\b")


def arm_sizes(passages: list[Passage]) -> Suggestion | None:
    """The sum of every arm's n when a sentence gives each arm's size and no total is stated."""
    for passage in passages:
        for sentence in passage.sentences:
            if not _ARMS_SENTENCE.search(sentence.text):
                continue
            sizes = list(_N_EQUALS.finditer(passage.text, sentence.start, sentence.end))
            if len(sizes) >= 2 and _WAVES.search(sentence.text):
                # The same people measured again ("Time 1; N = 600 ... Time 2; N = 412"): the first entered.
                first = sizes[0]
                return suggestion(int(first.group("count").replace(",", "")), [Hit(passage, first.start(), first.end())],
                                  ["the first of repeated measurements"])
            if len(sizes) >= 2:
                total = sum(int(m.group("count").replace(",", "")) for m in sizes)
                hits = [Hit(passage, m.start(), m.end()) for m in sizes]
                return suggestion(total, hits, ["summed from the arm sizes"], limit=len(hits))
    return None


def _verb_rank(text: str, start: int) -> float:
    """The strongest enrolment verb of the clause after a count: in "8076 patients aged 50 or over
    were randomly assigned" the count is of the randomised, whatever verb comes first."""
    clause = _CLAUSE_END.search(text, start, start + 80)
    end = clause.start() if clause else min(len(text), start + 80)
    verbs = [" ".join(v.group("verb").lower().split()) for v in _ENROLMENT_VERB.finditer(text, start, end)]
    # "150 patients screened, 98 enrolled": the first verb says what the count is ("who", "with" and
    # "aged" only lead to it).
    leading = [verb for verb in verbs if verb not in ("who", "with", "aged")]
    if leading and leading[0].removeprefix("were ") in _BEFORE_ENTRY:
        return -1.0
    ranks = [_VERB_RANK.get(verb, 0) for verb in verbs if verb.removeprefix("were ") not in _BEFORE_ENTRY]
    if ranks and min(ranks) < 0 and max(ranks) < 3:
        return -1.0
    return float(max(ranks, default=0))


# Counts of groups added up: "12 patients and 12 healthy volunteers", "133 patients were
# randomised to A and 129 to B", "88 patients received placebo and 162 patients received X".
_PEOPLE_PHRASE = r"(?:\s+" + _BETWEEN + _PEOPLE + r"\b)"
_COUNT_GROUPS = re.compile(
    r"(?<![\d.,%/])\b(?P<first>" + COUNT + r")(?:" + _PEOPLE_PHRASE + r"|\s+(?:healthy\s+)?(?:male|female)(?=\s+and\b)|"
    # "296 Estrostep and 295 placebo patients": the noun after the second count is the first's too
    r"\s+[\w-]+(?=\s+and\s+\d[\d,]*\s+(?:[\w-]+\s+)?" + _PEOPLE + r"\b))" +
    r"(?P<rest>(?:[^.;%]{0,220}?(?:,\s*|\s+)(?:and|plus|as\s+well\s+as)\s+|,\s+)" +
    r"(?P<second>" + COUNT + r")(?:" + _PEOPLE_PHRASE + r"|\s+(?:controls|to|in|into|received|were|from)\b))",
    re.IGNORECASE)


def _counted_before_bracket(text: str, start: int) -> bool:
    """Groups inside brackets that follow a count ("42 staff (9 managers and 13 nurses)") are the
    make-up of a sample counted already."""
    window = text[max(0, start - 80):start]
    bracket = re.search(r"\([^()]*$", window)
    return bool(bracket and _ANY_COUNT.search(window, max(0, bracket.start() - 40), bracket.start()))


def _group_sum(passages: list[Passage]) -> Suggestion | None:
    """Two groups counted in one enrolment sentence and joined by "and": their sum is the total."""
    for passage in passages:
        for match in passage.finditer(_COUNT_GROUPS):
            sentence = passage.sentence_of(match.start())
            if in_background(Hit(passage, match.start(), match.end())) or not _GROUP_SENTENCE.search(sentence.text):
                continue
            before = passage.text[max(0, match.start() - 30):match.start()]
            if HEDGE.search(passage.text[:match.start()]) or _counted_before_bracket(passage.text, match.start()) or (
                    re.search(r"%|\bof\s*$", before[-8:]) and not _TOTAL_OF.search(before)):
                continue
            first, second = parse_count(match.group("first")), parse_count(match.group("second"))
            if first is None or second is None or min(first, second) < 2:
                continue
            # "110 were evaluated and 105 enrolled": counts at different stages do not add up.
            if _OTHER_STAGE.search(passage.text, match.start(), match.start("second")):
                continue
            # "119 participants, 59 and 60 in the two groups": the first count is the total of the rest.
            if _splits_into_parts(passage.text, first, match.end("first"), sentence.end):
                continue
            hits = [Hit(passage, match.start("first"), match.end("first")),
                    Hit(passage, match.start("second"), match.end("second"))]
            return suggestion(first + second, hits, ["summed from the group sizes"])
    return None


_OTHER_STAGE = rx(r"\b(?:screened|evaluated|assessed|approached|invited|eligible|completed|analy[sz]ed|withdr[ae]w\w*|"
                   r"discontinued|excluded|dropped)\b")
_ANY_COUNT = re.compile(r"(?<![\d.,%/])\b(?P<count>" + COUNT + r")\b(?![.,]\d|\s*%)", re.IGNORECASE)


def _splits_into_parts(text: str, total: int, start: int, end: int) -> bool:
    """Whether two or more successive counts after `start` (up to `end`) add up to `total`."""
    counts = [c for m in _ANY_COUNT.finditer(text, start, end) if (c := parse_count(m.group("count"))) is not None]
    for first in range(len(counts)):
        running = counts[first]
        for count in counts[first + 1:]:
            running += count
            if running == total:
                return True
            if running > total:
                break
    return False


_CLAUSE_END = re.compile(r"[.;]|,\s+(?:and|but|while|whereas|of\s+whom|of\s+which)\b|,\s+\d|\s+and\s+\d")
_GROUP_SENTENCE = rx(r"\brandomi|\bassign|\ballocat|\benrol|\brecruit|\binclud|\bstudied\b|\bparticipat|"
                      r"\breceived\b|\bunderwent\b|\binterview|\bwe\s+(?:studied|examined|investigated)\b|"
                      r"\bsample\s+of\b|\bsurvey|\bquestionnaires?\b|\bconsisted\b|\bcomprised\b|\btook\s+part\b|"
                      r"\bwere\s+(?:studied|treated|evaluated)\b")


def _rank_bare_count(passage: Passage, match: re.Match[str], verb: str) -> tuple[float, Hit, int | None, str]:
    written = match.group("count")
    hit = Hit(passage, match.start("count"), match.end("count"))
    value = parse_count(written)
    if value is None or value < 2 or (1900 <= value <= 2030 and "," not in written) or \
            HEDGE.search(passage.text[:match.start()]):
        return (0.0, hit, None, written)
    return (5.0 if verb.startswith("random") else 4.0, hit, value, written)


_DENOMINATOR = re.compile(r"\b(?:" + COUNT + r")\s+(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s+)?(?:out\s+)?of\s+(?:the\s+)?$",
                          re.IGNORECASE)
_COMPLETION = rx(r"[^.;]{0,40}?\b(?:completed|finished|withdr[ae]w|dropped\s+out|discontinued|were\s+(?:analy[sz]ed|"
                  r"evaluable|lost))\b")


_ONLY_ANALYSED = rx(r"\b(?:evaluable|assessable|analy[sz]able|analy[sz]ed|completing)\b")


def _rank_count(passage: Passage, match: re.Match[str]) -> tuple[float, Hit, int | None, str]:
    written = passage.text[match.start("count"):match.end("count")]
    hit = Hit(passage, match.start("count") if not match.group("hedge") else match.start(), match.end())
    text = passage.text
    before = text[max(0, match.start() - 30):match.start()]
    # Counts that are not people: "2 of 3 patients", percentages, ages, doses, durations.
    if re.search(r"(?:%\s+of|/|%|\bper|\baged?|\d\s*(?:and|or|to|-|\u2013))\s*$", before) and not _TOTAL_OF.search(before):
        return (0.0, hit, None, written)
    if re.match(r"\s*(?:%|percent|mg|years?|weeks?|days?|months?|hours?|h\b)", text[match.end("count"):]):
        return (0.0, hit, None, written)
    value = parse_count(written)
    if match.group("hedge") or HEDGE.search(text[:match.start("count")]):
        value = None
        written = text[match.start():match.end("count")]
    rank = _verb_rank(text, match.end())
    if value is not None and re.match(r"\s*\(", text[match.end():]) and _splits_into_parts(
            text, value, match.end(), text.find(")", match.end()) + 1):
        # "150 children (30 boys and 120 girls)": a total with its parts.
        rank = max(rank, 3.0)
    if _BEFORE_RANK.search(before):
        rank = max(rank, 3.0)
    if _TOTAL_OF.search(before):
        rank += 3.0
    elif _DENOMINATOR.search(before) and _COMPLETION.match(text, match.end()):
        # "46 of 70 patients completed": the 70 entered the study.
        rank = max(rank, 4.0)
    if passage.field == "title":
        rank = max(rank, 2.5)
    if rank == 0 and value is not None and not passage.field.startswith("jats"):
        rank = 0.5 if passage.sentences and passage.sentences[0].start <= match.start() else 0.0
    if value is not None and (value < 2 or (1900 <= value <= 2030 and "," not in written)):
        rank = 0.0
    if match.group().lower().endswith("completers") or _ONLY_ANALYSED.search(match.group()):
        rank = -1.0
    return (rank, hit, value, written)


_AGE_RANGE = rx(r"\b(?:aged?|ages?|age\s+range(?:d)?|between\s+the\s+ages\s+of)\s*(?:of\s+|from\s+|between\s+|:\s*)?"
                 r"(?P<low>\d{1,2})\s*(?:-|\u2013|to|and)\s*(?P<high>\d{1,3})\s*(?P<unit>years?|yrs?|y\b|months?)?")
_YEARS = r"(?:years?|yrs?|y)\b"
# An age range written without "aged": "25 to 44 years of age", "patients (15-65 years)".
_AGE_RANGE_AFTER = rx(r"(?:\b(?P<low>\d{1,2})\s*(?:-|\u2013|to)\s*(?P<high>\d{1,3})\s*" + _YEARS +
                       r"\s*(?:of\s+age|old|of\s+age\s+or\s+older)|\b" + _PEOPLE +
                       r"\s*\((?:aged?\s*)?(?P<low2>\d{1,2})\s*(?:-|\u2013|to)\s*(?P<high2>\d{1,3})\s*" + _YEARS + r")")
# Only a lower bound: "aged 18 years or older", "aged >or=50 years", "over 65 years of age".
_AGE_FLOOR = rx(r"(?:\baged?\s*(?:>\s*or\s*=|>=|\u2265|>|over|above|at\s+least|of\s+at\s+least)?\s*"
                 r"(?P<low>\d{1,2})\s*(?:" + _YEARS + r")?\s*(?:(?:of\s+age\s+)?(?:or|and)\s+(?:older|over|above)|\+)|"
                 r"\baged?\s*(?:>\s*or\s*=|>=|\u2265|>|over|above|at\s+least)\s*(?P<low2>\d{1,2})\b|"
                 r"\b(?P<low3>\d{1,2})\s*" + _YEARS + r"\s*(?:of\s+age\s+)?(?:or|and)\s+(?:older|over|above)|"
                 r"(?:>\s*or\s*=|>=|\u2265)\s*(?P<low4>\d{1,2})\s*" + _YEARS + r")")
# One person's age, as a case report gives it: "a 64-year-old woman".
_SINGLE_AGE = rx(r"\b(?P<age>\d{1,3})[- ](?:year|yr)s?[- ]old\b")
_CHILD = rx(r"\b(?:child(?:ren|hood)?|paediatric|pediatric|adolescen(?:ts?|ce)|teen(?:s|agers?)|youths?|"
             r"juvenile|infants?|toddlers?|boys|girls|school[- ]?(?:age|aged|children)|kids|minors|"
             r"preschool(?:ers)?|neonat(?:es|al))\b")
_ADULT = rx(r"\badults?\b|\b(?:men|women)\b|\belderly\b|\bolder\s+(?:adults|people|patients|persons)\b|"
             r"\bpost-?menopausal\b|\bmenopausal\b|\bgeriatric\b|\buniversity\s+students\b")


def age_group(passages: list[Passage]) -> Suggestion:
    for hit in find(passages, _AGE_RANGE, negatable=False):
        match = _AGE_RANGE.match(hit.passage.text, hit.start)
        assert match is not None
        low, high = int(match.group("low")), int(match.group("high"))
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
        low, high = int(match.group("low") or match.group("low2")), int(match.group("high") or match.group("high2"))
        if high > low:
            return suggestion("adult" if low >= 18 else "child-adolescent" if high < 18 else "mixed", [hit])
    for hit in find(passages, _AGE_FLOOR, negatable=False):
        match = _AGE_FLOOR.match(hit.passage.text, hit.start)
        assert match is not None
        low = int(match.group("low") or match.group("low2") or match.group("low3") or match.group("low4"))
        return suggestion("adult" if low >= 18 else "mixed", [hit])
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
                    r"women|males|females|controls|people|persons|students|elderly|smokers|children|"
                    r"adolescents)\b|\bnormal\s+(?:volunteers|subjects)\b|\bnon-?clinical\b")),
    ("depression", rx(r"\b(?<!respiratory )(?<!CNS )(?<!ST )(?<!ST-segment )(?<!spreading )(?<!cardiac )"
                       r"(?<!marrow )(?<!segment )(?<!ST-)(?<!mm )(?<!myocardial )depression\b|\bdepressive\s+(?:disorder|episode|symptoms)\b|\bMDD\b|"
                       r"\bdepressed\s+(?:patients|adults|adolescents|outpatients|individuals|subjects)\b|"
                       r"\bTRD\b")),
    ("bipolar", rx(r"\bbipolar\b|\bmania\b|\bmanic\b")),
    ("autism", rx(r"\bautis(?:m|tic)\b|\bASD\b|\bAsperger")),
    ("fragile-x", rx(r"\bfragile\s*-?\s*X\b|\bFXS\b")),
    ("social-anxiety", rx(r"\bsocial\s+anxiety(?:\s+disorder)?\b|\bsocial\s+phobia\b|\bSAD\b(?=[^.]*\bsocial)")),
    ("ptsd", rx(r"\bPTSD\b|\bpost-?\s?traumatic\s+stress\b")),
    ("schizophrenia", rx(r"\bschizophreni(?:a|c|cs)\b|\bschizoaffective\b|\bfirst[- ]episode\s+psychosis\b")),
    ("borderline-pd", rx(r"\bborderline\s+personality\b|\bBPD\b")),
    ("ocd", rx(r"\bobsessive[- ]compulsive\s+disorder\b|\bOCD\b")),
    ("substance-use", rx(r"\b(?:substance|alcohol|cocaine|opioid|opiate|cannabis|methamphetamine|"
                          r"amphetamine|nicotine|tobacco|heroin|drug)\s+(?:use\s+disorders?|dependence|"
                          r"abuse|addiction|dependent)\b|\balcoholi(?:sm|cs?)\b|\baddicts?\b")),
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
_NOT_CONDITIONS = frozenset("""
the a an at least these this their symptoms disease diseases disorder disorders conditions condition
no normal healthy history documented one two three placebo or and pain
""".split())


# Conditions that define a population, by their head word; the modifiers kept are the ones that
# name a different condition ("cluster headache", "allergic rhinitis"), not a severity or course.
_KEPT_MODIFIER = (r"(?:(?:allergic|cluster|tension-type|rheumatoid|breast|prostate|lung|colorectal|pancreatic|urinary|"
                  r"ovarian|postoperative|post-operative|dental|urge|stress|atopic|overactive|neuropathic|"
                  r"low\s+back|inflammatory\s+bowel|chronic\s+idiopathic|irritable\s+bowel|"
                  r"menstrual|duplication|mediastinal|urinary\s+tract|respiratory\s+tract|upper\s+respiratory|"
                  r"spinal\s+cord|traumatic\s+brain|brain|HIV|detrusor)\s+)?")
_DISEASE_HEAD = (r"(?:migraine|headaches?|rhinitis|urticaria|eczema|dermatitis|asthma|arthritis|osteoarthritis|"
                 r"osteoporosis|incontinence|bladder|cancer|carcinoma|pain|insomnia|dysmenorrh(?:o)?ea|"
                 r"hypertension|diabetes|obesity|epilepsy|dementia|alzheimer'?s\s+disease|parkinson'?s\s+disease|"
                 r"stroke|sinusitis|conjunctivitis|psoriasis|endometriosis|cysts?|disease|syndrome|infections?|injury|"
                 r"instability|overactivity|hyperreflexia|"
                 r"(?!(?:diagn|progn|anal|hypoth|synth|ba|empha|the|metasta)osis)"
                 r"(?!academia)[a-z]+(?:itis|osis|algia|pathy|orrhea|orrhoea|a?emia))")
_CONDITION_PHRASE = rx(r"\b(?P<phrase>" + _KEPT_MODIFIER + _DISEASE_HEAD + r")\b")
_MENOPAUSE = rx(r"\b(?:post-?\s?menopausal|peri-?\s?menopausal|menopaus(?:e|al))\b")
_DISEASE_WORD = rx(_DISEASE_HEAD)
_PEOPLE_SENTENCE = rx(r"\b" + _PEOPLE + r"\b|\b(?:patients|subjects|participants|volunteers|women|men|children|adults|adolescents|"
                       r"individuals|outpatients|sufferers|migraineurs|people|persons|cases)\b|\bin\s+(?:the\s+)?"
                       r"(?:treatment|management)\s+of\b")
# Conditions written as a person ("migraineurs"), an abbreviation or a lay name, by their value.
_NAMED_CONDITIONS = rx(r"\b(?:(?P<migraine>migraineurs?)|(?P<asthma>asthmatics?)|(?P<diabetes>diabetics?)|"
                        r"(?P<epilepsy>epileptics?)|(?P<copd>COPD|chronic\s+obstructive\s+(?:pulmonary|lung|airways?)\s+"
                        r"disease)|(?P<adhd>ADHD|attention[- ]deficit(?:/|\s+|-)?hyperactivity\s+disorder)|"
                        r"(?P<allergic_rhinitis>hay\s*fever)|(?P<irritable_bowel_syndrome>IBS)|"
                        r"(?P<urinary_tract_infection>UTIs?|urinary\s+infections?))\b")
# "Parkinson's disease" is read as other:parkinson, the way the eponym is usually shortened.
_EPONYM_DISEASE = re.compile(r"^other:(parkinson|alzheimer|crohn|huntington|graves|hodgkin|cushing|addison)-disease$")
_VAGUE_CONDITIONS = frozenset({"disease", "syndrome", "pain", "headache", "headaches", "cyst", "cysts", "bladder",
                               "infection", "infections", "injury", "instability", "overactivity", "hyperreflexia"})


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
        value = re.sub(r"(headache|cyst|infection)s$", r"\1", value).replace("other:migraine-headache", "other:migraine")
        value = _EPONYM_DISEASE.sub(r"other:\1", value)
        merged.setdefault(value, []).extend(hits)
    # A general value beside a specific one ("cancer" beside "breast-cancer"), a phrase inside a
    # longer one ("lung disease" in "chronic obstructive lung disease") or a symptom of a syndrome
    # named too (urge incontinence in overactive bladder) adds nothing.
    spans = [(h.passage.field, h.start, h.end) for hits in merged.values() for h in hits]
    return {value: hits for value, hits in merged.items()
            if not any(other != value and other.endswith("-" + value[6:]) for other in merged)
            and not all(any(f == h.passage.field and s <= h.start and h.end <= e and e - s > h.end - h.start
                            for f, s, e in spans) for h in hits)
            and not _SUBSUMED.get(value, frozenset()) & merged.keys()}


_SUBSUMED = {"other:urge-incontinence": frozenset({"other:overactive-bladder", "other:detrusor-instability",
                                                   "other:detrusor-overactivity"}),
             "other:urinary-incontinence": frozenset({"other:overactive-bladder", "other:urge-incontinence",
                                                      "other:stress-incontinence"})}


# A condition named as what was measured ("depression symptoms", "the Depression Inventory",
# "urge incontinence episodes"), not as who took part.
_MEASURED_AFTER = rx(r"(?:\s+(?:and\s+)?(?:anxiety\s+)?(?:disorder\s+)?)?[\s'-]*(?:symptoms?|scores?|scales?|subscales?|"
                      r"inventory|questionnaire|index|checklist|severity|episodes|events?|rates?|risk|trajector\w*|"
                      r"incidence|outcomes?|screening|awareness|rating|measures?|prevention)\b")
# Sentences that name conditions of other people: exclusions, outcomes and events counted,
# the state of knowledge.
_NOT_WHO_TOOK_PART = rx(r"\bexclu\w+|\b(?:primary|secondary|main)?\s*(?:outcomes?|end-?\s?points?)\b|\bglobal\s+index\b|"
                         r"\bevidence\b|\bprevious(?:ly)?\b|\b(?:studies|research)\s+(?:have|has)\b|"
                         r"\bincidence\s+of\b|\brisk\s+of\b|\bstopping\b|"
                         # results: a condition counted with its statistics is an outcome
                         r"\bhazard\s+ratios?\b|\bHRs?\b|\bodds\s+ratios?\b|\bORs?\s*=|\b95\s*%|\bCIs?\b|\bp\s*[<=]")
# A condition named as what changes, is measured or is prevented: "the development
# of depression", "improvement in migraine", "to prevent asthma".
_MEASURED_BEFORE = rx(r"(?:\b(?:from|against)\s+develop\w*|\bprevent\w*(?:\s+of)?|\b(?:development|maintenance|symptoms?|severity|levels?|prevalence|incidence|"
                       r"risk|trajector\w+|predictors?|onset|associations?|relationships?|scores?|rates?|"
                       r"measures?|reduction|improvement|change|worsening)\s+"
                       r"(?:of|in|with))\s+(?:[\w-]+\s+){0,1}$")


# What a drug is for in general ("tolterodine, used for the treatment of overactive bladder"),
# said in an abstract about other participants.
_INDICATION_BEFORE = rx(r"\b(?:indicated|approved|used|licensed|prescribed|marketed|developed|effective|agents?|drugs?|"
                         r"medications?)\s+(?:\w+\s+){0,2}?(?:for|in)\s+(?:the\s+)?(?:(?:treatment|management|therapy|"
                         r"relief)\s+of\s+)?(?:[\w-]+\s+){0,1}$")


# A condition listed among what was measured ("quality of life, anxiety, and depression").
_MEASURE_LIST_BEFORE = rx(r"\b(?:anxiety|stress|qol|quality\s+of\s+life|well-?being|self-?esteem|mood|fatigue|sleep|"
                           r"distress|burnout|coping)\s*(?:\([^()]*\))?\s*,?\s*(?:and|or)?\s*$")
_MEASURE_LIST_AFTER = rx(r"\s*(?:\([^()]*\))?\s*(?:,|and|or)\s+(?:and\s+)?(?:anxiety|stress|qol|quality\s+of\s+life|"
                          r"well-?being|self-?esteem|mood|fatigue|sleep|distress|burnout|coping)\b")


def _defines_population(hit: Hit) -> bool:
    """Whether a condition mention says who was studied (not what was measured or ruled out)."""
    window = max(hit.sentence.start, hit.start - 60)
    if _MEASURED_AFTER.match(hit.passage.text, hit.end) or _MEASURED_BEFORE.search(hit.passage.text, window, hit.start):
        return False
    if hit.passage.field != "title" and _INDICATION_BEFORE.search(hit.passage.text, window, hit.start):
        return False
    if _MEASURE_LIST_BEFORE.search(hit.passage.text, window, hit.start) or _MEASURE_LIST_AFTER.match(
            hit.passage.text, hit.end):
        return False
    return hit.passage.field == "title" or not _NOT_WHO_TOOK_PART.search(hit.sentence.text)


def population(passages: list[Passage], protocol: Protocol, vocabulary: str | None,
               term_values: dict[str, str]) -> Suggestion:
    found: dict[str, list[Hit]] = {}
    for value, pattern in _POPULATIONS:
        hits = find(passages, pattern)
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
    found = {value: kept for value, hits in found.items() if (kept := [h for h in hits if _defines_population(h)])}
    if "healthy" in found:
        found.pop("other:menopause", None)  # "healthy postmenopausal women" are healthy
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
        return Suggestion([])
    ordered = sorted(found, key=lambda v: (found[v][0].passage.field != "title", found[v][0].start))
    return Suggestion(ordered, [found[v][0].evidence for v in ordered])
