"""RoB 2 and ROBINS-I algorithms: every leaf of every RoB 2 domain's decision tree, the overall
rules, overrides, and the errors for answer sets that break the conditional structure.

The leaf tables below are written from the flowcharts of the RoB 2 guidance (Sterne et al. BMJ
2019;366:l4898, full guidance of 22 August 2019), independently of the rules in forms/rob2.toml;
`_reference_*` re-implement each flowchart as nested ifs and are compared with the form's rules on
every answer set the conditions allow.
"""

from __future__ import annotations

import types

from collections.abc import Callable, Mapping

import pytest

from livingreview.appraisal.algorithms import (
    CONSIDER_HIGH,
    AnswerError,
    Assessment,
    Override,
    appraise,
    check_answers,
    group_answers,
    judge_domain,
    normalise_answer,
    overall_judgement,
)
from livingreview.appraisal.forms import Domain, answer_sets, load_form

LOW, SOME, HIGH = "Low", "Some concerns", "High"
YES, NO, NI = ("Y", "PY"), ("N", "PN"), ("NI",)

ROB2 = load_form("rob2")
CROSSOVER = load_form("rob2-crossover")
ROBINS = load_form("robins-i")


def domain(form_name: str, domain_id: str, aim: str = "assignment") -> Domain:
    form = load_form(form_name)
    return next(d for d in form.domains_for(aim) if d.id == domain_id)


def judge(form_name: str, domain_id: str, answers: dict[str, str], aim: str = "assignment") -> str:
    form = load_form(form_name)
    judgement, _, _ = judge_domain(form, "s1", domain(form_name, domain_id, aim), answers)
    return judgement


D1_LEAVES = [
    ({"1.1": "Y", "1.2": "N", "1.3": "N"}, HIGH),
    ({"1.1": "Y", "1.2": "PN", "1.3": "NI"}, HIGH),
    ({"1.1": "Y", "1.2": "NI", "1.3": "Y"}, HIGH),
    ({"1.1": "NI", "1.2": "NI", "1.3": "PY"}, HIGH),
    ({"1.1": "Y", "1.2": "NI", "1.3": "N"}, SOME),
    ({"1.1": "N", "1.2": "NI", "1.3": "NI"}, SOME),
    ({"1.1": "N", "1.2": "Y", "1.3": "N"}, SOME),
    ({"1.1": "PN", "1.2": "PY", "1.3": "Y"}, SOME),
    ({"1.1": "Y", "1.2": "Y", "1.3": "PY"}, SOME),
    ({"1.1": "NI", "1.2": "Y", "1.3": "Y"}, SOME),
    ({"1.1": "Y", "1.2": "Y", "1.3": "N"}, LOW),
    ({"1.1": "NI", "1.2": "PY", "1.3": "NI"}, LOW),
]

D2_ASSIGNMENT_LEAVES = [
    # part 1 low by blinding, part 2 low / some concerns / high
    ({"2.1": "N", "2.2": "PN", "2.6": "Y"}, LOW),
    ({"2.1": "N", "2.2": "N", "2.6": "N", "2.7": "PN"}, SOME),
    ({"2.1": "N", "2.2": "N", "2.6": "NI", "2.7": "NI"}, HIGH),
    # aware, no deviations from the trial context
    ({"2.1": "Y", "2.2": "N", "2.3": "N", "2.6": "PY"}, LOW),
    ({"2.1": "N", "2.2": "NI", "2.3": "PN", "2.6": "Y"}, LOW),
    # aware, no information on deviations
    ({"2.1": "Y", "2.2": "Y", "2.3": "NI", "2.6": "Y"}, SOME),
    # deviations not likely to matter
    ({"2.1": "Y", "2.2": "Y", "2.3": "Y", "2.4": "N", "2.6": "Y"}, SOME),
    # deviations that matter: balanced, or not / unknown
    ({"2.1": "Y", "2.2": "Y", "2.3": "PY", "2.4": "Y", "2.5": "Y", "2.6": "Y"}, SOME),
    ({"2.1": "Y", "2.2": "Y", "2.3": "Y", "2.4": "NI", "2.5": "PY", "2.6": "Y"}, SOME),
    ({"2.1": "Y", "2.2": "Y", "2.3": "Y", "2.4": "Y", "2.5": "N", "2.6": "Y"}, HIGH),
    ({"2.1": "Y", "2.2": "Y", "2.3": "Y", "2.4": "PY", "2.5": "NI", "2.6": "Y"}, HIGH),
    # the worse part wins
    ({"2.1": "Y", "2.2": "Y", "2.3": "NI", "2.6": "N", "2.7": "Y"}, HIGH),
]

D2_ADHERENCE_LEAVES = [
    ({"2.1": "N", "2.2": "N", "2.4": "N", "2.5": "PN"}, LOW),
    ({"2.1": "N", "2.2": "N", "2.4": "NA", "2.5": "NA"}, LOW),
    ({"2.1": "N", "2.2": "N", "2.4": "Y", "2.5": "N", "2.6": "Y"}, SOME),
    ({"2.1": "N", "2.2": "N", "2.4": "N", "2.5": "NI", "2.6": "NI"}, HIGH),
    ({"2.1": "Y", "2.2": "N", "2.3": "Y", "2.4": "N", "2.5": "N"}, LOW),
    ({"2.1": "Y", "2.2": "N", "2.3": "NA", "2.4": "PN", "2.5": "N"}, LOW),
    ({"2.1": "Y", "2.2": "Y", "2.3": "PY", "2.4": "NI", "2.5": "N", "2.6": "PY"}, SOME),
    ({"2.1": "Y", "2.2": "Y", "2.3": "Y", "2.4": "N", "2.5": "Y", "2.6": "N"}, HIGH),
    ({"2.1": "NI", "2.2": "N", "2.3": "N", "2.4": "N", "2.5": "N", "2.6": "Y"}, SOME),
    ({"2.1": "Y", "2.2": "Y", "2.3": "NI", "2.4": "N", "2.5": "N", "2.6": "PN"}, HIGH),
]

D3_LEAVES = [
    ({"3.1": "Y"}, LOW),
    ({"3.1": "PY"}, LOW),
    ({"3.1": "N", "3.2": "PY"}, LOW),
    ({"3.1": "NI", "3.2": "N", "3.3": "PN"}, LOW),
    ({"3.1": "PN", "3.2": "PN", "3.3": "Y", "3.4": "N"}, SOME),
    ({"3.1": "N", "3.2": "N", "3.3": "NI", "3.4": "PN"}, SOME),
    ({"3.1": "N", "3.2": "N", "3.3": "PY", "3.4": "Y"}, HIGH),
    ({"3.1": "N", "3.2": "N", "3.3": "Y", "3.4": "NI"}, HIGH),
]

D4_LEAVES = [
    ({"4.1": "Y", "4.2": "N"}, HIGH),
    ({"4.1": "PY", "4.2": "NI"}, HIGH),
    ({"4.1": "N", "4.2": "Y"}, HIGH),
    ({"4.1": "NI", "4.2": "PY"}, HIGH),
    # 4.2 N/PN branch
    ({"4.1": "N", "4.2": "N", "4.3": "N"}, LOW),
    ({"4.1": "N", "4.2": "PN", "4.3": "Y", "4.4": "N"}, LOW),
    ({"4.1": "PN", "4.2": "N", "4.3": "NI", "4.4": "NI", "4.5": "PN"}, SOME),
    ({"4.1": "N", "4.2": "N", "4.3": "Y", "4.4": "Y", "4.5": "Y"}, HIGH),
    ({"4.1": "N", "4.2": "N", "4.3": "Y", "4.4": "PY", "4.5": "NI"}, HIGH),
    # 4.2 NI branch: what would be Low is Some concerns
    ({"4.1": "N", "4.2": "NI", "4.3": "PN"}, SOME),
    ({"4.1": "NI", "4.2": "NI", "4.3": "Y", "4.4": "PN"}, SOME),
    ({"4.1": "N", "4.2": "NI", "4.3": "Y", "4.4": "Y", "4.5": "N"}, SOME),
    ({"4.1": "N", "4.2": "NI", "4.3": "Y", "4.4": "Y", "4.5": "PY"}, HIGH),
]

D5_LEAVES = [
    ({"5.1": "Y", "5.2": "Y", "5.3": "N"}, HIGH),
    ({"5.1": "Y", "5.2": "N", "5.3": "PY"}, HIGH),
    ({"5.1": "NI", "5.2": "NI", "5.3": "Y"}, HIGH),
    ({"5.1": "Y", "5.2": "N", "5.3": "PN"}, LOW),
    ({"5.1": "PY", "5.2": "PN", "5.3": "N"}, LOW),
    ({"5.1": "N", "5.2": "N", "5.3": "N"}, SOME),
    ({"5.1": "NI", "5.2": "PN", "5.3": "N"}, SOME),
    ({"5.1": "Y", "5.2": "NI", "5.3": "N"}, SOME),
    ({"5.1": "Y", "5.2": "N", "5.3": "NI"}, SOME),
]

DS_LEAVES = [
    ({"S.1": "Y", "S.3": "N"}, HIGH),
    ({"S.1": "N", "S.2": "Y", "S.3": "PN"}, HIGH),
    ({"S.1": "Y", "S.3": "Y"}, LOW),
    ({"S.1": "PN", "S.2": "PY", "S.3": "PY"}, LOW),
    ({"S.1": "NI", "S.2": "N", "S.3": "Y"}, SOME),
    ({"S.1": "Y", "S.3": "NI"}, SOME),
]


@pytest.mark.parametrize(("answers", "expected"), D1_LEAVES)
def test_rob2_randomisation_leaf(answers: dict[str, str], expected: str) -> None:
    assert judge("rob2", "D1", answers) == expected


@pytest.mark.parametrize(("answers", "expected"), D2_ASSIGNMENT_LEAVES)
def test_rob2_deviations_assignment_leaf(answers: dict[str, str], expected: str) -> None:
    assert judge("rob2", "D2", answers, aim="assignment") == expected


@pytest.mark.parametrize(("answers", "expected"), D2_ADHERENCE_LEAVES)
def test_rob2_deviations_adherence_leaf(answers: dict[str, str], expected: str) -> None:
    assert judge("rob2", "D2", answers, aim="adherence") == expected


@pytest.mark.parametrize(("answers", "expected"), D3_LEAVES)
def test_rob2_missing_data_leaf(answers: dict[str, str], expected: str) -> None:
    assert judge("rob2", "D3", answers) == expected


@pytest.mark.parametrize(("answers", "expected"), D4_LEAVES)
def test_rob2_measurement_leaf(answers: dict[str, str], expected: str) -> None:
    assert judge("rob2", "D4", answers) == expected


@pytest.mark.parametrize(("answers", "expected"), D5_LEAVES)
def test_rob2_reported_result_leaf(answers: dict[str, str], expected: str) -> None:
    assert judge("rob2", "D5", answers) == expected


@pytest.mark.parametrize(("answers", "expected"), DS_LEAVES)
def test_rob2_crossover_period_carryover_leaf(answers: dict[str, str], expected: str) -> None:
    assert judge("rob2-crossover", "DS", answers) == expected


# Flowcharts as nested ifs, compared with the form's rules on every allowed answer set.


def _reference_d1(a: Mapping[str, str]) -> str:
    if a["1.2"] in NO:
        return HIGH
    if a["1.2"] in NI:
        return HIGH if a["1.3"] in YES else SOME
    if a["1.1"] in NO:
        return SOME
    return SOME if a["1.3"] in YES else LOW


def _reference_d2_assignment(a: Mapping[str, str]) -> str:
    if a["2.1"] in NO and a["2.2"] in NO:
        part1 = LOW
    elif a["2.3"] in NO:
        part1 = LOW
    elif a["2.3"] in NI:
        part1 = SOME
    elif a["2.4"] in NO:
        part1 = SOME
    else:
        part1 = SOME if a["2.5"] in YES else HIGH
    if a["2.6"] in YES:
        part2 = LOW
    else:
        part2 = SOME if a["2.7"] in NO else HIGH
    return _worst(part1, part2)


def _reference_d2_adherence(a: Mapping[str, str]) -> str:
    aware = a["2.1"] not in NO or a["2.2"] not in NO
    analysis = SOME if a["2.6"] in YES else HIGH
    if aware and a["2.3"] in NO + NI:
        return analysis
    if a["2.4"] in NO + ("NA",) and a["2.5"] in NO + ("NA",):
        return LOW
    return analysis


def _reference_d3(a: Mapping[str, str]) -> str:
    if a["3.1"] in YES or a["3.2"] in YES or a["3.3"] in NO:
        return LOW
    return SOME if a["3.4"] in NO else HIGH


def _reference_d4(a: Mapping[str, str]) -> str:
    if a["4.1"] in YES or a["4.2"] in YES:
        return HIGH
    unknown_difference = a["4.2"] in NI
    if a["4.3"] in NO or a["4.4"] in NO:
        return SOME if unknown_difference else LOW
    return SOME if a["4.5"] in NO else HIGH


def _reference_d5(a: Mapping[str, str]) -> str:
    if a["5.2"] in YES or a["5.3"] in YES:
        return HIGH
    if a["5.2"] in NO and a["5.3"] in NO and a["5.1"] in YES:
        return LOW
    return SOME


def _reference_ds(a: Mapping[str, str]) -> str:
    if a["S.3"] in NO:
        return HIGH
    if a["S.3"] in YES and (a["S.1"] in YES or a["S.2"] in YES):
        return LOW
    return SOME


def _worst(*judgements: str) -> str:
    return max(judgements, key=[LOW, SOME, HIGH].index)


REFERENCES: list[tuple[str, str, str, Callable[[Mapping[str, str]], str]]] = [
    ("rob2", "D1", "assignment", _reference_d1),
    ("rob2", "D2", "assignment", _reference_d2_assignment),
    ("rob2", "D2", "adherence", _reference_d2_adherence),
    ("rob2", "D3", "assignment", _reference_d3),
    ("rob2", "D4", "assignment", _reference_d4),
    ("rob2", "D5", "assignment", _reference_d5),
    ("rob2-crossover", "DS", "assignment", _reference_ds),
]


@pytest.mark.parametrize(("form_name", "domain_id", "aim", "reference"), REFERENCES)
def test_form_rules_agree_with_flowchart_on_every_allowed_answer_set(
    form_name: str, domain_id: str, aim: str, reference: Callable[[Mapping[str, str]], str]
) -> None:
    target = domain(form_name, domain_id, aim)
    form = load_form(form_name)
    checked = 0
    for answers in answer_sets(target):
        got, _, _ = judge_domain(form, "s1", target, answers)
        assert got == reference(answers), answers
        checked += 1
    assert checked > 50


def test_leaf_tables_reach_every_rule_of_every_rob2_domain() -> None:
    tables = [
        ("rob2", "D1", "assignment", D1_LEAVES),
        ("rob2", "D2", "assignment", D2_ASSIGNMENT_LEAVES),
        ("rob2", "D2", "adherence", D2_ADHERENCE_LEAVES),
        ("rob2", "D3", "assignment", D3_LEAVES),
        ("rob2", "D4", "assignment", D4_LEAVES),
        ("rob2", "D5", "assignment", D5_LEAVES),
        ("rob2-crossover", "DS", "assignment", DS_LEAVES),
    ]
    for form_name, domain_id, aim, leaves in tables:
        target = domain(form_name, domain_id, aim)
        form = load_form(form_name)
        reached = {rule for answers, _ in leaves for rule in judge_domain(form, "s1", target, answers)[1]}
        every = {rule.when.text for part in target.parts for rule in part.rules}
        assert reached == every, (domain_id, aim, every - reached)


# The conditional structure


def test_answer_to_a_question_not_asked_names_study_domain_question_and_condition() -> None:
    with pytest.raises(AnswerError) as caught:
        check_answers("Smith 2020", domain("rob2", "D3"), {"3.1": "Y", "3.2": "N"})
    message = str(caught.value)
    assert caught.value.study == "Smith 2020" and caught.value.domain == "D3"
    assert caught.value.question == "3.2"
    assert "asked only if 3.1 in N|PN|NI" in message and "3.1 is Y" in message


def test_missing_answer_to_an_asked_question_is_an_error() -> None:
    with pytest.raises(AnswerError, match=r"question 3\.2: needs an answer \(expected Y/PY/PN/N\)"):
        check_answers("s1", domain("rob2", "D3"), {"3.1": "N"})


def test_answer_outside_the_question_options_is_an_error() -> None:
    # 3.2 has no "No information" option in RoB 2
    with pytest.raises(AnswerError, match=r"question 3\.2: answer 'NI' is not allowed"):
        check_answers("s1", domain("rob2", "D3"), {"3.1": "N", "3.2": "NI"})


def test_unknown_question_id_is_an_error() -> None:
    with pytest.raises(AnswerError, match=r"question 1\.4: not a question of this domain"):
        check_answers("s1", domain("rob2", "D1"), {"1.1": "Y", "1.2": "Y", "1.3": "N", "1.4": "Y"})


def test_unasked_questions_are_filled_with_na() -> None:
    answers = check_answers("s1", domain("rob2", "D3"), {"3.1": "Y"})
    assert answers == {"3.1": "Y", "3.2": "NA", "3.3": "NA", "3.4": "NA"}


@pytest.mark.parametrize(
    ("raw", "code"),
    [("y", "Y"), (" Probably  yes ", "PY"), ("pn", "PN"), ("No information", "NI"), ("", "NA"), ("N/A", "NA"), ("maybe", None)],
)
def test_answer_spellings_are_normalised(raw: str, code: str | None) -> None:
    assert normalise_answer(raw) == code


# Whole assessments and the overall judgement

ALL_LOW = {
    "D1": {"1.1": "Y", "1.2": "Y", "1.3": "N"},
    "D2": {"2.1": "N", "2.2": "N", "2.6": "Y"},
    "D3": {"3.1": "Y"},
    "D4": {"4.1": "N", "4.2": "N", "4.3": "N"},
    "D5": {"5.1": "Y", "5.2": "N", "5.3": "N"},
}


def with_domains(**changes: dict[str, str]) -> dict[str, dict[str, str]]:
    return {**ALL_LOW, **changes}


def test_rob2_overall_is_low_only_when_every_domain_is_low() -> None:
    result = appraise(ROB2, Assessment("s1", ALL_LOW, aim="assignment"))
    assert [d.judgement for d in result.domains] == [LOW] * 5
    assert result.overall == LOW and result.flags == ()


def test_rob2_overall_is_high_when_any_domain_is_high() -> None:
    answers = with_domains(D3={"3.1": "N", "3.2": "N", "3.3": "Y", "3.4": "Y"})
    result = appraise(ROB2, Assessment("s1", answers, aim="assignment"))
    assert result.overall == HIGH


def test_rob2_overall_some_concerns_in_two_domains_is_not_flagged() -> None:
    answers = with_domains(D1={"1.1": "Y", "1.2": "NI", "1.3": "N"}, D5={"5.1": "NI", "5.2": "N", "5.3": "N"})
    result = appraise(ROB2, Assessment("s1", answers, aim="assignment"))
    assert result.overall == SOME and result.flags == ()


def test_rob2_some_concerns_in_three_domains_flags_consider_high_but_stays_some_concerns() -> None:
    answers = with_domains(
        D1={"1.1": "Y", "1.2": "NI", "1.3": "N"},
        D3={"3.1": "N", "3.2": "N", "3.3": "Y", "3.4": "N"},
        D5={"5.1": "NI", "5.2": "N", "5.3": "N"},
    )
    result = appraise(ROB2, Assessment("s1", answers, aim="assignment"))
    assert result.overall == SOME and result.flags == (CONSIDER_HIGH,)


def test_override_is_returned_beside_the_algorithm_and_drives_the_overall() -> None:
    override = Override(HIGH, "sealed envelopes were translucent (methods, p. 3)")
    result = appraise(ROB2, Assessment("s1", ALL_LOW, aim="assignment", overrides={"D1": override}))
    d1 = result.domains[0]
    assert d1.proposed == LOW and d1.judgement == HIGH and d1.override == override
    assert result.overall == HIGH and result.overall_proposed == HIGH
    as_dict = result.to_dict()["domains"][0]
    assert as_dict["proposed"] == LOW and as_dict["judgement"] == HIGH
    assert as_dict["override"] == {"judgement": HIGH, "reason": override.reason}


def test_override_without_reason_or_with_unknown_level_is_refused() -> None:
    with pytest.raises(AnswerError, match="an override needs a reason"):
        appraise(ROB2, Assessment("s1", ALL_LOW, aim="assignment", overrides={"D1": Override(HIGH, "  ")}))
    with pytest.raises(AnswerError, match="override 'Serious' is not one of Low, Some concerns, High"):
        appraise(ROB2, Assessment("s1", ALL_LOW, aim="assignment", overrides={"D1": Override("Serious", "x")}))


def test_overall_override_keeps_the_algorithm_overall() -> None:
    override = Override(SOME, "small trial, several minor problems")
    result = appraise(ROB2, Assessment("s1", ALL_LOW, aim="assignment", overall_override=override))
    assert result.overall == SOME and result.overall_proposed == LOW


def test_missing_domain_and_unknown_domain_and_unknown_aim_are_errors() -> None:
    partial = {k: v for k, v in ALL_LOW.items() if k != "D4"}
    with pytest.raises(AnswerError, match=r"study 's1', domain D4: no answers given"):
        appraise(ROB2, Assessment("s1", partial, aim="assignment"))
    with pytest.raises(AnswerError, match=r"domain D9: not a domain of rob2"):
        appraise(ROB2, Assessment("s1", {**ALL_LOW, "D9": {}}, aim="assignment"))
    with pytest.raises(AnswerError, match="effect of interest must be one of assignment, adherence"):
        appraise(ROB2, Assessment("s1", ALL_LOW, aim="per-protocol"))


def test_crossover_form_adds_domain_s_after_randomisation() -> None:
    ids = [d.id for d in CROSSOVER.domains_for("assignment")]
    assert ids == ["D1", "DS", "D2", "D3", "D4", "D5"]
    answers = {**ALL_LOW, "DS": {"S.1": "Y", "S.3": "N"}}
    result = appraise(CROSSOVER, Assessment("s1", answers, aim="assignment"))
    assert result.domains[1].judgement == HIGH and result.overall == HIGH


ROBINS_LOW = {f"D{i}": "Low" for i in range(1, 8)}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "Low"),
        ({"D1": "Low (except for concerns about uncontrolled confounding)"}, "Low (except for concerns about uncontrolled confounding)"),
        ({"D1": "Low (except for concerns about uncontrolled confounding)", "D5": "Moderate"}, "Moderate"),
        ({"D3": "Moderate", "D6": "Serious"}, "Serious"),
        ({"D2": "Critical", "D6": "Serious"}, "Critical"),
    ],
)
def test_robins_i_overall_is_the_most_severe_domain(changes: dict[str, str], expected: str) -> None:
    result = appraise(ROBINS, Assessment("nrs1", direct={**ROBINS_LOW, **changes}))
    assert result.overall == expected
    assert len(result.domains) == 7


def test_robins_i_confounding_only_level_is_refused_in_other_domains() -> None:
    direct = {**ROBINS_LOW, "D4": "Low (except for concerns about uncontrolled confounding)"}
    with pytest.raises(AnswerError, match="domain D4: judgement .* is not allowed"):
        appraise(ROBINS, Assessment("nrs1", direct=direct))


def test_robins_i_missing_domain_judgement_is_an_error() -> None:
    direct = {k: v for k, v in ROBINS_LOW.items() if k != "D7"}
    with pytest.raises(AnswerError, match="domain D7: needs a judgement"):
        appraise(ROBINS, Assessment("nrs1", direct=direct))


def test_overall_judgement_orders_robins_levels() -> None:
    assert overall_judgement(ROBINS, ["Moderate", "Low", "Serious"]) == ("Serious", ())


def test_flat_answers_from_the_ledger_are_grouped_by_domain_of_the_aim() -> None:
    flat = {q: a for answers in ALL_LOW.values() for q, a in answers.items()}
    grouped = group_answers(ROB2, "s1", flat, aim="assignment")
    assert grouped == ALL_LOW
    assert appraise(ROB2, Assessment("s1", grouped, aim="assignment")).overall == LOW
    with pytest.raises(AnswerError, match=r"question 2\.7: not a signalling question of rob2 \(adherence\)"):
        group_answers(ROB2, "s1", {**flat, "2.7": "N"}, aim="adherence")


def test_public_api_is_pinned() -> None:
    import livingreview.appraisal as appraisal

    # Submodules become attributes of the package once anything imports them (appraisal.service
    # is imported by the commands' tests), so they are not public names of their own.
    assert sorted(appraisal.__all__) == sorted(
        name for name, value in vars(appraisal).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    )
    assert {"appraise", "load_form", "read_appraisal_csv", "traffic_light", "summary_plot"} <= set(appraisal.__all__)
