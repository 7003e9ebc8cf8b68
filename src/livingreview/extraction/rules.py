"""Rule-based suggestions from running text: a title and abstract, or the sections of a full text.

Each rule reads the passages (title, abstract, JATS sections) with regular expressions over
the words abstracts use for that field and the criteria engine's negation test, and answers
with a value and the spans that support it. Rules only report what the text states: a design
not described stays "not-stated", a count written as an estimate is flagged, not guessed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
import dataclasses
from dataclasses import dataclass
from functools import cached_property, lru_cache

from livingreview.extraction.lexicon import DrugMention, drug_mentions, text_spans
from livingreview.extraction.model import NOT_STATED, Evidence, Suggestion
from livingreview.extraction.text import COUNT, HEDGE, Sentence, parse_count, sentence_at, sentences
from livingreview.protocol.models import Protocol
from livingreview.screening.criteria import Span, is_negated


# As a plain int: testing an int against the RegexFlag enum goes through the slow enum operators.
_IGNORECASE = int(re.IGNORECASE)
# Escapes and group names keep their case; everything else of a pattern is lowercased.
_ESCAPED = re.compile(r"\\.|\(\?P<\w+>|\(\?P=\w+\)|[^\\(]+|\(", re.DOTALL)


@lru_cache(maxsize=512)
def lowercase_twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The case-insensitive `pattern` as a case-sensitive one over lowercased text: the same
    matches at the same offsets, three to four times faster (re's case folding is slow)."""
    source = "".join(part if part.startswith(("\\", "(?P")) else part.lower()
                     for part in _ESCAPED.findall(pattern.pattern))
    return re.compile(source, pattern.flags & ~re.IGNORECASE)


@dataclass
class Passage:
    """One field of text from one record: "title", "abstract" or "jats:<section>"."""

    record_id: int | None
    field: str
    text: str
    # Several rules ask for the same pattern (design words, people counts): each is scanned once.
    # (`dataclasses.field` in full: the class's own `field` attribute shadows the bare name.)
    _matches: dict[re.Pattern[str], list[tuple[int, int, bool]]] = dataclasses.field(
        default_factory=dict, repr=False, compare=False)

    @cached_property
    def sentences(self) -> list[Sentence]:
        return sentences(self.text)

    @cached_property
    def lowered(self) -> str | None:
        """The text in lowercase when that keeps every offset (it nearly always does), else None."""
        lowered = self.text.lower()
        return lowered if len(lowered) == len(self.text) else None

    def finditer(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """Matches of `pattern` at the text's offsets (their groups lowercased when it ignores case)."""
        if self.lowered is not None and pattern.flags & _IGNORECASE:
            return lowercase_twin(pattern).finditer(self.lowered)
        return pattern.finditer(self.text)

    def finditer_in(self, pattern: re.Pattern[str], start: int, end: int) -> Iterator[re.Match[str]]:
        """`finditer` over text[start:end], at the text's offsets."""
        if self.lowered is not None and pattern.flags & _IGNORECASE:
            return lowercase_twin(pattern).finditer(self.lowered, start, end)
        return pattern.finditer(self.text, start, end)

    def matches(self, pattern: re.Pattern[str]) -> list[tuple[int, int, bool]]:
        """(start, end, negated) of every match of `pattern` in the text, computed once."""
        found = self._matches.get(pattern)
        if found is None:
            found = [(m.start(), m.end(), is_negated(self.text, m.start(), m.end()))
                     for m in self.finditer(pattern)]
            self._matches[pattern] = found
        return found


    def evidence(self, start: int, end: int) -> Evidence:
        return Evidence(self.record_id, self.field, start, end, self.text[start:end])

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [sentence.start for sentence in self.sentences]

    def sentence_of(self, offset: int) -> Sentence:
        index = bisect_right(self._sentence_starts, offset) - 1
        if index >= 0 and offset < self.sentences[index].end:
            return self.sentences[index]
        return Sentence(0, len(self.text), self.text)


@dataclass(frozen=True)
class Hit:
    passage: Passage
    start: int
    end: int
    label: str = ""

    @property
    def evidence(self) -> Evidence:
        return self.passage.evidence(self.start, self.end)

    @property
    def sentence(self) -> Sentence:
        return self.passage.sentence_of(self.start)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def find(passages: list[Passage], pattern: re.Pattern[str], *, negatable: bool = True,
         label: str = "") -> list[Hit]:
    """Matches of `pattern` in every passage that no negation cue governs."""
    return [Hit(passage, start, end, label) for passage in passages
            for start, end, negated in passage.matches(pattern) if not (negatable and negated)]


def suggestion(value: object, hits: list[Hit], flags: list[str] | None = None,
               limit: int = 3) -> Suggestion:
    unique = list(dict.fromkeys((h.passage.record_id, h.passage.field, h.start, h.end) for h in hits))
    by_key = {(h.passage.record_id, h.passage.field, h.start, h.end): h for h in hits}
    return Suggestion(value, [by_key[k].evidence for k in unique[:limit]], flags or [])


# --- design ----------------------------------------------------------------------------------

_RANDOMISED = _rx(
    r"\brandomi[sz](?:ed|ation|ing)\b|\brandomly\s+(?:re-?)?(?:assigned|allocated|divided|distributed|"
    r"chosen\s+to\s+receive|received|given|administered|treated)|"
    r"\b(?:assigned|allocated|distributed|divided)\s+(?:\w+\s+)?randomly\b|\brandom(?:ised|ized)?\s+(?:allocation|assignment|order|sequence)\b|"
    r"\bat\s+random\b|\bRCTs?\b")
_NOT_RANDOMISED = _rx(r"\bnon-?\s?randomi[sz]ed\b|\bnot\s+randomi[sz]ed\b|\bwithout\s+randomi[sz]ation\b|"
                      r"\bnonrandomi[sz]ed\b")
_CROSSOVER = _rx(
    r"\bcross-?\s?over\b|\bwithin-?\s?subjects?\b|\bcounter-?\s?balanced\b|\blatin[- ]square\b|"
    r"\b(?:two|three|four|2|3|4)-(?:period|way|treatment|sequence)\b(?!\s+(?:anova|analys[ie]s|analysis|interactions?|"
    r"repeated|tables?|mixed))|\bcrossed\s+over\b|\bin\s+(?:a\s+)?(?:random(?:i[sz]ed)?|counter-?balanced|balanced)\s+order\b|"
    r"\bon\s+separate\s+(?:occasions|days|visits|sessions|study\s+days|test\s+days)\b|"
    r"\b(?:on|in|during|across)\s+(?:two|three|four|five|2|3|4|5)\s+(?:separate\s+|different\s+|"
    r"consecutive\s+|test\s+|experimental\s+|study\s+)?(?:occasions|sessions|days|visits|periods|test\s+days)\b|"
    r"\beach\s+(?:subject|participant|patient|volunteer)\s+(?:received|was\s+given|underwent|took)\s+"
    r"(?:both|all|each|two|three|four)\b")
_PARALLEL = _rx(r"\bparallel[- ]?(?:group|arm|design|assignment)s?\b|\bparallel\s+(?:study|trial|design)\b|"
                r"\b(?:received|receive|given|assigned\s+to|allocated\s+to|randomi[sz]ed\s+to)\s+(?:receive\s+)?either\b|"
                r"\b(?:two|three|four|2|3|4)[- ](?:arm|group)\s+(?:parallel|randomi[sz]ed|study|trial|design)\b")
_SINGLE_GROUP = _rx(r"\bsingle[- ](?:arm|group|cohort)\b|\bone[- ]arm\b|\buncontrolled\b|\bnon-?\s?controlled\b|"
                    r"\bopen[- ]label\s+(?:extension|follow-up)\b|\bno\s+control\s+group\b|"
                    r"\ball\s+(?:\w+\s+){0,2}(?:patients|subjects|participants|volunteers|women|men)\s+"
                    r"(?:received|were\s+(?:treated|given))\b|\bsequential(?:ly)?\b(?=[^.]{0,80}\b(?:alone|"
                    r"combination|co-?administ|together|followed))|\b(?:drug|pharmacokinetic)[- ]"
                    r"(?:drug\s+)?interactions?\s+(?:study|trial)\b")
# Designs that assign nothing at random: a study so described is not randomised.
_OBSERVATIONAL = _rx(r"\b(?:cohort|cross-?sectional|case[- ]control|surveys?|retrospective(?:ly)?|registry|"
                     r"databases?|qualitative|semi-?structured\s+interviews?|focus\s+groups?|observational|"
                     r"case\s+series|case\s+reports?|chart\s+review|prescription-event\s+monitoring|"
                     r"post-?marketing\s+surveillance|population-based|epidemiolog\w+|questionnaire\s+study|"
                     r"validation\s+study|co-design|workshops?|we\s+(?:present|report|describe)|"
                     r"\d+-year-old|prospective\s+investigation|longitudinal\s+(?:study|cohort|survey|design|data)|"
                     r"(?:diagnostic|prevalence)\s+study)\b")
# Participants given a drug, with no comparison anywhere: an uncontrolled, single-group study.
_ADMINISTERED = _rx(r"\b(?:was|were)\s+(?:administered|given|treated|infused|injected)\b|\breceived\b|"
                    r"\bco-?administ\w+|\bconcomitant\s+administration\b|\bfollowed\s+by\b")
# ("compared with baseline" sets a group against itself, not against another arm)
_ANY_COMPARISON = _rx(r"\bcompar\w*\b(?!\s+(?:with|to)\s+(?:the\s+|their\s+)?(?:baseline|pre-?treatment|pre-?dose|"
                      r"pre-?infusion|before|prior|screening|entry))|\bversus\b|\bvs\.?\s|\bcontrols?\b|\bplacebo|\bsham\b|\brandom")


def uncontrolled(passages: list[Passage], has_drugs: bool) -> list[Hit]:
    """Evidence that everyone got the same drug with nothing to compare it with, or []."""
    if not has_drugs or find(passages, _ANY_COMPARISON, negatable=False):
        return []
    return find(passages, _ADMINISTERED, negatable=False)
_BLINDING = (
    ("triple-blind", _rx(r"\btriple[- ]?(?:blind|blinded|masked)\b")),
    ("double-blind", _rx(r"\bdouble[- ]?(?:blind|blinded|masked|dummy)\b|\bdouble[- ]?(?:blind|mask)ing\b")),
    ("single-blind", _rx(r"\bsingle[- ]?(?:blind|blinded|masked)\b|\b(?:rater|assessor|evaluator|observer|"
                         r"investigator|examiner|outcome[- ]assessor)s?[- ](?:blind|blinded|masked)\b|"
                         r"\bblinded\s+(?:raters?|assessors?|evaluators?|observers?|investigators?)\b|"
                         r"\bpatient[- ]blinded\b")),
    ("open-label", _rx(r"\bopen[- ]label(?:led)?\b|\bunblinded\b|\bnon-?\s?blinded\b|\bnot\s+blinded\b|"
                       r"\bopen\s+(?:study|trial|design|fashion|manner|randomi[sz]ed|comparative|"
                       r"multicent(?:er|re)|crossover|cross-over|pilot|prospective|label)\b|\bopen,\s")),
)
# Saline given as an arm ("ketamine or saline", "a saline infusion") is a placebo; an "active
# placebo" (a drug that mimics side effects) is an active comparator.
# (Each alternative starts with its literal word and looks back from there: lookbehinds tried at
# every position made this scan several times slower.)
_PLACEBO = _rx(r"\bplacebos?\b(?<!\bactive\splacebo)(?<!\bactive-placebo)(?<!\bactive\splacebos)(?<!\bactive-placebos)|"
               r"\bsham\b|\bdummy\s+(?:tablets?|capsules?|drug)\b|"
               r"\bsaline\b(?:(?<=\bor\ssaline)|(?<=\band\ssaline)|(?<=\bwith\ssaline)|(?<=\bversus\ssaline)|"
               r"(?<=\bvs\ssaline)|(?<=\bvs\.\ssaline)|(?<=\bor\snormal\ssaline)|(?<=\band\snormal\ssaline)|"
               r"(?<=\bwith\snormal\ssaline)|(?<=\bversus\snormal\ssaline)|[- ](?:placebo|control|infusions?|"
               r"injections?|sessions?)\b)|"
               r"\bvehicle(?:-controlled)?\b(?=[^.]{0,60}\b(?:spray|cream|gel|solution|drops?|control)\b)")


def randomised(passages: list[Passage]) -> Suggestion:
    positive = find(passages, _RANDOMISED)
    negative = find(passages, _NOT_RANDOMISED, negatable=False)
    # "120 randomised plus 63 in nonrandomised control groups": the randomised part makes it one.
    if negative and not [h for h in positive if h.evidence.text.lower() not in ("rct", "rcts")]:
        return suggestion("no", negative)
    if positive:
        return suggestion("yes", positive)
    design = find(passages, _OBSERVATIONAL) or find(passages, _SINGLE_GROUP)
    if design:
        return suggestion("no", design, ["inferred: the design described assigns nothing at random"])
    return Suggestion(NOT_STATED)


# What narrative reviews, drug profiles, essays and debates say: other people's studies, in the
# present perfect, or the article's own purpose.
_OTHERS_STUDIES = _rx(
    r"\b(?:studies|trials|reports|evidence|data|research|investigations)\s+(?:have|has)\s+(?:\w+\s+)?"
    r"(?:shown|demonstrated|suggested|reported|indicated|found|called|established|linked|confirmed)\b|"
    r"\b(?:as\s+)?has\s+been\s+(?:shown|demonstrated|reported)\b|\bover\s+the\s+(?:past|last)\s+(?:few\s+|two\s+|"
    r"several\s+)?(?:years|decades)\b|\brecent\s+(?:advances|advancements|developments)\b|"
    r"\bthis\s+(?:article|paper|chapter|overview|editorial|commentary|essay)\b|"
    r"\bwe\s+(?:review|discuss|summari[sz]e|highlight|outline|argue)\b|\b(?:is|are)\s+(?:reviewed|discussed)\b|"
    r"\barguments?\s+(?:for|against)\b|\bcurrent\s+(?:evidence|literature|knowledge)\b")
# What an abstract of a study of its own says about its participants or its conduct.
_OWN_STUDY = _rx(
    r"\b(?:we|this|the\s+present|our)\s+(?:randomi[sz]ed|enrolled|recruited|studied|examined|investigated|"
    r"compared|assessed|evaluated|measured|conducted|performed|analy[sz]ed|interviewed|surveyed|"
    r"study|trial|survey|investigation|experiment)\b|\b(?:was|were)\s+(?:randomi[sz]ed|enrolled|recruited|"
    r"randomly|allocated|assigned|conducted|performed|carried\s+out)\b|\b(?:methods?|design|setting|"
    r"participants|subjects|patients)\s*:|\bcase\s+(?:presentation|report)\b|\b(?:n|N)\s*=\s*\d")


def speaks_of_others_only(passages: list[Passage], count: Suggestion) -> bool:
    """An abstract about other people's studies (a review, a drug profile, an essay): it cites them
    or its own purpose, or its title is a bare name, and it never describes a study of its own
    (`count` is the n_total read from the passages)."""
    if find(passages, _OWN_STUDY, negatable=False) or count.stated or count.flags:
        return False
    title = next((p.text for p in passages if p.field == "title"), "")
    bare_title = 0 < len(title.split()) <= 2
    return bare_title or bool(find(passages, _OTHERS_STUDIES, negatable=False))


# Randomised trials spoken of in general (a review's "RCTs"), not one study's own allocation.
_RCT_ONLY = _rx(r"\b(?:two|three|four|several|both|these|the)\s+(?:\w+\s+)?(?:randomi[sz]ed\s+)?"
                r"(?:controlled\s+)?(?:trials|RCTs|studies)\b")


def allocation(passages: list[Passage], randomised_value: str, control_value: str) -> Suggestion:
    crossover = find(passages, _CROSSOVER)
    if crossover:
        return suggestion("crossover", crossover)
    single = find(passages, _SINGLE_GROUP)
    if single and control_value in ("none", NOT_STATED):
        return suggestion("single-group", single)
    parallel = find(passages, _PARALLEL)
    if parallel:
        return suggestion("parallel", parallel)
    if randomised_value == "yes" and not find(passages, _RCT_ONLY):
        # Randomised without any within-subject statement: abstracts of parallel trials rarely
        # say "parallel"; the flag says the value was inferred.
        hits = find(passages, _RANDOMISED)
        return suggestion("parallel", hits[:1],
                          ["inferred: randomised with no crossover statement"])
    arms = _arm_sizes(passages)
    if arms is not None:
        return Suggestion("parallel", arms.evidence, ["inferred: each arm has its own participants"])
    if control_value == "none":
        return suggestion("single-group", single)
    groups = find(passages, _GROUPS_COMPARED)
    if control_value in ("placebo", "active") and groups:
        return suggestion("parallel", groups, ["inferred: groups compared, no crossover statement"])
    return Suggestion(NOT_STATED)


# Groups set side by side: "in groups I and III", "one group received", "the two groups".
_GROUPS_COMPARED = _rx(r"\b(?:groups?\s+(?:I{1,3}|IV|[1-4]|A|B)\b|(?:one|each|the\s+other|other)\s+group\b|"
                       r"\b(?:two|three|four|both)\s+(?:treatment\s+)?groups\b|\bbetween\s+(?:the\s+)?groups\b)")


def blinding(passages: list[Passage]) -> Suggestion:
    for value, pattern in _BLINDING:
        hits = find(passages, pattern)
        if hits:
            return suggestion(value, hits)
    return Suggestion(NOT_STATED)


# --- drugs and control -------------------------------------------------------------------------


@dataclass
class DrugReading:
    """Drug mentions of the passages, split into study drugs and an active comparator."""

    study: dict[str, list[Hit]] = dataclasses.field(default_factory=dict)
    comparator: dict[str, list[Hit]] = dataclasses.field(default_factory=dict)


_COMPARISON_CUE = _rx(r"(?:\bversus|\bvs\.?|\bcompar(?:ed|ing|ison)\s+(?:with|to|against)|\brelative\s+to|"
                      r"\bthan|\bagainst|\bactive[- ](?:comparator|control|placebo|reference)(?:\s*\(|,|:)?"
                      r"|\bcontrol\s+(?:group\s+)?(?:received|receiving|given)|\bor)"
                      r"(?:\s+(?:with|the|a|an|that\s+of|those\s+of|oral|intravenous|intranasal|nasal|standard|usual|"
                      r"conventional|active|low-dose|high-dose|\d+(?:\.\d+)?\s*(?:mg|µg|mcg|g|ml|mg/kg)"
                      r"(?:/(?:kg|day|d))?)){0,3}\s*$")
_ASSIGNMENT = _rx(r"\brandom|\bassign|\ballocat|\breceiv|\bgiven\b|\btreated\s+with\b|\bversus\b|\bvs\b|"
                  r"\bcompar")
_CONTROLLED = _rx(r"-controlled\b")


def read_drugs(protocol: Protocol, passages: list[Passage], vocabulary: str,
               dropped: frozenset[str]) -> DrugReading:
    reading = DrugReading()
    mentions: list[tuple[Passage, DrugMention]] = []
    for passage in passages:
        mentions.extend((passage, m) for m in drug_mentions(protocol, passage.text, vocabulary, dropped))
    mentions = [(p, m) for p, m in mentions if not m.negated]
    if not mentions:
        return reading
    # The drug named first (in the title when there is one) is under study, whatever follows.
    first = mentions[0][1].name
    protocol_drugs = {m.name for _, m in mentions if m.in_protocol}
    first_in_sentence: dict[tuple[str, int], str] = {}
    for passage, mention in mentions:
        first_in_sentence.setdefault((passage.field, passage.sentence_of(mention.start).start), mention.name)
    for passage, mention in mentions:
        hit = Hit(passage, mention.start, mention.end, mention.name)
        leader = first_in_sentence[(passage.field, passage.sentence_of(mention.start).start)]
        if mention.name != first and mention.name not in protocol_drugs and _is_comparator(passage, mention, leader):
            reading.comparator.setdefault(mention.name, []).append(hit)
        else:
            reading.study.setdefault(mention.name, []).append(hit)
    # A drug named only in the background (a labelled background, or the opening sentence of an
    # abstract whose title does not name it) is context, not a study drug.
    # A drug named once as what another drug turns into or derives from is measured, not given.
    for group in (reading.study, reading.comparator):
        for name in list(group):
            if all(_context_only(hit) for hit in group[name]) or any(_derived(hit) for hit in group[name]):
                group.pop(name)
    # A drug named with a comparison cue anywhere is the comparator, all its mentions with it.
    for name in list(reading.study):
        if name in reading.comparator:
            reading.comparator[name].extend(reading.study.pop(name))
    return reading


# A sentence that sets drugs against each other: its drugs after the first are comparators.
_COMPARING_SENTENCE = _rx(r"\bcompar\w*|\bversus\b|\bvs\b|\beither\b|\bhead[- ]to[- ]head\b|"
                         r"\brandomi[sz]ed\s+to\b|\bassigned\s+to\b|\ballocated\s+to\b")


# A drug named as a provocation ("nitroglycerin-induced attacks", "induction of ... by the motilin
# agonist erythromycin") or as what another drug derives from or turns into ("the R-enantiomer of
# cetirizine", "its metabolite, fexofenadine"), or only as what the body holds ("salivary
# testosterone levels"), is not given as a study drug.
_PROVOKED_AFTER = re.compile(r"[-\s]?(?:induced|provoked|evoked|challenge)\b|"
                             r"\s+(?:levels?|concentrations?|receptors?|secretion|synthesis|production|status)\b",
                             re.IGNORECASE)
_NOT_GIVEN_BEFORE = _rx(r"(?:\b(?:induc\w*|provo\w*|challenge\w*)\b[^.;]{0,40}?\bby\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,3}|"
                        r"\b(?:challenge|provocation)\s+(?:with|by)\s+(?:[\w-]+\s+){0,2}|"
                        r"\b(?:properties|potency|potent|affinity|selectivity|selective|half-life|penetration|"
                        r"lipophilic\w*)\b[^.;]{0,40}\bthan\s+(?:the\s+|that\s+of\s+)?)$")
_DERIVED_BEFORE = _rx(r"\b(?:enantiomer|isomer|metabolite|derivative|analogue|analog|prodrug)s?\s*(?:of\s+|,\s*)"
                      r"(?:the\s+)?(?:[\w-]+\s+){0,2}$")


def _before(hit: Hit, width: int = 80) -> str:
    return hit.passage.text[max(hit.passage.sentence_of(hit.start).start, hit.start - width):hit.start]


def _not_given(hit: Hit) -> bool:
    return bool(_PROVOKED_AFTER.match(hit.passage.text, hit.end) or _NOT_GIVEN_BEFORE.search(_before(hit)))


def _derived(hit: Hit) -> bool:
    return bool(_DERIVED_BEFORE.search(_before(hit)))


def _context_only(hit: Hit) -> bool:
    if _not_given(hit):
        return True
    if hit.passage.field == "title":
        return False
    if _background(hit) or _NOT_THE_STUDYS_USE.search(hit.sentence.text):
        return True
    return hit.start < study_start(hit.passage)


# A sentence about drugs people may not take, took before, or take only for rescue.
_NOT_THE_STUDYS_USE = _rx(r"\bexclu(?:ded|sion)\b|\bineligible\b|\bnot\s+(?:allowed|permitted)\b|\bprohibited\b|"
                          r"\bwash-?out\b|\bhistory\s+of\b|\brescue\b|\bwithdrawn\s+from\b")


# Where an unstructured abstract turns from what was known to its own study: its aim, its
# participants, or a drug given or compared.
_OWN_STUDY_TURN = _rx(r"\b(?:this|the\s+present|the\s+current|our)\s+(?:\w+\s+)?(?:study|trial|investigation|"
                      r"experiment|work|paper|report)\b|\bwe\s+(?:\w+\s+)?(?:performed|conducted|investigated|examined|"
                      r"tested|assessed|evaluated|compared|studied|randomi[sz]ed|enrolled|recruited|aimed|sought|"
                      r"hypothesi[sz]ed|measured|report|describe|present|used)\b|\b(?:aims?|objectives?|purpose|"
                      r"goals?)\b|\b(?:was|were)\s+(?:randomi[sz]ed|enrolled|recruited|studied|included)\b|"
                      r"\b(?:methods?|design|participants|patients|subjects|setting)\s*:|\b[Nn]\s*=\s*\d|"
                      r"^\s*to\s+(?:\w+\s+)?(?:evaluate|assess|investigate|compare|determine|examine|study|test|"
                      r"explore|establish|characteri[sz]e|measure|describe)\b")


# Offsets found, by passage text (several rules ask about each passage); bounded like a cache.
_STUDY_TURNS: dict[str, int] = {}


def study_start(passage: Passage) -> int:
    """The offset of the first sentence about the abstract's own study (0 when the first is)."""
    found = _STUDY_TURNS.get(passage.text)
    if found is None:
        turn = (lowercase_twin(_ASSIGNMENT), lowercase_twin(_OWN_STUDY_TURN))
        found = next((s.start for s in passage.sentences
                      if any(p.search(s.text.lower()) for p in turn)), 0)
        if len(_STUDY_TURNS) >= 256:
            _STUDY_TURNS.pop(next(iter(_STUDY_TURNS)))
        _STUDY_TURNS[passage.text] = found
    return found


# A drug given together with the study drug is part of its arm ("aspirin combined with
# metoclopramide", "X plus Y"), not what the arm is compared with.
_CO_INTERVENTION = _rx(r"(?:\b(?:combined|combination|together|co-?administered|coupled)\s+with|\bplus|\+)"
                       r"\s*(?:\(?\s*)?(?:\w+\s+){0,2}$")


_LISTED_AGAINST_PLACEBO = re.compile(r"[\w)]\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?$")
_PLACEBO_AFTER = _rx(r"(?:(?!\bor\b)[^.;])*?(?:compar\w*\s+(?:with|to)|versus|vs\.?|against)\s+(?:a\s+|the\s+)?"
                     r"(?:matching\s+|identical\s+)?placebo")


def _is_comparator(passage: Passage, mention: DrugMention, leader: str) -> bool:
    sentence = passage.sentence_of(mention.start)
    if _CO_INTERVENTION.search(passage.text, max(sentence.start, mention.start - 40), mention.start):
        return False
    before = passage.text[max(sentence.start, mention.start - 60):mention.start]
    if _LISTED_AGAINST_PLACEBO.search(before) and _PLACEBO_AFTER.match(passage.text, mention.end, sentence.end):
        # "tolterodine, oxybutynin and trospium in comparison to placebo": each is a study drug.
        return False
    if leader != mention.name and _COMPARING_SENTENCE.search(sentence.text):
        return True
    after = passage.text[mention.end:mention.end + 12]
    if _CONTROLLED.match(after) or re.match(r"(?:\s+|-)(?:alone|only)\b(?!\s+or\b)", after):
        return True
    if not _COMPARISON_CUE.search(before):
        return False
    # "or" separates alternatives in any list; only in an assignment sentence does it name an arm.
    if re.search(r"\bor(?:\s+\S+){0,3}\s*$", before, re.IGNORECASE) and not re.search(
            r"versus|vs|compar|than|against", before, re.IGNORECASE):
        return bool(_ASSIGNMENT.search(passage.text, sentence.start, mention.start))
    return True


# A comparison arm that gets something other than placebo: another dose, regimen or
# formulation, usual care, or a different treatment.
_OTHER_ACTIVE_ARM = _rx(
    r"\b(?:usual|standard|routine|conventional)\s+(?:care|treatment|therapy|practice|dissemination)\b|"
    r"\b(?:two|three|four|different)\s+(?:doses|dosages|dose\s+levels|regimens|formulations|schedules)\b|"
    r"\bbioequivalen\w*|\b(?:two|three|different)\s+(?:[\w-]+\s+){0,2}(?:formulations|preparations|delivery\s+systems|"
    r"products|patches)\b|\b(?:test|reference)\s+(?:formulation|product|preparation)s?\b|"
    r"\b(?:daily|weekly|monthly|quarterly|cyclic(?:al)?|continuous|sequential|intermittent)\s+(?:or|versus|vs\.?)\s+"
    r"(?:daily|weekly|monthly|quarterly|cyclic(?:al)?|continuous|sequential|intermittent)\b|"
    r"\b(?:low|high|lower|higher|standard|single|double)[- ]dose\s+(?:or|versus|vs\.?)\s+(?:a\s+)?"
    r"(?:low|high|lower|higher|standard|single|double)[- ]dose\b|"
    r"\b(?:versus|vs\.?|compared\s+(?:with|to))\s+(?:the\s+|a\s+)?(?:\d+(?:\.\d+)?\s*(?:mg|µg|mcg|g)|"
    r"standard|conventional|usual|monthly|weekly|daily|quarterly|continuous|cyclic|sequential|"
    r"low|high|lower|higher)\b|\bcontrol\s+group\s+(?:received|was\s+given|got)\b(?![^.]{0,30}placebo)|"
    r"\b(?:randomi[sz]ed|assigned|allocated)\s+to\s+(?:receive\s+)?(?:either\s+)?[^.]{3,80}?\s+or\s+"
    r"(?!placebo|no\b|a\s+wait|wait)\w")
# A comparison arm that gets nothing: no treatment, a waiting list, observation only.
_NO_TREATMENT_ARM = _rx(
    r"\b(?:or|versus|vs\.?|to|with|and)\s+(?:a\s+|an\s+)?(?:no[- ](?:treatment|intervention|therapy|medication)|"
    r"(?:an\s+)?untreated|observation\s+only)\b(?![- ](?:related|emergent|effects?|differences?))|"
    r"\bno[- ](?:treatment|intervention)\s+(?:control|group|arm|condition)s?\b|\buntreated\s+control\w*|"
    r"\bwait(?:ing)?[- ]?list(?:ed)?\b")


# "to compare the profile of epinastine with cetirizine", "epinastine versus cetirizine": the drug
# after the cue is the reference, whichever the title names first.
_COMPARED_WITH = _rx(r"(?:\bcompar\w*\b|\bversus\b|\bvs\b\.?)[^.;]*?$")
_WITH_CUE = _rx(r"(?:\b(?:with|to|versus|vs\.?|than)\s+(?:that\s+of\s+|those\s+of\s+)?(?:the\s+|a\s+)?|\bversus\s+|\bvs\.?\s+)"
                r"(?:[\w-]+\s+){0,2}$")


def _compared_with(drugs: DrugReading) -> Hit | None:
    """The drug an abstract sentence sets another drug against ("compare A with B": B), or None."""
    hits = sorted((h for group in (drugs.study, drugs.comparator) for hs in group.values() for h in hs
                   if h.passage.field == "abstract"), key=lambda h: h.start)
    for first, second in zip(hits, hits[1:]):
        if first.label == second.label or first.sentence.start != second.sentence.start:
            continue
        text = first.passage.text
        if _CO_INTERVENTION.search(text, max(first.end, second.start - 40), second.start):
            continue
        if (_WITH_CUE.search(text, first.end, second.start)
                and (_COMPARED_WITH.search(text, first.sentence.start, first.start)
                     or re.match(r"\s*(?:\([^()]*\)\s*)?(?:versus|vs\.?)\s", text[first.end:second.start]))):
            return second
    return None


def control(passages: list[Passage], drugs: DrugReading, single_group: list[Hit]) -> tuple[Suggestion, Suggestion]:
    # "placebo-controlled trials have shown ..." before the abstract turns to its own study is not an arm.
    placebo = [h for h in find(passages, _PLACEBO) if not _before_own_study(h)]
    comparator_names = sorted(drugs.comparator, key=lambda n: drugs.comparator[n][0].start)
    comparator = (suggestion(comparator_names[0], drugs.comparator[comparator_names[0]])
                  if comparator_names else Suggestion(None))
    explicit = _compared_with(drugs)
    if explicit is not None:
        comparator = suggestion(explicit.label, [explicit])
    if placebo:
        return suggestion("placebo", placebo), comparator
    if comparator.stated:
        return Suggestion("active", comparator.evidence), comparator
    nothing = find(passages, _NO_TREATMENT_ARM)
    if nothing:
        return suggestion("none", nothing), comparator
    other_arm = find(passages, _OTHER_ACTIVE_ARM)
    if other_arm:
        return suggestion("active", other_arm), comparator
    if single_group:
        return suggestion("none", single_group), comparator
    return Suggestion(NOT_STATED), comparator


# --- participants ------------------------------------------------------------------------------

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
_BARE_VERB = _rx(r"\b(?:(?:were|was|had\s+been)\s+(?P<verb>randomi[sz]ed|randomly|enrolled|included|recruited)|"
                 r"(?P<verb2>responded|participated|took\s+part))\b")
_COUNT_BEFORE = re.compile(r"(?<![\d.,%/])\b(?P<count>" + COUNT + r")\s+(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s+)?$",
                           re.IGNORECASE)
# A case report is of one person: "a 34-year-old woman", "we report the case of a man".
_CASE_REPORT = _rx(r"\bcase\s+(?:presentation|report|description)\b|\bwe\s+(?:report|present|describe)\s+(?:the\s+|a\s+)?"
                   r"(?:first\s+|rare\s+|unusual\s+)?case\b")
_ONE_PERSON = _rx(r"\b(?:a|an)\s+\d{1,3}[- ](?:year|yr|month)s?[- ]old\b")
# A study's own size in brackets: "a randomized controlled trial (N = 132)"; the bracket is found
# first, the design noun read back from it.
_BRACKET_N = _rx(r"\(\s*n\s*=\s*(?P<count>\d{1,3}(?:,\d{3})+|\d+)\s*\)")
_DESIGN_BEFORE = _rx(r"\b(?:a|an|this|our|the\s+present|the\s+current)\s+(?:[\w-]+,?\s+){0,5}?"
                     r"(?:trial|study|sample|cohort|survey|experiment)\s*$")
_N_EQUALS = re.compile(r"\b[Nn]\s*=\s*(?P<count>\d{1,3}(?:,\d{3})+|\d+)")
_TOTAL_OF = _rx(r"\b(?:a\s+)?total\s+of\s*$|\(?\btotal:?\s*$|\boverall,?\s*$|\bin\s+all,?\s*$")
_ENROLMENT_VERB = _rx(r"\b(?P<verb>randomi[sz]ed|randomly|enrolled|recruited|included|entered|"
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
_BEFORE_RANK = _rx(r"(?:\b(?:randomi[sz]ed|enrolled|recruited|included|studied|treated|involving|involved|"
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
        summed = _arm_sizes(passages)
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


_ARMS_SENTENCE = _rx(r"\brandomi|\bassign|\ballocat|\bgroups?\b|\barms?\b|\breceived\b|\binterview|\benrol|"
                     r"\brecruit|\bincluded\b|\bstudied\b|\bparticipants\b|\bsurvey|\bquestionnaire")


_WAVES = _rx(r"\b(?:again|time\s*[12]|waves?|follow-?up|re-?assessed|re-?surveyed)\b")


def _arm_sizes(passages: list[Passage]) -> Suggestion | None:
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
            if _background(Hit(passage, match.start(), match.end())) or not _GROUP_SENTENCE.search(sentence.text):
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


_OTHER_STAGE = _rx(r"\b(?:screened|evaluated|assessed|approached|invited|eligible|completed|analy[sz]ed|withdr[ae]w\w*|"
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
_GROUP_SENTENCE = _rx(r"\brandomi|\bassign|\ballocat|\benrol|\brecruit|\binclud|\bstudied\b|\bparticipat|"
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
_COMPLETION = _rx(r"[^.;]{0,40}?\b(?:completed|finished|withdr[ae]w|dropped\s+out|discontinued|were\s+(?:analy[sz]ed|"
                  r"evaluable|lost))\b")


_ONLY_ANALYSED = _rx(r"\b(?:evaluable|assessable|analy[sz]able|analy[sz]ed|completing)\b")


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


_AGE_RANGE = _rx(r"\b(?:aged?|ages?|age\s+range(?:d)?|between\s+the\s+ages\s+of)\s*(?:of\s+|from\s+|between\s+|:\s*)?"
                 r"(?P<low>\d{1,2})\s*(?:-|\u2013|to|and)\s*(?P<high>\d{1,3})\s*(?P<unit>years?|yrs?|y\b|months?)?")
_YEARS = r"(?:years?|yrs?|y)\b"
# An age range written without "aged": "25 to 44 years of age", "patients (15-65 years)".
_AGE_RANGE_AFTER = _rx(r"(?:\b(?P<low>\d{1,2})\s*(?:-|\u2013|to)\s*(?P<high>\d{1,3})\s*" + _YEARS +
                       r"\s*(?:of\s+age|old|of\s+age\s+or\s+older)|\b" + _PEOPLE +
                       r"\s*\((?:aged?\s*)?(?P<low2>\d{1,2})\s*(?:-|\u2013|to)\s*(?P<high2>\d{1,3})\s*" + _YEARS + r")")
# Only a lower bound: "aged 18 years or older", "aged >or=50 years", "over 65 years of age".
_AGE_FLOOR = _rx(r"(?:\baged?\s*(?:>\s*or\s*=|>=|\u2265|>|over|above|at\s+least|of\s+at\s+least)?\s*"
                 r"(?P<low>\d{1,2})\s*(?:" + _YEARS + r")?\s*(?:(?:of\s+age\s+)?(?:or|and)\s+(?:older|over|above)|\+)|"
                 r"\baged?\s*(?:>\s*or\s*=|>=|\u2265|>|over|above|at\s+least)\s*(?P<low2>\d{1,2})\b|"
                 r"\b(?P<low3>\d{1,2})\s*" + _YEARS + r"\s*(?:of\s+age\s+)?(?:or|and)\s+(?:older|over|above)|"
                 r"(?:>\s*or\s*=|>=|\u2265)\s*(?P<low4>\d{1,2})\s*" + _YEARS + r")")
# One person's age, as a case report gives it: "a 64-year-old woman".
_SINGLE_AGE = _rx(r"\b(?P<age>\d{1,3})[- ](?:year|yr)s?[- ]old\b")
_CHILD = _rx(r"\b(?:child(?:ren|hood)?|paediatric|pediatric|adolescen(?:ts?|ce)|teen(?:s|agers?)|youths?|"
             r"juvenile|infants?|toddlers?|boys|girls|school[- ]?(?:age|aged|children)|kids|minors|"
             r"preschool(?:ers)?|neonat(?:es|al))\b")
_ADULT = _rx(r"\badults?\b|\b(?:men|women)\b|\belderly\b|\bolder\s+(?:adults|people|patients|persons)\b|"
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
    child = [h for h in find(passages, _CHILD) if not _before_own_study(h)]
    adult = [h for h in find(passages, _ADULT) if not _before_own_study(h) and not _share(h)]
    if child and adult:
        return suggestion("mixed", child[:1] + adult[:1])
    if child:
        return suggestion("child-adolescent", child)
    if adult:
        return suggestion("adult", adult)
    single = [h for h in find(passages, _SINGLE_AGE, negatable=False) if not _background(h)]
    if single:
        age = int(_SINGLE_AGE.match(single[0].passage.text, single[0].start).group("age"))  # type: ignore[union-attr]
        return suggestion("adult" if age >= 18 else "child-adolescent", single[:1])
    return Suggestion(NOT_STATED)


def _before_own_study(hit: Hit) -> bool:
    """A mention in a labelled background, or before an unlabelled abstract turns to its own study,
    says who is affected in general ("common in children"), not who took part."""
    return _background(hit) or (hit.passage.field != "title" and hit.start < study_start(hit.passage))


def _share(hit: Hit) -> bool:
    """"64% women", "40 per cent men": the make-up of a sample, not who could take part."""
    before = hit.passage.text[max(0, hit.start - 16):hit.start]
    return bool(re.search(r"\d\s*(?:%|per\s?cent|percent)\s*(?:were\s+|of\s+(?:them\s+|whom\s+)?(?:were\s+)?)?$", before))


def _background(hit: Hit) -> bool:
    """A mention in a labelled background or objective section says who is affected, not who took part."""
    sentence = hit.sentence.text.lower()
    return bool(re.match(r"(?:background|introduction|context|rationale|objectives?|aims?|purpose)\s*:", sentence))


# Population: the fixed values; protocol population terms add their own phrases.
_POPULATIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("healthy", _rx(r"\bhealthy,?\s+(?:[\w-]+,?\s+){0,4}?(?:volunteers|subjects|participants|adults|individuals|men|"
                    r"women|males|females|controls|people|persons|students|elderly|smokers|children|"
                    r"adolescents)\b|\bnormal\s+(?:volunteers|subjects)\b|\bnon-?clinical\b")),
    ("depression", _rx(r"\b(?<!respiratory )(?<!CNS )(?<!ST )(?<!ST-segment )(?<!spreading )(?<!cardiac )"
                       r"(?<!marrow )(?<!segment )(?<!ST-)(?<!mm )(?<!myocardial )depression\b|\bdepressive\s+(?:disorder|episode|symptoms)\b|\bMDD\b|"
                       r"\bdepressed\s+(?:patients|adults|adolescents|outpatients|individuals|subjects)\b|"
                       r"\bTRD\b")),
    ("bipolar", _rx(r"\bbipolar\b|\bmania\b|\bmanic\b")),
    ("autism", _rx(r"\bautis(?:m|tic)\b|\bASD\b|\bAsperger")),
    ("fragile-x", _rx(r"\bfragile\s*-?\s*X\b|\bFXS\b")),
    ("social-anxiety", _rx(r"\bsocial\s+anxiety(?:\s+disorder)?\b|\bsocial\s+phobia\b|\bSAD\b(?=[^.]*\bsocial)")),
    ("ptsd", _rx(r"\bPTSD\b|\bpost-?\s?traumatic\s+stress\b")),
    ("schizophrenia", _rx(r"\bschizophreni(?:a|c|cs)\b|\bschizoaffective\b|\bfirst[- ]episode\s+psychosis\b")),
    ("borderline-pd", _rx(r"\bborderline\s+personality\b|\bBPD\b")),
    ("ocd", _rx(r"\bobsessive[- ]compulsive\s+disorder\b|\bOCD\b")),
    ("substance-use", _rx(r"\b(?:substance|alcohol|cocaine|opioid|opiate|cannabis|methamphetamine|"
                          r"amphetamine|nicotine|tobacco|heroin|drug)\s+(?:use\s+disorders?|dependence|"
                          r"abuse|addiction|dependent)\b|\balcoholi(?:sm|cs?)\b|\baddicts?\b")),
)
# "patients with X": the condition of a population the fixed values do not name.
_CONDITION = _rx(
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
_CONDITION_PHRASE = _rx(r"\b(?P<phrase>" + _KEPT_MODIFIER + _DISEASE_HEAD + r")\b")
_MENOPAUSE = _rx(r"\b(?:post-?\s?menopausal|peri-?\s?menopausal|menopaus(?:e|al))\b")
_DISEASE_WORD = _rx(_DISEASE_HEAD)
_PEOPLE_SENTENCE = _rx(r"\b" + _PEOPLE + r"\b|\b(?:patients|subjects|participants|volunteers|women|men|children|adults|adolescents|"
                       r"individuals|outpatients|sufferers|migraineurs|people|persons|cases)\b|\bin\s+(?:the\s+)?"
                       r"(?:treatment|management)\s+of\b")
# Conditions written as a person ("migraineurs"), an abbreviation or a lay name, by their value.
_NAMED_CONDITIONS = _rx(r"\b(?:(?P<migraine>migraineurs?)|(?P<asthma>asthmatics?)|(?P<diabetes>diabetics?)|"
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
            if _background(Hit(passage, sentence.start, sentence.end)):
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
_MEASURED_AFTER = _rx(r"(?:\s+(?:and\s+)?(?:anxiety\s+)?(?:disorder\s+)?)?[\s'-]*(?:symptoms?|scores?|scales?|subscales?|"
                      r"inventory|questionnaire|index|checklist|severity|episodes|events?|rates?|risk|trajector\w*|"
                      r"incidence|outcomes?|screening|awareness|rating|measures?|prevention)\b")
# Sentences that name conditions of other people: exclusions, outcomes and events counted,
# the state of knowledge.
_NOT_WHO_TOOK_PART = _rx(r"\bexclu\w+|\b(?:primary|secondary|main)?\s*(?:outcomes?|end-?\s?points?)\b|\bglobal\s+index\b|"
                         r"\bevidence\b|\bprevious(?:ly)?\b|\b(?:studies|research)\s+(?:have|has)\b|"
                         r"\bincidence\s+of\b|\brisk\s+of\b|\bstopping\b|"
                         # results: a condition counted with its statistics is an outcome
                         r"\bhazard\s+ratios?\b|\bHRs?\b|\bodds\s+ratios?\b|\bORs?\s*=|\b95\s*%|\bCIs?\b|\bp\s*[<=]")
# A condition named as what changes, is measured or is prevented: "the development
# of depression", "improvement in migraine", "to prevent asthma".
_MEASURED_BEFORE = _rx(r"(?:\b(?:from|against)\s+develop\w*|\bprevent\w*(?:\s+of)?|\b(?:development|maintenance|symptoms?|severity|levels?|prevalence|incidence|"
                       r"risk|trajector\w+|predictors?|onset|associations?|relationships?|scores?|rates?|"
                       r"measures?|reduction|improvement|change|worsening)\s+"
                       r"(?:of|in|with))\s+(?:[\w-]+\s+){0,1}$")


# What a drug is for in general ("tolterodine, used for the treatment of overactive bladder"),
# said in an abstract about other participants.
_INDICATION_BEFORE = _rx(r"\b(?:indicated|approved|used|licensed|prescribed|marketed|developed|effective|agents?|drugs?|"
                         r"medications?)\s+(?:\w+\s+){0,2}?(?:for|in)\s+(?:the\s+)?(?:(?:treatment|management|therapy|"
                         r"relief)\s+of\s+)?(?:[\w-]+\s+){0,1}$")


# A condition listed among what was measured ("quality of life, anxiety, and depression").
_MEASURE_LIST_BEFORE = _rx(r"\b(?:anxiety|stress|qol|quality\s+of\s+life|well-?being|self-?esteem|mood|fatigue|sleep|"
                           r"distress|burnout|coping)\s*(?:\([^()]*\))?\s*,?\s*(?:and|or)?\s*$")
_MEASURE_LIST_AFTER = _rx(r"\s*(?:\([^()]*\))?\s*(?:,|and|or)\s+(?:and\s+)?(?:anxiety|stress|qol|quality\s+of\s+life|"
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


# --- doses and routes --------------------------------------------------------------------------

_DOSE = _rx(r"(?<![\w.])(?P<dose>(?P<amounts>\d+(?:\.\d+)?(?:\s*(?:-|\u2013|to|or|and|/|,|,\s*or|,\s*and)\s*\d+(?:\.\d+)?)*)"
            r"\s*-?\s*(?P<unit>mg|g|µg|μg|mcg|ug|ng|ml|mL|IU|mmol|mEq|micrograms?)(?:\s*/\s*(?:kg|m2|m²|day|d|dose|h|hr|min|ml))*"
            r"(?:\s+(?:once|twice|three\s+times|four\s+times)\s+(?:daily|a\s+day|per\s+day|weekly))?"
            r"(?:\s+(?:daily|b\.?i\.?d\.?|t\.?i\.?d\.?|q\.?d\.?|o\.?d\.?|per\s+day|a\s+day|/day))?)(?![\w])")
# A concentration measured in blood or urine ("697 ng/ml"), not an amount given.
_CONCENTRATION = _rx(r"(?:ng|pg|µg|μg|mcg|ug|mg|g|mmol|nmol|µmol|micrograms?)\s*/\s*(?:ml|l|dl)\b")
# Amounts listed with one shared unit ("0.5, 1, 2 or 4 mg"): each is a dose of its own; a range
# ("10-20 mg") or a ratio ("2/3 mg") stays one.
_LIST_SEPARATOR = re.compile(r"\s*(?:,\s*(?:or|and)?|\bor\b|\band\b)\s*")
_NOT_DOSE_CONTEXT = _rx(r"(?:\bp\s*[<=>]|\bdecrease|\breduc|\bchange|\bmean|\blevels?\s+of|\bconcentrations?|"
                        r"\bby|\bvolumes?|\bcapacity|\boutput|\bloss)\W*$")

_ROUTES = (
    ("intravenous", _rx(r"\bintravenous(?:ly)?\b|\bi\.\s?v\.(?=\s|,|;|\))|\bIV\b(?=\s+(?:infusion|bolus|injection|"
                        r"administration|dose|ketamine|\w+\s+infusion))|\b\w+(?:ine|ide|ol|am|one|ate|an|in)\s+(?:infusions?|bolus)\b|"
                        r"\binfusions?\s+of\s+(?!\w*\s*(?:saline|fluid|water))|\bbolus\s+(?:dose|injection)\b|"
                        r"\b(?:single|continuous|constant|slow|\d+[- ]min(?:ute)?s?)\s+infusions?\b(?![^.]{0,30}\b(?:saline|fluids?)\b)")),
    ("intranasal", _rx(r"\bintra-?nasal(?:ly)?\b|\bnasal(?:ly)?\s+(?:spray|administ|delivered|inhal|solution|"
                       r"powder|insufflation|dose)|\bnasal\s+(?:\w+\s+)?sprays?\b")),
    ("oral", _rx(r"\boral(?:ly)?\b(?!\s+(?:contraceptiv|hygiene|health|cavity|mucosa|surgery|glucose\s+tolerance))|"
                 r"\bby\s+mouth\b|\btablets?\b|\bcapsules?\b|\bencapsulated\b|\bcaplets?\b|\b(?:liqui|soft)-?gels?\b|\bp\.\s?o\.(?=\s|,|;|\))|\bper\s+os\b|\bsublingual(?:ly)?\b")),
    ("intramuscular", _rx(r"\bintra-?muscular(?:ly)?\b|\bi\.\s?m\.(?=\s|,|;|\))")),
    ("inhaled", _rx(r"\binhal(?:ed|ation|er|ers)\b|\bnebuli[sz](?:ed|er)\b|\bbreathing\s+\d+\s*%")),
    ("subcutaneous", _rx(r"\bsub-?cutaneous(?:ly)?\b|\bs\.\s?c\.(?=\s|,|;|\))|\bsubcutaneous\s+injection\b")),
)


def doses(passages: list[Passage]) -> Suggestion:
    hits: list[Hit] = []
    values: list[str] = []
    for hit in find(passages, _DOSE, negatable=False):
        before = hit.passage.text[max(0, hit.start - 25):hit.start]
        if (_NOT_DOSE_CONTEXT.search(before) or hit.start < study_start(hit.passage)
                or _NOT_THE_STUDYS_USE.search(hit.sentence.text)):
            continue  # a change measured, a dose the background speaks of, or a rescue drug's
        match = _DOSE.match(hit.passage.text, hit.start)
        assert match is not None
        if _CONCENTRATION.match(hit.passage.text, match.start("unit")):
            continue
        dose = Hit(hit.passage, match.start("dose"), match.end("dose"))
        hits.append(dose)
        values.extend(_listed_doses(" ".join(match.group("amounts").split()),
                                    " ".join(hit.passage.text[match.start("unit"):match.end("dose")].split()),
                                    " ".join(dose.evidence.text.split())))
    return suggestion(list(dict.fromkeys(values)), hits, limit=len(hits))


def _listed_doses(amounts: str, unit: str, written: str) -> list[str]:
    """One value per amount of a list sharing a unit; the dose as written otherwise."""
    parts = _LIST_SEPARATOR.split(amounts)
    if len(parts) < 2 or not all(re.fullmatch(r"\d+(?:\.\d+)?", part) for part in parts):
        return [written]
    return [f"{part} {unit}" for part in parts]


def routes(passages: list[Passage]) -> Suggestion:
    found: dict[str, list[Hit]] = {}
    for value, pattern in _ROUTES:
        hits = [h for h in find(passages, pattern) if not _background(h)
                and not _EARLIER_TREATMENT.search(h.sentence.text) and not _NOT_THE_STUDYS_USE.search(h.sentence.text)
                and not _FOR_OTHER_PRODUCT.match(h.passage.text, h.end)]
        if hits:
            found[value] = hits
    ordered = sorted(found, key=lambda v: (found[v][0].passage.field != "title", found[v][0].start))
    return Suggestion(ordered, [found[v][0].evidence for v in ordered])


# A route named for a background treatment of every arm ("each with a newly started oral
# antidepressant"), named by its class rather than as a study drug.
_FOR_OTHER_PRODUCT = _rx(r"\s+(?:\w+\s+)?(?:antidepressants?|antibiotics?|antipsychotics?|anticoagulants?|"
                         r"corticosteroids?|steroids?|analgesics?|medications?|standard\s+of\s+care)\b")


# A route named for treatment before the study ("had undergone previous treatment with oral or
# intravenous sumatriptan") is not how the study drug was given.
_EARLIER_TREATMENT = _rx(r"\b(?:previous(?:ly)?|prior|earlier|history\s+of|before\s+(?:the\s+)?(?:study|trial|"
                         r"enrol\w*|entry))\b(?:\s+\w+){0,3}\s+(?:treat\w*|therapy|use|users|exposure|"
                         r"medication|oral|intravenous)\b|\bhad\s+(?:undergone|received|used|taken)\b")


# --- outcomes -----------------------------------------------------------------------------------

OUTCOME_CLASSES = ("self-report", "clinician-rated", "behavioural", "neuroimaging", "physiological")
# The protocol's instrument classes, in the spelling.
PROTOCOL_OUTCOME_CLASS = {"self_report": "self-report", "clinician_rated": "clinician-rated",
                          "behavioural_task": "behavioural", "neuroimaging": "neuroimaging",
                          "physiological": "physiological"}
_OUTCOME_CLASS_PATTERNS = (
    ("self-report", _rx(r"\bself-?\s?(?:report(?:ed)?|rat(?:ed|ings?)|assess(?:ed|ment)|administered)\b|"
                        r"\bquestionnaires?\b|\bdiar(?:y|ies)\b|\bvisual\s+analog(?:ue)?\s+scales?\b|\bVAS\b|"
                        r"\bpatient[- ](?:reported|rated|assessed)\b|\bsubjective(?:ly)?\b|\binventory\b|"
                        r"\b(?:symptom|pain|headache|itch|nasal)\s+(?:severity\s+)?(?:scores?|ratings?|relief)\b|"
                        r"\bquality\s+of\s+life\b|\b(?:patient|participant)s?'?\s+(?:global\s+)?"
                        r"(?:assessment|evaluation|rating)s?\b|\bpain[- ]free\b|\bsatisfaction\b|"
                        r"\bvoiding\s+diar|\bmood\s+ratings?\b|\bhot\s+(?:flash|flush)\w*|\brelief\b|"
                        r"\bpain\s+(?:intensity|severity)\b|\bheadache\s+(?:severity|frequency|response)\b|"
                        r"\b(?:incontinence|micturition|urge|voiding)\s+episodes\b|\bmicturition\s+(?:charts?|"
                        r"diar\w+|variables|frequency)\b|\bby\s+(?:the\s+)?patients\b|\bmorning\s+stiffness\b|"
                        r"\bvasomotor\s+symptoms\b|\bseverity\s+of\s+(?:symptoms|pain|headache)\b|"
                        r"\binterviews?\b|\bsymptoms?\s+(?:were\s+)?(?:recorded|rated|assessed)\b|"
                        r"\b(?:menopausal|climacteric|urgency|bladder|urinary|nasal|ocular|allergic|depressive|"
                        r"depression|anxiety|vasomotor|menstrual|gastrointestinal)\s+symptoms?\b|"
                        r"\bsymptoms\s+of\s+(?:depression|anxiety)\b|\bpatients?'?\s+perceptions?\b|"
                        r"\banalgesic\s+(?:and\s+\w+\s+)?efficacy\b|\bassess(?:ed|ment)\s+by\s+(?:the\s+)?patients?\b|"
                        r"\b(?:evaluated|rated|assessed|scored|judged)\s+by\s+(?:the\s+)?(?:volunteers?|participants?|"
                        r"subjects?)\b")),
    ("clinician-rated", _rx(r"\bclinician[- ](?:rated|administered|assessed)\b|\b(?:investigator|physician|"
                            r"clinician|observer|rater)s?'?\s*(?:-\s*)?(?:global\s+)?(?:rated|ratings?|assess(?:ed|ments?)|"
                            r"evaluations?)\b|\bHAM-?[DA]\b|(?<!-)\bHamilton\b(?!-)|\bMADRS\b|\bMontgomery\b|\bCGI\b|"
                            r"\bclinical\s+global\s+impression|\bPANSS\b|\bBPRS\b|\bYMRS\b|\bCAPS\b|\bADOS\b|"
                            r"\bY-?BOCS\b|\bparent[- ]rated\b|\bteacher[- ]rated\b|\bAberrant\s+Behavio|"
                            r"\bglobal\s+(?:assessment|evaluation)\s+(?:of\s+\w+\s+)?by\s+(?:the\s+)?"
                            r"(?:investigator|physician)s?\b|\bRitchie\b|\b(?:swollen|tender|painful)\s+joints?\b|"
                            r"\bjoint\s+(?:index|counts?)\b|\bACR\s*-?\s*20\b|\bKupperman|"
                            r"\b(?:physicians?|investigators?|clinicians?|assessors?|raters?)\s+(?:also\s+)?(?:rated|"
                            r"assessed|scored|evaluated|judged)\b|\bscored\s+by\s+(?:a\s+|the\s+)?(?:\w+\s+)?(?:assessor|"
                            r"rater|clinician|investigator|psychiatrist)s?\b|\binter-?rater\b|\bsyndromal\b|"
                            r"\bby\s+(?:the\s+)?(?:(?:patients?|volunteers?|participants?|subjects?)\s+and\s+(?:the\s+)?)?"
                            r"(?:investigators?|physicians?|clinicians?)\b|"
                            r"\b(?:physicians?|investigators?|clinicians?)\s+(?:found|considered|judged)\b")),
    ("behavioural", _rx(r"\b(?:behaviou?ral|cognitive|computeri[sz]ed|experimental|laboratory)\s+(?:tasks?|"
                        r"paradigms?|tests?|performance)\b|\btask\s+performance\b|\breaction\s+times?\b|"
                        r"\bgames?\b(?=[^.]{0,40}\b(?:trust|dictator|ultimatum|"
                        r"prisoner|cooperat|economic))|\bperformance\s+on\b|\bpsychomotor\b|\bdriving\s+"
                        r"(?:performance|test)|\bmemory\s+(?:tests?|tasks?|performance)\b|\bneuropsychologic\w*|"
                        r"\bcognitive\s+(?:abilit\w+|functions?|functioning|tests?)\b|\bcognition\b|"
                        r"\b(?:test[- ]ordering|ordering|prescribing)\s+behaviou?r\b")),
    ("neuroimaging", _rx(r"\bf?MRI\b|\bfunctional\s+magnetic\b|\bmagnetic\s+resonance\s+(?:imaging|spectroscopy)\b|"
                         r"\bPET\b(?=[^.]{0,80}\b(?:brain|cerebral|cortical|neural|receptor|binding|striat))|"
                         r"\bEEG\b|\belectroencephalogra|\bMEG\b|"
                         r"\bmagnetoencephalogra|\bBOLD\b|\bneuroimaging\b|\bbrain\s+imaging\b|\bSPECT\b|"
                         r"\bevent-?related\s+potentials?\b|\bERPs?\b|\bMRS\b|\bresting[- ]state\b|"
                         r"\bpositron\s+emission\s+tomography\b")),
    ("physiological", _rx(r"\bheart\s+rate\b|\bblood\s+pressure\b|\bcortisol\b|\bskin\s+conductance\b|"
                          r"\bplasma\s+(?:levels?|concentrations?)\b|\bpharmacokinetic|\bw(?:h)?eals?\b|\bhormonal\s+(?:evaluations?|levels?|"
                          r"measurements?|profiles?)\b|\bflares?\b|"
                          r"\bbone\s+mineral\s+density\b|\bBMD\b|\bserum\s+(?:levels?|concentrations?)\b|"
                          r"\blipid\s+profiles?\b|\bcholesterol\b|\bnasal\s+(?:airflow|patency|resistance)\b|"
                          r"\bpupil|\bbody\s+temperature\b|\bendometri(?:al|um)\b(?!\s+(?:cancer|carcinoma|hyperplasia))|\bbiomarkers?\b|"
                          r"\burodynamic|\bbladder\s+capacity\b|\bECG\b|\belectrocardiogra|\bQTc?\b|"
                          r"\bhormone\s+levels?\b|\bgastrointestinal\s+(?:blood\s+loss|permeability)\b|"
                          r"\bendoscop|\bbone\s+(?:density|loss|mass|turnover|markers?)\b|\balkaline\s+phosphatase\b|"
                          r"\btransaminases?\b|\bserum\b|\bplasma\b|\burinary\s+\w+\s+excretion\b|"
                          r"\bbiochemical\s+markers?\b|\bgrip\s+strength\b|\bla?boratory\s+(?:values|tests|"
                          r"parameters)\b|\bha?emoglobin\b|\bcreatinine\b|\bmucosal\b|\bprostaglandins?\b|"
                          r"\bblood\s+(?:levels?|samples?|concentrations?|flow)\b|\bvital\s+signs\b|"
                          r"\b(?:lung|pulmonary)\s+function\b|\bFEV1\b|\bmotility\b|\bskin\s+(?:test|reaction)|"
                          r"\bbody\s+(?:weight|mass\s+index)\b|\bBMI\b|\bweight\s+(?:gain|loss|status)\b|"
                          r"\bwaist\s+circumference\b")),
)
_IMAGING = (
    ("fMRI", _rx(r"\bfMRI\b|\bfunctional\s+(?:magnetic\s+resonance|MRI|MR)\b|\bBOLD\b|\bresting[- ]state\s+"
                 r"(?:functional\s+)?connectivity\b|\bpharmacological\s+MRI\b|\bphMRI\b")),
    ("EEG", _rx(r"\bEEG\b|\belectroencephalogra\w*|\bevent-?related\s+potentials?\b|\bERPs?\b|\bmismatch\s+negativity\b|"
                r"\bMMN\b|\bP300\b|\bquantitative\s+EEG\b")),
    ("MEG", _rx(r"\bMEG\b|\bmagnetoencephalogra\w*")),
    ("PET", _rx(r"\bPET\b|\bpositron\s+emission\s+tomography\b")),
    ("MRS", _rx(r"\b(?:1H-?)?MRS\b|\bmagnetic\s+resonance\s+spectroscopy\b|\bspectroscopy\b")),
    ("other", _rx(r"\b(?:MR|magnetic\s+resonance)\s+angiogra\w*(?=[^.]{0,60}\b(?:intracranial|cerebral|brain))|\bSPECT\b|\bsingle[- ]photon\b|\bdiffusion\s+tensor\b|\bDTI\b|\barterial\s+spin\s+label|"
                  r"\bnear-?infrared\s+spectroscopy\b|\bfNIRS\b|\bNIRS\b|\bstructural\s+MRI\b|\bvoxel-?based\s+morphometry\b|"
                  r"(?<!functional\s)(?:\bMRI\b|\bmagnetic\s+resonance\s+imaging\b)")),
)
# Plain "MRI" is structural imaging ('other') only in a study that names no functional MRI.
_PLAIN_MRI = re.compile(r"(?:MRI|magnetic\s+resonance\s+imaging)$", re.IGNORECASE)


def pattern_list(passages: list[Passage], patterns: tuple[tuple[str, re.Pattern[str]], ...],
                 keep: Callable[[Hit], bool] = lambda hit: True) -> dict[str, list[Hit]]:
    found: dict[str, list[Hit]] = {}
    for value, pattern in patterns:
        hits = [h for h in find(passages, pattern) if keep(h)]
        if hits:
            found[value] = hits
    return found


# Imaging of another organ than the brain ("myocardial perfusion measured with PET") is not
# neuroimaging; a sentence naming the brain too is.
_OTHER_ORGAN = _rx(r"\b(?:myocard\w*|cardiac|coronary|heart(?!\s+rate)|lungs?|pulmonary|liver|hepatic|renal|kidneys?|bone|breast|"
                   r"prostate|knee|spine|abdom\w*|muscles?|tumou?rs?|whole[- ]body|skeletal|thyroid)\b")
_BRAIN = _rx(r"\b(?:brain|cerebr\w*|cortex|cortical|amygdala|striat\w*|hippocamp\w*|neural|neuronal|intracranial|"
             r"thalam\w*|insula|cingulate|prefrontal|grey\s+matter|gray\s+matter|white\s+matter|"
             r"receptor\s+(?:binding|occupancy|availability))\b")


def _measured(hit: Hit) -> bool:
    """Not in a labelled background, nor in the sentences before an unstructured abstract turns
    to its own study (what earlier studies measured)."""
    return not _background(hit) and hit.start >= study_start(hit.passage)


def brain_imaging(hit: Hit) -> bool:
    """A brain imaging mention: its sentence names the brain, or names no other organ in a text
    that is not about another organ only (a cardiac PET study's "baseline PET scan")."""
    if not _measured(hit):
        return False
    sentence = hit.sentence.text
    if _BRAIN.search(sentence):
        return True
    return not _OTHER_ORGAN.search(sentence) and not _other_organ_only(hit.passage.text)


@lru_cache(maxsize=256)
def _other_organ_only(text: str) -> bool:
    return bool(_OTHER_ORGAN.search(text)) and not _BRAIN.search(text)


def imaging_modalities(passages: list[Passage]) -> Suggestion:
    found = pattern_list(passages, _IMAGING, brain_imaging)
    if "other" in found and ("fMRI" in found or "MRS" in found):
        found["other"] = [h for h in found["other"] if not _PLAIN_MRI.fullmatch(h.evidence.text)]
        if not found["other"]:
            found.pop("other")
    return Suggestion(list(found), [hits[0].evidence for hits in found.values()])


def vocabulary_hits(protocol: Protocol, passages: list[Passage], vocabulary: str | None) -> dict[str, list[tuple[Passage, Span]]]:
    """Non-negated mentions of a protocol vocabulary's terms, by term id."""
    found: dict[str, list[tuple[Passage, Span]]] = {}
    if vocabulary is None or vocabulary not in protocol.vocabularies:
        return found
    for passage in passages:
        for span in text_spans(protocol, passage.text):
            if span.vocabulary == vocabulary and not span.negated:
                found.setdefault(span.term, []).append((passage, span))
    return found


_EXPLICIT_SELF_REPORT = _rx(r"self|questionnaire|diar|\bVAS\b|visual|patient|volunteer|participant|subject|inventory|"
                            r"quality\s+of\s+life")


def outcome_classes(passages: list[Passage], instrument_classes: dict[str, list[Hit]]) -> Suggestion:
    found = pattern_list(passages, _OUTCOME_CLASS_PATTERNS, _measured)
    imaging = found.pop("neuroimaging", [])
    if brain := [h for h in imaging if brain_imaging(h)]:
        found["neuroimaging"] = brain
    elif imaging:  # the heart's perfusion, the lungs' structure: a body measure
        found.setdefault("physiological", []).extend(imaging)
    for value, hits in instrument_classes.items():
        found.setdefault(value, []).extend(hits)
    # "Symptoms were rated with the MADRS": a symptom word in a sentence naming a clinician's
    # rating is what the clinician rated, not a participant's report.
    rated = {(h.passage.field, h.sentence.start) for h in found.get("clinician-rated", [])}
    if "self-report" in found:
        own = [h for h in found["self-report"] if (h.passage.field, h.sentence.start) not in rated
               or _EXPLICIT_SELF_REPORT.search(h.evidence.text)]
        found["self-report"] = own
        if not own:
            found.pop("self-report")
    ordered = [v for v in OUTCOME_CLASSES if v in found]
    return Suggestion(ordered, [found[v][0].evidence for v in ordered])


def iter_hits(found: dict[str, list[tuple[Passage, Span]]]) -> Iterator[tuple[str, Hit]]:
    for term, spans in found.items():
        for passage, span in spans:
            yield term, Hit(passage, span.start, span.end, term)
