"""Comparison forms of bibliographic fields: what two exports of one article have in common.

Every function here is deterministic and applied to both sides of a comparison, so a rule that
over-normalises (turning "exercised" into "exercized") costs nothing: both sides change alike.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

# Byte sequences that appear when UTF-8 text was decoded as Windows-1252 ("â€œ" for a quote).
_MOJIBAKE_MARKERS = ("â€", "Ã", "Â")
_TAG = re.compile(r"<[^>]{1,40}>")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
# Markers that make a record a notice about an article rather than a different article.
_ERRATUM_PREFIX = re.compile(
    r"^(?:erratum|correction|corrigendum|errata)(?: to| for| on)?\s*[:.\-]\s*", re.IGNORECASE)
_ERRATUM_SUFFIX = re.compile(
    r"\s*[\[(](?:erratum|correction|corrigendum)[^\])]*[\])][.\s]*$", re.IGNORECASE)
_ABSTRACT_SUFFIX = re.compile(
    r"\s*[\[(](?:abstract|conference abstract|meeting abstract|poster)[\])]\.?\s*$",
    re.IGNORECASE,
)
# British spellings mapped to American ones, as rewrites of one lowercased ASCII word.
_SPELLING = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"(?<=[a-z]{3})is(ation|ations|ed|es|ing|e)\b", r"iz\1"),
        (r"(?<=[a-z]{2})ys(e|ed|es|ing)\b", r"yz\1"),
        (r"(?<=[a-z]{3})our(s|ed|al)?\b", r"or\1"),
        (r"(?<=[a-z])ae(?=[a-z])", "e"),
        (r"(?<=[a-z])oe(?=[a-z])", "e"),
        (r"\boe(?=[a-z]{3})", "e"),
        (r"(?<=[a-z]{3})tre(s)?\b", r"ter\1"),
        (r"\bprogramme(s)?\b", r"program\1"),
        (r"(?<=[aeiou])ll(ed|ing|er|ers)\b", r"l\1"),
        (r"(?<=[a-z]{3})ogue(s)?\b", r"og\1"),
    )
)
_ROMAN = frozenset({"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"})
_ORDINALS = frozenset({
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth", "twentieth",
})
# A lone letter or roman numeral labels something only after one of these words ("part B",
# "phase II", "vitamin D"); elsewhere it is as likely a typo ("f" for "of") as a label.
_LABELLED = frozenset({
    "part", "phase", "type", "vitamin", "group", "grade", "stage", "class", "section", "series",
    "hepatitis", "factor", "study", "trial", "arm", "volume", "chapter", "appendix", "cohort",
})
_JOURNAL_STOPWORDS = frozenset({"the", "of", "and", "for", "in", "on", "de", "la", "le", "der", "und"})
_PREPRINT_DOI_PREFIXES = ("10.1101/", "10.21203/", "10.2139/", "10.48550/", "10.20944/", "10.31234/",
                          "10.31219/", "10.22541/")
_PREPRINT_VENUES = ("biorxiv", "medrxiv", "research square", "ssrn", "arxiv", "preprints", "psyarxiv",
                    "osf preprints", "authorea")
_CONFERENCE_TYPES = ("conference", "congress", "meeting abstract", "poster", "abst", "conf")
_SUPPLEMENT_PAGE = re.compile(r"^s\d+$")
_ET_AL = re.compile(r"^(?:et\.? ?al\.?|and others|others)$", re.IGNORECASE)
_COMMA_ET_AL = re.compile(r",\s*et\.? ?al", re.IGNORECASE)
_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,4}$")


def repair_mojibake(text: str) -> str:
    """Undo one round of UTF-8 read as Windows-1252, when that is what happened."""
    if not any(marker in text for marker in _MOJIBAKE_MARKERS):
        return text
    original = bytearray()
    for character in text:
        try:
            original += character.encode("cp1252")
        except UnicodeEncodeError:
            # Bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) come through as the
            # code point of the same number.
            if ord(character) > 0xFF:
                return text
            original.append(ord(character))
    try:
        return original.decode("utf-8")
    except UnicodeDecodeError:
        return text


def ascii_fold(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def strip_markup(text: str) -> str:
    return _TAG.sub(" ", html.unescape(text))


def title_markers(title: str | None) -> tuple[bool, bool]:
    """(is an erratum notice, is marked as a conference abstract) from the title alone."""
    if not title:
        return False, False
    bracketed = _may_end_in_bracket(title)
    erratum = bool(_ERRATUM_PREFIX.match(title) or (bracketed and _ERRATUM_SUFFIX.search(title)))
    return erratum, bool(bracketed and _ABSTRACT_SUFFIX.search(title))


# A cheap test that lets most titles skip the anchored-at-the-end patterns, which scan slowly.
def _may_end_in_bracket(title: str) -> bool:
    return title.rstrip(". ").endswith(("]", ")"))


def normalise_text(text: str | None, *, unify_spelling: bool = True) -> str:
    """Lowercased ASCII words, markup and punctuation removed, spellings unified."""
    if not text:
        return ""
    if "&" in text or "<" in text:
        text = strip_markup(text)
    words = _NOT_ALNUM.sub(" ", ascii_fold(repair_mojibake(text)).lower())
    if unify_spelling:
        return " ".join(_american(word) for word in words.split())
    return " ".join(words.split())


@lru_cache(maxsize=200_000)
def _american(word: str) -> str:
    for pattern, replacement in _SPELLING:
        word = pattern.sub(replacement, word)
    return word


def normalise_title(title: str | None) -> str:
    if not title:
        return ""
    text = _ERRATUM_PREFIX.sub("", title)
    if _may_end_in_bracket(text):
        text = _ERRATUM_SUFFIX.sub("", _ABSTRACT_SUFFIX.sub("", text))
    return normalise_text(text)


def number_tokens(normalised_title: str) -> tuple[str, ...]:
    """Numbers, ordinals and labels ("part ii", "vitamin d"): what tells one of a series from another."""
    words = normalised_title.split()
    found = [
        word for position, word in enumerate(words)
        if any(ch.isdigit() for ch in word) or word in _ORDINALS
        or ((len(word) == 1 or word in _ROMAN) and position and words[position - 1] in _LABELLED)
    ]
    return tuple(sorted(found))


def author_surnames(authors: list[str]) -> list[str]:
    """Surnames in order, whatever the export's name format; "et al." entries are dropped."""
    names = _split_author_entries(authors)
    surnames = [_surname(name) for name in names if name.strip() and not _ET_AL.match(name.strip())]
    return [s for s in surnames if s]


def _split_author_entries(authors: list[str]) -> list[str]:
    entries: list[str] = []
    for entry in authors:
        # A whole list exported into one field: "Smith J, Jones K, et al." or "Smith J; Jones K".
        if ";" in entry:
            entries.extend(entry.split(";"))
        elif "," in entry and (entry.count(",") >= 2 or _COMMA_ET_AL.search(entry)):
            # "Smith, J., Jones, K." splits into surnames and bare initials: keep the surnames.
            entries.extend(p for p in entry.split(",") if not _INITIALS.match(p.strip()))
        else:
            entries.append(entry)
    return entries


def _surname(name: str) -> str:
    name = repair_mojibake(name).strip().rstrip(".")
    if "," in name:
        surname = name.split(",", 1)[0]
    else:
        parts = name.split()
        if len(parts) <= 1:
            surname = name
        elif _INITIALS.match(parts[-1]):  # "Smith JK", "van der Berg A"
            surname = " ".join(parts[:-1])
        elif all(_INITIALS.match(p) for p in parts[:-1]):  # "L J Warshaw", "J. Smith"
            surname = parts[-1]
        else:  # "John Smith"
            surname = parts[-1]
    return _NOT_ALNUM.sub("", ascii_fold(surname).lower())


def journal_tokens(journal: str | None) -> tuple[str, ...]:
    """Significant words of a journal name; a parenthesised place ("Lancet (London, England)") goes."""
    if not journal:
        return ()
    text = re.sub(r"\([^)]*\)", " ", repair_mojibake(journal))
    words = _NOT_ALNUM.sub(" ", ascii_fold(strip_markup(text)).lower()).split()
    return tuple(w for w in words if w not in _JOURNAL_STOPWORDS)


def page_range(pages: str | None) -> tuple[str, str]:
    """(first page, last page) with abbreviated ends expanded: "123-9" becomes ("123", "129")."""
    if not pages:
        return "", ""
    parts = re.split(r"\s*[-\u2010-\u2015]+\s*", pages.strip().lower(), maxsplit=1)
    first = re.sub(r"[^0-9a-z]", "", parts[0])
    if len(parts) == 1:
        return first, ""
    last = re.sub(r"[^0-9a-z]", "", parts[1])
    first_digits, last_digits = re.sub(r"\D", "", first), re.sub(r"\D", "", last)
    if first_digits and last_digits and len(last_digits) < len(first_digits) and last == last_digits:
        last = first[: len(first) - len(last_digits)] + last_digits
    return first, last


def volume_key(volume: str | None) -> str:
    return re.sub(r"[^0-9a-z]", "", (volume or "").lower())


def is_preprint(doi: str | None, journal: str | None, source: str) -> bool:
    if doi and doi.startswith(_PREPRINT_DOI_PREFIXES):
        return True
    venue = " ".join(journal_tokens(journal))
    return source.lower() in _PREPRINT_VENUES or any(v in venue for v in _PREPRINT_VENUES)


def is_conference_abstract(publication_types: list[str], title_says_abstract: bool, first_page: str,
                           volume: str | None, issue: str | None) -> bool:
    """Marked as a meeting abstract, or printed in a supplement ("S105", "Suppl 2"), where
    meeting abstracts are."""
    types = " ".join(publication_types).lower()
    in_supplement = bool(_SUPPLEMENT_PAGE.match(first_page)) or any(
        "suppl" in (part or "").lower() for part in (volume, issue))
    return title_says_abstract or in_supplement or any(kind in types for kind in _CONFERENCE_TYPES)
