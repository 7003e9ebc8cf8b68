"""The study drugs, their doses and routes, read through the whole pipeline: each convention of the
annotation guidelines pinned on sentences written for the test (none copied from an abstract)."""

from __future__ import annotations

import pytest

from _extraction_cases import Case, check_case, flagship, needs_lexicon

from livingreview.protocol.models import Protocol

pytestmark = needs_lexicon


NAME_CASES: list[Case] = [
    # The mixture is written in the singular as often as in the plural.
    ("", "Ninety women took conjugated equine estrogen 0.625 mg daily or placebo for two years.",
     {"drugs": ["conjugated estrogens"]}),
    ("", "Women were randomized to esterified estrogen 0.3 mg per day or placebo.",
     {"drugs": ["esterified estrogens"]}),
    # Marketed drugs MeSH files only among proteins, peptides or sugars are drugs all the same.
    ("", "Adults with allergic asthma were randomized to omalizumab or placebo injections for 16 weeks.",
     {"drugs": ["omalizumab"]}),
    ("", "After hip surgery, patients were randomized to enoxaparin or unfractionated heparin injections.",
     {"drugs": ["enoxaparin", "heparin"]}),
    ("", "Hypertensive adults were assigned to enalapril 10 mg or captopril 25 mg twice daily.",
     {"drugs": ["enalapril", "captopril"]}),
    # Alcohol given by the experiment is its study drug; alcohol people drink of their own accord is not.
    ("", "Methods: Forty social drinkers received alcohol (0.6 g/kg) or a placebo drink before a face task.",
     {"drugs": ["alcohol"]}),
    ("Acute effects of alcohol on trust", "Methods: Sixty adults drank a moderate dose of alcohol or a placebo "
     "beverage and played a trust game.", {"drugs": ["alcohol"]}),
    ("", "Methods: Adults with alcohol use disorder were randomized to topiramate or placebo; alcohol consumption "
     "fell in both groups.", {"drugs": ["topiramate"]}),
    # Psychedelics the general dictionary lacks, and a product made to give a substance.
    ("", "Healthy volunteers received 20 mg of intravenous N,N-dimethyltryptamine (DMT) or saline placebo.",
     {"drugs": ["dimethyltryptamine"]}),
    ("", "Fourteen nonsmokers chewed nicotine gum (2 mg or 4 mg) or a placebo gum before a face detection task.",
     {"drugs": ["nicotine"]}),
    # "Given" as a conjunction assigns nothing: the drug the background names is no study drug.
    ("", "Trust has a cost, given the many cheats in society. Research has shown that oxytocin raises trust. We "
     "show that compared with placebo, testosterone lowered trust in 24 women.", {"drugs": ["testosterone"]}),
    # Cortisol and glycine given by the experiment are study drugs (cortisol given is hydrocortisone);
    # cortisol measured, or a glycine site named, is not.
    ("", "Methods: Healthy men swallowed 20 mg cortisol or placebo an hour before viewing emotional pictures.",
     {"drugs": ["hydrocortisone"]}),
    ("", "Methods: Chronic patients were treated with glycine or placebo, each added to their antipsychotic.",
     {"drugs": ["glycine"]}),
    ("", "Twenty patients with schizophrenia were given glycine for six weeks beside their antipsychotic.",
     {"drugs": ["glycine"]}),
    ("", "Methods: Salivary cortisol levels were measured after citalopram 20 mg or placebo, and plasma glycine "
     "levels at baseline.", {"drugs": ["citalopram"]}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), NAME_CASES)
def test_study_drugs_are_read_under_their_generic_names(flagship: Protocol, title: str, abstract: str,
                                                        expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


GIVEN_OR_DERIVED_CASES: list[Case] = [
    # The parent of an enantiomer or metabolite is a study drug when it is given at a dose too.
    ("Two enantiomers against their racemate",
     "Levocetirizine is one of the two enantiomers of cetirizine. In a crossover study, 20 adults took "
     "levocetirizine 2.5 mg and 5 mg of cetirizine on separate days.",
     {"drugs": ["levocetirizine", "cetirizine"]}),
    ("Tolterodine and the metabolism of other drugs",
     "Serum levels of the 5-hydroxymethyl metabolite of tolterodine were measured after healthy men took "
     "2 mg tolterodine twice daily for five days.",
     {"drugs": ["tolterodine"]}),
    # Named only as what the study drug derives from, it is not given.
    ("", "Sixty adults took levocetirizine 5 mg, the R-enantiomer of cetirizine, or placebo for a week.",
     {"drugs": ["levocetirizine"]}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), GIVEN_OR_DERIVED_CASES)
def test_a_drug_another_derives_from_is_a_study_drug_only_when_given(flagship: Protocol, title: str, abstract: str,
                                                                     expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


TEST_AGENT_CASES: list[Case] = [
    # Probe drugs that read an enzyme's activity are test agents, wherever else they are named.
    ("Fluvoxamine and the metabolism of probe drugs",
     "Healthy men took fluvoxamine 50 mg daily for a week. The probe drugs midazolam and caffeine were "
     "given before and on the last day of treatment; midazolam exposure doubled on fluvoxamine.",
     {"drugs": ["fluvoxamine"]}),
    # A drug that types how people metabolise, and premedication against infusion reactions.
    ("", "Twelve volunteers, phenotyped with sparteine as extensive metabolisers, took propranolol 40 mg.",
     {"drugs": ["propranolol"]}),
    ("", "Patients with lymphoma were randomized to rituximab or observation; every infusion followed "
         "premedication with paracetamol and clemastine.",
     {"drugs": ["rituximab"]}),
    # The sugars of a permeability test, and a ratio of markers, are measured.
    ("", "Volunteers took aspirin 600 mg or placebo and then drank lactulose and mannitol to assess "
         "intestinal permeability. The lactulose/mannitol ratio rose with aspirin.",
     {"drugs": ["aspirin"]}),
    # The mite that causes the allergy is the allergen, not a treatment.
    ("", "Children with asthma caused by Dermatophagoides farinae took montelukast 5 mg or placebo for a month.",
     {"drugs": ["montelukast"]}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), TEST_AGENT_CASES)
def test_probes_premedication_test_sugars_and_allergens_are_not_study_drugs(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


MEASURED_OR_NAMED_CASES: list[Case] = [
    # Plain words are no brands: "prepares" is not Pre-Par (ritodrine), "OAT" not oats.
    ("", "We tested 52 women at two points of the menstrual cycle. They were more sensitive to fearful faces when "
     "a raised progesterone level prepares the body for pregnancy.", {"drugs": []}),
    ("", "Forty adults with opioid use disorder on OAT were compared with forty healthy controls.",
     {"drugs": []}),
    # A metabolite named after "its metabolite" is measured.
    ("", "Plasma was assayed for terfenadine and its active metabolite fexofenadine after healthy men took "
         "terfenadine 60 mg.",
     {"drugs": ["terfenadine"]}),
    # A hormone's level, its abbreviation between, is measured; so are a mineral's disturbances.
    ("", "Women took tibolone 2.5 mg or placebo; baseline estradiol (E2) levels did not predict the response.",
     {"drugs": ["tibolone"]}),
    ("", "Clinics were randomized to audit and feedback or usual care; targets for blood pressure and "
         "calcium-phosphate disturbances were recorded in 900 patients.",
     {"drugs": []}),
    # A code name dosed with a list of amounts sharing one unit.
    ("", "We gave XR-5521 (10, 30 or 90 mg) or placebo to 120 adults with migraine.",
     {"drugs": ["xr-5521"]}),
    # Excipients of a tablet are not drugs.
    ("", "Ten healthy men took tablets of 5 mg oxybutynin made with magnesium stearate and microcrystalline "
         "cellulose.",
     {"drugs": ["oxybutynin"]}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), MEASURED_OR_NAMED_CASES)
def test_metabolites_levels_and_excipients_are_not_study_drugs_and_code_names_are(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


DOSE_AND_ROUTE_CASES: list[Case] = [
    # A first sentence that gives the drug to the study's people is the study's own, not background.
    ("", "In a double-blind crossover design, either 20 mg of the NMDA antagonist memantine or a placebo was "
     "administered to 30 healthy volunteers. We measured how well they recognised faces.", {"doses": ["20 mg"]}),
    # An anaesthetic gas is dosed by its share of the air breathed.
    ("", "In a crossover study, 20 volunteers breathed 25% nitrous oxide in oxygen or oxygen alone while rating "
     "pictures.", {"drugs": ["nitrous oxide"], "doses": ["25%"], "routes": ["inhaled"]}),
    # A sublingual tablet is absorbed in the mouth, not swallowed: none of the six routes.
    ("", "Suicidal adults were randomized to sublingual buprenorphine tablets or placebo for four weeks.",
     {"drugs": ["buprenorphine"], "routes": []}),
    # A route abbreviated after the dose.
    ("Two triptans by two routes", "Adults treated attacks with rizatriptan 10 mg PO or sumatriptan (6 mg sc).",
     {"routes": ["oral", "subcutaneous"]}),
    # A peptide "infused" goes into a vein; an effervescent tablet is swallowed.
    ("Vasopressin and cooperation", "Healthy men were infused with 20 IU of vasopressin or placebo before a "
     "trust game.", {"routes": ["intravenous"]}),
    ("An effervescent add-on", "Children were randomized to the amino acid or placebo, each given as an "
     "effervescent twice a day for eight weeks.", {"routes": ["oral"]}),
    # A decimal broken by a space in the record is one amount; "units" is a unit.
    ("", "Ninety women took conjugated estrogens 0. 625 mg/day or placebo for a year.",
     {"doses": ["0.625 mg/day"]}),
    ("", "Older adults were randomized to vitamin D 800 units daily or placebo for two years.",
     {"doses": ["800 units daily"]}),
    # A zero-dose group is given nothing: no dose of its own.
    ("", "Thirty women were randomly assigned to 0, 25 or 50 mg of dehydroepiandrosterone daily.",
     {"doses": ["25 mg", "50 mg"]}),
    # An amount others reported before is not this study's dose.
    ("", "Twelve volunteers took ebastine 10 mg with breakfast. Exposure stayed below that previously "
         "reported after 40 mg/day in safety studies.",
     {"doses": ["10 mg"]}),
    # Swallowed drugs are oral: "peroral", "after ingestion of X (dose)", "ingested a single dose".
    ("", "Forty adults took peroral ketoprofen or placebo before skin prick tests.", {"routes": ["oral"]}),
    ("", "Wheals were measured up to 2 h after the ingestion of ebastine (20 mg) or placebo in 16 adults.",
     {"routes": ["oral"]}),
    ("", "On day 5, each volunteer ingested a single dose of 5 mg tolterodine.", {"routes": ["oral"]}),
    # The washout between a crossover's periods is the study's own; so is the drug of people with a
    # history of the disease it treats.
    ("", "Twelve adults with hay fever took part in a crossover study in which they received placebo or "
     "ebastine (10 mg/day orally) for a week, separated by a 10-day washout period.",
     {"routes": ["oral"], "doses": ["10 mg/day"]}),
    ("", "Adults with a history of migraine for at least a year were randomly assigned to treat one attack "
     "with one 5-mg zolmitriptan tablet and one attack with one 50-mg sumatriptan tablet.",
     {"routes": ["oral"]}),
    # A vaginal tablet is not swallowed.
    ("", "Women with atrophic vaginitis were randomized to estradiol vaginal tablets or an estriol vaginal "
     "cream for 12 weeks.", {"routes": []}),
    # A drink given as the drug or as its placebo is swallowed; drinks counted as a habit are no route.
    ("", "In a counterbalanced design, 20 social drinkers rated faces after a placebo drink and after an "
     "alcoholic drink of 0.6 g/kg.", {"routes": ["oral"]}),
    ("", "Methods: Adults who reported more than 14 drinks per week were randomized to naltrexone injections or "
     "placebo injections for 12 weeks.", {"routes": []}),
    # International units spelt out are a unit.
    ("", "Methods: Forty boys with autism were randomized to 16 International Units of oxytocin or placebo by "
     "nasal spray twice daily.", {"doses": ["16 International Units"]}),
    # The shares of a gas breathed, listed before it or after "concentrations of" (a zero share is the placebo).
    ("", "Healthy adults inhaled 10%, 25% and 50% nitrous oxide or air in random order.",
     {"doses": ["10%", "25%", "50%"], "routes": ["inhaled"]}),
    ("", "In a double-blind crossover study, N2O was given to 12 adults for one minute in concentrations of 0 "
     "(air), 30 and 60 per cent.", {"doses": ["30 per cent", "60 per cent"]}),
    # The study's own washout after treatment does not make its doses someone else's.
    ("", "Adults with bipolar depression were treated with 2 g/day N-acetylcysteine or placebo for 16 weeks, "
     "followed by a 4-week washout.", {"doses": ["2 g/day"]}),
    # A trial its participants "participated in" is their own, doses and all.
    ("", "Glycine-site agonists may act as antagonists at high doses. Twenty patients with depression "
     "participated in a double-blind, 6-week trial with a titrated dose (500 mg/d) of D-cycloserine or placebo.",
     {"doses": ["500 mg/d"]}),
    # A drug scanned "after infusion" was infused; a pill placebo is swallowed; a route animals had is not the study's.
    ("", "Participants were scanned two hours after infusion in a double-blind crossover of ketamine and placebo.",
     {"routes": ["intravenous"]}),
    ("", "Outpatients were randomized to memantine or a matching pill placebo for eight weeks.", {"routes": ["oral"]}),
    ("", "Animal models suggest that a single intravenous dose works for weeks. Adults with depression were "
     "randomized to the glycine-site agonist or placebo.", {"routes": []}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), DOSE_AND_ROUTE_CASES)
def test_doses_and_routes_read_as_trial_reports_write_them(flagship: Protocol, title: str, abstract: str,
                                                           expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


NOT_A_DOSE_OR_ROUTE_CASES: list[Case] = [
    # A laboratory threshold written with a full stop after the unit is no dose.
    ("", "Men taking oxybutynin were compared with men who were not; serum creatinine greater than 2 mg./dl "
     "was counted as renal failure.", {"doses": []}),
    # Kidney units counted in a urology study are no dose; "within an hour of ingestion in 70%" names no drug.
    ("", "Fifteen children took oxybutynin 5 mg daily; reflux resolved in 12 units of the 20 treated.",
     {"doses": ["5 mg daily"]}),
    ("", "Adults treated attacks with eletriptan; relief came within an hour of ingestion in 70% of attacks.",
     {"routes": []}),
    # A study that gives no drug has no route: a habit compared, others' sprays in the background.
    ("Oral contraceptives and face memory", "We compared women who used oral contraceptives (n = 40) with "
     "women who did not (n = 45) on a face memory task.", {"drugs": [], "routes": []}),
    ("Plasma oxytocin and generosity", "Studies of intranasal oxytocin suggest it raises generosity. Here we "
     "measured plasma oxytocin in 300 adults and related plasma oxytocin levels to their gifts in a dictator game.",
     {"drugs": [], "routes": []}),
    # A pill swallowed is the oral route.
    ("Cortisol and attention to faces", "Forty students ingested either a placebo pill or hydrocortisone "
     "(20 mg) before a face task.", {"routes": ["oral"]}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), NOT_A_DOSE_OR_ROUTE_CASES)
def test_counted_units_and_timing_after_ingestion_give_no_dose_or_route(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


ACID_CASES: list[Case] = [
    # Drugs whose names end in "acid" are drugs.
    ("", "Patients with migraine took tolfenamic acid 200 mg or placebo at the onset of an attack.",
     {"drugs": ["tolfenamic acid"]}),
    ("", "Women with heavy menstrual bleeding were randomized to tranexamic acid or mefenamic acid.",
     {"drugs": ["tranexamic acid", "mefenamic acid"]}),
    # Another name for a drug in brackets is the same mention; what a drug is broken down to is measured.
    ("", "Other NSAIDs, such as aspirin (acetylsalicylic acid), were avoided; adults took nimesulide 100 mg.",
     {"drugs": ["nimesulide"]}),
    ("", "Sumatriptan is cleared as an indoleacetic acid analogue; 20 adults took sumatriptan 6 mg.",
     {"drugs": ["sumatriptan"]}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), ACID_CASES)
def test_drugs_named_as_acids_are_read_and_their_bracketed_names_and_breakdown_products_are_not_extra(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


TRACER_AND_SWALLOWED_CASES: list[Case] = [
    # The tracer of a kidney scan is no study drug.
    ("", "Thirty children took oxybutynin 5 mg daily; dimercaptosuccinic acid (DMSA) renography was done at entry.",
     {"drugs": ["oxybutynin"]}),
    # An amount swallowed is taken by mouth.
    ("", "A boy of four ingested 50 mg of a sedating antihistamine and was observed for a day.",
     {"routes": ["oral"]}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), TRACER_AND_SWALLOWED_CASES)
def test_a_scan_tracer_is_no_drug_and_an_amount_ingested_is_oral(flagship: Protocol, title: str, abstract: str,
                                                                  expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


SALT_CASES: list[Case] = [
    # The salt or ester is dropped, so one drug in two forms is one study drug.
    ("A vaginal ring of estradiol acetate against oral estradiol",
     "Sixty women were randomized to an estradiol acetate ring or oral estradiol 1 mg daily for 12 weeks.",
     {"drugs": ["estradiol"]}),
    ("", "Twenty adults took oxybutynin chloride 5 mg or tolterodine tartrate 2 mg in random order.",
     {"drugs": ["oxybutynin", "tolterodine"]}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), SALT_CASES)
def test_a_drug_is_named_without_its_salt_or_ester(flagship: Protocol, title: str, abstract: str,
                                                    expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


BACKGROUND_CASES: list[Case] = [
    # Beside a placebo arm, what every arm is given is background, wherever else it is named.
    ("Raloxifene and bone loss",
     "Women were randomized to raloxifene 60 mg or placebo for two years. All participants received "
     "calcium 500 mg daily. Raloxifene combined with adequate calcium preserved spine density.",
     {"drugs": ["raloxifene"]}),
    ("", "Adults were randomized to alendronate 70 mg or placebo; calcium 1000 mg was given daily in both groups.",
     {"drugs": ["alendronate"], "doses": ["70 mg"]}),
    # A prodrug's amount said as its parent's is one drug; hormones listed as measured are measured.
    ("", "Patients in status epilepticus received fosphenytoin 750 mg (equivalent to 500 mg phenytoin) or placebo.",
     {"drugs": ["fosphenytoin"]}),
    ("", "Twenty men took androstenedione 100 mg once; serum estrone, estradiol, and testosterone "
         "concentrations were measured hourly.",
     {"drugs": ["androstenedione"]}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), BACKGROUND_CASES)
def test_what_every_arm_gets_and_what_is_measured_or_equated_are_not_study_drugs(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


SMOKED_AND_LIKENED_CASES: list[Case] = [
    # Marijuana given is cannabis, dosed by its THC content (a share of 0 is the placebo) and smoked.
    ("Cannabis and conversation",
     "Speech was recorded in eight occasional users who smoked marijuana cigarettes of 0, 1.5 and 3.1% THC on "
     "separate days.",
     {"drugs": ["cannabis"], "doses": ["1.5%", "3.1%"], "routes": ["inhaled"]}),
    # What a drug's effects are likened to is no study drug.
    ("Ketamine in abstinent drinkers",
     "Eighteen detoxified inpatients received intravenous ketamine or saline. Scales rated its similarity to "
     "heroin, cocaine, and marijuana; its effects were more like heroin than marijuana or cocaine.",
     {"drugs": ["ketamine"]}),
    # A drink containing the drug is swallowed; a dose in micrograms before IV is intravenous.
    ("Amphetamine in a residential laboratory",
     "Six men lived in a laboratory for two weeks. Beverages containing d-amphetamine or placebo were drunk "
     "each morning.", {"routes": ["oral"]}),
    ("Scopolamine blocks", "Twenty outpatients with depression received three sessions of placebo and three of "
     "scopolamine [4.0 microg/kg IV] in a crossover trial.", {"routes": ["intravenous"]}),
    # Milligrams written out are a dose; the volume of the diluent is not.
    ("Amantadine after brain injury",
     "Adults were randomly assigned to 100 milligrams of amantadine twice a day or placebo for four weeks.",
     {"doses": ["100 milligrams"]}),
    ("Esketamine after birth",
     "Mothers received esketamine (0.2 mg/kg, diluted in 10 mL of 0.9% saline) or placebo after delivery.",
     {"doses": ["0.2 mg/kg"]}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), SMOKED_AND_LIKENED_CASES)
def test_smoked_cannabis_drugs_likened_drinks_and_written_out_units(
        flagship: Protocol, title: str, abstract: str, expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


ARM_AND_ROUTE_CASES: list[Case] = [
    # A smell in a cue exposure and an oral fluid test are no routes; a cannabis cigarette smoked is inhaled.
    ("Naltrexone and alcohol cues.",
     "Forty heavy drinkers were randomized to naltrexone 50 mg or placebo and then had an alcohol cue exposure in "
     "which they inhaled the odour of their preferred drink.", {"routes": []}),
    ("A drug and placebo.", "Forty adults were randomized to the drug or placebo. Urine drug screens and oral fluid "
     "tests were negative in 40%.", {"routes": []}),
    ("Dronabinol and smoked cannabis.", "In a crossover design, forty cannabis users smoked a cannabis cigarette "
     "after dronabinol or placebo capsules.", {"routes": ["inhaled", "oral"]}),
    # The participants' usual medicines, in a placebo-controlled trial, are no study drugs.
    ("Rizatriptan after standard care fails.",
     "The efficacy of oral rizatriptan 10 mg was assessed in a double-blind, placebo-controlled study. Three "
     "hundred adults treated a first attack with a standard care medication: ibuprofen or naproxen, depending "
     "on their habits. Those without relief were randomized to rizatriptan 10 mg or placebo.",
     {"drugs": ["rizatriptan"]}),
    # Both arms named by what they add to the background drug: it is no study drug.
    ("Add-on melatonin for sleep in children with epilepsy.",
     "Children on levetiracetam monotherapy were randomized to add-on melatonin or add-on placebo. Sleep scores "
     "fell more in the levetiracetam + melatonin group than in the levetiracetam + placebo group.",
     {"drugs": ["melatonin"], "control": "placebo"}),
    # A route after a dose in Greek-mu micrograms.
    ("Psilocybin during a retreat.",
     "We administered psilocybin (250 \u03bcg/kg PO) or placebo to 30 meditators.", {"routes": ["oral"]}),
    # An infusion called subcutaneous makes every later "X infusion" that one, not a vein's.
    ("Continuous subcutaneous apomorphine infusion and mood.",
     "Twenty patients with Parkinson's disease started continuous subcutaneous apomorphine infusion. After "
     "apomorphine infusion for six months, mood scores were unchanged.", {"routes": ["subcutaneous"]}),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), ARM_AND_ROUTE_CASES)
def test_background_drugs_and_routes_read_from_how_they_are_told(flagship: Protocol, title: str, abstract: str,
                                                             expected: dict[str, object]) -> None:
    check_case(flagship, title, abstract, expected)


@pytest.mark.parametrize(("given", "expected"), [
    ("omega-3 fatty acids", ["omega-3 fatty acids"]), ("saffron", ["saffron"]),
    ("erythropoietin", ["erythropoietin"]), ("botulinum toxin type A", ["botulinum toxin"]),
    ("nicotine replacement therapy", ["nicotine"]), ("delta-9-tetrahydrocannabinol", ["dronabinol"]),
])
def test_supplements_hormones_and_toxins_the_dictionary_lacks_are_drugs(flagship: Protocol, given: str,
                                                                      expected: list[str]) -> None:
    check_case(flagship, "A trial", f"Sixty adults were randomized to {given} or placebo for 8 weeks.",
               {"drugs": expected})
