"""Risk-of-bias forms: the built-in forms load, and a malformed form fails naming file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from livingreview.appraisal.forms import FormError, load_form, parse_form

GOOD = """\
tool = "mini"
name = "Mini tool"
version = "1"
source = "test"
levels = ["Low", "Some concerns", "High"]

[overall]
method = "rob2"

[[domains]]
id = "D1"
name = "Only domain"
short = "Only"

[[domains.questions]]
id = "1.1"
text = "First?"
answers = ["Y", "N", "NI"]

[[domains.questions]]
id = "1.2"
text = "Second?"
answers = ["Y", "N"]
asked_if = "1.1 in N|NI"

[[domains.rules]]
when = "1.1 in Y"
judgement = "Low"
[[domains.rules]]
when = "1.2 in Y"
judgement = "Some concerns"
[[domains.rules]]
when = "1.2 in N"
judgement = "High"
"""


def test_builtin_rob2_has_five_domains_per_aim_and_paraphrased_questions() -> None:
    form = load_form("rob2")
    for aim in ("assignment", "adherence"):
        assert [d.id for d in form.domains_for(aim)] == ["D1", "D2", "D3", "D4", "D5"]
    d2 = {aim: next(d for d in form.domains_for(aim) if d.id == "D2") for aim in form.aims}
    assert [q.id for q in d2["assignment"].questions] == [f"2.{i}" for i in range(1, 8)]
    assert [q.id for q in d2["adherence"].questions] == [f"2.{i}" for i in range(1, 7)]
    assert len(d2["assignment"].parts) == 2
    question_ids = [q.id for d in form.domains_for("assignment") for q in d.questions]
    assert len(question_ids) == 22  # 3 + 7 + 4 + 5 + 3


def test_builtin_robins_i_lists_v2_domains_judged_directly() -> None:
    form = load_form("robins-i")
    assert [d.short for d in form.domains] == [
        "Confounding", "Classification", "Selection", "Deviations", "Missing data", "Measurement",
        "Reported result",
    ]  # fmt: skip
    assert all(d.judged_directly and not d.questions for d in form.domains)
    assert "Low (except for concerns about uncontrolled confounding)" in form.domains[0].levels
    assert form.overall_method == "most_severe"


def test_small_form_parses() -> None:
    form = parse_form(GOOD, "mini.toml")
    assert form.domains[0].questions[1].asked_if is not None


def _broken(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ('when = "1.2 in N"', 'when = "1.2 in Y"', 11, r"domains\[D1\]: no rule of 'rules' matches the answers 1\.1=N, 1\.2=N"),
        ('when = "1.2 in Y"\n', 'when = "1.1 in N|NI"\n', 33, r"rule '1\.2 in N' can never apply"),
        ('asked_if = "1.1 in N|NI"', 'asked_if = "1.3 in N"', 24, r"refers to 1\.3, which is not an earlier question"),
        ('asked_if = "1.1 in N|NI"', 'asked_if = "1.1 is N"', 24, r"cannot read clause '1\.1 is N'"),
        ('asked_if = "1.1 in N|NI"', 'asked_if = "1.1 in N and 1.1 in NI or 1.1 in Y"', 24, "not both"),
        ('asked_if = "1.1 in N|NI"', 'asked_if = "1.1 in NO"', 24, "'NO' is not an answer code"),
        ('judgement = "High"', 'judgement = "Critical"', 33, "'Critical' is not one of Low, Some concerns, High"),
        ('answers = ["Y", "N"]', 'answers = ["Y", "Maybe"]', 21, r"answers must be some of Y, PY, PN, N, NI, NA \(got \['Maybe'\]\)"),
        ('short = "Only"', 'short = "Only"\ncolour = "red"', 14, r"domains\[D1\]\.colour: unknown key"),
        ('method = "rob2"', 'method = "worst"', 8, "overall.method: must be one of rob2, most_severe"),
    ],
)
def test_malformed_form_names_line_key_and_problem(old: str, new: str, line: int, message: str) -> None:
    with pytest.raises(FormError, match=message) as caught:
        parse_form(_broken(old, new), "mini.toml")
    assert caught.value.path == "mini.toml"
    assert caught.value.line == line
    assert str(caught.value).startswith(f"mini.toml:{line}: ")


def test_toml_syntax_error_gives_its_line() -> None:
    with pytest.raises(FormError, match=r"mini.toml:3: \(syntax\)"):
        parse_form('tool = "x"\nname = "y"\nversion = \n', "mini.toml")


def test_overlay_must_insert_after_an_existing_domain() -> None:
    overlay = (
        'tool = "o"\nextends = "rob2"\nname = "n"\nversion = "1"\nsource = "s"\n'
        '[[domains]]\nid = "DX"\nafter = "D9"\nname = "x"\nshort = "x"\njudged_directly = true\n'
    )
    with pytest.raises(FormError, match=r"o.toml:8: domains\[DX\]\.after: no domain 'D9'"):
        parse_form(overlay, "o.toml")


def test_unknown_form_name_lists_the_builtin_forms(tmp_path: Path) -> None:
    with pytest.raises(FormError, match="built-in forms are rob2, rob2-crossover, robins-i"):
        load_form(str(tmp_path / "nope.toml"))
