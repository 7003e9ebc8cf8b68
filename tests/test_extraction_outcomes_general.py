"""Which classes of outcome an abstract measured, which brain imaging it used, and how each named
outcome is read: each convention pinned on sentences written for the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from livingreview.extraction import measures, result_phrases
from livingreview.extraction.passages import Passage
from livingreview.extraction.service import suggest_study
from livingreview.protocol import load_protocol
from livingreview.protocol.models import Protocol
from livingreview.records import Record


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
    # A symptom rated by nobody named is rated by the participant.
    ("Headache was rated on a 10-point scale every 10 minutes.", "self-report"),
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
    # A questionnaire that parents fill in is not the child's own report.
    ("Children whose parents completed a survey questionnaire served as controls.", "self-report"),
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


# --- per-outcome anchors ------------------------------------------------------------------------

_FLAGSHIP = Path(__file__).resolve().parent.parent / "examples" / "glutamate-entactogens" / "protocol.toml"


@pytest.fixture(scope="module")
def flagship() -> Protocol:
    return load_protocol(_FLAGSHIP)


def _outcomes(protocol: Protocol, abstract: str) -> dict[str, dict[str, object]]:
    """Each suggested outcome's values, by its instrument name in lower case."""
    record = Record(source="test", raw="", title="A controlled trial", abstract=abstract, id=5, source_id="t5")
    found = [{name: s.value for name, s in o.items()} for o in suggest_study(protocol, [record]).outcomes]
    return {str(o["instrument"]).lower(): o for o in found}


def _directions(protocol: Protocol, abstract: str, instrument: str) -> list[object]:
    """The direction of each suggested outcome whose name starts with `instrument` (lower case)."""
    return [o["direction"] for name, o in _outcomes(protocol, abstract).items() if name.startswith(instrument)]


def _assert_outcome(flagship: Protocol, abstract: str, instrument: str, outcome_class: str | None) -> None:
    found = _outcomes(flagship, abstract)
    assert instrument in found, sorted(found)
    if outcome_class is not None:
        assert found[instrument]["class"] == outcome_class


@pytest.mark.parametrize(("abstract", "instrument", "outcome_class"), [
    # Adverse events with a result are an outcome of their own, with no class.
    ("Adults were randomized to drug A or placebo for 12 weeks. Pain fell more with drug A. "
     "Gastrointestinal adverse events were less frequent with drug A than with placebo.",
     "gastrointestinal adverse events", None),
    # Global assessments are named with who made them and of what.
    ("Patients with arthritis were randomized to drug A or placebo. The patient global assessment of pain "
     "and the investigator global assessment of disease activity improved more with drug A.",
     "patient global assessment of pain", "self-report"),
    ("Patients with arthritis were randomized to drug A or placebo. The patient global assessment of pain "
     "and the investigator global assessment of disease activity improved more with drug A.",
     "investigator global assessment of disease activity", "clinician-rated"),
    # Each measure of a list of what was measured is an outcome.
    ("Sixty women were randomized to drug A or placebo. Bone age, serum osteocalcin and predicted adult "
     "height were measured every six months.", "serum osteocalcin", "physiological"),
    ("Sixty women were randomized to drug A or placebo. Bone age, serum osteocalcin and predicted adult "
     "height were measured every six months.", "predicted adult height", "physiological"),
    ("Migraine patients were randomized to drug A or placebo. Headache response, nausea and functional "
     "disability were assessed at 2 hours.", "functional disability", None),
    # Bone density is one outcome per site, named in the text's spelled-out form.
    ("Postmenopausal women were randomized to drug A or placebo. Bone mineral density (BMD) of the lumbar "
     "spine and femoral neck rose with drug A.", "lumbar spine bone mineral density", "physiological"),
    ("Postmenopausal women were randomized to drug A or placebo. Bone mineral density (BMD) of the lumbar "
     "spine and femoral neck rose with drug A.", "femoral neck bone mineral density", "physiological"),
    # A visual analogue scale is named by its short form when the text gives one.
    ("Adults with knee pain were randomized to drug A or placebo. Pain was rated on a visual analogue "
     "scale (VAS); the VAS fell more with drug A.", "vas", "self-report"),
    # Withdrawals for lack of efficacy and clinical events are outcomes with no class.
    ("Adults with arthritis were randomized to drug A or placebo. Withdrawals for lack of efficacy were "
     "fewer with drug A than with placebo.", "withdrawals for lack of efficacy", None),
    ("Postmenopausal women were randomized to drug A or placebo. Venous thromboembolism was increased "
     "with drug A.", "venous thromboembolism", None),
    # The measure a result clause speaks of is an outcome, whatever it is called.
    ("Women with urge incontinence were randomized to drug A or placebo. Functional capacity had increased "
     "and the number of voids daily had decreased significantly with drug A.", "functional capacity", None),
    ("Boys were randomized to drug A or placebo. Predicted adult height did not change significantly "
     "with placebo.", "predicted adult height", None),
])
def test_outcomes_are_anchored_on_what_the_abstract_says_was_measured(
        flagship: Protocol, abstract: str, instrument: str, outcome_class: str | None) -> None:
    _assert_outcome(flagship, abstract, instrument, outcome_class)


@pytest.mark.parametrize(("abstract", "absent"), [
    # Adverse events only said to be monitored report no result: no outcome.
    ("Adults were randomized to drug A or placebo. Adverse events were monitored throughout. Pain relief "
     "was greater with drug A than with placebo.", "adverse events"),
    # A list of who received what is not a list of measures.
    ("Patients received drug A, drug B, or placebo, and symptom scores were recorded daily.", "drug b"),
    # A list needs more than one measure, and its items are short noun phrases, not clauses.
    ("Efficacy was assessed by visual analogue scales, which consistently favoured drug A.",
     "which consistently favoured drug a"),
    # The drug that changed a measure is not the measure.
    ("Adults were randomized to drug A or placebo. Naproxen decreased gastric prostaglandin synthesis by "
     "half.", "naproxen"),
    ("Clinics were randomized to two strategies. Diabetes management could be generally improved by "
     "audits.", "diabetes management could be generally"),
])
def test_words_that_name_no_measure_are_no_outcome(flagship: Protocol, abstract: str, absent: str) -> None:
    assert absent not in _outcomes(flagship, abstract)


def test_an_event_outcome_already_named_is_not_added_again(flagship: Protocol) -> None:
    # "Serious adverse events" and "the incidence of adverse events" are the same outcome as
    # "adverse events" for a reader of the results.
    found = _outcomes(flagship, "Adults were randomized to drug A or placebo. Tolerability assessments included "
                                "the incidence of adverse events and vital signs. Adverse events were fewer with "
                                "drug A, and serious adverse events were rare in both groups.")
    named = [name for name in found if "adverse" in name]
    assert len(named) == 1, named


def test_bone_density_measured_at_sites_is_not_also_one_outcome_for_all_sites(flagship: Protocol) -> None:
    found = _outcomes(flagship, "Women were randomized to drug A or placebo. The primary outcome was the change in "
                                "bone mineral density of the lumbar spine and total hip. Bone mineral density rose "
                                "at the lumbar spine and total hip with drug A.")
    assert sorted(n for n in found if "bone" in n) == ["lumbar spine bone mineral density",
                                                        "total hip bone mineral density"]


def test_an_event_outcome_takes_no_class_from_the_words_around_it(flagship: Protocol) -> None:
    found = _outcomes(flagship, "Adults were randomized to drug A or placebo. Serum cholesterol fell with drug A. "
                                "Adverse events were fewer with drug A than with placebo in serum-tested patients.")
    assert found["adverse events"]["class"] is None


def test_a_paradigm_of_the_vocabulary_with_no_scan_or_brain_named_is_no_neuroimaging(flagship: Protocol) -> None:
    # "fearful faces" names an fMRI paradigm in the vocabulary, but here the faces are a task on a screen.
    record = Record(source="test", raw="", title="A hallucinogen and the recognition of fear", id=5,
                    abstract="In a double-blind crossover study, 20 healthy adults took the drug or placebo and "
                             "then judged fearful faces in a face emotion recognition task.")
    assert "neuroimaging" not in suggest_study(flagship, [record]).fields["outcome_classes"].value


def test_symptoms_beside_a_clinician_rating_scale_are_clinician_rated(flagship: Protocol) -> None:
    # The scale the clinician used measured the symptoms; without one, symptoms are the participant's report.
    rated = _outcomes(flagship, "Adults with depression were randomized to the gas or placebo. Raters scored the "
                                "Montgomery-Asberg Depression Rating Scale after 24 hours. Depressive symptoms "
                                "fell more after the gas than after placebo.")
    felt = _outcomes(flagship, "Adults with depression were randomized to the gas or placebo. Depressive symptoms "
                               "fell more after the gas than after placebo.")
    assert rated["depressive symptoms"]["class"] == "clinician-rated"
    assert felt["depressive symptoms"]["class"] == "self-report"


@pytest.mark.parametrize(("abstract", "instrument", "direction"), [
    # A loss the drug prevented is a gain.
    ("Women were randomized to drug A or placebo for two years. Drug A prevented the decrease of bone "
     "mineral density seen with placebo.", "bone mineral density", "improved"),
    # Less of a symptom index is better.
    ("Women were randomized to drug A or placebo. Kupperman Index scores decreased with drug A compared "
     "with placebo.", "kupperman index", "improved"),
    # Better than placebo comes first, even when the active arms were alike.
    ("Adults were randomized to drug A, drug B or placebo. The WOMAC index showed significant improvement "
     "versus placebo for both drugs and no significant differences between drug A and drug B.",
     "womac", "improved"),
    # A result for the effectiveness parameters as a whole speaks for each of them.
    ("Patients were randomized to drug A or drug B. Efficacy was estimated with a global evaluation of the "
     "researcher. There was not a significant difference in parameters of effectiveness.",
     "global evaluation of the researcher", "no difference"),
    # A verdict of no efficacy is no difference, though it names efficacy.
    ("Adults were randomized to drug A or placebo. The primary outcome was the Zanarini Rating Scale for "
     "Borderline Personality Disorder (ZAN-BPD). The mean ZAN-BPD score was 11.2 with drug A and 11.6 with "
     "placebo. Drug A is not a clinically effective treatment.",
     "zanarini rating scale for borderline personality disorder (zan-bpd)", "no difference"),
    # An effect looked for and not found.
    ("Children were randomized to lithium or placebo and rated their mood on the Profile of Mood States (POMS). "
     "Although reliable, the POMS did not detect any response to lithium.", "profile of mood states (poms)",
     "no difference"),
    # An aim under its label states no result.
    ("Objective\nTo assess the efficacy of drug A on the Profile of Mood States (POMS) in children. Methods: Children "
     "were randomized to drug A or placebo. Results: The POMS did not detect any response to drug A.",
     "profile of mood states (poms)", "no difference"),
    # "Superior to those seen in the placebo arm" compares the drug with placebo: no result of placebo alone.
    ("Patients of two placebo-controlled trials continued on drug A in an extension. Improvements on the Aberrant "
     "Behavior Checklist were observed, superior to those seen in the placebo arm of the first trials.",
     "aberrant behavior checklist", "improved"),
    # A difference found significant with no word for its direction, and a conclusion that the drug works.
    ("Women were randomized to drug A or placebo for 10 weeks. Significant differences on the Social Phobia "
     "Inventory (P < 0.001) were observed in the drug A group. Conclusion: Drug A appears to be an effective "
     "agent for social phobia and well tolerated.", "social phobia inventory", "improved"),
    # ... but not when the conclusion calls it ineffective.
    ("Women were randomized to drug A or placebo for 10 weeks. Significant differences on the Social Phobia "
     "Inventory (P < 0.01) were observed. Conclusion: Drug A was not an effective agent for social phobia.",
     "social phobia inventory", "no difference"),
    # The drug not tied to a change; a change seen whatever was given.
    ("Men were randomized to drug A or placebo. Drug A was not associated with a change from baseline compared "
     "with placebo in the primary endpoint (Social Responsiveness Scale).", "social responsiveness scale",
     "no difference"),
    ("Adults were randomized to drug A or placebo. Scores on the Beck Depression Inventory fell after the "
     "session, independent of treatment.", "beck depression inventory", "no difference"),
    # A harm the drug lessened is no verdict of worse.
    ("Adults were randomized to drug A or placebo. Compared with placebo, drug A reduced the Sheehan Disability "
     "Scale score and functional impairment.", "sheehan disability scale", "improved"),
    # The judging word inside an instrument's name is no result.
    ("Children were randomized to drug A or placebo in a crossover. All tolerated drug A; however, there were no "
     "statistically significant findings on the Clinical Global Impression Improvement Scale.",
     "clinical global impression improvement scale", "no difference"),
    # A verdict against placebo that names no measure speaks for the measures compared.
    ("Nine patients took drug A and placebo in a double-blind crossover. Changes on the Cambridge "
     "Depersonalization Scale were compared across the two periods. Drug A was not significantly superior to "
     "placebo. No patient responded to drug A. Drug A does not seem useful on its own.",
     "cambridge depersonalization scale", "no difference"),
    # A result for all the scales at once speaks for each, with or without a verdict word.
    ("Adults with social anxiety were randomized to drug A or placebo. Symptoms were measured with the Fear of "
     "Negative Evaluation Questionnaire and the Liebowitz Social Anxiety Scale. Drug A significantly decreased "
     "anxiety measured by both scales. Drug A may suit some patients.", "liebowitz social anxiety scale",
     "improved"),
    # A trend, or a change that only "tended to" happen, is no difference; nor is a measure none of
    # which the drug affected.
    ("Adults were randomized to drug A or placebo. Scores on the Beck Depression Inventory tended to be "
     "lower with drug A than with placebo.", "beck depression inventory", "no difference"),
    ("Adults were randomized to drug A or placebo. None of the subscales of the Profile of Mood States were "
     "affected by drug A compared with placebo.", "profile of mood states", "no difference"),
    # Complications are a burden: fewer is better.
    ("Patients were randomized to drug A or placebo. Serious gastrointestinal complications were reduced by 40% "
     "with drug A compared with placebo (P = 0.049).", "serious gastrointestinal complications", "improved"),
    # A change only marginal is no difference.
    ("Adults were randomized to drug A or placebo. Drug A significantly impaired free recall, but it only "
     "marginally impaired the Digit Symbol Substitution Test.", "digit symbol substitution test", "no difference"),
    # Two changes side by side with a significant test: the drug's larger change in the way both arms moved.
    ("Adults were randomized to drug A or placebo. Mean change in the Sheehan Disability Scale (SDS) score was "
     "-3.3 (-4.0, -2.6) for drug A versus -2.1 (-2.9, -1.3) for placebo (P = 0.03).",
     "sheehan disability scale (sds)", "improved"),
    ("Adults were randomized to drug A or placebo. Mean change in the Social Phobia Inventory score was -4.1 "
     "with drug A and -7.9 with placebo (p = 0.01).", "social phobia inventory", "worsened"),
    # "no effects on any other aspect" speaks for each measure given no result of its own.
    ("Healthy adults took drug A or placebo and completed an emotional dot-probe task and a startle test. "
     "Drug A increased the startle response. There were no effects of drug A on any other aspect of "
     "emotional processing. These results suggest that drug A acts on arousal first.",
     "emotional dot-probe task", "no difference"),
    ("Healthy adults took drug A or placebo and completed a face-matching task and a trust game. Drug A "
     "increased trust. Drug A had no effect on any of the other tasks. Drug A may act on social reward.",
     "face-matching task", "no difference"),
    # An outcome that defines response takes its direction from the compared response rates.
    ("Adults with social anxiety were randomized to drug A or placebo for 12 weeks. Response was defined as a "
     "Clinical Global Impression of Improvement (CGI-I) score of 1 or 2. Response rates were significantly "
     "higher with drug A than with placebo (52% vs 30%).", "cgi-i",
     "improved"),
    # A measure none of whose parts was "affected" by the drug is unchanged.
    ("Healthy men took drug A or placebo. Trust and the Social Value Orientation (SVO) were measured. Drug A "
     "lowered trust. None of the other facets of social behaviour or the SVO were affected by drug A. "
     "Drug A may act on social reward.", "social value orientation (svo)", "no difference"),
    # A measure "in the absence of changes" is unchanged; the finding beside it keeps its own direction.
    ("Healthy adults took drug A or placebo for a week. Drug A improved the Facial Expression Recognition Task "
     "relative to placebo, in the absence of changes in mood.", "mood", "no difference"),
    ("Healthy adults took drug A or placebo for a week. Drug A improved the Facial Expression Recognition Task "
     "relative to placebo, in the absence of changes in mood.", "facial expression recognition task", "improved"),
])
def test_the_direction_of_an_outcome_is_read_against_the_control(
        flagship: Protocol, abstract: str, instrument: str, direction: str) -> None:
    found = _outcomes(flagship, abstract)
    assert instrument in found, sorted(found)
    assert found[instrument]["direction"] == direction


@pytest.mark.parametrize("abstract", [
    # An unlabelled aim says what was asked, not what was found.
    "To determine whether drug A reduced bone mineral density, women were randomized to drug A or placebo. "
    "Bone mineral density was measured by absorptiometry.",
    # Groups alike at baseline say nothing of the treatment.
    "Women were randomized to drug A or placebo. There were no significant differences in bone mineral density "
    "between the groups at baseline. Bone mineral density was measured by absorptiometry.",
])
def test_aims_and_baseline_comparisons_give_no_direction(flagship: Protocol, abstract: str) -> None:
    found = _outcomes(flagship, abstract)
    assert found["bone mineral density"]["direction"] is None


def test_a_comparison_between_groups_outweighs_a_change_within_one(flagship: Protocol) -> None:
    found = _outcomes(flagship, "Adults with arthritis were randomized to drug A or drug B for 6 weeks. Pain scores "
                                "decreased by half with drug A (from 6 to 3). There was no significant difference between "
                                "drug A and drug B in pain scores.")
    assert found["pain scores"]["direction"] == "no difference"


@pytest.mark.parametrize(("abstract", "expected"), [
    # The patient's half of a paired global assessment is the patient's report.
    ("Efficacy was judged with the Patient's and Physician's Global Assessments of Disease Activity.",
     "self-report"),
    # Participants who rate or record something themselves report it.
    ("Each evening, participants rated the severity of their itching and sleep loss.", "self-report"),
    ("Patients and physicians jointly evaluated the response at the final visit.", "self-report"),
    ("Patients and physicians jointly evaluated the response at the final visit.", "clinician-rated"),
    # A combined symptom-and-rescue-medication score is kept by the patient.
    ("The main outcome was the weekly symptom-medication score during the pollen season.", "self-report"),
    # Preferences and surveys are what respondents say.
    ("After trying both inhalers, patients stated their device preference at the last visit.", "self-report"),
    ("Over one year, 410 outpatients completed a clinic-based survey about their headache treatment.",
     "self-report"),
    ("Psychological distress and coping style were compared between the two clinics.", "self-report"),
])
def test_what_participants_say_themselves_is_self_report(abstract: str, expected: str) -> None:
    assert expected in _classes(abstract)


@pytest.mark.parametrize(("abstract", "expected"), [
    # Cystometry measures the bladder: a body measure, like urodynamics.
    ("Maximum cystometric capacity rose after eight weeks of treatment.", "physiological"),
    ("Each child had a cystometrogram before and after the drug.", "physiological"),
    # Relief of a symptom is what the patient reports, whatever the verb form.
    ("Drug A was better than placebo at relieving headache two hours after the dose.", "self-report"),
])
def test_bladder_measures_and_symptom_relief_take_their_class(abstract: str, expected: str) -> None:
    assert expected in _classes(abstract)


def test_cerebral_blood_flow_is_not_a_body_measure() -> None:
    classes = _classes("During the attack, PET showed increased regional cerebral blood flow in the insula.")
    assert "neuroimaging" in classes and "physiological" not in classes


# --- measures named by the grammar of result sentences -----------------------------------------

def _result_phrases(sentence: str) -> list[str]:
    return [result_phrases.phrase_name(sentence, a, b) for a, b in result_phrases.phrases(sentence)]


@pytest.mark.parametrize(("sentence", "expected"), [
    # The subject of a comparison, a bracketed aside left out of its name.
    ("Peak level (in ng/mL) and exposure were similar after both meals.", ["Peak level and exposure"]),
    ("Time to first relief did not differ between the two arms.", ["Time to first relief"]),
    # The object of a difference or change, a list split at its commas.
    ("There were no significant differences in sleep quality, daytime fatigue and appetite.",
     ["sleep quality", "daytime fatigue", "appetite"]),
    ("Drug A gave a larger reduction in itch severity than placebo (p < 0.01).", ["itch severity"]),
    # What the drug relieved, improved or reduced, each item once.
    ("Drug A was better than drug B at relieving cough, improving sleep and reducing wheeze.",
     ["cough", "sleep", "wheeze"]),
    ("Results favoured drug A regarding stiffness on waking, walking distance and rescue use.",
     ["stiffness on waking", "walking distance", "rescue use"]),
    # A list opened by a prepositional lead loses the lead's item.
    ("For the metabolite, peak level and exposure were higher with food.", ["peak level and exposure"]),
])
def test_result_sentences_name_their_measures_by_their_grammar(sentence: str, expected: list[str]) -> None:
    # (Other phrases may come too: the outcome rules drop the arms and drugs among them.)
    found = _result_phrases(sentence)
    assert [p for p in found if p in expected] == expected, found


@pytest.mark.parametrize(("abstract", "instrument", "outcome_class"), [
    ("Adults with hay fever were randomized to drug A or placebo for two weeks. Compared with placebo, drug A "
     "gave greater reductions in sneezing, nasal itch and eye watering (p < 0.05).", "nasal itch", "self-report"),
    ("Adults with hay fever were randomized to drug A or placebo for two weeks. Compared with placebo, drug A "
     "gave greater reductions in sneezing, nasal itch and eye watering (p < 0.05).", "eye watering", None),
    # A pharmacokinetic parameter is a body measure.
    ("Twelve volunteers took drug A fasting and after a meal in random order. Cmax and AUC of drug A were "
     "higher after the meal than fasting (p < 0.01).", "cmax", "physiological"),
])
def test_measures_named_only_in_result_sentences_are_outcomes(
        flagship: Protocol, abstract: str, instrument: str, outcome_class: str | None) -> None:
    _assert_outcome(flagship, abstract, instrument, outcome_class)


@pytest.mark.parametrize(("abstract", "absent"), [
    # The drug or arm a comparison is about is no measure.
    ("Adults were randomized to drug A or drug B. Subcutaneous drug A was significantly more effective than "
     "oral drug B in relieving pain (p < 0.01).", "subcutaneous drug a"),
    ("Adults were randomized to drug A or placebo. The placebo group improved less than the drug A group "
     "(p = 0.03).", "placebo group"),
    # A change described with no comparison or test names no outcome.
    ("Adults were randomized to drug A or placebo. Appetite increased in most participants.", "appetite"),
    # Words too general to be a measure alone.
    ("Adults were randomized to drug A or placebo. Efficacy was similar in both arms (p = 0.4).", "efficacy"),
])
def test_result_phrases_that_name_no_measure_are_no_outcome(flagship: Protocol, abstract: str, absent: str) -> None:
    assert absent not in _outcomes(flagship, abstract)


def test_a_pharmacokinetic_parameter_gives_a_physiological_class() -> None:
    assert "physiological" in _classes("Each volunteer's Cmax, tmax and t1/2 were read from the profile.")


@pytest.mark.parametrize(("abstract", "instrument", "direction"), [
    # A change the drug did not bring about, a trend, a p value above 0.05: no difference.
    ("Adults were randomized to drug A or placebo. Nausea on the VAS was not increased by drug A.",
     "vas", "no difference"),
    ("Adults were randomized to drug A or placebo. There was a trend toward less pain on the VAS with drug A "
     "than with placebo.", "vas", "no difference"),
    ("Adults were randomized to drug A or placebo. Pain on the VAS fell more with drug A than with placebo "
     "(p = 0.21).", "vas", "no difference"),
    # Every active arm against an untreated control is a result against the control.
    ("Women were randomized to drug A, drug B, both, or no treatment. Pain on the VAS was significantly lower "
     "in all three active treatment groups in comparison with the control group.", "vas", "improved"),
    # How a response was defined states no result.
    ("Adults were randomized to drug A or placebo. Response was defined as an improvement of half on the VAS. "
     "The VAS was unchanged with drug A.", "vas", "no difference"),
])
def test_results_short_of_a_difference_and_definitions_are_read_as_such(
        flagship: Protocol, abstract: str, instrument: str, direction: str) -> None:
    found = _outcomes(flagship, abstract)
    assert instrument in found, sorted(found)
    assert found[instrument]["direction"] == direction


@pytest.mark.parametrize(("abstract", "instrument", "direction"), [
    # Less of a harm is better: a disturbance, a recurrence, an exposure raised by an interacting drug.
    ("Adults were randomized to drug A or placebo after surgery. Sleep disturbance was less frequent with "
     "drug A than with placebo (p = 0.01).", "sleep disturbance", "improved"),
    ("Adults with a healed ulcer were randomized to drug A or placebo. Ulcer recurrences were fewer with drug A "
     "than with placebo (p < 0.05).", "ulcer recurrences", "improved"),
    ("Twelve volunteers took drug B alone and with drug A in random order. The AUC of drug B rose two-fold "
     "with drug A (p < 0.01).", "auc", "worsened"),
])
def test_less_of_a_harm_is_an_improvement(flagship: Protocol, abstract: str, instrument: str, direction: str) -> None:
    found = _outcomes(flagship, abstract)
    assert instrument in found, sorted(found)
    assert found[instrument]["direction"] == direction


@pytest.mark.parametrize("abstract", [
    # Antibodies, allergen skin and airway challenges and the stomach's tone are body measures.
    "Specific IgE and IgG4 against the allergen were measured before and after a year of treatment.",
    "Skin prick reactivity and a bronchial challenge with the allergen were repeated at the end.",
    "A barostat recorded gastric tone after drug A and after placebo in each volunteer.",
])
def test_antibody_challenge_and_gastric_measures_are_physiological(abstract: str) -> None:
    assert "physiological" in _classes(abstract)


@pytest.mark.parametrize(("abstract", "instrument", "direction"), [
    # Active arms that both changed from baseline, with placebo only as a double dummy: no difference.
    ("Women with hot flushes were randomized to estradiol tablets plus a placebo patch or an estradiol patch "
     "plus placebo tablets. The weekly number of hot flushes fell significantly (p < 0.001) in both groups from "
     "baseline.", "hot flushes", "no difference"),
    ("Adults with an overactive bladder were randomized to drug A or drug B. The two drugs were effective in "
     "reducing urgency on the VAS (p < 0.001).", "vas", "no difference"),
    # Several words between "no" and "differences" still deny a difference.
    ("Adolescents were randomized to weekly or daily drug A. There were no statistical or clinical "
     "differences between the two schedules on the Aberrant Behavior Checklist.", "aberrant behavior checklist",
     "no difference"),
])
def test_changes_alike_in_every_arm_are_no_difference(
        flagship: Protocol, abstract: str, instrument: str, direction: str) -> None:
    found = _outcomes(flagship, abstract)
    assert instrument in found, sorted(found)
    assert found[instrument]["direction"] == direction


def test_whether_less_is_better_is_read_beside_the_outcome_not_from_another(flagship: Protocol) -> None:
    # Anxiety is a burden; the closeness ratings are not, though the sentence names both.
    found = _outcomes(flagship, "Volunteers took drug A and placebo in random order. Compared with placebo, drug A "
                                "increased scores on the Closeness to Others Scale (p < 0.01), and the low dose "
                                "increased scores on the Beck Anxiety Inventory.")
    assert found["closeness to others scale"]["direction"] == "improved"
    assert found["beck anxiety inventory"]["direction"] == "worsened"


def test_how_patients_differ_from_healthy_people_is_no_result_of_the_drug(flagship: Protocol) -> None:
    found = _outcomes(flagship, "Adults with autism and healthy controls took drug A and placebo in random order. "
                                "Gaze was recorded with the Eye Contact Task. Adults with autism looked less at the "
                                "eyes on the Eye Contact Task than healthy controls. Drug A increased looking at "
                                "the eyes on the Eye Contact Task (p = 0.01).")
    assert found["eye contact task"]["direction"] == "improved"


@pytest.mark.parametrize(("abstract", "instrument", "absent"), [
    # The change reported is no part of the measure's name.
    ("Women were randomized to estradiol or placebo for 12 weeks. Estradiol was more effective than placebo in "
     "relieving the symptoms of menopause (p < 0.01).", "symptoms of menopause", "relieving the symptoms"),
    # Relief alone is relief of what another outcome names, unless the trial is about pain.
    ("Adults with hay fever were randomized to loratadine or placebo. Loratadine gave relief of nasal symptoms "
     "more often than placebo (p < 0.01).", "nasal symptoms", "relief"),
])
def test_an_outcome_is_named_without_the_change_it_showed(
        flagship: Protocol, abstract: str, instrument: str, absent: str) -> None:
    found = _outcomes(flagship, abstract)
    assert instrument in found and absent not in found, sorted(found)


def test_relief_alone_is_an_outcome_of_a_pain_trial(flagship: Protocol) -> None:
    found = _outcomes(flagship, "Adults with migraine were randomized to sumatriptan or placebo. Nausea scores fell "
                                "more with sumatriptan than with placebo (p < 0.01). Relief was reported earlier with "
                                "sumatriptan than with placebo (p < 0.05).")
    assert "relief" in found, sorted(found)


def test_a_result_against_placebo_that_names_no_measure_speaks_for_the_outcome(flagship: Protocol) -> None:
    # The only result sentence says how people performed, not on which test: it is the test's result.
    found = _outcomes(flagship, "Twenty men received intranasal oxytocin and placebo in random order before the "
                                "Reading the Mind in the Eyes Test. The men performed worse with oxytocin compared with "
                                "placebo (p = 0.02). Plasma oxytocin was measured before each session.")
    assert found["reading the mind in the eyes test"]["direction"] == "worsened"


def test_an_outcome_a_carer_rated_is_named_by_what_was_rated(flagship: Protocol) -> None:
    _assert_outcome(flagship, "Thirty-two boys with fragile X were randomized to the spray or placebo. Compared "
                    "with placebo, the spray improved caregiver-rated social withdrawal.",
                    "caregiver-rated social withdrawal", "clinician-rated")


def test_evidence_quotes_the_text_as_written_while_the_rules_read_typeset_hyphens(flagship: Protocol) -> None:
    abstract = "Methods\nTwenty\u2010two adults with social anxiety were randomized to the drug or placebo."
    record = Record(source="test", raw="", title="A trial", abstract=abstract, id=5, source_id="t5")
    count = suggest_study(flagship, [record]).fields["n_total"]
    assert count.value == 22
    assert [e.text for e in count.evidence] == ["Twenty\u2010two adults"]


@pytest.mark.parametrize(("abstract", "expected"), [
    # a children's questionnaire or checklist is filled in by a parent or teacher
    ("Forty-two children with autism aged 4-12 years received the drug or placebo for 8 weeks. Problem "
     "behaviour was scored with the Developmental Behaviour Checklist.", ["clinician-rated"]),
    ("Children with fragile X (n = 30) took the drug or placebo. Scores on the Social Communication "
     "Questionnaire improved more with the drug.", ["clinician-rated"]),
    # ... unless it is called a self-report, or rates the child's own itch
    ("Thirty children aged 8-12 years received the drug or placebo. Anxiety was measured with a self-report "
     "questionnaire.", ["self-report"]),
    ("Itch was rated on a visual analogue scale in 24 children aged 5-11 years after the drug or placebo.",
     ["self-report"]),
    # adults, or mothers of young children, answer their own questionnaires
    ("Sixty adults received the drug or placebo. Social anxiety was measured with the Social Phobia Inventory.",
     ["self-report"]),
    ("Mothers of 50 young children received the drug or placebo. Mood was measured with a questionnaire.",
     ["self-report"]),
])
def test_a_childrens_questionnaire_is_an_observers_rating(flagship: Protocol, abstract: str,
                                                         expected: list[str]) -> None:
    record = Record(source="test", raw="", title="A controlled trial", abstract=abstract, id=5, source_id="t5")
    assert suggest_study(flagship, [record]).fields["outcome_classes"].value == expected


DIRECTION_PHRASINGS: list[tuple[str, str, str]] = [
    # The result names only the abbreviation given after the instrument's (or its subscale's) name;
    # an abbreviation ending in s ("LSAS") is the same outcome too.
    ("Boys with fragile X were randomized to the drug or placebo. The primary measure was the Aberrant "
     "Behavior Checklist-Social Withdrawal (ABC-SW) subscale. The drug led to a greater fall in ABC-SW than "
     "placebo.", "aberrant behavior checklist", "improved"),
    ("Adults with social anxiety were randomized to the drug or placebo for 12 weeks. The primary outcome was "
     "the Brief Social Phobia Scale (BSPS), the secondary the Social Phobia Inventory. The Social Phobia "
     "Inventory improved more with the drug than with placebo. BSPS scores did not differ between the arms.",
     "brief social phobia scale", "no difference"),
    ("Adults with social anxiety were randomized to the drug or placebo. The primary measure was change on the "
     "Liebowitz Social Anxiety Scale (LSAS). Improvement on the LSAS was greater with the drug than with "
     "placebo.", "liebowitz social anxiety scale", "improved"),
    # A disability or a carer's burden is a harm; an improvement said of a burden is still one.
    ("Adults with panic disorder were randomized to the drug or placebo. Outcomes included the Sheehan "
     "Disability Scale. The drug led to a significant reduction in the family and social items of the Sheehan "
     "Disability Scale.", "sheehan disability scale", "improved"),
    ("People with dementia were randomized to the drug or placebo. At 12 weeks there was greater improvement "
     "in carer burden on the Zarit Burden Interview with the drug.", "zarit burden interview", "improved"),
    # "... but not in the group given placebo" sets the drug's result against the control's.
    ("Patients with schizophrenia were randomized to sarcosine or placebo. The Scale for the Assessment of "
     "Negative Symptoms improved significantly in the sarcosine group but not in the group given placebo.",
     "scale for the assessment of negative symptoms", "improved"),
    # No significant findings or impact, no significant superiority, numbers lower without a test, and a
    # test that did not display improvement are no difference.
    ("Adults with PTSD received the drug and placebo in a randomized order. The Clinician-Administered PTSD "
     "Scale showed no statistically significant findings for the drug.", "clinician-administered ptsd scale",
     "no difference"),
    ("Adults with borderline personality disorder received the drug and placebo in a randomized order. Scores "
     "on the Dissociation Tension Scale were numerically lower with the drug than with placebo.",
     "dissociation tension scale", "no difference"),
    ("Adolescents with autism received the drug and placebo in random order. No significant impact was noted on "
     "the Social Responsiveness Scale.", "social responsiveness scale", "no difference"),
    ("Adults with depersonalisation were randomized to the drug or placebo. On the Cambridge Depersonalization "
     "Scale the drug was not significantly superior to placebo.", "cambridge depersonalization scale",
     "no difference"),
    ("Boys with fragile X were randomized to the drug or placebo. The continuous performance test did not "
     "display improvement with the drug.", "continuous performance test", "no difference"),
    # A change from baseline in the whole sample says nothing of the drug against placebo.
    ("Children with autism were randomized to the drug or placebo. The Social Responsiveness Scale did not "
     "differ between the arms (p = 0.41). The Social Responsiveness Scale improved significantly from baseline "
     "to week 12 for the entire group.", "social responsiveness scale", "no difference"),
    # A concession's clause speaks for the outcome it names, not the main clause's.
    ("Adults with social anxiety were randomized to the drug or placebo with therapy. Although the drug gave "
     "a faster fall in Liebowitz Social Anxiety Scale scores than placebo, the arms did not differ in "
     "remission.", "liebowitz social anxiety scale", "improved"),
    # A result for one dose or one sex only is mixed.
    ("Healthy adults took two doses of the drug and placebo in random order. The larger dose increased the "
     "desire to be with others on a visual analogue scale, compared with placebo.", "visual analogue scale",
     "mixed"),
    ("Healthy adults were randomized to the drug or placebo. The drug raised Social Value Orientation scores "
     "relative to placebo only in men.", "social value orientation", "mixed"),
]


@pytest.mark.parametrize(("abstract", "instrument", "direction"), DIRECTION_PHRASINGS)
def test_the_direction_follows_how_results_are_phrased(flagship: Protocol, abstract: str, instrument: str,
                                                       direction: str) -> None:
    assert _directions(flagship, abstract, instrument) == [direction]


def test_two_named_instruments_joined_by_and_are_not_a_third_outcome(flagship: Protocol) -> None:
    abstract = ("Adults with social anxiety were randomized to the drug or placebo. Outcomes were the Social Phobia "
                "Inventory and the Liebowitz Social Anxiety Scale. The Social Phobia Inventory and Liebowitz Social "
                "Anxiety Scale scores fell more with the drug than with placebo.")
    found = _outcomes(flagship, abstract)
    assert sorted(found) == ["liebowitz social anxiety scale", "social phobia inventory"]
    assert {o["direction"] for o in found.values()} == {"improved"}


# What a scan imaged is the outcome, not the scan: a region and its response, with what it
# responded to, named with the modality (each case written for this test).
@pytest.mark.parametrize(("abstract", "names", "absent"), [
    ("In a double-blind crossover study, 18 healthy men received the drug or placebo during functional magnetic "
     "resonance imaging. The drug reduced amygdala reactivity to angry faces but did not change activity in "
     "primary visual cortex.",
     ["amygdala reactivity to angry faces (fmri)", "activity in primary visual cortex (fmri)"], "functional magnetic"),
    ("Thirty patients were randomised to the drug or placebo and scanned with fMRI while viewing fearful faces. "
     "After four weeks the drug lowered left amygdala activation during fearful face-matching, and insula "
     "activation did not differ.",
     ["left amygdala activation during fearful face-matching (fmri)", "insula activation (fmri)"],
     "emotional faces fmri paradigm (fearful faces)"),
    ("In this placebo-controlled EEG study of 24 volunteers, the drug increased activity in the medial prefrontal "
     "cortex (mPFC) during social feedback.",
     ["activity in the medial prefrontal cortex (mpfc) during social feedback (eeg)"], "eeg"),
])
def test_a_brain_scan_outcome_is_named_by_what_was_imaged(flagship: Protocol, abstract: str, names: list[str],
                                                          absent: str) -> None:
    found = _outcomes(flagship, abstract)
    assert set(names) <= set(found), sorted(found)
    assert absent not in found
    assert {found[name]["class"] for name in names} == {"neuroimaging"}


def test_a_region_named_only_in_the_background_is_no_outcome(flagship: Protocol) -> None:
    found = _outcomes(flagship, "Background: Earlier work found reduced amygdala reactivity to threat after the drug. "
                                "Methods: In 20 healthy adults given the drug or placebo, we recorded fMRI during a "
                                "reward task. Results: Ventral striatum activation during reward anticipation rose.")
    assert "ventral striatum activation during reward anticipation (fmri)" in found
    assert not any(name.startswith("amygdala") for name in found)


def test_an_imaging_paradigm_of_the_vocabulary_in_a_study_with_no_scan_is_no_outcome(flagship: Protocol) -> None:
    found = _outcomes(flagship, "In a double-blind crossover study, 20 healthy adults took the drug or placebo and "
                                "then judged fearful faces in a face emotion recognition task.")
    assert not any("fmri paradigm" in name for name in found), sorted(found)


def test_an_abbreviation_given_after_a_name_joins_it(flagship: Protocol) -> None:
    found = _outcomes(flagship, "Sixty children were randomised to the drug or placebo. The Children's Sleep Habits "
                                "Questionnaire (CSHQ) and the Gilliam Autism Rating Scale-second edition (GARS-2) "
                                "were scored at baseline and week 8. GARS-2 scores fell more with the drug.")
    assert "children's sleep habits questionnaire (cshq)" in found, sorted(found)
    assert "gilliam autism rating scale-second edition (gars-2)" in found, sorted(found)


def test_the_clinical_global_impressions_severity_and_improvement_scales_are_two_outcomes(flagship: Protocol) -> None:
    found = _outcomes(flagship, "Adults were randomized to drug A or placebo. Secondary measures were the Clinical "
                                "Global Impressions-Severity of Illness (CGI-S) and the CGI-I. The CGI-I improved "
                                "more with drug A than with placebo (p = 0.02); the CGI-S did not differ.")
    names = sorted(found)
    assert len([n for n in names if "cgi" in n or "clinical global" in n]) == 2, names
    assert found["cgi-i"]["direction"] == "improved"


def test_a_lower_case_qualifier_after_a_comma_stays_in_the_name_before_its_abbreviation(flagship: Protocol) -> None:
    found = _outcomes(flagship, "Children were randomized to drug A or placebo. The primary measures were the Social "
                                "Anxiety Scale, child or adolescent version (SAS-CA) and, for response, the CGI-I. "
                                "Compared with placebo, drug A improved the SAS-CA (p = .001).")
    assert "social anxiety scale, child or adolescent version (sas-ca)" in found, sorted(found)
    assert found["social anxiety scale, child or adolescent version (sas-ca)"]["direction"] == "improved"
    assert not any(name.startswith("child or adolescent") for name in found)


@pytest.mark.parametrize(("abstract", "absent"), [
    # words of the statistics only
    ("Adults were randomized to drug A or placebo. An intent-to-treat analysis showed no difference between "
     "drug A and placebo on the Beck Depression Inventory.", "intent-to-treat analysis"),
    # a clause read as a name
    ("Adults were randomized to drug A or placebo. Among secondary outcomes, there was a modest advantage for "
     "drug A over placebo on the Beck Depression Inventory.", "there was a modest advantage for drug a"),
    # covariates the analysis was adjusted for
    ("Children were randomized to drug A or placebo. After adjusting for age, dietary intake, and mother's BMI, "
     "the drug A group had significantly improved scores on the Aberrant Behavior Checklist (p = 0.02).",
     "dietary intake"),
])
def test_a_name_that_measures_nothing_is_no_outcome(flagship: Protocol, abstract: str, absent: str) -> None:
    found = _outcomes(flagship, abstract)
    assert absent not in found, sorted(found)
    assert found, "the measured outcome stays"


@pytest.mark.parametrize(("abstract", "name", "direction"), [
    ("Healthy volunteers received drug A and placebo in separate sessions. Drug A significantly impaired "
     "recognition of facial fear and anger compared with placebo.", "recognition of facial fear and anger", "worsened"),
    ("Healthy volunteers received drug A and placebo in separate sessions. Compared with placebo, drug A "
     "significantly facilitated detection of target words.", "detection of target words", "improved"),
    ("Healthy volunteers received drug A and placebo in separate sessions. Compared with placebo, drug A did "
     "not consistently affect recall of word lists.", "recall of word lists", "no difference"),
    ("Healthy men received drug A and placebo in separate sessions and played a money game. Rejection rates "
     "of unfair offers did not differ between drug A and placebo.", "rejection rates of unfair offers",
     "no difference"),
])
def test_what_a_drug_impaired_or_facilitated_is_an_outcome_and_a_performance_is_behavioural(
        flagship: Protocol, abstract: str, name: str, direction: str) -> None:
    found = _outcomes(flagship, abstract)
    assert name in found, sorted(found)
    assert (found[name]["class"], found[name]["direction"]) == ("behavioural", direction)


def test_an_abbreviation_joins_only_a_name_it_can_stand_for(flagship: Protocol) -> None:
    found = _outcomes(flagship, "Women were randomized to drug A or placebo. Lumbar bone mineral density (LBMD) rose "
                                "more with drug A than with placebo (p < 0.01). SCORAD, eosinophilic cationic protein "
                                "(ECP) and eosinophilic protein X (EPX) serum levels did not differ.")
    assert not any("(lbmd)" in name and not name.startswith("lumbar") for name in found), sorted(found)
    assert not any(name.startswith("scorad") and "ecp" in name for name in found), sorted(found)


def test_a_result_clause_read_as_a_name_keeps_its_subject(flagship: Protocol) -> None:
    found = _outcomes(flagship, "Adults were randomized to drug A, drug B or placebo for 4 weeks. Serum marker "
                                "levels did not differ. Symptoms were significantly decreased in the actively "
                                "treated groups.")
    assert "symptoms" in found and not any(" were " in name for name in found), sorted(found)


def test_a_named_scale_no_sentence_gives_a_rater_for_is_the_participants_own(flagship: Protocol) -> None:
    found = _outcomes(flagship, "Adults were randomized to drug A or placebo for 8 weeks. The Beck Suicide Ideation "
                                "Scale fell more with drug A than with placebo (p = 0.03). The Brief Psychiatric "
                                "Rating Scale did not differ.")
    assert found["beck suicide ideation scale"]["class"] == "self-report"
    assert found["brief psychiatric rating scale"]["class"] == "clinician-rated"


@pytest.mark.parametrize(("abstract", "name"), [
    ("Healthy volunteers received drug A and placebo in separate sessions while a soft brush stroked their arm. "
     "Compared with placebo, drug A significantly reduced touch pleasantness.", "touch pleasantness"),
    ("Healthy volunteers received drug A and placebo in separate sessions and viewed pictures of scenes. "
     "Ratings of unpleasant scenes were significantly lower under drug A than under placebo.",
     "ratings of unpleasant scenes"),
])
def test_what_participants_rate_or_feel_about_an_experiments_stimuli_is_self_report(
        flagship: Protocol, abstract: str, name: str) -> None:
    found = _outcomes(flagship, abstract)
    assert name in found, sorted(found)
    assert found[name]["class"] == "self-report"


def test_an_outcome_named_by_a_tasks_faces_is_behavioural(flagship: Protocol) -> None:
    found = _outcomes(flagship, "Healthy volunteers received drug A and placebo in separate sessions and sorted "
                                "pictures of faces by emotion. Compared with placebo, drug A significantly reduced "
                                "the misreading of happy faces as sad.")
    assert "happy faces" in found, sorted(found)
    assert found["happy faces"]["class"] == "behavioural"


def test_a_game_played_is_named_without_the_verb(flagship: Protocol) -> None:
    found = _outcomes(flagship, "Ten volunteers took reboxetine or placebo for two weeks and then played "
                                "the Tangrams game; commands rose on reboxetine.")
    assert "tangrams game" in found, sorted(found)
    assert found["tangrams game"]["class"] == "behavioural"


def test_a_brain_response_that_rose_or_fell_has_no_better_end(flagship: Protocol) -> None:
    found = _outcomes(flagship, "Twenty healthy men received citalopram or placebo during fMRI. Citalopram "
                                "significantly reduced amygdala responses to fearful faces compared with placebo. "
                                "The Beck Depression Inventory improved significantly more on citalopram.")
    brain = [v for k, v in found.items() if "amygdala" in k]
    assert brain and brain[0]["class"] == "neuroimaging" and brain[0]["direction"] is None, found
    assert found["beck depression inventory"]["direction"] == "improved", found



def test_an_outcome_named_only_by_the_scanner_is_called_fmri(flagship: Protocol) -> None:
    found = _outcomes(flagship, "Thirty healthy men received cortisol or placebo and then saw emotional faces in a "
                                "functional magnetic resonance imaging (fMRI) scanner. Cortisol reduced repetition "
                                "suppression in the amygdala.")
    assert "fmri" in found and not any(name.startswith("functional magnetic") for name in found), sorted(found)
