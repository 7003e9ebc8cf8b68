"""The study-level gate: an abstract that shows no study of its own gets no study fields, and a
study of people that measures something 'in vitro' keeps them (phrasings written for these tests)."""

from __future__ import annotations

import pytest

from livingreview.protocol.models import Protocol
from _extraction_cases import Case, check_case, flagship, needs_lexicon

__all__ = ["flagship"]

NO_STUDY: list[Case] = [
    # a narrative overview of a drug whose title says nothing of reviewing
    ("Oxybutynin in bladder overactivity: an overview.",
     "Oxybutynin is an antimuscarinic agent used for an overactive bladder in adults. Its side effects, "
     "dry mouth above all, limit its use, and newer agents are better tolerated. Oxybutynin remains a "
     "useful first choice for many adults with urge incontinence.",
     {"drugs": [], "population": [], "age_group": "not-stated"}),
    # a clinical essay about a group of patients, no participants of its own
    ("Bedwetting in school-age boys.",
     "Boys who wet the bed often have a small functional bladder or constipation. A careful history "
     "usually finds the cause. Most children respond to alarm therapy, and desmopressin helps some.",
     {"drugs": [], "population": [], "age_group": "not-stated"}),
    # a drug profile totting up other people's trials in an estimate
    ("Solifenacin for the overactive bladder",
     "Solifenacin 5 mg has been studied in double-blind and open trials. The results of 15 trials including "
     "more than 8000 patients are summed up.",
     {"drugs": [], "population": [], "age_group": "not-stated", "n_total": None}),
    # mice described at length before what was done to them
    ("Cannabidiol and social interaction in adult male mice",
     "Adult male BTBR mice, a model of idiopathic autism with social deficits, were acutely treated with vehicle or "
     "10 mg/kg cannabidiol. Social preference was then assessed.",
     {"drugs": [], "doses": [], "population": []}),
    # rats treated with a drug, and pairs of rats, in an abstract that counts videos, not people
    ("Memantine and play fighting",
     "Videos of juvenile rat pairs were scored by a neural network trained on 80 annotated clips (N = 80). "
     "Rats treated with memantine (10 mg/kg) spent less time in play fighting than those given vehicle.",
     {"drugs": [], "doses": [], "population": []}),
    # a search of bibliographic databases: the studies found are other people's
    ("Ketamine for social withdrawal in autism",
     "Methods: A thorough search of PubMed and Scopus was made for reports of ketamine in autism. Results: "
     "Two trials were found; intravenous ketamine eased social withdrawal in one of them.",
     {"drugs": [], "routes": [], "population": [], "randomised": "not-stated"}),
    # "the review" as the subject of what the article does
    ("Hypnotics and next-morning alertness: ten years of laboratory work",
     "The review summarizes six double-blind, placebo-controlled studies of zolpidem and temazepam in "
     "healthy volunteers. Reaction times were slower the morning after the higher doses.",
     {"drugs": [], "control": "not-stated", "blinding": "not-stated"}),
    # a review that says so after its title's colon, and searches a bibliographic database
    ("Clozapine and the social brain: a review of imaging findings",
     "Objective: We aimed to review how clozapine changes brain responses to faces in schizophrenia. "
     "Methods: We used the Embase database for a bibliographic search of imaging studies. Results: "
     "Clozapine was associated with more typical amygdala responses.",
     {"drugs": [], "population": []}),
    # an animal model named by its strain, with no "mice were" sentence
    ("Early bumetanide and sociability in a rat model of autism",
     "Autism has no effective drug treatment. In this study, we assessed bumetanide given early in the "
     "valproate-exposed rat model of autism. Early bumetanide restored social approach.",
     {"drugs": [], "population": []}),
]

OWN_STUDY: list[Case] = [
    # in vitro measures taken on the trial's own patients are no in vitro study
    ("Sublingual grass pollen drops in adults with hay fever: clinical and in vitro parameters.",
     "We ran a trial of sublingual grass pollen drops and their effects on clinical and in vitro "
     "parameters in 48 adults with hay fever. Twenty-four received the drops and 24 received "
     "antihistamines alone.",
     {"n_total": 48, "age_group": "adult"}),
    # a terse report in the past tense of what its people took: a study, with no design named
    ("Melatonin after night shifts",
     "Nurses coming off night shifts took melatonin at bedtime and rated their sleep every morning.",
     {"drugs": ["melatonin"]}),
]


@needs_lexicon
@pytest.mark.parametrize(("title", "abstract", "expected"), NO_STUDY)
def test_an_abstract_showing_no_study_of_its_own_gets_no_fields(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


@needs_lexicon
@pytest.mark.parametrize(("title", "abstract", "expected"), OWN_STUDY)
def test_a_study_measuring_in_vitro_parameters_keeps_its_fields(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


# A trial of its own told beside a review, or re-analysed or pooled by its sponsor, keeps its fields.
OWN_TRIAL_BESIDE_OTHERS: list[Case] = [
    ("Oxybutynin against tolterodine: a trial and a meta-analysis",
     "Both agents are widely used. This is shown by a double-blind comparison of oxybutynin and tolterodine "
     "in 140 adults with urge incontinence, and by a meta-analysis of earlier studies. After 8 weeks both "
     "drugs reduced leakage to a similar extent.",
     {"drugs": ["oxybutynin", "tolterodine"], "n_total": 140}),
    ("Longer use of solifenacin and bladder diary scores",
     "Overactive bladder limits daily life. This paper further investigates whether solifenacin keeps "
     "improving diary scores after 12 weeks compared to placebo.",
     {"drugs": ["solifenacin"]}),
    ("Skin reactions with darifenacin",
     "The present meta-analyses look at rashes across the maker's programme. Data were obtained from "
     "3,400 patients in 9 double-blind trials of darifenacin lasting 2 to 12 weeks.",
     {"drugs": ["darifenacin"], "n_total": 3400}),
]

# A chart review of its own patients, or a cohort of its own, is a study whatever other work its
# background names.
OWN_PATIENTS_REVIEWED: list[Case] = [
    ("Tolterodine in men with multiple sclerosis",
     "The long-term effect of tolterodine in this group is unknown. We reviewed our experience with 80 men "
     "with multiple sclerosis, 30 of whom took tolterodine, and compared bladder pressures.",
     {"drugs": ["tolterodine"], "n_total": 80}),
    ("Estradiol gel and hip fracture in a regional cohort",
     "In vitro work on bone cells has suggested a benefit. To test it, a cohort including 2400 women past "
     "the menopause was followed for ten years, and 900 used estradiol gel.",
     {"drugs": ["estradiol"], "n_total": 2400}),
]

# Work on cells in a dish is no study of people, whatever drug it adds.
CELL_WORK: list[Case] = [
    ("Estradiol and nitric oxide release by vein cells",
     "Estradiol protects vessels. This study measured nitric oxide release in human umbilical vein "
     "endothelial cells (HUVECs) given estradiol 10 nM; release rose over 24 hours.",
     {"drugs": [], "doses": [], "population": [], "age_group": "not-stated"}),
    ("Tamoxifen and the growth of breast cancer cells",
     "This study exposed cultured breast cancer cells to tamoxifen for three days; growth slowed.",
     {"drugs": []}),
    ("Tamoxifen and tumour cells",
     "In this study, tumour cells were incubated with tamoxifen for three days and their growth slowed.",
     {"drugs": []}),
]


@needs_lexicon
@pytest.mark.parametrize(("title", "abstract", "expected"), OWN_TRIAL_BESIDE_OTHERS)
def test_a_trial_told_beside_a_review_or_reanalysed_keeps_its_fields(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


@needs_lexicon
@pytest.mark.parametrize(("title", "abstract", "expected"), CELL_WORK)
def test_work_on_cells_gets_no_fields(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


@needs_lexicon
@pytest.mark.parametrize(("title", "abstract", "expected"), OWN_PATIENTS_REVIEWED)
def test_a_chart_review_or_cohort_of_its_own_keeps_its_fields(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


# A study of its own after a background that cites other people's findings: told as "the current
# ... study", "this <kind of> study shows", "here, <how>, we ...", or a report's own findings.
OWN_STUDY_AFTER_OTHERS: list[Case] = [
    ("Lorazepam and fear learning",
     "Lorazepam has been shown to dampen fear responses. In the current double-blind, between-subjects, "
     "placebo-controlled study, healthy adults learned a fear association after lorazepam.",
     {"drugs": ["lorazepam"], "blinding": "double-blind", "control": "placebo"}),
    ("Estradiol and reward in men",
     "Earlier studies have suggested that estradiol alters reward processing. This pharmacological "
     "magnetoencephalography study shows that estradiol raised responses to monetary rewards in healthy men.",
     {"drugs": ["estradiol"], "population": ["healthy"]}),
    ("Ketamine and the grief network",
     "Ketamine has been reported to ease grief. Here, using positron emission tomography we show that a "
     "ketamine infusion lowered metabolism in the posterior cingulate of bereaved adults.",
     {"drugs": ["ketamine"], "routes": ["intravenous"]}),
    ("Repeated ketamine and social withdrawal",
     "Unlike what is known of older antidepressants, the authors report preliminary findings that social "
     "withdrawal did not track mood after repeated ketamine infusions in chronic depression.",
     {"drugs": ["ketamine"], "population": ["depression"]}),
    ("Haloperidol and trust",
     "Trust binds groups together. It has been shown to depend on dopamine. Here, in a double-blind, "
     "placebo-controlled, within-subject design, we administrated haloperidol to 30 healthy men before a "
     "trust game. This study adds to what is known of trust.",
     {"drugs": ["haloperidol"], "control": "placebo", "n_total": 30}),
    # children who took part in a task, whatever the closing sentence says is discussed
    ("Peer communication of hyperactive boys on methylphenidate and placebo",
     "Peer communication was assessed as school-aged boys participated in a dyadic communication task. The "
     "responses of hyperactive boys on methylphenidate and on placebo in a double-blind crossover design "
     "differed. Implications for clinical interpretation are discussed.",
     {"drugs": ["methylphenidate"], "allocation": "crossover", "blinding": "double-blind"}),
    # a study opening on its counted participants, its design used to give the drug
    ("Classroom behaviour as a function of stimulant medication",
     "Fifteen outpatient and 13 inpatient children with hyperactivity were observed in their classrooms. A "
     "double-blind, placebo-controlled, within-subject design was used to administer two dose levels of "
     "methylphenidate.",
     {"drugs": ["methylphenidate"], "allocation": "crossover"}),
]


@needs_lexicon
@pytest.mark.parametrize(("title", "abstract", "expected"), OWN_STUDY_AFTER_OTHERS)
def test_a_study_of_its_own_after_others_findings_keeps_its_fields(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


def test_a_human_study_with_animals_in_its_background_is_a_study(flagship: Protocol) -> None:
    # "in animals" is what others found; the authors gave the drug themselves
    check_case(flagship, "Oxytocin selectively changes face recognition in women",
               "Oxytocin plays an important role in social behaviour in animals. We used a face recognition test "
               "and intranasal administration of oxytocin to show that oxytocin improves recognition of happy faces.",
               {"drugs": ["oxytocin"], "routes": ["intranasal"], "age_group": "adult"})
