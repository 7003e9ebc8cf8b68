from __future__ import annotations

from pathlib import Path

import pytest

from livingreview.protocol import ProtocolError, load_protocol, parse_protocol
from livingreview.protocol.rules import And, Not, Or, Ref, RuleSyntaxError, evaluate, parse_rule


def test_minimal_protocol_loads_into_typed_models(minimal_protocol: Path) -> None:
    protocol = load_protocol(minimal_protocol)
    assert protocol.review.id == "minimal"
    ketamine = protocol.vocabularies["intervention"].term("ketamine")
    assert ketamine.phrases() == ["ketamine", "esketamine", "Ketalar", "Spravato", "CI-581"]
    assert [t.id for t in protocol.vocabularies["intervention"].members("nmda_channel_blocker")] == ["ketamine"]
    assert protocol.synthesis.tau2_estimator == "REML"


def test_unknown_key_is_reported_with_its_line(minimal_protocol: Path) -> None:
    text = minimal_protocol.read_text().replace('label = "ketamine"', 'label = "ketamine"\nlabell = "x"')
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(text, Path("p.toml"))
    [(key, line, message)] = caught.value.problems
    assert key == "vocabularies.intervention.terms[0].labell"
    assert text.splitlines()[line - 1] == 'labell = "x"'
    assert "unknown key" in message
    assert "p.toml:" in str(caught.value)


def test_missing_required_key_points_at_its_table(minimal_protocol: Path) -> None:
    text = minimal_protocol.read_text().replace('question = "In human trials, does drug A change empathy?"\n', "")
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(text)
    [(key, line, _)] = caught.value.problems
    assert key == "review.question"
    assert text.splitlines()[line - 1] == "[review]"


def test_rule_naming_an_unknown_term_is_rejected(minimal_protocol: Path) -> None:
    text = minimal_protocol.read_text().replace('rule = "intervention.nmda_channel_blocker"', 'rule = "intervention.lsd"')
    with pytest.raises(ProtocolError, match="intervention.lsd"):
        parse_protocol(text)


def test_toml_syntax_error_names_the_line(minimal_protocol: Path) -> None:
    text = minimal_protocol.read_text().replace('title = "Does', 'title = Does')
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(text)
    assert caught.value.problems[0][1] == 4


def test_missing_file_is_a_protocol_error(tmp_path: Path) -> None:
    with pytest.raises(ProtocolError, match="no such file"):
        load_protocol(tmp_path / "absent.toml")


def test_rules_parse_with_precedence_and_parentheses() -> None:
    assert parse_rule("a AND b OR NOT c") == Or((And((Ref("a", None), Ref("b", None))), Not(Ref("c", None))))
    assert parse_rule("a.x AND (b OR c.y)") == And((Ref("a", "x"), Or((Ref("b", None), Ref("c", "y")))))


@pytest.mark.parametrize("rule, fragment", [
    ("", "empty"), ("a AND", "end of the rule"), ("(a OR b", "')'"), ("a b", "column 3"), ("a & b", "'&'"),
])
def test_malformed_rules_say_what_was_expected(rule: str, fragment: str) -> None:
    with pytest.raises(RuleSyntaxError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        parse_rule(rule)


def test_three_valued_evaluation_keeps_unclear_apart() -> None:
    truth = {"yes": True, "no": False, "unknown": None}
    lookup = lambda ref: truth[ref.vocabulary]  # noqa: E731
    assert evaluate(parse_rule("yes AND unknown"), lookup) is None
    assert evaluate(parse_rule("no AND unknown"), lookup) is False
    assert evaluate(parse_rule("yes OR unknown"), lookup) is True
    assert evaluate(parse_rule("NOT unknown"), lookup) is None
    assert evaluate(parse_rule("NOT no AND yes"), lookup) is True


def test_a_general_term_must_name_one_of_its_own_classes(minimal_protocol: Path) -> None:
    text = minimal_protocol.read_text().replace('label = "ketamine"', 'label = "ketamine"\ngeneral_of = "empathy"')
    with pytest.raises(ProtocolError, match="general_of 'empathy'"):
        parse_protocol(text)
