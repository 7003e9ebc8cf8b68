"""How many took part, who they were and how old: phrasings written for these tests, in the
ways trial abstracts commonly word them (not copied from any abstract)."""

from __future__ import annotations

from pathlib import Path

import pytest

from livingreview.extraction.counts import n_total
from livingreview.extraction.passages import Passage
from livingreview.extraction.service import suggest_study
from livingreview.protocol import load_protocol
from livingreview.records import Record

FLAGSHIP = Path(__file__).resolve().parent.parent / "examples" / "glutamate-entactogens" / "protocol.toml"


@pytest.fixture(scope="module")
def flagship():
    return load_protocol(FLAGSHIP)


def _field(protocol, name: str, title: str, abstract: str) -> object:
    record = Record(source="test", raw="", title=title, abstract=abstract, id=3, source_id="t3")
    return suggest_study(protocol, [record]).fields[name].value


def _count(abstract: str, title: str = "A study") -> object:
    passages = [Passage(1, "title", title), Passage(1, "abstract", abstract)]
    return n_total(passages).value


@pytest.mark.parametrize(("abstract", "expected"), [
    # five adjectives between the count and its noun
    ("We interviewed 64 randomly chosen, healthy, married, nonsmoking men aged 40-70 years.", 64),
    # an age written as an adjective
    ("Eighteen healthy 19- to 35-yr-old subjects were studied on two occasions.", 18),
    # both sexes, or two ways of becoming postmenopausal, before the noun
    ("In a double-blind trial 212 male and female patients with gout received the drug or placebo.", 212),
    ("Overall, 140 surgically or naturally postmenopausal women were randomized to gel or placebo.", 140),
])
def test_count_reaches_its_noun_across_the_adjectives_abstracts_use(abstract: str, expected: int) -> None:
    assert _count(abstract) == expected


def test_a_consecutive_series_outranks_a_subgroup_examined_further() -> None:
    abstract = ("Fourteen consecutive patients were evaluated with ultrasound. In three patients, "
                "a biopsy was taken. Cyst size did not change.")
    assert _count(abstract) == 14


def test_data_reported_on_a_number_of_patients_count_them() -> None:
    abstract = ("We report clinical and laboratory findings in a rare rash. We present data on five patients "
                "with the eruption. Skin cells from two patients were cultured.")
    assert _count(abstract) == 5


def test_a_participants_sentence_without_a_verb_beats_a_denominator_of_a_subgroup() -> None:
    abstract = ("Randomized, placebo-controlled trial. Outpatient clinic. Eighty-two community-dwelling women; "
                "mean age 70 (range 60-88). Drug or placebo for 8 weeks. Symptoms resolved in two of nine "
                "patients who had nocturia at baseline.")
    assert _count(abstract) == 82


def test_a_count_whose_arms_follow_it_is_the_total() -> None:
    abstract = ("Ninety patients entered the trial, 50 were allocated to the drug and 40 patients were "
                "allocated to placebo. Symptom scores fell in both groups.")
    assert _count(abstract) == 90


def test_two_groups_of_a_sample_are_added_up() -> None:
    abstract = ("Bronchial responses were measured in a group of 15 patients with hay fever and 21 with "
                "allergic asthma, after each drug and after placebo.")
    assert _count(abstract) == 36


def test_those_dosed_after_enrolment_are_not_added_to_the_enrolled() -> None:
    abstract = ("A total of 600 patients with arthritis were enrolled, and 588 received at least one dose "
                "of study medication. Ulcer rates were lower with the new drug.")
    assert _count(abstract) == 600


def test_an_extension_counts_those_who_entered_it_not_the_completers_of_the_parent_trial() -> None:
    abstract = ("Of the 420 patients completing the 12-week trial, a total of 310 (74%) chose to continue "
                "open-label treatment for one year. Adverse events were mild.")
    assert _count(abstract) == 310


def test_completing_a_questionnaire_is_taking_part_not_a_later_stage() -> None:
    abstract = ("Responses were obtained from 812 adults who completed the sleep questionnaire at baseline "
                "and at six months.")
    assert _count(abstract) == 812


def test_a_second_arm_named_by_its_drug_alone_is_added() -> None:
    abstract = ("Patients with arthritis took the study drug for four weeks; 1210 patients were administered "
                "drug A and 1198 drug B. Ulcers were rarer with drug A.")
    assert _count(abstract) == 2408


def test_a_cluster_trial_counts_the_patients_not_the_clinicians_randomised() -> None:
    abstract = ("Forty general practitioners will be randomly assigned to the intervention or to usual care. "
                "Each will recruit patients with diabetes; 400 patients will need to be included.")
    assert _count(abstract) == 400


def test_clinicians_and_their_patients_are_not_added_up() -> None:
    abstract = ("A total of 52 physicians from 12 practices and 9,400 patients were included in the trial. "
                "Screening rates rose in the intervention practices.")
    assert _count(abstract) == 9400


def test_the_sample_a_sentence_goes_on_to_split_is_the_count() -> None:
    abstract = ("We examined the skin of people attending screening clinics. Of the 2350 attenders, 1400 (60%) "
                "had a suspicious lesion. A full examination was offered to 900 people.")
    assert _count(abstract) == 2350


def test_an_additional_group_randomised_is_added_to_the_main_one() -> None:
    abstract = ("We studied the effect of two doses of the drug or placebo in 820 women under 60 years of age. "
                "An additional 210 women were randomly assigned to one of these treatments or to hormone therapy.")
    assert _count(abstract) == 1030


@pytest.mark.parametrize("abstract", [
    "Two randomized, open-label crossover trials were conducted. Trial 1 included 24 healthy subjects and "
    "trial 2 included 36 patients with migraine (mean age, 41 years).",
    "Two randomized, double-blind studies were carried out. A 12-week trial in 24 patients compared the drug "
    "with placebo, and a one-year study compared it with an older drug in 36 patients.",
])
def test_several_studies_of_the_abstract_add_up(abstract: str) -> None:
    assert _count(abstract) == 60


def test_several_studies_of_a_stated_size_each_are_multiplied() -> None:
    abstract = "The drug was assessed in 3 double-blind trials that each recruited 40 patients with gout."
    assert _count(abstract) == 120


def test_earlier_studies_named_in_the_background_are_not_added() -> None:
    abstract = ("Two previous trials in 300 and 400 patients showed benefit. We randomised 50 patients with "
                "asthma to the drug or placebo.")
    assert _count(abstract) == 50


def test_a_bracket_does_not_cut_the_count_off_from_its_verb() -> None:
    abstract = ("We performed a multicentre trial in 310 menopausal women (mean age, 52 yr), who were randomized "
                "to hormone therapy or calcium. Women receiving hormones (n = 150) gained bone.")
    assert _count(abstract) == 310


def test_a_count_the_study_randomly_assigned_outranks_an_arm() -> None:
    abstract = ("The trial randomly assigned 12,400 women aged 50 to 79 years to the hormone (in 6,300 women) or "
                "placebo (in 6,100 women). Quality of life was measured yearly.")
    assert _count(abstract) == 12400


def test_arms_of_a_sample_counted_before_them_are_not_summed_as_the_total() -> None:
    abstract = ("We screened 120 students with hay fever, including only 32 patients for this study; ten patients "
                "took drug A 10 mg, ten took drug A 20 mg, and 12 with drug B 60 mg daily for 3 weeks.")
    assert _count(abstract) == 32


@pytest.mark.parametrize(("title", "abstract", "expected"), [
    # healthy people beside a word ("previous") that elsewhere marks other people's conditions
    ("Bone density after hormone therapy and exercise",
     "Sixty healthy women, aged 50-58 years, within 4 years of menopause and with no previous use of hormones, "
     "were randomly assigned to hormone therapy, exercise, both or neither.", ["healthy"]),
    # "normal" people are healthy, and healthy postmenopausal women are not a menopause population
    ("Low-dose hormone therapy and quality of life in early postmenopausal women",
     "Forty-four normal postmenopausal women were recruited and randomly given the hormone or calcium.",
     ["healthy"]),
    # healthy said of them in a sentence of its own
    ("A hallucinogen and recognition of fear",
     "Two crossover studies gave the drug or placebo to 30 adults. All of the participants were healthy and "
     "had not used hallucinogens before.", ["healthy"]),
    # a healthy control group named in the singular, with its n or an abbreviation
    ("Gaze at faces under two antipsychotics",
     "Scanpaths to emotional faces were recorded in bipolar disorder (n=24) and healthy control (n=22) groups.",
     ["bipolar", "healthy"]),
    ("Amygdala response before and after an SSRI",
     "Twenty patients with panic disorder were scanned before and after paroxetine; 18 healthy control (HC) "
     "subjects were scanned at the same times.", ["other:panic-disorder", "healthy"]),
    # what a drug did in healthy people, told before the abstract turns to its own patients
    ("Modafinil and recognition of emotion",
     "Background: Modafinil is known to sharpen emotion discrimination in healthy volunteers. Methods: Thirty "
     "patients with schizophrenia took part in a randomized crossover study of a single dose of modafinil.",
     ["schizophrenia"]),
])
def test_healthy_participants_are_read_as_healthy(flagship, title: str, abstract: str, expected: list[str]) -> None:
    assert _field(flagship, "population", title, abstract) == expected


@pytest.mark.parametrize(("title", "abstract", "expected"), [
    # bipolar depression, its depressive episodes and depression beside mania are bipolar disorder
    ("Riluzole for bipolar depression",
     "Methods: Outpatients with bipolar disorder in a depressive episode were randomized to riluzole or placebo. "
     "Secondary measures were time to a depressive episode and changes in depression and mania ratings.",
     ["bipolar"]),
    # ... but major depression named as a group of its own stays
    ("Glycine-site agonism after ketamine",
     "Thirty patients (16 with major depression and 14 with bipolar depression) were randomized to the drug or "
     "placebo.", ["depression", "bipolar"]),
    # a condition ruled out in other words, inside an instrument's name, or what a drug mimics
    ("Lamotrigine in borderline personality disorder",
     "Women with borderline personality disorder were randomized to lamotrigine or placebo. Patients could not "
     "meet criteria for bipolar disorder.", ["borderline-pd"]),
    ("Valproate and lithium for relapse prevention in mania",
     "Patients recovering from a manic episode were randomized to valproate or lithium. Ratings came from the "
     "Schedule for Affective Disorders and Schizophrenia-Change Version.", ["bipolar"]),
    ("Memory in frequent ketamine users",
     "Background: In healthy individuals ketamine induces psychosis-like effects. Methods: We compared 30 "
     "frequent ketamine users with 30 non-users.", ["substance-use"]),
    ("A fear-learning trial", "We randomized N = 96 healthy humans to doxycycline or placebo.", ["healthy"]),
])
def test_the_condition_that_defines_who_took_part(flagship, title: str, abstract: str, expected: list[str]) -> None:
    assert _field(flagship, "population", title, abstract) == expected


def test_a_condition_inside_a_trial_or_society_name_is_no_population(flagship) -> None:
    abstract = ("A substudy of the Heart, Osteoporosis, Estrogen and Lipid trial. Four hundred healthy "
                "postmenopausal women were randomly assigned to the hormone or placebo. (c) 2003 American "
                "Cancer Society.")
    assert _field(flagship, "population", "Hormone doses and bone", abstract) == ["healthy"]


def test_a_condition_named_for_the_drugs_a_model_tests_is_no_population(flagship) -> None:
    abstract = ("Twelve healthy volunteers received the drug or placebo before an infusion that provokes headache. "
                "The model may prove valuable for screening migraine drugs in healthy subjects.")
    assert _field(flagship, "population", "A headache model", abstract) == ["healthy"]


def test_people_a_conclusion_warns_about_were_not_studied(flagship) -> None:
    abstract = ("Twelve healthy volunteers received the drug or placebo. The findings should not be extrapolated "
                "to patients with epilepsy, in whom the drug is contraindicated.")
    assert _field(flagship, "population", "A pharmacology study", abstract) == ["healthy"]


def test_heart_disease_of_the_participants_is_named_with_its_organ(flagship) -> None:
    abstract = ("We randomly assigned 1800 postmenopausal women with coronary heart disease (CHD) to hormones or "
                "placebo. Women with CHD were followed for four years.")
    assert _field(flagship, "population", "Hormones after heart disease", abstract) == [
        "other:menopause", "other:coronary-heart-disease"]


def test_a_concomitant_condition_does_not_define_the_population(flagship) -> None:
    abstract = ("Forty men with benign prostatic hyperplasia and concomitant detrusor instability were randomly "
                "allocated to an alpha-blocker alone or with an anticholinergic.")
    assert _field(flagship, "population", "Combination therapy for voiding symptoms", abstract) == [
        "other:benign-prostatic-hyperplasia"]


@pytest.mark.parametrize(("title", "abstract", "expected"), [
    # the wider term of one condition covers its narrower name
    ("Two antihistamines in hay fever",
     "Sixty patients with seasonal allergic rhinoconjunctivitis were randomized to either antihistamine.",
     ["other:allergic-rhinoconjunctivitis"]),
    ("An antihistamine added to antibiotics for acute sinusitis",
     "Ninety allergic patients with an acute exacerbation of rhinosinusitis were randomized to the "
     "antihistamine or placebo.", ["other:sinusitis"]),
    # amenorrhea is how menopause is defined; "atopic" names a kind of eczema, not of asthma
    ("Hormone therapy for hot flushes",
     "A total of 90 menopausal women with hot flushes and with amenorrhea for at least 6 months were randomly "
     "assigned to the hormone or placebo.", ["other:menopause"]),
    ("Antihistamines and bronchial responses",
     "Bronchial responses were measured in 20 patients with atopic asthma after each drug.", ["other:asthma"]),
])
def test_one_condition_is_named_once(flagship, title: str, abstract: str, expected: list[str]) -> None:
    assert _field(flagship, "population", title, abstract) == expected


def test_symptoms_of_a_syndrome_do_not_hide_the_condition_that_defines_the_population(flagship) -> None:
    title = "Two anticholinergics in children with urinary incontinence"
    abstract = ("Children with a history of daytime urinary incontinence and symptoms of overactive bladder were "
                "assigned to either drug.")
    assert _field(flagship, "population", title, abstract) == ["other:urinary-incontinence"]


def test_healthy_people_after_the_symptoms_studied_in_them_are_healthy(flagship) -> None:
    abstract = ("To compare a vaginal ring with oral estradiol for relief of vasomotor symptoms in healthy postmenopausal "
                "women. Women (n = 120) were randomly assigned to either treatment.")
    assert _field(flagship, "population", "A ring for hot flushes", abstract) == ["healthy"]


def test_injuries_and_hyphenated_reflexia_are_read_as_conditions(flagship) -> None:
    abstract = ("In a randomized, double-blind trial, 80 patients with spinal cord injuries and detrusor "
                "hyper-reflexia were treated with either drug for two weeks.")
    assert sorted(_field(flagship, "population", "Two anticholinergics compared", abstract)) == [
        "other:detrusor-hyperreflexia", "other:spinal-cord-injury"]


def test_a_condition_reported_during_the_study_is_an_event_not_the_population(flagship) -> None:
    abstract = ("One hundred healthy postmenopausal volunteers were randomized to the patch or placebo. "
                "Breast pain was reported by 5% of women on placebo and 12% on the patch.")
    assert _field(flagship, "population", "A patch and bone density", abstract) == ["healthy"]


def test_people_named_with_their_condition_took_part_whatever_else_the_sentence_counts(flagship) -> None:
    abstract = ("A randomized crossover study of the drug's effect on the incidence of hot flushes was conducted "
                "in 60 women who had experienced a surgical menopause.")
    assert _field(flagship, "population", "Hormones after surgery", abstract) == ["other:menopause"]


def test_a_general_condition_beside_its_specific_form_adds_nothing(flagship) -> None:
    abstract = ("Many patients with arthritis take blood pressure drugs. We randomized 300 patients with "
                "osteoarthritis to either drug.")
    assert _field(flagship, "population", "Two drugs compared", abstract) == ["other:osteoarthritis"]


@pytest.mark.parametrize(("abstract", "expected"), [
    # a mean and its SD is no lower bound
    ("Histamine challenge was performed in 14 patients (eight males, six females, aged 29 +/- 6 years) after "
     "each drug.", "not-stated"),
    # an upper bound alone is no one person's age
    ("The cohort included persons aged less than 75 years old who received a first prescription.", "not-stated"),
    # "adult height" says what the boys will reach, not that adults took part
    ("We randomized boys with delayed puberty to testosterone plus placebo or plus the inhibitor, to see "
     "whether they would reach a greater adult height.", "child-adolescent"),
    # a hospital's name holds "Women's"
    ("We reviewed the records of infants born at 24 weeks at the Women's Hospital between 1995 and 1999.",
     "child-adolescent"),
    # faces and cries of infants or adults shown to participants are stimuli
    ("Thirty childless women took oxytocin or placebo and watched infant faces and adult faces while scanned.",
     "adult"),
    ("After vasopressin or placebo, 40 men heard infant cries and rated their urge to help.", "adult"),
    # parents' own children who came with them are theirs, not who took the drug
    ("In a double-blind, within-subject experiment, 15 fathers given intranasal oxytocin or placebo were "
     "observed playing with their toddler.", "not-stated"),
    # the sample's make-up in brackets says the sentence is the study's own, though a later one
    # speaks of "the present study"
    ("Mood effects of the gas were rated by volunteers (12 men and 12 women) breathing 30% nitrous oxide or "
     "oxygen. Euphoria was stronger in the present study than before.", "adult"),
])
def test_age_words_that_describe_no_participant_give_no_age_group(flagship, abstract: str, expected: str) -> None:
    assert _field(flagship, "age_group", "An age study", abstract) == expected


def test_a_verbless_participants_sentence_may_hold_a_relative_clause() -> None:
    abstract = ("Randomized crossover trial. Sixty-five nursing home residents with urge incontinence, whose "
                "incontinence did not respond to prompted voiding. A fall in wetting occurred in 21 subjects "
                "(32%) on the drug and in 12 subjects (18%) on placebo.")
    assert _count(abstract) == 65


def test_those_who_responded_to_the_drug_are_a_result_not_the_sample() -> None:
    abstract = ("Twelve children aged between 6 and 12 years received either 5 mg (n = 3) or 20 mg (n = 9) of the "
                "nasal spray. A total of 60 headaches were treated; 50 (83%) responded to the drug.")
    assert _count(abstract) == 12


def test_a_capitalised_condition_outside_a_name_still_defines_the_population(flagship) -> None:
    abstract = "In this trial, 90 adults with Type 2 Diabetes Mellitus were randomized to the drug or placebo."
    assert _field(flagship, "population", "A glucose-lowering drug", abstract) == ["other:diabetes"]


@pytest.mark.parametrize("abstract", [
    # completers of a study described with several adjectives
    "Twenty healthy men completed a randomised, placebo-controlled, crossover trial and received the drug "
    "on three occasions.",
    # an analysis population is counted after entry, and nothing else is the number who entered
    "The intention-to-treat population comprised 412 patients (200 men, 212 women). Drug A was better.",
    "The per-protocol population included 300 patients. Drug A was better.",
    "In all, 240 patients were included in the analysis of efficacy. Rash was reported by 14 patients.",
])
def test_only_completers_or_an_analysis_population_give_no_total(abstract: str) -> None:
    assert _count(abstract) is None


def test_a_cohort_included_in_the_analyses_is_its_sample() -> None:
    assert _count("Records of 5 clinics were searched. A total of 1830 women were included in the analyses.") == 1830


@pytest.mark.parametrize(("abstract", "expected"), [
    # a count bracketed after a later stage breaks that stage down: no second group
    ("Overall, 1200 patients underwent randomization, and 1190 (400 in group A, 395 in group B and 395 in "
     "group C) were included in the efficacy analysis.", 1200),
    # cases and their controls add up, whatever verb measured them
    ("We measured serum markers in 210 breast cancer cases and 420 matched controls from two cohorts.", 630),
    ("Sleep was recorded in 14 depressed patients and 15 healthy controls.", 29),
])
def test_randomisation_stated_as_a_noun_and_cases_with_controls(abstract: str, expected: int) -> None:
    assert _count(abstract) == expected


@pytest.mark.parametrize("abstract", [
    "Drug A is a histamine antagonist for the treatment of allergic diseases, such as allergic rhinitis and "
    "chronic idiopathic urticaria in adults. We studied its effect on the wheal response in 20 healthy volunteers.",
    "Drug A and drug B are antimuscarinic agents used in the treatment of an unstable bladder, urge "
    "incontinence and detrusor hyperreflexia. Their effects on the EEG were examined in 14 healthy volunteers.",
])
def test_every_condition_in_a_drugs_list_of_indications_is_no_population(flagship, abstract: str) -> None:
    assert _field(flagship, "population", "Drug effects in healthy volunteers", abstract) == ["healthy"]


@pytest.mark.parametrize("abstract", [
    "One hundred and four general practitioners audited their management of women with breast lumps before and "
    "after a seminar.",
    "An online survey was sent to dementia experts (neurologists, geriatricians). Most agreed.",
    "Telephone interviews were conducted with a sample of 15 physiotherapists about managing low back pain.",
    # counted in a bracket after them, in training, or as a group that answered
    "Hospital pharmacists in two regions (n = 84) were randomly allocated to an audit or to no audit.",
    "Forty surgical trainees were taught with a simulator or a video; suturing skill was scored afterwards.",
    "A group of Canadian anesthesiologists received a 30-item questionnaire on sedation practice.",
])
def test_a_study_of_health_professionals_is_of_clinicians_of_no_stated_age(flagship, abstract: str) -> None:
    assert _field(flagship, "population", "Views of clinicians: a survey", abstract) == ["other:clinicians"]
    assert _field(flagship, "age_group", "Views of clinicians: a survey", abstract) == "not-stated"


def test_a_cluster_trial_that_counts_patients_keeps_their_condition(flagship) -> None:
    abstract = ("Forty general practitioners were randomised to feedback or none; their 1200 patients with "
                "asthma were followed for a year.")
    assert _field(flagship, "population", "Feedback to prescribers", abstract) == ["other:asthma"]


def test_an_n_in_a_list_after_a_colon_counts_its_items_not_the_people() -> None:
    assert _count("Ninety migraineurs treated 540 attacks: mild (n = 300) and severe (n = 240).") == 90


@pytest.mark.parametrize(("abstract", "expected"), [
    ("Reaction times were measured in healthy volunteers (12 males, 19-30 years) after each dose.", "adult"),
    ("Sleep was recorded in volunteers (20 females; 8-14 yrs) before and after the drug.", "child-adolescent"),
    # an age floor with its unit left out
    ("This 8-week trial compared citalopram with placebo in patients 75 and older with depression.", "adult"),
])
def test_an_age_range_after_the_sex_count_in_brackets_gives_the_age_group(flagship, abstract: str,
                                                                           expected: str) -> None:
    assert _field(flagship, "age_group", "A crossover study of drug A", abstract) == expected


def test_the_enrolment_verb_is_read_after_a_long_description_of_the_participants() -> None:
    abstract = ("Seventy adults with long-standing gout (median age 58 years, range 31-77) who attended the "
                "rheumatology outpatient clinics of three university hospitals in the region with at least two "
                "flares in the past year were randomly assigned to the new drug or to placebo. Nausea was "
                "reported by 12 patients who received the drug.")
    assert _count(abstract) == 70


@pytest.mark.parametrize(("abstract", "expected"), [
    # arm sizes listed before the noun they share
    ("In this placebo-controlled study 120, 118 and 61 adults with gout were randomized to receive "
     "the low dose, the high dose or placebo.", 299),
    ("Totals of 240 and 215 patients were recruited into the first and second studies, respectively.", 455),
    # the sizes of two trials in one bracket
    ("Adults in two parallel-group trials (n = 310 and 295) took the spray or placebo for one attack.", 605),
])
def test_counts_listed_together_before_their_noun_add_up(abstract: str, expected: int) -> None:
    assert _count(abstract) == expected


def test_a_list_of_counts_in_the_results_is_no_total() -> None:
    abstract = ("Forty patients were randomized to the drug or placebo. Rash occurred in 5, 3 and 2 patients "
                "of the three dose groups.")
    assert _count(abstract) == 40


@pytest.mark.parametrize(("abstract", "expected"), [
    # the second group named after "and in" or "compared with", under a verb of measuring
    ("We measured blood pressure in 14 patients with gout and in 16 healthy controls after one dose.", 30),
    ("Mast cells were investigated in 21 patients with eczema compared with eight healthy subjects.", 29),
    # the first group broken down in brackets before the second is named
    ("We examined hormone levels in 18 untreated patients (8 women and 10 men) and 15 matched controls.", 33),
    # three groups in one list
    ("The reflex was investigated in 15 healthy subjects, in 12 patients with migraine with aura and "
     "in 14 patients with migraine without aura.", 41),
    # a comparison group in a sentence of its own
    ("Twenty patients with chronic cough were randomised to drug or placebo in a crossover design. "
     "Ten healthy volunteers were also studied.", 30),
    ("Eleven patients on dialysis took part in the study. Nine healthy volunteers served as the control group.", 20),
    # a hyphenated word beginning with "drug" is an adjective of the people counted
    ("Sixteen drug-free patients with depression were studied.", 16),
])
def test_every_group_the_study_examined_is_counted(abstract: str, expected: int) -> None:
    assert _count(abstract) == expected


@pytest.mark.parametrize(("abstract", "expected"), [
    # the denominator of completers, described by two adjectives joined by "and"
    ("Thirty of 44 healthy and postmenopausal women (mean age 58) completed the year of treatment.", 44),
    # two studies, each with its size, and a later "study 2" that names no group
    ("Two randomized trials were conducted. In study 1, performed in 290 women, the patch was compared "
     "with placebo. In study 2, performed in 840 women, it was compared with estradiol alone. In study 2, "
     "no women receiving the patch developed hyperplasia.", 1130),
    # several studies of one stated size each, the size given after a comma
    ("Two pilot studies of the tolerability of the spray were carried out, each involving 10 healthy "
     "volunteers.", 20),
])
def test_counts_read_with_their_study_and_stage(abstract: str, expected: int) -> None:
    assert _count(abstract) == expected


@pytest.mark.parametrize("abstract", [
    # those an analysis included, excluded or could be read for, and those an event happened to
    "Patients were randomly assigned to A or B. The intention-to-treat analysis, which included 150 "
    "patients, showed no difference.",
    "A dosing error led to the exclusion of four subjects. Sixty women completed the trial.",
    "Exposure after a meal was higher. Concentrations were evaluable for 20 subjects.",
    "Patients were randomly assigned to A or B. Bleeding occurred in 7 patients receiving A and in 9 "
    "receiving B.",
])
def test_no_total_from_counts_after_entry_or_of_events(abstract: str) -> None:
    assert _count(abstract) is None


@pytest.mark.parametrize(("title", "expected"), [
    ("A new antihistamine eases the signs and symptoms of chronic urticaria: a randomized, placebo-controlled trial",
     ["other:urticaria"]),
    ("A skin patch for the relief of menopausal symptoms: a double-blind study", ["other:menopause"]),
])
def test_a_title_about_treating_the_symptoms_of_a_condition_names_the_population(flagship, title: str,
                                                                                 expected: list[str]) -> None:
    abstract = "Sixty outpatients were randomly assigned to the drug or to placebo for four weeks."
    assert _field(flagship, "population", title, abstract) == expected


def test_one_person_of_a_stated_age_as_the_subject_is_a_case_of_one() -> None:
    abstract = ("Rashes after this drug are rare. A 63-year-old retired woman developed blisters on both hands "
                "two days after the first dose. They cleared when the drug was stopped.")
    assert _count(abstract) == 1


@pytest.mark.parametrize(("title", "abstract"), [
    # the disease a drug is for, named in the title of a study in healthy volunteers
    ("Food and the kinetics of a new capsule for the treatment of patients with chronic migraine",
     "We compared fed and fasting exposure in an open crossover study in 16 healthy volunteers aged 20-45."),
    # ... or in the conclusion, for the patients who may take it
    ("No interaction between two painkillers",
     "Fourteen healthy volunteers took the first drug alone or with the second in random order. "
     "Exposure did not change. No dose change will be needed for migraine patients taking both drugs."),
])
def test_a_disease_named_for_whom_a_drug_is_meant_is_no_population_of_healthy_volunteers(
        flagship, title: str, abstract: str) -> None:
    assert _field(flagship, "population", title, abstract) == ["healthy"]


def test_counted_patients_studied_beside_healthy_volunteers_keep_their_condition(flagship) -> None:
    abstract = ("Twelve patients with chronic migraine and 12 healthy volunteers received the drug. "
                "Plasma levels were measured before and after two weeks.")
    assert sorted(_field(flagship, "population", "Drug levels in two groups", abstract)) == [
        "healthy", "other:migraine"]


def test_a_condition_describing_counted_people_defines_the_population_beside_an_outcome_word(flagship) -> None:
    # the sentence also names an outcome, which used to hide whom it describes
    abstract = ("Forty postmenopausal women were studied to assess the clinical outcome of a gel. Half were "
                "given the gel and half a placebo. Hot flushes were recorded in a diary.")
    assert _field(flagship, "population", "A gel after the change of life", abstract) == ["other:menopause"]


def test_a_condition_that_was_evaluated_is_a_measure_not_the_population(flagship) -> None:
    abstract = ("Sixty postmenopausal women were randomly assigned to the patch or to placebo. Depression was "
                "evaluated with a rating scale and bone density with a scan.")
    assert _field(flagship, "population", "A patch and mood", abstract) == ["other:menopause"]


@pytest.mark.parametrize(("abstract", "expected"), [
    # a range given beside a mean age
    ("Twenty volunteers (mean age 29 years, range 19 to 44 years) took part in both periods.", "adult"),
    ("Thirty pupils (mean age 12 years; range: 9-15 years) were enrolled.", "child-adolescent"),
    # a range written without a space after 'between'
    ("Patients aged between21 and 60 years with asthma were randomised.", "adult"),
    # people whose disease starts in adult life, and women in the menopause, are adults
    ("Patients with adult-onset asthma were randomly assigned to the inhaler or placebo.", "adult"),
    ("Patients with natural or surgical menopause and frequent flushes were randomised.", "adult"),
    # the newborns of a pregnancy trial are its outcome, not its participants
    ("Pregnant women were randomised to calcium or placebo; neonatal mortality did not differ.", "adult"),
    # ... and so is a mother's second or third child
    ("Eighty-six obese women who had cesarean delivery of their second or third child were divided into two "
     "groups.", "adult"),
    # bounds with their signs, and a floor with no "aged"
    ("Subjects aged \u22656 to <18 years with Tourette syndrome were randomly assigned 1:1.", "child-adolescent"),
    ("Patients at least 55 years of age randomly received placebo or ketamine.", "adult"),
    # what an earlier case series of children and adults did is no age of this study's
    ("Background: Metformin rescued memory in mouse models. Previously, a case series of children and adults "
     "treated with metformin showed improvements. Methods: Here, we present nine children with fragile X "
     "syndrome who were treated clinically with metformin.", "child-adolescent"),
])
def test_age_group_reads_ranges_beside_a_mean_and_life_stages(flagship, abstract: str, expected: str) -> None:
    assert _field(flagship, "age_group", "A randomised trial", abstract) == expected


@pytest.mark.parametrize("abstract", [
    # a symptom closing a list of what resolved or was relieved is a measure
    "Sixty patients with seasonal allergic rhinitis were randomised to the spray or the tablet. Patients on the "
    "spray had faster resolution of nasal itching, sneezing and rhinorrhea.",
    "Sixty patients with seasonal allergic rhinitis were randomised. Patients kept a diary of the relief of "
    "sneezing, itchy eyes or rhinorrhea.",
])
def test_a_symptom_listed_as_what_resolved_is_no_population(flagship, abstract: str) -> None:
    assert _field(flagship, "population", "Two antihistamines compared", abstract) == ["other:allergic-rhinitis"]


def test_people_called_otherwise_healthy_are_not_a_healthy_population(flagship) -> None:
    abstract = ("Forty adults with migraine but otherwise healthy subjects in every other respect were "
                "randomised to the tablet or placebo.")
    assert "healthy" not in _field(flagship, "population", "A migraine tablet", abstract)


def test_atopic_people_are_an_atopy_population_unless_a_specific_allergy_is_named(flagship) -> None:
    abstract = ("The skin response to an allergen was measured in 24 atopic subjects before and after a single "
                "dose of the antihistamine or placebo.")
    assert _field(flagship, "population", "Skin tests and an antihistamine", abstract) == ["other:atopy"]
    abstract = ("Thirty atopic patients with asthma were randomised to the tablet or placebo for four weeks.")
    assert _field(flagship, "population", "A tablet in asthma", abstract) == ["other:asthma"]


def test_healthy_people_named_by_their_life_stage_are_healthy(flagship) -> None:
    abstract = ("We randomly assigned 900 healthy nulliparas at 14 weeks' gestation to calcium or placebo and "
                "followed them until delivery.")
    assert "healthy" in _field(flagship, "population", "Calcium in first pregnancies", abstract)


def test_a_condition_named_by_the_vocabulary_and_in_full_is_one_value(flagship) -> None:
    abstract = "Twenty adults with generalized anxiety disorder took riluzole 100 mg daily for eight weeks."
    assert _field(flagship, "population", "Riluzole in generalized anxiety disorder", abstract) == [
        "other:generalized-anxiety"]


@pytest.mark.parametrize(("abstract", "expected"), [
    # an age range after a comma, with an em dash
    ("Alcohol acts on two receptors. As part of a larger study, 24 subjects (age, 22\u201335) without a family "
     "history of alcoholism were given two drugs and placebo.", "adult"),
    # adults' histories of childhood adversity are no age
    ("In 40 patients with chronic pain, childhood trauma and attachment style were assessed before and after "
     "eight weeks of duloxetine; men and women responded alike.", "adult"),
    # consent given starts the study's own part: the sample's words after it are who took part
    ("Cannabis changes behaviour. 1. Four groups of three healthy adult female volunteers gave written consent "
     "and lived in a residential laboratory for ten days. Food intake rose in this study.", "adult"),
    # the range after the mean age's unit
    ("Forty patients with tics (mean age 10.2 years, range 7-14) were randomized to aripiprazole or placebo.",
     "child-adolescent"),
])
def test_age_group_reads_past_a_comma_an_adult_history_and_consent(flagship, abstract: str, expected: str) -> None:
    assert _field(flagship, "age_group", "A laboratory study", abstract) == expected


@pytest.mark.parametrize(("title", "abstract", "expected"), [
    # a drug's licensed indication, named with its severity and the licensing body
    ("Memantine added to clozapine",
     "Memantine, a drug approved by the FDA for the treatment of moderate to severe Alzheimer's disease, is a weak "
     "NMDA antagonist. We randomized 40 patients with refractory schizophrenia to memantine or placebo.",
     ["schizophrenia"]),
    # what the drug acts on, in the title, is an outcome
    ("The effect of a low dose of ketamine on depression and pain after knee surgery",
     "This randomized trial included 120 adults undergoing knee replacement.", ["other:knee-replacement"]),
    # a condition the background links to the symptom, beside the one the study's own patients have
    ("Ketamine and anhedonia",
     "Anhedonia is a core symptom of depression. It correlates with suicidality. Here we report anhedonia during "
     "six ketamine infusions in 30 patients with treatment resistant depression.", ["depression"]),
])
def test_an_indication_an_effect_and_a_background_condition_are_not_who_took_part(
        flagship, title: str, abstract: str, expected: list[str]) -> None:
    assert _field(flagship, "population", title, abstract) == expected


@pytest.mark.parametrize(("abstract", "expected"), [
    ("This randomized trial included 150 pregnant women undergoing elective cesarean sections.",
     ["other:cesarean-section"]),
    ("Sixty children scheduled for tonsillectomy received intranasal dexmedetomidine or saline.",
     ["other:tonsillectomy"]),
    ("We randomized 80 adults undergoing total knee replacement to ketamine or placebo.",
     ["other:knee-replacement"]),
    # a condition named wins over the operation
    ("Forty women with breast cancer undergoing mastectomy received esketamine or saline.",
     ["other:breast-cancer"]),
])
def test_people_named_by_their_operation_are_that_population(flagship, abstract: str, expected: list[str]) -> None:
    assert _field(flagship, "population", "A perioperative trial", abstract) == expected


POPULATION_DESCRIBED_CASES = [
    # Healthy but for the condition studied, written with a hyphen.
    ("Psilocybin for smoking cessation.",
     "We conducted an open-label pilot in 12 psychiatrically healthy nicotine-dependent smokers given psilocybin "
     "30 mg/70 kg.", ["substance-use"]),
    # What a share of the participants had describes them; it is not who was studied.
    ("Sertraline for depression after stroke.",
     "We randomized 60 adults with major depression after stroke to sertraline or placebo: 40% had a history "
     "of alcohol or drug dependence.", ["depression", "other:stroke"]),
    # A condition given after a comma as an example, in the background, with no people of its own named.
    ("Psilocybin and brain glutamate.",
     "There is interest in psychedelics for disorders marked by a disturbed sense of self, like depression. "
     "Following a double-blind, placebo-controlled design, we utilized brain spectroscopy and found that "
     "psilocybin 0.2 mg/kg changed glutamate levels.", []),
    ("Bupropion in a crossover trial.",
     "In this double-blind crossover trial, 40 individuals with Huntington's disease were randomized to "
     "bupropion or placebo.", ["other:huntington"]),
    # The kind of dementia, not dementia beside it; another illness's psychosis is no schizophrenia.
    ("Oxytocin and empathy in dementia.",
     "In a randomized crossover design, 20 patients with frontotemporal dementia received oxytocin or placebo.",
     ["other:frontotemporal-dementia"]),
    ("Pimavanserin in Alzheimer's disease psychosis.",
     "Participants: 120 nursing home residents with Alzheimer's disease psychosis were randomized to "
     "pimavanserin or placebo.", ["other:alzheimer", "other:psychosis"]),
    # A harm looked for, or a change observed, is an outcome.
    ("Zuranolone in postpartum depression.",
     "Women with severe postpartum depression (n = 150) were randomized to zuranolone or placebo. No sedation, "
     "withdrawal symptoms, or increased suicidal ideation or behavior were observed.", ["depression"]),
    ("Psilocybin for anorexia nervosa.",
     "Ten adult women with anorexia nervosa received a single 25 mg dose of psilocybin. No clinically "
     "significant changes were observed in ECG, vital signs or suicidality.", ["other:anorexia-nervosa"]),
    # A condition in a test's name, or a drug's indication, is not who took part.
    ("Naltrexone and drinking.",
     "Methods: Sixty men with varying levels of hazardous drinking according to the Alcohol Use Disorders "
     "Identification Test (AUDIT) were randomized to naltrexone or placebo.", []),
    ("Acamprosate in autism.",
     "In an open-label trial, 12 autistic youth took acamprosate, a Food and Drug Administration-approved "
     "drug to treat alcohol dependence.", ["autism"]),
    # People named by what they use or do: dependence with a hyphen, maintenance treatment, heavy
    # drinking are substance use; smokers and gamblers are conditions of their own.
    ("Cannabis dependence.", "Forty marijuana-dependent adults were randomized to N-acetylcysteine or placebo.",
     ["substance-use"]),
    ("Opioid maintenance.", "Fifty methadone-maintained patients were randomized to the drug or placebo.",
     ["substance-use"]),
    ("Heavy drinking.", "Thirty-two heavy drinkers were randomized to naltrexone or placebo.", ["substance-use"]),
    ("Smoking cessation.", "Forty cigarette smokers were randomized to varenicline or placebo.", ["other:smokers"]),
    ("Gambling.", "Twenty pathological gamblers were randomized to nalmefene or placebo.",
     ["other:pathological-gambling"]),
    ("Nicotine dependence.", "Forty nicotine-dependent smokers were randomized to the drug or placebo.",
     ["substance-use"]),
    # conditions named by more than a head word, and people named by one
    ("PMDD.", "Forty women with premenstrual dysphoric disorder (PMDD) were randomized to sertraline or placebo.",
     ["other:premenstrual-dysphoric-disorder"]),
    ("MCI.", "Forty older adults with mild cognitive impairment were randomized to the drug or placebo.",
     ["other:mild-cognitive-impairment"]),
    ("CFS.", "Forty patients with chronic fatigue syndrome were randomized to the drug or placebo.",
     ["other:chronic-fatigue-syndrome"]),
    ("Obesity.", "Forty obese adults were randomized to the drug or placebo.", ["other:obesity"]),
    # a share of them is no population
    ("Statins and mood.", "We followed 300 patients with epilepsy; the proportion of smokers was small (13%).",
     ["other:epilepsy"]),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), POPULATION_DESCRIBED_CASES)
def test_who_was_studied_apart_from_what_some_had_or_what_others_have(flagship, title: str, abstract: str,
                                                                      expected: list[str]) -> None:
    assert _field(flagship, "population", title, abstract) == expected


@pytest.mark.parametrize(("title", "abstract", "expected"), [
    # the operation people had, with their age between them and it
    ("Esketamine nasal spray and separation anxiety",
     "Ninety children aged 3 to 6 years who underwent elective strabismus surgery were randomly divided into "
     "three groups.", ["other:strabismus-surgery"]),
    ("Ketamine after surgery",
     "We randomised 300 patients \u226560 yr old undergoing hip replacement to ketamine or placebo.",
     ["other:hip-replacement"]),
    # an outcome's definition and an event counted are not who took part
    ("Ketamine in preventing postpartum depression in patients undergoing cesarean section",
     "Methods: One hundred and twenty women scheduled for elective cesarean section were randomly divided into 2 "
     "groups. Postpartum depression was defined as EPDS score of 13 or more. Postpartum depression and "
     "ketamine-related complications occurred within 3 days in group K.", ["other:cesarean-section"]),
])
def test_the_operation_people_had_names_them_when_no_condition_does(flagship, title: str, abstract: str,
                                                                   expected: list[str]) -> None:
    assert _field(flagship, "population", title, abstract) == expected


@pytest.mark.parametrize(("title", "abstract", "expected"), [
    # the DSM's other disorders that trials recruit for, by their names
    ("Risperidone for tics", "Children with Tourette's syndrome or chronic motor tic disorder were randomized to "
     "risperidone or placebo.", ["other:chronic-motor-tic-disorder", "other:tourette-syndrome"]),
    ("Fluvoxamine in anxious children", "Children with separation anxiety disorder or overanxious disorder were "
     "randomized to fluvoxamine or placebo.", ["other:overanxious-disorder", "other:separation-anxiety-disorder"]),
    ("Methylphenidate in the classroom", "Fifteen children with attention deficit disorder with hyperactivity (ADDH) "
     "were observed in their classrooms.", ["other:adhd"]),
    # people in opioid agonist treatment have an opioid use disorder
    ("Benzodiazepines and quality of life", "A convenience sample of 120 patients receiving opioid agonist treatment "
     "(OAT) or heroin-assisted treatment was interviewed.", ["substance-use"]),
    ("Additional methadone and craving", "Eighteen patients on long-term methadone substitution treatment took "
     "extra methadone or placebo.", ["substance-use"]),
    # transgender people are read by the condition trials name them for
    ("Testosterone and body perception", "We scanned 20 trans men (assigned female at birth with male gender "
     "identity) before and after testosterone.", ["other:gender-dysphoria"]),
    # a drug's effect measured is no condition of the participants
    ("Lighting and opioid miosis", "Seven patients received their usual daily dose of methadone, and opioid "
     "miosis was measured under four lighting conditions.", []),
    # agoraphobia as the specifier of panic disorder is no condition of its own
    ("Paroxetine for panic", "Patients with panic disorder with agoraphobia were randomized to paroxetine or placebo.",
     ["other:panic-disorder"]),
])
def test_the_other_disorders_trials_recruit_for_are_named(flagship, title: str, abstract: str,
                                                         expected: list[str]) -> None:
    assert sorted(_field(flagship, "population", title, abstract)) == expected

