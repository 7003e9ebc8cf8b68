"""The text-format importers (RIS, MEDLINE, Web of Science, BibTeX, CSV/TSV) on real exports and
on small files written here for the cases the real exports do not cover.

Expected counts and fields were read off the fixture files themselves (grep for `TY  -`,
`PMID-`, data rows), not taken from what the importers return.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from conftest import fixture_path
from livingreview import Review
from livingreview.importers import ImportFormatError, detect_format, get_importer
from livingreview.importers.bibtex import latex_to_unicode
from livingreview.importers.encoding import detect_encoding
from livingreview.importers.service import read_head
from livingreview.records import Record


def _import(review: Review, path: Path, **kwargs: object) -> list[Record]:
    result = review.import_file(path, **kwargs)  # type: ignore[arg-type]
    assert not result.already_imported
    records = review.store.records("import_id = ?", (result.import_id,))
    assert result.records == len(records)
    return records


def _parse(name: str, path: Path, **options: object) -> list[Record]:
    return list(get_importer(name)(**options).parse(path, detect_encoding(path).name))


def _detected(path: Path) -> str:
    return detect_format(path, read_head(path, detect_encoding(path).name))


# --- real exports: counts and key fields ---------------------------------------------------------

# file -> (format, records, first title starts with, first author, year, doi)
RIS_FIXTURES = {
    "_baseline.ris": (100, "The Value of Radiologic Interventions and 18 F-DOPA PET",
                      "Blomberg, Björn A.", 2012, "10.1007/s11307-012-0572-0"),
    "baseline_zotero.ris": (100, "An open source machine learning framework for efficient",
                            "van de Schoot, Rens", 2021, "10.1038/s42256-020-00287-7"),
    "embase.ris": (6, "Duplication cysts: Diagnosis, management, and the role of endoscopic",
                   "Liu R.", 2014, "10.4103/2303-9027.138783"),
    "ovid_psycinfo.ris": (6, "The influence of self-criticism on depression symptoms",
                          "Trindade, Ines A", 2019, "10.1002/cpp.2398"),
    "ovid_zotero.ris": (6, "The influence of self-criticism on depression symptoms",
                        "Trindade, Ines A", 2019, "10.1002/cpp.2398"),
    "proquest.ris": (6, "Predictors of posttraumatic stress symptom trajectories following",
                     "Jones, Hannah", 2019, "10.1002/jts.22387"),
    "pubmed_zotero.ris": (6, "The importance of cognitive flexibility and flexibility in coping",
                          "Rudnik, Agata", 2019, "10.5114/pg.2018.81081"),
    "scopus.ris": (6, "Stress and the brain-gut axis in functional and chronic-inflammatory",
                   "Labanski, A.", 2020, "10.1016/j.psyneuen.2019.104501"),
    # An EndNote RIS export of PubMed records (AN holds the PMID, DP says NLM), named .txt.
    "pubmed_endnote.txt": (6, "Boswellia serrata: an overall assessment of in vitro",
                           "Abdel-Tawab, M.", 2011, "10.2165/11586800-000000000-00000"),
    # Citavi/Scopus RIS whose notes run over several untagged lines, some of them blank.
    "ris_issue_1099.txt": (7, "Design and prototyping of directly driven outer rotor",
                           "Vaimann, T.", 2018, "10.15598/aeee.v16i3.2698"),
    # Rayyan RIS with one keyword per untagged line under a single KW.
    "ris_issue_992.txt": (19, "Overcoming Medication Reconciliation Challenges", None, 2011, None),
    # Despite its name, this Web of Science export is RIS.
    "web_of_science.txt": (10, "Holding Yourself Captive: Perceptions of Custody During",
                           "Alceste, F", 2018, "10.1016/j.jarmac.2018.03.001"),
}


@pytest.mark.realdata
@pytest.mark.parametrize("name", sorted(RIS_FIXTURES))
def test_ris_exports_import_with_counts_and_key_fields(review: Review, name: str) -> None:
    count, title, author, year, doi = RIS_FIXTURES[name]
    path = fixture_path("exports", name)
    assert _detected(path) == "ris"
    records = _import(review, path)
    assert len(records) == count
    first = records[0]
    assert first.title and first.title.startswith(title)
    assert (first.authors[0] if first.authors else None) == author
    assert first.year == year
    assert first.doi == doi


@pytest.mark.realdata
@pytest.mark.parametrize("name", sorted(RIS_FIXTURES))
def test_ris_raw_is_the_verbatim_block(name: str) -> None:
    path = fixture_path("exports", name)
    with open(path, encoding=detect_encoding(path).name, newline="") as handle:
        text = handle.read()
    records = _parse("ris", path)
    position = 0
    for record in records:
        assert record.raw.startswith("TY  - ")
        assert record.raw.rstrip("\r\n").splitlines()[-1].startswith("ER  -")
        # Each block appears verbatim, in order, line endings included.
        position = text.index(record.raw, position) + len(record.raw)


@pytest.mark.realdata
def test_ris_pmids_come_from_the_tag_each_database_uses() -> None:
    endnote = _parse("ris", fixture_path("exports", "pubmed_endnote.txt"))
    assert endnote[0].normalise().pmid == "21553931"  # AN, with DP - NLM
    scopus = [r.normalise().pmid for r in _parse("ris", fixture_path("exports", "scopus.ris"))]
    assert scopus == [None, "31421429", "31627144", "31574429", "30704343", "31175206"]  # C2
    embase = [r.normalise().pmid for r in _parse("ris", fixture_path("exports", "embase.ris"))]
    assert embase[1] == "15368318"  # C5, present when DB lists Medline
    proquest = _parse("ris", fixture_path("exports", "proquest.ris"))
    assert all(r.pmid is None for r in proquest)  # AN there is ProQuest's own accession
    assert proquest[0].source_id == "2214991469; 51887"


@pytest.mark.realdata
def test_ris_untagged_lines_are_one_value_each_for_keywords() -> None:
    rayyan = _parse("ris", fixture_path("exports", "ris_issue_992.txt"))
    assert rayyan[0].keywords == [
        "Health Facility Administration", "Joint Commission", "Standards", "Medication Errors",
        "Prevention and Control", "Medication Reconciliation", "Organizational Compliance",
        "Quality Improvement", "Electronic Health Records", "Consumer Participation", "Literacy",
        "Medication History", "Patient Education"]
    endnote = _parse("ris", fixture_path("exports", "pubmed_endnote.txt"))
    assert len(endnote[0].keywords) == 10
    assert endnote[0].keywords[-1] == "Plant Extracts/adverse effects/pharmacokinetics/*pharmacology"
    assert "Abdel-Tawab, Mona" in str(endnote[0].extra["N1"])


@pytest.mark.realdata
def test_ris_notes_with_blank_continuation_lines_stay_in_their_field() -> None:
    records = _parse("ris", fixture_path("exports", "ris_issue_1099.txt"))
    assert "Export Date: 12 May 2022" in str(records[0].extra["U3"])
    # A2 holds editors (Ovid even puts cited authors there): not the record's authors.
    assert records[1].authors == ["van Acker, B.", "Vanommeslaeghe, Y.", "Meulenaere, P.", "Denil, J."]
    assert records[1].extra["A2"] == ["Babur O.", "Denil J.", "Vogel-Heuser B."]
    assert records[0].pages == "271-278" and records[0].volume == "16" and records[0].issue == "3"


@pytest.mark.realdata
def test_ovid_numbering_and_links_between_records_are_ignored() -> None:
    records = _parse("ris", fixture_path("exports", "ovid_psycinfo.ris"))
    assert [r.source_id for r in records][:2] == ["2019-65183-001", "2019-29490-001"]
    assert records[0].pages is None  # Ovid writes SP 'No' / EP 'Specified'
    assert records[1].pages == "847-856"
    assert all("Link to the Ovid" not in r.raw for r in records)


@pytest.mark.realdata
def test_asreview_decisions_in_zotero_notes_become_labels() -> None:
    records = _parse("ris", fixture_path("exports", "baseline_zotero.ris"))
    labels = [r.label for r in records]
    # N1 says ASReview_relevant 3 times, ASReview_irrelevant 3 times, ASReview_not_seen 94 times.
    assert (labels.count(1), labels.count(0), labels.count(None)) == (3, 3, 94)


@pytest.mark.realdata
def test_faulty_year_imports_the_record_without_a_year(review: Review) -> None:
    [record] = _import(review, fixture_path("exports", "faulty_year.ris"))
    assert record.year is None  # 'PY  - 10 15' holds no year
    assert record.extra["PY"] == "10 15"
    assert record.title and record.title.startswith("The Value of Radiologic Interventions")


@pytest.mark.realdata
def test_empty_ris_values_are_missing_not_empty_strings(review: Review) -> None:
    records = _import(review, fixture_path("exports", "baseline_empty_values.ris"))
    assert [(r.source_id, r.title, bool(r.abstract)) for r in records] == [
        ("1", "Title of reference", False), ("2", None, True),
        ("3", "Title of reference", False), ("4", None, True)]


MEDLINE_FIXTURES = {
    "pubmed_result1.txt": (["12230038"], "The Bio* toolkits--a brief overview.", "Mangalam, Harry", 2002),
    "pubmed_result2.txt": (["16403221", "16377612", "14871861", "14630660"],
                           "A high level interface to SCOP and ASTRAL implemented in python.",
                           "Casbon, James A", 2006),
    "pubmed_result3.txt": (["23039619"],
                           "Effects of different parameters in the fast scanning method for HIFU treatment.",
                           "Qiao, Shan", 2012),
}


@pytest.mark.realdata
@pytest.mark.parametrize("name", sorted(MEDLINE_FIXTURES))
def test_medline_files_import_with_counts_and_key_fields(review: Review, name: str) -> None:
    pmids, title, author, year = MEDLINE_FIXTURES[name]
    path = fixture_path("medline", name)
    assert _detected(path) == "medline"
    records = _import(review, path)
    assert [r.pmid for r in records] == pmids
    assert (records[0].title, records[0].authors[0], records[0].year) == (title, author, year)
    assert all(r.raw.startswith("PMID- ") for r in records)


@pytest.mark.realdata
def test_medline_continuations_identifiers_and_headings() -> None:
    [bio] = _parse("medline", fixture_path("medline", "pubmed_result1.txt"))
    assert bio.abstract and "toolkits with multiple functionality" in " ".join(bio.abstract.split())
    assert bio.mesh[0] == "*Computational Biology" and len(bio.mesh) == 7
    assert (bio.journal, bio.volume, bio.issue, bio.pages) == ("Briefings in bioinformatics", "3", "3", "296-302")
    scop = _parse("medline", fixture_path("medline", "pubmed_result2.txt"))[0]
    assert (scop.doi, scop.pmcid) == ("10.1186/1471-2105-7-10", "PMC1373603")
    assert scop.publication_types == ["Evaluation Studies", "Journal Article"]
    [hifu] = _parse("medline", fixture_path("medline", "pubmed_result3.txt"))
    assert "High-Intensity Focused Ultrasound Ablation/adverse effects/instrumentation/*methods" in hifu.mesh
    assert hifu.doi == "10.1118/1.4748329"


def test_medline_trial_numbers_and_keywords(tmp_path: Path) -> None:
    path = tmp_path / "export.nbib"
    path.write_text(
        "PMID- 30000001\nTI  - A trial.\nDP  - 2019 Jan\nSI  - ClinicalTrials.gov/NCT01234567\n"
        "SI  - ClinicalTrials.gov/NCT07654321\nOT  - ketamine\nOT  - empathy\nLA  - eng\n\n"
        "PMID- 30000002\nTI  - Another one,\n      wrapped.\nAU  - Doe J\n", encoding="utf-8")
    first, second = _parse("medline", path)
    assert first.nct_ids == ["NCT01234567", "NCT07654321"]
    assert first.keywords == ["ketamine", "empathy"] and first.year == 2019
    assert second.title == "Another one, wrapped." and second.authors == ["Doe J"]


@pytest.mark.realdata
def test_embase_csv(review: Review) -> None:
    path = fixture_path("exports", "embase.csv")
    assert _detected(path) == "csv"
    records = _import(review, path)
    assert len(records) == 6  # 7 lines: a header and six one-line rows
    first = records[0]
    assert first.title == "Duplication cysts: Diagnosis, management, and the role of endoscopic ultrasound"
    assert first.authors == ["Liu R.", "Adler D.G."]
    # From 'Endoscopic Ultrasound (2014) 3:3 (152-160). Date of Publication: 2014'.
    assert (first.journal, first.year, first.volume, first.issue, first.pages) == (
        "Endoscopic Ultrasound", 2014, "3", "3", "152-160")
    assert first.doi == "10.4103/2303-9027.138783"  # from the Open URL link
    assert "bronchogenic duplication cyst (diagnosis, surgery)" in first.keywords
    assert first.extra["Copyright"] == "Copyright 2014 Elsevier B.V., All rights reserved."
    assert records[2].year == 2019 and records[2].pages == "83-86" and records[2].issue is None


@pytest.mark.realdata
def test_missing_values_csv_keeps_rows_with_empty_cells(review: Review) -> None:
    records = _import(review, fixture_path("exports", "missing_values.csv"))
    assert [(r.title, bool(r.abstract)) for r in records] == [
        ("Title of reference", False), (None, True), ("Title of reference", False), (None, True)]


@pytest.mark.realdata
def test_duplicate_records_csv_is_read_whole_deduplication_comes_later(review: Review) -> None:
    path = fixture_path("exports", "duplicate_records.csv")
    records = _import(review, path)  # ';'-separated
    assert len(records) == 14
    assert [r.title for r in records[:3]] == ["a", "a", "b"]
    assert records[12].title is None and records[12].abstract is None  # cells of spaces only
    assert records[0].extra == {"some_column": "lorem"}
    # '10.1' and '10.4' are not DOIs (a DOI prefix has four or more digits); raw keeps them.
    assert records[0].doi is None and records[0].raw == "a;lorem;10.1;lorem\n"


@pytest.mark.realdata
def test_screening_dataset_csv_keeps_ids_and_labels(review: Review) -> None:
    records = _import(review, fixture_path("screening", "cohen2006_Antihistamines.csv"))
    assert len(records) == 310
    assert sum(r.label == 1 for r in records) == 16
    assert (records[0].source_id, records[0].pmid, records[0].year) == ("1", "10070306", 1999)
    assert records[0].authors[:2] == ["T Le Chevalier", "A Monnier"]
    assert records[0].label == 0 and records[0].extra == {"label_abstract_screening": "0"}


# --- CSV written here --------------------------------------------------------------------------

SCOPUS_HEADER = ('Authors,Author full names,Title,Year,Source title,Volume,Issue,Page start,'
                 'Page end,DOI,Abstract,Author Keywords,Index Keywords,PubMed ID,'
                 'Language of Original Document,Document Type,EID\n')


def test_scopus_csv_columns(tmp_path: Path) -> None:
    path = tmp_path / "scopus.csv"
    path.write_text(
        "\ufeff" + SCOPUS_HEADER
        + 'Labanski A.; Langhorst J.,"Labanski, Anna; Langhorst, Jost","Stress and the brain-gut axis",'
        '2020,Psychoneuroendocrinology,111,,104501,,10.1016/j.psyneuen.2019.104501,"An abstract,\n'
        'over two lines.",Brain-gut axis; Stress,hydrocortisone; human,31627144,English,Review,'
        '2-s2.0-85075380131\n', encoding="utf-8")
    assert _detected(path) == "csv"
    [record] = _parse("csv", path)
    assert record.authors == ["Labanski A.", "Langhorst J."]
    assert (record.title, record.year, record.journal, record.volume) == (
        "Stress and the brain-gut axis", 2020, "Psychoneuroendocrinology", "111")
    assert record.pages == "104501" and record.pmid == "31627144" and record.language == "English"
    assert record.keywords == ["Brain-gut axis", "Stress", "hydrocortisone", "human"]
    assert record.source_id == "2-s2.0-85075380131" and record.publication_types == ["Review"]
    assert record.raw.endswith('"An abstract,\nover two lines.",Brain-gut axis; Stress,hydrocortisone;'
                               ' human,31627144,English,Review,2-s2.0-85075380131\n')
    assert record.extra == {"Author full names": "Labanski, Anna; Langhorst, Jost"}


def test_tsv_and_column_map(tmp_path: Path) -> None:
    path = tmp_path / "studies.tsv"
    path.write_text("Nummer\tTitel\tJahr\tEingeschlossen\n"
                    "A7\tKetamin und Empathie\t2021\tja\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="'Eingeschlossen' to hold 1/0"):
        _parse("csv", path, column_map={"title": "Titel", "record_id": "Nummer",
                                        "year": "Jahr", "label": "Eingeschlossen"})
    [record] = _parse("csv", path, column_map={"title": "Titel", "source_id": "Nummer", "year": "Jahr"})
    assert (record.title, record.source_id, record.year) == ("Ketamin und Empathie", "A7", 2021)
    assert record.extra == {"Eingeschlossen": "ja"}


def test_trial_numbers_and_web_of_science_tab_delimited_columns(tmp_path: Path) -> None:
    path = tmp_path / "savedrecs.txt"
    path.write_text("PT\tAU\tAF\tTI\tSO\tDE\tID\tPY\tDI\tPM\tUT\tClinical Trial Numbers\n"
                    "J\tDoe, J; Roe, R\tDoe, Jane; Roe, Richard\tA trial\tLANCET\tketamine; empathy\t"
                    "DEPRESSION\t2020\t10.1016/X.2020.1\t31234567\tWOS:000000000000001\t"
                    "NCT01234567, NCT07654321\n", encoding="utf-8")
    assert _detected(path) == "csv"
    [record] = _parse("csv", path)
    assert record.authors == ["Doe, Jane", "Roe, Richard"] and record.journal == "LANCET"
    assert (record.source_id, record.pmid, record.year) == ("WOS:000000000000001", "31234567", 2020)
    assert record.keywords == ["ketamine", "empathy"]
    assert record.nct_ids == ["NCT01234567", "NCT07654321"]
    assert record.extra == {"PT": "J", "AU": "Doe, J; Roe, R", "ID": "DEPRESSION"}


def test_zotero_csv_columns_and_pandas_style_numbers(tmp_path: Path) -> None:
    path = tmp_path / "zotero.csv"
    path.write_text('"Key","Item Type","Publication Year","Author","Title","Publication Title",'
                    '"Abstract Note","Manual Tags","Automatic Tags","included"\n'
                    '"ABCD1234","journalArticle","2019.0","Rudnik, Agata; Piotrowicz, Grazyna",'
                    '"Cognitive flexibility","Przeglad gastroenterologiczny","Text.","IBD; coping",'
                    '"quality of life","1.0"\n', encoding="utf-8")
    [record] = _parse("csv", path)
    assert (record.source_id, record.year, record.label) == ("ABCD1234", 2019, 1)
    assert record.authors == ["Rudnik, Agata", "Piotrowicz, Grazyna"]
    assert (record.journal, record.abstract) == ("Przeglad gastroenterologiczny", "Text.")
    assert record.keywords == ["IBD", "coping", "quality of life"]
    assert record.publication_types == ["journalArticle"]


def test_column_map_naming_a_missing_column_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "studies.csv"
    path.write_text("title,abstract\nA,B\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match=r"studies.csv:1: a column 'Titel' for field 'title'"):
        _parse("csv", path, column_map={"title": "Titel"})
    with pytest.raises(ImportFormatError, match="not 'colour'"):
        _parse("csv", path, column_map={"colour": "title"})


def test_csv_row_with_wrong_field_count_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text('title,abstract,year\nA,"B\nstill B",2020\nC,D\n', encoding="utf-8")
    with pytest.raises(ImportFormatError) as error:
        _parse("csv", path)
    assert (error.value.line, error.value.record) == (4, 2)
    assert "3 comma-separated fields as in the header, found 2" in str(error.value)


# --- Web of Science (no real tagged export among the fixtures; this follows the documented
# field tags and layout of a "Plain text" export) ---------------------------------------------

WOS_TEXT = """\ufeffFN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Alceste, F
   Luke, TJ
AF Alceste, Fabiana
   Luke, Timothy J.
TI Holding Yourself Captive: Perceptions of Custody During Interviews and
   Interrogations
SO JOURNAL OF APPLIED RESEARCH IN MEMORY AND COGNITION
LA English
DT Article
DE Police custody; Interview; Interrogation; Perception of
   freedom
ID PERSPECTIVE-TAKING; INNOCENCE
AB Police custody activates important legal safeguards.
C1 [Alceste, Fabiana] Butler Univ, Indianapolis, IN 46208 USA.
   [Luke, Timothy J.] Univ Gothenburg, Gothenburg, Sweden.
PY 2018
VL 7
IS 3
BP 387
EP 397
DI 10.1016/j.jarmac.2018.03.001
PM 30123456
UT WOS:000444108200009
ER

PT J
AU Wetmore, SA
TI On the power of secondary confession evidence
SO PSYCHOLOGY CRIME & LAW
PY 2014
AR 339
UT WOS:000333482900004
ER

EF
"""


def test_web_of_science_tagged_text(tmp_path: Path) -> None:
    path = tmp_path / "savedrecs.txt"
    path.write_text(WOS_TEXT, encoding="utf-8")
    assert _detected(path) == "wos"
    first, second = _parse("wos", path)
    assert first.authors == ["Alceste, Fabiana", "Luke, Timothy J."]
    assert first.title == "Holding Yourself Captive: Perceptions of Custody During Interviews and Interrogations"
    assert first.keywords == ["Police custody", "Interview", "Interrogation", "Perception of freedom",
                              "PERSPECTIVE-TAKING", "INNOCENCE"]
    assert (first.year, first.volume, first.issue, first.pages, first.doi, first.pmid) == (
        2018, "7", "3", "387-397", "10.1016/j.jarmac.2018.03.001", "30123456")
    assert first.source_id == "WOS:000444108200009" and first.publication_types == ["Article"]
    assert first.extra["C1"] == ["[Alceste, Fabiana] Butler Univ, Indianapolis, IN 46208 USA.",
                                 "[Luke, Timothy J.] Univ Gothenburg, Gothenburg, Sweden."]
    assert first.raw.startswith("PT J\n") and first.raw.endswith("ER\n")
    assert (second.authors, second.pages, second.year) == (["Wetmore, SA"], "339", 2014)


# --- BibTeX --------------------------------------------------------------------------------------

BIBTEX_TEXT = r"""% Encoding: UTF-8; questions to librarian@example.org
@string{jama = "Journal of the American Medical Association"}
@comment{JabRef keeps {its} settings here}
@Article{mueller2020,
  author   = {M{\"u}ller, J{\"o}rg and Ludwig van Beethoven and {World Health Organization}},
  title    = {The {MRI} of \'{e}l\`eves: {\"o}, \c{c}, \ss{} and 50\% --- done},
  journal  = jama,
  year     = 2020,
  month    = jun,
  volume   = "12",
  number   = {3},
  pages    = {100--110},
  doi      = {10.1000/xyz123},
  note     = "Part " # "two",
  keywords = {ketamine; empathy},
}

@book(knuth1984, title = {The {\TeX}book (with parens)}, author = "Donald E. Knuth", year = {1984})
"""


def test_bibtex_entries_strings_accents_and_months(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(BIBTEX_TEXT, encoding="utf-8")
    assert _detected(path) == "bibtex"
    article, book = _parse("bibtex", path)
    assert article.title == "The MRI of élèves: ö, ç, ß and 50% — done"
    assert article.authors == ["Müller, Jörg", "van Beethoven, Ludwig", "World Health Organization"]
    assert (article.journal, article.year, article.volume, article.issue, article.pages) == (
        "Journal of the American Medical Association", 2020, "12", "3", "100-110")
    assert article.extra == {"entry_type": "article", "month": "6", "note": "Part two"}
    assert article.keywords == ["ketamine", "empathy"] and article.source_id == "mueller2020"
    assert article.raw.startswith("@Article{mueller2020,") and article.raw.endswith("},\n}")
    assert (book.title, book.authors, book.year) == ("The TeXbook (with parens)", ["Knuth, Donald E."], 1984)


@pytest.mark.parametrize(("latex", "text"), [
    (r'{\"o}', "ö"), (r'\"{u}', "ü"), (r"\'e", "é"), (r"\v{s}", "š"), (r"\c c", "ç"),
    (r"\~{n}", "ñ"), (r"{\o}", "ø"), (r"\aa{}", "å"), (r"Ho\l{}ownia", "Hołownia"),
    (r"\'{\i}", "í"), (r"A \& B", "A & B"), (r"{{Nested}} braces", "Nested braces"),
    (r"\emph{in vivo} and \textbf {bold}", "in vivo and bold"),
])
def test_latex_accents(latex: str, text: str) -> None:
    assert latex_to_unicode(latex) == text


@pytest.mark.parametrize(("text", "line", "message"), [
    ("@article{a,\n  title = {Open\n}\n\n@article{b, title = {x}}\n", 5, "never closed"),
    ("@article{a,\n  title = {One}},\n  year = 2020\n}\n", 4, "entry that ended on line 2 early"),
    ("@article{a,\n  title = {x},\n  journal = undefinedmacro\n}\n", 3, "not 'undefinedmacro'"),
    ("@article{a,\n  title = {x}\n  year = 2020\n}\n", 3, "',' or '}' after the value of field 'title'"),
    ("A note }\n@article{a, title = {x}}\n", 1, "'}' outside any entry$"),
])
def test_bibtex_errors_name_the_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "broken.bib"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFormatError, match=message) as error:
        _parse("bibtex", path)
    assert error.value.line == line and error.value.path == path


# --- encodings -----------------------------------------------------------------------------------

RIS_ACCENTED = "TY  - JOUR\r\nTI  - Ketamin und Empathie – eine Übersicht\r\nAU  - Müller, Jörg\r\nER  - \r\n"


@pytest.mark.parametrize(("encoding", "detected", "warns"), [
    ("utf-8", "utf-8", False),
    ("utf-8-sig", "utf-8-sig", False),
    ("utf-16", "utf-16", False),  # Python writes a BOM first
    ("cp1252", "cp1252", True),
])
def test_encodings(review: Review, tmp_path: Path, encoding: str, detected: str, warns: bool) -> None:
    path = tmp_path / f"export-{encoding}.ris"
    path.write_bytes(RIS_ACCENTED.encode(encoding))
    result = review.import_file(path)
    assert (result.format, result.encoding, bool(result.warnings)) == ("ris", detected, warns)
    [record] = review.store.records("import_id = ?", (result.import_id,))
    assert record.title == "Ketamin und Empathie – eine Übersicht"
    assert record.authors == ["Müller, Jörg"]
    assert record.raw == RIS_ACCENTED


def test_latin1_fallback_when_cp1252_cannot_decode(tmp_path: Path) -> None:
    path = tmp_path / "odd.ris"
    # 0x81 is undefined in cp1252, so only latin-1 reads this file.
    path.write_bytes(b"TY  - JOUR\nTI  - Gr\xfc\xdfe \x81\nER  - \n")
    encoding = detect_encoding(path)
    assert encoding.name == "latin-1"
    assert encoding.warning and "not valid UTF-8" in encoding.warning and str(path) in encoding.warning
    assert _parse("ris", path)[0].title == "Grüße \x81"


def test_utf16_big_endian_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "be.ris"
    path.write_bytes(codecs.BOM_UTF16_BE + RIS_ACCENTED.encode("utf-16-be"))
    [record] = _parse("ris", path)
    assert record.authors == ["Müller, Jörg"]


# --- malformed files: error names the place, store keeps nothing --------------------------------

MALFORMED = {
    "no-er.ris": ("TY  - JOUR\nTI  - One\nER  - \nTY  - JOUR\nTI  - Two\nTY  - JOUR\nTI  - Three\nER  - \n",
                  6, 2, "'ER  -' to end the record that began on line 4"),
    "truncated.ris": ("TY  - JOUR\nTI  - One\nER  - \nTY  - JOUR\nTI  - Two\n", 5, 2, "file ends inside it"),
    "stray-er.ris": ("TY  - JOUR\nTI  - One\nER  - \nER  - \n", 4, 2, "no 'TY  -' began"),
    "junk.nbib": ("PMID- 1\nTI  - One\n\nPMID- 2\nTI  - Two\nthis line is neither\n", 6, 2,
                  "indented continuation"),
    "no-pmid.nbib": ("TI  - One\nAB  - Two\n", 1, 1, "a record starting with 'PMID- '"),
    "wos-no-er.txt": ("FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI One\nER\n\nPT J\nTI Two\n"
                      "PT J\nTI Three\nER\nEF\n", 9, 2, "'ER' to end the record that began on line 7"),
    "short-row.csv": ('title,abstract\nOne,"A\nB"\nTwo\n', 4, 2, "2 comma-separated fields"),
    "bad-quote.csv": ('title,abstract\nOne,A\n"Two" and more,B\n', 3, 2, "a well-formed comma row"),
    "open.bib": ("@article{one, title = {One}}\n@article{two,\n  title = {Two\n}\n", 4,
                 "starting on line 2", "never closed"),
}
_FORMAT_BY_SUFFIX = {"ris": "ris", "nbib": "medline", "txt": "wos", "csv": "csv", "bib": "bibtex"}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_files_are_refused_whole(review: Review, tmp_path: Path, name: str) -> None:
    text, line, record, message = MALFORMED[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFormatError, match=message) as error:
        review.import_file(path, format=_FORMAT_BY_SUFFIX[name.rsplit(".", 1)[1]])
    assert error.value.path == path and str(path) in str(error.value)
    assert (error.value.line, error.value.record) == (line, record)
    assert review.store.scalar("SELECT COUNT(*) FROM imports") == 0
    assert review.store.scalar("SELECT COUNT(*) FROM records") == 0
    assert list(review.imports_dir.iterdir()) == []  # the verbatim copy is removed again


def test_a_file_no_importer_recognises_is_refused(review: Review, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Just some notes.\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="a recognised format"):
        review.import_file(path)
    assert review.store.scalar("SELECT COUNT(*) FROM imports") == 0


@pytest.mark.parametrize(("name", "text"), [
    ("empty.ris", ""), ("header-only.csv", "title,abstract\n"), ("empty.bib", "% nothing\n"),
])
def test_files_without_records_are_errors(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    fmt = {"ris": "ris", "csv": "csv", "bib": "bibtex"}[name.rsplit(".", 1)[1]]
    with pytest.raises(ImportFormatError, match="at least one"):
        _parse(fmt, path)


def test_every_importer_declares_itself() -> None:
    for name in ("ris", "medline", "wos", "bibtex", "csv"):
        importer = get_importer(name)
        assert importer.name == name and importer.description and importer.extensions
    assert get_importer("csv").accepted_options() == ("column_map",)
    with pytest.raises(TypeError, match="no option"):
        get_importer("ris")(column_map={})


def test_gbk_export_is_read_as_gb18030_not_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "cnki.ris"
    text = "TY  - JOUR\nTI  - 氯胺酮对抑郁症患者共情能力的影响\nAU  - 王, 小明\nER  - \n"
    path.write_bytes(text.encode("gbk"))
    encoding = detect_encoding(path)
    assert encoding.name == "gb18030" and encoding.warning and "read as gb18030" in encoding.warning
    [record] = _parse("ris", path)
    assert (record.title, record.authors) == ("氯胺酮对抑郁症患者共情能力的影响", ["王, 小明"])


def test_western_accents_stay_cp1252_although_gb18030_could_decode_them(tmp_path: Path) -> None:
    path = tmp_path / "western.ris"
    text = "TY  - JOUR\nTI  - Grüße aus Köln: Ménière, café, naïve – Übersicht\nER  - \n"
    path.write_bytes(text.encode("cp1252"))
    assert detect_encoding(path).name == "cp1252"


def test_wos_tag_glued_to_its_value_is_still_a_tag(tmp_path: Path) -> None:
    path = tmp_path / "savedrecs.txt"
    path.write_text("FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAUGilles, H\n   Smith, J\n"
                    "TIKetamine and empathy\nPY 2020\nER\n\nEF\n", encoding="utf-8")
    [record] = _parse("wos", path)
    assert (record.authors, record.title, record.year) == (["Gilles, H", "Smith, J"], "Ketamine and empathy", 2020)


def test_csv_without_title_or_abstract_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text("doi,year\n10.1000/a,2020\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="a title or abstract column .* the header has 'doi', 'year'") as error:
        _parse("csv", path)
    assert error.value.line == 1


def test_csv_year_that_is_no_year_is_reported_not_dropped_silently(review: Review, tmp_path: Path) -> None:
    path = tmp_path / "years.csv"
    path.write_text("title,year\nOne,10 15\nTwo,2019\n", encoding="utf-8")
    result = review.import_file(path)
    assert result.records == 2
    assert result.warnings == (f"{path}:2: year '10 15' holds no four-digit year; left empty",)


def test_ris_with_one_space_before_the_dash(tmp_path: Path) -> None:
    path = tmp_path / "refworks.ris"
    path.write_text("TY - JOUR\nTI - Single spaced tags\nAU - Doe, J\nPY - 2020\nER - \n", encoding="utf-8")
    assert _detected(path) == "ris"
    [record] = _parse("ris", path)
    assert (record.title, record.authors, record.year) == ("Single spaced tags", ["Doe, J"], 2020)


def test_ris_pmcid_from_c2_or_a_pmc_link(tmp_path: Path) -> None:
    path = tmp_path / "pmc.ris"
    path.write_text("TY  - JOUR\nTI  - One\nC2  - PMC4354861\nER  - \n\n"
                    "TY  - JOUR\nTI  - Two\nL2  - https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7999968\nER  - \n\n"
                    "TY  - JOUR\nTI  - Three\nUR  - http://europepmc.org/articles/PMC3553406\nER  - \n\n"
                    "TY  - JOUR\nTI  - Four\nC2  - 30412345\nER  - \n", encoding="utf-8")
    assert [r.pmcid for r in _parse("ris", path)] == ["PMC4354861", "PMC7999968", "PMC3553406", None]
