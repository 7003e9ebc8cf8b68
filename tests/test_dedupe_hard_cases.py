"""Records that fooled the deduplicator in first use, written here as a small labelled corpus.

Each record carries the study it reports; records of one study (duplicates and companions such
as an erratum) must end in one group, records of different studies in different groups. A
record labelled None may go either way, but must not join two studies.
Every pair is judged (no blocking) and grouped, so the test pins the judge and the grouping alone.
The cases: a supplement whose DOI is shared by all its conference abstracts; the same editorial
title in every issue of a journal; an erratum of an article; a conference abstract of an article;
and a bridge record that would chain two different articles through a weak link.
"""

from __future__ import annotations

from itertools import combinations

from livingreview import Review
from livingreview.dedupe.compare import judge
from livingreview.dedupe.features import Features, record_features
from livingreview.dedupe.grouping import PairRow, group_records
from livingreview.records import Record
from test_dedupe import insert, studies

SUPPLEMENT = dict(journal="Journal of Clinical Psychopharmacology", year=2018, volume="38", issue="Suppl 1",
                  doi="10.1097/jcp.0000000000000900")
SUPPLEMENT_ABSTRACTS = [
    ("Ketamine infusion and social anhedonia in treatment-resistant depression", ["Adams R", "Baker T"], "S12"),
    ("Memantine augmentation in autism spectrum disorder: an open trial", ["Chen L", "Diaz M"], "S13"),
    ("D-cycloserine and exposure therapy for social anxiety", ["Evans K", "Fischer U"], "S14"),
    ("Riluzole in obsessive-compulsive disorder: a pilot", ["Garcia P", "Hall S"], "S15"),
    ("Esketamine nasal spray: real-world outcomes", ["Ito Y", "Jones K"], "S16"),
]
EDITORIAL = dict(title="Editorial", authors=["Nutt D"], journal="Journal of Psychopharmacology")


def _corpus() -> list[tuple[str | None, dict[str, object]]]:
    cases: list[tuple[str | None, dict[str, object]]] = []
    for number, (title, authors, page) in enumerate(SUPPLEMENT_ABSTRACTS):
        cases.append((f"supp{number}", dict(SUPPLEMENT, title=title, authors=authors, pages=page)))
    # Two of the abstracts exported again by a database that drops the supplement DOI.
    for number in (0, 3):
        title, authors, page = SUPPLEMENT_ABSTRACTS[number]
        cases.append((f"supp{number}", dict(SUPPLEMENT, title=title.upper(), authors=authors[:1], pages=page,
                                            doi=None, source="embase")))
    for year, volume, page in ((2018, "32", "3"), (2019, "33", "3"), (2020, "34", "5")):
        cases.append((f"editorial{year}", dict(EDITORIAL, year=year, volume=volume, pages=page)))
    cases.append(("editorial2019", dict(EDITORIAL, year=2019, volume="33", pages="3-4", source="embase")))
    # Same-year editorials with no pages at all: nothing tells them apart, so no automatic merge.
    cases.append(("editorial2021a", dict(EDITORIAL, year=2021)))
    cases.append(("editorial2021b", dict(EDITORIAL, year=2021, source="embase")))
    article = dict(title="Ketamine increases empathic concern in healthy volunteers: a randomized crossover trial",
                   authors=["Quinn A", "Roberts B", "Singh C"], journal="Neuropsychopharmacology", year=2021,
                   volume="46", pages="1001-1009", doi="10.1038/s41386-021-00001-1", pmid="33000001")
    cases.append(("article", article))
    cases.append(("article", dict(article, title=str(article["title"]).upper(), doi=None, pmid=None,
                                  journal="Neuropsychopharmacol", pages="1001-9", source="embase")))
    cases.append(("article", dict(article, title="Erratum: " + str(article["title"]), pages="1010",
                                  doi="10.1038/s41386-021-00002-2", pmid="33000002")))
    # A different article by the same group, same journal and year: a hard negative.
    cases.append(("sibling", dict(article, title="Ketamine reduces self-other distinction in the temporoparietal "
                                  "junction: a randomized crossover trial", pages="1201-1210",
                                  doi="10.1038/s41386-021-00003-3", pmid="33000003")))
    # A record that carries the sibling's DOI but the article's title (a broken export): it must not
    # chain the article and its sibling into one group.
    cases.append((None, dict(article, doi="10.1038/s41386-021-00003-3", pmid=None, source="scopus")))
    return cases


def _features(number: int, fields: dict[str, object]) -> Features:
    fields = dict(fields)
    record = Record(source=str(fields.pop("source", "pubmed")), raw=str(number), **fields).normalise()  # type: ignore[arg-type]
    return record_features(
        id=number, study_id=None, source=record.source, source_id=record.source_id, title=record.title,
        abstract=record.abstract, authors=record.authors, journal=record.journal, year=record.year,
        volume=record.volume, issue=record.issue, pages=record.pages, doi=record.doi, pmid=record.pmid,
        pmcid=record.pmcid, nct_ids=record.nct_ids, publication_types=record.publication_types)


def _groups() -> tuple[list[str | None], list[list[int]]]:
    corpus = _corpus()
    articles = [article for article, _ in corpus]
    features = [_features(number, fields) for number, (_, fields) in enumerate(corpus)]
    pairs = []
    for a, b in combinations(features, 2):
        verdict = judge(a, b)
        if verdict is not None and verdict.status == "auto":
            pairs.append(PairRow(a.id, b.id, verdict.score, "auto", verdict.relation, verdict.method))
    # Companion records carry identifiers of their own by nature, so only the others'
    # identifiers say which article a group is.
    identities = {f.id: (f.doi, f.pmid) for f in features
                  if not (f.erratum or f.conference or f.preprint or f.registry)}
    return articles, group_records(list(range(len(corpus))), pairs, identities)


def _pairs_apart(articles: list[str | None], groups: list[list[int]]
                 ) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(pairs of different studies grouped together, pairs of one study kept apart), by label."""
    merged = {tuple(sorted((articles[a], articles[b]))) for group in groups
              for a, b in combinations(group, 2)
              if None not in (articles[a], articles[b]) and articles[a] != articles[b]}
    together = {pair for group in groups for pair in combinations(sorted(group), 2)}
    missed = {(articles[a], articles[b]) for a, b in combinations(range(len(articles)), 2)
              if articles[a] is not None and articles[a] == articles[b] and (a, b) not in together}
    return merged, missed  # type: ignore[return-value]


def test_no_two_different_articles_are_merged() -> None:
    articles, groups = _groups()
    false_merges, _ = _pairs_apart(articles, groups)
    assert false_merges == set()


def test_every_duplicate_with_evidence_is_found() -> None:
    articles, groups = _groups()
    _, missed = _pairs_apart(articles, groups)
    assert missed == set()


def test_same_title_editorials_without_pages_go_to_a_human() -> None:
    # Same title, journal, year and author and nothing else: one editorial exported twice, or two
    # editorials of one year. Nothing decides it, so a human does.
    corpus = _corpus()
    first, second = (number for number, (label, _) in enumerate(corpus) if label and label.startswith("editorial2021"))
    verdict = judge(_features(first, corpus[first][1]), _features(second, corpus[second][1]))
    assert verdict is not None and verdict.status == "uncertain"


def test_the_stored_dedupe_run_merges_no_two_articles_of_the_corpus(review: Review) -> None:
    # The same corpus through the store: blocking, judging, grouping with identifiers, history.
    corpus = _corpus()
    ids = insert(review.store, *(Record(source=str(fields.get("source", "pubmed")), raw=str(number),
                                        **{k: v for k, v in fields.items() if k != "source"})  # type: ignore[arg-type]
                                 for number, (_, fields) in enumerate(corpus)))
    review.dedupe()
    study = studies(review.store)
    label = {record: corpus[index][0] for index, record in enumerate(ids)}
    merged = {tuple(sorted((label[a], label[b]))) for a, b in combinations(ids, 2)
              if study[a] == study[b] and None not in (label[a], label[b]) and label[a] != label[b]}
    assert merged == set()
    sibling = next(r for r in ids if label[r] == "sibling")
    articles = [r for r in ids if label[r] == "article"]
    assert all(study[r] != study[sibling] for r in articles)
