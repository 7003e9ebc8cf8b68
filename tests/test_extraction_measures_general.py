"""The classes of the outcomes a study measured: phrasings written for these tests, in the ways
trial abstracts commonly word them (not copied from any abstract)."""

from __future__ import annotations

import pytest

from livingreview.extraction import measures
from livingreview.extraction.passages import Passage


def _classes(abstract: str, title: str = "A randomised trial") -> list[str]:
    passages = [Passage(1, "title", title), Passage(1, "abstract", abstract)]
    return list(measures.outcome_classes(passages, {}).value)


@pytest.mark.parametrize(("abstract", "expected"), [
    # a result that found no change still names what was measured
    ("Sixty adults took the drug or placebo. There were no clinically relevant changes in ECG intervals.",
     "physiological"),
    ("Forty women were treated. No clinically meaningful alterations in plasma glucose were found.",
     "physiological"),
    # a judgement of efficacy or status with no rater named is the investigator's
    ("We randomised 90 patients. Global efficacy did not differ between the two drugs.", "clinician-rated"),
    ("Overall therapeutic response and global eczema status favoured the cream.", "clinician-rated"),
    ("Eighty children were randomised. Severity was scored with the SCORAD index.", "clinician-rated"),
    # symptoms named as what went down, with no rater, are what participants reported
    ("Treatment was followed by reductions in anxiety and insomnia symptoms over twelve weeks.", "self-report"),
    ("In the active arm, symptoms were markedly decreased after one week.", "self-report"),
    ("The cream was better at relieving the accompanying symptoms of the rash.", "self-report"),
    ("The tablet lowered the intensity of pain more than placebo did.", "self-report"),
    ("Participants reported perceived barriers and self-efficacy before and after the course.", "self-report"),
    ("The scale measured body image dissatisfaction in 120 outpatients.", "self-report"),
    # what clinicians did and what learners could show
    ("Doctors given the reminder made more imaging test orders and more referrals to specialists.",
     "behavioural"),
    ("Nurses were randomised to workshops or reading; knowledge gained was tested after three months.",
     "behavioural"),
    # blood counts, allergen challenges and pad tests are body measures
    ("Platelet counts and mean corpuscular volume were recorded at each visit.", "physiological"),
    ("The provocative dose in a conjunctival challenge rose with the antihistamine.", "physiological"),
    ("Urine loss was measured with a one-hour pad test at baseline and week 8.", "physiological"),
    # bladder and urethral pressures, skin reactivity, laboratory variables and the heart's parameters
    ("Detrusor pressure and bladder compliance were recorded before and after the drug.", "physiological"),
    ("Maximal urethral closure pressure fell after four weeks of the tablet.", "physiological"),
    ("The antihistamine reduced skin reactivity to allergens more than the other drug did.", "physiological"),
    ("Clinical and laboratory variables were checked every month of the extension.", "physiological"),
    ("Cardiological parameters under exercise were recorded after each dose.", "physiological"),
    # the tasks of social and emotional experiments are what participants did, and a startle reflex a body measure
    ("After oxytocin or placebo, volunteers completed a facial emotion recognition task.", "behavioural"),
    ("Ketamine did not change the accuracy of emotion labelling; identification accuracy fell for fear.",
     "behavioural"),
    ("Attention to threat was measured with a dot-probe before and after the first dose.", "behavioural"),
    ("Participants judged moral dilemmas after propranolol or placebo.", "behavioural"),
    ("Response latencies were longer after the drug than after placebo.", "behavioural"),
    ("The racial implicit association test was given two hours after the tablet.", "behavioural"),
    ("An emotion-potentiated startle was recorded during the session.", "physiological"),
])
def test_outcome_classes_follow_the_ways_abstracts_name_measures(abstract: str, expected: str) -> None:
    assert expected in _classes(abstract)


@pytest.mark.parametrize(("abstract", "absent"), [
    # a test that selected or diagnosed the participants measured no outcome
    ("We enrolled 200 women with urodynamically confirmed detrusor overactivity. Diaries were kept.",
     "physiological"),
    ("Allergy was characterised by skin tests and history. Patients kept symptom diaries.", "physiological"),
    # screening as a service delivered is what clinicians did, not a body measure
    ("The reminder raised rates of blood pressure screening and cholesterol screening in practice.",
     "physiological"),
    # a disease's flare, not the skin's flare response
    ("Patients with arthritis of the hip in a flare state rated their pain on a diary.", "physiological"),
    # an area under the curve of a clinical score is no drug exposure
    ("The AUC of patient global ratings showed a dose response over 12 weeks.", "physiological"),
    # the patient's own global assessment is a report, not a clinician's rating
    ("Efficacy was measured by the patient-reported global assessment of disease status.", "clinician-rated"),
    # symptoms that improve in a depression trial are not a self-report by themselves
    ("The infusion was associated with improvements in symptoms in the patient group.", "self-report"),
    # an interview that diagnosed the participants measured no outcome
    ("Children had autism diagnosed by DSM-IV criteria using the Autism Diagnostic Interview-Revised. The "
     "Aberrant Behavior Checklist was the outcome measure.", "self-report"),
    # a confirmatory test before randomisation selected the participants
    ("Adults with urge incontinence underwent a confirmatory cystometrogram before randomization. Leakage "
     "was counted in a three-day diary.", "physiological"),
    # a test not done measured nothing
    ("Ulcers were detected by clinical symptoms, not by scheduled endoscopy.", "physiological"),
    # the interview that diagnosed the sample measured no outcome
    ("Adults with social anxiety disorder diagnosed by the Structured Clinical Interview for DSM-IV rated "
     "their own anxiety daily.", "clinician-rated"),
])
def test_what_selected_or_served_participants_is_no_outcome_class(abstract: str, absent: str) -> None:
    assert absent not in _classes(abstract)


@pytest.mark.parametrize("abstract", [
    # a referral recommended or offered is care, not a counted outcome
    "Guidelines advise brief advice backed by referral to a specialist service for smokers.",
    # an assessment that is part of care is not a rating scale
    "Risk is always judged as part of a full clinical assessment of the person.",
])
def test_care_that_is_offered_or_recommended_is_no_measure(abstract: str) -> None:
    assert _classes(abstract) == []


def test_referrals_counted_as_a_result_are_what_clinicians_did() -> None:
    assert "behavioural" in _classes("Referrals to cardiologists did not increase with the reminder software.")


@pytest.mark.parametrize(("abstract", "expected"), [
    # attitudes and symptom scales are asked of the participants
    ("After the infusion we assessed detection thresholds, dissociative states and attitudes to touch.",
     "self-report"),
    ("Patients repeated the task and the symptom scales one day after each infusion.", "self-report"),
    # playing a game while scanned is a brain imaging study even when the scanner's kind is not named
    ("While being scanned, volunteers played repeated rounds of an economic game.", "neuroimaging"),
])
def test_what_participants_were_asked_and_a_scan_without_its_name_give_classes(abstract: str,
                                                                               expected: str) -> None:
    assert expected in _classes(abstract)


@pytest.mark.parametrize(("abstract", "expected"), [
    # measures that found nothing abnormal were still taken
    ("Diaries showed fewer leaks. There were no electrocardiographic or biochemical abnormalities.",
     "physiological"),
    ("The drug was well tolerated, with no electrocardiographic evidence of harm to the heart.", "physiological"),
    # the same position in a named scanner as an earlier brain scan
    ("Seven volunteers lay in the PET scanner while heat was applied to the forehead.", "neuroimaging"),
])
def test_measures_that_found_nothing_and_a_named_scanner_give_classes(abstract: str, expected: str) -> None:
    assert expected in _classes(abstract)


@pytest.mark.parametrize("abstract", [
    "Compared with placebo, the nasal spray improved caregiver-rated social responsiveness.",
    "We compared carer-reported Neuropsychiatric Inventory scores at week 12 between the two arms.",
    "Teacher ratings of hyperactivity fell more with the drug than with placebo.",
    "Observational measures of joint attention were coded weekly during play.",
    "Autism severity was scored with the Childhood Autism Rating Scale and adaptive skills with the Vineland.",
])
def test_what_a_carer_teacher_or_observer_rates_is_an_observers_rating(abstract: str) -> None:
    assert _classes(abstract) == ["clinician-rated"]



@pytest.mark.parametrize("abstract", [
    "Forty men received oxytocin or placebo and then made a one-shot decision in a monetary transfer task.",
    "In an incentivized laboratory experiment, drinkers given alcohol or placebo chose between lotteries.",
    "Healthy adults took haloperidol or placebo before a game-theoretic paradigm with an unknown partner.",
    "Aggressive responding was measured with a laboratory model of aggression after each dose.",
])
def test_money_games_and_laboratory_experiments_are_behavioural(abstract: str) -> None:
    assert _classes(abstract) == ["behavioural"]


@pytest.mark.parametrize("abstract", [
    "Eosinophil cationic protein (ECP) levels in nasal lavage fell on the spray.",
    "After twelve weeks, E2 levels had risen in both hormone groups.",
    "The oestradiol concentration rose with treatment but symptoms did not change.",
    "Progesterone levels were higher on the combined tablet.",
    "The number of activated T cells in the biopsies fell on the antihistamine.",
    "CD4+ cells were counted at baseline and after six months.",
    "Whealing after the bite was smaller with the first antihistamine.",
])
def test_an_analytes_level_a_cell_count_and_whealing_are_body_measures(abstract: str) -> None:
    assert "physiological" in _classes(abstract)


@pytest.mark.parametrize("abstract", [
    # the level is what the study set out to change, or what a brain measure was related to
    "We tested the causal role of the hormone by manipulating testosterone levels in forty women.",
    "Higher testosterone levels were related to stronger striatal activity during the game.",
    # a level of anxiety is a feeling, not an analyte
    "Anxiety levels fell after the session.",
    # a gas's concentrations are its doses
    "Volunteers breathed the gas at inspired concentrations of 20-80% in oxygen; it did not act as a reinforcer "
    "across a wide range of concentrations.",
])
def test_a_level_set_or_correlated_or_felt_is_no_body_measure(abstract: str) -> None:
    assert "physiological" not in _classes(abstract)


@pytest.mark.parametrize("abstract", [
    # a level aimed at is the dose, a threshold says who could take part
    "Forty volunteers received an infusion of ketamine (target plasma 100 ng/ml) or saline and rated faces "
    "on a questionnaire.",
    "Adults were eligible unless their body mass index (BMI) was greater than 35; mood was rated on a questionnaire.",
    # a biomarker hoped for was not measured; other concentrations are doses for later studies
    "Mood was rated by questionnaire. Amygdala reactivity may be a potential biomarker predicting response.",
    "Mood was rated by questionnaire. Future studies might test other concentrations of the gas.",
    # a precursor of a body substance named to explain a drug is no measure of it
    "Adults took N-acetylcysteine, a glutathione precursor, or placebo, and rated their mood.",
])
def test_a_dose_aimed_at_a_threshold_or_a_hoped_for_biomarker_is_no_body_measure(abstract: str) -> None:
    assert "physiological" not in _classes(abstract)


@pytest.mark.parametrize(("abstract", "expected"), [
    # the brain's responses measured with no scanner named, and an ERP component by its name
    ("Twenty men took oxytocin or placebo; we measured brain activity while they watched a partner in pain.",
     "neuroimaging"),
    ("After the drug, amygdala activation to threatening scenes was lower than after placebo.", "neuroimaging"),
    ("Students took paracetamol or placebo; N170 amplitudes to faces did not differ.", "neuroimaging"),
    # the heart's slowing after feedback, and what peers said of a child
    ("After unexpected rejection, cardiac deceleration was larger on placebo than on the drug.", "physiological"),
    ("We compared peer nominations of the boys after placebo and after each dose.", "clinician-rated"),
    # what participants said they felt, a detection task's sensitivity, a game played, behaviour filmed
    ("Volunteers took ibuprofen or placebo daily, and the drug reduced reports of hurt feelings.", "self-report"),
    ("Participants given the drug reported feeling closer to their partner than those given placebo.",
     "self-report"),
    ("After each dose, sensitivity (d') for detecting faces in noise was computed.", "behavioural"),
    ("After the tablets, each volunteer played the Tangrams game with a flatmate.", "behavioural"),
    ("Boys were videotaped in free play after placebo and after methylphenidate.", "behavioural"),
    # a clinician's interview, and what flatmates rate of a participant
    ("Volunteers given ketamine also underwent structured clinical interviews about bodily experiences.",
     "clinician-rated"),
    ("After two weeks of the drug, flatmate ratings of agreeable behaviour rose.", "clinician-rated"),
    # the body's own signals: muscle, skin, breathing rhythm, movement, a metabolite's level
    ("Facial EMG over the zygomatic muscle was recorded while volunteers viewed smiles after oxytocin.",
     "physiological"),
    ("After the drug, electrodermal responses to threatening faces were smaller than after placebo.",
     "physiological"),
    ("Respiratory sinus arrhythmia rose during the interaction after the peptide.", "physiological"),
    ("Sleep was measured by wrist actigraphy over two weeks of treatment.", "physiological"),
    ("Peripheral glutathione levels predicted the response to the drug.", "physiological"),
    # scales the respondents fill in, named without saying so; bedside tests of cognition; urine tests
    ("Veterans were randomized to the drug or placebo; the Davidson Trauma Scale fell more on the drug.",
     "self-report"),
    ("Women with borderline personality disorder scored lower on the Affective Lability Scale after lamotrigine.",
     "self-report"),
    ("Cognition was assessed with the Mini-Mental State Examination at weeks 0 and 6.", "behavioural"),
    ("The share of negative weekly urine cannabinoid tests did not differ between the groups.", "physiological"),
    # tasks told by what they involve or measure, choices, gaze, speech and naming emotions
    ("The drug impaired tasks involving sustained attention and short-term memory.", "behavioural"),
    ("Doses were compared on a battery of psychological performance measures.", "behavioural"),
    ("In a choice procedure, volunteers sampled the gas and placebo and then chose one.", "behavioural"),
    ("After the drug, errors on the Wisconsin test fell.", "behavioural"),
    ("The peptide lengthened eye-gaze orientation to emotional scenes.", "behavioural"),
    ("Speech quantity was recorded throughout each conversation.", "behavioural"),
    ("Older adults were less accurate in identifying sad faces after placebo than after the peptide.", "behavioural"),
    ("After propranolol, implicit attitude scores towards other groups fell.", "behavioural"),
    ("Volunteers completed a labelling task of emotional expressions after each dose.", "behavioural"),
    ("Wanting for touch was measured with a key-press task after the peptide.", "behavioural"),
    # bedside scales an observer scores: sedation, delirium, a child's anxiety at induction
    ("Sedation was assessed with the Ramsay sedation score at 1 and 2 hours.", "clinician-rated"),
    ("Delirium was screened twice daily with the Confusion Assessment Method.", "clinician-rated"),
    ("Anxiety at induction was lower after dexmedetomidine on the mYPAS.", "clinician-rated"),
])
def test_measures_told_by_what_was_recorded_or_done_give_classes(abstract: str, expected: str) -> None:
    assert expected in _classes(abstract)



def test_psychiatric_symptoms_with_no_scale_named_have_no_class_in_a_drug_trial() -> None:
    abstract = "Adults with depression were randomized to ketamine or placebo; depressive symptoms fell after ketamine."
    passages = [Passage(1, "title", "A randomised trial"), Passage(1, "abstract", abstract)]
    assert "self-report" not in measures.outcome_classes(passages, {}, drug_given=True).value
    # a survey's respondents told their own symptoms
    assert "self-report" in measures.outcome_classes(passages, {}, drug_given=False).value


def test_a_clinicians_scale_of_subjective_symptoms_and_symptom_severity_in_a_drug_trial_are_no_report() -> None:
    abstract = ("Adults were randomized to ketamine or placebo. Subjective symptoms were indexed with the "
                "Clinician Administered Dissociative States Scale. Subjective symptoms scores rose after ketamine.")
    passages = [Passage(1, "title", "A randomised trial"), Passage(1, "abstract", abstract)]
    assert "self-report" not in measures.outcome_classes(passages, {}, drug_given=True).value
    panic = ("Adults with panic disorder were randomized to the drug or placebo. Anxiety severity fell more on the "
             "drug, and the Clinical Global Impression improved.")
    passages = [Passage(1, "title", "A randomised trial"), Passage(1, "abstract", panic)]
    assert "self-report" not in measures.outcome_classes(passages, {}, drug_given=True).value


def test_a_neuromagnetic_response_is_meg() -> None:
    passages = [Passage(1, "title", "Memantine and the mismatch field"),
                Passage(1, "abstract", "We recorded the neuromagnetic mismatch field in twelve volunteers before "
                                       "and after memantine.")]
    assert measures.imaging_modalities(passages).value == ["MEG"]
    assert "neuroimaging" in measures.outcome_classes(passages, {}).value


def test_the_scores_of_a_parental_questionnaire_are_the_parents_rating() -> None:
    abstract = ("This randomized trial in epileptic children, aged 4 to 11 years, measured sleep with a parental "
                "questionnaire. The total sleep score fell more with melatonin than with placebo.")
    passages = [Passage(1, "title", "Melatonin and sleep in epilepsy"), Passage(1, "abstract", abstract)]
    assert measures.outcome_classes(passages, {}, drug_given=True).value == ["clinician-rated"]
    # children's own reports, in the same words, stay theirs when no parent rates anything
    own = abstract.replace("with a parental questionnaire", "with a self-report questionnaire")
    passages = [Passage(1, "title", "Melatonin and sleep in epilepsy"), Passage(1, "abstract", own)]
    assert measures.outcome_classes(passages, {}, drug_given=True).value == ["self-report"]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Craving was rated after each cue session and fell more with naltrexone than placebo.", "self-report"),
    ("Depressive symptoms on the BDI-II and the PHQ-9 improved.", "self-report"),
    ("Sleep quality (PSQI) and health status (SF-36) did not change.", "self-report"),
    ("Withdrawal on the Clinical Opiate Withdrawal Scale (COWS) was milder with lofexidine.", "clinician-rated"),
    ("Tic severity on the YGTSS fell with the drug.", "clinician-rated"),
    ("Errors on the Stroop and stop-signal tasks were fewer after modafinil.", "behavioural"),
    ("Cocaine self-administration fell after the drug.", "behavioural"),
    # bedside scales of delirium and a child's pain or distress, and a clinician's satisfaction
    ("Delirium was assessed with the Intensive Care Delirium Screening Checklist.", "clinician-rated"),
    ("Pain on the FLACC scale was lower after surgery.", "clinician-rated"),
    ("The physician's satisfaction with aggression control was higher with the drug.", "clinician-rated"),
    ("Neonate Apgar scores did not differ.", "clinician-rated"),
    # what is monitored around an operation
    ("Blood oxygen saturation and respiratory rate did not differ between the groups.", "physiological"),
    ("Low SpO2 was more frequent with the drug; hemodynamic parameters were stable.", "physiological"),
    ("Blood electrolyte status was monitored and movement actometer readings fell.", "physiological"),
    # samples tested for drugs, breath, sleep recorded in the body, fat, insulin and inflammation
    ("Opioid-free urine samples did not differ between the arms.", "physiological"),
    ("Expired carbon monoxide and the CO boost after smoking were lower with the patch.", "physiological"),
    ("Home polysomnography (PSG) showed no change in total sleep time.", "physiological"),
    ("Visceral adipose tissue, insulin sensitivity and inflammatory markers were measured.", "physiological"),
    # informants, direct observation, observer scores and the global improvement a rater judges
    ("Measures of autism symptoms were gathered from parents, teachers and investigators.", "clinician-rated"),
    ("Direct observation measures did not change over time.", "clinician-rated"),
    ("Observer scores of anxiety at induction were lower with the drug.", "clinician-rated"),
    ("Seventy percent of children were much to very much improved.", "clinician-rated"),
    # cognitive testing and batteries are performed by the participant
    ("Patients given ketamine performed worse in cognitive testing.", "behavioural"),
])
def test_widely_used_instruments_are_classed_by_who_fills_them_in(sentence: str, expected: str) -> None:
    passages = [Passage(1, "title", "A randomised trial"),
                Passage(1, "abstract", "Forty adults were randomized to the drug or placebo. " + sentence)]
    assert expected in measures.outcome_classes(passages, {}, drug_given=True).value


def test_a_childs_behaviour_named_with_no_report_of_its_own_is_no_self_report() -> None:
    abstract = ("Forty-five autistic children aged 2 to 7 years were randomized to haloperidol or placebo. Behavioral "
                "symptoms were reduced with haloperidol.")
    passages = [Passage(1, "title", "Haloperidol in autistic children"), Passage(1, "abstract", abstract)]
    assert measures.outcome_classes(passages, {}, drug_given=True).value == []
    # adults' behavioural symptoms, in the same words, stay theirs to report
    adults = [Passage(1, "title", "Haloperidol in adults"),
              Passage(1, "abstract", abstract.replace("autistic children aged 2 to 7 years", "adults"))]
    assert measures.outcome_classes(adults, {}, drug_given=True).value == ["self-report"]


def test_the_brains_hemodynamic_changes_are_no_body_measure() -> None:
    passages = [Passage(1, "title", "Methylphenidate and faces in ADHD"),
                Passage(1, "abstract", "We measured the hemodynamic changes in the temporo-occipital areas of 20 "
                                       "children with near-infrared spectroscopy after methylphenidate.")]
    assert "physiological" not in measures.outcome_classes(passages, {}, drug_given=True).value


@pytest.mark.parametrize(("sentence", "expected"), [
    # evoked responses and rhythms of the scalp recording, named without "EEG"
    ("The P50 auditory evoked potential and the N170 to faces were recorded.", ["EEG"]),
    ("Frontal theta power and gamma oscillations rose after the drug.", ["EEG"]),
    # ... but the MEG's own in a study that records MEG
    ("Resting gamma power was recorded with magnetoencephalography.", ["MEG"]),
    # a radiotracer's binding, named without "PET"
    ("[11C]raclopride binding potential in the striatum fell after amphetamine.", ["PET"]),
])
def test_a_modality_is_read_from_what_it_records(sentence: str, expected: list[str]) -> None:
    passages = [Passage(1, "title", "A drug and the brain"),
                Passage(1, "abstract", "Twenty healthy volunteers took the drug and placebo. " + sentence)]
    assert measures.imaging_modalities(passages).value == expected


def test_what_later_studies_are_called_on_to_measure_is_no_outcome_class() -> None:
    passages = [Passage(1, "title", "Memantine in autism"),
                Passage(1, "abstract", "Forty children were randomized to memantine or placebo. Irritability on the "
                                       "Aberrant Behavior Checklist fell. Future studies with inflammatory cytokine "
                                       "measurements are warranted.")]
    assert measures.outcome_classes(passages, {}, drug_given=True).value == ["clinician-rated"]

