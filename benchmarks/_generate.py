"""Build large PubmedArticleSet files from the real fixture articles, for benchmarks and memory tests.

Each copy gets its own PMID and a numbered title so that every article in the file is distinct;
everything else (structured abstracts, MeSH, MathML, reference lists) is the real records' XML.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

FIXTURES = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures" / "pubmed"
# The newest DTD Biopython ships, so Bio.Entrez.parse validates the file offline.
HEADER = (
    b'<?xml version="1.0" ?>\n'
    b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN"'
    b' "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    b"<PubmedArticleSet>\n"
)
FOOTER = b"</PubmedArticleSet>\n"
_PMID = re.compile(rb"<PMID Version=\"1\">\d+</PMID>")
_TITLE = re.compile(rb"<ArticleTitle>")


def fixture_articles(folder: Path = FIXTURES) -> list[bytes]:
    """Every PubmedArticle of the efetch fixtures, serialised on its own."""
    articles = []
    for path in sorted(folder.glob("pubmed*.xml")):
        for _event, element in etree.iterparse(str(path), events=("end",), tag="PubmedArticle"):
            articles.append(etree.tostring(element, encoding="utf-8", with_tail=False))
    if not articles:
        raise FileNotFoundError(f"no PubMed efetch fixtures (pubmed*.xml) in {folder}")
    return articles


def write_pubmed_set(path: Path, count: int, articles: list[bytes], first_pmid: int = 90_000_000) -> Path:
    """Write `count` distinct articles cycling through `articles`; returns `path`."""
    with path.open("wb") as handle:
        handle.write(HEADER)
        for number in range(count):
            article = articles[number % len(articles)]
            article = _PMID.sub(b'<PMID Version="1">%d</PMID>' % (first_pmid + number), article, count=1)
            article = _TITLE.sub(b"<ArticleTitle>[copy %d] " % number, article, count=1)
            handle.write(article)
            handle.write(b"\n")
        handle.write(FOOTER)
    return path
