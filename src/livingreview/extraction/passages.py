"""The text the extraction rules read (a title, an abstract, a full-text section) and what the
rules share: matches outside negation, hits with their evidence, where an abstract turns to its
own study.

Each rule (design.py, drugs.py, participants.py, measures.py, outcomes.py) reads the passages with
regular expressions over the words abstracts use for its field and the criteria engine's negation
test, and answers with a value and the spans that support it. Rules only report what the text
states: a design not described stays "not-stated", a count written as an estimate is flagged, not
guessed.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

from livingreview.extraction.lexicon import text_spans
from livingreview.extraction.model import Evidence, Suggestion
from livingreview.extraction.text import COUNT, Sentence, sentences
from livingreview.protocol.models import Protocol
from livingreview.screening.criteria import Span, is_negated


# As a plain int: testing an int against the RegexFlag enum goes through the slow enum operators.
_IGNORECASE = int(re.IGNORECASE)
# Escapes and group names keep their case; everything else of a pattern is lowercased.
_ESCAPED = re.compile(r"\\.|\(\?P<\w+>|\(\?P=\w+\)|[^\\(]+|\(", re.DOTALL)
# Typeset hyphens (U+2010, U+2011) read as the ASCII one, so "Twenty\u2010six" and "3\u201011 years"
# match the rules' patterns; one character for one, so every offset is the written text's.
_PLAIN_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})


@lru_cache(maxsize=512)
def lowercase_twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The case-insensitive `pattern` as a case-sensitive one over lowercased text: the same
    matches at the same offsets, three to four times faster (re's case folding is slow)."""
    source = "".join(part if part.startswith(("\\", "(?P")) else part.lower()
                     for part in _ESCAPED.findall(pattern.pattern))
    return re.compile(source, pattern.flags & ~re.IGNORECASE)


@dataclass
class Passage:
    """One field of text from one record: "title", "abstract" or "jats:<section>". The rules read
    `text`; evidence quotes `written`, the text as the record gives it."""

    record_id: int | None
    field: str
    text: str
    written: str = dataclasses.field(init=False, repr=False, compare=False)
    # Several rules ask for the same pattern (design words, people counts): each is scanned once.
    # (`dataclasses.field` in full: the class's own `field` attribute shadows the bare name.)
    _matches: dict[re.Pattern[str], list[tuple[int, int, bool]]] = dataclasses.field(
        default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.written = self.text
        self.text = self.text.translate(_PLAIN_HYPHENS)

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
        return Evidence(self.record_id, self.field, start, end, self.written[start:end])

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


def rx(pattern: str) -> re.Pattern[str]:
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


def pattern_list(passages: list[Passage], patterns: tuple[tuple[str, re.Pattern[str]], ...],
                 keep: Callable[[Hit], bool] = lambda hit: True) -> dict[str, list[Hit]]:
    found: dict[str, list[Hit]] = {}
    for value, pattern in patterns:
        hits = [h for h in find(passages, pattern) if keep(h)]
        if hits:
            found[value] = hits
    return found


def vocabulary_hits(protocol: Protocol, passages: list[Passage], vocabulary: str | None,
                    negated_results: bool = False) -> dict[str, list[tuple[Passage, Span]]]:
    """Non-negated mentions of a protocol vocabulary's terms, by term id; with `negated_results`,
    also those a result sentence denies an effect on ("but not for lethargy/social withdrawal
    (p = 0.36)": measured all the same)."""
    found: dict[str, list[tuple[Passage, Span]]] = {}
    if vocabulary is None or vocabulary not in protocol.vocabularies:
        return found
    for passage in passages:
        for span in text_spans(protocol, passage.text):
            if span.vocabulary == vocabulary and (not span.negated or (
                    negated_results and _RESULT_SENTENCE.search(passage.sentence_of(span.start).text))):
                found.setdefault(span.term, []).append((passage, span))
    return found


# A sentence that reports a test's result.
_RESULT_SENTENCE = rx(r"\bp\s*[<=>≤]|\bsignifican\w*|\bF\s*\(\s*\d|\bdiffer(?:ed|ences?)\b")


def iter_hits(found: dict[str, list[tuple[Passage, Span]]]) -> Iterator[tuple[str, Hit]]:
    for term, spans in found.items():
        for passage, span in spans:
            yield term, Hit(passage, span.start, span.end, term)


# --- where the study's own part starts ----------------------------------------------------------

# Sentences that assign or give treatments: the study has begun.
# ("given" as a conjunction, ", given the prevalence of cheaters" or "given that", assigns nothing)
ASSIGNMENT = rx(r"\brandom|\bassign|\ballocat|\breceiv|(?<!,\s)\bgiven\b(?!\s+that\b)|\btreated\s+with\b|\bversus\b|"
                r"\bvs\b|\bcompar")


# Where an unstructured abstract turns from what was known to its own study: its aim, its
# participants, or a drug given or compared. ("This double-blind, placebo-controlled, crossover
# study": design words come in comma-separated runs.)
_OWN_STUDY_TURN = rx(r"\b(?:this|the\s+present|the\s+current|our)\s+(?:[\w-]+,?\s+){0,4}(?:study|trial|pilot|investigation|"
                      r"experiment|work|paper|report)\b|\b(?:we|the\s+authors)\s+(?:\w+\s+)?(?:performed|conducted|investigated|examined|"
                      r"tested|assessed|evaluated|compared|studied|randomi[sz]ed|enrolled|recruited|aimed|sought|"
                      r"hypothesi[sz]ed|measured|report|describe|present|used|utili[sz]ed|gave|administered|administrated|employed|employ|"
                      r"enhanced|depleted|manipulated)\b|"
                      # ("Here, in a double-blind, within-subject design, we administered")
                      r"\bhere,?\s+(?:[^.;]{0,150}?\s)?we\b|"
                      # (not a section's label: "OBJECTIVE: Preclinical evidence indicates ..." is background)
                      r"\b(?:aims?|objectives?|purpose|goals?)\b(?!\s*:)|\b(?:was|were)\s+(?:randomi[sz]ed|enrolled|recruited|studied|included)\b|"
                      # ("We determined whether ...", "A 10-week, double-blind trial of X ... was conducted")
                      r"\bwe\s+(?:\w+\s+)?(?:determined|explored)\b|"
                      r"\b(?:trial|study|experiment)\b[^.;]{0,160}?\b(?:was|were)\s+(?:conducted|performed|carried\s+out|undertaken)\b|"
                      # ("either 30 mg of memantine or a placebo was administered to 40 volunteers")
                      r"\b(?:was|were)\s+administered\s+to\s+(?:\d+|[a-z]+ty|the|all|each)\b|"
                      # ("X ... was evaluated as a treatment for severe PPD in a proof-of-concept, open-label study")
                      r"\b(?:was|were)\s+(?:evaluated|studied|examined|investigated|assessed|tested)\s+(?:[^.;]{0,80}?\s)?"
                      r"in\s+(?:a|an|this)\s+(?:[\w,-]+\s+){0,5}?(?:study|trial)\b|"
                      # ("Twenty-six patients participated in a double blind ... trial")
                      r"\b(?:participated|took\s+part)\s+in\s+(?:a|an|this|our|the)\s+(?:[\w,-]+\s+){0,6}?"
                      r"(?:trial|study|experiment|task|game|paradigm)\b|\bgave\s+(?:their\s+)?(?:written\s+)?(?:informed\s+)?consent\b|"
                      # ("A double-blind, placebo-controlled, within-subject design was used to administer")
                      r"\b(?:design|procedure|paradigm)\s+was\s+(?:used|employed|applied|adopted)\b|"
                      # a sentence opening with the participants counted ("Fifteen outpatient and 13 inpatient
                      # children with ... were observed")
                      r"^\s*" + COUNT + r"\s+(?:[\w-]+\s+){0,4}?(?:patients|subjects|participants|volunteers|adults|"
                      r"children|adolescents|women|men|boys|girls|individuals|outpatients|inpatients)\b"
                      r"[^.;]{0,200}?\b(?:were|participated|completed|took\s+part|underwent)\b|"
                      r"\b(?:methods?|design|participants|patients|subjects|setting)\s*:|\b[Nn]\s*=\s*\d|"
                      # the sample's make-up in brackets: "to volunteers (16 men and 16 women)"
                      r"\(\s*\d+\s+(?:men|women|males|females|boys|girls)\s+and\s+\d+\s+(?:men|women|males|females|boys|girls)\b|"
                      # ("In two experiments, participants took acetaminophen or placebo daily")
                      r"^\s*(?:in|across)\s+(?:two|three|four|five|[2-5])\s+experiments\b|"
                      r"^\s*(?:(?:objectives?|aims?|purpose)\s*:\s*)?to\s+(?:\w+\s+)?(?:evaluate|assess|investigate|compare|determine|examine|study|test|"
                      r"explore|establish|characteri[sz]e|measure|describe)\b")


# A sentence telling what earlier work did ("Previously, a case series of children treated with
# metformin showed ...") is no turn to the abstract's own study, whatever it assigns.
_EARLIER_WORK = re.compile(r"\s*(?:previously|earlier|in\s+(?:a|an|the|two|several)\s+(?:previous|earlier|prior|"
                           r"recent|pilot)\s+(?:\w+\s+)?(?:studies|study|trials?|reports?|work)|prior\s+(?:studies|research|"
                           r"work|trials))\b", re.IGNORECASE)


# Offsets found, by passage text (several rules ask about each passage); bounded like a cache.
_STUDY_TURNS: dict[str, int] = {}


def study_start(passage: Passage) -> int:
    """The offset of the first sentence about the abstract's own study (0 when the first is)."""
    found = _STUDY_TURNS.get(passage.text)
    if found is None:
        turn = (lowercase_twin(ASSIGNMENT), lowercase_twin(_OWN_STUDY_TURN))
        found = next((s.start for s in passage.sentences
                      if not _EARLIER_WORK.match(s.text) and any(p.search(s.text.lower()) for p in turn)), 0)
        if len(_STUDY_TURNS) >= 256:
            _STUDY_TURNS.pop(next(iter(_STUDY_TURNS)))
        _STUDY_TURNS[passage.text] = found
    return found


_BACKGROUND_WORDS = r"background|introduction|context|rationale"
# A section's label ends in a colon, or stands alone on its line ("Conclusions\nSupplementing ...",
# as pages that keep a structured abstract's headings write it).
_LABEL_END = r"(?:\s*:|[ \t]*\n)"
# A sentence opening a background section alone: what others found or did (an objective says what
# this study does).
BACKGROUND_SECTION = re.compile(r"\s*(?:" + _BACKGROUND_WORDS + r")" + _LABEL_END, re.IGNORECASE)
# A sentence opening a labelled background or objective section.
BACKGROUND_LABEL = re.compile(r"\s*(?:" + _BACKGROUND_WORDS + r"|objectives?|aims?|purpose)" + _LABEL_END, re.IGNORECASE)


def in_background(hit: Hit) -> bool:
    """A mention in a labelled background or objective section says who is affected, not who took part."""
    return bool(BACKGROUND_LABEL.match(hit.sentence.text))


# The labels of a structured abstract's sections, and those that close it (a label on a line of
# its own only at the line's start: a wrapped line may end on any word).
_SECTION_WORDS = (_BACKGROUND_WORDS + r"|objectives?|aims?|purpose|methods?|design|results?|findings|"
                  r"conclusions?|discussion|interpretation")
_SECTION_LABEL = re.compile(r"\b(" + _SECTION_WORDS + r")\s*:|(?<![^\n])(" + _SECTION_WORDS + r")[ \t]*\n",
                            re.IGNORECASE)
_CLOSING_SECTIONS = frozenset({"conclusion", "conclusions", "discussion", "interpretation"})


def in_conclusions(hit: Hit) -> bool:
    """A mention in a structured abstract's conclusions or discussion: what the findings mean, not
    what was done."""
    labels = [m.group(1) or m.group(2) for m in _SECTION_LABEL.finditer(hit.passage.text, 0, hit.start)]
    return bool(labels) and labels[-1].lower() in _CLOSING_SECTIONS


def before_own_study(hit: Hit) -> bool:
    """A mention in a labelled background, or before an unlabelled abstract turns to its own study,
    says who is affected in general ("common in children"), not who took part."""
    return in_background(hit) or (hit.passage.field != "title" and hit.start < study_start(hit.passage))
