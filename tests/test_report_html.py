"""The self-contained HTML report: sections, escaping, inlined figures, no external reference."""

from __future__ import annotations

import base64
import re
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from _report_inputs import HOSTILE_TITLE_AS_TEXT, consistent_counts, full_report_inputs
from livingreview import Review
from livingreview.errors import BadInput
from livingreview.report import (
    CITATIONS,
    NOT_YET_AVAILABLE,
    ChangesSinceLast,
    Figure,
    MethodsFacts,
    PreviousVersion,
    PrismaCountError,
    PrismaCounts,
    ReportInputs,
    SearchReport,
    SourceUse,
    methods_text,
    render_report,
)
from livingreview.report.service import INTERFACES, source_uses

SECTIONS = ("summary", "methods", "prisma", "characteristics", "outcomes", "evidence-map",
            "effect-direction", "forest-plots", "risk-of-bias", "summary-of-findings",
            "conclusions", "changes", "prisma-s", "checklist", "references")
# Every attribute or CSS construct through which a page can load something.
_REFERENCE = re.compile(r"""(?:\b(?:src|href|srcset|action|poster|data)\s*=\s*["']?([^"'\s>]*))"""
                        r"""|url\(\s*["']?([^"')]*)|@import""", re.IGNORECASE)


class _Page(HTMLParser):
    """Tags, the text of each section, and the `<img>` sources of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.images: list[str] = []
        self.sections: dict[str, str] = {}
        self._section: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        attributes = dict(attrs)
        if tag == "section":
            self._section = attributes["id"]
            self.sections[self._section or ""] = ""
        if tag == "img":
            self.images.append(attributes["src"] or "")

    def handle_data(self, data: str) -> None:
        if self._section is not None:
            self.sections[self._section] += data


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def full_inputs(tmp_path_factory: pytest.TempPathFactory) -> ReportInputs:
    return full_report_inputs(tmp_path_factory.mktemp("figures"))


@pytest.fixture(scope="module")
def full_report(full_inputs: ReportInputs, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Rendered once for the module: the tests below only read it."""
    return render_report(full_inputs, tmp_path_factory.mktemp("report"))


def test_full_report_has_every_section_filled(full_report: Path):
    page = _parse(full_report)
    assert full_report.name == "index.html"
    assert list(page.sections) == list(SECTIONS)
    for section, text in page.sections.items():
        assert NOT_YET_AVAILABLE not in text, section
    assert "MDMA" in page.sections["conclusions"]
    assert "pooled g > 0 with CI excluding 0" in page.sections["conclusions"]
    assert "Rule: at least two randomised studies" in page.sections["conclusions"]
    assert "57 new records" in page.sections["changes"]
    assert "g 0.31" in page.sections["changes"] and "unclear" in page.sections["changes"]
    assert "low" in page.sections["summary-of-findings"]
    assert (full_report.parent / "prisma.svg").exists()
    assert (full_report.parent / "prisma.png").exists()


def test_text_from_records_is_shown_as_text_never_as_markup(full_report: Path):
    html = full_report.read_text(encoding="utf-8")
    page = _parse(full_report)
    assert "script" not in page.tags
    assert "<script" not in html
    assert HOSTILE_TITLE_AS_TEXT in page.sections["characteristics"]
    assert HOSTILE_TITLE_AS_TEXT in page.sections["changes"]
    assert HOSTILE_TITLE_AS_TEXT in page.sections["summary"]
    assert "\x1b" not in html and "\x07" not in html


def test_report_references_nothing_outside_itself(full_report: Path):
    html = full_report.read_text(encoding="utf-8")
    references = [m.group(1) if m.group(1) is not None else (m.group(2) or "@import")
                  for m in _REFERENCE.finditer(html)]
    assert references, "the pattern must see the page's own images and anchors"
    outside = [r for r in references if not r.startswith(("data:image/", "#"))]
    assert outside == []
    assert re.search(r"https?://(?!www\.w3\.org/2000/svg)", html.split("<body>")[1]) is None
    assert "default-src 'none'" in html  # scripts and outside loads refused even if one slipped in


def test_figures_are_inlined_byte_for_byte(full_inputs: ReportInputs, full_report: Path):
    page = _parse(full_report)
    figures = [*full_inputs.evidence_map, *full_inputs.effect_direction,
               *full_inputs.forest_plots, *full_inputs.risk_of_bias]
    assert len(page.images) == len(figures)
    for source, figure in zip(page.images, figures, strict=True):
        kind = "svg+xml" if figure.path.suffix == ".svg" else "png"
        prefix = f"data:image/{kind};base64,"
        assert source.startswith(prefix)
        assert base64.b64decode(source[len(prefix):]) == figure.path.read_bytes()


def test_sections_without_inputs_say_not_yet_available(tmp_path: Path):
    bare = ReportInputs(title="A review", question="Does X change Y?", version=3,
                        generated=datetime(2026, 12, 1, tzinfo=timezone.utc))
    page = _parse(render_report(bare, tmp_path / "report"))
    missing = [s for s, text in page.sections.items() if NOT_YET_AVAILABLE in text]
    assert missing == [s for s in SECTIONS if s != "checklist"]
    assert "not known to the tool" in page.sections["checklist"]
    assert not (tmp_path / "report" / "prisma.svg").exists()


def test_first_version_says_there_is_nothing_to_compare(tmp_path: Path):
    first = ReportInputs(title="A review", question="Q?", version=1,
                         generated=datetime(2026, 12, 1, tzinfo=timezone.utc))
    page = _parse(render_report(first, tmp_path / "report"))
    assert "first version" in page.sections["changes"]


def test_checklist_in_the_report_points_at_the_sections_that_answer_it(full_report: Path):
    html = full_report.read_text(encoding="utf-8")
    row = re.search(r"<td>16a</td>.*?</tr>", html)
    assert row and "PRISMA 2020 flow diagram" in row.group(0)
    row = re.search(r"<td>15</td>.*?</tr>", html)
    assert row and "<td>Methods</td></tr>" in row.group(0)  # GRADE is among the methods used
    row = re.search(r"<td>1</td>.*?</tr>", html)
    assert row and "not known to the tool" in row.group(0)


def test_methods_paragraph_is_written_from_the_inputs():
    facts = MethodsFacts(tool_version="0.1.0",
                         sources=(SourceUse("PubMed", "searched", (date(2026, 11, 30),)),
                                  SourceUse("Europe PMC", "searched", (date(2026, 11, 30),))),
                         screeners=2, models={"ranker": "svm 1"},
                         methods=("rob2", "reml", "metafor", "grade"))
    text = methods_text(facts, 2, consistent_counts(other=False), date(2026, 12, 1))
    assert "version 2" in text.paragraph
    assert "We searched PubMed and Europe PMC on 2026-11-30." in text.paragraph
    assert "1,153 new records were identified" in text.paragraph and "21 studies in all" in text.paragraph
    assert "livingreview 0.1.0" in text.paragraph and "ranker svm 1" in text.paragraph
    assert "SWiM" not in text.paragraph and "hypergeometric" not in text.paragraph
    # numbered in the order first cited: PRISMA [1], RoB 2 [2], REML [3], metafor [4], GRADE [5]
    assert text.references == tuple(CITATIONS[k] for k in ("prisma2020", "rob2", "reml",
                                                           "metafor", "grade"))
    assert "restricted maximum likelihood [3], computed to agree with metafor [4]" in text.paragraph


def test_methods_paragraph_of_a_live_searched_review_names_each_database_with_its_interface_and_dates(
        review: Review):
    searched = [SearchReport("PubMed", INTERFACES["pubmed"], day, "ketamine[tiab]", 812, 812)
                for day in (date(2026, 11, 2), date(2026, 11, 30))]
    last = date(2026, 11, 30)
    searched += [SearchReport("Europe PMC", INTERFACES["europepmc"], last, "ketamine", 300, 300),
                 SearchReport("ClinicalTrials.gov", INTERFACES["ctgov"], last, "ketamine", None, 41)]
    facts = MethodsFacts(tool_version="0.1.0", sources=source_uses(review, searched), screeners=2,
                         methods=("prisma-s", "swim", "effect-direction"))
    counts = PrismaCounts(
        databases={"PubMed": 812, "Europe PMC": 300}, registers={"ClinicalTrials.gov": 41},
        duplicates_removed=320, removed_by_automation=0, removed_other=0, records_screened=833,
        records_excluded=753, reports_sought=80, reports_not_retrieved=4, reports_assessed=76,
        reports_excluded={"C1": 20, "C2": 30}, reports_awaiting=1, studies_included=22,
        reports_included=25)
    assert methods_text(facts, 1, counts, date(2026, 12, 1)).paragraph == (
        "This is version 1 of a living systematic review, reported following PRISMA 2020 [1]. "
        "We searched PubMed (NCBI E-utilities API), Europe PMC (Europe PMC REST API) and "
        "ClinicalTrials.gov (ClinicalTrials.gov API v2), first on 2026-11-02 and most recently on "
        "2026-11-30; each search is listed as it was run in the PRISMA-S table [2]. "
        "In all, 1,153 records were identified; after 320 duplicates were removed, 833 were "
        "screened on title and abstract, of which 753 were excluded. "
        "Of 80 reports sought, 4 could not be retrieved, and 76 were assessed in full: 50 were "
        "excluded, 1 awaits classification (eligibility not yet decided) and 22 studies (25 "
        "reports) were included. "
        "Records were screened by two reviewers working independently; the tool's criteria "
        "verdicts and active-learning ranking were offered as suggestions only. "
        "Results were synthesised without meta-analysis following SWiM [3], with effect-direction "
        "plots [4]. "
        "The report was generated on 2026-12-01 by livingreview 0.1.0.")


def test_methods_paragraph_says_when_reports_awaiting_classification_were_assessed_again():
    counts = PrismaCounts(
        databases={"Embase": 7}, registers={}, duplicates_removed=1, removed_by_automation=0,
        removed_other=0, records_screened=6, records_excluded=5, reports_sought=1,
        reports_not_retrieved=0, reports_assessed=2, reports_excluded={}, studies_included=2,
        reports_included=2, previous=PreviousVersion(studies=1, reports=1, awaiting=1))
    text = methods_text(MethodsFacts(tool_version="0.1.0"), 2, counts, date(2026, 12, 1)).paragraph
    assert ("In this version, 7 new records were identified; after 1 duplicate was removed, 6 were "
            "screened on title and abstract, of which 5 were excluded. The report sought was "
            "retrieved; with 1 report that awaited classification in the previous version, 2 were "
            "assessed in full: none was excluded and 2 new studies (2 reports) were included, "
            "3 studies in all.") in text


def test_methods_paragraph_claims_full_texts_only_as_far_as_the_review_holds_them():
    counts = PrismaCounts(
        databases={"Embase": 6}, registers={}, duplicates_removed=0, removed_by_automation=0,
        removed_other=0, records_screened=6, records_excluded=1, reports_sought=5,
        reports_not_retrieved=0, reports_assessed=5, reports_excluded={"C1": 1}, studies_included=4,
        reports_included=4, reports_full_text_held=2)
    text = methods_text(MethodsFacts(tool_version="0.1.0"), 1, counts, date(2026, 12, 1)).paragraph
    assert ("Of the 5 reports sought, none was recorded as not retrieved, and 5 were assessed for "
            "eligibility (the review holds the full texts of 2): 1 was excluded") in text
    every = methods_text(MethodsFacts(tool_version="0.1.0"), 1,
                         replace(counts, reports_full_text_held=5), date(2026, 12, 1)).paragraph
    assert "All 5 reports sought were retrieved and assessed in full: 1 was excluded" in every


def test_a_review_whose_records_were_not_searched_says_so_in_the_prisma_s_section(
        full_inputs: ReportInputs, tmp_path: Path):
    curated = MethodsFacts(tool_version="0.1.0", sources=(
        SourceUse("Curated citation list", "curated", (date(2026, 12, 1),), records=29),))
    page = _parse(render_report(replace(full_inputs, searches=(), methods=curated), tmp_path))
    assert NOT_YET_AVAILABLE not in page.sections["prisma-s"]
    assert "searched no database or register for this version" in page.sections["prisma-s"]
    searched = replace(curated, sources=(SourceUse("PubMed", "searched", (date(2026, 12, 1),)),))
    page = _parse(render_report(replace(full_inputs, searches=(), methods=searched), tmp_path))
    assert NOT_YET_AVAILABLE in page.sections["prisma-s"]  # searched, but no search row: not yet


def test_unknown_method_is_refused_with_the_known_ones():
    with pytest.raises(BadInput, match="unknown method cochrane-magic .*known: prisma2020"):
        MethodsFacts(tool_version="0.1.0", methods=("cochrane-magic",))


def test_report_refuses_counts_that_do_not_add_up(tmp_path: Path):
    inputs = ReportInputs(title="A review", question="Q?", version=2,
                          generated=datetime(2026, 12, 1, tzinfo=timezone.utc),
                          prisma=replace(consistent_counts(), records_excluded=700))
    with pytest.raises(PrismaCountError, match="Reports sought for retrieval"):
        render_report(inputs, tmp_path / "report")
    assert not (tmp_path / "report" / "index.html").exists()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("missing.png", None, "cannot read the figure"),
    ("plot.pdf", b"%PDF-1.4", "is not a figure"),
    ("fake.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "is not a valid PNG"),
    ("fake.svg", b"\x89PNG\r\n\x1a\n", "is not a valid SVG"),
])
def test_bad_figure_file_is_named(tmp_path: Path, name: str, content: bytes | None, message: str):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    inputs = ReportInputs(title="A review", question="Q?", version=1,
                          generated=datetime(2026, 12, 1, tzinfo=timezone.utc),
                          forest_plots=(Figure(path, "forest"),))
    with pytest.raises(BadInput) as raised:
        render_report(inputs, tmp_path / "report")
    assert str(raised.value).startswith(f"report, forest plots: {path}")
    assert message in str(raised.value)


def test_table_columns_and_cells_are_escaped_and_formatted(tmp_path: Path):
    inputs = ReportInputs(title="T", question="Q", version=1,
                          generated=datetime(2026, 12, 1, tzinfo=timezone.utc),
                          outcomes=[{"<b>study</b>": "A", "g": 0.4567, "p": 0.0012, "primary": True,
                                     "regions": ["amygdala", "insula"], "n": None, "N": 1234.0}])
    html = render_report(inputs, tmp_path / "report").read_text(encoding="utf-8")
    assert "<th scope=\"col\">&lt;b&gt;study&lt;/b&gt;</th>" in html
    assert ("<td>A</td><td>0.46</td><td>0.0012</td><td>yes</td><td>amygdala; insula</td><td></td>"
            "<td>1,234.00</td>") in html


@pytest.mark.parametrize(("change", "message"), [
    ({"version": 0}, "version must be a whole number >= 1, got 0"),
    ({"generated": datetime(2026, 12, 1, 10, 0)}, "must carry a time zone"),
    ({"changes": ChangesSinceLast(previous_version=2, new_records=1)},
     "version 2 cannot be compared with version 2"),
])
def test_report_inputs_refuse_an_impossible_version_or_time(change, message):
    fields = {"title": "T", "question": "Q", "version": 2,
              "generated": datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc), **change}
    with pytest.raises(BadInput, match=message):
        ReportInputs(**fields)


def test_generation_time_is_shown_in_utc(tmp_path: Path):
    local = datetime(2026, 12, 1, 12, 30, tzinfo=timezone(timedelta(hours=2)))
    inputs = ReportInputs(title="T", question="Q", version=1, generated=local)
    html = render_report(inputs, tmp_path / "report").read_text(encoding="utf-8")
    assert "generated 2026-12-01 10:30 UTC" in html
