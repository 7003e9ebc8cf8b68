"""Which classes of outcome an abstract measured, which brain imaging it used, and how each named
outcome is read: each convention pinned on sentences written for the test."""

from __future__ import annotations

import pytest

from livingreview.extraction import measures
from livingreview.extraction.passages import Passage


def _passages(abstract: str, title: str = "") -> list[Passage]:
    found = [Passage(5, "abstract", abstract)]
    return ([Passage(5, "title", title)] if title else []) + found


def _classes(abstract: str) -> list[str]:
    return measures.outcome_classes(_passages(abstract), {}).value


def _modalities(abstract: str) -> list[str]:
    return measures.imaging_modalities(_passages(abstract)).value


@pytest.mark.parametrize(("abstract", "expected"), [
    # A possessive rater names who rated.
    ("Adults with arthritis received drug A or placebo. The Physician's Global Assessment of Arthritis "
     "favoured drug A.", "clinician-rated"),
    ("Outcomes were the Patient's Global Assessment of pain and joint counts.", "self-report"),
    # An independent observer, a researcher or a parent rates for the participant.
    ("An independent observer recorded continence and urgency in each child.", "clinician-rated"),
    ("Efficacy was estimated with a global evaluation of the researcher at the final visit.", "clinician-rated"),
    ("Parents completed a questionnaire on their child's sleep every week.", "clinician-rated"),
    ("Tolerability was judged by investigators and patients at the end of treatment.", "clinician-rated"),
    ("Tolerability was judged by investigators and patients at the end of treatment.", "self-report"),
    # Migraine response measures are what the patient reports.
    ("Pain-free response at 2 h was 30% with drug A and 10% with placebo.", "self-report"),
    ("Drug A reduced symptoms of allergic rhinitis more than placebo.", "self-report"),
    # Blood, urine, airways, growth and tissue: body measures.
    ("Testosterone concentrations were threefold higher in the treated boys.", "physiological"),
    ("Soluble adhesion molecules were measured by enzyme immunoassay before and after treatment.",
     "physiological"),
    ("Glomerular filtration rate fell after a single dose of drug A.", "physiological"),
    ("Nasal airway resistance was measured by rhinomanometry after a histamine challenge.", "physiological"),
    ("Drug A lowered the bronchial response to histamine.", "physiological"),
    ("After 18 months bone age had advanced less with drug A than with placebo.", "physiological"),
    ("Vaginal cytology showed more mature cells with the higher dose.", "physiological"),
    ("C-reactive protein fell in the treated group.", "physiological"),
    ("Artery diameters and blood velocity were measured with Doppler ultrasound.", "physiological"),
    ("Knee range of motion was wider with drug A at discharge.", "physiological"),
    # Tasks that are performed are behaviour.
    ("Pilots did complex tasks in a simulated cockpit after drug A or placebo.", "behavioural"),
    ("Head ultrasonography showed periventricular leukomalacia in one infant.", "neuroimaging"),
])
def test_outcome_class_is_read_from_how_the_outcome_was_measured(abstract: str, expected: str) -> None:
    assert expected in _classes(abstract)


@pytest.mark.parametrize(("abstract", "absent"), [
    # Blood and urine tests from the laboratory are not tasks.
    ("Adverse events and laboratory tests were recorded at each visit.", "behavioural"),
    # Three concentrations of a nasal spray are doses, not a measure.
    ("Patients were randomized to three concentrations of a cetirizine nasal spray or placebo.",
     "physiological"),
    # A diagnosis confirmed by histology measures no outcome.
    ("No malignant melanomas were confirmed by histology among the screened attenders.", "physiological"),
    # Questionnaires that general practitioners return are the source of event reports, not a rating.
    ("Outcome data were derived from questionnaires returned by general practitioners.", "clinician-rated"),
])
def test_words_that_do_not_measure_an_outcome_give_no_class(abstract: str, absent: str) -> None:
    assert absent not in _classes(abstract)


@pytest.mark.parametrize(("abstract", "expected"), [
    # Angiography of the brain's arteries is brain imaging outside the list.
    ("Magnetic resonance angiography showed dilatation of the internal carotid and basilar arteries "
     "during the attacks.", "other"),
    ("Infants had head ultrasonography in the first week of life.", "other"),
])
def test_brain_vessel_and_head_imaging_is_other(abstract: str, expected: str) -> None:
    assert expected in _modalities(abstract)
