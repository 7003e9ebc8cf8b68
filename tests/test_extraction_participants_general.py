"""How many took part, who they were and how old: phrasings written for these tests, in the
ways trial abstracts commonly word them (not copied from any abstract)."""

from __future__ import annotations

import pytest

from livingreview.extraction.counts import n_total
from livingreview.extraction.passages import Passage


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


def test_people_excluded_or_only_evaluable_are_not_the_count() -> None:
    assert _count("A randomization error led to the exclusion of nine subjects. Women were randomly assigned "
                  "to the gel or the patch.") is None
    assert _count("Healthy volunteers received the drug with and without food. Plasma data were evaluable "
                  "for 21 subjects.") is None


def test_arms_listed_before_one_noun_are_added() -> None:
    abstract = ("In this placebo-controlled study 110, 115 and 58 patients 18 years or older with an overactive "
                "bladder were randomized to receive 1 mg, 2 mg or placebo.")
    assert _count(abstract) == 283


def test_two_adjectives_joined_by_and_still_reach_the_noun() -> None:
    abstract = ("Twenty-nine of 47 healthy and hysterectomized postmenopausal women completed the treatment "
                "and one year of follow-up.")
    assert _count(abstract) == 47


def test_arms_of_a_sample_counted_before_them_are_not_summed_as_the_total() -> None:
    abstract = ("We screened 120 students with hay fever, including only 32 patients for this study; ten patients "
                "took drug A 10 mg, ten took drug A 20 mg, and 12 with drug B 60 mg daily for 3 weeks.")
    assert _count(abstract) == 32
