"""The extraction form: the protocol's `[extraction]` fields, or the default form when it has none.

The default form is the field list of issue 10 with exactly its names and value vocabularies, so
that other tools can read any review's suggestions the same way. A protocol may declare its own
form; the rules fill the fields they know by name and flag the others as having no rule.
"""

from __future__ import annotations

import tomllib

from livingreview.protocol.models import Extraction, ExtractionField, Protocol

DEFAULT_FORM_TOML = """
extractor = "rules"

[[fields]]
name = "randomised"
type = "enum"
values = ["yes", "no", "not-stated"]
required = true

[[fields]]
name = "allocation"
type = "enum"
values = ["parallel", "crossover", "single-group", "not-stated"]
required = true
description = "Within-subject drug and placebo sessions are crossover."

[[fields]]
name = "blinding"
type = "enum"
values = ["open-label", "single-blind", "double-blind", "triple-blind", "not-stated"]
required = true
description = "Only from an explicit statement: placebo-controlled alone does not imply blinding."

[[fields]]
name = "control"
type = "enum"
values = ["placebo", "active", "none", "not-stated"]
required = true

[[fields]]
name = "active_comparator"
type = "text"
description = "The comparator drug's name, or null."

[[fields]]
name = "population"
type = "list-of-enum"
values = ["healthy", "depression", "bipolar", "autism", "fragile-x", "social-anxiety", "ptsd",
          "schizophrenia", "borderline-pd", "ocd", "substance-use", "other:*"]

[[fields]]
name = "age_group"
type = "enum"
values = ["adult", "child-adolescent", "mixed", "not-stated"]

[[fields]]
name = "n_total"
type = "integer"
unit = "participants"
description = "Participants randomised or enrolled in the whole study."

[[fields]]
name = "drugs"
type = "list-of-text"
description = "Study drugs as normalised generic names."

[[fields]]
name = "doses"
type = "list-of-text"
description = "As written, with unit."

[[fields]]
name = "routes"
type = "list-of-enum"
values = ["intravenous", "intranasal", "oral", "intramuscular", "inhaled", "subcutaneous"]

[[fields]]
name = "outcome_classes"
type = "list-of-enum"
values = ["self-report", "clinician-rated", "behavioural", "neuroimaging", "physiological"]

[[fields]]
name = "imaging_modalities"
type = "list-of-enum"
values = ["fMRI", "EEG", "MEG", "PET", "MRS", "other"]

[[fields]]
name = "constructs"
type = "list-of-text"
description = "Constructs of the protocol's construct vocabulary."

[[fields]]
name = "instrument"
type = "text"
level = "outcome"

[[fields]]
name = "construct"
type = "text"
level = "outcome"

[[fields]]
name = "class"
type = "enum"
values = ["self-report", "clinician-rated", "behavioural", "neuroimaging", "physiological"]
level = "outcome"

[[fields]]
name = "regions"
type = "list-of-text"
level = "outcome"

[[fields]]
name = "network"
type = "list-of-enum"
values = ["empathy", "mentalizing", "reward", "face"]
level = "outcome"

[[fields]]
name = "timepoint"
type = "text"
level = "outcome"

[[fields]]
name = "role"
type = "enum"
values = ["primary", "secondary", "not-stated"]
level = "outcome"

[[fields]]
name = "direction"
type = "enum"
values = ["improved", "worsened", "no difference", "mixed"]
level = "outcome"
description = "Read from the result sentences."

[[fields]]
name = "numbers"
type = "list-of-text"
level = "outcome"
description = "Means, SDs, ns, t, F, p and CIs behind an effect size, as written."
"""

# Vocabularies the rules read when the form names none for a field.
DEFAULT_VOCABULARIES = {"drugs": "intervention", "constructs": "construct", "instrument": "instrument",
                        "construct": "construct", "regions": "region", "population": "population"}


def default_form() -> Extraction:
    return Extraction.model_validate(tomllib.loads(DEFAULT_FORM_TOML))


def form_of(protocol: Protocol) -> Extraction:
    """The protocol's own form, or the default one."""
    return protocol.extraction if protocol.extraction.fields else default_form()


def vocabulary_for(protocol: Protocol, form: Extraction, name: str) -> str | None:
    """The vocabulary a field reads: the form's choice, else the default when the protocol has it."""
    try:
        declared = form.field(name).vocabulary
    except KeyError:
        declared = None
    if declared:
        return declared
    fallback = DEFAULT_VOCABULARIES.get(name)
    return fallback if fallback in protocol.vocabularies else None


def field_or_none(form: Extraction, name: str) -> ExtractionField | None:
    try:
        return form.field(name)
    except KeyError:
        return None
