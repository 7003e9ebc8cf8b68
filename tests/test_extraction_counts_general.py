"""How abstracts state how many took part in the whole study (n_total), each phrasing written for
these tests in the ways trial reports commonly word it (no sentence is copied from an abstract)."""

from __future__ import annotations

import pytest

from _extraction_cases import Case, check_case, flagship  # noqa: F401  (flagship is a fixture)
from livingreview.protocol.models import Protocol

COUNT_CASES: list[Case] = [
    # A registry page's fields, however the page lays them out; a rate's denominator counts no one.
    ("A bulleted registry field", "Randomized placebo-controlled trial of memantine in adolescents.\n"
     "Recruitment & Eligibility\n- Status\n- RECRUITING\n- Target Recruitment\n- 120\n- Ages 12-17 years.",
     {"n_total": 120}),
    ("A results page's enrolment", "Oxytocin and social learning in children with autism (placebo-controlled).\n"
     "Enrollment 48\nRecruitment Details\n48 subjects were consented; 12 subjects were excluded before "
     "allocation.", {"n_total": 48}),
    ("Prevalence in the background of a protocol", "Autism affects up to 16 in 10,000 children. The proposed "
     "study is designed to test galantamine against placebo in children with autism.", {"n_total": None}),
    # The count after "of" is the whole its shares come from: never added to them.
    ("Of the randomised, the evaluable", "Of 300 randomized adults, 254 evaluable adults completed the trial.",
     {"n_total": 300}),
    ("Of the randomised, those treating each attack", "Of the 420 women randomised, 380 treated one headache, "
     "350 treated two headaches, and 300 three headaches.", {"n_total": 420}),
    # A sample made of two groups is their sum.
    ("Composed of two groups", "In an open trial of a nasal spray, the sample was composed of 140 men and 160 "
     "women.", {"n_total": 300}),
    # Places that recruit are not the people they recruit.
    ("Pharmacies recruiting patients", "To compare two inhalers in daily use. Forty community pharmacies "
     "recruited patients with asthma. Three hundred twelve patients (55% women) kept a symptom diary.",
     {"n_total": 312}),
    # The stage said before the noun: "randomized patients" are those who entered.
    ("Randomized as an adjective", "After a run-in, 96 randomized patients were followed for a year; 40 patients "
     "with a relapse received rescue medication.", {"n_total": 96}),
    # A case series of its own counts its cases, also beside a review of published ones.
    ("A case series beside a literature review", "We describe three patients with lactic acidosis after an "
     "overdose of metformin (in two patients) or of phenformin (in one patient). We also review the "
     "literature on 40 published cases.", {"n_total": 3}),
    # A group added beside the main one: "N other people", or the people of a second study of its own.
    ("Other people in a second part", "In the first part, 30 volunteers with hay fever were skin-tested after "
     "one tablet. In the second part, eight other volunteers were skin-tested after a week of tablets.",
     {"n_total": 38}),
    ("A second study of its own", "In a 12-week randomized, double-blind trial, 150 women with hot flushes "
     "received the patch or placebo. In a second, open, 24-week study, 40 women with night sweats were "
     "treated with the patch.", {"n_total": 190}),
    # ... unless the total was given and the studies are its parts.
    ("Two studies within a stated total", "Sixty patients took part. In the first study, 20 patients received "
     "single doses of the drug or placebo. In the second study, 40 patients received daily doses for a week.",
     {"n_total": 60}),
    # People named by their trade, sport or state are counted as any participants are.
    ("Runners", "In a crossover trial, a sample of 13 trained male runners took caffeine or placebo before a "
     "treadmill test.", {"n_total": 13}),
    ("Chiropractors interviewed", "Telephone interviews were held with a purposive sample of 15 chiropractors.",
     {"n_total": 15}),
    ("Nulliparas", "The trial randomly assigned 1,200 healthy nulliparas to calcium or placebo.",
     {"n_total": 1200}),
    ("A misspelt migraineur", "The efficacy of the nasal spray was assessed in 180 migraneurs.", {"n_total": 180}),
    # The clinicians who ran a study are not added up when its patients are counted.
    ("Run by clinicians", "This double-blind study was run by 40 general practitioners and three neurologists "
     "and enrolled 260 patients with migraine.", {"n_total": 260}),
    # The authors of a consensus are no study sample.
    ("A consensus panel", "A consensus panel of 18 specialists met twice and drafted recommendations on "
     "antiplatelet drugs in arterial disease.", {"n_total": None}),
    # "of" before a count marks a share only where it opens a clause or follows a count.
    ("A comparison group beside the patients", "To study nerve growth factor in the tears of 22 patients with dry "
     "eye compared with eight healthy, age-matched volunteers, we sampled tears twice.", {"n_total": 30}),
    # The people's word in a place's name counts nobody.
    ("Veterans Affairs hospitals", "The trial ran on the wards of three Veterans Affairs hospitals. We surveyed "
     "210 nurses about the smoking-cessation advice they give.", {"n_total": 210}),
    # A cohort says what it did to its sample: followed, examined, interviewed.
    ("A cohort followed", "Over two years, 95 children with eczema (120 visits) were followed in the clinic. Of "
     "70 children reached by telephone, 40 had relapsed.", {"n_total": 95}),
    ("A series followed after surgery", "In a consecutive series, 18 patients with cluster headache were "
     "followed for five years after surgery. Fifteen patients (83%) had relief, and two of these patients "
     "received a second injection.", {"n_total": 18}),
    # Patients and a healthy comparison group make up the sample together, however the groups are counted.
    ("Patients and healthy volunteers in a trial", "In a double-blind crossover trial of the drug in 30 adults "
     "with major depression and 20 healthy volunteers, mood was rated after each infusion.", {"n_total": 50}),
    ("Groups counted with n =", "Magnetoencephalography recorded responses to faces in adults with bipolar "
     "depression (n = 25) and healthy volunteers (HV; n = 19) before and after the infusion.", {"n_total": 44}),
    ("Healthy controls scanned apart", "Eighteen patients with schizophrenia were given the drug before an fMRI "
     "session. Fifteen matched healthy controls were scanned once for comparison.", {"n_total": 33}),
    # Those who completed "a" study took part in it (completers of "the" study are a later stage), and a
    # bracket may give the sample's make-up before its noun.
    ("Volunteers who completed a pilot study", "Ten healthy volunteers (6F/4M) completed an open-label pilot "
     "study with ratings a week before and a month after one dose of the drug.", {"n_total": 10}),
    ("Sex make-up before the noun", "Forty (22 women, 18 men) nursing students enrolled; half of them (11 "
     "women, 9 men) took the drug and the other half (11 women, 9 men) placebo.", {"n_total": 40}),
    # Arms counted one by one with what each received add up to the sample.
    ("Arms listed with what they received", "To compare two doses of the drug with placebo in knee "
     "osteoarthritis. 120 patients received 7.5 mg, 118 received 15 mg, and 60 received placebo.",
     {"n_total": 298}),
    # An age range after the count is no second group.
    ("An age range after the count", "The two syrups were compared in a randomized, double-blind, "
     "parallel-group study of 60 children, 3 to 7 years of age, with hay fever.", {"n_total": 60}),
    # ... but kinds of headache counted with n = are not people.
    ("Headaches counted with n =", "In a crossover trial, 120 migraineurs treated 640 attacks: migraine "
     "(n = 500), and tension-type headache (n = 140).", {"n_total": 120}),
    # Each arm's people given in a bracket of its own add up.
    ("Arms sized in brackets", "From an insurance database we compared persistence with sertraline (412 "
     "patients) and citalopram (398 patients) over one year.", {"n_total": 810}),
    # A total given with its arms' sizes is the total, not one more arm to add.
    ("A total before its arms", "Medical residents (n = 120) were randomly assigned to a feedback session "
     "(n = 61) or to a lecture on another subject (n = 59).", {"n_total": 120}),
    # Two groups counted in words, each with its own adjective, add up.
    ("Two groups counted in words", "In a double-blind crossover study, nine asthmatic and nine healthy "
     "volunteers received the inhaled drug or placebo before a cold-air challenge.", {"n_total": 18}),
    ("A count spelt with 'and'", "Three hundred and twelve patients were randomized to the gel or to "
     "placebo.", {"n_total": 312}),
    # The bracket after the people may describe them before or after their n ...
    ("Age before n in the bracket", "Bone turnover was compared between two randomized groups of early "
     "postmenopausal women (mean age 51 years, N = 84).", {"n_total": 84}),
    ("Share after n in the bracket", "Pooled analysis of six trials. Participants: adults with gout (N = 2,340; "
     "11% women).", {"n_total": 2340}),
    # ... but an arm's n after its drug is not the people's total.
    ("Arms' n after their drugs", "One hundred sixty patients (58% women) treated 402 attacks (the spray, "
     "n = 210; placebo, n = 192).", {"n_total": 160}),
    # Students, trainees and clients are people counted like any participants; those who completed a
    # session of an experiment took part in it.
    ("Undergraduates counted", "A sample of 96 undergraduates was randomized to an alcoholic or a placebo "
     "drink before a face-rating task.", {"n_total": 96}),
    ("A session completed", "Thirty healthy adults completed an active session and a placebo session a "
     "week apart.", {"n_total": 30}),
    # "Treated" before the people's noun describes them.
    ("Treated as an adjective", "Two scales were compared in a randomized, placebo-controlled trial involving "
     "640 treated headache outpatients.", {"n_total": 640}),
    # Each arm named with its size, however the sentence puts it, and no total stated: their sum.
    ("An arm per sentence", "Methods: Twelve adults with social anxiety received D-cycloserine. Eleven adults "
     "with social anxiety received placebo. Results: Fear ratings fell in both groups.", {"n_total": 23}),
    ("A group that comprised its people", "Methods: The memantine group comprised 20 children and the placebo "
     "group 19 children.", {"n_total": 39}),
    ("An arm that enrolled its people", "Methods: The riluzole arm enrolled 22 participants, and the placebo arm "
     "enrolled 21.", {"n_total": 43}),
    ("Bare sizes after the arms assigned", "Adults with bipolar depression were randomly assigned to lamotrigine "
     "(31) or placebo (29).", {"n_total": 60}),
    ("Another arm of the same size", "Forty patients were randomised to sarcosine; another 38 received placebo.",
     {"n_total": 78}),
    ("Groups compared by their treatment", "We compared 16 oxytocin-treated and 17 placebo-treated fathers on "
     "a play task.", {"n_total": 33}),
    # A total of those screened is a stage before entry, whatever leads to it.
    ("A total screened", "Results: A total of 480 adults were screened, and 210 were randomized to the patch or "
     "placebo.", {"n_total": 210}),
    # The n may sit between the article and the design it describes.
    ("The n before the design noun", "We ran a large (n = 150), preregistered, placebo-controlled experiment on "
     "oxytocin and trust.", {"n_total": 150}),
    # An untreated or healthy comparison group given with its n adds to the treated.
    ("A control group with its n", "Amygdala responses were measured before and after a week of sertraline in "
     "20 healthy adults and compared with a drug-free control group (n = 18).", {"n_total": 38}),
    ("Healthy controls with their n", "Methods: Sixteen patients with social anxiety were randomly allocated to "
     "the drug or placebo. Healthy controls (n = 16) did the same speech test without any medication.",
     {"n_total": 32}),
    # ... but a stated total whose arms follow is the total, and the arms of a crossover are its periods.
    ("A total with its arms", "A total of 150 women were randomized to receive the gel at 1 mg (n = 50), the gel "
     "at 2 mg (n = 50) or placebo (n = 50).", {"n_total": 150}),
    ("Periods of a crossover", "In a four-period crossover, 40 volunteers received the drug at 5 mg. 38 received "
     "placebo in the last period.", {"n_total": 40}),
    # Typeset hyphens (U+2010) in a number word are hyphens.
    ("A number word with a typeset hyphen", "Participants\nThirty\u2010two adolescents with fragile X aged "
     "12\u201017 years.", {"n_total": 32}),
    # Doing a task or a questionnaire is taking part; completing the study is not entering it.
    ("Those who completed a questionnaire took part", "Eighteen adults with ADHD completed an empathy "
     "questionnaire and a false-belief task with and without methylphenidate.", {"n_total": 18}),
    ("Completers of the study are not the sample", "Fifty smokers were randomized to the patch or placebo. Forty "
     "smokers completed the study.", {"n_total": 50}),
    # The whole study's size said as such: a bracketed total, a registry's target.
    ("A bracketed total of two trials", "Women with bulimia took part in two small crossover trials (total "
     "n=31) of ondansetron and placebo; 27 women finished both periods.", {"n_total": 31}),
    ("A registry's target recruitment", "Trial ID NCT00000000. Target sample size: 64. Adults with social "
     "anxiety disorder receive the drug or placebo before exposure sessions.", {"n_total": 64}),
    # Sizes given for the visits of the same people are not arms.
    ("Sizes at baseline and later visits", "Face recognition was tested at baseline (N=90), and after 3 (N=70) "
     "and 8 weeks (N=61) of open treatment with sertraline.", {"n_total": 90}),
    # A healthy comparison group said in a sentence of its own, or after a square bracket.
    ("Healthy comparison subjects who also underwent the scans", "Fourteen patients with panic disorder were "
     "scanned before and after eight weeks of paroxetine. For comparison, 12 healthy control (HC) subjects also "
     "underwent both scans.", {"n_total": 26}),
    ("Patients compared to healthy controls after a square bracket", "In a randomized, open trial we treated 20 "
     "older depressed patients [mean age (SD) 74.1 (3.2) yr] compared to 19 healthy controls of the same age.",
     {"n_total": 39}),
    # The sample given only by sex in a bracket after its noun; a registry's estimated enrollment.
    ("Sexes in a bracket", "Methods: Participants (98 men; 102 women) were randomised to intranasal vasopressin "
     "or placebo and played a public goods game.", {"n_total": 200}),
    ("A registry's estimated enrollment", "Study type: Interventional. Estimated Enrollment: 72. Allocation: "
     "Randomized. Oxytocin or placebo before group therapy.", {"n_total": 72}),
    # Experiments counted before their participants are not the participants.
    ("Two experiments, then participants", "In two placebo-controlled experiments, participants took the drug "
     "or placebo and rated others' pain.", {"n_total": None}),
    # A count given first is the whole of the two arms that follow it.
    ("The sample split into two arms later", "Twenty-four healthy women watched sad film clips in the "
     "scanner. Twelve women received a single dose of citalopram while 12 women served as untreated "
     "controls.", {"n_total": 24}),
    # Pairs count two people each; completers named as a denominator are not who entered; a subgroup
    # classified by what its members did is no arm; a study "of" its sample names the whole sample; a
    # comparison group that completed the same task without the drug is added.
    ("Pairs of friends", "Twelve pairs of friends took part in a double-blind crossover study of "
     "sertraline and placebo; one friend of each pair rated the other.", {"n_total": 24}),
    ("Completers as a denominator", "In an open-label study, 22 adults with panic disorder received "
     "pregabalin. Fourteen of the 19 patients who completed the study were much improved.", {"n_total": 22}),
    ("A subgroup by behaviour", "We scanned brains in a placebo-controlled study of 30 female volunteers given "
     "vasopressin. Participants classified as cooperators (N = 14) or defectors (N = 10) differed.",
     {"n_total": 30}),
    ("Controls without the drug", "Methods: Fifteen patients with social anxiety disorder completed a "
     "face task before and after six weeks of escitalopram. Fourteen controls completed the task over the "
     "same weeks but took no drug.", {"n_total": 29}),
    # A group's size is not the sample; two groups given or compared in one sentence add up (a day
    # numbered zero is no group).
    ("Groups of three", "Three hundred social drinkers were seated in groups of 3 strangers each and given "
     "an alcoholic or placebo drink.", {"n_total": 300}),
    ("Groups of a number written out", "Nine adult volunteers, in three groups of three subjects each, lived in "
     "a residential laboratory and smoked active or placebo cannabis cigarettes.", {"n_total": 9}),
    ("Both sexes given the drink", "In a 2 x 2 factorial design, 20 men and 20 women were given either an "
     "alcoholic or a nonalcoholic drink.", {"n_total": 40}),
    ("Two age groups tested", "We tested the effect of intranasal oxytocin versus placebo on 40 older and 41 "
     "younger adults' recognition of faces.", {"n_total": 81}),
    ("Users compared with controls", "Methods: Fifteen ketamine users and 15 polydrug controls were compared "
     "on a memory task on day 0 and 3.", {"n_total": 30}),
    # A share of one arm, the consenting before randomisation, one sex's share and those who responded
    # are not the sample; an n may come before its people or right before the verb that enrols them.
    ("A share of one arm", "Thirty adults with depression took part in a double-blind trial of a glycine-site "
     "agonist. Response was seen in 50% of the 15 patients given the drug and 20% of the 15 patients "
     "randomized to placebo.", {"n_total": 30}),
    ("Consent, then randomisation", "In a 12-week double-blind trial, a total of 60 children gave their "
     "consent and 31 were randomized to valproate or placebo.", {"n_total": 31}),
    ("Consent and randomisation together", "Forty adults gave written informed consent and were randomized to "
     "ketamine or midazolam.", {"n_total": 40}),
    ("An n before the people", "We ran a randomized placebo-controlled trial in N = 96 healthy humans (N = 50 "
     "female) with a fear-learning task.", {"n_total": 96}),
    ("A bracketed n before the verb", "Adults who had recovered from an episode of mania within the previous "
     "three months (n=240) were randomized to lithium or placebo.", {"n_total": 240}),
    ("Responders are a result", "Children with autism were randomly assigned to an order of guanfacine and "
     "placebo. Results: 10 boys and 5 girls finished both periods. Eight children responded to guanfacine.",
     {"n_total": 15}),
    ("Arm sizes set against each other", "Outpatients were randomized to riluzole or placebo. The mixed model "
     "was not significant for riluzole (n=12) versus placebo (n=13).", {"n_total": 25}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), COUNT_CASES, ids=[c[0] for c in COUNT_CASES])
def test_the_count_is_everyone_who_entered(flagship: Protocol, title: str, abstract: str,  # noqa: F811
                                           expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


def test_a_proposed_study_is_the_abstracts_own(flagship: Protocol) -> None:  # noqa: F811
    check_case(flagship, "Galantamine in childhood autism",
               "Autism affects up to 16 in 10,000 children. The proposed study is designed to test galantamine "
               "against placebo in children with autism.", {"drugs": ["galantamine"], "control": "placebo"})


MORE_COUNT_CASES: list[Case] = [
    ("Children named by their ages", "Tested whether memantine helps irritability in children with autism. "
     "42 4-14 yr olds received memantine or placebo for four weeks.", {"n_total": 42}),
    ("The whole told after two groups", "Design: A parallel group design compared 18 volunteers who had used "
     "cannabis that night with 21 volunteers who had not. All 39 participants were tested twice.",
     {"n_total": 39}),
    ("People named by an acronym", "In a double-blind crossover study of people with HIV (PWH), we gave a low dose "
     "of hydrocortisone to 52 PWH (20 women) before a face task.", {"n_total": 52}),
    ("Another group in the same sentence", "Thirty habitual smokers were assigned to a free-viewing task, while "
     "another 30 habitual smokers viewed single pictures. Each wore a nicotine patch on one day and a placebo "
     "patch on another.", {"n_total": 60}),
    ("Those analysed, inside the n's bracket", "Outpatients with bipolar depression (BD; n = 31; 29 were included "
     "in analyses) took part in a double-blind crossover trial of scopolamine.", {"n_total": 31}),
    ("Groups of one size", "The authors tested diazepam (2 mg twice daily) on 3 groups of 20 subjects: those with "
     "high, medium and low trait anxiety.", {"n_total": 60}),
    ("Groups of a few volunteers", "Four groups of three healthy adult volunteers, all occasional cannabis users, "
     "lived in a residential laboratory for two weeks.", {"n_total": 12}),
    # a trial's phase is no count
    ("Zuranolone in major depression.",
     "Methods: In this double-blind phase 3 trial, women with depression were randomized to zuranolone or placebo. "
     "Results: Among 150 patients randomized, 130 completed.", {"n_total": 150}),
    # couples and dyads are two people each
    ("Oxytocin in couples therapy.",
     "Nine couples in which one partner had depression took part in a pilot of oxytocin-assisted couples therapy. "
     "Both partners reported closer relationships.", {"n_total": 18}),
    # groups set against each other with their sizes are summed
    ("Oral contraceptives and face memory.",
     "We tested whether women who were using oral contraceptives (n = 40) would remember faces less well than women "
     "who were not using them (n = 51).", {"n_total": 91}),
    # a follow-up's groups are not its waves
    ("Topiramate and anger: a 12-month follow-up.",
     "In this 12-month follow-up, patients (treated with topiramate: n = 16; former placebo group: n = 8) were "
     "tested every three months.", {"n_total": 24}),
    # sizes set against each other in a result are not the sample
    ("Aripiprazole and social functioning: a pooled analysis.",
     "Methods: Data were pooled from two randomized, double-blind studies involving 1294 patients with "
     "schizophrenia. Results: Aripiprazole (n=237) demonstrated significant improvement versus haloperidol (n=123) "
     "at week 18.", {"n_total": 1294}),
    # equal groups given their size each are multiplied
    ("Premedication before tonsillectomy.",
     "Children (ASA I-II) scheduled for tonsillectomy were randomly allocated into three groups (n = 32 each) to "
     "receive dexmedetomidine, midazolam or saline.", {"n_total": 96}),
    ("A threshold before the verb", "Subjects aged 6 to 17 years with a Total Tic Score of \u226520 were randomly "
     "assigned 1:1 to ecopipam (n = 76) or placebo (n = 77).", {"n_total": 153}),
    ("Completers after an age range with a decimal", "Forty-one children, all inpatients, ages 2.9 to 7.8 years, "
     "completed the study of naltrexone against placebo.", {"n_total": None}),
    ("Completers after an age range in apposition", "Forty-five children, 2.02 to 7.58 years old (M = 4.49), "
     "completed this crossover design of haloperidol and placebo.", {"n_total": None}),
    # two kinds set against each other, each count with its own word
    ("Two kinds of drinkers", "We conducted double-blind, randomized, crossover pilot studies of naltrexone and "
     "placebo in 11 light and 9 heavy alcohol users.", {"n_total": 20}),
    ("Lean and obese", "In 25 healthy lean and 23 overweight/obese participants, we measured cerebral blood flow "
     "after intranasal insulin or placebo.", {"n_total": 48}),
    # a healthy comparison group the patients are set against
    ("ADHD boys against healthy boys", "A randomized, placebo-controlled crossover design compared single doses of "
     "methylphenidate and placebo within 19 medication-naive ADHD boys, and their normalization effects relative "
     "to 29 age-matched healthy boys.", {"n_total": 48}),
    # an age in brackets between the count and its people
    ("An age in brackets", "In this double-blinded randomized controlled trial, we enrolled 712 older (aged 65-90 "
     "years) patients scheduled for major orthopedic surgery.", {"n_total": 712}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), MORE_COUNT_CASES, ids=[c[0] for c in MORE_COUNT_CASES])
def test_the_count_adds_groups_and_leaves_out_the_analysed(flagship: Protocol, title: str, abstract: str,  # noqa: F811
                                                           expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)
