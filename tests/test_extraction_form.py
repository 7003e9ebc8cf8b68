"""The extraction form in protocol.toml: declared fields, the flagship's form, located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from livingreview.extraction.form import default_form, form_of
from livingreview.protocol import ProtocolError, load_protocol, parse_protocol

ISSUE_FIELDS = {
    "randomised": ["yes", "no", "not-stated"],
    "allocation": ["parallel", "crossover", "single-group", "not-stated"],
    "blinding": ["open-label", "single-blind", "double-blind", "triple-blind", "not-stated"],
    "control": ["placebo", "active", "none", "not-stated"],
    "population": ["healthy", "depression", "bipolar", "autism", "fragile-x", "social-anxiety", "ptsd",
                   "schizophrenia", "borderline-pd", "ocd", "substance-use", "other:*"],
    "age_group": ["adult", "child-adolescent", "mixed", "not-stated"],
    "routes": ["intravenous", "intranasal", "oral", "intramuscular", "inhaled", "subcutaneous"],
    "outcome_classes": ["self-report", "clinician-rated", "behavioural", "neuroimaging", "physiological"],
    "imaging_modalities": ["fMRI", "EEG", "MEG", "PET", "MRS", "other"],
    "direction": ["improved", "worsened", "no difference", "mixed"],
}


def test_flagship_declares_the_issue_fields_with_their_exact_vocabularies(flagship_protocol: Path) -> None:
    form = load_protocol(flagship_protocol).extraction
    for name, values in ISSUE_FIELDS.items():
        assert form.field(name).values == values, name
    for name in ("active_comparator", "n_total", "drugs", "doses", "constructs"):
        assert form.field(name).level == "study"
    assert {f.name for f in form.fields if f.level == "outcome"} == {
        "instrument", "construct", "class", "regions", "network", "timepoint", "role", "direction", "numbers"}
    assert form.field("drugs").vocabulary == "intervention"
    assert form.field("population").term_values["healthy_volunteers"] == "healthy"


def test_flagship_form_and_default_form_name_the_same_fields(flagship_protocol: Path) -> None:
    flagship = load_protocol(flagship_protocol).extraction
    assert [(f.name, f.type, f.values, f.level) for f in flagship.fields] == [
        (f.name, f.type, f.values, f.level) for f in default_form().fields]


def test_a_protocol_without_a_form_gets_the_default_one(minimal_protocol: Path) -> None:
    protocol = load_protocol(minimal_protocol)
    assert protocol.extraction.fields == []
    assert form_of(protocol).field("blinding").values == ISSUE_FIELDS["blinding"]


def test_other_colon_star_admits_any_word_after_the_prefix() -> None:
    population = default_form().field("population")
    assert population.admits("other:allergic-rhinitis")
    assert population.admits("healthy")
    assert not population.admits("other:")
    assert not population.admits("martian")


def _with_form(minimal_protocol: Path, section: str) -> str:
    return minimal_protocol.read_text(encoding="utf-8") + "\n" + section


def test_enum_field_without_values_names_key_and_line(minimal_protocol: Path) -> None:
    text = _with_form(minimal_protocol, '[extraction]\n[[extraction.fields]]\nname = "ok"\ntype = "text"\n'
                      '[[extraction.fields]]\nname = "arms"\ntype = "enum"\n')
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(text, Path("p.toml"))
    key, line, message = caught.value.problems[0]
    assert key == "extraction.fields[1]"
    assert text.splitlines()[line - 1] == "[[extraction.fields]]"
    assert line == len(text.splitlines()) - 2
    assert "needs `values` or `vocabulary`" in message


def test_unknown_key_in_a_field_is_located(minimal_protocol: Path) -> None:
    text = _with_form(minimal_protocol, '[extraction]\n[[extraction.fields]]\nname = "n"\ntype = "integer"\n'
                      'unit = "participants"\nrequird = true\n')
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(text, Path("p.toml"))
    key, line, message = caught.value.problems[0]
    assert key == "extraction.fields[0].requird"
    assert text.splitlines()[line - 1] == "requird = true"
    assert "unknown key" in message


def test_field_naming_an_undefined_vocabulary_is_rejected(minimal_protocol: Path) -> None:
    text = _with_form(minimal_protocol, '[extraction]\n[[extraction.fields]]\nname = "drugs"\n'
                      'type = "list-of-text"\nvocabulary = "drug"\n')
    with pytest.raises(ProtocolError, match="extraction field drugs names vocabulary 'drug'"):
        parse_protocol(text, Path("p.toml"))


def test_term_values_must_name_terms_of_the_vocabulary(minimal_protocol: Path) -> None:
    text = _with_form(minimal_protocol, '[extraction]\n[[extraction.fields]]\nname = "population"\n'
                      'type = "list-of-enum"\nvalues = ["healthy"]\nvocabulary = "population"\n'
                      'term_values = { sick = "healthy" }\n')
    with pytest.raises(ProtocolError, match=r"term_values names \['sick'\]"):
        parse_protocol(text, Path("p.toml"))


def test_repeated_field_names_are_rejected(minimal_protocol: Path) -> None:
    text = _with_form(minimal_protocol, '[extraction]\n[[extraction.fields]]\nname = "n"\ntype = "integer"\n'
                      '[[extraction.fields]]\nname = "n"\ntype = "text"\n')
    with pytest.raises(ProtocolError, match="repeated: n"):
        parse_protocol(text, Path("p.toml"))
