"""Traffic-light and summary plots: files are written, with one row of circles per study."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.patches import Circle

from conftest import DATA
from livingreview.appraisal.algorithms import Assessment, appraise
from livingreview.appraisal.forms import load_form
from livingreview.appraisal.plots import (
    CELL_GID,
    LEVEL_STYLE,
    PlotDomain,
    PlotRow,
    rows_from_results,
    safe_label,
    save_figure,
    summary_plot,
    traffic_light,
)
from livingreview.appraisal.spreadsheet import read_appraisal_csv

ROB2_LEVELS = load_form("rob2").levels


def sample() -> tuple[tuple[PlotDomain, ...], tuple[PlotRow, ...]]:
    imported = read_appraisal_csv(DATA / "rob2_sample.csv")
    return rows_from_results([row.result for row in imported.rows], [row.weight for row in imported.rows])


def cells(figure) -> list[Circle]:
    return [p for p in figure.axes[0].patches if isinstance(p, Circle) and p.get_gid() == CELL_GID]


def test_traffic_light_has_a_circle_per_study_and_domain_plus_overall() -> None:
    domains, rows = sample()
    figure = traffic_light(domains, rows)
    circles = cells(figure)
    assert len(circles) == len(rows) * (len(domains) + 1) == 24
    assert sorted({c.center[1] for c in circles}) == [0, 1, 2, 3]
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert labels == ["Trial A (HAM-D week 6)", "Trial B (HAM-D week 6)", "Trial C (MADRS day 1)", "Trial D"]
    assert [t.get_text() for t in figure.axes[0].get_xticklabels()] == ["D1", "D2", "D3", "D4", "D5", "Overall"]


def test_traffic_light_colours_and_symbols_follow_the_judgements() -> None:
    domains, rows = sample()
    figure = traffic_light(domains, rows)
    trial_b = [c for c in cells(figure) if c.center[1] == 1]
    high = LEVEL_STYLE["High"][0]
    coloured_high = [c.center[0] for c in trial_b if c.get_facecolor()[:3] == _rgb(high)]
    assert coloured_high == [2, 5]  # D3 and Overall
    symbols = [t.get_text() for t in figure.axes[0].texts]
    assert symbols.count("+") == 15 and symbols.count("!") == 7 and symbols.count("\u2212") == 2


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plots_are_written_as_png_and_svg(tmp_path: Path, suffix: str) -> None:
    domains, rows = sample()
    light = save_figure(traffic_light(domains, rows, title="RoB 2"), tmp_path / f"light{suffix}")
    summary = save_figure(summary_plot(domains, rows, ROB2_LEVELS), tmp_path / f"summary{suffix}")
    for path in (light, summary):
        head = path.read_bytes()[:200]
        assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in path.read_bytes()[:2000]
        assert len(head) > 0


def test_svg_is_identical_on_a_second_run(tmp_path: Path) -> None:
    domains, rows = sample()
    first = save_figure(traffic_light(domains, rows), tmp_path / "a.svg").read_bytes()
    second = save_figure(traffic_light(domains, rows), tmp_path / "b.svg").read_bytes()
    assert first == second


def test_unknown_figure_format_is_refused(tmp_path: Path) -> None:
    domains, rows = sample()
    with pytest.raises(ValueError, match="written as .png or .svg"):
        save_figure(traffic_light(domains, rows), tmp_path / "plot.pdf")


def _bar_widths(figure) -> list[list[float]]:
    """Widths of the stacked segments (one per level), per bar from the first domain to overall."""
    containers = figure.axes[0].containers  # one bar container per level, bars in drawing order
    return [[c.patches[bar].get_width() for c in containers] for bar in range(len(containers[0].patches))]


def test_unweighted_summary_gives_the_share_of_studies_per_level() -> None:
    domains, rows = sample()
    widths = _bar_widths(summary_plot(domains, rows, ROB2_LEVELS))
    assert len(widths) == len(domains) + 1
    assert widths[2] == pytest.approx([0.75, 0.0, 0.25])  # D3: three Low, Trial B High
    assert widths[-1] == pytest.approx([0.25, 0.5, 0.25])  # overall
    assert all(sum(bar) == pytest.approx(1.0) for bar in widths)


def test_weighted_summary_uses_study_weights() -> None:
    domains, rows = sample()
    weighted = tuple(r if r.weight is not None else PlotRow(r.label, r.judgements, r.overall, 0.0) for r in rows)
    widths = _bar_widths(summary_plot(domains, weighted, ROB2_LEVELS, weighted=True))
    assert widths[2] == pytest.approx([65 / 100, 0.0, 35 / 100])  # Trial B weighs 35 of 100
    assert widths[0] == pytest.approx([75 / 100, 25 / 100, 0.0])  # Trial C (25) has some concerns


def test_weighted_summary_needs_every_weight() -> None:
    domains, rows = sample()
    with pytest.raises(ValueError, match="needs a weight for every study; 'Trial D' has none"):
        summary_plot(domains, rows, ROB2_LEVELS, weighted=True)


def test_not_assessed_domains_are_grey_and_left_out_of_the_summary() -> None:
    domains = (PlotDomain("D1", "One"), PlotDomain("D2", "Two"))
    rows = (PlotRow("a", ("Low", None), "Low"), PlotRow("b", ("High", "High"), "High"))
    circles = cells(traffic_light(domains, rows))
    assert circles[1].get_facecolor()[:3] == _rgb("#D9D9D9")
    assert _bar_widths(summary_plot(domains, rows, ROB2_LEVELS))[1] == pytest.approx([0.0, 0.0, 1.0])


def test_robins_i_traffic_light_has_seven_domains() -> None:
    form = load_form("robins-i")
    results = [
        appraise(form, Assessment(f"NRS {i}", direct={f"D{j}": "Moderate" if j == i else "Low" for j in range(1, 8)}))
        for i in range(1, 4)
    ]
    domains, rows = rows_from_results(results)
    figure = traffic_light(domains, rows)
    assert len(cells(figure)) == 3 * 8
    assert [r.overall for r in rows] == ["Moderate"] * 3


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Smith $x$ 2020", r"Smith \$x\$ 2020"),
        ("tab\there\x1b[31mred", "tab here [31mred"),
        ("a" * 50, "a" * 39 + "\u2026"),
    ],
)
def test_labels_are_escaped_and_cut(raw: str, shown: str) -> None:
    assert safe_label(raw) == shown


def test_dollar_label_is_drawn_literally() -> None:
    domains = (PlotDomain("D1", "One"),)
    figure = traffic_light(domains, (PlotRow("Cost $5 vs $10", ("Low",), "Low"),))
    figure.canvas.draw()
    label = figure.axes[0].get_yticklabels()[0]
    assert label.get_text() == r"Cost \$5 vs \$10"
    assert not label._text.startswith("$") and label.get_window_extent().width > 0
