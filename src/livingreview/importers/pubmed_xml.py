"""PubMed XML (E-utilities efetch `PubmedArticleSet`), parsed as a stream in constant memory.

lxml's `iterparse` hands over one finished `PubmedArticle` / `PubmedBookArticle` at a time; once a
record is built the element is cleared and the already-seen siblings are detached from the root,
so a file of a million articles needs the memory of one. The search client parses efetch
responses with the same `parse_pubmed_articles`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, ClassVar

from lxml import etree

from livingreview.importers.base import ImportFormatError, Importer
from livingreview.records import Record

ARTICLE_SET = "PubmedArticleSet"
ARTICLE_TAGS = ("PubmedArticle", "PubmedBookArticle")
EXPECTED = "a PubMed XML document (efetch db=pubmed retmode=xml: <PubmedArticleSet>)"

_YEAR = re.compile(r"\b(1[5-9]\d\d|2\d\d\d)\b")
_NCT = re.compile(r"NCT\d{8}", re.IGNORECASE)
# What other E-utilities and PMC return, so a wrong file is named for what it is.
_KNOWN_ROOTS = {
    "eSearchResult": "an esearch result (a list of PMIDs, not the records; fetch them with efetch)",
    "eSummaryResult": "an esummary result (document summaries, not full records)",
    "eLinkResult": "an elink result (links between records)",
    "ePostResult": "an epost result (a history-server key)",
    "eInfoResult": "an einfo result (database information)",
    "pmc-articleset": "a PubMed Central full-text set (JATS <pmc-articleset>)",
    "PubmedBookArticleSet": "a bookshelf-only set (<PubmedBookArticleSet>)",
}


def parse_pubmed_articles(source: BinaryIO | Path, *, where: str | None = None) -> Iterator[Record]:
    """Yield one Record per PubmedArticle / PubmedBookArticle of an efetch XML document.

    `where` names the source in errors (defaults to the file's path or name). Raises
    ImportFormatError on malformed XML (with its line) or on a document that is not a
    PubmedArticleSet.
    """
    if where is None:
        where = str(source) if isinstance(source, Path) else str(getattr(source, "name", "<stream>"))
    opened = source.open("rb") if isinstance(source, Path) else None
    stream = opened or source
    count = 0
    try:
        # resolve_entities=False and no_network: a downloaded file never makes us fetch or expand anything.
        context = etree.iterparse(stream, events=("end",), tag=ARTICLE_TAGS,
                                  resolve_entities=False, no_network=True, huge_tree=True)
        try:
            for _event, element in context:
                count += 1
                if count == 1:
                    _check_root(element.getroottree().getroot(), where)
                yield _article_record(element, where, count)
                _release(element)
        except etree.XMLSyntaxError as error:
            raise ImportFormatError(where, f"well-formed XML ({error.msg})", line=error.lineno,
                                    record=count + 1 if count else None) from None
        if count == 0:
            _check_root(context.root, where)
    finally:
        if opened is not None:
            opened.close()


def _release(element: etree._Element) -> None:
    """Free a finished article and everything before it, keeping memory flat."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _check_root(root: etree._Element | None, where: str) -> None:
    tag = root.tag if root is not None else None
    if tag == ARTICLE_SET:
        return
    found = _KNOWN_ROOTS.get(str(tag), f"a document whose root element is <{tag}>")
    raise ImportFormatError(where, f"{EXPECTED}; found {found}", line=getattr(root, "sourceline", None))


def _article_record(element: etree._Element, where: str, number: int) -> Record:
    if element.tag == "PubmedBookArticle":
        return _book_record(element, where, number)
    citation = element.find("MedlineCitation")
    pmid = citation.findtext("PMID") if citation is not None else None
    article = citation.find("Article") if citation is not None else None
    if citation is None or article is None or not pmid:
        raise ImportFormatError(where, "a PubmedArticle with MedlineCitation, its PMID and Article",
                                line=element.sourceline, record=number)
    ids = _article_ids(element.find("PubmedData/ArticleIdList"))
    mesh, qualifiers, major = _mesh(citation)
    vernacular_title = _text(article.find("VernacularTitle"))
    languages = [language.text for language in article.iterfind("Language") if language.text]
    record = Record(
        source="pubmed",
        raw=etree.tostring(element, encoding="unicode", with_tail=False),
        source_id=pmid,
        pmid=pmid,
        title=_text(article.find("ArticleTitle")) or vernacular_title,
        abstract=_abstract(article.find("Abstract")),
        authors=_authors(article.find("AuthorList")),
        pages=_pages(article.find("Pagination")),
        doi=ids.get("doi") or _elocation_doi(article),
        pmcid=ids.get("pmc"),
        nct_ids=_nct_ids(article),
        keywords=_keywords(citation),
        mesh=mesh,
        publication_types=[t.text for t in article.iterfind("PublicationTypeList/PublicationType") if t.text],
        language=languages[0] if languages else None,
    )
    _add_journal(record, article)
    extra = {
        "medline_status": citation.get("Status"),
        "pii": ids.get("pii"),
        "mesh_qualifiers": qualifiers,
        "mesh_major": major,
        "vernacular_title": vernacular_title,
        "publication_status": element.findtext("PubmedData/PublicationStatus"),
    }
    record.extra.update((key, value) for key, value in extra.items() if value)
    return record


def _add_journal(record: Record, article: etree._Element) -> None:
    journal = article.find("Journal")
    if journal is not None:
        record.journal = journal.findtext("Title")
        record.volume = journal.findtext("JournalIssue/Volume")
        record.issue = journal.findtext("JournalIssue/Issue")
        record.year = _pub_year(journal.find("JournalIssue/PubDate"))
        record.extra.update((key, value) for key, value in (
            ("journal_iso", journal.findtext("ISOAbbreviation")), ("issn", journal.findtext("ISSN"))) if value)
    # Articles published ahead of print may carry only the electronic date.
    record.year = record.year or _year_of(article.findtext("ArticleDate/Year"))


def _book_record(element: etree._Element, where: str, number: int) -> Record:
    document = element.find("BookDocument")
    pmid = document.findtext("PMID") if document is not None else None
    if document is None or not pmid:
        raise ImportFormatError(where, "a PubmedBookArticle with BookDocument and its PMID",
                                line=element.sourceline, record=number)
    book = document.find("Book")
    ids = {**_article_ids(document.find("ArticleIdList")),
           **_article_ids(element.find("PubmedBookData/ArticleIdList"))}
    book_title = _text(book.find("BookTitle")) if book is not None else None
    authors = [name for author_list in document.iterfind("AuthorList") for name in _authors(author_list)]
    languages = [language.text for language in document.iterfind("Language") if language.text]
    extra: dict[str, object] = {
        "book_title": book_title,
        "publisher": book.findtext("Publisher/PublisherName") if book is not None else None,
        "isbn": [isbn.text for isbn in book.iterfind("Isbn") if isbn.text] if book is not None else None,
    }
    return Record(
        source="pubmed",
        raw=etree.tostring(element, encoding="unicode", with_tail=False),
        source_id=pmid,
        pmid=pmid,
        title=_text(document.find("ArticleTitle")) or book_title,
        abstract=_abstract(document.find("Abstract")),
        authors=authors,
        year=_pub_year(book.find("PubDate") if book is not None else None),
        volume=book.findtext("Volume") if book is not None else None,
        pages=_pages(document.find("Pagination")),
        doi=ids.get("doi"),
        pmcid=ids.get("pmc"),
        keywords=[k for keyword_list in document.iterfind("KeywordList")
                  for k in (_text(keyword) for keyword in keyword_list) if k],
        publication_types=[t.text for t in document.iterfind("PublicationType") if t.text],
        language=languages[0] if languages else None,
        extra={key: value for key, value in extra.items() if value},
    )


def _text(element: etree._Element | None) -> str | None:
    """The element's text with inline markup (<i>, <sup>, MathML) flattened, whitespace collapsed."""
    if element is None:
        return None
    return " ".join("".join(element.itertext()).split()) or None


def _abstract(abstract: etree._Element | None) -> str | None:
    if abstract is None:
        return None
    paragraphs = []
    for part in abstract.iterfind("AbstractText"):
        text = _text(part)
        if text:
            label = part.get("Label")
            paragraphs.append(f"{label}: {text}" if label else text)
    return "\n\n".join(paragraphs) or None


def _authors(author_list: etree._Element | None) -> list[str]:
    if author_list is None:
        return []
    names = []
    for author in author_list.iterfind("Author"):
        # ValidYN="N" marks a misspelt name that PubMed keeps beside the corrected one.
        if author.get("ValidYN") == "N":
            continue
        parts = {child.tag: child for child in author}
        last = parts.get("LastName")
        if last is not None and last.text:
            given = next((parts[tag].text for tag in ("Initials", "ForeName") if tag in parts and parts[tag].text),
                         None)
            names.append(f"{last.text}, {given}" if given else last.text)
        elif (collective := _text(parts.get("CollectiveName"))) is not None:
            names.append(collective)
    return names


def _pub_year(pub_date: etree._Element | None) -> int | None:
    if pub_date is None:
        return None
    return _year_of(pub_date.findtext("Year")) or _year_of(pub_date.findtext("MedlineDate"))


def _year_of(text: str | None) -> int | None:
    match = _YEAR.search(text) if text else None
    return int(match.group(1)) if match else None


def _pages(pagination: etree._Element | None) -> str | None:
    if pagination is None:
        return None
    medline = pagination.findtext("MedlinePgn")
    if medline:
        return medline
    start, end = pagination.findtext("StartPage"), pagination.findtext("EndPage")
    return f"{start}-{end}" if start and end else start


def _article_ids(id_list: etree._Element | None) -> dict[str, str]:
    if id_list is None:
        return {}
    return {article_id.get("IdType", ""): article_id.text.strip()
            for article_id in id_list.iterfind("ArticleId") if article_id.text and article_id.text.strip()}


def _elocation_doi(article: etree._Element) -> str | None:
    for location in article.iterfind("ELocationID"):
        if location.get("EIdType") == "doi" and location.get("ValidYN", "Y") == "Y" and location.text:
            return location.text.strip()
    return None


def _mesh(citation: etree._Element) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """Descriptors, their qualifiers, and the descriptors that are a major topic (directly or via a qualifier)."""
    descriptors: list[str] = []
    qualifiers: dict[str, list[str]] = {}
    major: list[str] = []
    for heading in citation.iterfind("MeshHeadingList/MeshHeading"):
        # One pass over the heading's children: MeSH lists are long and this runs for every article.
        name, names, is_major = None, [], False
        for child in heading:
            if child.tag == "DescriptorName":
                name = child.text
            elif child.tag == "QualifierName" and child.text:
                names.append(child.text)
            else:
                continue
            is_major = is_major or child.get("MajorTopicYN") == "Y"
        if not name:
            continue
        descriptors.append(name)
        if names:
            qualifiers[name] = names
        if is_major:
            major.append(name)
    return descriptors, qualifiers, major


def _keywords(citation: etree._Element) -> list[str]:
    return [text for keyword in citation.iterfind("KeywordList/Keyword") if (text := _text(keyword))]


def _nct_ids(article: etree._Element) -> list[str]:
    found: list[str] = []
    for accession in article.iterfind("DataBankList/DataBank/AccessionNumberList/AccessionNumber"):
        found.extend(match.upper() for match in _NCT.findall(accession.text or ""))
    return sorted(set(found))


class PubmedXmlImporter(Importer):
    name: ClassVar[str] = "pubmed-xml"
    description: ClassVar[str] = "PubMed XML from E-utilities efetch or PubMed's 'Save as XML' (<PubmedArticleSet>)"
    extensions: ClassVar[tuple[str, ...]] = (".xml",)

    @classmethod
    def sniff(cls, head: str, path: Path) -> bool:
        return f"<{ARTICLE_SET}" in head or f"DOCTYPE {ARTICLE_SET}" in head

    def parse(self, path: Path, encoding: str) -> Iterator[Record]:
        # The XML declaration (or its absence: UTF-8) states the encoding; lxml reads the bytes itself.
        return parse_pubmed_articles(Path(path))
