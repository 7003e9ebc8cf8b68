"""A labelled deduplication corpus built from the real screening fixtures, for bench_dedupe.py.

Articles: real titles, abstracts and author names from ../shared/fixtures/screening. To reach
100,000 distinct articles from ~4,000 real ones, most titles are spliced: the opening of one real
title joined at a function word ("of", "in", ":") to the ending of another, so the corpus is full
of formulaic near-neighbours ("Effect of X in Y: a randomised trial") as real searches are.
Journals are real (full name and MEDLINE abbreviation); volume, pages, DOI and PMID are
synthetic but shaped like real ones. A few "sibling" articles share authors, journal and year
with another and differ only in the title's ending: hard negatives.

Duplicates: a known fraction of articles is exported again by a second database, with
perturbations seen in real exports (case and punctuation, truncated author lists, missing
DOI/PMID, abbreviated journal, abbreviated page ranges, year off by one, British spelling,
markup, lost abstract, a typo, a lost subtitle); some copies are the preprint of the article instead (a companion).
Every record carries its article number, so the true pairs are known.
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass
from pathlib import Path

from livingreview.records import Record

SCREENING = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures" / "screening"

JOURNALS = (
    ("Journal of Affective Disorders", "J Affect Disord"),
    ("The New England Journal of Medicine", "N Engl J Med"),
    ("Lancet (London, England)", "Lancet"),
    ("BMJ (Clinical research ed.)", "BMJ"),
    ("The Journal of Clinical Psychiatry", "J Clin Psychiatry"),
    ("The American Journal of Psychiatry", "Am J Psychiatry"),
    ("Journal of Psychopharmacology", "J Psychopharmacol"),
    ("Psychopharmacology", "Psychopharmacology (Berl)"),
    ("Biological Psychiatry", "Biol Psychiatry"),
    ("Journal of Clinical Oncology", "J Clin Oncol"),
    ("Annals of Internal Medicine", "Ann Intern Med"),
    ("Archives of General Psychiatry", "Arch Gen Psychiatry"),
    ("Proceedings of the National Academy of Sciences of the United States of America",
     "Proc Natl Acad Sci U S A"),
    ("Clinical Pharmacology and Therapeutics", "Clin Pharmacol Ther"),
    ("European Journal of Clinical Pharmacology", "Eur J Clin Pharmacol"),
    ("Journal of the American Geriatrics Society", "J Am Geriatr Soc"),
    ("American Journal of Obstetrics and Gynecology", "Am J Obstet Gynecol"),
    ("Obstetrics and Gynecology", "Obstet Gynecol"),
    ("Headache", "Headache"),
    ("Cephalalgia", "Cephalalgia"),
    ("The Journal of Urology", "J Urol"),
    ("Neurourology and Urodynamics", "Neurourol Urodyn"),
    ("Implementation Science", "Implement Sci"),
    ("BMC Health Services Research", "BMC Health Serv Res"),
    ("Journal of General Internal Medicine", "J Gen Intern Med"),
    ("Medical Care", "Med Care"),
    ("Quality & Safety in Health Care", "Qual Saf Health Care"),
    ("The Cochrane Database of Systematic Reviews", "Cochrane Database Syst Rev"),
    ("Journal of Clinical Epidemiology", "J Clin Epidemiol"),
    ("Arthritis and Rheumatism", "Arthritis Rheum"),
    ("Alimentary Pharmacology & Therapeutics", "Aliment Pharmacol Ther"),
    ("Fertility and Sterility", "Fertil Steril"),
    ("The Journal of Allergy and Clinical Immunology", "J Allergy Clin Immunol"),
    ("Annals of Allergy, Asthma & Immunology", "Ann Allergy Asthma Immunol"),
    ("Clinical and Experimental Allergy", "Clin Exp Allergy"),
    ("Pediatrics", "Pediatrics"),
    ("The Journal of Pediatrics", "J Pediatr"),
    ("Journal of Psychiatric Research", "J Psychiatr Res"),
)
PREPRINT_SERVERS = (("medRxiv", "10.1101"), ("bioRxiv", "10.1101"), ("Research Square", "10.21203"))
_JOINTS = re.compile(r"\s(?=(?:of|in|for|with|among|on|versus|after|during|to)\s)|(?<=:)\s")
_NCT = re.compile(r"NCT\d{8}", re.IGNORECASE)
_SPELLINGS = (("randomized", "randomised"), ("behavior", "behaviour"), ("organization", "organisation"),
              ("tumor", "tumour"), ("pediatric", "paediatric"), ("center", "centre"))


@dataclass(frozen=True)
class Source:
    titles: list[str]
    abstracts: list[str]
    author_lists: list[list[str]]
    surnames: list[str]
    years: list[int]


def load_source(folder: Path = SCREENING) -> Source:
    titles, abstracts, author_lists, years = [], [], [], []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                title = " ".join((row.get("title") or "").split())
                if len(title.split()) < 4:
                    continue
                titles.append(title)
                if row.get("abstract"):
                    abstracts.append(row["abstract"])
                if row.get("authors"):
                    author_lists.append([a.strip() for a in row["authors"].split(";") if a.strip()])
                if row.get("year"):
                    years.append(int(float(row["year"])))
    surnames = sorted({a.split()[-1] for authors in author_lists for a in authors if a.split()})
    return Source(sorted(set(titles)), abstracts, author_lists, surnames, years)


@dataclass
class Article:
    number: int
    title: str
    abstract: str | None
    authors: list[str]
    journal: int
    year: int
    volume: str
    issue: str
    first_page: int
    last_page: int
    doi: str | None
    pmid: str | None


class CorpusBuilder:
    def __init__(self, source: Source, seed: int) -> None:
        self.source = source
        self.random = random.Random(seed)
        self.heads, self.tails = self._title_parts()

    def _title_parts(self) -> tuple[list[str], list[str]]:
        heads, tails = [], []
        for title in self.source.titles:
            cuts = [m.start() for m in _JOINTS.finditer(title) if 10 < m.start() < len(title) - 10]
            for cut in cuts:
                heads.append(title[:cut])
                tails.append(title[cut:])
        return heads, tails

    def title(self) -> str:
        if self.random.random() < 0.04:
            return self.random.choice(self.source.titles)
        return (self.random.choice(self.heads) + self.random.choice(self.tails)).strip()

    def authors(self) -> list[str]:
        if self.source.author_lists and self.random.random() < 0.5:
            real = self.random.choice(self.source.author_lists)
            if real:
                return [_medline_name(name) for name in real]
        count = self.random.randint(1, 9)
        return [f"{self.random.choice(self.source.surnames)} {self._initials()}" for _ in range(count)]

    def _initials(self) -> str:
        return "".join(self.random.choice("ABCDEFGHJKLMNPRSTW") for _ in range(self.random.randint(1, 2)))

    def article(self, number: int) -> Article:
        year = self.random.choice(self.source.years) if self.source.years else 2000
        year = year + self.random.randint(-2, 12)
        journal = self.random.randrange(len(JOURNALS))
        first = self.random.randint(1, 2400)
        return Article(
            number=number, title=_own_registry_numbers(self.title(), number),
            abstract=_own_registry_numbers(self.random.choice(self.source.abstracts), number)
            if self.random.random() < 0.85 else None,
            authors=self.authors(), journal=journal, year=year,
            volume=str(self.random.randint(1, 420)), issue=str(self.random.randint(1, 12)),
            first_page=first, last_page=first + self.random.randint(3, 14),
            doi=f"10.{1000 + journal}/j.{year}.{number:07d}" if self.random.random() < 0.85 else None,
            pmid=str(10_000_000 + number) if self.random.random() < 0.7 else None,
        )

    def sibling(self, article: Article, number: int) -> Article:
        """Another paper by the same group in the same journal and year: a hard negative."""
        cuts = [m.start() for m in _JOINTS.finditer(article.title) if m.start() > 10]
        head = article.title[: cuts[0]] if cuts else article.title
        first = article.last_page + self.random.randint(1, 300)
        return Article(
            number=number, title=_own_registry_numbers((head + self.random.choice(self.tails)).strip(), number),
            abstract=_own_registry_numbers(self.random.choice(self.source.abstracts), number),
            authors=list(article.authors),
            journal=article.journal, year=article.year, volume=article.volume, issue=article.issue,
            first_page=first, last_page=first + self.random.randint(3, 14),
            doi=f"10.{1000 + article.journal}/j.{article.year}.{number:07d}",
            pmid=str(10_000_000 + number) if article.pmid else None,
        )


def _own_registry_numbers(text: str, number: int) -> str:
    """Reused titles and abstracts must not tie unrelated articles together by a trial number."""
    return _NCT.sub(f"NCT{90_000_000 + number:08d}", text)


def _medline_name(name: str) -> str:
    """"L J Warshaw" -> "Warshaw LJ", as PubMed exports it."""
    parts = name.split()
    initials = [p for p in parts[:-1] if len(p.rstrip(".")) <= 2]
    if len(parts) > 1 and len(initials) == len(parts) - 1:
        return f"{parts[-1]} {''.join(p[0] for p in initials)}"
    return name


def original_record(article: Article) -> Record:
    full, _ = JOURNALS[article.journal]
    return Record(
        source="pubmed", raw=f"article {article.number}", source_id=article.pmid, title=article.title,
        abstract=article.abstract, authors=list(article.authors), journal=full, year=article.year,
        volume=article.volume, issue=article.issue, pages=f"{article.first_page}-{article.last_page}",
        doi=article.doi, pmid=article.pmid, publication_types=["Journal Article"],
    )


def duplicate_record(article: Article, rng: random.Random) -> Record:
    """The article as a second database exports it, with two to four perturbations."""
    full, abbreviation = JOURNALS[article.journal]
    record = original_record(article)
    record.source, record.source_id, record.raw = "embase", None, f"article {article.number} copy"
    record.pmid = article.pmid if rng.random() < 0.5 else None
    perturbations = rng.sample(PERTURBATIONS, rng.randint(2, 4))
    for perturb in perturbations:
        perturb(record, article, rng)
    if record.journal == full and rng.random() < 0.5:
        record.journal = abbreviation
    return record


def preprint_record(article: Article, rng: random.Random) -> Record:
    """The preprint of the article: another DOI and venue, earlier, often another title."""
    server, prefix = rng.choice(PREPRINT_SERVERS)
    title = article.title if rng.random() < 0.6 else _change_case(_change_punctuation(article.title, rng), rng)
    return Record(
        source="europepmc", raw=f"article {article.number} preprint", title=title,
        abstract=article.abstract if rng.random() < 0.8 else None,
        authors=list(article.authors), journal=server, year=article.year - rng.choice((0, 1, 1)),
        doi=f"{prefix}/{article.year - 1}.{rng.randint(1, 12):02d}.{rng.randint(1, 28):02d}."
            f"{20_000_000 + article.number}",
        publication_types=["Preprint"],
    )


def _change_case(title: str, rng: random.Random) -> str:
    return rng.choice((title.upper(), title.lower(), title.title()))


def _change_punctuation(title: str, rng: random.Random) -> str:
    changed = title.replace(": ", rng.choice((" - ", ". ", ": "))).replace(",", "")
    return changed.rstrip(".") if changed.endswith(".") else changed + "."


def _perturb_case(record: Record, article: Article, rng: random.Random) -> None:
    record.title = _change_case(record.title or "", rng)


def _perturb_punctuation(record: Record, article: Article, rng: random.Random) -> None:
    record.title = _change_punctuation(record.title or "", rng)


def _perturb_markup(record: Record, article: Article, rng: random.Random) -> None:
    words = (record.title or "").split()
    if len(words) > 3:
        where = rng.randrange(len(words))
        words[where] = f"<i>{words[where]}</i>"
    record.title = " ".join(words)


def _perturb_spelling(record: Record, article: Article, rng: random.Random) -> None:
    title = record.title or ""
    for american, british in _SPELLINGS:
        title = re.sub(american, british, title, flags=re.IGNORECASE)
    record.title = title


def _perturb_authors(record: Record, article: Article, rng: random.Random) -> None:
    if len(record.authors) > 3:
        record.authors = [*record.authors[:3], "et al."]
    elif record.authors:
        record.authors = [_comma_name(a) for a in record.authors]


def _comma_name(name: str) -> str:
    """"Smith JK" -> "Smith, J.K."; "John Smith" -> "Smith, John": the reference-manager form."""
    parts = name.split()
    if len(parts) < 2:
        return name
    if parts[-1].isupper() and len(parts[-1]) <= 4:
        return f"{' '.join(parts[:-1])}, {'.'.join(parts[-1])}."
    return f"{parts[-1]}, {' '.join(parts[:-1])}"


def _perturb_doi(record: Record, article: Article, rng: random.Random) -> None:
    record.doi = None


def _perturb_pages(record: Record, article: Article, rng: random.Random) -> None:
    first, last = str(article.first_page), str(article.last_page)
    common = 0
    while common < len(first) - 1 and len(first) == len(last) and first[common] == last[common]:
        common += 1
    record.pages = f"{first}-{last[common:]}"


def _perturb_year(record: Record, article: Article, rng: random.Random) -> None:
    record.year = article.year + rng.choice((-1, 1))


def _perturb_typo(record: Record, article: Article, rng: random.Random) -> None:
    """One character dropped or doubled, as in a hand-keyed or OCR'd record."""
    title = record.title or ""
    if len(title) > 20:
        where = rng.randrange(5, len(title) - 1)
        record.title = title[:where] + (title[where + 1:] if rng.random() < 0.5 else title[where:])


def _perturb_subtitle(record: Record, article: Article, rng: random.Random) -> None:
    """The subtitle lost, as some databases store only the main title."""
    title = record.title or ""
    if ": " in title and len(title.split(": ", 1)[0].split()) >= 4:
        record.title = title.split(": ", 1)[0]


def _perturb_abstract(record: Record, article: Article, rng: random.Random) -> None:
    record.abstract = None


PERTURBATIONS = (_perturb_case, _perturb_punctuation, _perturb_markup, _perturb_spelling,
                 _perturb_authors, _perturb_doi, _perturb_doi, _perturb_pages, _perturb_year,
                 _perturb_abstract, _perturb_typo, _perturb_subtitle)


def build_corpus(size: int, *, seed: int = 7, duplicate_fraction: float = 0.12,
                 preprint_fraction: float = 0.015, sibling_fraction: float = 0.02,
                 source: Source | None = None) -> tuple[list[Record], list[int]]:
    """`size` records and, for each, the number of the article it reports."""
    builder = CorpusBuilder(source or load_source(), seed)
    rng = builder.random
    extra_per_article = duplicate_fraction + preprint_fraction
    articles_needed = int(size / (1 + extra_per_article))
    records: list[Record] = []
    numbers: list[int] = []
    articles: list[Article] = []
    while len(articles) < articles_needed:
        number = len(articles)
        if articles and rng.random() < sibling_fraction:
            articles.append(builder.sibling(rng.choice(articles), number))
        else:
            articles.append(builder.article(number))
    for article in articles:
        records.append(original_record(article))
        numbers.append(article.number)
    for article in articles:
        if len(records) >= size:
            break
        draw = rng.random()
        if draw < duplicate_fraction:
            records.append(duplicate_record(article, rng))
        elif draw < extra_per_article:
            records.append(preprint_record(article, rng))
        else:
            continue
        numbers.append(article.number)
    # Interleave copies and originals so record order says nothing about duplication.
    order = list(range(len(records)))
    rng.shuffle(order)
    return [records[i] for i in order], [numbers[i] for i in order]
