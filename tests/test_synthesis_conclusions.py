"""Per-drug conclusions: the protocol's [synthesis.conclusions] rule, its validation, each grade
reached and missed by one, the printed text, and the flagship's conclusion table."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import replace

import pytest
from conftest import DATA, ROOT

from livingreview.protocol import Protocol, ProtocolError, load_protocol, parse_protocol
from livingreview.synthesis.conclusions import conclude, rule_text
from livingreview.synthesis.evidence import OutcomeEvidence, StudyEvidence, load_evidence_dir

MINIMAL = (DATA / "minimal_protocol.toml").read_text(encoding="utf-8")
FLAGSHIP = ROOT / "examples" / "glutamate-entactogens"

# The flagship's rule, restated here so a change to either is noticed.
RULE = """
[synthesis.conclusions]
otherwise = "insufficient"
[[synthesis.conclusions.grades]]
name = "supported"
min_studies = 6
min_randomised = 2
min_share_improved = 0.7
sign_test_p_below = 0.05
min_constructs_improved = 2
[[synthesis.conclusions.grades]]
name = "suggestive"
min_studies = 2
min_randomised = 1
min_improved = 2
min_share_improved = 0.5
[[synthesis.conclusions.grades]]
name = "evidence of no effect"
min_studies = 3
min_randomised = 2
max_share_improved = 0.2
min_share_no_difference = 0.6
"""


def protocol_with(rule: str = RULE) -> Protocol:
    return parse_protocol(MINIMAL + rule)


def studies(*directions: str, randomised: int | None = None,
            constructs: Sequence[str] = ("empathy",)) -> list[StudyEvidence]:
    """One ketamine study per direction; the first `randomised` are randomised (all by default);
    study i measures constructs[i % len(constructs)]."""
    made = []
    for i, direction in enumerate(directions):
        outcome = OutcomeEvidence(construct=constructs[i % len(constructs)], outcome_class="self-report",
                                  direction=direction, primary=True)  # type: ignore[arg-type]
        made.append(StudyEvidence(
            key=f"s{i}", label=f"Author{i} 2020", decision="include", drugs=("ketamine",), population=("healthy",),
            randomised="yes" if randomised is None or i < randomised else "no", allocation="parallel",
            blinding="double-blind", control="placebo", n_total=10 + i, outcomes=(outcome,)))
    return made


def grade(evidence: list[StudyEvidence], rule: str = RULE) -> str:
    (conclusion,) = conclude(evidence, protocol_with(rule)).conclusions
    return conclusion.grade


TWO = ("empathy", "trust")


# --- supported -----------------------------------------------------------------------------------

def test_supported_is_reached_with_six_improved_randomised_studies_in_two_constructs() -> None:
    assert grade(studies(*["improved"] * 6, randomised=2, constructs=TWO)) == "supported"


def test_supported_is_missed_with_five_studies_since_the_sign_test_p_is_0_0625() -> None:
    assert grade(studies(*["improved"] * 5, constructs=TWO)) == "suggestive"


def test_supported_is_missed_with_one_randomised_study() -> None:
    assert grade(studies(*["improved"] * 6, randomised=1, constructs=TWO)) == "suggestive"


def test_supported_is_missed_when_improvement_is_in_one_construct_only() -> None:
    assert grade(studies(*["improved"] * 6)) == "suggestive"


def test_supported_share_boundary_is_inclusive_at_70_percent() -> None:
    assert grade(studies(*["improved"] * 7, *["no difference"] * 3, constructs=TWO)) == "supported"
    assert grade(studies(*["improved"] * 6, *["no difference"] * 3, constructs=TWO)) == "suggestive"  # 0.67


def test_sign_test_threshold_is_strictly_below() -> None:
    exact = RULE.replace("sign_test_p_below = 0.05", "sign_test_p_below = 0.03125")  # p of 6 of 6
    assert grade(studies(*["improved"] * 6, constructs=TWO), exact) == "suggestive"
    assert grade(studies(*["improved"] * 7, constructs=TWO), exact) == "supported"  # p = 0.0156


# --- suggestive ----------------------------------------------------------------------------------

def test_suggestive_is_reached_with_two_improved_studies_one_randomised() -> None:
    assert grade(studies("improved", "improved", randomised=1)) == "suggestive"


def test_suggestive_is_missed_with_one_improved_study() -> None:
    assert grade(studies("improved", "no difference")) == "insufficient"


def test_suggestive_is_missed_without_a_randomised_study() -> None:
    assert grade(studies("improved", "improved", randomised=0)) == "insufficient"


def test_suggestive_share_boundary_is_inclusive_at_one_half() -> None:
    assert grade(studies("improved", "improved", "worsened", "worsened")) == "suggestive"
    assert grade(studies("improved", "improved", "worsened", "worsened", "worsened")) == "insufficient"


# --- evidence of no effect -----------------------------------------------------------------------

def test_no_effect_is_reached_with_three_null_studies_two_randomised() -> None:
    assert grade(studies(*["no difference"] * 3, randomised=2)) == "evidence of no effect"


def test_no_effect_is_missed_with_two_null_studies() -> None:
    assert grade(studies(*["no difference"] * 2)) == "insufficient"


def test_no_effect_is_missed_with_one_randomised_study() -> None:
    assert grade(studies(*["no difference"] * 3, randomised=1)) == "insufficient"


def test_no_effect_boundaries_on_the_shares() -> None:
    assert grade(studies(*["no difference"] * 3, "worsened", "worsened")) == "evidence of no effect"  # 0.6 null
    assert grade(studies(*["no difference"] * 2, "worsened", "worsened")) == "insufficient"  # 0.5 null
    assert grade(studies(*["no difference"] * 4, "improved")) == "evidence of no effect"  # 0.2 improved
    assert grade(studies(*["no difference"] * 3, "improved")) == "insufficient"  # 0.25 improved


# --- what the rule counts and how it is shown ----------------------------------------------------

def test_studies_without_a_direction_are_cited_but_do_not_vote() -> None:
    evidence = studies("improved", "improved") + studies(None, None)  # type: ignore[arg-type]
    evidence[2:] = [replace(s, key=f"n{i}", label=f"Null{i} 2021") for i, s in enumerate(evidence[2:])]
    (conclusion,) = conclude(evidence, protocol_with()).conclusions
    assert conclusion.grade == "suggestive"
    assert len(conclusion.evidence.studies) == 4 and len(conclusion.evidence.voting) == 2


def test_maybe_studies_count_only_when_the_rule_or_caller_says_so() -> None:
    evidence = studies("improved", "improved")
    evidence[1] = replace(evidence[1], decision="maybe")
    assert grade(evidence) == "insufficient"
    assert grade(evidence, RULE.replace('otherwise = "insufficient"',
                                        'otherwise = "insufficient"\ninclude_maybe = true')) == "suggestive"
    (conclusion,) = conclude(evidence, protocol_with(), include_maybe=True).conclusions
    assert conclusion.grade == "suggestive"


def test_conclusion_text_gives_the_numbers_reasons_and_citations() -> None:
    evidence = studies("improved", "improved", "worsened", randomised=1)
    table = conclude(evidence, protocol_with())
    text = table.text()
    assert text.startswith("Ketamine: suggestive \u2014 3 included studies, 3 with a direction of effect "
                           "(1 randomised, N = 33): 2 improved, 1 worsened, 0 no difference, 0 mixed; "
                           "sign test 2 improved vs 1 worsened, p = 1")
    assert ("Not supported: studies 3 < 6; randomised 1 < 2; constructs improved 1 < 2; "
            "share improved 0.67 < 0.70") in text
    assert "Studies: Author0 2020 [s0], Author1 2020 [s1], Author2 2020 [s2]." in text
    assert table.rows()[0]["grade"] == "suggestive"


def test_a_protocol_without_the_section_uses_the_documented_default_rule() -> None:
    default = load_protocol(DATA / "minimal_protocol.toml").synthesis.conclusions
    assert default == protocol_with().synthesis.conclusions


# --- validation ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("rule", "key", "message"), [
    ('[synthesis.conclusions]\n[[synthesis.conclusions.grades]]\nname = "a"\nmin_studys = 3\n',
     "synthesis.conclusions.grades[0].min_studys", "unknown key"),
    ('[synthesis.conclusions]\n[[synthesis.conclusions.grades]]\nname = "a"\nmin_share_improved = 1.5\n',
     "synthesis.conclusions.grades[0].min_share_improved", "less than or equal to 1"),
    ('[synthesis.conclusions]\n[[synthesis.conclusions.grades]]\nname = "a"\nmin_share_improved = 0.8\n'
     'max_share_improved = 0.2\n', "synthesis.conclusions.grades[0]", "no drug could reach it"),
    ('[synthesis.conclusions]\notherwise = "a"\n[[synthesis.conclusions.grades]]\nname = "a"\n',
     "synthesis.conclusions", "repeated: a"),
    ('[synthesis.conclusions]\n[[synthesis.conclusions.grades]]\nname = "a"\nmin_studies = -1\n',
     "synthesis.conclusions.grades[0].min_studies", "greater than or equal to 0"),
    ('[synthesis.conclusions]\n[[synthesis.conclusions.grades]]\nname = "a"\nsign_test_p_below = 0\n',
     "synthesis.conclusions.grades[0].sign_test_p_below", "greater than 0"),
])
def test_bad_rules_are_refused_with_key_and_line(rule: str, key: str, message: str) -> None:
    text = MINIMAL + rule
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(text)
    ((where, line, said),) = caught.value.problems
    assert where == key and message in said
    lines = text.splitlines()
    assert line is not None and line > len(MINIMAL.splitlines())  # points into the section, not the top
    assert lines[line - 1].strip()


# --- the flagship --------------------------------------------------------------------------------

def test_flagship_conclusions_follow_from_its_evidence() -> None:
    protocol = load_protocol(FLAGSHIP / "protocol.toml")
    evidence = load_evidence_dir(FLAGSHIP / "evidence", protocol)
    table = conclude(evidence, protocol)
    by_drug = {c.evidence.drug: c for c in table.conclusions}
    raw = [tomllib.loads(f.read_text(encoding="utf-8")) for f in sorted((FLAGSHIP / "evidence").glob("*.toml"))]
    for drug, label in (("ketamine", "ketamine"), ("d_cycloserine", "D-cycloserine")):
        included = {d["key"] for d in raw
                    if d["screening"]["decision"] == "include" and label in d["extraction"]["drugs"]}
        assert {s.key for s in by_drug[drug].evidence.studies} == included
    assert by_drug["ketamine"].grade == "suggestive"
    assert by_drug["d_cycloserine"].grade == "insufficient"
    assert table.text().splitlines()[0].startswith("Ketamine: suggestive \u2014 11 included studies")


def test_flagship_maybe_sensitivity_counts_the_dcs_follow_up_report_with_its_trial() -> None:
    protocol = load_protocol(FLAGSHIP / "protocol.toml")
    evidence = load_evidence_dir(FLAGSHIP / "evidence", protocol)
    by_drug = {c.evidence.drug: c for c in conclude(evidence, protocol, include_maybe=True).conclusions}
    keys = [s.key for s in by_drug["d_cycloserine"].evidence.studies]
    assert "minshawi2016+wink2017" in keys  # one trial (NCT01086475), one vote
    assert "minshawi2016" not in keys and "wink2017" not in keys


def test_rule_text_states_every_condition_set_including_a_maximum_of_zero() -> None:
    rule = protocol_with(RULE + '[[synthesis.conclusions.grades]]\nname = "harmful"\nmax_share_improved = 0.0\n'
                         'min_share_worsened = 0.8\n').synthesis.conclusions
    text = conclude(studies("worsened"), protocol_with()).to_dict()["rule_text"]
    assert "supported: at least 6 studies with a direction of effect; at least 2 of them randomised;" in text
    assert "two-sided sign test (improved vs worsened) p < 0.05" in text
    assert text.endswith("otherwise: insufficient")
    assert "harmful: at most 0% improved; at least 80% worsened" in rule_text(rule)


def test_participants_of_studies_whose_n_is_not_reported_are_not_summed_as_zero() -> None:
    from livingreview.synthesis.conclusions import participants_text

    row = {"participants": 0, "studies_without_n": 1, "studies_with_direction": 1}
    assert participants_text(row) == "not reported"
    assert participants_text({**row, "participants": 348, "studies_with_direction": 9}) == \
        "348 (1 with N not reported)"
    assert participants_text({**row, "participants": 1286, "studies_without_n": 0}) == "1,286"
