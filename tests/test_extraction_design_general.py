"""Randomisation, allocation and blinding read from phrasings that trial abstracts use in general.

Each snippet is written for this test (not taken from any record) and goes through the whole text
pipeline (`suggest_study` with the flagship protocol), so the design fields see the control and
the drugs that the other rules read, as on real records. Only the fields a case names are checked.
"""

from __future__ import annotations

import pytest

from _extraction_cases import Case, check_case, flagship, needs_lexicon, suggested_values

from livingreview.protocol.models import Protocol

pytestmark = needs_lexicon


# Arms compared without the words "randomised" or "parallel": each arm has its own participants.
ALLOCATION_CASES: list[Case] = [
    # Tested after each treatment in turn, or given doses with placebo doses between them: the same
    # people under every condition.
    ("Cortisol and judgements of faces",
     "In this double-blind study, healthy women took hydrocortisone or placebo. Following cortisol and placebo "
     "administration, participants judged the trustworthiness of faces.",
     {"allocation": "crossover"}),
    ("Rising doses of baclofen and aggression",
     "Ten adults on probation received 10, 20 and 40 mg baclofen in a rising order, with intervening placebo "
     "doses, and played a point-subtraction game.",
     {"allocation": "crossover"}),
    ("Every volunteer took both",
     "In a double-blind study, all volunteers received placebo and 20 mg citalopram a week apart and then "
     "rated emotional faces.",
     {"allocation": "crossover"}),
    # Sessions the same people completed are the periods of a crossover.
    ("Sessions completed by each volunteer",
     "Twelve healthy volunteers completed three experimental sessions, receiving the drug at two doses "
     "and placebo under double-blind conditions; ratings of closeness to others were taken each time.",
     {"allocation": "crossover", "control": "placebo"}),
    ("Sessions over which the doses came",
     "Over four sessions, 18 healthy volunteers received two doses of MDMA, a stimulant and placebo under "
     "double-blind conditions, and rated their sociability.",
     {"allocation": "crossover"}),
    # A within-subject or within-groups design gives each person every condition.
    ("Four conditions within subjects",
     "The design was placebo-controlled within-subject with 3 treatment conditions: MDMA (75 mg), oxytocin "
     "nasal spray or placebo, and 20 healthy adults rated empathy.",
     {"allocation": "crossover"}),
    ("A within-groups design",
     "We tested intranasal oxytocin versus a placebo spray on 40 older adults using a double-blind "
     "placebo-controlled within-groups design.",
     {"allocation": "crossover"}),
    # "random-order" is the hyphenated "in random order": randomised, and its crossover stands.
    ("Random-order crossover studies",
     "Two placebo-controlled, double-blind, random-order, crossover studies gave the drug to 20 and 16 "
     "healthy adults; emotion recognition was tested after each dose.",
     {"randomised": "yes", "allocation": "crossover", "control": "placebo"}),
    ("Naproxen against placebo after dental surgery",
     "Forty adults with pain after third molar extraction took naproxen 500 mg or placebo, and pain "
     "relief was rated hourly for six hours.",
     {"allocation": "parallel", "control": "placebo"}),
    ("Two anticholinergics in children with daytime wetting",
     "Children with daytime wetting were divided into three groups: group I took oxybutynin, group II "
     "took tolterodine and group III took both drugs for eight weeks.",
     {"allocation": "parallel"}),
    # Conditions set apart in time, or rising doses given in turn: the same people under each.
    ("Spray and placebo spray a week apart",
     "Twenty healthy adults will receive oxytocin spray and a placebo spray; the two treatment conditions will "
     "be separated by a washout of at least one week.", {"allocation": "crossover"}),
    ("Scanned three times",
     "Twelve volunteers were scanned three times (at least a week apart) after placebo or one of two doses of "
     "lorazepam.", {"allocation": "crossover"}),
    ("Rising inhaled doses",
     "A placebo and three increasing doses of inhaled salvinorin A were given to ten experienced users, who "
     "rated their body awareness.", {"allocation": "crossover"}),
    ("Two gel periods",
     "Thirty women applied testosterone gel and a placebo gel during two seven-day periods and rated their mood.",
     {"allocation": "crossover"}),
    # "prior to" and "previous experience" speak of no other trial
    ("Imaged twice, dosed before each scan",
     "Sixteen volunteers were imaged twice (at least a week apart), given ketamine or placebo one hour prior to "
     "each scan.",
     {"allocation": "crossover"}),
    ("Hormone regimens and headache after menopause",
     "After a run-in month, the women were assigned to one of three regimens of estradiol with "
     "different progestins and kept a headache diary for six months.",
     {"allocation": "parallel"}),
    # Calcium for everyone is background therapy: it does not make the assigned groups one group.
    ("Etidronate and bone density",
     "Sixty women were randomly allocated into three treatment groups. All women received calcium "
     "500 mg daily; in addition, one group took etidronate and one group took raloxifene.",
     {"allocation": "parallel", "randomised": "yes"}),
    # Arms pooled for an analysis are not a single-group design (which would also deny randomisation).
    ("Low-dose estradiol with progestins",
     "Women took estradiol 1 mg with medroxyprogesterone (n = 20) or with dydrogesterone (n = 22), "
     "analysed as a single group, and were compared with women who took calcium alone (n = 15).",
     {"allocation": "parallel", "randomised": "not-stated"}),
    # Measurements repeated on several occasions in a trial of separate groups.
    ("Cetirizine and development in infants",
     "Infants were randomly assigned to cetirizine or placebo for 18 months; about 150 infants in each "
     "group completed a behaviour questionnaire on four occasions.",
     {"allocation": "parallel"}),
    # "During three days" is how long a run-in lasted, not three sessions.
    ("Fexofenadine against cetirizine",
     "All patients first took placebo during three days; then they were randomly allocated to "
     "fexofenadine 120 mg or cetirizine 10 mg daily for two weeks.",
     {"allocation": "parallel"}),
    # A drug-interaction design: everyone takes one drug, then both together.
    ("Fluconazole and tolterodine",
     "Twelve patients took tolterodine 2 mg twice daily for three days, then fluconazole 200 mg daily, "
     "and the exposure to tolterodine during coadministration was compared between fast and slow "
     "metabolisers.",
     {"allocation": "single-group", "randomised": "no"}),
    # "Control of" a body function is no control arm.
    ("Sumatriptan and gut motility",
     "In ten healthy subjects, sumatriptan 6 mg was administered subcutaneously and the neural control "
     "of gastric emptying was recorded for four hours.",
     {"allocation": "single-group", "control": "none"}),
    # A washout between the treatments means each participant had both.
    ("Two antimuscarinics for overactive bladder",
     "Thirty women took oxybutynin 5 mg and tolterodine 2 mg for two weeks each, with a washout of "
     "one week between treatments.",
     {"allocation": "crossover"}),
    # Every participant under each condition, said without the word "crossover".
    ("Oxytocin and face memory",
     "Twenty-six healthy men were each tested under both oxytocin and placebo conditions.",
     {"allocation": "crossover", "control": "placebo"}),
    ("A ketamine day and a placebo day",
     "Eighteen volunteers had a placebo day and a ketamine day one week apart; mood was rated hourly.",
     {"allocation": "crossover", "control": "placebo"}),
    # Conditions the same people had in turn, listed with "and" where a parallel trial says "or",
    # or sessions a stated interval apart.
    ("Dexamfetamine and playground behaviour",
     "Thirty hyperactive girls received placebo, 5 mg, and 10 mg of dexamfetamine, and their play with "
     "classmates was filmed.",
     {"allocation": "crossover"}),
    ("Vasopressin and gaze",
     "Gaze to the eyes of faces was recorded in 24 men after the administration of vasopressin and placebo.",
     {"allocation": "crossover"}),
    ("Glycine for negative symptoms: a dose-finding study",
     "Twelve inpatients with schizophrenia completed consecutive 3-week trials of placebo and three doses "
     "of glycine; negative symptoms were rated weekly.",
     {"allocation": "crossover"}),
    ("Clonidine in a girl with autism",
     "A double-blind, placebo-controlled ABAB design tested clonidine for aggression in three children "
     "with autism.",
     {"allocation": "crossover"}),
    ("Two doses of oxytocin for face memory",
     "In a randomized, double-blind study, 40 men attended two sessions, with one week in between. They "
     "received either 24 (n = 20) or 48 (n = 20) IU of oxytocin and placebo, then learned new faces.",
     {"allocation": "crossover"}),
    ("Lorazepam or placebo at three doses",
     "Ninety students were randomised to groups that received placebo, 1 mg, and 2 mg of lorazepam.",
     {"allocation": "parallel"}),
    # A result that moved over several occasions was measured repeatedly; the groups stay parallel.
    ("Feedback to reduce antibiotic prescribing",
     "Family doctors were randomly allocated to receive feedback or a talk on another subject. In the "
     "feedback group, prescribing for sore throat fell over three occasions from 40 to 33 to 29 per 100 "
     "consultations.",
     {"allocation": "parallel"}),
    # Measures taken "in each session" of a drug and a placebo: the same people had both; a therapy's
    # sessions are not the drug's.
    ("EEG under ketamine", "Twenty healthy volunteers were studied in a placebo-controlled, double-blind "
     "study of a saline infusion or ketamine. Resting EEG was recorded in each session with dissociation "
     "ratings.", {"allocation": "crossover"}),
    ("A peptide beside group therapy", "Sixty lonely adults were randomized to oxytocin or placebo before each "
     "of five weekly group therapy sessions. State loneliness was rated at each session.",
     {"allocation": "parallel"}),
    # Sizes of kinds of patients all given the same drug are no arms; the placebo-controlled trials a
    # conclusion says "are indicated" are none of the study's.
    ("Open-label guanfacine in developmental disorders", "Children with autistic disorder (n = 8), Asperger's "
     "disorder (n = 6) or PDD not otherwise specified (n = 3) received guanfacine for 8 weeks in an open-label "
     "study. Conclusions: Placebo-controlled studies are indicated.",
     {"allocation": "single-group", "control": "none", "randomised": "no"}),
    # people named by the saline they received are a group of their own
    ("Remifentanil and corticospinal coupling",
     "We investigated the effects of the opioid remifentanil in a large sample (n = 78) of healthy male "
     "participants. Coupling was stronger in participants who reported stronger analgesia during opioid treatment, "
     "while participants that received saline showed reduced coupling.",
     {"allocation": "parallel", "control": "placebo"}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), ALLOCATION_CASES,
                         ids=[case[0] for case in ALLOCATION_CASES])
def test_allocation_follows_how_abstracts_describe_their_arms(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


def test_several_trials_in_one_abstract_leave_allocation_unstated(flagship: Protocol) -> None:
    # Each trial may have allocated differently, and none says how.
    check_case(flagship, "Sumatriptan in two trials",
           "In two double-blind trials, sumatriptan 100 mg was compared with placebo for the first "
           "migraine attack.",
           {"allocation": "not-stated", "control": "placebo"})


RANDOMISED_CASES: list[Case] = [
    # Groups that differ in who they are, beside healthy or non-using controls, were assigned nothing.
    ("Valproate and the brain's response to sad faces in mania",
     "We scanned 15 patients with mania before and after eight weeks of valproate. For comparison, 15 "
     "healthy controls were scanned twice, eight weeks apart.",
     {"randomised": "no"}),
    ("Ecstasy users and emotion recognition",
     "Twenty regular ecstasy users and 20 non-users recognised emotions in faces; users were less accurate "
     "for fear.",
     {"randomised": "no"}),
    # A randomised study the conclusion waits for is not the abstract's own (a chart review assigns nothing).
    ("Oxybutynin after spinal cord injury",
     "We reviewed the records of 60 men with spinal cord injury; those on oxybutynin had fewer bladder "
     "stones. Until a prospective, randomized study is done, regular use may be considered.",
     {"randomised": "no"}),
    # Trials spoken of in general (an essay's "RCTs") are not the abstract's own randomisation.
    ("What trials cannot tell us",
     "The cost and length of RCTs mean that many clinical questions will never be tested, and "
     "guidelines must often be written without them.",
     {"randomised": "not-stated", "allocation": "not-stated"}),
    # A chart review assigns nothing.
    ("Outcomes of very preterm infants",
     "We reviewed the records of 48 consecutive infants born before 25 weeks' gestation and "
     "compared survivors with nonsurvivors.",
     {"randomised": "no"}),
    # The observation period of a trial is not an observational design.
    ("Two hormone regimens and migraine",
     "Forty women with migraine were enrolled; the observational period lasted six months. Women "
     "were assigned to estradiol or conjugated estrogens.",
     {"randomised": "not-stated", "allocation": "parallel"}),
    # Randomization statistics analyse the data; they assign no one.
    ("Randomization statistics on brain potentials",
     "Twenty volunteers took psilocybin and placebo in a within-subject crossover; multivariate randomization "
     "statistics were applied to the event-related potentials.",
     {"randomised": "not-stated", "allocation": "crossover"}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), RANDOMISED_CASES,
                         ids=[case[0] for case in RANDOMISED_CASES])
def test_randomisation_is_read_from_the_abstracts_own_design(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


# A background sentence about meta-analyses, mice or in vitro work does not make a trial's abstract
# a review: the trial's own design statement keeps its values.
OWN_TRIAL_CASES: list[Case] = [
    ("Rizatriptan against zolmitriptan",
     "This was a randomized, double-blind study of rizatriptan 10 mg and zolmitriptan 2.5 mg in "
     "adults with migraine. The results agree with earlier meta-analyses.",
     {"randomised": "yes", "blinding": "double-blind", "allocation": "parallel"}),
    ("Cetirizine and nasal adhesion molecules",
     "Cetirizine lowered adhesion molecules in vitro. A double-blind, parallel-group study was carried "
     "out in patients with hay fever to compare cetirizine 10 mg with loratadine 10 mg.",
     {"blinding": "double-blind", "allocation": "parallel"}),
    ("Celecoxib and renal function",
     "Deleting the enzyme's gene in mice harmed the kidney. Single doses of celecoxib 400 mg or "
     "placebo were administered to 20 elderly patients in a randomized, double-blind order.",
     {"randomised": "yes", "blinding": "double-blind"}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), OWN_TRIAL_CASES,
                         ids=[case[0] for case in OWN_TRIAL_CASES])
def test_background_about_other_evidence_does_not_hide_the_trial(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


def test_a_meta_analysis_still_gets_no_design_values(flagship: Protocol) -> None:
    check_case(flagship, "Triptans for migraine: a meta-analysis",
           "We pooled 40 randomized, double-blind trials in which patients were given a triptan or "
           "placebo. This meta-analysis found triptans superior to placebo.",
           {"randomised": "not-stated", "blinding": "not-stated", "allocation": "not-stated"})


NOT_A_STUDY_CASES: list[Case] = [
    ("Antihistamines and the heart",
     "Arrhythmias have been reported rarely in patients receiving terfenadine. Ketoconazole raises its "
     "plasma levels, and loratadine or placebo have been compared in many trials.",
     {"randomised": "not-stated", "allocation": "not-stated", "control": "not-stated"}),
    ("Naratriptan in primary care: a cost-effectiveness analysis",
     "A decision-analytic model compared naratriptan with usual care for migraine over one year, from "
     "the payer's perspective.",
     {"allocation": "not-stated", "control": "not-stated"}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), NOT_A_STUDY_CASES,
                         ids=[case[0] for case in NOT_A_STUDY_CASES])
def test_abstracts_about_other_evidence_or_models_get_no_design(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


# An extension study's own design is open and single-group; the randomised, double-blind trial its
# participants completed first is the parent's design.
EXTENSION_CASES: list[Case] = [
    ("Long-term solifenacin for overactive bladder",
     "Patients who had completed a 12-week randomised, double-blind study of solifenacin against "
     "placebo were invited to continue; 800 chose to continue with 40 weeks of open-label solifenacin "
     "5 mg daily.",
     {"randomised": "no", "blinding": "open-label", "allocation": "single-group"}),
    # One arm given openly beside a blinded comparison says nothing of the trial's own blinding.
    ("Alendronate or estrogen for bone loss",
     "Women were randomly assigned to alendronate 5 mg, placebo, or open-label estradiol, and bone "
     "density was measured yearly.",
     {"randomised": "yes", "blinding": "not-stated"}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), EXTENSION_CASES,
                         ids=[case[0] for case in EXTENSION_CASES])
def test_a_parent_trials_design_or_one_open_arm_is_not_the_studys_own(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


def test_prior_therapy_does_not_hide_the_trials_own_randomisation(flagship: Protocol) -> None:
    check_case(flagship, "Rofecoxib in rheumatoid arthritis",
           "After a washout of prior NSAID therapy, 400 patients were randomly allocated to rofecoxib "
           "or placebo in a double-blind design.",
           {"randomised": "yes", "blinding": "double-blind"})


def test_sequence_groups_of_a_crossover_are_not_parallel_arms(flagship: Protocol) -> None:
    check_case(flagship, "Intranasal oxytocin and trust",
           "Forty healthy men were randomized to one of two sequence groups and received oxytocin 24 IU "
           "and placebo intranasally on two occasions one week apart.",
           {"allocation": "crossover", "randomised": "yes"})


def test_groups_formed_by_a_characteristic_are_not_assigned_arms(flagship: Protocol) -> None:
    check_case(flagship, "Inflammation and function in arthritis",
           "One hundred patients with arthritis were followed for two years and divided into three groups "
           "according to the change in their C-reactive protein at six months.",
           {"allocation": "not-stated"})
    check_case(flagship, "Inflammation and function in arthritis",
           "One hundred patients with arthritis were followed for two years. On the basis of the change in "
           "their C-reactive protein at six months, they were divided into three groups.",
           {"allocation": "not-stated"})


def test_an_unblinded_study_joined_by_and_is_still_open_label(flagship: Protocol) -> None:
    check_case(flagship, "Ketamine for suicidal ideation",
           "Thirty inpatients received ketamine 0.5 mg/kg intravenously. The nonrandomized and unblinded "
           "nature of this study limits its conclusions.",
           {"blinding": "open-label"})


def test_an_open_study_of_patients_from_earlier_placebo_controlled_trials_is_single_group(flagship: Protocol) -> None:
    # The placebo belongs to the trials the patients came from.
    check_case(flagship, "Long-term rizatriptan",
           "Patients who had previously participated in placebo-controlled rizatriptan trials were "
           "recruited to this open-label study and treated their attacks with rizatriptan 10 mg for one year.",
           {"allocation": "single-group", "blinding": "open-label"})


def test_a_two_way_sensitivity_analysis_is_no_crossover(flagship: Protocol) -> None:
    check_case(flagship, "Celecoxib against naproxen in osteoarthritis",
           "Patients were randomized to celecoxib or naproxen; a two-way sensitivity analysis of the "
           "costs was added.",
           {"allocation": "parallel"})


def test_trials_most_of_which_were_randomised_are_not_the_abstracts_own_allocation(flagship: Protocol) -> None:
    check_case(flagship, "Acute treatment of migraine",
           "Most current randomised controlled trials concern sumatriptan, which was superior to placebo "
           "in each of them.",
           {"allocation": "not-stated"})


def test_a_drug_profile_citing_what_has_been_investigated_gets_no_design(flagship: Protocol) -> None:
    check_case(flagship, "The clinical profile of zolmitriptan",
           "Zolmitriptan has been investigated in two randomized, double-blind, placebo-controlled, crossover "
           "trials; about 60% of attacks responded within two hours.",
           {"randomised": "not-stated", "allocation": "not-stated", "blinding": "not-stated"})


def test_a_trial_after_background_on_what_has_been_shown_keeps_its_design(flagship: Protocol) -> None:
    check_case(flagship, "Montelukast with cetirizine in asthma",
           "Leukotriene antagonists added to antihistamines have been shown to help in challenge models. "
           "Montelukast with cetirizine against montelukast alone was studied in a 12-week, randomized, "
           "double-blind, crossover study.",
           {"randomised": "yes", "allocation": "crossover", "blinding": "double-blind"})


def test_a_case_the_authors_report_is_a_study_of_its_own(flagship: Protocol) -> None:
    check_case(flagship, "Loratadine overdose in a child",
           "Few overdoses have been reported in children. We would like to report a three-year-old girl who "
           "swallowed 100 mg of loratadine and recovered without treatment.",
           {"randomised": "no"})


def test_a_quasi_experimental_design_is_not_randomised(flagship: Protocol) -> None:
    check_case(flagship, "Decision support and antibiotic prescribing",
           "Quasi-experimental study with eight intervention practices and 40 control practices; "
           "prescribing was compared before and after the support went live.",
           {"randomised": "no"})


def test_a_quasi_randomised_allocation_is_not_randomised(flagship: Protocol) -> None:
    check_case(flagship, "Reminders for screening",
           "Practices were quasi-randomised by their registration number to reminders or usual care.",
           {"randomised": "no"})


# How trial reporters word the design in general: the study's own, the trials they call for, the
# open trial, the food-effect study.
OWN_DESIGN_WORDING_CASES: list[Case] = [
    # "completed" as the main verb reports who finished this study, not an earlier one.
    ("Zolmitriptan and attention in healthy men",
     "Twenty healthy men completed a randomised, double-blind, crossover study in which they took "
     "zolmitriptan 5 mg and placebo on separate days.",
     {"randomised": "yes", "blinding": "double-blind", "allocation": "crossover"}),
    ("Azelastine spray against loratadine tablets in children",
     "An open clinical trial in 40 children with hay fever compared a nasal spray of azelastine with "
     "loratadine tablets over two weeks.",
     {"blinding": "open-label"}),
    ("Ibuprofen after knee surgery",
     "In an open parallel-group trial, 60 adults took ibuprofen 400 mg or paracetamol 1 g after knee "
     "arthroscopy.",
     {"blinding": "open-label"}),
    # The trials a conclusion calls for are not the study's own (nor its arms: people counted and
    # assigned nothing are not randomised).
    ("Two triptans bought in community pharmacies",
     "Community pharmacists enrolled 200 patients who had bought rizatriptan or almotriptan, and the "
     "patients kept diaries of three attacks. Fewer tablets were used with rizatriptan. Larger "
     "randomised studies are needed to confirm this difference.",
     {"randomised": "no"}),
    ("Celecoxib users in a health insurance database",
     "We followed 5000 people who filled prescriptions for celecoxib in a regional database. Whether "
     "the lower bleeding rate holds should be confirmed in a randomised trial.",
     {"randomised": "no"}),
    # A statistic named for within-subject variation says nothing of the design.
    ("Two triptans in pharmacy customers",
     "Patients were randomised to rizatriptan 10 mg or almotriptan 12.5 mg and recorded three attacks; "
     "a mixed model allowed for within-subject variability between attacks.",
     {"allocation": "parallel"}),
    # The same people dosed fasting and fed.
    ("Loratadine with and without breakfast",
     "Fourteen healthy volunteers took a single 20 mg tablet of loratadine on an empty stomach or after "
     "a high-fat breakfast, and plasma concentrations were measured for 24 hours.",
     {"allocation": "crossover", "control": "active"}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), OWN_DESIGN_WORDING_CASES,
                         ids=[case[0] for case in OWN_DESIGN_WORDING_CASES])
def test_the_design_is_read_from_how_reporters_word_their_own_study(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


# Whether the abstract reports people of its own: a case it opens on, healthy volunteers it studied
# after a background on animals, and against that the literature search of a drug profile.
OWN_PEOPLE_CASES: list[Case] = [
    ("Urticaria after a new analgesic",
     "A 58-year-old woman developed hives on the third day of etoricoxib. The rash cleared within a "
     "week of stopping the drug. We discuss how the drug may cause such reactions.",
     {"randomised": "no"}),
    ("Sumatriptan and oesophageal motility",
     "In animals, 5-HT1 agonists relax smooth muscle of the gut. Oesophageal manometry was performed "
     "in ten healthy volunteers after an injection of sumatriptan 6 mg or of placebo.",
     {"control": "placebo"}),
    ("Rupatadine: a profile",
     "To review what is known of rupatadine. A MEDLINE search (1995-2008) found reports of its "
     "pharmacology; in placebo-controlled, double-blind trials rupatadine relieved rhinitis.",
     {"randomised": "not-stated", "blinding": "not-stated", "control": "not-stated"}),
    ("Teaching research ethics",
     "Ethics committees are new in many countries. This communication reviews the training offered "
     "to their members in randomised trials of teaching methods and proposes a curriculum.",
     {"randomised": "not-stated"}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), OWN_PEOPLE_CASES,
                         ids=[case[0] for case in OWN_PEOPLE_CASES])
def test_people_of_the_abstracts_own_decide_whether_it_is_a_study(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


# How reporters word a within-subject design, a fixed sequence of treatments and an open trial,
# against the statistics, populations and calls for future trials that only sound like designs.
SEQUENCE_AND_MASKING_CASES: list[Case] = [
    # A correlation computed within subjects is a statistic of a single group, not a crossover.
    ("Chloroquine kinetics during weekly prophylaxis",
     "Eight healthy volunteers took chloroquine 300 mg once weekly for ten weeks. Clearance after the "
     "first and the last dose was correlated within subjects (r = 0.71).",
     {"allocation": "single-group"}),
    ("Estradiol and verbal memory",
     "Ten women took part in a four-session, within-subjects, placebo-controlled study of estradiol "
     "patches and verbal memory.",
     {"allocation": "crossover"}),
    ("Two formulations of oxybutynin",
     "A nonblind, randomised comparison of an extended-release and an immediate-release tablet of "
     "oxybutynin was made in 20 healthy men.",
     {"blinding": "open-label", "randomised": "yes"}),
    ("Two formulations of darifenacin",
     "In an unmasked, randomised study, 24 healthy women took darifenacin as a capsule or as a tablet.",
     {"blinding": "open-label"}),
    # The same patients given their usual treatment first and the study drug after it.
    ("Zolmitriptan after usual medication",
     "Sixty patients with migraine treated their attacks with their usual medication for eight weeks "
     "and then with zolmitriptan 2.5 mg for a further eight weeks; disability scores were compared "
     "between the two periods.",
     {"allocation": "crossover"}),
    ("Almotriptan after customary treatment",
     "In this longitudinal study, 150 patients used almotriptan 12.5 mg for three months after a "
     "two-month period of their customary treatment, and rated their satisfaction with each.",
     {"allocation": "crossover"}),
    # A placebo run-in after usual medication is no treatment period; randomisation decides the arms.
    ("Tolterodine after a run-in",
     "Patients stopped their usual medication, followed by a two-week placebo run-in, and 200 of them "
     "were then randomised to tolterodine 4 mg or placebo for 12 weeks.",
     {"allocation": "parallel", "randomised": "yes"}),
    # Everyone given the same drug, compared across kinds of patients.
    ("Solifenacin in two kinds of incontinence",
     "The efficacy of solifenacin was examined in patients with mixed incontinence compared with "
     "patients with urge incontinence alone. All 300 patients were treated with solifenacin 5 mg "
     "daily for 12 weeks, and half of the patients in each group became dry.",
     {"allocation": "single-group", "control": "none"}),
    # A programme measured before and after in the same people, ending with a call for a trial.
    ("A self-management course for back pain",
     "Eighty adults with chronic back pain took part in a twelve-week online self-management course. "
     "Pain interference fell from pre- to post-course. The findings support the initiation of "
     "randomised controlled studies of the course.",
     {"randomised": "no", "allocation": "single-group"}),
    ("A communication programme for nurses",
     "A convenience sample of 35 nurses attended a six-week communication training programme; empathy scores "
     "were higher at postintervention than at baseline.",
     {"allocation": "single-group"}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), SEQUENCE_AND_MASKING_CASES,
                         ids=[case[0] for case in SEQUENCE_AND_MASKING_CASES])
def test_sequences_within_subject_designs_and_masking_are_read_as_reporters_word_them(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


@pytest.mark.parametrize("abstract", [
    "Twenty children with social anxiety took open-label sertraline for eight weeks and improved. These "
    "findings warrant a future multisite, randomized, double-blind, placebo-controlled trial.",
    "This is an exploratory 12-week pilot study of memantine in 25 adults with autism. Its results will "
    "generate hypotheses for a larger randomized controlled clinical trial.",
])
def test_a_randomised_trial_called_for_is_not_the_studys_design(flagship: Protocol, abstract: str) -> None:
    assert suggested_values(flagship, "An open pilot study", abstract)["randomised"] != "yes"


# The same people under each condition, said in ways other than "crossover"; and one group measured
# against its own baseline.
SAME_PEOPLE_CASES: list[Case] = [
    # each participant their own control
    ("Their own controls",
     "Sixteen volunteers took yohimbine or placebo before a startle test; subjects served as their own controls.",
     {"allocation": "crossover"}),
    ("Cortisol in one session, placebo in the other",
     "Healthy adults were given hydrocortisone during one session and a placebo during another session before "
     "a face recognition task.",
     {"allocation": "crossover"}),
    ("A patch day and a placebo day",
     "Forty smokers wore a nicotine patch on one day and a placebo patch on a different day while rating pictures.",
     {"allocation": "crossover"}),
    ("Sessions of sampling and choosing",
     "During each of three sessions, ten healthy volunteers sampled a concentration of the gas and then chose between it and "
     "oxygen.",
     {"allocation": "crossover"}),
    ("Separate sessions after smoking",
     "Talk was recorded in eight cannabis users during separate two-hour experimental sessions after cigarettes "
     "of 0, 1 and 2% THC.",
     {"allocation": "crossover"}),
    ("Peptide and placebo challenges",
     "Twelve adults with autism took part in double-blind vasopressin and placebo challenges; repetitive "
     "behaviour was rated.",
     {"allocation": "crossover"}),
    ("Scanned with and without the drug",
     "Depressed and control participants had fMRI during an emotional face task with and without intravenous "
     "escitalopram (5 mg) pretreatment.",
     {"allocation": "crossover"}),
    ("Measured before and after the drug",
     "We recorded auditory evoked fields in healthy volunteers before and after intravenous application of a low "
     "dose of memantine.",
     {"allocation": "single-group", "control": "none"}),
    ("Results against baseline",
     "In this open-label, 12-week multicentre trial, patients with pathological crying received the combination "
     "twice daily. Scores on the lability scale fell by 6 points (P<.001) vs. baseline.",
     {"allocation": "single-group", "control": "none"}),
    # An arm named by a second assignment is a parallel arm, whatever the sessions of therapy.
    ("Assigned to one dose or assigned to another",
     "Veterans were randomly assigned to receive a full dose of the drug (100 mg) or assigned to receive a "
     "low dose (20 mg) during each of three therapy sessions.",
     {"allocation": "parallel"}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), SAME_PEOPLE_CASES,
                         ids=[case[0] for case in SAME_PEOPLE_CASES])
def test_the_same_people_under_each_condition_and_one_group_against_its_baseline(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


def test_a_replication_the_authors_call_for_names_no_control(flagship: Protocol) -> None:
    values = suggested_values(flagship, "Ketamine and anhedonia", (
        "Anhedonia fell during eight add-on ketamine infusions in 30 patients with resistant depression. The "
        "results need replication in a larger randomized placebo controlled trial."))
    assert values["control"] != "placebo"


def test_a_double_blind_written_with_a_spaced_dash_is_double_blind(flagship: Protocol) -> None:
    values = suggested_values(flagship, "Topiramate in PTSD", "Sixty veterans with PTSD were randomly assigned in a "
                                                             "double \u2013 blind design to topiramate or placebo.")
    assert values["blinding"] == "double-blind"


# Designs told in words that elsewhere mean another: a placebo-like dose, a study the authors sought
# to run, the authors examining people after a label, volunteers given drug and placebo with no groups,
# a between-participant design, treatments received "either" one or another.
DESIGN_WORDING_CASES: list[Case] = [
    ("Psilocybin and anxiety in cancer.",
     "This randomized, double-blind, cross-over trial compared a very low (placebo-like) dose (2 mg/70 kg) vs. a "
     "high dose (25 mg/70 kg) of psilocybin in 40 patients with cancer. Anxiety fell after the high dose.",
     {"control": "active", "allocation": "crossover"}),
    ("EEG under intravenous salvinorin A.",
     "Here we sought to investigate the effects of IV salvinorin A on the EEG power spectrum of human brain activity "
     "(5 female, 9 male). Compared with placebo, salvinorin A reduced alpha power.",
     {"control": "placebo", "n_total": 14}),
    ("Open-label trial of memantine in panic disorder.",
     "OBJECTIVE: New treatments for panic disorder are needed. The authors examined memantine in adult outpatients "
     "with panic disorder. METHOD: In an 8-week open-label study, 20 patients received memantine 20 mg/day.",
     {"age_group": "adult"}),
    ("Ketamine and the sense of agency.",
     "Sixteen healthy participants were given low-dose ketamine and completed a binding task. Ketamine increased "
     "binding relative to placebo.", {"allocation": "crossover", "control": "placebo"}),
    ("Testosterone and angry faces.",
     "We administered testosterone or placebo gel to healthy young men (n = 100) in a double-blind, "
     "placebo-controlled, between-participant design.", {"allocation": "parallel"}),
    # (a guard: one of several treatments, not one crossover)
    ("Cortisol, yohimbine and faces.",
     "Ninety healthy men did a face task after receiving either 10 mg hydrocortisone or 10 mg yohimbine or placebo. "
     "Neither drug changed recognition compared to placebo.", {"allocation": "parallel"}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), DESIGN_WORDING_CASES,
                         ids=[c[0] for c in DESIGN_WORDING_CASES])
def test_designs_told_in_words_that_elsewhere_mean_another(flagship: Protocol, title: str, abstract: str,
                                                           expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


@needs_lexicon
@pytest.mark.parametrize(("title", "abstract", "expected"), [
    # a conclusion's word of the blinded studies to come yields to the methods' open label
    ("An open-label trial of escitalopram in pervasive developmental disorders",
     "METHOD: This 10-week study had a forced titration, open-label design. Twenty-eight children received "
     "escitalopram. CONCLUSIONS: The study provides information useful for the design of double-blind, "
     "placebo-controlled studies of escitalopram.", {"blinding": "open-label", "allocation": "single-group"}),
    ("Open-label fluoxetine for irritability",
     "METHODS: Twenty children with autism took fluoxetine in an open-label design. RESULTS: Irritability fell. "
     "CONCLUSIONS: As in double-blind studies of other SSRIs, irritability fell within weeks.",
     {"blinding": "open-label"}),
    # a questionnaire named "... Survey" is no survey design
    ("Bumetanide for autism: open-label trial in six children",
     "This was an open-label three-month trial of bumetanide in six children with autism. Ratings on the Parental "
     "Satisfaction Survey (PASS) were used to assess change.", {"allocation": "single-group", "control": "none"}),
])
def test_a_conclusions_word_or_a_questionnaires_name_is_not_the_design(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)
