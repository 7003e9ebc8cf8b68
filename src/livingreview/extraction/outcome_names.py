"""How an outcome is named: with the abbreviation its text gives it, and not at all when the words
grammar found name nothing measured (a clause, a fragment, statistics, a covariate).

`outcomes.py` finds the outcomes; the rules here only read and shape their names.
"""

from __future__ import annotations

import re

from livingreview.extraction.passages import Hit

_WORD = re.compile(r"[a-z0-9]+")
# An instrument's abbreviation in brackets after its name, perhaps after a subscale's:
# "Aberrant Behavior Checklist-Irritability (ABC-I)", "Pediatric Anxiety Rating Scale (PARS)".
# (A qualifier after a comma is lower case: "Social Anxiety Scale, child or adolescent version (SAS-CA)".)
ABBREVIATION_AFTER = re.compile(r"(?:(?:[\s-]+[A-Za-z][\w-]*){0,3}?|,(?:\s+[a-z][\w-]*){1,4}?)\s*\(\s*"
                                r"(?P<abbr>[A-Z][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*)\s*[);,]")


def abbreviates(abbreviation: str, written: str, *, from_first_word: bool = False) -> bool:
    """Whether `abbreviation` can stand for `written`: its letters in order, the first at the start
    of a word (of the first word, with `from_first_word`). "LBMD" does not abbreviate "bone mineral
    density" (the words before it, "lumbar", are another name's)."""
    letters = [c for c in abbreviation.lower() if c.isalpha()]
    words = _WORD.findall(written.lower())
    if not letters or not words:
        return False
    starts = [0] if from_first_word else range(len(words))
    for start in (i for i in starts if words[i][0] == letters[0]):
        rest = " ".join(words[start:])[1:]
        position = 0
        for letter in letters[1:]:
            position = rest.find(letter, position) + 1
            if position == 0:
                break
        else:
            return True
    return False


def with_abbreviation(name: str, first: Hit, written: str, abbreviation: str) -> str:
    """The outcome's name with the abbreviation its text gives it, since results and readers often
    use only that: "Gilliam Autism Rating Scale-second edition (GARS-2)". `written`: the text from
    the name's first mention (`first`) up to the abbreviation. Words between the name and the
    bracket belong to the name when the name is the text's own; a name that joins a vocabulary
    label to the text's words is given as the text words it."""
    if re.search(r"(?<![\w-])" + re.escape(abbreviation) + r"(?![\w-])", name):
        return name
    # (a vocabulary label with the text's own name in brackets gives way to the text's name)
    if "(" in name or " ".join(name.split()) == " ".join(first.evidence.text.split()):
        name = written.rstrip(" (\t\n")
    return f"{' '.join(name.split())} ({abbreviation})"


# Words of a result's statistics, not of what was measured ("mean change", "intent-to-treat analysis").
_STATISTICS_WORDS = frozenset({
    "score", "scores", "mean", "means", "change", "changes", "repeated", "measure", "measures", "analysis",
    "analyses", "intent", "treat", "intention", "interaction", "statistically", "significant", "compared",
    "with", "placebo", "result", "results", "time", "frame", "seconds", "minutes", "hours", "post", "dose",
    "doses", "other", "some", "concentrations", "effect", "effects", "on", "of", "the", "to", "x", "self",
    "reported", "according", "dosage", "outcome", "outcomes", "secondary", "primary", "any", "or", "and"})
# A clause or a fragment, not a name: "there was a modest advantage", "performance on", "or any of".
_NOT_A_NAME = re.compile(r"^(?:or|and|there|it|this|that|which|effects?\s+(?:on|of))\b|"
                         r"\b(?:was|were|is|are|has|have|had)\b|\b(?:on|of|in|to|for|with|at|by)$", re.IGNORECASE)
_VERB_IN_NAME = re.compile(r"\s+(?:was|were|is|are|has|have|had|occurred)\b", re.IGNORECASE)
_RELATIVE_END = re.compile(r"\b(?:who|which|that|whom|whose)$", re.IGNORECASE)
# Covariates a result was adjusted for ("after adjusting for age, dietary intake and mother's BMI").
# (The list ends where the sentence's own clause begins: "..., the drug group improved".)
_ADJUSTED_FOR = re.compile(r"\b(?:(?:adjust\w*|controll?\w*|correct\w*)\s+for|covariates?)\b"
                           r"(?:(?!,\s+(?:the|a|an|we|our|patients|participants|subjects|children|both|all)\b)[^.;:])*$",
                           re.IGNORECASE)
def clause_subject(name: str) -> str:
    """A result clause read as a name cut to its subject, the measure ("Symptoms were significantly
    decreased" -> "Symptoms"); any other name as it is."""
    verb = _VERB_IN_NAME.search(name)
    if verb and not _NOT_A_NAME.search(name[:verb.start()]) and not _RELATIVE_END.search(name[:verb.start()]):
        return name[:verb.start()]
    return name


def names_nothing_measured(name: str, hits: list[Hit]) -> bool:
    """A name that is a clause, a fragment or words of statistics only, or whose every mention
    (`hits`) is a covariate the analysis was adjusted for."""
    words = _WORD.findall(name.lower())
    if not words or set(words) <= _STATISTICS_WORDS or _NOT_A_NAME.search(name):
        return True
    return all(_ADJUSTED_FOR.search(h.passage.text, h.sentence.start, h.start) for h in hits)
