"""The PRISMA 2020 flow diagram (arithmetic, SVG, PNG), the checklist and the PRISMA-S table."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from _report_inputs import consistent_counts
from livingreview.errors import BadInput
from livingreview.report import (
    NOT_KNOWN,
    OtherMethods,
    PrismaCountError,
    SearchReport,
    checklist_items,
    fill_checklist,
    flow_diagram_svg,
    prisma_s_rows,
    write_flow_diagram,
)
from livingreview.report._flow_draw import PNG_SCALE
from livingreview.report._flow_layout import PAD_PX, flow_layout, text_width
from livingreview.report.checklist import SECTIONS

SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    """Each box's text, its wrapped lines joined again (no-break spaces read as spaces)."""
    root = ET.fromstring(svg)
    return [" ".join(word for span in text.iter(f"{SVG}tspan")
                     for word in "".join(span.itertext()).replace("\u00a0", " ").split())
            for text in root.iter(f"{SVG}text")]


def test_consistent_counts_pass_the_check_and_give_totals_across_versions():
    counts = consistent_counts()
    counts.check()
    assert counts.records_identified == 1153
    assert (counts.total_studies, counts.total_reports) == (21, 29)


@pytest.mark.parametrize(("change", "box"), [
    ({"records_screened": 831}, "Records screened"),
    ({"records_excluded": 751}, "Reports sought for retrieval"),
    ({"reports_not_retrieved": 5}, "Reports assessed for eligibility"),
    ({"reports_included": 17}, "Reports of included studies"),
    ({"reports_excluded": {"C1 not a human study": 80}}, "Reports excluded"),
    ({"studies_included": 19}, "Studies included"),
    ({"studies_included": 0}, "Studies included"),
    ({"duplicates_removed": -1}, "Duplicate records removed"),
    ({"databases": {"PubMed": 812.0, "Embase (import)": 300}}, "Databases: PubMed"),
])
def test_check_names_the_box_that_does_not_add_up(change, box):
    counts = replace(consistent_counts(), **change)
    with pytest.raises(PrismaCountError) as raised:
        counts.check()
    assert raised.value.box == box
    assert box in str(raised.value)


def test_check_follows_the_other_methods_column():
    counts = consistent_counts()
    broken = replace(counts, other_methods=replace(counts.other_methods, reports_assessed=3))
    with pytest.raises(PrismaCountError, match="Other methods: reports assessed") as raised:
        broken.check()
    assert "reports sought (5) minus reports not retrieved (1)" in str(raised.value)
    too_many = replace(counts, other_methods=OtherMethods({"Websites": 2}, 5, 1, 4, {}))
    with pytest.raises(PrismaCountError, match="5 sought from 2 identified"):
        too_many.check()


def test_counts_keep_their_own_copy_of_the_breakdowns():
    databases = {"PubMed": 812, "Embase (import)": 300}
    counts = replace(consistent_counts(), databases=databases)
    databases["PubMed"] = 0
    assert counts.databases["PubMed"] == 812
    with pytest.raises(TypeError):
        counts.databases["PubMed"] = 1  # type: ignore[index]


def test_diagram_that_does_not_add_up_is_never_drawn(tmp_path: Path):
    with pytest.raises(PrismaCountError):
        write_flow_diagram(replace(consistent_counts(), records_screened=1), tmp_path / "p.svg",
                           tmp_path / "p.png")
    assert list(tmp_path.iterdir()) == []


def test_svg_shows_every_box_of_an_updated_review_with_other_methods():
    texts = " | ".join(_texts(flow_diagram_svg(consistent_counts())))
    for expected in ("Databases (n = 1,112)", "PubMed (n = 812)", "Registers (n = 41)",
                     "ClinicalTrials.gov (n = 41)", "Duplicate records removed (n = 320)",
                     "Records screened (n = 830)", "Records excluded (n = 750)",
                     "Reports sought for retrieval (n = 80)", "Reports not retrieved (n = 4)",
                     "Reports assessed for eligibility (n = 76)", "Reports excluded (n = 60)",
                     "C2 not a clinical trial (n = 30)", "Citation searching (n = 10)",
                     "New studies included in review (n = 12)",
                     "Reports of new included studies (n = 18)",
                     "Total studies included in review (n = 21)",
                     "Reports of total included studies (n = 29)",
                     "Identification of new studies via other methods", "Previous studies"):
        assert expected in texts, expected
    assert "previous version of review (n = 9)" in texts


def test_first_version_without_other_methods_has_neither_column():
    counts = consistent_counts(previous=False, other=False)
    texts = " ".join(_texts(flow_diagram_svg(counts)))
    assert "Studies included in review (n = 12)" in texts
    assert "Reports of included studies (n = 16)" in texts
    assert "Total" not in texts and "Previous" not in texts and "other methods" not in texts


def test_names_from_sources_are_text_in_the_svg_never_markup():
    hostile = '<script>alert("x")</script> & Co \x1b[2J'
    counts = replace(consistent_counts(), databases={hostile: 812, "Embase (import)": 300})
    svg = flow_diagram_svg(counts)
    root = ET.fromstring(svg)
    assert not [element for element in root.iter() if element.tag.endswith("script")]
    assert "\x1b" not in svg
    assert any('<script>alert("x")</script> & Co' in text for text in _texts(svg))


@pytest.mark.parametrize("awaiting", [0, 3])
def test_every_line_fits_its_box_and_no_boxes_overlap(awaiting: int):
    long_reason = "C9 " + "a-very-long-unbroken-criterion-label-" * 3
    counts = replace(_awaiting(awaiting), reports_excluded={long_reason: 60})
    layout = flow_layout(counts)
    for box in layout.boxes:
        for line in box.lines:
            assert text_width(line.text, line.bold) <= box.width - 2 * PAD_PX, line.text
        assert len(box.lines) * 16 <= box.height
    for i, a in enumerate(layout.boxes):
        for b in layout.boxes[i + 1:]:
            overlap = (a.x < b.x + b.width and b.x < a.x + a.width
                       and a.y < b.y + b.height and b.y < a.y + a.height)
            assert not overlap, (a.lines[0], b.lines[0])


@pytest.mark.parametrize("awaiting", [0, 3])
def test_every_arrow_starts_and_ends_on_a_box_edge(awaiting: int):
    layout = flow_layout(_awaiting(awaiting))

    def on_edge(x: float, y: float) -> bool:
        return any((b.x <= x <= b.x + b.width and y in (b.y, b.y + b.height))
                   or (b.y <= y <= b.y + b.height and x in (b.x, b.x + b.width))
                   for b in layout.boxes)

    # 5 down the main column, 4 to its exclusion boxes, 1 from the previous version, 5 in and
    # out of the other-methods column, and one to the awaiting-classification box
    assert len(layout.arrows) == 15 + (awaiting > 0)
    for arrow in layout.arrows:
        assert on_edge(*arrow.points[0]) and on_edge(*arrow.points[-1]), arrow


def test_png_is_drawn_from_the_same_layout_at_twice_the_size(tmp_path: Path):
    counts = replace(consistent_counts(), registers={"Register $\\undefinedmacro{x}$": 41})
    write_flow_diagram(counts, tmp_path / "prisma.svg", tmp_path / "prisma.png")
    layout = flow_layout(counts)
    with Image.open(tmp_path / "prisma.png") as image:
        assert image.format == "PNG"
        assert image.size == (round(layout.width * PNG_SCALE), round(layout.height * PNG_SCALE))
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert len(colours) > 10  # text and fills drawn, not a blank canvas
    svg = (tmp_path / "prisma.svg").read_text(encoding="utf-8")
    assert re.search(r'width="%d"' % round(layout.width), svg)


def test_checklist_has_the_27_items_of_prisma_2020_in_order():
    items = checklist_items()
    assert sorted({item.number for item in items}) == list(range(1, 28))
    assert [item.number for item in items] == sorted(item.number for item in items)
    parts = {n: [i.id for i in items if i.number == n] for n in (10, 13, 16, 20, 23, 24)}
    assert parts == {10: ["10a", "10b"], 13: [f"13{c}" for c in "abcdef"], 16: ["16a", "16b"],
                     20: [f"20{c}" for c in "abcd"], 23: [f"23{c}" for c in "abcd"],
                     24: ["24a", "24b", "24c"]}
    order = [SECTIONS.index(item.section) for item in items]
    assert order == sorted(order)
    assert len({item.text for item in items}) == len(items)


def test_filled_checklist_says_where_each_known_item_is_answered():
    entries = fill_checklist({"16a": "PRISMA flow diagram", "7": "PRISMA-S table"})
    answers = {entry.item.id: entry.answer for entry in entries}
    assert answers["16a"] == "PRISMA flow diagram"
    assert answers["7"] == "PRISMA-S table"
    assert answers["1"] == answers["27"] == NOT_KNOWN
    with pytest.raises(BadInput, match="no item 16c, 28"):
        fill_checklist({"28": "x", "16c": "y"})


def test_prisma_s_rows_list_each_search_as_run():
    rows = prisma_s_rows([SearchReport("PubMed", "NCBI E-utilities", date(2026, 11, 30),
                                       "ketamine[tiab] AND empathy[tiab]", 1234, 1234, "2000-"),
                          SearchReport("ClinicalTrials.gov", "API v2", date(2026, 11, 29),
                                       "ketamine", None, 41)])
    assert rows[0] == {"Database": "PubMed", "Interface / platform": "NCBI E-utilities",
                       "Date run": "2026-11-30", "Query as sent": "ketamine[tiab] AND empathy[tiab]",
                       "Limits and filters": "2000-", "Hits reported": "1,234",
                       "Records retrieved": "1,234"}
    assert rows[1]["Hits reported"] == "not reported"
    assert rows[1]["Limits and filters"] == "none"


@pytest.mark.parametrize(("search", "message"), [
    (SearchReport("PubMed", "E-utilities", date(2026, 1, 1), "  ", 1, 1), "search 2: query is empty"),
    (SearchReport("PubMed", "E-utilities", "2026-01-01", "q", 1, 1),  # type: ignore[arg-type]
     "date_run must be a date"),
    (SearchReport("PubMed", "E-utilities", date(2026, 1, 1), "q", -3, 1), "hits_reported must be"),
])
def test_prisma_s_rejects_a_search_it_cannot_report(search, message):
    good = SearchReport("Embase", "Ovid", date(2026, 1, 1), "q", 1, 1)
    with pytest.raises(BadInput, match=message):
        prisma_s_rows([good, search])


def _awaiting(count: int):
    """consistent_counts with `count` of the 16 included reports left awaiting classification."""
    counts = consistent_counts()
    return replace(counts, reports_awaiting=count, reports_included=counts.reports_included - count)


def test_reports_awaiting_classification_count_between_excluded_and_included():
    counts = _awaiting(3)
    counts.check()  # 76 assessed = 60 excluded + 3 awaiting + 13, plus 2 via other methods
    with pytest.raises(PrismaCountError) as raised:
        replace(counts, reports_awaiting=4).check()
    assert raised.value.box == "Reports of included studies"
    assert "awaiting classification" in str(raised.value)
    with pytest.raises(PrismaCountError) as raised:
        replace(counts, reports_awaiting=17).check()
    assert raised.value.box == "Reports excluded"


def test_the_awaiting_box_sits_under_reports_excluded_with_its_own_arrow():
    layout = flow_layout(_awaiting(3))
    assessed = next(b for b in layout.boxes if b.lines[0].text.startswith("Reports assessed"))
    excluded = next(b for b in layout.boxes if b.lines[0].text.startswith("Reports excluded"))
    awaiting = next(b for b in layout.boxes if b.lines[0].text.startswith("Reports awaiting"))
    assert awaiting.x == excluded.x and awaiting.y >= excluded.y + excluded.height
    assert assessed.y <= excluded.y and awaiting.y + awaiting.height <= assessed.y + assessed.height
    ends = {arrow.points[-1] for arrow in layout.arrows}
    assert (awaiting.x, awaiting.y + awaiting.height / 2) in ends
    assert (excluded.x, excluded.y + excluded.height / 2) in ends
    assert len(layout.arrows) == 16  # one more than without the box
    assert "Reports awaiting classification (n = 3) eligibility not yet decided" in _texts(
        flow_diagram_svg(_awaiting(3)))
    assert not any("awaiting" in text for text in _texts(flow_diagram_svg(consistent_counts())))
