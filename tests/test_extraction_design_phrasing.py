"""Study-design fields read from the ways trial abstracts state a design.

Every snippet is written for this test, in the phrasing abstracts typically use, and is read by
the whole text pipeline (`suggest_study` with the flagship protocol), so the fields interact as they
do on real records. Only the fields a case names are checked.
"""

from __future__ import annotations

import pytest

from _extraction_cases import Case, check_case, flagship, needs_lexicon

from livingreview.protocol.models import Protocol

pytestmark = needs_lexicon


# --- randomisation, allocation, blinding ------------------------------------------------------------

DESIGN_CASES: list[Case] = [
    # a registry page's fields copied as text
    ("Oxytocin and trust in borderline personality disorder",
     "Study Type: Interventional. Allocation: Randomized. Intervention Model: Crossover Assignment. Masking: "
     "Double (Participant, Investigator). Arms: oxytocin nasal spray; placebo nasal spray. Enrollment: 40. Ages "
     "Eligible for Study: 18 Years to 45 Years.",
     {"randomised": "yes", "allocation": "crossover", "blinding": "double-blind", "control": "placebo",
      "n_total": 40, "age_group": "adult"}),
    ("Memantine for irritability in autism: an open trial",
     "Allocation: Non-Randomized. Intervention Model: Single Group Assignment. Masking: None (Open Label). "
     "Enrollment: 12 (Actual). Ages: 12 Years to 17 Years. Memantine 10 mg daily for 12 weeks.",
     {"randomised": "no", "allocation": "single-group", "blinding": "open-label", "n_total": 12,
      "age_group": "child-adolescent"}),
    # what the authors did to their participants, told after "Here, we show", marks their own study and
    # its placebo arm
    ("Serotonin and the harm of others",
     "Moral judgement draws on aversion to harm. Here, we show that serotonin sharpens that aversion. We gave "
     "healthy volunteers escitalopram and contrasted its effects with those of a placebo on moral dilemmas.",
     {"control": "placebo", "drugs": ["escitalopram"]}),
    ("Dopamine and beliefs about a partner",
     "Paranoid beliefs involve dopamine. We employed a short economic game and a computational model to "
     "investigate D2 antagonism. Sulpiride, compared with the placebo, made beliefs about a partner's intent "
     "more flexible.", {"control": "placebo", "drugs": ["sulpiride"]}),
    # a design of its own told in the present, after a background citing others ("studies show")
    ("Levodopa and sharing with strangers",
     "Sharing falls with social distance. Studies show that this depends on mood and hormones. Here, we test "
     "whether dopamine changes it. We employ a randomized, double-blind, within-subject design in which "
     "healthy women take levodopa and placebo before a sharing task.",
     {"randomised": "yes", "allocation": "crossover", "blinding": "double-blind", "drugs": ["levodopa"]}),
    ("Sertraline in panic disorder",
     "Sixty-four patients were randomly assigned to sertraline or placebo for 12 weeks.",
     {"randomised": "yes", "allocation": "parallel", "control": "placebo", "n_total": 64}),
    ("Ketamine and emotion in healthy men",
     "In this double-blind, placebo-controlled crossover study, 24 healthy men received ketamine and "
     "saline on separate days.",
     {"randomised": "not-stated", "allocation": "crossover", "blinding": "double-blind", "control": "placebo",
      "n_total": 24, "population": ["healthy"], "age_group": "adult"}),
    ("Memantine for irritability",
     "Participants (n = 120) aged 12-17 years with autism spectrum disorder were randomized 1:1 to "
     "memantine or matching placebo.",
     {"randomised": "yes", "allocation": "parallel", "n_total": 120, "age_group": "child-adolescent",
      "population": ["autism"]}),
    ("An open-label pilot of oral ketamine",
     "We enrolled 45 adults with treatment-resistant depression in a single-arm, open-label trial; "
     "40 completed all visits.",
     {"allocation": "single-group", "blinding": "open-label", "control": "none", "n_total": 45,
      "age_group": "adult", "population": ["depression"]}),
    ("Esketamine nasal spray",
     "This was a randomised, double-masked, multicentre study. Adults with major depressive disorder were "
     "allocated to esketamine or placebo nasal spray.",
     {"randomised": "yes", "blinding": "double-blind", "control": "placebo", "population": ["depression"]}),
    ("D-cycloserine augmentation",
     "A randomised controlled trial in which 80 outpatients with social anxiety disorder received "
     "D-cycloserine or placebo one hour before each exposure session.",
     {"randomised": "yes", "allocation": "parallel", "control": "placebo", "n_total": 80,
      "population": ["social-anxiety"]}),
    ("Oxytocin and trust",
     "Using a within-subject design, each participant received oxytocin and placebo in counterbalanced "
     "order on two test days one week apart. Thirty-two male students took part.",
     {"allocation": "crossover", "control": "placebo", "n_total": 32}),
    ("A latin-square study",
     "Eighteen volunteers completed four sessions in a Latin square design (placebo, 25 mg, 50 mg, 100 mg).",
     {"allocation": "crossover", "control": "placebo"}),
    ("A triple-blind trial",
     "In a triple-blind randomized trial, 150 participants were assigned to receive the drug or placebo.",
     {"blinding": "triple-blind", "randomised": "yes", "n_total": 150}),
    ("Assessor-blinded study",
     "Patients were randomised to exercise or usual care; outcomes were measured by a blinded assessor.",
     {"randomised": "yes", "blinding": "single-blind", "control": "active"}),
    ("Single-blind study",
     "This single-blind study randomized 30 inpatients with schizophrenia to memantine or placebo.",
     {"blinding": "single-blind", "randomised": "yes", "n_total": 30, "population": ["schizophrenia"]}),
    ("A non-randomised comparison",
     "In this non-randomized controlled study, 52 patients chose ketamine and 48 chose electroconvulsive "
     "therapy.",
     {"randomised": "no"}),
    ("A retrospective chart review",
     "We retrospectively reviewed the charts of 212 veterans with PTSD treated with ketamine infusions.",
     {"randomised": "no", "population": ["ptsd"], "n_total": 212}),
    ("A cross-sectional survey",
     "A cross-sectional survey of 1,204 university students asked about recreational drug use.",
     {"randomised": "no", "n_total": 1204}),
    ("Children after a flood",
     "A three-year longitudinal study followed 300 children who had lived through the flood.",
     {"randomised": "no", "n_total": 300, "age_group": "child-adolescent"}),
    ("A cluster randomised trial",
     "Twelve practices were cluster randomised to the reminder system or to usual care.",
     {"randomised": "yes", "allocation": "parallel", "control": "active"}),
    ("Placebo-controlled only",
     "A placebo-controlled study of memantine in 40 adults with obsessive-compulsive disorder.",
     {"blinding": "not-stated", "control": "placebo", "population": ["ocd"], "n_total": 40}),
    ("Randomised order of sessions",
     "Healthy volunteers (n = 16) received intravenous ketamine or saline in randomized order on two "
     "occasions at least a week apart.",
     {"randomised": "yes", "allocation": "crossover", "control": "placebo", "n_total": 16}),
    ("Two-period crossover",
     "A randomized, two-period, crossover bioequivalence study in 36 healthy subjects compared two "
     "tablet formulations of memantine.",
     {"randomised": "yes", "allocation": "crossover", "n_total": 36, "population": ["healthy"], "control": "active"}),
    ("Parallel groups stated",
     "This was a 12-week, randomized, double-blind, parallel-group trial in 300 women aged 40-65 years.",
     {"allocation": "parallel", "blinding": "double-blind", "n_total": 300, "age_group": "adult"}),
    ("Allocation stated after the verb",
     "Forty outpatients were assigned randomly to memantine or placebo after a two-week washout period.",
     {"randomised": "yes", "allocation": "parallel", "n_total": 40}),
    ("Sessions on separate days",
     "Healthy men received oxytocin and placebo nasal spray on separate days, in counterbalanced order.",
     {"allocation": "crossover", "control": "placebo", "randomised": "not-stated"}),
    ("A two-way analysis is no design",
     "Sixty women with insomnia were randomized to the drug or placebo; a two-way ANOVA tested group by time.",
     {"allocation": "parallel"}),
    ("Open trial",
     "In an open trial, 22 children with fragile X syndrome took acamprosate for ten weeks.",
     {"blinding": "open-label", "population": ["fragile-x"], "age_group": "child-adolescent", "n_total": 22}),
    # Within-subject designs said without the word crossover.
    ("Study days a week apart", "Methods: Twenty healthy adults took part. Oxytocin and placebo study days "
     "were a week apart. Results: Trust rose after oxytocin.", {"allocation": "crossover"}),
    ("A balanced-order study", "In a double-blind, balanced-order study, 18 volunteers received MDMA and "
     "placebo before a face task.", {"allocation": "crossover"}),
    ("A repeated-measures design against placebo", "Sixteen volunteers rated pictures after 0.5 g/kg alcohol or "
     "a placebo drink in a double-blind, repeated-measures design.", {"allocation": "crossover"}),
    ("Repeated-measures designs of pooled studies", "Volunteers from six studies of our laboratory were pooled. "
     "All studies used randomized, placebo-controlled, repeated-measures designs in which subjects inhaled the gas "
     "and oxygen as placebo.", {"allocation": "crossover"}),
    ("Two drugs in the same people", "We compared the effects of ketamine with those of psilocybin in the same "
     "participants: 18 healthy adults took each drug and a placebo under double-blind conditions.",
     {"allocation": "crossover"}),
    ("A four-session study", "Cannabis users (N=40) took part in a 4-session, within-between-subjects study and "
     "received oral THC (5 or 10 mg), nabilone or placebo.", {"allocation": "crossover"}),
    ("Across separate sessions", "Healthy volunteers received 10 mg and 20 mg of the drug and placebo across "
     "separate sessions before rating emotional faces.", {"allocation": "crossover"}),
    # Learning by watching others is a task, not an observational design; an age range is no case report.
    ("Observational fear learning", "In a double-blind placebo-controlled study, healthy men received estradiol or "
     "placebo before an observational fear learning task.", {"randomised": "not-stated", "control": "placebo"}),
    ("An age range of teenagers", "Thirty 18-19-year-old students with social anxiety received 300 mg cannabidiol "
     "(n = 15) or placebo (n = 15) daily for four weeks.",
     {"randomised": "not-stated", "control": "placebo", "allocation": "parallel"}),
    # An untreated group of its own is a parallel comparison with no control drug.
    ("An unmedicated control group", "Amygdala responses to fearful faces were measured before and after a "
     "week of citalopram in 16 healthy volunteers and compared with a control unmedicated group (n = 15).",
     {"allocation": "parallel", "control": "none", "n_total": 31}),
    # Animals named in the background do not make a trial of people no study.
    ("Animals in the background", "The compound reduced anxiety in animals. Twenty-four patients with social "
     "anxiety were allocated to receive either the compound or placebo in a double-blind design.",
     {"control": "placebo", "blinding": "double-blind", "n_total": 24}),
    # ... while the crossover of an earlier trial is not this study's design.
    ("An earlier crossover trial", "A previous randomized crossover trial found that the drug eased social "
     "avoidance. We therefore randomized 90 children with autism to the drug or placebo for 10 weeks.",
     {"allocation": "parallel"}),
    # An open-label continuation beside a double-blind, placebo-controlled trial does not make the
    # study one that assigns nothing at random: how the trial allocated is simply not said.
    ("A trial and its continuation", "Data from an 8-week double-blind, placebo-controlled trial (N=101) and its "
     "16-week open-label continuation study (N=63) of the drug in children with autism were analysed.",
     {"randomised": "not-stated", "blinding": "double-blind"}),
    # Participants who "served as a control group" beside those given the drug were given nothing.
    ("A control group given nothing", "In an open-label design, 15 subjects received 15 mg of the drug two hours "
     "before scanning while 15 subjects served as a control group.", {"control": "none"}),
    # A placebo arm is a control whatever the abstract calls its design.
    ("A naturalistic study with placebo", "This naturalistic observational study assessed retreat participants "
     "before and after a ceremony. Participants drank the brew (N = 14) or a placebo (N = 16).",
     {"control": "placebo", "n_total": 30}),
    # ... while an open-label study of one group, with no placebo or blinding, assigns nothing.
    ("One open group", "Twenty adults with social anxiety received the drug for 8 weeks in an open-label, "
     "single-group study.", {"randomised": "no", "allocation": "single-group"}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), DESIGN_CASES, ids=[c[0] for c in DESIGN_CASES])
def test_design_fields_follow_how_abstracts_state_a_design(flagship: Protocol, title: str, abstract: str,
                                                           expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


# --- control and active comparator ---------------------------------------------------------------

CONTROL_CASES: list[Case] = [
    ("Ketamine versus midazolam",
     "Adults with depression were randomized to a single infusion of ketamine or midazolam, an active "
     "placebo.",
     {"control": "active", "active_comparator": "midazolam"}),
    ("Memantine compared with sertraline",
     "Eighty adults with OCD were randomised to memantine or sertraline for twelve weeks.",
     {"control": "active", "active_comparator": "sertraline", "n_total": 80}),
    ("Esketamine and an oral antidepressant",
     "Patients were randomised to esketamine plus a new oral antidepressant or placebo plus a new oral "
     "antidepressant.",
     {"control": "placebo", "active_comparator": None}),
    ("Celecoxib, naproxen and placebo",
     "A total of 600 patients with osteoarthritis were randomized to celecoxib, naproxen 500 mg twice "
     "daily, or placebo.",
     {"control": "placebo", "active_comparator": "naproxen", "n_total": 600}),
    ("Low versus high dose",
     "Ninety patients were randomly assigned to 10 mg or 20 mg of memantine daily.",
     {"control": "active", "active_comparator": None, "n_total": 90}),
    ("Versus usual care",
     "Participants were randomized to ketamine-assisted therapy or treatment as usual.",
     {"control": "active", "active_comparator": None}),
    ("Escitalopram versus paroxetine in depression",
     "In this head-to-head trial, 240 patients received either escitalopram or paroxetine.",
     {"control": "active", "active_comparator": "paroxetine", "n_total": 240}),
    ("Sham stimulation",
     "Forty patients were randomized to active or sham transcranial magnetic stimulation.",
     {"control": "placebo", "n_total": 40}),
    ("Waitlist control",
     "Fifty-six adolescents were randomly allocated to the intervention or a waiting-list control group.",
     {"control": "none", "randomised": "yes", "n_total": 56, "age_group": "child-adolescent"}),
    ("No treatment control",
     "Women were randomly assigned to estradiol or no treatment.",
     {"control": "none", "randomised": "yes"}),
    ("Lamotrigine compared with lithium in bipolar disorder",
     "The efficacy of lamotrigine was compared with that of lithium in 120 patients with bipolar "
     "disorder in a randomized trial.",
     {"control": "active", "active_comparator": "lithium", "population": ["bipolar"], "n_total": 120}),
    ("Sertraline and vortioxetine in older adults",
     "We compared the tolerability of vortioxetine with sertraline in 150 older adults with depression.",
     {"active_comparator": "sertraline"}),
    ("Ketamine and esketamine: a head-to-head trial",
     "Patients received intravenous ketamine versus intranasal esketamine in a randomized trial.",
     {"active_comparator": "esketamine"}),
    ("Memantine added to donepezil in dementia",
     "Outpatients on stable donepezil were randomized to memantine or placebo added to donepezil.",
     {"control": "placebo", "active_comparator": None}),
    ("Three antimuscarinics in healthy men",
     "In a randomized study, tolterodine, oxybutynin and trospium were each compared with placebo in 64 men.",
     {"control": "placebo", "active_comparator": None, "n_total": 64}),
    ("Two progestogen schedules in menopause",
     "Women took estradiol gel with a progestogen either monthly or quarterly; group A took it monthly and "
     "group B every three months.",
     {"control": "active", "allocation": "parallel"}),
    ("Add-on to an alpha-blocker",
     "We tested tolterodine added to tamsulosin. After a run-in, men were randomly allocated to tolterodine "
     "with tamsulosin, or to tamsulosin only.",
     {"control": "active", "active_comparator": "tamsulosin"}),
    ("Dual antiplatelet therapy after stenting",
     "Patients were randomized to clopidogrel plus aspirin or to aspirin alone. Compared with the "
     "aspirin-alone group, fewer events occurred.",
     {"control": "active", "active_comparator": "aspirin"}),
    ("Uncontrolled",
     "Twenty adults with alcohol dependence received ketamine 0.5 mg/kg; craving was rated before and "
     "after.",
     {"control": "none", "allocation": "single-group", "population": ["substance-use"], "n_total": 20}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), CONTROL_CASES, ids=[c[0] for c in CONTROL_CASES])
def test_control_and_comparator_follow_what_the_other_arm_received(flagship: Protocol, title: str, abstract: str,
                                                                  expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


# --- counts ------------------------------------------------------------------------------------------

COUNT_CASES: list[Case] = [
    # A count whose words run together; arm sizes bracketed after what each arm was given.
    ("Words run together", "Fortyfive healthy volunteers were randomized to propranolol or reboxetine.",
     {"n_total": 45}),
    ("Arms bracketed after their drugs", "Patients were administered 400 mg of the steroid (N=12) or placebo (N=13) "
     "and underwent fMRI.", {"n_total": 25}),
    # Two experiments with their sizes listed in one bracket add up; responders counted by a week
    # are a result, not who entered.
    ("Two experiments in one bracket", "We tested the hormone in two large double-blind placebo-controlled "
     "experiments in young men (n = 120 and n = 215) using two protocols.", {"n_total": 335}),
    ("Responders by week 12", "Patients were washed out from their medications and randomized to the drug (30 "
     "patients) or placebo (30 patients). Of the 28 treated participants, 20 responded by 12 weeks.",
     {"n_total": 60}),
    ("Enrolled and completed", "Of 150 patients screened, 98 were enrolled and 85 completed the study.",
     {"n_total": 98}),
    ("Randomised, analysed", "Two hundred and twelve participants were randomized; 190 were included in the "
     "analysis.", {"n_total": 212}),
    ("Of the randomised", "Of the 84 randomised patients, 76 completed treatment.", {"n_total": 84}),
    ("Arm sizes", "Patients were randomized to ketamine (n = 25) or midazolam (n = 24).", {"n_total": 49}),
    ("Arm sizes in words", "Thirty patients received memantine and thirty received placebo.", {"n_total": 60}),
    ("Sample of", "The sample consisted of 73 adults with bipolar disorder.", {"n_total": 73}),
    ("N in brackets after the verb", "We recruited healthy volunteers (N = 48) from the community.",
     {"n_total": 48}),
    ("Total of, spread", "A total of 1,023 women from 40 centres were randomised.", {"n_total": 1023}),
    ("A review has no n", "We systematically reviewed 27 randomized trials of ketamine including 1,500 patients.",
     {"n_total": None}),
    ("Meta-analysis", "This meta-analysis pooled 14 placebo-controlled trials (n = 2,310).", {"n_total": None}),
    ("Patients entered", "Forty-two patients entered the study and were followed for one year.",
     {"n_total": 42}),
    ("Completers only", "Data from 40 completers were analysed.", {"n_total": None}),
    ("Studied", "We studied 19 patients with fragile X syndrome and 21 matched controls.",
     {"n_total": 40}),
    ("A case report", "Case presentation: a 34-year-old woman with bipolar disorder received ketamine.",
     {"n_total": 1, "age_group": "adult"}),
    ("Stages do not add up", "Ninety patients were screened and 72 were randomized to the two arms.",
     {"n_total": 72}),
    ("Completers out of the entrants", "Thirty-one of 44 women completed the twelve-week course.",
     {"n_total": 44}),
    ("A total made of groups", "A total of 10 healthy male and 14 healthy female volunteers were included.",
     {"n_total": 24}),
    ("A total with its parts", "The trial was conducted on 96 adults (41 men and 55 women) with insomnia.",
     {"n_total": 96}),
    ("A total then its arms", "The study enrolled 120 participants, 61 and 59 in the drug and placebo groups.",
     {"n_total": 120}),
    ("A total with three parts", "A total of 42 staff (9 managers, 20 doctors and 13 nurses) were interviewed.",
     {"n_total": 42}),
    ("A sample in two groups", "A sample of patients with epilepsy (48 men and 72 women) filled in the survey.",
     {"n_total": 120}),
    ("A panel surveyed twice", "Residents answered a survey after the flood (wave 1; N = 800) and again a year "
     "later (wave 2; N = 530).", {"n_total": 800}),
    ("Survey respondents", "Of the 5,200 eligible adults, 3,150 responded to the mailed questionnaire.",
     {"n_total": 3150}),
    ("Two sites", "We recruited 40 healthy men in Oslo and 35 from a clinic in Bergen.", {"n_total": 75}),
    ("Screened in the emergency room", "Of the 9,800 patients who were screened, 310 had a migraine and "
     "120 were enrolled.", {"n_total": 120}),
    ("Arms named by their drug", "In all, 150 memantine and 148 placebo patients took part.", {"n_total": 298}),
    ("Only the evaluable", "Nine of 30 evaluable patients responded to the combination.", {"n_total": None}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), COUNT_CASES, ids=[c[0] for c in COUNT_CASES])
def test_the_count_is_who_entered_the_whole_study(flagship: Protocol, title: str, abstract: str,
                                                  expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


# --- who took part -------------------------------------------------------------------------------------

PEOPLE_CASES: list[Case] = [
    ("Obesity counselling by parents",
     "Obesity in children is rising. We recruited 300 parents and asked about their family's meals.",
     {"age_group": "not-stated", "n_total": 300}),
    ("Aged 18 to 65", "Adults aged 18 to 65 years with PTSD were randomized.", {"age_group": "adult"}),
    ("Children 6 to 12", "Children aged 6-12 years with autism were enrolled.",
     {"age_group": "child-adolescent", "population": ["autism"]}),
    ("Adolescents", "We enrolled 60 adolescents with major depressive disorder.",
     {"age_group": "child-adolescent", "population": ["depression"], "n_total": 60}),
    ("Mixed ages", "Patients aged 12 to 75 years with seasonal allergic rhinitis were randomized.",
     {"age_group": "mixed"}),
    ("Older adults", "Older adults (65 years and over) with insomnia were randomized to the drug or placebo.",
     {"age_group": "adult"}),
    ("Migraine trial sample", "Of the 200 patients randomized (64% women), most had migraine.",
     {"age_group": "not-stated", "n_total": 200}),
    ("Mean age only", "Forty patients (mean age 44 years) with schizophrenia were enrolled.",
     {"age_group": "not-stated", "population": ["schizophrenia"], "n_total": 40}),
    ("Healthy volunteers, young", "Twelve healthy young male volunteers aged 20-30 took part.",
     {"population": ["healthy"], "age_group": "adult", "n_total": 12}),
    ("Alcohol use disorder", "Veterans with alcohol use disorder (n = 40) were randomized to ketamine or "
     "midazolam.", {"population": ["substance-use"], "n_total": 40}),
    ("Borderline", "Women with borderline personality disorder (n = 26) received oxytocin and placebo in "
     "a crossover design.", {"population": ["borderline-pd"], "allocation": "crossover", "n_total": 26}),
    ("Patients and controls", "Fifteen patients with schizophrenia and 15 healthy controls underwent fMRI "
     "after ketamine.", {"n_total": 30}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), PEOPLE_CASES, ids=[c[0] for c in PEOPLE_CASES])
def test_who_took_part_is_read_from_the_participants_described(flagship: Protocol, title: str, abstract: str,
                                                                expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


POPULATION_CASES: list[Case] = [
    # Depression the participants report is a measure, not who they are.
    ("Coffee and mood", "88 participants were randomly allocated to caffeinated or decaffeinated coffee. Self-reported "
     "depression increased after the drink for all participants.", {"population": []}),
    # Healthy people who use a drug are healthy; conditions given as examples of a kind are not who took part.
    ("Cannabis and threat", "Sixteen healthy, occasional cannabis users took THC and placebo in a crossover "
     "design.", {"population": ["healthy"]}),
    ("Gum and faces", "Fourteen healthy nonsmokers were randomized to nicotine gum or a placebo gum.",
     {"population": ["healthy"]}),
    ("Mind reading and hormones", "Reading minds is impaired in conditions such as autism and schizophrenia. We "
     "randomized 200 young men to testosterone or placebo.", {"population": []}),
    # Psychiatric disorders beside the issue's own terms are named as other conditions.
    ("Lamotrigine for feeling unreal", "Patients with depersonalisation disorder were randomized to lamotrigine or "
     "placebo for 12 weeks.", {"population": ["other:depersonalization-disorder"]}),
    ("Aggression in hospital", "Children with conduct disorder were randomly assigned to lithium or placebo.",
     {"population": ["other:conduct-disorder"]}),
    # Neurological and genetic conditions whose names are more than a head word.
    ("Crying spells", "Patients with multiple sclerosis and pseudobulbar affect were randomized to the "
     "combination or placebo.", {"population": ["other:multiple-sclerosis", "other:pseudobulbar-affect"]}),
    ("Motor neurone disease", "Forty patients with ALS were randomized to the drug or placebo.",
     {"population": ["other:als"]}),
    ("Appetite and behaviour", "Children with Prader-Willi syndrome received oxytocin and placebo in random "
     "order.", {"population": ["other:prader-willi-syndrome"]}),
    ("Gastric safety study", "Twelve healthy, right-handed, non-smoking male volunteers took part.",
     {"population": ["healthy"]}),
    ("Airway trial", "Patients with chronic obstructive pulmonary disease (COPD) were randomized to the inhaler "
     "or placebo.", {"population": ["other:copd"]}),
    ("Triptan trial", "We randomized 60 migraineurs to the new triptan or placebo.",
     {"population": ["other:migraine"], "n_total": 60}),
    ("Stimulant trial", "Children with attention-deficit/hyperactivity disorder (n = 40) were randomized.",
     {"population": ["other:adhd"], "age_group": "child-adolescent"}),
    ("A motor symptom study", "Patients with Parkinson's disease received the drug for four weeks.",
     {"population": ["other:parkinson"]}),
    ("Bladder trial", "Women with overactive bladder and urge incontinence were randomized to the drug or "
     "placebo.", {"population": ["other:overactive-bladder"]}),
    ("Arthritis cohort", "The development of depression was followed in 200 patients with rheumatoid "
     "arthritis.", {"population": ["other:rheumatoid-arthritis"]}),
    ("An asthma prevention trial", "Children with eczema were treated for 18 months to prevent the onset of asthma.",
     {"population": ["other:eczema"]}),
    ("A repeated infusion study", "Adults with treatment-resistant depression received ketamine infusions.",
     {"population": ["depression"]}),
    ("A nightly prophylaxis trial", "Girls with recurrent urinary tract infections received prophylaxis.",
     {"population": ["other:urinary-tract-infection"]}),
    ("A urodynamic dose-finding trial", "Patients with detrusor instability and urge incontinence were "
     "randomized to one of four doses.", {"population": ["other:detrusor-instability"]}),
    ("Prophylaxis in infancy", "Infants with recurrent UTI were given a nightly antibiotic.",
     {"population": ["other:urinary-tract-infection"]}),
    ("Hormone trial", "We randomized 4000 healthy postmenopausal women. The hazard ratio for stroke was 1.41 "
     "(95% CI 1.07-1.85).", {"population": ["healthy"], "n_total": 4000}),
    ("Adjustment in epilepsy", "People with epilepsy (N = 74) rated their quality of life, anxiety, and depression.",
     {"population": ["other:epilepsy"], "n_total": 74}),
    ("Antipsychotic add-on", "Outpatients with schizophrenia or schizoaffective disorder were randomized.",
     {"population": ["schizophrenia"]}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), POPULATION_CASES, ids=[c[0] for c in POPULATION_CASES])
def test_population_is_the_condition_of_who_took_part(flagship: Protocol, title: str, abstract: str,
                                                      expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


MORE_CASES: list[Case] = [
    ("A pain trial population", "The study population comprised 85 women with primary dysmenorrhoea.",
     {"n_total": 85}),
    ("Volunteers in a labelled section", "Participants: 48 healthy volunteers. Intervention: a single dose of "
     "memantine or placebo.", {"n_total": 48, "population": ["healthy"]}),
    ("A trial with its n", "We report a randomized controlled trial (N = 132) of a nurse-led clinic.",
     {"n_total": 132, "randomised": "yes"}),
    ("Ages between", "Men between 40 and 70 years of age were enrolled.", {"age_group": "adult"}),
    ("Ages from a bound", "Patients >= 18 years with migraine were randomised.", {"age_group": "adult"}),
    ("Ages of teenagers", "Adolescents between 13 and 17 years old with depression were enrolled.",
     {"age_group": "child-adolescent"}),
    ("A double-dummy comparison",
     "In a double-blind, double-dummy trial, 300 patients with osteoarthritis were randomized to naproxen "
     "500 mg twice daily or celecoxib 200 mg once daily.",
     {"control": "active", "active_comparator": "celecoxib", "blinding": "double-blind", "n_total": 300}),
    ("An active comparator arm",
     "Adults with major depression were randomized to vortioxetine, placebo or the active reference duloxetine.",
     {"control": "placebo", "active_comparator": "duloxetine"}),
    ("Change from baseline only",
     "Twenty adults with autism received memantine for 12 weeks; irritability fell compared with baseline.",
     {"control": "none", "allocation": "single-group", "n_total": 20}),
    ("A standard treatment arm",
     "Patients were randomly allocated to intranasal esketamine or standard antidepressant treatment.",
     {"control": "active", "randomised": "yes", "allocation": "parallel"}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), MORE_CASES, ids=[c[0] for c in MORE_CASES])
def test_more_ways_of_stating_counts_ages_and_comparators(flagship: Protocol, title: str, abstract: str,
                                                         expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)
