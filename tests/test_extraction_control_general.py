"""The control arm and the active comparator read from phrasings that trial abstracts use in general.

Each snippet is written for this test (not taken from any record) and goes through the whole text
pipeline (`suggest_study` with the flagship protocol), as on real records. Only the fields a case
names are checked.
"""

from __future__ import annotations

import pytest

from _extraction_cases import Case, check_case, flagship, needs_lexicon

from livingreview.protocol.models import Protocol

pytestmark = needs_lexicon


CONTROL_CASES: list[Case] = [
    # Saline named first as one of two things given is the placebo; a design called "active control" says so.
    ("Sumatriptan for headache after a lumbar puncture",
     "Twelve patients with headache after lumbar puncture were given either saline or sumatriptan under the "
     "skin, and pain was rated an hour later.",
     {"control": "placebo"}),
    ("Two release forms of tolterodine",
     "This randomized, double-blind, active control, parallel study compared a once-daily and a twice-daily "
     "form of tolterodine in 200 adults with urge incontinence.",
     {"control": "active"}),
    # The participants' own session without the drug is a control of no treatment.
    ("Faces after an infusion",
     "Sixteen healthy men were tested twice, one session without medication and one during an intravenous "
     "infusion of ketamine, on a task of recognising emotions in faces.",
     {"control": "none"}),
    # A "not" that negates an outcome does not negate the placebo the result is compared with.
    ("A hallucinogen and empathy",
     "Methods: We studied the effect of psilocybin (0.2 mg/kg by mouth) on empathy in healthy adults. "
     "Results: Psilocybin raised emotional, but not cognitive, empathy compared with placebo.",
     {"control": "placebo"}),
    # A drug every arm takes, the placebo arm too, is background, not the comparison.
    ("A placebo-controlled trial of N-acetylcysteine added to aripiprazole in autism",
     "Background: We tested N-acetylcysteine (NAC) as an add-on for irritability in autism. Methods: Forty "
     "children were randomly allocated to NAC (900 mg/day)+aripiprazole or placebo+aripiprazole. Conclusions: "
     "Aripiprazole plus NAC more than aripiprazole plus placebo reduced irritability.",
     {"control": "placebo", "active_comparator": None}),
    # A placebo phase everyone goes through before the arms is no placebo arm, however punctuated.
    ("Two doses of estradiol for hot flushes",
     "After a single-blind, placebo, lead-in fortnight, 30 women were randomly assigned to estradiol "
     "1 mg or estradiol 2 mg daily for twelve weeks.",
     {"control": "active"}),
    # One drug given by two routes is compared with itself: an active control, no comparator drug.
    ("Oral and subcutaneous sumatriptan in cluster headache",
     "Twenty patients treated one attack with sumatriptan tablets and one with an injection in an "
     "open crossover study, and pain relief at 30 minutes was compared.",
     {"control": "active", "active_comparator": None}),
    # An arm given nothing is the control, also when the treated arms compare two drugs.
    ("Oral or transdermal estradiol and lipids",
     "Postmenopausal women received no treatment (n = 10) or were treated with oral estradiol 2 mg "
     "(n = 15) or with a transdermal estradiol patch (n = 15) for six months.",
     {"control": "none"}),
    ("Cetirizine and loratadine in hay fever",
     "Cetirizine 10 mg and loratadine 10 mg were compared during the pollen season; patients given "
     "no medication formed the control group.",
     {"control": "none"}),
    # "To compare A and B": the drug named second is the reference the study drug is set against,
    # whichever the background named first.
    ("Antihistamines and nasal congestion",
     "Desloratadine was found to lower mediator release from nasal mast cells. A parallel-group study "
     "was done to compare the effect of two antihistamines, fexofenadine (180 mg) and desloratadine "
     "(5 mg), on nasal congestion in 80 adults with hay fever.",
     {"control": "active", "active_comparator": "desloratadine"}),
    # What everyone was given before the assignment is background, not a comparator arm.
    ("Weekly alendronate in men with low bone density",
     "Three hundred men were given calcium 500 mg daily and randomly assigned to alendronate 70 mg "
     "weekly or placebo for two years.",
     {"control": "placebo", "active_comparator": None}),
    # An arm left untreated, however the abstract lists it, is a control of nothing; randomised to it,
    # the design is parallel, not a single group.
    ("Calcitriol and bone in early menopause",
     "Eighty women in early menopause were randomized into two groups. One group took calcitriol for a "
     "year while the other group remained untreated.",
     {"control": "none", "allocation": "parallel"}),
    ("Three groups, one untreated",
     "For 16 weeks, 45 women after menopause were randomly divided into three groups: no treatment "
     "(group 1), a tibolone tablet (group 2) and an estradiol gel (group 3).",
     {"control": "none", "allocation": "parallel"}),
    ("Numbered regimens ending in a control",
     "An open-label, randomized, one-year study. Each woman was given one regimen: (1) raloxifene 60 mg, "
     "(2) raloxifene 60 mg with calcium or (3) control.",
     {"control": "none", "allocation": "parallel"}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), CONTROL_CASES,
                         ids=[case[0] for case in CONTROL_CASES])
def test_the_control_arm_follows_what_the_comparison_arm_was_given(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


ARM_CASES: list[Case] = [
    # "To intervention or control" does not say what the control arm got.
    ("Reminders for preventive care in general practice",
     "Forty practices were randomly allocated to an electronic reminder intervention or control, and "
     "screening rates were compared after six months.",
     {"control": "not-stated"}),
    # Care that goes on as usual is an active comparison.
    ("Nurse-led follow-up of heart failure",
     "Twenty practices introduced nurse-led follow-up; in twenty others patients were treated as usual, "
     "and admissions over a year were compared.",
     {"control": "active"}),
    # One drug in two release forms is compared with itself.
    ("A once-daily form of tolterodine",
     "In a crossover study of 18 volunteers, the exposure after a sustained-release tolterodine capsule "
     "was compared with that after immediate-release tolterodine tablets.",
     {"control": "active", "active_comparator": None}),
    ("Two forms of nifedipine in hypertension",
     "Adults with hypertension were randomized to extended-release or immediate-release nifedipine for eight weeks.",
     {"control": "active", "active_comparator": None}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), ARM_CASES, ids=[case[0] for case in ARM_CASES])
def test_an_unnamed_control_usual_care_and_a_second_release_form(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


PLACEBO_NOT_AN_ARM_CASES: list[Case] = [
    # A double dummy: each arm gets its own drug with a placebo of the other arm's form.
    ("Patch or tablets for hot flushes",
     "Women were randomized to receive an estradiol patch plus placebo tablets or estradiol tablets plus a "
     "placebo patch for 12 weeks, and flush frequency was recorded.",
     {"control": "active", "active_comparator": None}),
    ("Ulcer recurrence on two anti-inflammatory regimens",
     "Patients with healed ulcers were randomly assigned to etoricoxib 90 mg daily plus placebo or "
     "ibuprofen 800 mg plus esomeprazole 20 mg daily for six months.",
     {"control": "active", "active_comparator": "ibuprofen"}),
    # A placebo period before the assignment is a run-in, also when it is named again later.
    ("Two antihistamines in hay fever",
     "After taking placebo for two weeks, 90 adults were randomly assigned to cetirizine or fexofenadine. "
     "Symptoms were scored before and after taking placebo for two weeks and at the end of treatment.",
     {"control": "active", "active_comparator": "fexofenadine"}),
    # A placebo-controlled study the authors call for is future work, not this study's arm.
    ("Open-label baclofen for irritability in autism",
     "Thirty children with autism took baclofen for ten weeks in an open-label study. Irritability fell "
     "on the parent-rated checklist. A placebo-controlled trial of baclofen is warranted.",
     {"control": "none"}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), PLACEBO_NOT_AN_ARM_CASES,
                         ids=[case[0] for case in PLACEBO_NOT_AN_ARM_CASES])
def test_a_double_dummy_or_a_placebo_run_in_is_no_placebo_arm(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


PLACEBO_ARM_CASES: list[Case] = [
    # Placebo added to a drug every arm gets is the control (an add-on trial), not a dummy.
    ("Adding an antihistamine to montelukast",
     "Adults with asthma were randomized to montelukast 10 mg plus placebo or montelukast 10 mg plus "
     "desloratadine 5 mg for four weeks.",
     {"control": "placebo"}),
    # A placebo named after a run-in that is also an arm stays the control.
    ("Zafirlukast in mild asthma",
     "After a placebo run-in of two weeks, 200 adults were randomly assigned to zafirlukast or placebo.",
     {"control": "placebo"}),
    # An objective section that describes the study's own comparison names its arms.
    ("Add-on granisetron in schizophrenia",
     "Background: Granisetron is used against nausea. Aims: This randomised trial compared granisetron "
     "or placebo added to usual antipsychotics. Methods: Sixty outpatients took part for ten weeks.",
     {"control": "placebo"}),
    # "After receiving either the drug or placebo" names the arms, however randomisation follows.
    ("Oxytocin and approach to angry faces",
     "Emotional faces guide approach. After receiving either oxytocin or placebo (PL) in a randomized and "
     "double-blind manner, 60 men rated how much they would approach angry faces.",
     {"control": "placebo"}),
    # An abstract that opens its own study with "In two experiments".
    ("Ibuprofen and hurt feelings",
     "Physical and social pain may share mechanisms. In two experiments, participants took ibuprofen or "
     "placebo every day for two weeks. We then used a diary to measure hurt feelings.",
     {"control": "placebo", "allocation": "parallel"}),
    # A protocol tells its own study in the future tense.
    ("Nabilone and responses to sad faces",
     "Earlier studies suggest that nabilone eases anxiety. "
     "The investigators will administer placebo and two doses of nabilone to healthy adults in a "
     "double-blind within-subjects study and record ratings of sad and happy faces.",
     {"control": "placebo", "blinding": "double-blind"}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), PLACEBO_ARM_CASES,
                         ids=[case[0] for case in PLACEBO_ARM_CASES])
def test_placebo_added_to_a_shared_drug_or_named_as_an_arm_is_the_control(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


COMPARATOR_CASES: list[Case] = [
    # A randomised interaction study: the object drug alone against it with the other drug.
    ("Does ketoconazole change the kinetics of eletriptan?",
     "In a randomized two-period crossover, 14 volunteers took eletriptan 40 mg alone and together with "
     "ketoconazole 400 mg, and plasma concentrations were compared.",
     {"control": "active", "active_comparator": None}),
    # A drug set against a treatment the dictionary does not name is the comparison arm's drug.
    ("Bone markers on hormone therapy or calcium",
     "Early postmenopausal women were randomized to hormone therapy or calcium supplementation 1000 mg "
     "daily for a year, and bone density was measured.",
     {"control": "active", "active_comparator": "calcium"}),
    # Two drugs listed in a placebo-controlled study are each tested against placebo.
    ("Two antihistamines and the skin test",
     "A placebo-controlled, parallel-group study was done to compare the effect of ebastine (10 mg) and "
     "desloratadine (5 mg) on nasal symptoms in 60 adults with hay fever.",
     {"control": "placebo", "active_comparator": None}),
    # ... unless the abstract sets one against the other in so many words.
    ("Two bladder drugs and placebo",
     "A placebo-controlled study compared trospium and darifenacin in 300 adults. Doses were chosen to "
     "compare the tolerability of trospium with the usual licensed dosage of darifenacin.",
     {"control": "placebo", "active_comparator": "darifenacin"}),
    # A combination product's drugs are one arm; the drug after "to" is the reference.
    ("A combination analgesic in tension headache",
     "To compare a combination of caffeine with paracetamol to ibuprofen in tension-type headache, 400 "
     "adults were randomized in a double-blind trial.",
     {"active_comparator": "ibuprofen"}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), COMPARATOR_CASES,
                         ids=[case[0] for case in COMPARATOR_CASES])
def test_the_comparator_is_the_drug_set_against_the_study_drug_not_a_drug_added_or_listed_beside_it(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)
