"""The measures a result sentence speaks of, read from its grammar rather than from a list of names.

Abstracts state findings about noun phrases in a few fixed frames, whatever the measure is called:
as the subject of a change or comparison ("nocturia episodes were significantly lower", "time to
relief did not differ"), or as the object of one ("a greater reduction in itch severity", "no
difference in peak flow", "drug A improved sleep quality", "regarding pain on movement, global
efficacy and rescue use"). Each phrase is read up to the words that end a noun phrase (a verb, a
preposition that starts a comparison, a number, a bracket) and split at the commas of a list. The
phrases are candidates: `outcomes.py` keeps those that name no participants, arms or drugs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Words that end a noun phrase read forward, or start one read backward: verbs, the prepositions
# of comparisons and times, conjunctions that open clauses, and quantifier words of results.
_STOP = frozenset("""
    was were is are be been being did do does had has have will would could may might can should
    in with without after before at between from by than compared versus vs during over among within
    across following for when which that who whom whose while whereas but as p both all each per
    relative respectively significantly not no nor more less fewer greater higher lower better worse
    showed shown indicating suggesting resulting resulted using used including included associated
    either neither since because although though if then thus however also only even still very
    we our they their it its this these those there here such same other another
    increased decreased improved reduced changed fell rose declined differed worsened induced correlated
    observed seen noted found detected determined measured obtained recorded reported assessed evaluated
    significant already under once mo evident common favor favour ranging average plus minus
    relieving improving reducing decreasing increasing preventing lowering
    """.split())
# Words in -ly that are not adverbs ("number of voids daily", "early recurrence").
_NOT_ADVERBS = frozenset({"daily", "weekly", "monthly", "nightly", "hourly", "yearly", "early", "family", "supply"})
# Words that join the parts of one phrase or the items of a list.
_JOINERS = frozenset({"and", "or", "of", "to", "on", "the", "a", "an", ","})
# An item starts with its own word, not an article, a pronoun or a summary statistic's word.
_LEADING = frozenset({"the", "a", "an", "and", "or", "of", "to", "on", ",", "its", "their", "mean", "median", "overall"})
_CHANGE_NOUN = re.compile(r"(?i:changes?|reductions?|increases?|decreases?|improvements?|rises?|falls?|declines?)")
_TOKEN = re.compile(r"[A-Za-z0-9][\w/+'\u2019-]*|[,;:.!?<>=%]")
_NUMBER = re.compile(r"[\d.,/-]+%?$|\d+(?:-|\s)?(?:h|hr|hrs|min|mg|ml|weeks?|days?|months?|years?)$")
_MAX_WORDS = 16

# The frames. A subject frame matches the predicate after the phrase; an object frame ends where
# the phrase begins.
_ADVERB = r"(?:(?:also|not|significantly|statistically|slightly|markedly|substantially|similarly|further|" \
          r"consistently|clearly|both|no|more|less|numerically|all|highly)\s+)*"
_COMPARED = (r"similar|comparable|equivalent|unchanged|unaffected|different|lower|higher|greater|smaller|shorter|"
             r"longer|reduced|increased|decreased|improved|better|worse|superior|inferior|elevated|prolonged|"
             r"shortened|raised|lowered|suppressed|inhibited|attenuated|enhanced|diminished|changed|affected|"
             r"alike|less|more|fewer|identical|maintained|preserved|normali[sz]ed|delayed|accelerated")
_SUBJECT_FRAMES = re.compile(
    r"\b(?:was|were|is|are|had\s+been|has\s+been|have\s+been|remained)\s+" + _ADVERB + r"(?:" + _COMPARED + r")\b|"
    r"\b(?:was|were)\s+(?:used|requested|needed|required|taken|consumed)\s+(?:more|less)\b|"
    r"\b(?:did|does|do)\s+not\s+(?:significantly\s+)?(?:differ|change|improve|increase|decrease|vary|alter|"
    r"worsen|decline|fall|rise)\b|"
    r"\b(?:had|has|have)\s+" + _ADVERB + r"(?:increased|decreased|improved|fallen|risen|declined|changed)\b|"
    r"\b(?:significantly\s+|also\s+|markedly\s+|further\s+)?(?:improved|increased|decreased|fell|rose|declined|"
    r"dropped|differed|worsened|deteriorated|tended\s+to\s+\w+)"
    r"(?=\s*(?:[,.;]|by\b|in\s+(?:the|both|all|each|patients|subjects|women|men)\b|from\b|to\b|with\b|after\b|"
    r"during\b|at\b|over\b|significantly\b|and\b|compared\b|relative\b|versus\b|vs\b|between\b|more\b|less\b|"
    r"only\b|[Pp]\b|$))|"
    r"\bshowed\s+(?:a\s+|no\s+)?(?:(?:significant|statistically|greater|larger|smaller|marked)\s+)*"
    r"(?:improvement|increase|decrease|reduction|difference|change|decline|rise)s?\b",
    re.IGNORECASE)
_OBJECT_FRAMES = re.compile(
    r"\b(?:increases?|decreases?|reductions?|improvements?|changes?|differences?|rises?|falls?|declines?|"
    r"worsening|deterioration|benefits?|suppression|inhibition|prolongation|shortening)\s+"
    r"(?:from\s+baseline\s+)?(?:in|of)\s+|"
    r"\b(?:effects?|influence|impact)\s+on\s+|"
    r"\bno\s+(?:statistically\s+)?(?:significant\s+|relevant\s+|apparent\s+)?(?:differences?|changes?|effects?)\s+"
    r"(?:(?:were|was)\s+(?:detected|found|observed|seen|noted|shown)\s+)?(?:in|for|on|of)\s+|"
    r"\b(?:regarding|concerning|with\s+respect\s+to|in\s+terms\s+of)\s+|"
    # what a drug did not change: "did not consistently affect ratings of emotional scenes"
    r"\b(?:did|does|do)\s+not\s+(?:[a-z]+ly\s+)?(?:affect|alter|change|influence|modulate|improve|reduce|"
    r"increase|decrease|impair|enhance)\s+(?!by\b|in\b|with\b|from\b|to\b|after\b|at\b|the\s+(?:groups?|patients)\b)|"
    r"\b(?:significantly\s+|markedly\s+|further\s+)?(?P<verb>reduced|improved|increased|decreased|lowered|inhibited|"
    r"suppressed|attenuated|prolonged|shortened|relieved|alleviated|enhanced|impaired|diminished|blunted|"
    r"worsened|facilitated|abolished|disrupted|heightened|dampened|potentiated|augmented|boosted)\s+(?!by\b|in\b|with\b|from\b|to\b|"
    r"after\b|at\b|during\b|over\b|significantly\b|compared\b|than\b|and\b|or\b|[\d(])|"
    r"\b(?:relieving|improving|reducing|decreasing|increasing|preventing|lowering)\s+",
    re.IGNORECASE)
# A passive verb before an object frame's verb makes it a predicate ("X was reduced by"), read as a subject frame.
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|is|are|been|be|had|has|have)\s+(?:\w+\s+)?$", re.IGNORECASE)


def masked(text: str) -> str:
    """`text` with bracketed asides blanked out (same length), so that "Cmax (53%) and AUC" reads as one phrase."""
    out = list(text)
    depth = 0
    for index, char in enumerate(text):
        if char in "([":
            depth += 1
        if depth:
            out[index] = " "
        if char in ")]" and depth:
            depth -= 1
    return "".join(out)


def phrases(sentence: str) -> list[tuple[int, int]]:
    """Spans (offsets into `sentence`) of the measures its result frames speak of, in order, each once."""
    text = masked(sentence)
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    found: dict[tuple[int, int], None] = {}
    for match in _SUBJECT_FRAMES.finditer(text):
        for span in _items(tokens, _backward(tokens, match.start())):
            found.setdefault(span)
    for match in _OBJECT_FRAMES.finditer(text):
        if match.group("verb") and _PASSIVE_BEFORE.search(text[:match.start()]):
            continue
        for span in _items(tokens, _forward(tokens, match.end())):
            found.setdefault(span)
    return sorted(found)


def _forward(tokens: list[tuple[int, int, str]], offset: int) -> list[int]:
    """Indices of the tokens of the phrase that starts at `offset`."""
    taken: list[int] = []
    for index, (start, _, word) in enumerate(tokens):
        if start < offset:
            continue
        if _ends_phrase(word) or len(taken) >= _MAX_WORDS:
            break
        taken.append(index)
    return taken


def _backward(tokens: list[tuple[int, int, str]], offset: int) -> list[int]:
    """Indices of the tokens of the phrase that ends at `offset`; a list opened by a prepositional
    lead ("For drug A, peak level and exposure were ...") loses the lead's item."""
    taken: list[int] = []
    stopped_at_word = False
    for index in range(len(tokens) - 1, -1, -1):
        start, _, word = tokens[index]
        if start >= offset:
            continue
        if _ends_phrase(word) or len(taken) >= _MAX_WORDS:
            stopped_at_word = word.isalpha() and word.lower() in _STOP
            break
        taken.append(index)
    taken.reverse()
    if stopped_at_word:
        commas = [i for i in taken if tokens[i][2] == ","]
        if commas:
            taken = [i for i in taken if i > commas[0]]
    return taken


def _ends_phrase(word: str) -> bool:
    if word == ",":
        return False
    lowered = word.lower()
    adverb = lowered.endswith("ly") and len(lowered) > 4 and lowered not in _NOT_ADVERBS
    return not word[0].isalnum() or lowered in _STOP or adverb or bool(_NUMBER.match(word))


def _items(tokens: list[tuple[int, int, str]], taken: list[int]) -> Iterator[tuple[int, int]]:
    """The items of a phrase: split at its commas (and at its last 'and'/'or' when it has commas)."""
    if not taken:
        return
    words = [tokens[i] for i in taken]
    groups: list[list[tuple[int, int, str]]] = [[]]
    commas = [n for n, (_, _, w) in enumerate(words) if w == ","]
    has_comma = bool(commas)
    # The list's last item follows the first 'and'/'or' after its last comma ("A, B and C or D").
    last_joiner = next((n for n, (_, _, w) in enumerate(words) if commas and n > commas[-1]
                        and w.lower() in ("and", "or")), -1)
    for n, token in enumerate(words):
        if token[2] == "," or (has_comma and n == last_joiner):
            groups.append([])
        else:
            groups[-1].append(token)
    for group in groups:
        while group and group[0][2].lower() in _LEADING:
            group.pop(0)
        if len(group) > 2 and _CHANGE_NOUN.fullmatch(group[0][2]) and group[1][2].lower() in ("in", "of"):
            group = group[2:]  # "the reduction of nausea was greater": the measure is nausea
        while group and group[-1][2].lower() in _JOINERS:
            group.pop()
        if group:
            yield group[0][0], group[-1][1]


def phrase_name(sentence: str, start: int, end: int) -> str:
    """A phrase as it names the measure: its words without the bracketed asides inside it."""
    return " ".join(masked(sentence)[start:end].split())
