"""Phrasing cases from the flagship's own kind of abstract (psychopharmacology trials with social-
cognition, imaging and behavioural outcomes), written in our own words: constructs, imaging,
outcome classes, brain regions and the participants such abstracts describe."""

from __future__ import annotations

import pytest

from livingreview.extraction.service import suggest_study
from livingreview.protocol.models import Protocol
from livingreview.records import Record
from tests._extraction_cases import Case, check_case, flagship

__all__ = ["flagship"]

STUDY_TURN_CASES: list[Case] = [
    # A run of comma-separated design words before "study" still turns the abstract to its own
    # study, so the imaging it names is what this study measured.
    ("Ketamine and neural responses to faces",
     "Faster treatments for depression are needed. Brain imaging can show how a drug changes the way "
     "faces are seen. This double-blind, placebo-controlled, crossover study of 24 adults with depression "
     "measured fMRI activation during a face task. Activation in the amygdala fell after ketamine "
     "compared with placebo.",
     {"imaging_modalities": ["fMRI"], "outcome_classes": ["neuroimaging"]}),
]

OWN_PARTICIPANTS_CASES: list[Case] = [
    # A reverse-translational abstract: people of its own beside a rat experiment.
    ("Ketamine and pleasure from company: a study in people and rats",
     "Pleasure from company was rated in a sample of participants with depression drawn from "
     "placebo-controlled trials of intravenous ketamine. In rats, ketamine was given before a helping "
     "task. Ketamine raised the ratings relative to placebo.",
     {"drugs": ["ketamine"], "population": ["depression"], "routes": ["intravenous"], "control": "placebo"}),
]

CONSTRUCT_CASES: list[Case] = [
    # The Aberrant Behavior Checklist's irritability subscale is no social construct; its social
    # withdrawal subscale is.
    ("Memantine for irritability in autism",
     "Children with autism were randomized to memantine or placebo. The irritability subscale of the "
     "Aberrant Behavior Checklist was the primary outcome.",
     {"constructs": []}),
    ("Memantine for social withdrawal in autism",
     "Children with autism were randomized to memantine or placebo. The social withdrawal subscale of the "
     "Aberrant Behavior Checklist was the primary outcome.",
     {"constructs": ["social functioning"]}),
    # Functioning scales name social functioning; empathy for others' pain is affective; a sense of
    # agency or body image is self-perception; self-other distinctiveness is the self-other distinction.
    ("Fluvoxamine for social phobia",
     "In a randomized, placebo-controlled trial, 90 adults with social phobia took fluvoxamine or placebo. "
     "Impairment was rated on the Sheehan Disability Scale.",
     {"constructs": ["social functioning"]}),
    ("Oxytocin and pain in others",
     "In a double-blind study, 100 healthy adults were randomly assigned to intranasal oxytocin or "
     "placebo, and their empathy for others' pain was rated while they watched clips.",
     {"constructs": ["affective empathy"]}),
    ("Ketamine and agency",
     "Sixteen healthy adults were given ketamine and placebo in a crossover design; we measured the sense "
     "of agency with an intentional binding task.",
     {"constructs": ["self-perception"]}),
    ("Oxytocin and the self",
     "In a double-blind, placebo-controlled crossover study, 40 healthy adults took oxytocin; we asked "
     "whether it changes self-other distinctiveness when imagining pain.",
     {"constructs": ["self-other distinction"]}),
    # What others found in a background sentence is not a construct this study measured.
    ("Oxytocin and reading minds",
     "Oxytocin is known to raise trust in animal models. In this double-blind crossover study, 20 healthy "
     "men received intranasal oxytocin or placebo before the Reading the Mind in the Eyes Test. Scores "
     "rose after oxytocin.",
     {"constructs": ["mentalizing"]}),
    # The review's own word for the whole profile is measured through the constructs, never alone.
    ("Does the empathogen MDMA change how others' feelings are shared?",
     "We tested whether a single dose of MDMA changes emotional empathy on the Multifaceted Empathy Test "
     "in 30 healthy volunteers in a randomised crossover design. Emotional empathy rose after MDMA.",
     {"constructs": ["affective empathy", "cognitive empathy"]}),
    # Constructs named in a labelled background (any of its sentences), about animals, as a
    # descriptor or in speculation are not what the study measured.
    ("MDMA and reading emotions in faces",
     "Background: Users say MDMA raises closeness. Recent work links it to trust. Methods: Thirty "
     "healthy adults were enrolled in a double-blind crossover study, received MDMA and placebo and "
     "completed a facial affect perception task; plasma hormones involved in social behaviour were measured. In rats, the "
     "drug reduced harm to a cage mate. Results: Fear was recognised less accurately after MDMA. "
     "Conclusions: MDMA might interfere with social cognition and may be useful for patients with social "
     "impairment.",
     {"constructs": ["emotion recognition"]}),
    # A questionnaire's domains, described before the turn to the study, are what it measures.
    ("A new questionnaire for migraine days",
     "A short questionnaire covers five domains, among them social functioning and energy. A prospective "
     "observational study was then conducted in 100 patients with migraine.",
     {"constructs": ["social functioning"]}),
    # Symptoms named alone in a trial rated on a clinician's scale are what the scale measured; beside
    # a global judgement with no rater they are the patients' own report.
    ("Sarcosine for negative symptoms",
     "Methods: This randomized, double-blind, placebo-controlled trial involved 120 patients with "
     "schizophrenia and predominant negative symptoms. Sarcosine or placebo was added to antipsychotic "
     "therapy for 8 weeks. Main outcome: change from baseline in the Positive and Negative Syndrome Scale "
     "negative factor score. Results: Sarcosine was associated with a significant reduction of negative "
     "symptoms (mean reduction in negative symptoms score, -25%; P = .03).",
     {"outcome_classes": ["clinician-rated"]}),
    ("A cream for hives",
     "Methods: Adults with hives were randomised to the cream or placebo for four weeks. Results: Symptom "
     "scores fell more with the cream. Global efficacy was also better.",
     {"outcome_classes": ["self-report", "clinician-rated"]}),
    # The other names of emotional processing, of other-perception and of social reward.
    ("Modafinil and the amygdala",
     "Healthy men took modafinil or placebo for a week and were scanned while viewing fearful stimuli. "
     "Amygdala reactivity fell on modafinil.",
     {"constructs": ["emotional processing"]}),
    ("MDMA and memories",
     "Twenty volunteers recalled emotional memories in the scanner after MDMA and after placebo.",
     {"constructs": ["emotional processing"]}),
    ("Vasopressin and faces of men",
     "In a placebo-controlled study, 40 men gave ratings of faces of unfamiliar men and women after "
     "intranasal vasopressin or placebo; vasopressin lowered the ratings.",
     {"constructs": ["other-perception"]}),
    ("Propranolol and prejudice",
     "Volunteers took propranolol or placebo; propranolol abolished implicit racial bias.",
     {"constructs": ["other-perception"]}),
    ("Amphetamine and company",
     "Methods: Eight volunteers took d-amphetamine at three doses in a discrete-trial choice procedure. "
     "Results: The drug increased choices of social reinforcement over money.",
     {"constructs": ["social reward"]}),
    # Faces showing feelings, words and pictures that stir them, and touch that pleases.
    ("Naltrexone and faces in pain",
     "Forty adults took naltrexone and placebo in a crossover design and judged facial expressions of pain.",
     {"constructs": ["emotion recognition"]}),
    ("Cortisol and recall",
     "Men took cortisol or placebo and later recalled neutral and emotional words.",
     {"constructs": ["emotional processing"]}),
    ("Morphine and a soft brush",
     "In a crossover trial, 30 adults rated touch pleasantness after morphine, naltrexone and placebo.",
     {"constructs": ["social touch"]}),
]

POPULATION_CASES: list[Case] = [
    # A drink's adjective names no alcoholism; people who use a drug of their own accord are drug users
    # unless they are called healthy; the symptoms a drug model gives healthy people name no disease.
    ("Alcohol and group bonding",
     "Three hundred social drinkers were given an alcoholic or a placebo beverage in groups of three.",
     {"population": []}),
    ("Memory in recreational ketamine users",
     "Twenty ketamine users and 20 poly-drug controls were compared; users scored higher on schizophrenic "
     "and dissociative symptom scales.",
     {"population": ["substance-use"]}),
    ("MDMA and empathy",
     "In a within-subject design, 20 healthy poly-drug MDMA users received MDMA and placebo.",
     {"population": ["healthy"]}),
    ("Ketamine in healthy volunteers reproduces experiences associated with schizophrenia",
     "Fourteen healthy adults were given ketamine and placebo and completed a binding task. Ketamine "
     "mimicked the performance of schizophrenia patients on the task.",
     {"population": ["healthy"]}),
    # Feelings for others end in -pathy like diseases do; they are no condition.
    ("Empathy and sympathy after oxytocin in healthy volunteers",
     "In a randomised crossover study, 24 healthy volunteers received intranasal oxytocin and placebo. "
     "Empathy ratings rose after oxytocin.",
     {"population": ["healthy"]}),
    # A drug given to healthy people to model a disorder, or a disorder named as what others
    # reported or in speculation, names the question, not the people studied.
    ("Recognising sad faces in a ketamine model of psychosis",
     "Twenty healthy men were tested twice, once after intravenous ketamine and once without it. "
     "Sad faces were recognised less well after ketamine, as has been reported in schizophrenia. "
     "The drug might have implications for patients with autism.",
     {"population": ["healthy"]}),
    # Patients and healthy volunteers both studied are both the population.
    ("Ketamine and face processing in depression",
     "Twenty patients with major depressive disorder and twenty healthy volunteers received intravenous "
     "ketamine and placebo in a crossover design.",
     {"population": ["depression", "healthy"]}),
]

OUTCOME_CLASS_CASES: list[Case] = [
    # A scale of what the drug made one feel is the participant's own; electrical neuroimaging is EEG.
    ("A kappa agonist and the body",
     "Eight healthy volunteers inhaled placebo and three doses of salvinorin A. Drug effects were rated on the "
     "Hallucinogen Rating Scale.", {"outcome_classes": ["self-report"]}),
    ("A neurosteroid and social threat",
     "Young adults were randomized to pregnenolone or placebo and studied with high-density electrical "
     "neuroimaging during a social threat task.", {"imaging_modalities": ["EEG"]}),
    # The negative symptoms of psychosis, named with no scale, are a rater's judgement: no report.
    ("Glycine in schizophrenia",
     "In a double-blind, placebo-controlled design, 14 patients with chronic schizophrenia were treated with glycine "
     "or placebo. A significant reduction in negative symptoms occurred with glycine but not with placebo.",
     {"outcome_classes": []}),
    # Memory tested is task performance; cortisol the study gives is its drug, not a body measure.
    ("Cortisol and words",
     "Methods: Healthy women took 20 mg cortisol or placebo before delayed recall of negative and neutral "
     "words. Results: Cortisol impaired recall of negative words.",
     {"outcome_classes": ["behavioural"], "drugs": ["hydrocortisone"]}),
    ("THC and faces",
     "Healthy adults received THC and placebo across separate sessions before tasks assessing facial emotion "
     "recognition.", {"outcome_classes": ["behavioural"]}),
    # Task behaviour measured beside a scan, said in so many words.
    ("Esketamine and early responses to faces",
     "In a randomised crossover study, 22 healthy adults received esketamine and placebo. Behavioral and "
     "MEG data were analysed with mixed models.",
     {"outcome_classes": ["behavioural", "neuroimaging"]}),
    # Where participants look, recorded by eye tracking, is behaviour.
    ("Oxytocin and looking at the eyes",
     "In a randomised crossover study, 40 adults with autism received intranasal oxytocin and placebo. "
     "Eye tracking recorded looking at the eye region during a conversation.",
     {"outcome_classes": ["behavioural"]}),
    # Ratings participants are asked to give are their own report.
    ("MDMA and cooperation",
     "In a randomised crossover study, 20 healthy men received MDMA and placebo, played repeated rounds "
     "of an exchange with other players and were asked to rate how far they trusted each one.",
     {"outcome_classes": ["self-report"]}),
    # The Liebowitz scale is given by a clinician unless its self-report form is named.
    ("Ketamine for social anxiety",
     "In a randomised crossover study, 18 adults with social anxiety disorder received intravenous "
     "ketamine and saline. Symptoms were measured with the Liebowitz Social Anxiety Scale (LSAS).",
     {"outcome_classes": ["clinician-rated"]}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"),
                         STUDY_TURN_CASES + OWN_PARTICIPANTS_CASES + CONSTRUCT_CASES + POPULATION_CASES
                         + OUTCOME_CLASS_CASES)
def test_domain_phrasing(flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


def test_a_construct_measured_with_no_instrument_named_is_an_outcome_called_by_its_words(flagship: Protocol) -> None:
    # No scale or task is named: the construct the study's own sentences speak of is the outcome,
    # named as they name it; the same construct in the background is not measured by this study.
    record = Record(source="test", raw="", id=24, source_id="t24", title="",
                    abstract="Social behaviours of animals depend on opioids. Methods: Thirty adults rated touch "
                             "pleasantness after morphine and after placebo. Results: Ratings did not differ.")
    outcomes = suggest_study(flagship, [record]).outcomes
    assert [(o["instrument"].value, o["construct"].value) for o in outcomes] == [("touch pleasantness", "social touch")]


def test_what_earlier_studies_found_gives_no_direction_to_this_studys_outcome(flagship: Protocol) -> None:
    record = Record(source="test", raw="", id=26, source_id="t26", title="Does the hormone dull cognitive empathy?",
                    abstract="Earlier studies reported that the hormone impaired cognitive empathy in healthy men. "
                             "Methods: We randomized 300 men to testosterone or placebo before a mind-reading test.")
    outcomes = suggest_study(flagship, [record]).outcomes
    assert outcomes and all(o["direction"].value is None for o in outcomes)


def test_negative_symptoms_with_no_scale_named_have_no_class(flagship: Protocol) -> None:
    record = Record(source="test", raw="", id=27, source_id="t27", title="",
                    abstract="Twenty patients with schizophrenia were randomized to sarcosine or placebo. Negative "
                             "symptoms improved significantly more with sarcosine than with placebo.")
    classes = {o["instrument"].value: o["class"].value for o in suggest_study(flagship, [record]).outcomes}
    assert classes and all(value is None for name, value in classes.items() if "symptom" in str(name).lower())


def test_words_that_only_say_a_task_was_done_name_no_outcome(flagship: Protocol) -> None:
    record = Record(source="test", raw="", id=25, source_id="t25", title="",
                    abstract="Healthy adults received THC and placebo before tasks assessing facial emotion "
                             "recognition. THC impaired recognition of fear.")
    names = [o["instrument"].value for o in suggest_study(flagship, [record]).outcomes]
    assert names and not any(str(name).lower().startswith("task") for name in names)


def test_regions_written_without_their_full_name_reach_their_network(flagship: Protocol) -> None:
    # A bare "fusiform", plural gyri, the striatum as a whole and the superior temporal cortex are
    # regions of the protocol's networks as much as their full names are.
    record = Record(source="test", raw="", id=23, source_id="t23", title="Ketamine and faces",
                    abstract="In a randomised crossover study, 24 healthy adults received ketamine and placebo "
                             "during fMRI. Activation in the fusiform, the supramarginal gyri, the superior "
                             "temporal cortex and the dorsal striatum rose after ketamine.")
    outcomes = suggest_study(flagship, [record]).outcomes
    regions = {name for outcome in outcomes for name in outcome["regions"].value or []}
    networks = {name for outcome in outcomes for name in outcome["network"].value or []}
    assert {"fusiform gyrus", "supramarginal gyrus", "superior temporal gyrus", "striatum"} <= regions
    assert {"face", "reward", "empathy", "mentalizing"} <= networks


@pytest.mark.parametrize(("abstract", "expected"), [
    # "social interaction" names social functioning only when nothing narrower is named
    ("Methods: Forty healthy men received oxytocin or placebo before a trust game with strangers. Results: "
     "Oxytocin increased trust in social interactions.", ["trust"]),
    ("Methods: Thirty children with autism received the drug or placebo for eight weeks. Results: Parents "
     "reported better social interaction with the drug.", ["social functioning"]),
])
def test_a_broad_synonym_names_its_construct_only_when_nothing_narrower_is_named(
        flagship: Protocol, abstract: str, expected: list[str]) -> None:
    record = Record(source="test", raw="", id=27, source_id="t27", title="", abstract=abstract)
    assert suggest_study(flagship, [record]).fields["constructs"].value == expected


@pytest.mark.parametrize(("abstract", "expected"), [
    # "empathy" names the whole empathy class: given only when no narrower kind of it is named
    ("Methods: Thirty healthy adults received the drug or placebo and completed an empathy task. Results: "
     "The drug increased emotional empathy and cognitive empathy.", ["affective empathy", "cognitive empathy"]),
    ("Methods: Thirty healthy adults received the drug or placebo and completed an empathy task. Results: "
     "The drug increased empathy.", ["empathy"]),
])
def test_a_general_term_is_given_only_when_no_narrower_term_of_its_class_is_named(
        flagship: Protocol, abstract: str, expected: list[str]) -> None:
    record = Record(source="test", raw="", id=28, source_id="t28", title="", abstract=abstract)
    assert sorted(suggest_study(flagship, [record]).fields["constructs"].value) == expected


def test_broad_synonyms_are_names_of_the_term_for_searching(flagship: Protocol) -> None:
    term = flagship.vocabularies["construct"].term("social_functioning")
    assert "social interaction" in term.broad_synonyms
    assert "social interaction" in term.phrases()


# Constructs named by the everyday words of their tasks and scales.
CONSTRUCT_WORD_CASES: list[Case] = [
    ("Oxytocin and giving to charity",
     "Sixty students received intranasal oxytocin or placebo and then could make a charitable donation from "
     "their earnings; oxytocin raised the amount given.", {"constructs": ["altruism"]}),
    ("A stimulant and talk",
     "Speech was recorded in eight volunteers after the drug and placebo; the drug increased social "
     "conversation.", {"constructs": ["social functioning"]}),
    ("A peptide and mothering",
     "Thirty mothers with postnatal depression received the peptide and placebo; sensitive caregiving was "
     "observed with their own baby.", {"constructs": ["social functioning"]}),
    ("Attachment in later life",
     "Older adults took oxytocin or placebo for four weeks; attachment avoidance fell in women.",
     {"constructs": ["social connectedness"]}),
    # reciprocity rated in autism is social functioning, not the reciprocity of an economic game
    ("Lamotrigine in autism",
     "Twenty-eight children with autism took lamotrigine or placebo; emotional reciprocity and sharing "
     "pleasure did not change.", {"constructs": ["social functioning"]}),
    ("Couples therapy with a drug",
     "Ten couples took two drug-assisted sessions within couples therapy; relationship adjustment and social "
     "intimacy improved.", {"constructs": ["social functioning", "social connectedness"]}),
    ("Psilocybin at a retreat",
     "Thirty meditators took psilocybin or placebo; psilocybin increased self-dissolution and psychosocial "
     "functioning at follow-up.", {"constructs": ["self-other distinction", "social functioning"]}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), CONSTRUCT_WORD_CASES,
                         ids=[c[0] for c in CONSTRUCT_WORD_CASES])
def test_constructs_named_by_the_words_of_their_tasks(flagship: Protocol, title: str, abstract: str,
                                                      expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)
