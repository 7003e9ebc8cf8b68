"""Reading aids shared by the suggesters: sentences with their offsets, and numbers in words.

Offsets always index the field's own text, so every span the suggesters cite can be cut back out
of the record (or the JATS section) it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? followed by space and a capital, digit or bracket, except after the
# abbreviations abstracts use mid-sentence; a structured abstract's "RESULTS:" label starts one.
_ABBREVIATIONS = (
    "e.g", "i.e", "vs", "et al", "approx", "fig", "figs", "dr", "no", "ca", "cf", "resp", "incl",
    "min", "max", "mg", "ml", "kg", "h", "hr", "hrs", "wk", "wks", "yr", "yrs", "p", "n", "sd",
    "i.v", "i.m", "s.c", "p.o", "b.i.d", "t.i.d", "q.d", "u.s", "st", "inc", "co", "ltd",
)
_END = re.compile(r"[.!?](?=[\"')\]]?\s+[\"'(\[]?[A-Z0-9])")
# (a label glued to the sentence before it, "in schizophrenia.METHOD: The authors", as copies of
# structured abstracts that lost their line breaks write it)
_LABEL = re.compile(r"(?:(?<=\s)|(?<=[.!?])|^)(?=[A-Z][A-Z &/-]{2,40}:\s)")
# (a heading on a line of its own, "Conclusions\nSupplementing ...", starts the section's first sentence)
_LABEL_LINE = re.compile(r"(?<![^\n])(?=(?:Background|BACKGROUND|Introduction|INTRODUCTION|Objectives?|OBJECTIVES?|"
                         r"Aims?|AIMS?|Purpose|PURPOSE|Methods?|METHODS?|Design|DESIGN|Results?|RESULTS?|Findings|"
                         r"FINDINGS|Conclusions?|CONCLUSIONS?|Discussion|DISCUSSION|Interpretation|INTERPRETATION)"
                         r"[ \t]*\n)")
# (a full stop glued to the next sentence, "group K).Postoperative analgesia", as some copies lose the
# space after it)
_GLUED_END = re.compile(r"(?:(?<=[a-z]{3})|(?<=\)))\.(?=[A-Z][a-z]{2,})")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """The text's sentences with their character offsets (trailing spaces trimmed)."""
    cuts = {0, len(text)}
    for match in _END.finditer(text):
        before = _WORD_BEFORE.search(text, 0, match.start())
        if before and before.group(1).lower().rstrip(".") in _ABBREVIATIONS:
            continue
        cuts.add(match.end())
    for match in (*_LABEL.finditer(text), *_LABEL_LINE.finditer(text)):
        cuts.add(match.start())
    for match in _GLUED_END.finditer(text):
        cuts.add(match.end())
    ordered = sorted(cuts)
    found = []
    for start, end in zip(ordered, ordered[1:]):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            found.append(Sentence(start, end, text[start:end]))
    return found


def sentence_at(sentence_list: list[Sentence], offset: int) -> Sentence | None:
    for sentence in sentence_list:
        if sentence.start <= offset < sentence.end:
            return sentence
    return None


_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000}
NUMBER_WORDS = tuple(sorted({*_UNITS, *_TENS, *_SCALES}, key=len, reverse=True))
# A count as an abstract writes it: digits (with thousands separators) or words ("Twenty-four",
# "one hundred and twelve", and with the parts run together, "Fortyfive").
_WORD_ALT = "|".join(NUMBER_WORDS)
# Where a tens word runs into a unit ("forty|five").
_RUN_TOGETHER_JOIN = r"(?<=ty)(?=one|two|three|four|five|six|seven|eight|nine)"
COUNT = (
    r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:\s\d{3})+(?![\d.,])|\d+|(?:(?:" + _WORD_ALT + r")(?:(?:[\s-]+(?:and[\s-]+)?|"
    + _RUN_TOGETHER_JOIN + r")(?:" + _WORD_ALT + r"))*))"
)
_RUN_TOGETHER = re.compile(_RUN_TOGETHER_JOIN)
_PLURAL_ENDING = re.compile(r"(?<=[a-z]{3})(?:es|s)$")


def singular(phrase: str) -> str:
    """A lowercase phrase without the plural ending of its last word ("bsps scores" -> "bsps score",
    "lsas" -> "lsa"): how outcome keys and vocabulary mentions are compared."""
    return _PLURAL_ENDING.sub("", phrase)


# Hedges that make a count an estimate: reported as unparsed, never as the number.
HEDGE = re.compile(r"\b(?:approximately|about|around|almost|nearly|roughly|over|more than|"
                   r"less than|fewer than|up to|some|several|dozens?|hundreds|thousands)\s+$",
                   re.IGNORECASE)


def parse_count(text: str) -> int | None:
    """The integer a count spells ("1,024", "Twenty-four", "one hundred and six"), or None."""
    cleaned = text.strip().lower()
    if re.fullmatch(r"\d{1,3}(?:[,\s]\d{3})+|\d+", cleaned):
        return int(re.sub(r"[,\s]", "", cleaned))
    words = [w for w in re.split(r"[\s-]+", _RUN_TOGETHER.sub(" ", cleaned)) if w and w != "and"]
    if not words:
        return None
    total, current = 0, 0
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
    return total + current
