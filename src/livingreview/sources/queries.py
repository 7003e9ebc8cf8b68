"""Each source's query, generated from the protocol's vocabularies.

For every concept block of a `[[sources]]` entry (a vocabulary, or one of its classes or terms)
the names of its terms (label, synonyms, brand and code names, MeSH) are ORed with the source's
field tags; the blocks are ANDed; the source's filters are ANDed last. A `query` the user wrote
replaces the generated one and is sent as written (date limits still apply).

MeSH entries of a term are written `Descriptor`, `Descriptor/qualifier` (PubMed's heading with
subheading, e.g. `Receptors, N-Methyl-D-Aspartate/antagonists & inhibitors`) or
`Descriptor[pa]` (a MeSH pharmacological action: every substance indexed with that action). They
go only to fields that search MeSH: PubMed `[MeSH Terms]`/`[pa]`, Europe PMC `MESH_HEADING` (plain
descriptors only: it has no subheading pairing and no pharmacological actions). They are never
sent as words: a descriptor such as "Receptors, N-Methyl-D-Aspartate" is not how a text or a
registry entry names a drug.

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
from livingreview.screening.criteria import is_acronym
from livingreview.sources.base import Block, SearchSource, load_source

# Vocabulary names whose block goes to ClinicalTrials.gov's dedicated fields; every other block
# is searched in all fields (query.term), since registries name constructs in free text. Outcome
# measure titles name instruments ("Reading the Mind in the Eyes Test"), so an instrument block
# goes to query.outc, where a name found elsewhere in the entry (eligibility, references) does
# not count.
_CTGOV_FIELDS = {"intervention": "query.intr", "interventions": "query.intr", "drug": "query.intr",
                 "drugs": "query.intr", "population": "query.cond", "condition": "query.cond",
                 "conditions": "query.cond", "instrument": "query.outc",
                 "instruments": "query.outc", "outcome": "query.outc", "outcomes": "query.outc"}
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


# Acronyms of at most this many letters are left out of searches. Every service here matches
# case-insensitively, so "ToM" finds the name Tom, "DCS" direct current stimulation, "SRS"
# stereotactic radiosurgery; screening keeps them (matched in their own case, see
# screening.criteria.is_acronym). A record that uses such an acronym spells it out in its
# abstract, and that expansion is the term's label, ORed into the same block, so the acronym adds
# almost no recall. ANDing it with its expansion would add none at all, and ANDing it with a
# context word of the block would add nothing the context word does not already find. Longer
# acronyms (RMET, QCAE, MSCEIT) rarely collide and are kept.
_SHORTEST_SEARCHED_ACRONYM = 4


@dataclass(frozen=True)
class Heading:
    """A MeSH entry of a term: descriptor, optional subheading, or a pharmacological action."""

    descriptor: str
    qualifier: str | None = None
    pharmacological_action: bool = False


def parse_heading(text: str) -> Heading:
    """`Descriptor`, `Descriptor/qualifier` or `Descriptor[pa]` as the protocol writes them."""
    text = _unquote(text)
    if text.casefold().endswith("[pa]"):
        return Heading(text[:-4].strip(), pharmacological_action=True)
    descriptor, _, qualifier = text.partition("/")
    return Heading(descriptor.strip(), qualifier.strip() or None)


def searched_phrases(term: Term) -> list[str]:
    """The term's names a search sends: all but short acronyms, unless they are all it has."""
    phrases = term.phrases()
    kept = [p for p in phrases
            if not (is_acronym(p) and len(p.strip()) < _SHORTEST_SEARCHED_ACRONYM)]
    return kept or phrases


def _phrases(terms: list[Term]) -> tuple[list[str], list[Heading]]:
    """Distinct text phrases and MeSH entries of a block (case-insensitively distinct)."""
    phrases: dict[str, str] = {}
    headings: dict[str, Heading] = {}
    for term in terms:
        for phrase in searched_phrases(term):
            phrases.setdefault(phrase.casefold(), _unquote(phrase))
        for heading in term.mesh:
            headings.setdefault(_unquote(heading).casefold(), parse_heading(heading))
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
    # `{}/{}` descriptor and subheading, and a pharmacological action; None: not searchable
    qualified_heading: str | None = None
    pharmacological_action: str | None = None

    def heading_text(self, heading: Heading) -> str | None:
        """How this database searches one MeSH entry; None when it cannot."""
        if heading.pharmacological_action:
            return self.pharmacological_action and self.pharmacological_action.format(
                heading.descriptor)
        if heading.qualifier:
            return self.qualified_heading and self.qualified_heading.format(
                heading.descriptor, heading.qualifier)
        return self.heading.format(heading.descriptor)


_PUBMED_SYNTAX = _FieldSyntax('"{}"[MeSH Terms]', '"{}"[tiab]', '"{}"[pt]', '"{}"[la]',
                              'NOT ("animals"[MeSH Terms] NOT "humans"[MeSH Terms])',
                              _PUBMED_TRIALS, '"{}/{}"[MeSH Terms]', '"{}"[pa]')
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
        searched = [text for h in headings if (text := syntax.heading_text(h))]
        parts.append(_or(searched + [syntax.phrase.format(p) for p in phrases]))
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
            # Words only: the registry has no MeSH field to send headings to.
            phrases, _ = _phrases(terms)
            grouped.setdefault(_CTGOV_FIELDS.get(vocabulary, "query.term"), []).append(
                _or([f'"{p}"' for p in phrases]))
        parameters.update({name: " AND ".join(parts) for name, parts in grouped.items()})
    advanced = []
    for key, value in source.filters.items():
        if key.startswith(CTGOV_PASS_THROUGH):
            written = ",".join(_as_list(value))
            # A field both generated (an instrument block in query.outc) and given: both apply.
            parameters[key] = f"({written}) AND {parameters[key]}" if key in parameters else written
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
