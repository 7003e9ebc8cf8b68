"""Each source's query, generated from the protocol's vocabularies.

For every concept block of a `[[sources]]` entry (a vocabulary, or one of its classes or terms)
the names of its terms (label, synonyms, brand and code names, MeSH) are ORed with the source's
field tags; the blocks are ANDed; the source's filters are ANDed last. A `query` the user wrote
replaces the generated one and is sent as written (date limits still apply).

Filters a `[[sources]]` entry may set:
  humans = true             exclude records indexed as animal-only studies (PubMed, Europe PMC)
  trials = true             restrict to trials: a sensitive trial filter (PubMed, Europe PMC),
                            interventional studies (ClinicalTrials.gov)
  publication_types = [..]  PubMed [pt] / Europe PMC PUB_TYPE
  languages = [..]          PubMed [la] / Europe PMC LANG
  "filter.*", "query.cond", "query.outc", "aggFilters"   ClinicalTrials.gov parameters, as given
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from livingreview.errors import BadInput
from livingreview.protocol.models import Protocol, Source, Term
from livingreview.sources.base import Block, SearchSource, load_source

# Vocabulary names whose block goes to ClinicalTrials.gov's dedicated fields; every other block
# is searched in all fields (query.term), since registries name constructs in free text and
# instruments, not constructs, in their outcome measure titles.
_CTGOV_FIELDS = {"intervention": "query.intr", "interventions": "query.intr", "drug": "query.intr",
                 "drugs": "query.intr", "population": "query.cond", "condition": "query.cond",
                 "conditions": "query.cond"}
CTGOV_PASS_THROUGH = ("filter.", "query.cond", "query.outc", "query.locn", "query.spons",
                       "aggFilters")
_COMMON_FILTERS = ("humans", "trials", "publication_types", "languages")

# The Cochrane Highly Sensitive Search Strategy for randomised trials (2008 revision,
# sensitivity-maximising), PubMed syntax.
_PUBMED_TRIALS = ("(randomized controlled trial[pt] OR controlled clinical trial[pt] OR "
                  "randomized[tiab] OR placebo[tiab] OR clinical trials as topic[mesh:noexp] OR "
                  "randomly[tiab] OR trial[ti])")
_EUROPEPMC_TRIALS = ('(PUB_TYPE:"randomized controlled trial" OR PUB_TYPE:"clinical trial" OR '
                     'TITLE_ABS:"randomized" OR TITLE_ABS:"randomised" OR TITLE_ABS:"placebo" OR '
                     'TITLE_ABS:"randomly" OR TITLE:"trial")')


@dataclass(frozen=True)
class SourceQuery:
    """What is sent: `text` is shown and stored verbatim; `parameters` go on the request."""

    source: str
    kind: str
    text: str
    parameters: dict[str, str]
    date_from: date | None = None
    date_to: date | None = None
    generated: bool = True

    def filters_json(self) -> str:
        bounds = {"date_from": self.date_from, "date_to": self.date_to}
        return json.dumps({k: v.isoformat() for k, v in bounds.items() if v}, sort_keys=True)


def build_query(protocol: Protocol, source: Source, *, since: date | None = None) -> SourceQuery:
    date_from = parse_date_bound(source.date_from, end=False, where=f"source {source.name} date_from")
    date_to = parse_date_bound(source.date_to, end=True, where=f"source {source.name} date_to")
    registered = load_source(source.kind)
    _check_filters(source, registered)
    blocks = [_block_terms(protocol, name) for name in source.concepts]
    parameters = registered.parameters(source, blocks, since)
    text = registered.shown_text(parameters)
    return SourceQuery(source.name, source.kind, text, parameters, date_from, date_to,
                       generated=source.query is None)


def parse_date_bound(text: str | None, *, end: bool, where: str) -> date | None:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` (also with `/`); a year or month as a lower bound
    starts on its first day, as an upper bound ends on its last."""
    if not text:
        return None
    parts = text.replace("/", "-").split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) == 3:
            return date(*numbers)
        if len(numbers) == 2:
            year, month = numbers
            if not end:
                return date(year, month, 1)
            following = date(year + month // 12, month % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1)
        if len(numbers) == 1:
            return date(numbers[0], 12, 31) if end else date(numbers[0], 1, 1)
    except ValueError:
        pass
    raise BadInput(f"{where}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {text!r}")


def _block_terms(protocol: Protocol, block: str) -> Block:
    vocabulary, _, name = block.partition(".")
    return vocabulary, protocol.vocabularies[vocabulary].members(name or None)


def _check_filters(source: Source, registered: SearchSource) -> None:
    for key in source.filters:
        allowed = key in _COMMON_FILTERS or key.startswith(registered.filter_prefixes)
        if not allowed:
            extra = f", {registered.filter_hint}" if registered.filter_hint else ""
            raise BadInput(f"source {source.name}: unknown filter {key!r}; known: "
                             f"{', '.join(_COMMON_FILTERS)}{extra}")


def _phrases(terms: list[Term]) -> tuple[list[str], list[str]]:
    """Distinct text phrases and MeSH headings of a block (case-insensitively distinct)."""
    phrases: dict[str, str] = {}
    headings: dict[str, str] = {}
    for term in terms:
        for phrase in term.phrases():
            phrases.setdefault(phrase.casefold(), _unquote(phrase))
        for heading in term.mesh:
            headings.setdefault(heading.casefold(), _unquote(heading))
    return list(phrases.values()), list(headings.values())


def _unquote(text: str) -> str:
    # A double quote inside a phrase would end the phrase early in every source's syntax.
    return " ".join(text.replace('"', " ").split())


def _as_list(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _or(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


@dataclass(frozen=True)
class _FieldSyntax:
    """How a bibliographic database spells each part of a generated query (`{}`: the value)."""

    heading: str
    phrase: str
    publication_type: str
    language: str
    humans_only: str
    trials: str


_PUBMED_SYNTAX = _FieldSyntax('"{}"[MeSH Terms]', '"{}"[tiab]', '"{}"[pt]', '"{}"[la]',
                              'NOT ("animals"[MeSH Terms] NOT "humans"[MeSH Terms])',
                              _PUBMED_TRIALS)
_EUROPEPMC_SYNTAX = _FieldSyntax('MESH_HEADING:"{}"', 'TITLE_ABS:"{}"', 'PUB_TYPE:"{}"',
                                 'LANG:"{}"',
                                 'NOT (MESH_HEADING:"animals" NOT MESH_HEADING:"humans")',
                                 _EUROPEPMC_TRIALS)


def _boolean_parts(source: Source, blocks: list[Block], syntax: _FieldSyntax) -> list[str]:
    """The parts to AND: the query the user wrote, or each concept block then the filters."""
    if source.query is not None:
        return [f"({source.query})"]
    parts = []
    for _, terms in blocks:
        phrases, headings = _phrases(terms)
        parts.append(_or([syntax.heading.format(h) for h in headings]
                         + [syntax.phrase.format(p) for p in phrases]))
    filters = source.filters
    if filters.get("humans"):
        parts.append(syntax.humans_only)
    if filters.get("trials"):
        parts.append(syntax.trials)
    if "publication_types" in filters:
        parts.append(_or([syntax.publication_type.format(t)
                          for t in _as_list(filters["publication_types"])]))
    if "languages" in filters:
        parts.append(_or([syntax.language.format(t) for t in _as_list(filters["languages"])]))
    return parts


def pubmed_parameters(source: Source, blocks: list[Block], since: date | None) -> dict[str, str]:
    parts = _boolean_parts(source, blocks, _PUBMED_SYNTAX)
    if since:
        # Entrez date: when the record entered PubMed, which is what "new since" means.
        parts.append(f'("{since:%Y/%m/%d}"[EDAT] : "3000"[EDAT])')
    return {"term": _and(parts)}


def _and(parts: list[str]) -> str:
    text = ""
    for part in parts:
        if not text:
            text = part
        elif part.startswith("NOT "):
            text += " " + part
        else:
            text += " AND " + part
    return text


def europepmc_parameters(source: Source, blocks: list[Block],
                         since: date | None) -> dict[str, str]:
    parts = _boolean_parts(source, blocks, _EUROPEPMC_SYNTAX)
    if bounds := _date_range(source, open_low="1000-01-01", open_high="3000-12-31"):
        parts.append(f"FIRST_PDATE:[{bounds[0]} TO {bounds[1]}]")
    if since:
        parts.append(f"FIRST_IDATE:[{since.isoformat()} TO 3000-12-31]")
    return {"query": _and(parts)}


def _date_range(source: Source, *, open_low: str, open_high: str) -> tuple[str, str] | None:
    """The entry's date limits as ISO dates, an open end written as the source spells it;
    None when the entry sets neither."""
    date_from = parse_date_bound(source.date_from, end=False, where=source.name)
    date_to = parse_date_bound(source.date_to, end=True, where=source.name)
    if not (date_from or date_to):
        return None
    return (date_from.isoformat() if date_from else open_low,
            date_to.isoformat() if date_to else open_high)


def ctgov_parameters(source: Source, blocks: list[Block], since: date | None) -> dict[str, str]:
    parameters: dict[str, str] = {}
    if source.query is not None:
        parameters["query.term"] = source.query
    else:
        grouped: dict[str, list[str]] = {}
        for vocabulary, terms in blocks:
            phrases, headings = _phrases(terms)
            distinct: dict[str, str] = {}
            for phrase in [*phrases, *headings]:
                distinct.setdefault(phrase.casefold(), phrase)
            grouped.setdefault(_CTGOV_FIELDS.get(vocabulary, "query.term"), []).append(
                _or([f'"{p}"' for p in distinct.values()]))
        parameters.update({name: " AND ".join(parts) for name, parts in grouped.items()})
    advanced = []
    for key, value in source.filters.items():
        if key.startswith(CTGOV_PASS_THROUGH):
            parameters[key] = ",".join(_as_list(value))
    if source.filters.get("trials"):
        advanced.append("AREA[StudyType]INTERVENTIONAL")
    if bounds := _date_range(source, open_low="MIN", open_high="MAX"):
        advanced.append(f"AREA[StudyFirstPostDate]RANGE[{bounds[0]},{bounds[1]}]")
    if since:
        advanced.append(f"AREA[LastUpdatePostDate]RANGE[{since.isoformat()},MAX]")
    if advanced:
        given = parameters.get("filter.advanced")
        parameters["filter.advanced"] = " AND ".join(([given] if given else []) + advanced)
    return parameters


def ctgov_text(parameters: dict[str, str]) -> str:
    """Every parameter as `name=value`, one a line: a registry query is several fields."""
    return "\n".join(f"{name}={parameters[name]}" for name in sorted(parameters))
