"""Judging one candidate pair: shared identifiers first, then a weighted bibliographic score.

The fuzzy score is the weighted mean of the field similarities both records have, so a record
with title and abstract only is judged on those, and a full record on everything it carries.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from livingreview.dedupe.features import Features

AUTO_THRESHOLD = 0.88
UNCERTAIN_THRESHOLD = 0.72

# Relative weights: the title is the strongest evidence, pages and authors next; journal names
# are exported in too many forms, and volume alone is weak, to count for more.
WEIGHTS = {"title": 4.0, "authors": 2.0, "year": 1.0, "journal": 1.0, "volume": 0.5,
           "pages": 1.5, "abstract": 1.0}
# With little besides the title to go on (support below this weight), a pair is matched
# automatically only on a near-identical title of some length, and is worth a human's look only
# when the titles are close: formulaic titles ("X: effects on professional practice") differ little.
MIN_SUPPORT = 1.5
WEAK_SUPPORT_AUTO_TITLE = 0.97
WEAK_SUPPORT_UNCERTAIN_TITLE = 0.85
SHORT_TITLE_WORDS = 6
# A title that opens the other counts as this similar, if it has this many words: the weak-support
# rule above still keeps title-only pairs of that kind for a human.
DROPPED_SUBTITLE = 0.95
SUBTITLE_MIN_WORDS = 4
OTHER_VENUE_AUTO_TITLE = 0.9
# A shared DOI is an identity only when the titles agree, or the authors do and the pages do not
# disagree: publishers give one DOI to a whole supplement of conference abstracts, and exports
# attach an issue's DOI to its editorials. Between the two title bars a shared DOI without that
# support is worth a human's look; below the lower one it is no evidence at all and the pair is
# judged on its bibliographic fields alone. NLM gives every article its own PMID (and PMCID),
# so those stay identities whatever the titles.
IDENTIFIER_TITLE_AGREES = 0.7
IDENTIFIER_TITLE_DIFFERS = 0.5
IDENTIFIER_AUTHORS_AGREE = 0.75
# Titles that recur in every issue of a journal ("Editorial", "Erratum", "In this issue") say
# nothing about which issue: such pairs match automatically only on the same first page.
GENERIC_TITLES = frozenset({
    "editorial", "editorials", "guest editorial", "editor s note", "editors note", "from the editor",
    "letter from the editor", "letter to the editor", "letters to the editor", "letters", "correspondence",
    "in this issue", "this issue", "introduction", "preface", "foreword", "commentary", "comment",
    "reply", "response", "author reply", "authors reply", "erratum", "errata", "correction",
    "corrections", "corrigendum", "retraction", "retraction notice", "expression of concern",
    "book review", "book reviews", "news", "news in brief", "obituary", "acknowledgement",
    "acknowledgements", "acknowledgment", "reviewer acknowledgement", "reviewers", "thank you to our reviewers",
    "abstracts", "poster abstracts", "oral abstracts", "index", "author index", "subject index",
    "contents", "table of contents", "masthead", "announcements", "calendar", "highlights",
})
# Abstracts of one article differ between sources (labels, truncation), so only similar ones count.
ABSTRACT_AGREEMENT = 0.8
YEAR_OFF_BY_ONE = 0.6


@dataclass(frozen=True)
class Verdict:
    relation: str  # duplicate | companion | registry
    method: str  # doi | pmid | pmcid | nct | fuzzy
    score: float
    status: str  # auto | uncertain
    # For an uncertain pair, why a human must decide (shown by `dedupe --uncertain`).
    reason: str = field(default="", compare=False)


def judge(a: Features, b: Features) -> Verdict | None:
    verdict = _judge(a, b)
    if verdict is not None and verdict.status == "uncertain":
        return replace(verdict, reason=uncertain_reason(a, b, verdict))
    return verdict


def uncertain_reason(a: Features, b: Features, verdict: Verdict) -> str:
    """The caution that left the pair to a human, in a few words; the first that applies, in
    the order the judge applies them."""
    if verdict.method in ("doi", "pmid", "pmcid"):
        if _identifiers_conflict(a, b):
            return f"shared {verdict.method.upper()} but another identifier differs"
        return (f"shared {verdict.method.upper()} but the titles differ "
                f"(title similarity {title_similarity(a, b):.2f})")
    if a.title_numbers != b.title_numbers and not _one_opens_the_other(a.title, b.title):
        return "numbers in the titles differ"
    if a.title in GENERIC_TITLES or b.title in GENERIC_TITLES:
        return "generic title (editorial, letter, erratum ...)"
    companion = _companion_kind(a, b)
    if companion in ("preprint", "conference") and title_similarity(a, b) < OTHER_VENUE_AUTO_TITLE:
        return f"{companion} version whose title is not near-identical"
    scored = fuzzy_score(a, b, companion=companion)
    if scored is not None and scored[0] >= AUTO_THRESHOLD:
        return "weak support: few fields besides the title to compare"
    return f"similarity {verdict.score:.2f} between the thresholds ({UNCERTAIN_THRESHOLD}-{AUTO_THRESHOLD})"


def _judge(a: Features, b: Features) -> Verdict | None:
    if a.registry or b.registry:
        return _judge_registry(a, b)
    exact = _shared_identifier(a, b)
    if exact:
        return exact
    companion = _companion_kind(a, b)
    # Two reports of one registered trial have different DOIs by nature: still one study.
    shared_trial = a.single_nct is not None and a.single_nct == b.single_nct
    # A shared identifier with disagreeing titles was set aside above: it neither matches nor
    # vetoes, and the pair is judged on its other fields.
    conflict = not companion and _identifiers_conflict(a, b) and not _shares_identifier(a, b)
    if conflict and not shared_trial:
        return None
    score, status = (0.0, None) if conflict else fuzzy_score(a, b, companion=companion) or (0.0, None)
    if shared_trial and (companion or status != "auto"):
        return Verdict("companion", "nct", 1.0, "auto")
    if status is None:
        return None
    return Verdict("companion" if companion else "duplicate", "fuzzy", round(score, 4), status)


def _judge_registry(a: Features, b: Features) -> Verdict | None:
    if a.registry and b.registry:
        shared = set(a.nct_ids) & set(b.nct_ids)
        return Verdict("duplicate", "nct", 1.0, "auto") if shared else None
    report = b if a.registry else a
    entry = a if a.registry else b
    if report.single_nct and report.single_nct in entry.nct_ids:
        return Verdict("registry", "nct", 1.0, "auto")
    return None


def _shared_identifier(a: Features, b: Features) -> Verdict | None:
    for method in ("doi", "pmid", "pmcid"):
        value = getattr(a, method)
        if value and value == getattr(b, method):
            corroborated = method != "doi" or _doi_corroborated(a, b)
            if corroborated is None:
                return None
            status = "auto" if corroborated and not _identifiers_conflict(a, b) else "uncertain"
            return Verdict("duplicate", method, 1.0, status)
    return None


def _doi_corroborated(a: Features, b: Features) -> bool | None:
    """True when the other fields back a shared DOI, False when only a human can tell, None
    when they contradict it."""
    if not a.title or not b.title:
        return True
    titles = title_similarity(a, b)
    if titles >= IDENTIFIER_TITLE_AGREES:
        return True
    authors = author_similarity(a.surnames, b.surnames)
    if authors is not None and authors >= IDENTIFIER_AUTHORS_AGREE and page_similarity(a, b) != 0.0:
        return True
    return False if titles >= IDENTIFIER_TITLE_DIFFERS else None


def _shares_identifier(a: Features, b: Features) -> bool:
    return any(getattr(a, name) and getattr(a, name) == getattr(b, name) for name in ("doi", "pmid", "pmcid"))


def _identifiers_conflict(a: Features, b: Features) -> bool:
    return any(
        getattr(a, name) and getattr(b, name) and getattr(a, name) != getattr(b, name)
        for name in ("doi", "pmid", "pmcid")
    )


def _companion_kind(a: Features, b: Features) -> str | None:
    """Two reports of one study that are not the same document."""
    if a.preprint != b.preprint:
        return "preprint"
    if a.conference != b.conference:
        return "conference"
    if a.erratum != b.erratum:
        return "erratum"
    return None


def fuzzy_score(a: Features, b: Features, companion: str | None = None
                ) -> tuple[float, str | None] | None:
    """(weighted mean similarity over the fields both records have, status); None without titles.

    A preprint or a conference abstract appears in another venue, usually a year earlier, than
    the article: for such a pair the venue is not compared and a year's gap is no disagreement.
    An erratum notice is printed in the same journal on other pages, often in a later volume: its
    journal is compared, its volume and pages are not, and a year's gap is no disagreement.
    """
    if not a.title or not b.title:
        return None
    other_venue = companion in ("preprint", "conference")
    other_pages = other_venue or companion == "erratum"
    similarities = {"title": title_similarity(a, b)}
    fields = [("authors", author_similarity(a.surnames, b.surnames)),
              ("year", year_similarity(a.year, b.year, tolerance=1 if other_pages else 0)),
              ("abstract", abstract_agreement(a.abstract, b.abstract))]
    if not other_venue:
        fields.append(("journal", journal_similarity(a.journal, b.journal)))
    if not other_pages:
        fields += [("volume", _equal_or_none(a.volume, b.volume)), ("pages", page_similarity(a, b))]
    for name, value in fields:
        if value is not None:
            similarities[name] = value
    total = sum(WEIGHTS[name] for name in similarities)
    score = sum(WEIGHTS[name] * value for name, value in similarities.items()) / total
    status = _status(a, b, score, similarities["title"], total - WEIGHTS["title"])
    # Without a venue to compare, shared authors and year are common to a group's other papers:
    # a preprint or abstract is linked automatically only when its title nearly matches.
    if other_venue and similarities["title"] < OTHER_VENUE_AUTO_TITLE:
        status = status and "uncertain"
    return score, status


def _status(a: Features, b: Features, score: float, title: float, support: float) -> str | None:
    """auto, uncertain or None (no match) for a weighted score, after the cautions below."""
    status = "auto" if score >= AUTO_THRESHOLD else "uncertain" if score >= UNCERTAIN_THRESHOLD else None
    if support < MIN_SUPPORT:
        if title < WEAK_SUPPORT_UNCERTAIN_TITLE:
            return None
        if title < WEAK_SUPPORT_AUTO_TITLE or min(a.title_words, b.title_words) < SHORT_TITLE_WORDS:
            status = status and "uncertain"
    if status == "auto" and (a.title in GENERIC_TITLES or b.title in GENERIC_TITLES) and not (
            a.first_page and a.first_page == b.first_page and a.year == b.year
            and not (a.volume and b.volume and a.volume != b.volume)):
        status = "uncertain"
    # Titles that differ in their numbers ("Part I" / "Part II", "8th" / "9th conference") are
    # different documents more often than not: a human decides. A dropped subtitle may take
    # numbers with it, so a title that opens the other is exempt.
    if a.title_numbers != b.title_numbers and not _one_opens_the_other(a.title, b.title):
        status = status and "uncertain"
    return status


def title_similarity(a: Features, b: Features) -> float:
    similarity = fuzz.ratio(a.title, b.title) / 100
    # A dropped subtitle: "Effect of X on Y" against "Effect of X on Y: a randomised trial".
    if _one_opens_the_other(a.title, b.title):
        similarity = max(similarity, DROPPED_SUBTITLE)
    return similarity


def _one_opens_the_other(a: str, b: str) -> bool:
    shorter, longer = sorted((a, b), key=len)
    return longer.startswith(shorter + " ") and len(shorter.split()) >= SUBTITLE_MIN_WORDS


def author_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float | None:
    """Half first-author agreement, half overlap of the lists cut to the shorter ("et al.")."""
    if not a or not b:
        return None
    first = 1.0 if fuzz.ratio(a[0], b[0]) >= 85 else 0.0
    length = min(len(a), len(b))
    overlap = len(set(a[:length]) & set(b[:length])) / length
    return 0.5 * first + 0.5 * overlap


def year_similarity(a: int | None, b: int | None, tolerance: int = 0) -> float | None:
    if a is None or b is None:
        return None
    gap = abs(a - b) - tolerance
    return 1.0 if gap <= 0 else YEAR_OFF_BY_ONE if gap == 1 else 0.0


def journal_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float | None:
    if not a or not b:
        return None
    if a == b:
        return 1.0
    shorter, longer = sorted((a, b), key=lambda words: sum(map(len, words)))
    matched = _abbreviation_match(shorter, longer)
    if matched is not None:
        return matched
    similarity = fuzz.token_sort_ratio(" ".join(a), " ".join(b)) / 100
    return similarity if similarity >= 0.6 else 0.0


def _abbreviation_match(short: tuple[str, ...], full: tuple[str, ...]) -> float | None:
    """1.0 when `short` abbreviates all of `full` ("j affect disord"), 0.8 for a leading part."""
    i = j = 0
    while i < len(short) and j < len(full):
        word = short[i]
        if _abbreviates(word, full[j]):
            i, j = i + 1, j + 1
        elif len(word) > 1 and word.isalpha() and j + len(word) <= len(full) and all(
            letter == full[j + k][0] for k, letter in enumerate(word)
        ):  # an initialism: "bmj" for "british medical journal"
            i, j = i + 1, j + len(word)
        else:
            return None
    if i < len(short):
        return None
    return 1.0 if j == len(full) else 0.8


def _abbreviates(short: str, full: str) -> bool:
    if short == full:
        return True
    if short[0] != full[0] or len(short) >= len(full):
        return False
    letters = iter(full)
    return all(letter in letters for letter in short)


def page_similarity(a: Features, b: Features) -> float | None:
    if not a.first_page or not b.first_page:
        return None
    if a.first_page != b.first_page:
        return 0.0
    if a.last_page and b.last_page and a.last_page != b.last_page:
        return 0.5
    return 1.0


def abstract_agreement(a: str, b: str) -> float | None:
    """Similarity of the opening of two abstracts, counted only when they clearly agree."""
    if len(a) < 100 or len(b) < 100:
        return None
    similarity = fuzz.ratio(a, b) / 100
    return similarity if similarity >= ABSTRACT_AGREEMENT else None


def _equal_or_none(a: str, b: str) -> float | None:
    if not a or not b:
        return None
    return 1.0 if a == b else 0.0
