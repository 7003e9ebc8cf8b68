"""PubMed XML, Europe PMC JSON and ClinicalTrials.gov JSON importers, on the real fixture files.

Expected counts come from the files themselves (tag counts, JSON lengths), never from our parser.
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from conftest import ROOT, fixture_path
from livingreview.importers import ImportFormatError, detect_format
from livingreview.importers.ctgov import parse_ctgov_page, parse_ctgov_study
from livingreview.importers.europepmc import parse_europepmc_page
from livingreview.importers.pubmed_xml import parse_pubmed_articles
from livingreview.importers.service import read_head
from livingreview.records import Record

realdata = pytest.mark.realdata

PUBMED_RECORD_FILES = ["pubmed-29768149.xml", "pubmed1.xml", "pubmed2.xml", "pubmed4.xml", "pubmed5.xml",
                       "pubmed6.xml", "pubmed7.xml"]
# What each non-record E-utilities file is, as the error should name it.
PUBMED_OTHER_FILES = {
    "esearch1.xml": "esearch result", "esearch2.xml": "esearch result", "esearch3.xml": "esearch result",
    "esearch5.xml": "esearch result", "esearch6.xml": "esearch result", "esearch7.xml": "esearch result",
    "esearch8.xml": "esearch result", "esummary1.xml": "esummary result", "esummary3.xml": "esummary result",
    "elink1.xml": "elink result", "elink2.xml": "elink result", "epost1.xml": "epost result",
    "epost2.xml": "epost result", "epost3.xml": "epost result", "einfo1.xml": "einfo result",
    "efetch_pmc.xml": "PubMed Central full-text set",
}
EUROPEPMC_FILES = {"search_cancer.json": 25, "search_cancer_core.json": 25, "search_cancer_idlist.json": 25,
                   "search_cancer_page2.json": 5, "search_post_cancer.json": 25, "search_no_results.json": 0}
_ARTICLE_PMID = re.compile(rb"<PubmedArticle>\s*<MedlineCitation[^>]*>\s*<PMID[^>]*>(\d+)</PMID>")


def _stored(review) -> dict[str, Record]:
    return {record.source_id: record for record in review.store.records()}


def _assert_nothing_stored(review) -> None:
    assert review.store.scalar("SELECT COUNT(*) FROM records") == 0
    assert review.store.scalar("SELECT COUNT(*) FROM imports") == 0
    assert list(review.imports_dir.iterdir()) == []


def _generator():
    """benchmarks/_generate.py builds large PubmedArticleSet files from the fixture articles."""
    spec = importlib.util.spec_from_file_location("_generate", ROOT / "benchmarks" / "_generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- PubMed XML ----------------------------------------------------------------------------------

@realdata
@pytest.mark.parametrize("name", PUBMED_RECORD_FILES)
def test_pubmed_file_imports_every_article_with_its_pmid(review, name: str) -> None:
    path = fixture_path("pubmed", name)
    data = path.read_bytes()
    expected_pmids = {pmid.decode() for pmid in _ARTICLE_PMID.findall(data)}
    assert len(expected_pmids) == data.count(b"<PubmedArticle>") + data.count(b"<PubmedBookArticle>")

    result = review.import_file(path)

    assert (result.format, result.records) == ("pubmed-xml", len(expected_pmids))
    stored = _stored(review)
    assert set(stored) == expected_pmids
    for pmid, record in stored.items():
        assert record.source == "pubmed" and record.pmid == pmid
        raw = etree.fromstring(record.raw)
        assert raw.tag == "PubmedArticle" and raw.findtext("MedlineCitation/PMID") == pmid
        assert record.title and record.journal and record.year


@realdata
def test_pubmed_structured_abstract_mesh_trial_id_and_doi(review) -> None:
    review.import_file(fixture_path("pubmed", "pubmed-29768149.xml"))
    record = _stored(review)["29768149"]
    assert record.title == "Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma."
    assert record.abstract.startswith("BACKGROUND: In patients with mild asthma")
    assert [label for label in ("METHODS: ", "RESULTS: ", "CONCLUSIONS: ") if label in record.abstract] == [
        "METHODS: ", "RESULTS: ", "CONCLUSIONS: "]
    assert record.doi == "10.1056/nejmoa1715274"
    assert record.nct_ids == ["NCT02149199"]
    assert record.authors[:2] == ["O'Byrne, PM", "FitzGerald, JM"]
    assert (record.journal, record.year, record.volume, record.issue, record.pages) == (
        "The New England journal of medicine", 2018, "378", "20", "1865-1876")
    assert record.extra["journal_iso"] == "N Engl J Med"
    assert "Asthma" in record.mesh and "Budesonide" in record.mesh
    assert record.extra["mesh_qualifiers"]["Asthma"] == ["drug therapy"]
    assert "Randomized Controlled Trial" in record.publication_types
    assert record.language == "eng"


@realdata
def test_pubmed_inline_markup_is_flattened_and_references_ignored(review) -> None:
    review.import_file(fixture_path("pubmed", "pubmed4.xml"))
    review.import_file(fixture_path("pubmed", "pubmed6.xml"))
    stored = _stored(review)
    # Only the article's own PMID counts, not the dozens cited in CommentsCorrections.
    assert set(stored) == {"27797938", "30108519"}
    telomere = stored["27797938"]
    assert telomere.title == ("Leucocyte telomere length, genetic variants at the TERT gene region and risk of"
                              " pancreatic cancer.")
    assert "linkage disequilibrium r2<0.25" in telomere.abstract  # <sup>2</sup>&lt;0.25
    assert telomere.pmcid == "PMC5442267"
    assert telomere.keywords == ["PANCREATIC CANCER"]
    lactate = stored["30108519"]
    assert lactate.title.startswith('A "Blood Relationship" Between the Overlooked Minimum Lactate')
    assert "(LEmin)" in lactate.abstract and "(P < 0.001; ES: 3.54)" in lactate.abstract
    assert not re.search(r"</?(sub|sup|i|mml:\w+)[ >]", lactate.abstract)  # MathML and inline tags flattened


@realdata
def test_pubmed_collective_author_season_date_keywords_and_book_less_fields(review) -> None:
    for name in ("pubmed1.xml", "pubmed2.xml", "pubmed5.xml", "pubmed7.xml"):
        review.import_file(fixture_path("pubmed", name))
    stored = _stored(review)
    assert stored["29963580"].authors[-1] == "Canadian Respiratory Research Network"
    assert stored["29963580"].doi == "10.1117/1.jmi.5.2.026002"
    aids = stored["12091962"]
    assert (aids.year, aids.pages, aids.doi, aids.abstract) == (1990, "113-25", None, None)  # Spring 1990
    assert aids.keywords == ["Health Care and Public Health", "Legal Approach"]
    assert stored["9997"].doi == "10.1016/0005-2795(76)90109-4"
    assert stored["9997"].extra["pii"] == "0005-2795(76)90109-4"
    assert stored["11700088"].extra["medline_status"] == "PubMed-not-MEDLINE"
    assert stored["28775130"].abstract.startswith("OBJECTIVES: Animal studies suggest")
    assert "pesticides" in stored["28775130"].keywords


@realdata
@pytest.mark.parametrize("name", sorted(PUBMED_OTHER_FILES))
def test_non_record_eutilities_file_is_refused_naming_what_it_is(review, name: str) -> None:
    path = fixture_path("pubmed", name)
    with pytest.raises(ImportFormatError) as caught:
        review.import_file(path, format="pubmed-xml")
    message = str(caught.value)
    assert message.startswith(str(path))
    assert "PubmedArticleSet" in message and PUBMED_OTHER_FILES[name] in message
    _assert_nothing_stored(review)


@realdata
@pytest.mark.parametrize("name", sorted(PUBMED_OTHER_FILES))
def test_non_record_eutilities_file_is_not_detected_as_any_format(name: str) -> None:
    path = fixture_path("pubmed", name)
    with pytest.raises(ImportFormatError, match="a recognised format"):
        detect_format(path, read_head(path, "utf-8"))


@realdata
def test_truncated_pubmed_file_names_file_line_and_record_and_stores_nothing(review, tmp_path: Path) -> None:
    data = fixture_path("pubmed", "pubmed1.xml").read_bytes()
    cut = data.index(b"<PMID Version=\"1\">9997</PMID>") + 200  # inside the second article
    truncated = tmp_path / "truncated.xml"
    truncated.write_bytes(data[:cut])
    with pytest.raises(ImportFormatError) as caught:
        review.import_file(truncated)
    error = caught.value
    assert error.path == truncated and error.record == 2 and error.line == data[:cut].count(b"\n") + 1
    assert "well-formed XML" in str(error)
    _assert_nothing_stored(review)


@realdata
def test_mismatched_tag_is_reported_at_its_line(review, tmp_path: Path) -> None:
    text = fixture_path("pubmed", "pubmed4.xml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.xml"
    broken.write_text(text.replace("</ArticleTitle>", "</ArticleTitl>", 1), encoding="utf-8")
    line = text[:text.index("</ArticleTitle>")].count("\n") + 1
    with pytest.raises(ImportFormatError) as caught:
        review.import_file(broken, format="pubmed-xml")
    assert caught.value.line == line and "ArticleTitl" in str(caught.value)
    _assert_nothing_stored(review)


@realdata
def test_article_without_pmid_is_an_error_naming_the_record(review, tmp_path: Path) -> None:
    text = fixture_path("pubmed", "pubmed2.xml").read_text(encoding="utf-8")
    no_pmid = tmp_path / "no-pmid.xml"
    no_pmid.write_text(text.replace('<PMID Version="1">11700088</PMID>', "", 1), encoding="utf-8")
    with pytest.raises(ImportFormatError, match="PMID") as caught:
        review.import_file(no_pmid)
    assert caught.value.record == 2
    _assert_nothing_stored(review)


def test_empty_article_set_imports_zero_records(review, tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_text('<?xml version="1.0" ?>\n<PubmedArticleSet></PubmedArticleSet>\n', encoding="utf-8")
    assert review.import_file(empty).records == 0


def test_json_given_as_pubmed_xml_is_a_syntax_error_at_line_one(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="well-formed XML") as caught:
        list(parse_pubmed_articles(io.BytesIO(b'{"esearchresult": {}}'), where="efetch page 3"))
    assert str(caught.value).startswith("efetch page 3:1")


@realdata
def test_parse_pubmed_articles_reads_an_open_binary_stream() -> None:
    data = fixture_path("pubmed", "pubmed1.xml").read_bytes()
    records = list(parse_pubmed_articles(io.BytesIO(data)))
    assert [record.pmid for record in records] == ["12091962", "9997"]


def test_book_article_is_read(tmp_path: Path) -> None:
    # No efetch book record is among the fixtures; this one follows BookDocument in pubmed_250101.dtd.
    book = tmp_path / "book.xml"
    book.write_text(
        '<?xml version="1.0" ?>\n<PubmedArticleSet><PubmedBookArticle><BookDocument>'
        '<PMID Version="1">20301295</PMID><ArticleIdList><ArticleId IdType="bookaccession">NBK1116'
        '</ArticleId></ArticleIdList><Book><Publisher><PublisherName>University of Washington, Seattle'
        '</PublisherName></Publisher><BookTitle book="gene">GeneReviews<sup>®</sup></BookTitle>'
        "<PubDate><Year>1993</Year></PubDate></Book><ArticleTitle>Cystic Fibrosis</ArticleTitle>"
        "<Language>eng</Language><AuthorList Type=\"authors\"><Author><LastName>Ong</LastName>"
        "<ForeName>Thida</ForeName><Initials>T</Initials></Author></AuthorList>"
        '<Abstract><AbstractText Label="CLINICAL CHARACTERISTICS">Cystic fibrosis affects the lungs.'
        "</AbstractText></Abstract></BookDocument></PubmedBookArticle></PubmedArticleSet>\n",
        encoding="utf-8")
    [record] = parse_pubmed_articles(book)
    assert (record.pmid, record.title, record.year, record.authors) == ("20301295", "Cystic Fibrosis", 1993,
                                                                        ["Ong, T"])
    assert record.abstract == "CLINICAL CHARACTERISTICS: Cystic fibrosis affects the lungs."
    assert record.extra["book_title"] == "GeneReviews®"
    assert etree.fromstring(record.raw).tag == "PubmedBookArticle"


@realdata
@pytest.mark.slow
def test_pubmed_parser_memory_stays_flat_on_a_large_file(tmp_path: Path) -> None:
    generator = _generator()
    articles = generator.fixture_articles(fixture_path("pubmed"))
    path = generator.write_pubmed_set(tmp_path / "large.xml", 3000, articles)
    file_mb = path.stat().st_size / 1e6
    assert file_mb > 40

    def growth_mb(parse: str) -> float:
        # The peak is read from /proc (VmHWM, in kB), not getrusage: Linux carries ru_maxrss
        # over an exec, so a child of a large test process would start at the parent's peak.
        script = (
            "import re, sys\n"
            "from pathlib import Path\n"
            "from lxml import etree\n"
            "from livingreview.importers.pubmed_xml import parse_pubmed_articles\n"
            "def peak_kb():\n"
            "    return int(re.search(r'VmHWM:\\s+(\\d+)', Path('/proc/self/status').read_text()).group(1))\n"
            "before = peak_kb()\n"
            f"{parse}\n"
            "print((peak_kb() - before) / 1024)\n"
        )
        finished = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True,
                                  check=True)
        return float(finished.stdout)

    streaming = growth_mb("assert sum(1 for _ in parse_pubmed_articles(Path(sys.argv[1]))) == 3000")
    # The same measurement on a whole-tree parse shows it can see a file held in memory.
    whole_tree = growth_mb("tree = etree.parse(sys.argv[1]); assert len(tree.getroot()) == 3000")
    assert whole_tree > file_mb / 2
    assert streaming < file_mb / 10


# --- Europe PMC -----------------------------------------------------------------------------------

@realdata
@pytest.mark.parametrize("name", sorted(EUROPEPMC_FILES))
def test_europepmc_file_imports_every_result_with_verbatim_raw(review, name: str) -> None:
    path = fixture_path("europepmc", name)
    text = path.read_text(encoding="utf-8")
    results = json.loads(text)["resultList"]["result"]
    assert len(results) == EUROPEPMC_FILES[name]

    result = review.import_file(path)

    assert (result.format, result.records) == ("europepmc-json", len(results))
    stored = review.store.records()
    assert [r.source_id for r in stored] == [f"{item['source']}:{item['id']}" for item in results]
    for record, item in zip(stored, results, strict=True):
        assert record.raw in text and json.loads(record.raw) == item
        assert record.pmid == item.get("pmid")


@realdata
def test_europepmc_core_result_fields(review) -> None:
    review.import_file(fixture_path("europepmc", "search_cancer_core.json"))
    record = _stored(review)["MED:40468710"]
    assert record.title == ("The role of psychological flexibility in relation to health outcomes in people in"
                            " remission from cancer.")
    assert record.abstract.startswith("Objective: This study investigated whether psychological flexibility")
    assert " Design: This was an online, prospective" in record.abstract  # <h4> headings become labels
    assert "significantly (at p < .001) predicted anxiety" in record.abstract  # a comparison, not a tag
    assert not re.search(r"</?(h4|sub|i|b)>", record.abstract)
    assert record.authors[0] == "Al-Abbadey, M"
    assert (record.journal, record.year, record.volume, record.issue, record.pages) == (
        "British journal of health psychology", 2025, "30", "3", "e12807")
    assert record.doi == "10.1111/bjhp.12807" and record.language == "eng"
    assert "Neoplasms" in record.mesh and record.extra["mesh_qualifiers"]["Neoplasms"] == ["psychology", "therapy"]
    assert "Psychological Flexibility" in record.keywords
    assert record.extra["journal_iso"] == "Br J Health Psychol"


@realdata
def test_europepmc_lite_result_fields(review) -> None:
    review.import_file(fixture_path("europepmc", "search_cancer.json"))
    record = _stored(review)["MED:39709209"]
    assert record.authors == ["Schoenfeld, JD", "Haas-Kogan, DA", "O'Neill, AF"]
    assert (record.journal, record.volume, record.issue, record.pages) == ("Lancet", "404", "10471", "2603-2604")
    assert record.doi == "10.1016/s0140-6736(24)02600-x" and record.pmid == "39709209"
    assert _stored(review)["MED:39709208"].pmcid == "PMC12124214"


@realdata
def test_parse_europepmc_page_returns_paging_and_canonical_raw() -> None:
    payload = json.loads(fixture_path("europepmc", "search_cancer_page2.json").read_text(encoding="utf-8"))
    records, paging = parse_europepmc_page(payload, where="page 2")
    assert paging == {"hitCount": 5059039, "nextCursorMark": "AoIIP4lkIig1MzE0NTMwOA=="}
    assert [json.loads(r.raw) for r in records] == payload["resultList"]["result"]


@realdata
def test_europepmc_idlist_results_carry_identifiers_only(review) -> None:
    review.import_file(fixture_path("europepmc", "search_cancer_idlist.json"))
    stored = review.store.records()
    assert len(stored) == 25 and all(r.pmid and r.title is None for r in stored)


def test_europepmc_json_without_result_list_names_the_missing_key(review, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"version": "6.9", "hitCount": 3, "request": {}}), encoding="utf-8")
    with pytest.raises(ImportFormatError, match="'resultList' is missing.*hitCount, request, version"):
        review.import_file(wrong, format="europepmc-json")
    _assert_nothing_stored(review)


@realdata
def test_truncated_europepmc_json_names_file_and_line(review, tmp_path: Path) -> None:
    text = fixture_path("europepmc", "search_cancer_core.json").read_text(encoding="utf-8")
    truncated = tmp_path / "truncated.json"
    truncated.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(ImportFormatError, match="not valid JSON") as caught:
        review.import_file(truncated)
    assert caught.value.path == truncated and caught.value.line == text[: len(text) // 2].count("\n") + 1
    _assert_nothing_stored(review)


@realdata
def test_europepmc_result_without_id_names_record_and_line(review, tmp_path: Path) -> None:
    path = fixture_path("europepmc", "search_cancer.json")
    payload = json.loads(path.read_text(encoding="utf-8"))
    del payload["resultList"]["result"][3]["id"]
    broken = tmp_path / "no-id.json"
    text = json.dumps(payload, indent=2)
    broken.write_text(text, encoding="utf-8")
    fourth = text.index('"source": "MED"', text.index(payload["resultList"]["result"][3]["pmid"]) - 200)
    with pytest.raises(ImportFormatError, match="'id' and 'source'") as caught:
        review.import_file(broken)
    assert caught.value.record == 4
    assert caught.value.line is not None and caught.value.line < text[:fourth].count("\n") + 1
    _assert_nothing_stored(review)


# --- ClinicalTrials.gov ---------------------------------------------------------------------------

@realdata
def test_ctgov_study_imports_with_outcome_measures_and_verbatim_raw(review) -> None:
    path = fixture_path("ctgov", "NCT02513394.json")
    study = json.loads(path.read_text(encoding="utf-8"))
    result = review.import_file(path)
    assert (result.format, result.records) == ("ctgov-json", 1)
    [record] = review.store.records()
    assert record.source == "ctgov" and record.source_id == "NCT02513394" and record.nct_ids == ["NCT02513394"]
    assert json.loads(record.raw) == study
    assert record.title.startswith("PALbociclib CoLlaborative Adjuvant Study: A Randomized Phase III Trial")
    assert record.extra["brief_title"] == "PALbociclib CoLlaborative Adjuvant Study"
    assert record.abstract.startswith("This is a prospective, two arm, international, multicenter")
    assert "The purpose of the PALLAS study" in record.abstract  # detailed description appended
    assert record.year == 2015 and record.extra["start_date"] == "2015-08"
    assert record.extra["phases"] == ["PHASE3"] and record.extra["enrollment"] == 5796
    assert record.extra["design"]["allocation"] == "RANDOMIZED"
    assert {"type": "DRUG", "name": "Palbociclib"} in record.extra["interventions"]
    assert "Breast Cancer" in record.keywords and "Breast Neoplasms" in record.mesh
    posted = study["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]
    assert record.extra["outcome_measures"] == [
        {"title": m["title"], "type": m["type"], "timeFrame": m["timeFrame"]} for m in posted]
    assert record.extra["outcome_measures"][0]["type"] == "PRIMARY"


@realdata
def test_ctgov_studies_page_with_paging(review, tmp_path: Path) -> None:
    # A /studies page assembled around the real study (fixtures README): itself, and a copy under another
    # NCT number without posted results, whose outcomes then come from the protocol.
    study = json.loads(fixture_path("ctgov", "NCT02513394.json").read_text(encoding="utf-8"))
    unposted = json.loads(json.dumps(study))
    unposted["protocolSection"]["identificationModule"]["nctId"] = "NCT09999999"
    del unposted["resultsSection"]
    page = {"studies": [study, unposted], "nextPageToken": "NF0g5JGBlPM", "totalCount": 2}
    path = tmp_path / "studies-page.json"
    text = json.dumps(page, indent=2)
    path.write_text(text, encoding="utf-8")

    records, next_page, total = parse_ctgov_page(page, where=str(path))
    assert (next_page, total, [r.source_id for r in records]) == ("NF0g5JGBlPM", 2, ["NCT02513394", "NCT09999999"])
    assert review.import_file(path).records == 2
    stored = _stored(review)
    assert stored["NCT09999999"].raw in text and json.loads(stored["NCT09999999"].raw) == unposted
    protocol_outcomes = unposted["protocolSection"]["outcomesModule"]
    assert stored["NCT09999999"].extra["outcome_measures_from"] == "protocolSection"
    assert [m["type"] for m in stored["NCT09999999"].extra["outcome_measures"]] == (
        ["PRIMARY"] * len(protocol_outcomes["primaryOutcomes"])
        + ["SECONDARY"] * len(protocol_outcomes["secondaryOutcomes"]))


@realdata
def test_ctgov_study_without_nct_id_names_record(review, tmp_path: Path) -> None:
    study = json.loads(fixture_path("ctgov", "NCT02513394.json").read_text(encoding="utf-8"))
    broken = json.loads(json.dumps(study))
    del broken["protocolSection"]["identificationModule"]["nctId"]
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"studies": [study, broken], "totalCount": 2}, indent=1), encoding="utf-8")
    with pytest.raises(ImportFormatError, match="identificationModule.nctId") as caught:
        review.import_file(path)
    assert caught.value.record == 2 and caught.value.line is not None
    _assert_nothing_stored(review)


def test_ctgov_wrong_shape_names_the_missing_key(review, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"resultList": {"result": []}, "hitCount": 0}), encoding="utf-8")
    with pytest.raises(ImportFormatError, match="'studies' is missing"):
        review.import_file(wrong, format="ctgov-json")
    _assert_nothing_stored(review)


def test_parse_ctgov_study_without_protocol_section() -> None:
    with pytest.raises(ImportFormatError, match="'protocolSection'"):
        parse_ctgov_study({"studies": []})


@realdata
def test_ctgov_openapi_spec_is_not_a_study(review) -> None:
    spec = fixture_path("ctgov", "ctg-oas-v2.yaml")
    with pytest.raises(ImportFormatError, match="a recognised format"):
        review.import_file(spec)
    with pytest.raises(ImportFormatError, match="not valid JSON") as caught:
        review.import_file(spec, format="ctgov-json")
    assert caught.value.line == 1
    _assert_nothing_stored(review)


@realdata
def test_truncated_ctgov_json_names_file_and_line(review, tmp_path: Path) -> None:
    text = fixture_path("ctgov", "NCT02513394.json").read_text(encoding="utf-8")
    truncated = tmp_path / "NCT02513394-truncated.json"
    truncated.write_text(text[:5000], encoding="utf-8")
    with pytest.raises(ImportFormatError, match="not valid JSON") as caught:
        review.import_file(truncated)
    assert caught.value.path == truncated and caught.value.line == text[:5000].count("\n") + 1
    _assert_nothing_stored(review)


# --- detection ------------------------------------------------------------------------------------

@realdata
@pytest.mark.parametrize(
    ("folder", "name", "format"),
    [("pubmed", name, "pubmed-xml") for name in PUBMED_RECORD_FILES]
    + [("europepmc", name, "europepmc-json") for name in sorted(EUROPEPMC_FILES)]
    + [("ctgov", "NCT02513394.json", "ctgov-json")],
)
def test_format_is_detected_from_content(folder: str, name: str, format: str) -> None:
    path = fixture_path(folder, name)
    assert detect_format(path, read_head(path, "utf-8")) == format

