"""The criteria engine: the protocol's eligibility rules evaluated on one record, with evidence.

Each vocabulary term's phrases are indexed by their first word; a record field is split into
words once and every word is looked up, so the cost grows with the text, not with the size of
the vocabularies. Matching is case-insensitive (except short acronyms), on whole words, tolerant
of hyphen/space variants ("placebo-controlled", "placebo controlled", "CI581") and of simple
plurals on the last word, and leftmost-longest. A mention governed by a negation cue in the
same clause ("no", "without", "did not" before it; "were excluded" after it) counts as evidence
of absence, not presence.

A rule reference is then true (a non-negated mention), false (only negated mentions, or no
mention in a record that has body text to look in) or unclear (no mention and nothing but a
title). Rules combine these with three-valued logic, so a record with no abstract is `unclear`
on a criterion it does not mention rather than `not_met`. Verdicts are suggestions and ranker
features: nothing here excludes a record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from livingreview.protocol import Protocol
from livingreview.protocol.rules import Node, Ref, evaluate, parse_rule, rule_references
from livingreview.records import Record, is_registry_entry

Verdict = Literal["met", "not_met", "unclear"]
VERDICT_SCORES: dict[str, float] = {"met": 1.0, "unclear": 0.5, "not_met": 0.0}

# Words of a phrase may be separated in text by spaces, hyphens (ASCII and typographic) or an
# apostrophe ("Alzheimer's"), never by sentence punctuation.
_GAP = re.compile(r"[\s\-\u2010-\u2015'\u2019]*")
_TOKEN = re.compile(r"\w+")
# Short acronyms are matched case-sensitively: "MDD" is a diagnosis, "mdd" in running text is
# rarely one, and short lowercase collisions ("all", "map") would swamp the evidence. Mixed-case
# acronyms count too when they start and end with a capital: "ToM" (theory of mind) is not the
# name "Tom" nor "TOM" (a gene).
_ACRONYM = re.compile(r"^[A-Z][A-Za-z]{0,4}[A-Z]$")


def is_acronym(phrase: str) -> bool:
    """Whether the criteria engine matches this phrase only in exactly this letter case."""
    return bool(_ACRONYM.match(phrase.strip()))

# Negation cues (NegEx-style, our own list). Pre-cues negate a mention that follows within a few
# words in the same clause; "non" negates only the word straight after it ("non-randomized").
_PRE_CUES = (
    "no", "not", "without", "absence of", "absent", "free of", "lack of", "lacking", "never",
    "neither", "nor", "denied", "denies", "excluding", "exclusion of", "rule out", "ruled out",
    "did not", "does not", "do not", "was not", "were not", "cannot", "none",
)
_POST_CUES = ("were excluded", "was excluded", "excluded", "was ruled out", "were ruled out",
              "was absent", "were absent")
# Phrases that start with a cue but do not negate what follows: in abstracts "no significant
# change in empathy" reports a measured outcome, it does not deny one.
_PSEUDO = (
    "no significant", "not significant", "not significantly", "no change", "no changes",
    "no effect", "no effects", "no difference", "no differences", "no increase", "no decrease",
    "no reduction", "no improvement", "not only", "not differ", "did not differ",
    "did not change", "did not affect", "did not alter", "did not improve", "did not reduce",
    "did not increase", "did not decrease", "does not change", "does not affect",
    "not necessarily", "no longer", "no statistically", "not statistically",
)
_CLAUSE_BREAK = re.compile(
    r"[.;:!?\n\u2022]|\b(?:but|however|although|though|whereas|yet|except|which|who|while)\b",
    re.IGNORECASE,
)
_NEGATION_WINDOW_WORDS = 5
_POST_WINDOW_WORDS = 3
_WINDOW_CHARS = 80
_LIST_GAP = re.compile(r"[\s,/]*(?:\b(?:or|and|nor)\b)?[\s,/]*", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9']+")
_PRE = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in sorted(_PRE_CUES, key=len, reverse=True)) + r")\b")
_POST = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in _POST_CUES) + r")\b")
_POST_HINT = re.compile(r"exclu|ruled|absent")
_HAD = re.compile(r"\b(?:with|having|had|has|have|history of)\b")
# "with or without pindolol": both ways, so nothing is denied.
_EITHER_WAY = re.compile(r"\bwith\s+(?:or|and)\s+without\b")
_PSEUDO_RE = re.compile(r"^(?:" + "|".join(re.escape(p) for p in _PSEUDO) + r")\b")

# Fields whose absence makes a missing mention uninformative (see module docstring).
BODY_FIELDS = ("abstract",)


@dataclass(frozen=True)
class Span:
    """One mention of a vocabulary term in a field of the record."""

    field: str
    start: int
    end: int
    text: str
    vocabulary: str
    term: str
    negated: bool


@dataclass(frozen=True)
class CriterionVerdict:
    criterion: str
    verdict: Verdict
    spans: tuple[Span, ...]
    # Rule references that found nothing, shown so a reviewer sees what was looked for.
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordVerdict:
    record_id: int | None
    criteria: tuple[CriterionVerdict, ...]
    # Every mention of every term, for highlighting; fields as in `record_fields`.
    spans: tuple[Span, ...]
    fields: dict[str, str]

    def verdict(self, criterion_id: str) -> CriterionVerdict:
        for item in self.criteria:
            if item.criterion == criterion_id:
                return item
        raise KeyError(criterion_id)

    @property
    def score(self) -> float:
        """Mean verdict score: how eligible the record looks before anyone has labelled it."""
        features = verdict_features(self)
        return float(sum(features) / len(features)) if features else 0.5


@dataclass(frozen=True)
class _Entry:
    """One phrase in the index: the words after its first, and who it names."""

    rest: tuple[frozenset[str], ...]  # accepted lowercase forms of each further word
    gaps: tuple[str, ...]  # the phrase's own separators before each further word
    case_sensitive: str | None  # the exact text an acronym must have
    owners: tuple[tuple[str, str], ...]  # (vocabulary, term id)


@dataclass(frozen=True)
class _Matcher:
    index: dict[str, tuple[_Entry, ...]]  # first word (lowercase form) → phrases starting so
    # first word → the second words of its phrases, with "" when it is a phrase on its own:
    # rejects the frequent first words ("the", "in") without trying each phrase.
    followers: dict[str, frozenset[str]]
    mesh: dict[str, tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class _Compiled:
    matcher: _Matcher
    rules: tuple[tuple[str, tuple[str, ...], Node], ...]  # (criterion id, stages, parsed rule)
    members: dict[tuple[str, str | None], frozenset[tuple[str, str]]]


def _word_forms(word: str, is_last: bool) -> frozenset[str]:
    """Lowercase forms accepted for one phrase word: simple plurals on the last one."""
    lower = word.lower()
    if not is_last or not word.isalpha() or len(word) < 3 or _ACRONYM.match(word):
        return frozenset({lower})
    if lower.endswith("y") and lower[-2] not in "aeiou":
        return frozenset({lower, lower[:-1] + "ies"})
    return frozenset({lower, lower + "s", lower + "es"})


@dataclass(frozen=True)
class _Variant:
    words: tuple[frozenset[str], ...]
    # The phrase's own text between consecutive words ("," in "(R,S)-ketamine"), accepted in a
    # record besides spaces and hyphens.
    gaps: tuple[str, ...]


def phrase_variants(phrase: str) -> list[_Variant]:
    """Word sequences that spell a phrase: split at spaces/hyphens, and written solid."""
    found = list(_TOKEN.finditer(phrase))
    if not found:
        raise ValueError(f"phrase {phrase!r} has no words")
    words = [m.group() for m in found]
    gaps = tuple(phrase[a.end():b.start()].lower() for a, b in zip(found, found[1:]))
    variants = [_Variant(tuple(_word_forms(w, i == len(words) - 1) for i, w in enumerate(words)), gaps)]
    if len(words) > 1 and all(_GAP.fullmatch(gap) for gap in gaps):
        variants.append(_Variant((_word_forms("".join(words), True),), ()))
    return variants


def _compile_matcher(protocol: Protocol) -> _Matcher:
    owners: dict[tuple[_Variant, str | None], list[tuple[str, str]]] = {}
    mesh: dict[str, list[tuple[str, str]]] = {}
    for vocabulary_name, vocabulary in protocol.vocabularies.items():
        for term in vocabulary.terms:
            owner = (vocabulary_name, term.id)
            for phrase in term.phrases():
                exact = phrase.strip() if is_acronym(phrase) else None
                for variant in phrase_variants(phrase):
                    owners.setdefault((variant, exact), []).append(owner)
            for heading in term.mesh:
                mesh.setdefault(_mesh_key(heading), []).append(owner)
    index: dict[str, list[_Entry]] = {}
    for (variant, exact), named in owners.items():
        entry = _Entry(variant.words[1:], variant.gaps, exact, tuple(dict.fromkeys(named)))
        for first in variant.words[0]:
            index.setdefault(first, []).append(entry)
    followers = {
        first: frozenset(form for entry in entries for form in (entry.rest[0] if entry.rest else {""}))
        for first, entries in index.items()
    }
    return _Matcher({k: tuple(v) for k, v in index.items()}, followers,
                    {k: tuple(dict.fromkeys(v)) for k, v in mesh.items()})


_FIELD_TAG = re.compile(r"\s*\[[a-z]{2}\]$", re.IGNORECASE)


def _mesh_key(heading: str) -> str:
    # "*Ketamine/administration & dosage" → "ketamine": major-topic star and qualifiers dropped;
    # a protocol entry's PubMed tag ("Excitatory Amino Acid Antagonists[pa]") too.
    return _FIELD_TAG.sub("", heading.strip().lstrip("*").split("/")[0]).strip().casefold()


_cache: dict[int, tuple[Protocol, _Compiled]] = {}
_CACHE_SIZE = 16


def compile_protocol(protocol: Protocol) -> _Compiled:
    """Matchers and parsed rules of a protocol, built once and reused for every record."""
    cached = _cache.get(id(protocol))
    if cached is not None and cached[0] is protocol:
        return cached[1]
    rules = tuple((c.id, tuple(c.stages), parse_rule(c.rule)) for c in protocol.criteria)
    members: dict[tuple[str, str | None], frozenset[tuple[str, str]]] = {}
    for _, _, node in rules:
        for vocabulary, name in rule_references(node):
            terms = protocol.vocabularies[vocabulary].members(name)
            members[(vocabulary, name)] = frozenset((vocabulary, t.id) for t in terms)
    compiled = _Compiled(_compile_matcher(protocol), rules, members)
    if len(_cache) >= _CACHE_SIZE:
        _cache.pop(next(iter(_cache)))
    _cache[id(protocol)] = (protocol, compiled)
    return compiled


def record_fields(record: Record) -> dict[str, str]:
    """The text the engine reads, by field name; list fields are joined with '; '."""
    fields: dict[str, str] = {}
    for name in ("title", "abstract"):
        value = getattr(record, name)
        if value:
            fields[name] = value
    for name in ("keywords", "mesh", "publication_types"):
        values = [v for v in getattr(record, name) if v]
        if values:
            fields[name] = "; ".join(values)
    for name, value in registry_fields(record).items():
        fields.setdefault(f"registry.{name}", value)
    return fields


def registry_fields(record: Record) -> dict[str, str]:
    """Text of a trial-registry record: its `extra` strings, or the CT.gov v2 JSON in `raw`.

    Only registry records have registry text: other formats keep whatever they do not map in
    `extra` too (a Scopus reference list in RIS `N1`), and reading that as registry text made
    cited trials' words evidence about the record itself."""
    if not is_registry_entry(record.source, record.source_id):
        return {}
    fields = {k: _as_text(v) for k, v in record.extra.items() if _as_text(v)}
    if "ctgov" in record.source.lower() and record.raw.lstrip().startswith("{"):
        try:
            study = json.loads(record.raw)
        except json.JSONDecodeError:
            return fields
        if isinstance(study, dict):
            for name, value in _ctgov_fields(study).items():
                fields.setdefault(name, value)
    return fields


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(v.strip() for v in value if v.strip())
    return ""


def _ctgov_fields(study: dict) -> dict[str, str]:
    protocol = study.get("protocolSection", study)
    if not isinstance(protocol, dict):
        return {}

    def module(name: str) -> dict:
        value = protocol.get(name)
        return value if isinstance(value, dict) else {}

    conditions = module("conditionsModule")
    design = module("designModule")
    info = design.get("designInfo") or {}
    masking = (info.get("maskingInfo") or {}) if isinstance(info, dict) else {}
    arms = module("armsInterventionsModule")
    outcomes = module("outcomesModule")
    description = module("descriptionModule")
    # Enumerations read as words ("RANDOMIZED" → "randomized") so design phrases can match them.
    design_words = [design.get("studyType"), *(design.get("phases") or []),
                    info.get("allocation") if isinstance(info, dict) else None,
                    info.get("interventionModel") if isinstance(info, dict) else None,
                    masking.get("masking"), *(masking.get("whoMasked") or [])]
    fields = {
        "summary": " ".join(str(description.get(k, "")) for k in ("briefSummary", "detailedDescription")),
        "conditions": "; ".join([*conditions.get("conditions", []), *conditions.get("keywords", [])]),
        "design": "; ".join(str(w).replace("_", " ").lower() for w in design_words if w),
        "interventions": "; ".join(
            f"{i.get('name', '')}: {i.get('description', '')}" for i in arms.get("interventions", [])
        ),
        "arms": "; ".join(f"{a.get('label', '')}: {a.get('description', '')}" for a in arms.get("armGroups", [])),
        "outcomes": "; ".join(
            f"{o.get('measure', '')}: {o.get('description', '')}"
            for key in ("primaryOutcomes", "secondaryOutcomes", "otherOutcomes")
            for o in outcomes.get(key, [])
        ),
        "eligibility": str(module("eligibilityModule").get("eligibilityCriteria", "")),
    }
    return {k: " ".join(v.split()) for k, v in fields.items() if v.strip(" ;:")}


def find_spans(protocol: Protocol, record: Record) -> tuple[dict[str, str], list[Span]]:
    """Every term mention in the record's fields, with its negation status."""
    matcher = compile_protocol(protocol).matcher
    fields = record_fields(record)
    spans: list[Span] = []
    for field, text in fields.items():
        spans.extend(_scan(matcher, field, text))
    spans.extend(_mesh_spans(matcher, record))
    return fields, list(dict.fromkeys(spans))


@dataclass(frozen=True)
class _Tokens:
    spans: list[tuple[int, int]]
    words: list[str]  # lowercase


def _scan(matcher: _Matcher, field: str, text: str) -> Iterator[Span]:
    lowered = text.lower()
    # Offsets must index `text`; the rare characters whose lowercase is longer forbid reusing them.
    source = lowered if len(lowered) == len(text) else text
    words = _TOKEN.findall(source)
    if source is text:
        words = [word.lower() for word in words]
    followers = matcher.followers
    last = len(words) - 1
    candidates = [
        i for i, word in enumerate(words) if word in followers
        and ("" in followers[word] or (i < last and words[i + 1] in followers[word]))
    ]
    if not candidates:
        return
    spans = list(map(re.Match.span, _TOKEN.finditer(source)))
    tokens = _Tokens(spans, words)
    previous_end, previous_negated, resume = 0, False, 0
    for position in candidates:
        if position < resume:
            continue
        match = _longest_at(matcher, text, tokens, position)
        if match is None:
            continue
        last, entries = match
        start, end = spans[position][0], spans[last][1]
        negated = is_negated(text, start, end, previous_end)
        if previous_end and previous_negated and _LIST_GAP.fullmatch(text, previous_end, start):
            negated = True  # "no depression or anxiety": a list shares its first item's negation
        for entry in entries:
            for vocabulary, term in entry.owners:
                yield Span(field, start, end, text[start:end], vocabulary, term, negated)
        previous_end, previous_negated, resume = end, negated, last + 1


def _longest_at(
    matcher: _Matcher, text: str, tokens: _Tokens, position: int
) -> tuple[int, list[_Entry]] | None:
    """The phrases matching from token `position`: (index of their last token, entries)."""
    best_last, best = -1, list[_Entry]()
    for entry in matcher.index[tokens.words[position]]:
        last = _match_rest(entry, text, tokens, position)
        if last is None or last < best_last:
            continue
        if last > best_last:
            best_last, best = last, []
        best.append(entry)
    return (best_last, best) if best else None


def _match_rest(entry: _Entry, text: str, tokens: _Tokens, position: int) -> int | None:
    end = position + len(entry.rest)
    if end >= len(tokens.words):
        return None
    for index, (forms, own_gap) in enumerate(zip(entry.rest, entry.gaps), start=position + 1):
        if tokens.words[index] not in forms:
            return None
        gap_start, gap_end = tokens.spans[index - 1][1], tokens.spans[index][0]
        if not _GAP.fullmatch(text, gap_start, gap_end) and text[gap_start:gap_end].lower() != own_gap:
            return None
    if entry.case_sensitive is not None:
        if text[tokens.spans[position][0]:tokens.spans[end][1]] != entry.case_sensitive:
            return None
    return end


def _mesh_spans(matcher: _Matcher, record: Record) -> Iterator[Span]:
    # Offsets point at the descriptor inside the joined `mesh` field built by `record_fields`,
    # so an exact heading match and a phrase match on the same words are one span.
    offset = 0
    for heading in record.mesh:
        if not heading:
            continue
        descriptor = heading.lstrip(" *").split("/")[0].rstrip()
        start = offset + heading.index(descriptor)
        for vocabulary, term in matcher.mesh.get(_mesh_key(heading), ()):
            yield Span("mesh", start, start + len(descriptor), descriptor, vocabulary, term, False)
        offset += len(heading) + 2


def is_negated(text: str, start: int, end: int, scope_start: int = 0) -> bool:
    """Whether a negation cue governs the mention text[start:end] (same clause, few words).

    `scope_start` is the end of the previous mention: a cue before it negates that mention, not
    this one ("without depression received ketamine" does not deny ketamine).
    """
    before = text[max(scope_start, start - _WINDOW_CHARS):start].lower()
    # Cheap test first: most mentions have no cue anywhere near them.
    if _PRE.search(before):
        breaks = list(_CLAUSE_BREAK.finditer(before))
        if breaks:
            before = before[breaks[-1].end():]
        words = _WORD.findall(_EITHER_WAY.sub(" ", before))
        window = " ".join(words[-_NEGATION_WINDOW_WORDS:])
        for cue in _PRE.finditer(window):
            if not _PSEUDO_RE.match(window[cue.start():]):
                return True
    if before.endswith(("non-", "non ", "non\u2010")):
        return True
    after = text[end:end + _WINDOW_CHARS].lower()
    if not _POST_HINT.search(after):
        return False
    clause_end = _CLAUSE_BREAK.search(after)
    if clause_end:
        after = after[:clause_end.start()]
    if not _POST.search(" ".join(_WORD.findall(after)[:_POST_WINDOW_WORDS])):
        return False
    # "Patients with depression were excluded" denies depression, but in "patients were excluded
    # from the analysis" nobody's condition is denied: the mention must be what someone had.
    clause = text[max(0, start - 2 * _WINDOW_CHARS):start].lower()
    breaks = list(_CLAUSE_BREAK.finditer(clause))
    return bool(_HAD.search(clause[breaks[-1].end():] if breaks else clause))


def evaluate_record(protocol: Protocol, record: Record, stage: str | None = None) -> RecordVerdict:
    """Verdict on every criterion (of `stage`, when given) with the spans that decided it."""
    compiled = compile_protocol(protocol)
    fields, spans = find_spans(protocol, record)
    has_body = any(fields.get(name) for name in BODY_FIELDS) or any(
        name.startswith("registry.") for name in fields
    )
    found_terms = {(span.vocabulary, span.term) for span in spans}
    # Per reference, the spans of its member terms; computed from the (few) terms found rather
    # than the (possibly many) members of a class.
    by_ref: dict[tuple[str, str | None], list[Span]] = {}
    for key, members in compiled.members.items():
        if members & found_terms:
            by_ref[key] = [span for span in spans if (span.vocabulary, span.term) in members]

    def evidence(ref: Ref) -> list[Span]:
        return by_ref.get((ref.vocabulary, ref.name), [])

    def truth(ref: Ref) -> bool | None:
        found = evidence(ref)
        if any(not s.negated for s in found):
            return True
        if found:
            return False  # only negated mentions: evidence of absence
        return False if has_body else None

    verdicts = []
    for criterion_id, stages, node in compiled.rules:
        if stage is not None and stage not in stages:
            continue
        value = evaluate(node, truth)
        refs = [Ref(v, n) for v, n in dict.fromkeys(rule_references(node))]
        decided = tuple(sorted({s for ref in refs for s in evidence(ref)}, key=_span_order))
        missing = tuple(_ref_name(ref) for ref in refs if not evidence(ref))
        verdicts.append(CriterionVerdict(criterion_id, _verdict(value), decided, missing))
    return RecordVerdict(record.id, tuple(verdicts), tuple(sorted(spans, key=_span_order)), fields)


def _verdict(value: bool | None) -> Verdict:
    return "unclear" if value is None else ("met" if value else "not_met")


def _ref_name(ref: Ref) -> str:
    return ref.vocabulary if ref.name is None else f"{ref.vocabulary}.{ref.name}"


def _span_order(span: Span) -> tuple[str, int, int, str, str]:
    return (span.field, span.start, span.end, span.vocabulary, span.term)


def verdict_features(verdicts: RecordVerdict | Sequence[CriterionVerdict]) -> list[float]:
    """One number per criterion for the ranker: met 1, unclear 0.5, not met 0."""
    items = verdicts.criteria if isinstance(verdicts, RecordVerdict) else verdicts
    return [VERDICT_SCORES[item.verdict] for item in items]


def criteria_matrix(protocol: Protocol, records: Iterable[Record], stage: str | None = None) -> np.ndarray:
    """`verdict_features` of each record as the rows of a float matrix (records × criteria)."""
    rows = [verdict_features(evaluate_record(protocol, record, stage)) for record in records]
    width = sum(1 for c in protocol.criteria if stage is None or stage in c.stages)
    return np.asarray(rows, dtype=float).reshape(len(rows), width)
