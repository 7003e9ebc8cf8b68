"""Which drugs an abstract gives as study drugs, which it only mentions, and what the control arm
gets: each convention pinned on sentences written for the test."""

from __future__ import annotations

import pytest

from livingreview.extraction import drugs
from livingreview.extraction.lexicon import lexicon_path
from livingreview.extraction.passages import Passage
from livingreview.protocol.models import Protocol

pytestmark = pytest.mark.skipif(lexicon_path() is None, reason="drug-named-entity-recognition is not installed")

# A protocol without vocabularies: the general drug lexicon alone names the drugs.
_EMPTY_PROTOCOL = Protocol.model_construct(vocabularies={}, criteria=[])


def _passages(abstract: str, title: str = "") -> list[Passage]:
    found = [Passage(5, "abstract", abstract)]
    return ([Passage(5, "title", title)] if title else []) + found


def _read(abstract: str, title: str = "") -> drugs.DrugReading:
    return drugs.read_drugs(_EMPTY_PROTOCOL, _passages(abstract, title), "intervention", frozenset())


def _names(abstract: str, title: str = "") -> list[str]:
    reading = _read(abstract, title)
    return sorted({*reading.study, *reading.comparator})


@pytest.mark.parametrize(("abstract", "absent"), [
    # Medication the protocol allows alongside the study drugs is not one of them.
    ("Adults with arthritis were randomized to celecoxib or diclofenac for 6 months. Low-dose aspirin "
     "for heart protection was allowed.", "aspirin"),
    ("Patients were randomly assigned to ibuprofen or placebo. Concomitant use of paracetamol was "
     "permitted.", "acetaminophen"),
    # Drugs named as examples of other members of a class.
    ("Sixty adults received loratadine or placebo. Sedation with older antihistamines, such as "
     "promethazine, may be larger.", "promethazine"),
    # Skin tests with a drug are a challenge, not a treatment.
    ("Patients took ebastine for two weeks; morphine skin tests were read before and after.", "morphine"),
    # A drug that types how people metabolise is a phenotype, not a treatment.
    ("Twelve volunteers who were poor metabolizers of sparteine received a single dose of "
     "metoprolol.", "sparteine"),
    # Substances measured in blood are not given.
    ("Women were randomized to estradiol or placebo. Serum concentrations of estradiol, estrone and "
     "androstenedione were measured.", "estrone"),
    # Treatment the study drug is added on to is background.
    ("We report lamotrigine given as add-on to carbamazepine in twelve adults with epilepsy.", "carbamazepine"),
    # A previous trial's arms are not this study's.
    ("Patients were randomized to meloxicam or piroxicam. The result is consistent with an earlier "
     "trial which compared meloxicam with diclofenac.", "diclofenac"),
    # The tracer of a scan images; it is given to every participant alike and treats nothing.
    ("Patients with depression took bupropion or placebo and were then injected with Tc-99m HMPAO for "
     "SPECT of the brain.", "technetium tc 99m exametazime"),
    # What caused the condition is not given by the trial.
    ("Children with rhinitis caused by house dust mites were randomized to desloratadine or placebo.",
     "house dust"),
    # ... also late in a list of what was measured.
    ("Women took tibolone or placebo for a year. Outcomes were hip BMD, serum lipids, PTH, calcitonin and "
     "osteocalcin.", "calcitonin"),
    ("Women took raloxifene or placebo. Neither changed the levels of total cholesterol, low-density "
     "lipoprotein (LDL) cholesterol, triglycerides, glucose, insulin or progesterone.", "progesterone"),
    # A drug people happened to take, named as a risk factor, is not given.
    ("Patients were randomized to celecoxib or naproxen. Ulcers were associated with concurrent aspirin "
     "usage.", "aspirin"),
    # A level that rose is measured, not given.
    ("Older adults took DHEA 50 mg or placebo for a year; a small increase of testosterone and estradiol "
     "was seen in women.", "testosterone"),
    # What the participants cannot take describes them, even in the title.
    ("Twenty asthmatic patients took nimesulide and placebo in a crossover study.", "aspirin"),
])
def test_drugs_only_mentioned_are_not_study_drugs(abstract: str, absent: str) -> None:
    title = "Nimesulide in asthmatic patients intolerant to aspirin" if absent == "aspirin" else ""
    assert absent not in _names(abstract, title)


def test_a_drug_named_as_what_provokes_the_symptom_in_brackets_is_not_given() -> None:
    abstract = ("Headache induced by a nitric oxide donor (nitroglycerin) was treated with sumatriptan "
                "or placebo; nitroglycerin-(NTG)-induced pain was rated.")
    assert _names(abstract) == ["sumatriptan"]


def test_treatment_every_arm_gets_besides_the_assigned_one_is_background() -> None:
    abstract = ("Women were randomized to estradiol patches or placebo patches. In addition to the "
                "assigned treatment, women with a uterus received dydrogesterone daily.")
    assert _names(abstract) == ["estradiol"]


@pytest.mark.parametrize("abstract", [
    ("OBJECTIVE: To test memantine added to donepezil in dementia.METHODS: Sixty adults maintained on stable "
     "doses of donepezil were randomly assigned to memantine (20 mg/day) or placebo in addition to donepezil. "
     "RESULTS: Memantine did not improve cognition."),
    ("Forty patients receiving donepezil took part in a double-blind, placebo-controlled trial of "
     "memantine (20 mg/day), which was added to their stable doses of donepezil. Memantine produced no greater "
     "benefit when co-administered with donepezil than placebo plus donepezil."),
])
def test_the_drug_a_study_drug_is_added_to_is_background_therapy(abstract: str) -> None:
    assert _names(abstract) == ["memantine"]


@pytest.mark.parametrize(("abstract", "title"), [
    # the title alone says what is added to what; the methods say the drug is an entry criterion
    ("Methods: Forty older adults with agitation were enrolled. Inclusion criteria comprised a score above 40 "
     "and treatment with 50-100 mg of quetiapine. Patients were randomly assigned to receive mirtazapine "
     "(15 mg) or placebo.", "Adding mirtazapine to quetiapine for agitation"),
    # "on a stable dose of" the drug the study drug may augment
    ("Outpatients on a stable dose of lamotrigine (100 mg or more) were randomized to memantine or placebo "
     "for eight weeks, to test whether memantine can augment the effects of lamotrigine.", ""),
])
def test_what_people_already_take_stays_background_wherever_the_add_on_is_said(abstract: str, title: str) -> None:
    assert len(_names(abstract, title)) == 1


def test_a_drug_both_arms_start_with_the_trial_is_a_study_drug() -> None:
    abstract = ("Forty drug-free children were randomly assigned to ten weeks of minocycline (50 mg twice daily) "
                "or placebo in addition to risperidone titrated up to 2 mg/day.")
    assert _names(abstract) == ["minocycline", "risperidone"]
    assert _control(abstract) == ("placebo", None)


def test_a_drug_named_only_as_what_the_participants_use_is_not_a_study_drug() -> None:
    abstract = ("Methods: We assessed 90 people in three groups: frequent ketamine users, abstinent users and "
                "non-users. Results: Increasing ketamine use went with poorer memory.")
    assert _names(abstract) == []
    given = ("Methods: Twenty ecstasy users received MDMA (100 mg) and placebo in two sessions. Results: MDMA "
             "users rated faces as warmer after MDMA.")
    assert _names(given) == ["mdma"]
    # (a medicine's users are the exposure a cohort is about)
    cohort = "We followed 1900 adults for three years. Among aspirin users, adenomas recurred less often."
    assert _names(cohort) == ["aspirin"]


@pytest.mark.parametrize("abstract", [
    ("Twenty adults took ketamine (0.5 mg/kg) or placebo. The levels of (2R,6R)-hydroxynorketamine two hours "
     "later correlated with striatal activation."),
    ("Twenty adults took ketamine (0.5 mg/kg) or placebo. Spectroscopy outcome measures were glutamate and "
     "myoinositol (mI), all referenced to creatine (Cr)."),
    "Here we tested the tetracycline antibiotic doxycycline (200 mg) against placebo in 60 healthy adults.",
])
def test_what_a_study_measures_or_a_class_it_names_is_not_a_study_drug(abstract: str) -> None:
    assert len(_names(abstract)) == 1


def test_a_trial_the_results_are_set_beside_gives_no_study_drug() -> None:
    abstract = ("Children with autism were randomly assigned to atomoxetine or placebo in a crossover. The "
                "effect looked as large as in an earlier multisite methylphenidate trial in the same population.")
    assert _names(abstract) == ["atomoxetine"]


def test_divalproex_is_named_as_itself() -> None:
    abstract = "Patients were randomized to divalproex sodium (750 mg/day), lithium or placebo."
    assert _names(abstract) == ["divalproex", "lithium"]


def test_a_factorial_trial_has_no_active_comparator() -> None:
    abstract = ("Children were randomly assigned to clonidine, methylphenidate, both, or placebo in a 2 x 2 "
                "factorial design. Children given methylphenidate improved compared with those not given it.")
    assert _control(abstract) == ("placebo", None)


def test_a_drug_given_alone_as_an_arm_is_not_background_though_another_is_added_to_it() -> None:
    abstract = ("Sixty adults were randomly assigned to donepezil alone or to memantine added to donepezil "
                "for 24 weeks.")
    assert _names(abstract) == ["donepezil", "memantine"]


def test_a_receptor_subtype_named_for_a_peptide_is_not_that_peptide() -> None:
    abstract = ("Twenty adults took MDMA (75 mg) or placebo. The effect may run through the vasopressin 1A "
                "receptors.")
    assert _names(abstract) == ["mdma"]


def test_what_a_previous_administration_did_is_not_a_study_drug() -> None:
    abstract = ("Sixty adults were randomly assigned to memantine (20 mg/day) or placebo for 24 weeks. Memory "
                "improved less than after previous administration of donepezil to such patients.")
    assert _names(abstract) == ["memantine"]


def test_a_drug_abbreviation_defined_in_the_background_counts_where_the_arms_use_it() -> None:
    abstract = ("Tamoxifen citrate (TMX) lowers breast cancer risk. Women were randomly assigned to "
                "anastrozole, TMX 20 mg/d or placebo.")
    assert _names(abstract) == ["anastrozole", "tamoxifen"]


@pytest.mark.parametrize(("written", "expected"), [
    ("norethisterone", "norethindrone"),
    ("oestradiol", "estradiol"),
    ("oestriol", "estriol"),
])
def test_inn_and_british_spellings_are_read_as_the_drug(written: str, expected: str) -> None:
    abstract = f"Forty women were randomized to {written} 1 mg daily or placebo."
    assert _names(abstract) == [expected]


def test_a_bacterium_is_not_a_drug() -> None:
    abstract = "Men given ciprofloxacin were cultured for Escherichia coli after four weeks."
    assert _names(abstract) == ["ciprofloxacin"]


def test_a_combination_brand_is_its_generic_components_in_one_arm() -> None:
    abstract = "Women were randomized to Activella or to raloxifene for one year."
    reading = _read(abstract)
    assert sorted(reading.study) == ["estradiol", "norethindrone"]
    assert list(reading.comparator) == ["raloxifene"]


def test_a_drug_the_title_adds_to_the_study_drug_is_not_the_comparator() -> None:
    title = "Low doses of raloxifene with and without cholecalciferol in older women"
    abstract = ("Women were randomly assigned to raloxifene 30 mg, raloxifene 30 mg and cholecalciferol "
                "800 IU, or placebo.")
    passages = _passages(abstract, title)
    reading = drugs.read_drugs(_EMPTY_PROTOCOL, passages, "intervention", frozenset())
    control, comparator = drugs.control(passages, reading, [])
    assert control.value == "placebo"
    assert comparator.value is None


def _control(abstract: str, title: str = "") -> tuple[object, object]:
    passages = _passages(abstract, title)
    reading = drugs.read_drugs(_EMPTY_PROTOCOL, passages, "intervention", frozenset())
    found, comparator = drugs.control(passages, reading, [])
    return found.value, comparator.value


@pytest.mark.parametrize("abstract", [
    "After a one-week single-blind placebo run-in, adults were randomized to ebastine 10 mg or loratadine 10 mg.",
    "Following a placebo lead-in period of two weeks, patients were randomized to ebastine or loratadine.",
    "Placebo was given to all patients for three days; they were then randomly allocated to ebastine or loratadine.",
])
def test_a_placebo_run_in_given_to_everyone_is_not_a_control_arm(abstract: str) -> None:
    assert _control(abstract) == ("active", "loratadine")


def test_placebo_taken_only_to_keep_a_dosing_schedule_blind_is_not_a_control_arm() -> None:
    abstract = ("Volunteers received extended-release darifenacin 15 mg in the morning and placebo 12 h later, "
                "or immediate-release darifenacin 7.5 mg twice daily, in random order.")
    assert _control(abstract)[0] != "placebo"


def test_the_placebo_arm_of_the_parent_trial_is_not_the_extension_study_s_control() -> None:
    abstract = ("Patients who had completed a 12-week double-blind trial of darifenacin versus placebo entered "
                "a 2-year open-label extension in which all received darifenacin 15 mg.")
    assert _control(abstract)[0] != "placebo"


def test_placebo_controlled_trials_of_others_before_the_aim_are_not_an_arm() -> None:
    abstract = ("Comparative trials have found lower efficacy than placebo-controlled trials did. This crossover "
                "study compared two tablets of darifenacin in 20 volunteers.")
    assert _control(abstract)[0] != "placebo"


def test_placebo_at_bedtime_as_its_own_arm_is_still_the_control() -> None:
    assert _control("Adults were randomized to melatonin or placebo at bedtime for four weeks.")[0] == "placebo"


@pytest.mark.parametrize("abstract", [
    "Women were randomly assigned to 0.625 mg/d of raloxifene plus 2.5 mg of medroxyprogesterone acetate or placebo.",
    "Women were randomly assigned to 1 mg raloxifene/0.5 mg medroxyprogesterone acetate or placebo.",
])
def test_a_drug_joined_to_the_study_drug_in_one_arm_is_not_the_comparator(abstract: str) -> None:
    assert _control(abstract) == ("placebo", None)


def test_a_drug_used_as_a_positive_control_is_the_comparator() -> None:
    abstract = ("In a randomized crossover design, 16 pilots took ebastine 10 mg, promethazine 25 mg and placebo. "
                "Promethazine, used as a positive control, impaired tracking.")
    assert _control(abstract, "Ebastine and flying performance") == ("placebo", "promethazine")


def test_a_second_drug_given_beside_placebo_is_the_comparator_of_the_drug_the_title_names() -> None:
    abstract = ("Sixteen volunteers received etoricoxib 120 mg and placebo in a crossover; eight others "
                "similarly received diclofenac, 50 mg three times daily, and placebo.")
    assert _control(abstract, "Etoricoxib spares gastric prostaglandins") == ("placebo", "diclofenac")


def test_drugs_the_title_lists_as_equals_beside_placebo_have_no_comparator() -> None:
    title = "Effects of darifenacin, solifenacin and oxybutynin on sleep"
    abstract = ("Healthy men were randomly given either placebo or one of the drugs (darifenacin 15 mg; "
                "solifenacin 10 mg; oxybutynin 5 mg tid). Oxybutynin, unlike darifenacin, shortened REM sleep "
                "versus placebo.")
    assert _control(abstract, title) == ("placebo", None)


def test_drugs_beside_placebo_under_a_title_naming_no_drug_have_no_comparator() -> None:
    title = "Serotonergic and noradrenergic regulation of social behaviour"
    abstract = ("Sixty volunteers were randomly assigned to a single dose of reboxetine (4 mg), citalopram "
                "(10 mg), or placebo and then met a stranger.")
    assert _control(abstract, title) == ("placebo", None)


def test_a_drug_said_to_act_longer_than_another_is_set_against_it() -> None:
    title = "Effect of ebastine and loratadine on nasal histamine challenge"
    abstract = ("Twelve patients took ebastine 10 mg, loratadine 10 mg or placebo in random order. The action "
                "of ebastine lasts longer than that of loratadine.")
    assert _control(abstract, title) == ("placebo", "loratadine")


@pytest.mark.parametrize("abstract", [
    "The effect of food on the pharmacokinetics of a single 10 mg dose of darifenacin was studied in a randomized crossover.",
    "Darifenacin 10 mg was given under fed and fasting conditions in a randomized crossover.",
    "Migraine attacks were treated with customary treatment and then with subcutaneous sumatriptan.",
])
def test_a_food_effect_or_customary_treatment_comparison_is_an_active_control(abstract: str) -> None:
    assert _control(abstract)[0] == "active"


def test_a_calcium_alone_arm_is_an_active_control_with_calcium_as_comparator() -> None:
    abstract = ("Women took raloxifene 60 mg with calcium and were compared with women treated with 1 g of "
                "calcium per day alone (control group, n = 20).")
    assert _control(abstract) == ("active", "calcium")


def test_a_supplement_every_participant_also_received_is_background() -> None:
    abstract = ("Women were randomly assigned to raloxifene or placebo. All participants also received "
                "elemental calcium at 500 mg/d.")
    assert _names(abstract) == ["raloxifene"]
    assert drugs.doses(_passages(abstract)).value == []


def test_drugs_joined_by_and_in_an_assignment_share_an_arm() -> None:
    abstract = ("Women were randomly assigned to receive 0.625 mg/d of raloxifene and 2.5 mg of "
                "medroxyprogesterone acetate (n = 100) or placebo (n = 100).")
    assert _control(abstract) == ("placebo", None)
    assert _names(abstract) == ["medroxyprogesterone", "raloxifene"]


@pytest.mark.parametrize("abstract", [
    "Women were given alendronate 70 mg weekly; serum calcium and urinary calcium excretion were measured.",
    "Patients taking calcium channel blockers were randomized to alendronate or placebo.",
    "Dietary calcium intake was recorded in women given alendronate.",
])
def test_calcium_measured_or_named_in_a_drug_class_is_not_given(abstract: str) -> None:
    assert _names(abstract) == ["alendronate"]


@pytest.mark.parametrize(("abstract", "expected"), [
    # "microg" is micrograms.
    ("Women applied patches delivering 50 microg/day of estradiol.", ["50 microg/day"]),
    # A comma between thousands is one amount.
    ("Patients received gabapentin 1,200 mg daily or placebo.", ["1200 mg daily"]),
    # The same amount written twice ("25 mg", "25.0 mg") is one dose.
    ("Patients took rofecoxib 12.5 or 25.0 mg daily; rofecoxib 25 mg was well tolerated.",
     ["12.5 mg daily", "25.0 mg daily"]),
    # Volumes and flows measured are not doses.
    ("Patients took oxybutynin 5 mg. Peak flow was 0.18 mL/s after treatment, against 340 ml at entry.", ["5 mg"]),
    # A histamine challenge's amounts are not study doses.
    ("Patients took cetirizine 10 mg before nebulized histamine (0.04-1.28 mg/nostril).", ["10 mg"]),
    # The dose of the parent trial is not the extension's.
    ("Patients had completed a 12-week trial of tolterodine 2 mg twice daily or placebo. They then took "
     "tolterodine 4 mg once daily for a year.", ["4 mg once daily"]),
    # A washout period between doses does not make a dose someone else's.
    ("After a washout period of 3 months, subjects took tolterodine 1 mg twice daily.", ["1 mg twice daily"]),
    # ... nor does a wash-out week between the study's own medication weeks
    ("Each participant received one week each of mirtazapine (30mg), zolpidem (12.5 mg) and placebo with a "
     "wash-out week between each medication week.", ["30mg", "12.5 mg"]),
    # a patch's dose per 24 hours, after the aim ("We determined whether") and a trial "was conducted"
    ("We determined whether bupropion with the nicotine patch helps smokers quit. A 10-week trial of bupropion "
     "(300 mg/day) with the transdermal nicotine patch (21 mg/24h) for 58 smokers was conducted.",
     ["300 mg/day", "21 mg/24h"]),
])
def test_doses_are_the_amounts_of_the_study_drugs(abstract: str, expected: list[str]) -> None:
    assert drugs.doses(_passages(abstract)).value == expected


def test_an_amount_per_kilogram_is_not_the_same_dose_as_the_plain_amount() -> None:
    abstract = "Children received ketamine 0.5 mg/kg; adults received ketamine 0.5 mg."
    assert drugs.doses(_passages(abstract)).value == ["0.5 mg/kg", "0.5 mg"]


@pytest.mark.parametrize(("abstract", "absent"), [
    # A subgroup defined by what patients took alongside is not an arm.
    ("Patients were randomized to rofecoxib or naproxen. Use of routine medication, including aspirin, was "
     "permitted. In patients who used low-dose aspirin the risk was similar, irrespective of aspirin use.",
     "aspirin"),
    # A hormone reported with its measured values is measured, not given.
    ("Women applied an estradiol patch or placebo. Mean estrone rose from 18.8 pg/ml to 41.6 pg/ml.", "estrone"),
    # A recommendation is not a treatment given.
    ("Women were randomized to tibolone or placebo. Addition of 10 mg of dydrogesterone every 6 months "
     "is recommended.", "dydrogesterone"),
    # A marker that measures something is a test agent.
    ("Volunteers took naproxen for two days; colonic permeability, as measured by sucralose, was unchanged.",
     "sucralose"),
    # A previous trial's comparator, named after a hyphenated description of the trial.
    ("Patients were randomized to meloxicam or piroxicam. This agrees with that of the large-scale clinical "
     "trial which compared meloxicam with diclofenac.", "diclofenac"),
    # What a placebo is made of.
    ("Volunteers took psilocybin 25 mg or placebo capsules containing lactose only, a week apart.", "lactose"),
    # A hormone the study drug releases, measured far more often than named otherwise.
    ("In a crossover study, 20 volunteers took 125 mg MDMA or placebo. Plasma oxytocin levels and oxytocin "
     "release rose after MDMA, and closeness to others tracked oxytocin.",
     "oxytocin"),
    # A drug named only in a structured abstract's conclusions is discussed, not given.
    ("Methods: Forty patients were randomised to sarcosine 2 g or placebo. Results: Negative symptoms fell. "
     "Conclusions: Sarcosine may act more gently than the full agonists, glycine and D-serine.", "d-serine"),
])
def test_more_drugs_only_mentioned_are_not_study_drugs(abstract: str, absent: str) -> None:
    assert absent not in _names(abstract)


def test_a_therapy_named_for_a_hormone_is_not_that_hormone() -> None:
    abstract = "Nylestriol can be used as an effective estrogen replacement therapy in 200 women."
    assert _names(abstract) == []


def test_participants_who_took_the_drug_took_the_study_drug() -> None:
    assert _names("Participants took memantine (10 mg, p.o.) or placebo before each session.") == ["memantine"]


@pytest.mark.parametrize(("abstract", "expected"), [
    # A route named for rescue or background classes is not the study drug's.
    ("Patients took nimesulide 100 mg; a mild reaction was easily controlled with inhaled bronchodilators.",
     []),
    ("Women used an estradiol gel with sequential oral progestogen.", []),
    # The study drug may itself be an oral contraceptive.
    ("Women with dysmenorrhea were randomized to a low-dose oral contraceptive or placebo.", ["oral"]),
    ("Women taking oral contraceptives were excluded; participants applied a testosterone gel.", []),
    # Swallowing the study drug is the oral route.
    ("Alertness was tested 1 to 6 hours after drug ingestion.", ["oral"]),
    # What participants drank as the study drug or its placebo.
    ("Faces were rated after consumption of 0.6 g/kg alcohol.", ["oral"]),
    ("Participants consumed kava (N = 20) or placebo (N = 20) before the speech task.", ["oral"]),
    # Drinking as a habit is no route.
    ("Heavy drinkers reported their weekly alcohol consumption before the scan.", []),
    # A peptide sprayed or given by a device into the nose, however the abstract says so.
    ("Men received 24 IU oxytocin administered nasally before the game.", ["intranasal"]),
    ("Women took oxytocin or a placebo spray 45 minutes before the scan.", ["intranasal"]),
    ("Vasopressin (20 IU, IN) or placebo was given through an atomizer.", ["intranasal"]),
    # A challenge agent sprayed into the nose is no route of the study drug.
    ("Four hours after 10 mg cetirizine by mouth, histamine was given by nasal aerosol application.", ["oral"]),
    # The objective names the study drug's form; a background section names others'.
    ("Objective: To test capsules of the combination against placebo in 120 adults with crying spells.", ["oral"]),
    ("Background: Intravenous infusions are costly. Methods: Sixty adults took the drug or placebo.", []),
    # A vaporised drug is breathed in, and so is a smoked one.
    ("Ten volunteers received a placebo and two doses of the vaporized plant extract.", ["inhaled"]),
    ("Each day, two cigarettes of active cannabis or placebo were smoked before the group session.", ["inhaled"]),
    # The drink the study gives, however its arms are listed.
    ("Sixty drinkers were given an alcoholic, placebo, or control beverage before meeting strangers.", ["oral"]),
    ("Men received either an alcoholic (0.5 g/kg) or a nonalcoholic beverage before rating faces.", ["oral"]),
    ("Those reporting weekly alcoholic beverage consumption above ten units were scanned.", []),
    # An arm given a drug "with or without" another still gets its own drug's route.
    ("Each took MDMA with or without pindolol (20 mg), oxytocin nasal spray or placebo.", ["intranasal"]),
    # Experience told after the route is the participants', not an earlier treatment's route.
    ("Eight adults were given intravenous DMT; all had previous experience in the use of hallucinogens.",
     ["intravenous"]),
    # a route held in the mouth is one product's; "oral" for the second product joined to it still counts
    ("Healthy adults took buprenorphine buccal film and oral oxycodone 30 mg or placebo.", ["oral"]),
])
def test_routes_follow_the_study_drug(abstract: str, expected: list[str]) -> None:
    assert drugs.routes(_passages(abstract)).value == expected


@pytest.mark.parametrize(("written", "expected"), [
    ("oxybutinin", "oxybutynin"),       # a changed letter
    ("sumatritpan", "sumatriptan"),     # two letters swapped
    ("noretisterone", "norethindrone"),  # a letter left out of the INN
    ("clarythromycin", "clarithromycin"),
])
def test_a_misspelt_drug_name_is_read_as_the_drug(written: str, expected: str) -> None:
    assert _names(f"Children were given {written} 5 mg nightly for six months.") == [expected]


@pytest.mark.parametrize("word", ["chloride", "pipeline", "reaction", "estrogens"])
def test_words_one_letter_from_a_drug_name_at_its_ends_are_not_misspellings(word: str) -> None:
    assert _names(f"The {word} was studied in forty adults.") == []


@pytest.mark.parametrize(("abstract", "expected"), [
    # A new compound the dictionary does not know, named with its dose by a drug stem.
    ("Patients took zelotriptan 2.5 mg or sumatriptan 100 mg; zelotriptan was better tolerated.",
     ["sumatriptan", "zelotriptan"]),
    # A code name with its dose stays as written.
    ("Volunteers received 40 mg of XR-2291 or placebo. XR-2291 lowered blood pressure.", ["xr-2291"]),
])
def test_drugs_missing_from_the_dictionary_are_read_from_their_doses(abstract: str, expected: list[str]) -> None:
    assert _names(abstract) == expected


def test_a_word_with_a_drug_stem_but_no_dose_is_not_a_drug() -> None:
    assert _names("The zelotriptan programme was discussed with 40 clinicians.") == []


def test_a_new_drug_misspelt_once_is_still_one_drug() -> None:
    abstract = ("Patients took zelotriptan 2.5 mg, zelotriptan 5 mg or placebo; the zelotrptan 5 mg arm "
                "was stopped early.")
    assert _names(abstract) == ["zelotriptan"]


def test_a_title_that_sets_a_drug_against_another_names_the_comparator() -> None:
    title = "Subcutaneous zelotriptan vs. subcutaneous sumatriptan in migraine"
    abstract = ("Patients were randomized to zelotriptan 1.4 mg, sumatriptan 6 mg or placebo. Sumatriptan was "
                "better than zelotriptan 1.4 mg for pain relief.")
    assert _control(abstract, title) == ("placebo", "sumatriptan")


@pytest.mark.parametrize("abstract", [
    "Mice with oxazolone (OXA) dermatitis were treated with tacrolimus; OXA colitis worsened.",
    "Adults admitted after paracetamol overdose received acetylcysteine.",
])
def test_a_drug_named_for_the_harm_it_caused_is_not_given(abstract: str) -> None:
    assert "oxazolone" not in _names(abstract) and "acetaminophen" not in _names(abstract)


def test_a_background_drug_with_its_dose_is_not_the_comparator_beside_placebo() -> None:
    abstract = ("Patients on methotrexate 15 mg weekly were randomized to etoricoxib or placebo for 12 weeks. "
                "Pain improved more with etoricoxib.")
    assert _control(abstract, "Etoricoxib in rheumatoid arthritis") == ("placebo", None)


def test_a_supplement_both_groups_received_is_background() -> None:
    abstract = ("Women were randomly assigned to raloxifene or placebo. Both groups received calcium 1 g/d "
                "and vitamin D 400 IU/d.")
    assert _names(abstract) == ["raloxifene"]


@pytest.mark.parametrize(("abstract", "expected"), [
    ("Adults took ebastine 10 mg daily. A group of untreated patients was used as a control group.", "none"),
    ("Untreated patients with hypertension were enrolled and given ebastine 10 mg daily.", "not-stated"),
])
def test_an_untreated_control_group_is_no_treatment(abstract: str, expected: str) -> None:
    assert _control(abstract)[0] == expected


def test_a_control_arm_drug_named_in_a_sentence_about_everyone_is_still_the_comparator() -> None:
    abstract = ("Women took tibolone 2.5 mg. All women were supplemented with 1 g of calcium per day, and compared "
                "with women treated with 1 g of calcium per day alone (control group, n = 15). Bone loss was "
                "larger in calcium-treated women.")
    assert _control(abstract) == ("active", "calcium")


@pytest.mark.parametrize(("abstract", "absent"), [
    # Mediators and hormones the body makes, named as what is measured or blocked.
    ("Forty adults took montelukast or placebo for two weeks; urinary leukotriene E4 and plasma "
     "leptin were measured.", "leptin"),
    ("Thirty volunteers received zileuton 600 mg or placebo before the prostaglandin D2 release "
     "was assayed.", "prostaglandin d2"),
    # An allergen extract used to provoke the skin response.
    ("Twenty atopic adults took 10 mg desloratadine or placebo before skin prick testing with "
     "cat dander allergen.", "felis catus dander"),
    # An outcome named after a rescue drug, and an enzyme named after a nutrient.
    ("Patients were randomized to parecoxib or placebo before surgery; cumulative morphine "
     "consumption over 24 hours was the primary outcome.", "morphine"),
    ("Eighteen men received 100 mg sildenafil or placebo and creatine kinase activity was followed.",
     "creatine"),
    # A radiolabelled tracer for imaging, and hormones listed as what was sampled.
    ("Ten volunteers took 10 mg cetirizine or placebo and brain receptor occupancy was imaged "
     "by PET with [11C]doxepin.", "doxepin"),
    ("Twelve women were given tibolone 2.5 mg daily; night-time hormone secretion (cortisol, "
     "growth hormone, estradiol and prolactin) was sampled.", "estradiol"),
    # The class a study drug belongs to.
    ("Older women took the isoflavone derivative ipriflavone 600 mg per day for a year.", "isoflavones"),
])
def test_a_substance_measured_blocked_or_used_as_a_probe_is_not_a_study_drug(abstract: str, absent: str) -> None:
    names = _names(abstract)
    assert absent not in names
    assert names  # the study drug itself is still read


def test_esterified_estrogens_are_one_study_drug() -> None:
    assert _names("Sixty women were randomized to esterified estrogens 0.625 mg or placebo for a year.") == [
        "esterified estrogens"]


@pytest.mark.parametrize(("abstract", "expected"), [
    # The number of an arm before its dose is not a dose.
    ("Adults were randomized to darifenacin (arm 1, 7.5 mg once daily), solifenacin (arm 2, 5 mg once "
     "daily) or placebo.", ["7.5 mg once daily", "5 mg once daily"]),
    # Exposure and bone density figures carry units of amount but measure something.
    ("Eighteen men took a 20 mg tablet of almotriptan; the AUC was 410 ng.h mL-1 and the peak "
     "concentration 64 ng mL-1.", ["20 mg"]),
    ("Women were randomized to raloxifene 60 mg or placebo; hip density averaged 0.812 g/cm2 at baseline.",
     ["60 mg"]),
    # A crossover with a washout between periods still gives its arms' doses.
    ("Twenty adults were randomised to ibuprofen 400 mg or ketoprofen 50 mg in a crossover study with a "
     "washout between treatments.", ["400 mg", "50 mg"]),
    # A drug participants were allowed to take is the study's own when it is what they treated with.
    ("In this open extension, patients were allowed to treat every attack with zolmitriptan 5 mg.", ["5 mg"]),
])
def test_only_amounts_given_as_study_doses_are_doses(abstract: str, expected: list[str]) -> None:
    assert drugs.doses(_passages(abstract)).value == expected


def test_a_route_named_for_other_studies_drugs_is_not_the_studys_route() -> None:
    abstract = ("Fifty women applied an estradiol gel daily for 12 weeks. Hot flushes fell by 70%, similar to "
                "that reported for oral estrogens.")
    assert drugs.routes(_passages(abstract)).value == []


@pytest.mark.parametrize(("abstract", "title", "expected"), [
    # The abstract names the active comparator outright, whichever drug other sentences set against which.
    ("This study examines the central effects of naratriptan and almotriptan, with lorazepam as an active "
     "comparator, in healthy women. Fourteen women received 2.5 mg naratriptan, 12.5 mg almotriptan or 1 mg "
     "lorazepam on separate days in random order. Almotriptan and naratriptan slowed saccades by about half "
     "the slowing induced by lorazepam.", "Central effects of naratriptan and almotriptan in healthy women",
     "lorazepam"),
    # A shortened name for the drug named in full earlier is that drug.
    ("Volunteers received modafinil (200 mg) or dextroamphetamine (10 mg) in random order. Amphetamine "
     "was included as a positive control.", "", "dextroamphetamine"),
])
def test_a_drug_named_as_the_active_comparator_is_the_comparator(abstract: str, title: str, expected: str) -> None:
    passages = _passages(abstract, title)
    reading = drugs.read_drugs(_EMPTY_PROTOCOL, passages, "intervention", frozenset())
    assert drugs.control(passages, reading, [])[1].value == expected


@pytest.mark.parametrize("abstract", [
    ("Forty adults had skin prick tests after intradermal ketotifen, cromolyn and the loratadine control "
     "(5 mg) were injected. Ketotifen reduced the wheal more than cromolyn."),
    ("Patients with chronic urticaria were treated with sole loratadine (10 mg/day), or with either "
     "ketotifen (1 mg/day) plus loratadine or cromolyn plus loratadine for eight weeks."),
])
def test_a_drug_named_as_the_control_arm_is_the_comparator(abstract: str) -> None:
    passages = _passages(abstract)
    reading = drugs.read_drugs(_EMPTY_PROTOCOL, passages, "intervention", frozenset())
    assert drugs.control(passages, reading, [])[1].value == "loratadine"


@pytest.mark.parametrize("abstract", [
    "Ten healthy men took a 25 mg tablet of XR-4410 with and without breakfast.",
    "Single intravenous doses of 2-20 micrograms/kg of XR-4410 were well tolerated in ten healthy men.",
])
def test_a_code_name_is_read_when_a_dosage_form_or_a_dose_per_kilogram_comes_between(abstract: str) -> None:
    assert _names(abstract) == ["xr-4410"]


@pytest.mark.parametrize(("title", "abstract", "expected"), [
    # the agents of an anaesthesia everyone has, named where it is induced, maintained or given under
    ("Ketamine and delirium after cardiac surgery",
     "Sixty patients undergoing cardiac surgery randomly received placebo or ketamine 0.5 mg/kg during anesthetic "
     "induction in the presence of fentanyl and etomidate.", ["ketamine"]),
    ("Ketamine and emergence agitation in children under sevoflurane general anesthesia",
     "Children undergoing dental repair were randomized to ketamine 0.25 mg/kg or saline. Anesthesia was induced "
     "and maintained with sevoflurane in N2O/O2.", ["ketamine"]),
    # the analgesia a study drug is added to
    ("", "Postoperative analgesia was provided by patient-controlled intravenous sufentanil, supplemented by randomly "
         "assigned dexmedetomidine or placebo.", ["dexmedetomidine"]),
    # anaesthetics that are the arms themselves stay
    ("", "Patients were randomly assigned to anesthesia with sevoflurane or propofol.", ["propofol", "sevoflurane"]),
])
def test_the_anaesthesia_or_analgesia_every_arm_has_is_not_a_study_drug(title: str, abstract: str,
                                                                        expected: list[str]) -> None:
    assert _names(abstract, title) == expected


@pytest.mark.parametrize("abstract", [
    # "dose levels of" gives the drug; it does not measure its level
    "A double-blind, placebo-controlled, within-subject design was used to administer two dose levels of "
    "methylphenidate to 20 boys.",
    # a gut hormone given by infusion
    "Eighty children with autism were randomly assigned to a single infusion of secretin or placebo.",
])
def test_a_drug_given_at_dose_levels_or_a_hormone_infused_is_a_study_drug(abstract: str) -> None:
    assert len(_names(abstract)) == 1


@pytest.mark.parametrize(("abstract", "title", "expected"), [
    # the racemate or parent named beside the form given is that form
    ("Twenty volunteers had placebo and S-ketamine infusions in random order. Ketamine reduced the modulation "
     "of the startle reflex.", "", ["esketamine"]),
    ("Adults received placebo, 10 and 20 mg d-amphetamine under double-blind conditions. Contrary to our "
     "hypotheses, amphetamine did not alter attention to faces.", "", ["dextroamphetamine"]),
    # ... but not a parent given at a dose of its own
    ("Patients were randomized to ketamine 0.5 mg/kg or esketamine 0.25 mg/kg.", "", ["esketamine", "ketamine"]),
    # a salt the dictionary files with its drug, and a psychedelic written with a space after the comma
    ("Adults with ADHD took lisdexamfetamine dimesylate 30 mg or placebo.", "", ["lisdexamfetamine"]),
    ("Healthy volunteers inhaled four doses of the drug.", "A vaporized 5-Methoxy-N, N-Dimethyltryptamine formulation",
     ["5-meo-dmt"]),
    # the active placebo of a placebo-controlled trial is its placebo arm
    ("In this double-blind, placebo-controlled, crossover trial, 29 patients received psilocybin 0.3 mg/kg or "
     "niacin, both with psychotherapy.", "", ["psilocybin"]),
    ("In this placebo-controlled trial, 40 adults received scopolamine or glycopyrrolate as an active placebo.",
     "", ["scopolamine"]),
])
def test_a_form_its_parent_and_an_active_placebo_are_read_as_one_study_drug(abstract: str, title: str,
                                                                           expected: list[str]) -> None:
    assert _names(abstract, title) == expected


@pytest.mark.parametrize(("abstract", "title", "expected"), [
    # the maintenance treatment the participants are in
    ("From eight methadone maintenance programs we recruited 137 methadone-maintained persons with insomnia and "
     "randomized them to trazodone 50 mg or placebo.", "Trazodone for sleep during methadone maintenance",
     ["trazodone"]),
    ("Patients started escitalopram 10 mg or placebo. Sixty-one percent completed the 12 week buprenorphine "
     "protocol; drop-out was missing seven buprenorphine dosing days.", "", ["escitalopram"]),
    # what people are added onto, said as "adjunctive treatment to"
    ("Patients were randomized to lorazepam or haloperidol as an adjunctive treatment to lithium for mania.", "",
     ["haloperidol", "lorazepam"]),
    # what participants crave, and a rescue drug's use counted as an outcome
    ("Patients took extra methadone 20 mg or placebo. Methadone increased craving for heroin.", "", ["methadone"]),
    ("Children were randomized to midazolam 0.5 mg/kg or placebo. At 1 week, ibuprofen use was reported by fewer "
     "children in the midazolam group.", "", ["midazolam"]),
])
def test_maintenance_treatment_adjuncts_cravings_and_rescue_use_are_not_study_drugs(abstract: str, title: str,
                                                                                    expected: list[str]) -> None:
    assert _names(abstract, title) == expected
