"""What was given and what it did, read from sentences written for these tests in the ways trial
abstracts usually state interventions and results (drugs, doses, routes, outcome classes,
imaging, constructs, and each outcome's instrument, class and direction)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from livingreview.extraction.lexicon import lexicon_path
from livingreview.extraction.service import suggest_study
from livingreview.protocol import load_protocol
from livingreview.protocol.models import Protocol
from livingreview.records import Record

pytestmark = pytest.mark.skipif(lexicon_path() is None, reason="drug-named-entity-recognition is not installed")

_FLAGSHIP = Path(__file__).resolve().parent.parent / "examples" / "glutamate-entactogens" / "protocol.toml"


@pytest.fixture(scope="module")
def flagship() -> Protocol:
    return load_protocol(_FLAGSHIP)


def _fields(protocol: Protocol, abstract: str, title: str = "Effects of a single treatment in adults: a controlled study") -> dict[str, object]:
    record = Record(source="test", raw="", title=title, abstract=abstract, id=5, source_id="t5")
    return {name: s.value for name, s in suggest_study(protocol, [record]).fields.items()}


def _outcomes(protocol: Protocol, abstract: str, title: str = "Effects of a single treatment in adults: a controlled study") -> list[dict[str, object]]:
    record = Record(source="test", raw="", title=title, abstract=abstract, id=5, source_id="t5")
    return [{name: s.value for name, s in outcome.items()} for outcome in suggest_study(protocol, [record]).outcomes]


def _same_instrument(a: object, b: str) -> bool:
    """The gold set's pairing rule: one name's words contain the other's, or overlap by half."""
    wa, wb = (set(re.findall(r"[a-z0-9]+", str(x or "").lower())) for x in (a, b))
    return bool(wa and wb) and (wa <= wb or wb <= wa or len(wa & wb) / len(wa | wb) >= 0.5)


# --- drugs, doses, routes ----------------------------------------------------------------------

@pytest.mark.parametrize(("abstract", "drugs", "doses", "routes"), [
    ("Twenty healthy men received ketamine 0.5 mg/kg intravenously over 40 min or saline placebo "
     "in randomized order.", ["ketamine"], ["0.5 mg/kg"], ["intravenous"]),
    ("Adults with treatment-resistant depression were randomized to intranasal esketamine 56 or 84 mg "
     "or to placebo twice weekly.", ["esketamine"], ["56 mg", "84 mg"], ["intranasal"]),
    ("Participants took D-cycloserine (50 mg, p.o.) or placebo one hour before each exposure session.",
     ["d-cycloserine"], ["50 mg"], ["oral"]),
    ("Volunteers received a single 24 IU dose of oxytocin by nasal spray or placebo 45 minutes before "
     "scanning.", ["oxytocin"], ["24 IU"], ["intranasal"]),
    ("MDMA (125 mg) or placebo was given orally to healthy participants in a double-blind crossover "
     "design.", ["mdma"], ["125 mg"], ["oral"]),
    ("Patients were randomly assigned to memantine 20 mg/day or placebo for 12 weeks.",
     ["memantine"], ["20 mg/day"], []),
    ("Ketamine (0.5 mg/kg) was given as an intramuscular injection to 30 patients.",
     ["ketamine"], ["0.5 mg/kg"], ["intramuscular"]),
    ("Subjects inhaled nitrous oxide or medical air for one hour on two occasions.",
     ["nitrous oxide"], [], ["inhaled"]),
    ("Patients were randomly assigned to naltrexone tablets (50 mg/day) versus placebo.",
     ["naltrexone"], ["50 mg/day"], ["oral"]),
    ("Migraine attacks were treated with sumatriptan 6 mg subcutaneously or placebo.",
     ["sumatriptan"], ["6 mg"], ["subcutaneous"]),
])
def test_study_drugs_doses_and_routes_as_abstracts_state_them(flagship: Protocol, abstract: str,
                                                              drugs: list[str], doses: list[str],
                                                              routes: list[str]) -> None:
    got = _fields(flagship, abstract)
    assert [str(d).lower() for d in got["drugs"]] == drugs
    assert sorted(str(d).replace(" ", "").lower() for d in got["doses"]) == sorted(
        d.replace(" ", "").lower() for d in doses)
    assert got["routes"] == routes


@pytest.mark.parametrize(("abstract", "drugs"), [
    # A drug named as another's metabolite is measured, not given.
    ("We measured plasma concentrations of codeine and its active metabolite, morphine, after a single "
     "60 mg dose of codeine in 12 volunteers. Morphine concentrations were low.", ["codeine"]),
    # A drug named only in what earlier research found is context.
    ("Ketamine has rapid antidepressant effects. Earlier work suggested that riluzole may sustain them. "
     "In this study, 40 patients were randomized to a single infusion of ketamine or midazolam.",
     ["ketamine", "midazolam"]),
    # A challenge agent provokes the symptom the study drug treats.
    ("Nitroglycerin-induced headache was treated with zolmitriptan or placebo in 20 migraineurs.",
     ["zolmitriptan"]),
    # The spelled-out name of MDMA, not the amphetamine inside it.
    ("In this randomized trial, 3,4-methylenedioxymethamphetamine-assisted therapy was compared with "
     "therapy plus placebo in 90 adults with PTSD.", ["mdma"]),
    ("Postmenopausal women were randomized to conjugated estrogens 0.625 mg/day or placebo.",
     ["conjugated estrogens"]),
    # Drugs people could not take, or took only for rescue.
    ("Patients taking lithium were excluded. Forty patients were randomized to ketamine or placebo. Paracetamol "
     "500 mg was allowed as rescue medication.", ["ketamine"]),
    # A hormone measured in a survey was not given to anyone.
    ("We surveyed 400 older men and measured salivary testosterone levels and cortisol.", []),
])
def test_only_drugs_given_in_the_study_are_study_drugs(flagship: Protocol, abstract: str, drugs: list[str]) -> None:
    assert sorted(str(d).lower() for d in _fields(flagship, abstract)["drugs"]) == sorted(drugs)


@pytest.mark.parametrize(("abstract", "routes"), [
    # A route of earlier treatment is not the study's.
    ("Patients who had not responded to oral antidepressants received intravenous ketamine.", ["intravenous"]),
    ("Healthy volunteers received capsules of the drug or identical placebo capsules.", ["oral"]),
    ("The drug was given as a continuous infusion over 40 minutes.", ["intravenous"]),
    # A route of background treatment every arm gets, named by its class.
    ("Adults were randomized to esketamine nasal spray or placebo spray, each with a newly started oral "
     "antidepressant.", ["intranasal"]),
])
def test_routes_come_from_how_the_study_drug_was_given(flagship: Protocol, abstract: str, routes: list[str]) -> None:
    assert _fields(flagship, abstract)["routes"] == routes


def test_a_concentration_measured_in_blood_is_not_a_dose(flagship: Protocol) -> None:
    got = _fields(flagship, "Eighteen adults were given ketamine. Peak plasma levels reached 120 ng/ml.")
    assert got["doses"] == []


# --- outcome classes, imaging, constructs -------------------------------------------------------

@pytest.mark.parametrize(("abstract", "classes"), [
    ("Depressive symptoms were rated by blinded clinicians on the Montgomery-Asberg Depression Rating "
     "Scale (MADRS).", ["clinician-rated"]),
    ("Participants completed the Beck Depression Inventory before and after treatment.", ["self-report"]),
    ("Emotion recognition was assessed with the Reading the Mind in the Eyes Test.", ["behavioural"]),
    ("Brain activity was measured with functional magnetic resonance imaging during an emotional face "
     "matching task.", ["neuroimaging"]),
    ("Heart rate, blood pressure and plasma cortisol were measured every 30 minutes.", ["physiological"]),
    ("Psychotic symptoms were rated with the Positive and Negative Syndrome Scale.", ["clinician-rated"]),
    ("Improvement was judged on the Clinical Global Impression scale.", ["clinician-rated"]),
    ("Pain intensity was rated by patients on a 100-mm visual analogue scale.", ["self-report"]),
    ("Empathy was measured with the Interpersonal Reactivity Index.", ["self-report"]),
    ("Participants played a trust game with an anonymous partner.", ["behavioural"]),
    ("Parents completed the Social Responsiveness Scale at baseline and week 12.", ["clinician-rated"]),
    ("Anxiety was rated with the Hamilton Anxiety Rating Scale.", ["clinician-rated"]),
    ("Mood was rated with the Profile of Mood States questionnaire.", ["self-report"]),
    ("Tolerability was evaluated by the volunteer and the investigator.", ["self-report", "clinician-rated"]),
])
def test_outcome_classes_follow_the_instrument(flagship: Protocol, abstract: str, classes: list[str]) -> None:
    got = _fields(flagship, "Thirty adults were randomized to ketamine or placebo. " + abstract)
    assert got["outcome_classes"] == classes


@pytest.mark.parametrize(("abstract", "modalities"), [
    ("Resting-state EEG was recorded before and after the infusion.", ["EEG"]),
    ("The mismatch negativity was recorded to deviant tones.", ["EEG"]),
    ("Glutamate in the anterior cingulate cortex was measured with proton magnetic resonance "
     "spectroscopy.", ["MRS"]),
    ("Dopamine release in the striatum was measured with [11C]raclopride PET.", ["PET"]),
    ("Evoked fields were recorded with magnetoencephalography.", ["MEG"]),
    ("The BOLD response of the amygdala to fearful faces decreased compared with placebo.", ["fMRI"]),
    ("Functional MRI was acquired during the task, and the MRI session lasted one hour.", ["fMRI"]),
    ("Hippocampal volume was measured with MRI before and after treatment.", ["other"]),
    # a task scan named by no modality, known by the brain activation it showed
    ("Participants were scanned 2 hours after the dose (0.5 mg/kg) while performing a reward task. "
     "Activation in the nucleus accumbens rose after ketamine.", ["fMRI"]),
    ("Participants were scanned for side effects while resting. Activation of the immune system rose.", []),
    # Imaging of the heart is not neuroimaging.
    ("Myocardial perfusion was measured with positron emission tomography.", []),
    ("Myocardial perfusion was the outcome. Each volunteer underwent a baseline PET scan and a second scan after "
     "the injection.", []),
    # A heart rate measured beside brain imaging does not make it cardiac.
    ("Heart rate was recorded. Dopamine release was measured with PET scans before and after the dose.", ["PET"]),
    # spectroscopic imaging is MRS; near-infrared spectroscopy is not
    ("Brain lithium was mapped with a 3D MRSI approach.", ["MRS"]),
    ("Haemodynamic responses were recorded with near-infrared spectroscopy over the frontal cortex.", ["other"]),
])
def test_imaging_modalities_are_brain_imaging_only(flagship: Protocol, abstract: str, modalities: list[str]) -> None:
    got = _fields(flagship, "Thirty adults were randomized to ketamine or placebo. " + abstract)
    assert got["imaging_modalities"] == modalities


@pytest.mark.parametrize(("abstract", "construct"), [
    ("Participants played a trust game after the nasal spray.", "trust"),
    ("Empathy was measured with the Multifaceted Empathy Test.", "empathy"),
    ("Theory of mind was assessed with the Reading the Mind in the Eyes Test.", "mentalizing"),
    ("Ratings of feeling close to others increased.", "social connectedness"),
    # a subscale that names the construct it rates, in a result that found no difference
    ("Irritability improved, but not lethargy/social withdrawal [F(1.6, 71.0) = 0.98, p = 0.36].",
     "social functioning"),
    ("Both groups improved in social adjustment and peer relationships.", "social functioning"),
    ("Social and occupational impairment improved more than after placebo.", "social functioning"),
    ("The drug attenuated the retention of fear memory a week later.", "emotional processing"),
    ("Women completed the Social Connection Scale; the vaccine did not change feelings of social connection.",
     "social connectedness"),
])
def test_constructs_come_from_the_protocol_vocabulary(flagship: Protocol, abstract: str, construct: str) -> None:
    got = _fields(flagship, "Thirty adults were randomized to MDMA or placebo. " + abstract)
    assert construct in got["constructs"]


# --- per outcome: instrument, class, direction ---------------------------------------------------

_DESIGN = "Forty adults were randomized to receive the study drug or placebo. "


@pytest.mark.parametrize(("results", "instrument", "outcome_class", "direction"), [
    ("Ketamine improved Reading the Mind in the Eyes Test accuracy relative to placebo.",
     "Reading the Mind in the Eyes Test", "behavioural", "improved"),
    ("There was no significant difference in HAM-D scores between the groups.", "HAM-D",
     "clinician-rated", "no difference"),
    ("MADRS scores decreased significantly more with esketamine than with placebo (p = 0.02).", "MADRS",
     "clinician-rated", "improved"),
    ("Compared with placebo, ketamine impaired performance on the trust game.", "trust game",
     "behavioural", "worsened"),
    ("Dissociative symptoms measured with the CADSS increased during the infusion compared with placebo.",
     "CADSS", "clinician-rated", "worsened"),
    ("Oxytocin had no effect on Dictator Game offers.", "Dictator Game", "behavioural", "no difference"),
    ("Scores on the Beck Depression Inventory were significantly lower after the drug than after placebo.",
     "Beck Depression Inventory", "self-report", "improved"),
    ("The drug did not change Interpersonal Reactivity Index scores.", "Interpersonal Reactivity Index",
     "self-report", "no difference"),
    ("Headache pain relief at 2 hours was significantly greater with the drug than with placebo.",
     "headache pain relief", "self-report", "improved"),
    ("Wheal and flare areas were significantly suppressed by the drug compared with placebo.", "wheal",
     "physiological", "improved"),
    ("PANSS total scores did not differ between the groups at week 8.", "PANSS", "clinician-rated",
     "no difference"),
    ("The drug improved Hamilton Depression Rating Scale scores at 24 hours but not at day 7.",
     "Hamilton Depression Rating Scale", "clinician-rated", "mixed"),
    ("Bone mineral density increased by 3% with the drug and fell by 1% with placebo (p < 0.01).",
     "bone mineral density", "physiological", "improved"),
    # Result words without a 'significant' or 'effect' in sight still state a result.
    ("Patients on the drug reported earlier onset of headache relief than those on placebo.", "headache relief",
     "self-report", "improved"),
    ("Analgesic efficacy of the two treatments was similar.", "analgesic efficacy", "self-report", "no difference"),
    ("There were no significant variations in headache frequency between the groups.", "headache frequency",
     "self-report", "no difference"),
    # Scales of problem behaviour and illness severity: a lower score is the better one.
    ("Total scores on the Aberrant Behavior Checklist were significantly lower with the drug than with placebo.",
     "Aberrant Behavior Checklist", "clinician-rated", "improved"),
    ("Children's Yale-Brown Obsessive Compulsive Scale scores decreased more with the drug than with placebo "
     "(p = 0.01).", "Children's Yale-Brown Obsessive Compulsive Scale", "clinician-rated", "improved"),
    ("The drug led to a greater fall in Clinical Global Impression severity than placebo (p = 0.02).",
     "Clinical Global Impression", "clinician-rated", "improved"),
])
def test_each_outcome_gets_its_instrument_class_and_direction(flagship: Protocol, results: str, instrument: str,
                                                             outcome_class: str, direction: str) -> None:
    outcomes = _outcomes(flagship, _DESIGN + results)
    found = [o for o in outcomes if _same_instrument(o["instrument"], instrument)]
    assert found, f"no outcome named like {instrument!r} in {[o['instrument'] for o in outcomes]}"
    assert found[0]["class"] == outcome_class
    assert found[0]["direction"] == direction


def test_two_results_in_one_sentence_are_read_clause_by_clause(flagship: Protocol) -> None:
    outcomes = _outcomes(flagship, _DESIGN + "MADRS scores did not change, while CGI scores improved significantly "
                         "compared with placebo.")
    directions = {str(o["instrument"]): o["direction"] for o in outcomes}
    assert directions == {"MADRS": "no difference", "CGI": "improved"}


def test_two_active_arms_alike_without_placebo_show_no_difference(flagship: Protocol) -> None:
    outcomes = _outcomes(flagship, "Eighty women were randomized to 1 mg or 2 mg of the drug daily for 12 weeks. "
                         "Both doses were equally effective in reducing the Kupperman index.")
    assert [o["direction"] for o in outcomes if _same_instrument(o["instrument"], "Kupperman index")] == ["no difference"]


def test_a_result_stated_for_the_placebo_arm_alone_favours_the_drug(flagship: Protocol) -> None:
    outcomes = _outcomes(flagship, _DESIGN + "In the placebo group, bone mineral density decreased significantly "
                         "after 6 months.")
    found = [o for o in outcomes if _same_instrument(o["instrument"], "bone mineral density")]
    assert found and found[0]["direction"] == "improved"


def test_a_statement_of_the_primary_outcome_names_it_and_its_rank(flagship: Protocol) -> None:
    outcomes = _outcomes(flagship, _DESIGN + "The primary outcome was the change in MADRS total score at day 28. "
                         "Esketamine reduced MADRS scores more than placebo did.")
    madrs = [o for o in outcomes if _same_instrument(o["instrument"], "MADRS")]
    assert madrs and madrs[0]["role"] == "primary" and madrs[0]["direction"] == "improved"


def test_a_result_told_of_the_primary_outcome_by_its_rank_gives_its_direction(flagship: Protocol) -> None:
    outcomes = _outcomes(flagship, _DESIGN + "The primary outcome was the change in MADRS score over 20 weeks. "
                         "Results: Regarding the primary outcome measure, the between-group difference was "
                         "statistically non-significant (p = 0.88).")
    madrs = [o for o in outcomes if _same_instrument(o["instrument"], "MADRS")]
    assert madrs and madrs[0]["role"] == "primary" and madrs[0]["direction"] == "no difference"


def test_each_outcome_takes_the_rank_word_nearest_before_it(flagship: Protocol) -> None:
    outcomes = _outcomes(flagship, _DESIGN + "The primary outcome was the Social Responsiveness Scale; secondary "
                         "outcomes included the Reading the Mind in the Eyes Test.")
    roles = {str(o["instrument"]): o["role"] for o in outcomes}
    assert roles == {"Social Responsiveness Scale": "primary", "Reading the Mind in the Eyes Test": "secondary"}


def test_a_result_told_in_the_words_of_the_construct_gives_the_instruments_direction(flagship: Protocol) -> None:
    outcomes = _outcomes(flagship, "Thirty adults received MDMA and placebo in random order and completed the Social "
                         "Connectedness Scale. MDMA increased feelings of closeness to others relative to placebo.")
    found = [o for o in outcomes if _same_instrument(o["instrument"], "Social Connectedness Scale")]
    assert found and found[0]["direction"] == "improved"


def test_a_result_stated_for_all_measures_at_once_gives_each_its_direction(flagship: Protocol) -> None:
    outcomes = _outcomes(flagship, _DESIGN + "Behaviour was rated with the Child Behavior Checklist and memory with "
                         "the Rey Auditory Verbal Learning Test. There were no significant differences between the "
                         "groups on either of the behaviour and memory measures.")
    assert [o["direction"] for o in outcomes] == ["no difference", "no difference"]


def test_an_instrument_with_a_proper_name_is_an_outcome_even_when_no_list_knows_it(flagship: Protocol) -> None:
    outcomes = _outcomes(flagship, _DESIGN + "Cognition was tested with the McCarthy Scales of Children's Abilities "
                         "and mood with the Menstrual Distress Questionnaire; groups were compared with Fisher's Exact "
                         "Test. Scores on the Menstrual Distress Questionnaire did not differ between groups.")
    names = {str(o["instrument"]): o for o in outcomes}
    assert {"McCarthy Scales of Children's Abilities", "Menstrual Distress Questionnaire"} <= set(names)
    assert not any("Exact" in name for name in names)
    assert names["Menstrual Distress Questionnaire"]["class"] == "self-report"
    assert names["Menstrual Distress Questionnaire"]["direction"] == "no difference"


def test_instruments_that_describe_participants_at_entry_are_not_outcomes(flagship: Protocol) -> None:
    outcomes = _outcomes(flagship, "Twenty patients diagnosed with the Structured Clinical Interview for DSM-IV were "
                         "randomized to ketamine or placebo. The Edinburgh Handedness Inventory was given at entry. "
                         "The Snaith-Hamilton Pleasure Scale improved with ketamine compared with placebo.")
    assert [(o["instrument"], o["class"], o["direction"]) for o in outcomes] == [
        ("Snaith-Hamilton Pleasure Scale", "self-report", "improved")]


def test_words_that_are_not_measures_do_not_become_outcomes(flagship: Protocol) -> None:
    outcomes = _outcomes(flagship, _DESIGN + "Blood samples were taken by patients at home. Serum was stored. "
                         "Subjective effects were rated on the Drug Effects Questionnaire.")
    names = [str(o["instrument"]).lower() for o in outcomes]
    assert "serum" not in names and "by patients" not in names
