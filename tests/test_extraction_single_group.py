"""Studies with no comparison arm (everyone given the same drug) and studies that assign nothing at
random, read from phrasings such abstracts use in general.

Each snippet is written for this test (not taken from any record) and goes through the whole text
pipeline (`suggest_study` with the flagship protocol), so the design fields see the drugs that the
other rules read, as on real records. Only the fields a case names are checked.
"""

from __future__ import annotations

import pytest

from _extraction_cases import Case, check_case, flagship, needs_lexicon, suggested_values

from livingreview.protocol.models import Protocol

pytestmark = needs_lexicon


SINGLE = {"randomised": "no", "allocation": "single-group", "control": "none"}


SINGLE_GROUP_CASES: list[Case] = [
    # kinds of participants compared, all given the same drug
    ("Naproxen in knee and hip pain.",
     "Forty patients with knee pain and 30 patients with hip pain were treated with naproxen 500 mg twice "
     "daily for six weeks. Pain relief in the knee group was compared with that in the hip group and did "
     "not differ.", SINGLE),
    # a pharmacokinetic study in one group: the dose is taken, not "given"
    ("Ibuprofen kinetics in older men.",
     "Plasma ibuprofen was measured for 24 hours after ingestion of a single 400 mg dose in 16 healthy "
     "men aged 65 to 80 years. Peak levels in the oldest men were higher compared to those in the "
     "youngest.", SINGLE),
    # a state of the same people compared, not a second treatment
    ("Brain responses to sumatriptan.",
     "Nine volunteers were given sumatriptan 6 mg subcutaneously during an attack. Blood flow in the "
     "headache state was compared with the headache-free state.", SINGLE),
    # an open study read against the group's own start, with no verb of giving
    ("Long-term zolmitriptan for migraine.",
     "In this open-label study 210 patients with migraine could treat every attack with zolmitriptan "
     "2.5 mg for one year. Disability scores fell significantly from baseline.", SINGLE),
    # groups by earlier treatment, all given the same drug: results "in each group" are no arms
    ("Darifenacin in new and switched patients.",
     "This open-label study enrolled 420 patients with overactive bladder, 250 new to treatment and 170 "
     "switched from another drug, who all took darifenacin 7.5 mg daily for 12 weeks. Urgency episodes "
     "fell by half in each group.", SINGLE),
    # a training measured before and after in the same people, no drug at all
    ("Teaching nurses to recognise delirium.",
     "Fifty-two ward nurses were assessed with written case vignettes before and after the training "
     "course. Correct recognition rose from 41% to 78%.", SINGLE),
    # a second drug given first to the same people: a sequential design, still one group
    ("Ondansetron and the growth hormone response to sumatriptan.",
     "Sumatriptan 6 mg was given to ten healthy men, and again after pre-treatment with ondansetron "
     "8 mg. Growth hormone rose threefold after sumatriptan; the rise was halved after pre-treatment.", SINGLE),
    # two drugs taken together by everyone: an interaction study
    ("Does ketoconazole raise tolterodine exposure?",
     "Eight healthy volunteers were given tolterodine 2 mg together with ketoconazole 200 mg daily for "
     "four days. Plasma tolterodine rose threefold over the first day.", SINGLE),
    # healthy controls scanned once are people compared, not an arm; the patients are read against
    # their own start
    ("Lamotrigine and faces in bipolar disorder.",
     "We scanned 14 patients with bipolar disorder when medication-free, beside healthy controls, and again "
     "after 12 weeks of lamotrigine monotherapy. Activation in the temporal cortex fell.", SINGLE),
    ("Psilocybin and the amygdala.",
     "In 20 healthy adults, amygdala reactivity to angry faces was lower during a single dose of psilocybin "
     "as compared to baseline.", SINGLE),
    # measured in the same people around the dose
    ("Nitrous oxide and the EEG.",
     "High-density EEG was recorded in 18 volunteers before, during and after inhalation of nitrous oxide; "
     "afterwards they rated how unreal the world had felt.", SINGLE),
    # a drug given while measuring, with the drug-free measurement set against it
    ("Nitrous oxide and the contingent negative variation.",
     "Five healthy volunteers were tested while breathing air and then nitrous oxide. The CNV was reduced during "
     "N2O inhalation.", SINGLE),
    ("Propofol and the P300.",
     "The P300 was recorded in 10 volunteers sedated with a computer-controlled infusion of propofol. Reaction "
     "times rose from 347 ms (control) to 622 ms.", SINGLE),
    ("Propofol and the processed EEG.",
     "EEG power increased during the propofol infusion in eight healthy men (P < 0.05 vs the result after the "
     "infusion) and subjects received a propofol infusion titrated to sedation.", SINGLE),
    # the authors gave it, whatever words of reporting they use, and "control systems" are no arm
    ("Dexmedetomidine and EEG oscillations.",
     "We administered dexmedetomidine and recorded high-density EEG in healthy volunteers (n = 8). We report "
     "the oscillations it induced, which may aid the development of control systems for sedation.", SINGLE),
    # patients entering a prospective treatment
    ("Frontal EEG and antidepressant response.",
     "82 patients with major depressive disorder entered an 8-week prospective treatment with venlafaxine. "
     "Theta power predicted response.", SINGLE),
    # the placebo-controlled trials of others that a background cites are no arm of this study
    ("Memantine for social impairment in autism: an open pilot.",
     "Placebo-controlled trials of drugs for the core social deficits of autism have mostly failed. In this "
     "open-label pilot, seven boys with autism (mean age 8 years) took memantine; five were judged "
     "responders after 12 weeks.", SINGLE),
]

NOT_SINGLE_GROUP_CASES: list[tuple[str, str]] = [
    # a training with a control group
    ("Teaching nurses to recognise delirium.",
     "Nurses of four wards were assessed before and after the training course; nurses of four other "
     "wards served as controls."),
    # a second route or formulation of the drug is a second treatment
    ("Sumatriptan by two routes.",
     "Twelve volunteers were given sumatriptan. Its bioavailability after the injection was 96% compared "
     "to 14% for the oral tablet."),
    # two drugs and no word of giving them together: compared, not combined
    ("Ibuprofen, naproxen and the stomach.",
     "Ten healthy volunteers were given ibuprofen and naproxen. Gastric injury was seen after naproxen "
     "but not after ibuprofen."),
    # a comparison whose far side names a drug
    ("Naproxen for knee pain.",
     "Thirty patients were treated with naproxen for four weeks; pain relief was compared with that "
     "reported earlier with ibuprofen."),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), SINGLE_GROUP_CASES,
                         ids=[c[0] for c in SINGLE_GROUP_CASES])
def test_everyone_given_the_drug_is_a_single_uncontrolled_group(flagship: Protocol, title: str, abstract: str,
                                                                 expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


@pytest.mark.parametrize(("title", "abstract"), NOT_SINGLE_GROUP_CASES, ids=[c[0] for c in NOT_SINGLE_GROUP_CASES])
def test_a_second_treatment_compared_is_no_single_group(flagship: Protocol, title: str, abstract: str) -> None:
    got = suggested_values(flagship, title, abstract)
    assert (got["allocation"], got["control"]) != ("single-group", "none")


# Designs that assign nothing: the people a study has are followed, audited or interviewed.
NOT_RANDOMISED_CASES: list[tuple[str, str]] = [
    ("Stimulants and empathy in ADHD.",
     "Forty drug-naive youths with ADHD naturalistically treated with methylphenidate monotherapy were seen "
     "again after six months. Empathy scores rose."),
    ("Hip fractures in the very old.",
     "Our surgical experience with 64 patients over 90 years of age operated on for a hip fracture "
     "between 2001 and 2010 is summed up. Mortality at one year was 31%."),
    ("Outcome of chronic cough.",
     "A prospective study of 85 consecutive patients referred with chronic cough. Cough resolved in 60% "
     "within a year."),
    ("How general practitioners manage back pain.",
     "Individual interviews were held with 18 general practitioners chosen by purposive sampling. A "
     "thematic analysis identified three barriers to following the guideline."),
    # people counted and measured, no drug and no arm
    ("Sleep in night-shift nurses.",
     "Sleep diaries and wrist actigraphy were obtained from 143 nurses working rotating night shifts. "
     "Total sleep time was shortest after the second night shift."),
    ("Asthma reviews in primary care.",
     "Forty practices audited their asthma reviews over two six-month periods. The share of patients "
     "with a written action plan rose from 22% to 47%."),
]


@pytest.mark.parametrize(("title", "abstract"), NOT_RANDOMISED_CASES, ids=[c[0] for c in NOT_RANDOMISED_CASES])
def test_a_design_that_assigns_nothing_is_not_randomised(flagship: Protocol, title: str, abstract: str) -> None:
    check_case(flagship, title, abstract, {"randomised": "no"})


def test_people_counted_beside_a_wait_list_arm_are_not_called_unrandomised(flagship: Protocol) -> None:
    check_case(flagship, "Group therapy for insomnia.",
           "Eighty-four adults with insomnia joined group therapy or a wait-list. Sleep efficiency improved "
           "with therapy.", {"randomised": "not-stated"})


def test_consecutive_patients_given_placebo_or_a_drug_are_not_called_unrandomised(flagship: Protocol) -> None:
    # how the arms were formed is not said: the guidelines' not-stated, not "no"
    check_case(flagship, "Naproxen for acute gout.",
           "Sixty consecutive patients with acute gout were given naproxen or placebo for five days. Pain "
           "fell faster with naproxen.", {"randomised": "not-stated", "control": "placebo"})


# Drug profiles that recount other people's trials and describe no study of their own.
DRUG_PROFILES: list[tuple[str, str]] = [
    ("Naproxen for tension headache: an appraisal.",
     "Naproxen has been compared with paracetamol in a placebo-controlled trial, with similar relief at two "
     "hours. Its tolerability resembles that of other anti-inflammatory drugs."),
    ("Clinical profile of sertraline in panic disorder.",
     "Randomised, double-blind studies show that sertraline 50 mg daily is as effective as imipramine 150 mg "
     "daily in reducing panic attacks, with fewer side effects. Sertraline is therefore a reasonable first "
     "choice."),
    ("Efficacy of rizatriptan for migraine.",
     "In comparative trials, rizatriptan 5 mg, rizatriptan 10 mg and placebo were compared for pain relief. "
     "In another large trial it relieved pain faster than sumatriptan 100 mg."),
]


@pytest.mark.parametrize(("title", "abstract"), DRUG_PROFILES)
def test_a_drug_profile_recounting_others_trials_gets_no_design(flagship: Protocol, title: str,
                                                                 abstract: str) -> None:
    check_case(flagship, title, abstract, {"allocation": "not-stated", "control": "not-stated"})


def test_a_health_survey_questionnaire_and_repeated_assessments_leave_a_single_group(flagship: Protocol) -> None:
    # The SF-36 "Health Survey" is a questionnaire, not a survey design; assessments "on three
    # occasions during the treatment period" are not crossover periods.
    check_case(flagship, "Quality of life during long-term naratriptan use.",
           "A total of 210 adults with migraine treated their attacks with oral naratriptan 2.5 mg for one year. "
           "On three occasions during the treatment period they completed the SF-36 Health Survey. Scores "
           "improved relative to baseline.", SINGLE)


# One group given the drug, told in words that elsewhere mean another design: a trial the authors
# plan next, a call for blinded trials, "qualitative" feedback, a section's label, a cohort that is
# the trial's own subgroup, "we present".
ONE_GROUP_IN_OTHER_WORDS: list[tuple[str, str]] = [
    ("Early experience with MDMA-assisted therapy for binge eating.",
     "We present the first results of an open-label pilot of MDMA-assisted therapy for binge eating. So far "
     "five participants have finished the 10-week course with two MDMA sessions each. None had a serious "
     "adverse event. We are now making plans to expand the pilot into a randomised placebo-controlled trial."),
    ("Psilocybin for body dysmorphic disorder: an open-label feasibility study.",
     "In this open-label feasibility study, 12 adults with body dysmorphic disorder received a single 25 mg "
     "dose of psilocybin with psychological support. Vital signs and laboratory values did not change. "
     "Participants' qualitative feedback suggested that the treatment was acceptable."),
    ("Ganaxolone in catamenial seizures.",
     "OBJECTIVE: Catamenial seizures are common. The harm of untreated seizures and the lack of hormonal "
     "treatments have drawn attention. Ganaxolone was evaluated as a treatment for catamenial seizures in a "
     "proof-of-concept, open-label study. METHODS: Eight women "
     "received ganaxolone for three cycles. RESULTS: Seizure counts fell. CONCLUSIONS: Larger, double-blind "
     "trials are needed."),
    ("Memantine for apathy in the stroke cohort of an open-label trial.",
     "Methods: This was an open-label, 12-week trial; patients took memantine 20 mg daily. Results of the "
     "stroke cohort are reported. Results: 61 patients were treated, and apathy scores fell from baseline."),
    ("Infused levodopa in advanced Parkinson's disease.",
     "We compared the scores of 30 patients assessed before and 12 months after the start of intrajejunal "
     "levodopa infusion. Motor fluctuations fell and mood did not change."),
    ("Ketamine-assisted couples therapy for depression.",
     "Eight couples, one partner with depression, undertook a course of treatment combining couples therapy "
     "with three ketamine sessions. Both partners reported better relationship satisfaction."),
]


@pytest.mark.parametrize(("title", "abstract"), ONE_GROUP_IN_OTHER_WORDS)
def test_one_group_is_read_through_words_of_other_designs(flagship: Protocol, title: str, abstract: str) -> None:
    check_case(flagship, title, abstract, SINGLE)


def test_an_open_label_observational_study_stays_observational(flagship: Protocol) -> None:
    check_case(flagship, "Age and the response to mirabegron.",
               "Data from an open-label, observational study of 1,800 patients with overactive bladder treated "
               "with mirabegron for 12 weeks were analysed for changes in urgency.",
               {"allocation": "not-stated", "control": "not-stated"})


# The design assigned nothing: people answered a survey, or their doctors or they chose the drug.
NOTHING_ASSIGNED: list[tuple[str, str]] = [
    ("Self-reported benefits of naturalistic ibogaine use.",
     "We administered an anonymous online questionnaire to 310 adults who had used ibogaine. Most "
     "reported less craving afterwards."),
    ("Mood changes after starting topiramate in children with migraine.",
     "Mood was rated after initiation of topiramate, prescribed by the treating neurologist, in 40 "
     "children aged 8-16 years with migraine. Irritability rose in a quarter of them."),
    ("Oral versus transdermal rotigotine and sleep.",
     "Forty patients with Parkinson's disease were included. Fifteen switched to transdermal rotigotine, "
     "while the remaining 25 preferred to continue with oral dopamine agonists. Sleep was rated after 6 months."),
]


@pytest.mark.parametrize(("title", "abstract"), NOTHING_ASSIGNED)
def test_a_study_that_assigned_nothing_is_not_randomised(flagship: Protocol, title: str, abstract: str) -> None:
    check_case(flagship, title, abstract, {"randomised": "no"})


def test_a_code_names_head_and_a_scales_control_subscale_leave_one_group(flagship: Protocol) -> None:
    # "SAGE-217" is the drug's code name, not the herb sage beside it; "control/helplessness" is a subscale
    check_case(flagship, "Open-label zuranolone in postpartum depression.",
               "Zuranolone (formerly SAGE-217) was evaluated in an open-label study. Eight women received "
               "zuranolone for 14 days. Subscores with improvement included mood, control/helplessness and sleep.",
               {**SINGLE, "drugs": ["zuranolone"]})
