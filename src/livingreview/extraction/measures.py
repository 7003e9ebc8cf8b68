"""Measure rules: the classes of the outcomes measured and the brain-imaging modalities.
"""

from __future__ import annotations

import re
from functools import lru_cache

from livingreview.extraction.design import trials_called_for
from livingreview.extraction.model import Suggestion
from livingreview.extraction.passages import find, Hit, in_background, Passage, pattern_list, rx, study_start
from livingreview.extraction.substances import substances_given
from livingreview.extraction.text import COUNT


OUTCOME_CLASSES = ("self-report", "clinician-rated", "behavioural", "neuroimaging", "physiological")
# The protocol's instrument classes, in the spelling.
PROTOCOL_OUTCOME_CLASS = {"self_report": "self-report", "clinician_rated": "clinician-rated",
                          "behavioural_task": "behavioural", "neuroimaging": "neuroimaging",
                          "physiological": "physiological"}
# (fixed-width lookbehinds, one per verb and article)
_AFTER_PLAYED = "|".join(rf"(?<=\b{verb}\s{article}\s)" for verb in ("play", "played", "playing")
                         for article in ("a", "an", "the"))
OUTCOME_CLASS_PATTERNS = (
    ("self-report", rx(r"\bself-?\s?(?:report(?:ed)?|rat(?:ed|ings?)|assess(?:ed|ment)|administered)\b|"
                        r"\bquestionnaires?\b|\bdiar(?:y|ies)\b|\bvisual\s+analog(?:ue)?\s+scales?\b|\bVAS\b|"
                        r"\bpatient[- ](?:reported|rated|assessed)\b|\bsubjective(?:ly)?\b|\binventory\b|"
                        r"\b(?:symptom|pain|headache|itch|nasal)(?:[\s-]medication)?\s+(?:severity\s+)?(?:scores?|ratings?|relief)\b|"
                        r"\bquality\s+of\s+life\b|\b(?:patient|participant)(?:'s|s'|s)?\s+(?:global\s+)?"
                        r"(?:assessment|evaluation|rating)s?\b|\bpain[- ]free\b|\b(?:dis)?satisfaction\b|"
                        r"\bvoiding\s+diar|\bmood\s+ratings?\b|\bhot\s+(?:flash|flush)\w*|\brelief\b|"
                        r"\breliev(?:ing|ed?)\s+(?:the\s+)?(?:[\w-]+\s+)?(?:headache|pain|migraine|nausea|symptoms)\b|"
                        r"\b(?:pain|symptom)\s+(?:intensity|severity)\b|\bintensity\s+of\s+(?:the\s+)?(?:pain|headache|symptoms|itch\w*|nausea)\b|\bheadache\s+(?:severity|frequency|response)\b|\bpain-free\s+response\b|"
                        r"\b(?:investigators?|physicians?|clinicians?)\s+and\s+(?:the\s+)?patients\b|"
                        r"\bpatients\s+and\s+(?:the\s+)?(?:investigators?|physicians?|clinicians?)\b|"
                        # "the patient's and physician's global assessments": the patient's is a report
                        r"\b(?:patient|participant|subject)(?:'s|s'|s)?\s+and\s+(?:the\s+)?(?:physician|investigator|"
                        r"clinician)(?:'s|s'|s)?\s+(?:global\s+)?(?:assessments?|evaluations?|ratings?)\b|"
                        r"\b(?:patients|participants|subjects|volunteers)\s+(?:also\s+|then\s+)?(?:rated|scored|recorded)\b|"
                        r"\b(?:patients?|participants?)(?:'s|s'|')?\s+(?:[\w-]+\s+){0,3}preferences?\b|\bpsychological\s+distress\b|"
                        r"\b(?:completed|returned|answered)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}surveys?\b|"
                        r"\b(?:incontinence|micturition|urge|voiding)\s+episodes\b|\bmicturition\s+(?:charts?|"
                        r"diar\w+|variables|frequency)\b|\bby\s+(?:the\s+)?patients\b|\bmorning\s+stiffness\b|"
                        r"\bvasomotor\s+symptoms\b|\bseverity\s+of\s+(?:symptoms|pain|headache)\b|"
                        r"\binterviews?\b|\b(?:symptoms?|headache|pain|itch\w*|nausea)\s+(?:(?:was|were)\s+)?(?:recorded|rated|"
                        r"assessed|scored|graded)\b|"
                        r"\b(?:menopausal|climacteric|urgency|bladder|urinary|nasal|ocular|allergic|depressive|"
                        r"depression|anxiety|vasomotor|menstrual|gastrointestinal)\s+(?:clinical\s+)?symptoms?\b|"
                        r"\bsymptoms\s+of\s+(?:allergic\s+)?(?:depression|anxiety|rhinitis|conjunctivitis|menopause)\b|\bpatients?'?\s+perceptions?\b|"
                        r"\banalgesic\s+(?:and\s+\w+\s+)?efficacy\b|\bassess(?:ed|ment)\s+by\s+(?:the\s+)?patients?\b|"
                        r"\b(?:evaluated|rated|assessed|scored|judged)\s+by\s+(?:the\s+)?(?:volunteers?|participants?|"
                        r"subjects?)\b|"
                        # ratings asked of the participants themselves ("asked to rate their trust")
                        r"\basked\s+to\s+rate\b|\brated\s+their\s+own\b|"
                        # what participants perceive is what they tell ("perceived benefits", "self-efficacy")
                        r"\bperceived\s+(?!as\b|to\b|by\b|in\b)\w+|\bself-?\s?efficacy\b|\battitudes?\b|"
                        r"\bsymptom\s+(?:scales?|questionnaires?|checklists?)\b|"
                        # symptoms as what changed ("reductions in PTSD symptoms", "symptoms were decreased")
                        r"\b(?:reduc|decreas|alleviat|lessen)\w*\s+(?:in\s+|of\s+)?(?:the\s+)?"
                        r"(?:(?!signs\b)[\w-]+\s+){0,3}?symptoms?\b|"
                        r"\bsymptoms?\s+(?:were|was)\s+(?:\w+\s+)?(?:decreased|reduced|relieved|alleviated|lessened)\b|"
                        # scales the respondents fill in themselves, named without saying so
                        r"\bDavidson\s+Trauma\s+Scale\b|\bMississippi\s+Scale\b|\bAffective\s+Lability\s+Scale\b|"
                        r"\bArizona\s+Sexual\s+Experiences?\s+Scale\b|\bPTSD\s+Check\s?list\b|\bImpact\s+of\s+Events?\s+Scale\b|"
                        r"\bProfile\s+of\s+Mood\s+States?\b|\bPositive\s+and\s+Negative\s+Affect\s+Schedule\b|\bPANAS\b|"
                        r"\bHospital\s+Anxiety\s+and\s+Depression\s+Scale\b|\bBarratt\s+Impulsiveness\s+Scale\b|"
                        r"\bBond[- ]and[- ]Lader\b|\bBond-Lader\b|"
                        # widely used questionnaires and scales the respondents fill in, by name or abbreviation:
                        # mood, anxiety, distress, sleep, health status, craving, withdrawal, drug use, gambling
                        r"\bBDI(?:-II)?\b|\bBAI\b|\bSTAI\b|\bSTAXI(?:-2)?\b|\bPHQ-?\d*\b|\bGAD-7\b|\bQIDS-SR\d*\b|\bEPDS\b|"
                        r"\bEdinburgh\s+Postnatal\s+Depression\s+Scale\b|\bCES-?D\b|\bDASS(?:-\d+)?\b|"
                        r"\bDepression,?\s+Anxiety,?\s+(?:and\s+)?Stress\s+Scales?\b|\bPSQI\b|\bPittsburgh\s+Sleep\s+Quality\b|"
                        r"\bEpworth\s+Sleepiness\s+Scale\b|\bSF-?(?:36|12)\b|\bEQ-?5D\b|\bKessler\s+Psychological\s+Distress\b|"
                        r"\bSCL-?90(?:-R)?\b|\bSymptom\s+Check-?list-?90\b|"
                        r"\bcraving\b|\burges?\s+to\s+(?:smoke|drink|use)\b|\bPenn\s+Alcohol\s+Craving\s+Scale\b|"
                        r"\bObsessive[- ]Compulsive\s+Drinking\s+Scale\b|\bQSU(?:-brief)?\b|"
                        r"\bMinnesota\s+Nicotine\s+Withdrawal\s+Scale\b|\bMNWS\b|\bSubjective\s+Opiate\s+Withdrawal\b|\bSOWS\b|"
                        r"\bTime-?line\s+Follow-?back\b|\bTLFB\b|\bFagerstr[\u00f6o]m\b|\bFTND\b|"
                        r"\bGambling\s+Symptom\s+Assessment\s+Scale\b|\bG-SAS\b|\bSouth\s+Oaks\s+Gambling\s+Screen\b|\bSOGS\b")),
    ("clinician-rated", rx(r"\bclinician[- ](?:rated|administered|assessed)\b|"
                            # what peers say of a participant is an observer's rating
                            r"\bpeer\s+(?:appraisals?|ratings?|nominations?|reports?)\b|\b(?:investigator|physician|"
                            r"clinician|observer|rater|researcher|surgeon|nurse|an(?:a)?esthetist|an(?:a)?esthesiologist)"
                            r"(?:'s|s'|s|\u2019s)?\s*(?:-\s*)?(?:global\s+)?(?:rated|ratings?|assess(?:ed|ments?)|"
                            r"evaluations?|satisfaction|scores?)\b|\bHAM-?[DA]\b|(?<!-)\bHamilton\b(?!-)|\bMADRS\b|\bMontgomery\b|\bCGI\b|"
                            r"\bclinical\s+global\s+impression|\bPANSS\b|\bBPRS\b|\bYMRS\b|\bCAPS\b|\bADOS\b|"
                            # the Liebowitz scale is clinician-administered unless its self-report form is named
                            r"\bLSAS\b(?!-SR)|\bLiebowitz\s+Social\s+Anxiety\s+Scale\b(?!\s*[-(]\s*(?:SR|self))|"
                            r"\bY-?BOCS\b|\bparent[- ]rated\b|\bteacher[- ]rated\b|\bAberrant\s+Behavio|"
                            # widely used scales a clinician, a parent or a teacher scores: withdrawal, negative
                            # symptoms, children's depression, ADHD, tics, obsessions
                            r"\bClinical\s+Opiate\s+Withdrawal\s+Scale\b|\bCOWS\b|\bCIWA(?:-Ar)?\b|"
                            r"\bClinical\s+Institute\s+Withdrawal\s+Assessment\b|\bBrief\s+Negative\s+Symptom\s+Scale\b|"
                            r"\bScale\s+for\s+the\s+Assessment\s+of\s+(?:Negative|Positive)\s+Symptoms\b|\bCDRS(?:-R)?\b|"
                            r"\bChildren'?s\s+Depression\s+Rating\s+Scale\b|\bADHD[- ]RS(?:-IV)?\b|\bADHD\s+Rating\s+Scale\b|"
                            r"\bConners\b|\bSNAP-?IV\b|\bCalgary\s+Depression\s+Scale\b|\bCY-?BOCS\b|\bYGTSS\b|"
                            r"\bYale\s+Global\s+Tic\s+Severity\b|"
                            # A global judgement of efficacy or status with no rater named is the investigator's
                            # ("global efficacy", "global CIU status"); a patient's own is a report.
                            r"(?<!patient\s)(?<!patients\s)(?<!patient's\s)(?<!patients'\s)(?<!participant\s)(?<!subject\s)(?<!reported\s)"
                            r"\bglobal\s+(?:[A-Z]{2,6}\s+)?(?:efficacy|improvement|evaluation|assessment|tolerability|"
                            r"status|impression|judge?ment|analysis\s+of\s+efficacy)\b(?!\s+(?:\w+\s+){0,3}?by\s+(?:the\s+)?"
                            r"(?:patients?|participants?|subjects?)\b)|\boverall\s+therapeutic\s+response\b|"
                            r"\b(?:SCORAD|PASI|EASI)\b|"
                            r"\bglobal\s+(?:assessment|evaluation)\s+(?:(?:of\s+\w+\s+)?by|of)\s+(?:the\s+)?"
                            r"(?:investigator|physician|researcher|clinician)s?\b|\bRitchie\b|\b(?:swollen|tender|painful)\s+joints?\b|"
                            r"\bjoint\s+(?:index|counts?)\b|\bACR\s*-?\s*20\b|\bKupperman|"
                            r"\b(?:physicians?|investigators?|clinicians?|assessors?|raters?|observers?)\s+(?:also\s+)?(?:rated|"
                            r"assessed|scored|evaluated|judged|recorded)\b|"
                            # what a parent, carer or teacher rates of the participant ("caregiver-rated social
                            # responsiveness", "caregiver-reported NPI scores")
                            r"\b(?:parent(?:s|al)?|caregivers?|carers?|teachers?|mothers?|fathers?|informants?)'?\s*(?:-\s*)?"
                            r"(?:completed|reported|reports?|rated|ratings?|questionnaires?)\b|"
                            # gathered from informants, watched directly, or the global improvement a rater
                            # judges ("much or very much improved", the CGI-I's top two grades)
                            r"\bgathered\s+from\s+(?:the\s+)?(?:parents|teachers|caregivers|carers|investigators|clinicians)\b|"
                            r"\bdirect\s+observations?(?:al)?\b|\bmuch\s+(?:or|to)\s+very\s+much\s+improve(?:d|ment)\b|"
                            # behaviour coded by observers, and inventories an observer answers
                            r"\bobservational\s+(?:measures?|ratings?|coding|assessments?)\b|\bobserver[- ]coded\b|"
                            # a clinician's interview or ratings (not the interview that diagnosed the sample),
                            # and what flatmates, partners or friends rate of a participant
                            r"\bstructured\s+clinical\s+interviews?\b(?!\s+for\s+(?:the\s+)?DSM)|"
                            r"(?<!structured\s)\bclinical\s+(?:ratings?|interviews?)\b(?!\s+for\s+(?:the\s+)?DSM)|"
                            r"\bPresent\s+State\s+Examination\b|\b(?:flatmates?|roommates?|partners?|spouses?|friends?)['\u2019]?\s+"
                            r"(?:ratings?|rated|reports?|reported)\b|"
                            r"\bNeuropsychiatric\s+Inventory\b|\bChildhood\s+Autism\s+Rating\s+Scale\b|\bVineland\b|"
                            # scales of sedation, delirium, agitation and a child's anxiety at induction, which an
                            # observer scores at the bedside
                            r"\bRamsay\s+(?:sedation\s+)?(?:scores?|scales?)\b|\bRichmond\s+Agitation|\bRASS\b|"
                            r"\bConfusion\s+Assessment\s+Method\b|\bCAM-ICU\b|\bm?YPAS\b|\bYale\s+Preoperative\s+Anxiety\b|"
                            r"\bPAED\b|\bPa?ediatric\s+An(?:a)?esthesia\s+Emergence\s+Delirium\b|\bOAA/S\b|"
                            r"\bObserver'?s?\s+Assessment\s+of\s+Alertness|\bDelirium\s+Rating\s+Scale\b|\bNu-?DESC\b|"
                            r"\bDelirium\s+Screening\s+Checklist\b|\bICDSC\b|\bMemorial\s+Delirium\s+Assessment\b|\bMDAS\b|"
                            r"\b4AT\b|\bFLACC\b|\bFace,?\s+Legs,?\s+Activity\b|\bCHEOPS\b|\bInduction\s+Compliance\s+Checklist\b|"
                            r"\bEmergence\s+Agitation\s+Scale\b|\bWatcha\b|\bAono\b|\bApgar\b|"
                            r"\b(?:completed|filled\s+(?:in|out))\s+by\s+(?:the\s+)?(?:parents?|teachers?|caregivers?)\b|\bscored\s+by\s+(?:a\s+|the\s+)?(?:\w+\s+)?(?:assessor|"
                            r"rater|clinician|investigator|psychiatrist)s?\b|\binter-?rater\b|\bsyndromal\b|"
                            r"\bby\s+(?:the\s+)?(?:(?:patients?|volunteers?|participants?|subjects?)\s+and\s+(?:the\s+)?)?"
                            r"(?:investigators?|physicians?|clinicians?)\b|\b(?:reported|rated|assessed|recorded|judged)\s+by\s+"
                            r"(?:the\s+|their\s+)?(?:GPs|general\s+practitioners)\b|"
                            r"\b(?:physicians?|investigators?|clinicians?)\s+(?:found|considered|judged)\b|"
                            r"\bpatients\s+and\s+(?:the\s+)?(?:investigators?|physicians?|clinicians?)\s+(?:jointly\s+|both\s+)?"
                            r"(?:rated|assessed|evaluated|scored|judged)\b")),
    ("behavioural", rx(r"\b(?:behaviou?ral|cognitive|computeri[sz]ed|experimental)\s+(?:tasks?|"
                        r"paradigms?|tests?|testing|performance|batter(?:y|ies))\b|"
                        # the bedside tests of cognition, which the participant performs
                        r"\bMini-?\s?Mental\s+State\s+Exam\w*|\bMMSE\b|\bMontreal\s+Cognitive\s+Assessment\b|\bMoCA\b|"
                        # the money games and decisions of social and economic experiments ("a monetary
                        # transfer task", "an incentivized laboratory experiment", "a game-theoretic paradigm")
                        r"\b(?:monetary|money|economic|transfer|donation|giving|sharing|bargaining|incentivi[sz]ed|"
                        r"game[- ]theoretic(?:al)?|social\s+decision(?:-making)?)\s+(?:[\w-]+\s+)?(?:tasks?|games?|"
                        r"paradigms?|experiments?|decisions?)\b|\blaboratory\s+(?:experiments?|models?\s+of|measures?\s+of)\b|"
                        r"\blaboratory\s+(?:tasks?|paradigms?|performance)\b|"
                        r"\bcomplex\s+tasks\b|\b(?:flying|motor)\s+performance\b|\btask\s+performance\b|"
                        r"\b(?:response|reaction)\s+(?:times?|latenc(?:y|ies))\b|"
                        # tasks of social and emotional experiments: recognising faces, probes, dilemmas, choices
                        r"\b(?:emotion|emotional|face|facial|affect|expression)\s+(?:[\w-]+\s+)?(?:recognition|identification|"
                        r"categori[sz]ation|classification|discrimination|labell?ing)\s+(?:tasks?|tests?|paradigms?|accuracy)\b|"
                        r"\b(?:recognition|identification|categori[sz]ation|classification|discrimination)\s+accuracy\b|"
                        r"\b(?:dot|visual)[- ]probe\b|\bforced[- ]choice\b|\bmoral\s+(?:dilemmas?|judge?ments?)\b|"
                        r"\bimplicit\s+association\s+tests?\b|\b(?:decision[- ]making|choice|emotional\s+memory|"
                        r"attentional\s+bias)\s+(?:tasks?|tests?|paradigms?)\b|"
                        r"\bgames?\b(?=[^.]{0,40}\b(?:trust|dictator|ultimatum|"
                        r"prisoner|cooperat|economic))|\bperformance\s+on\b|\bpsychomotor\b|\bdriving\s+"
                        r"(?:performance|test)|\bmemory\s+(?:tests?|tasks?|performance)\b|\bneuropsychologic\w*|"
                        r"\bcognitive\s+(?:abilit\w+|functions?|functioning|tests?)\b|\bcognition\b|"
                        r"\b(?:test[- ]ordering|ordering|prescribing|screening|preventive|referral)\s+behaviou?rs?\b|"
                        # what clinicians do: tests ordered or requested, referrals, the process of care
                        r"\b(?:tests?|testing)\s+(?:orders?|requests?)\b|\brequested\s+(?:[\w-]+\s+)?tests\b|"
                        # (a referral recommended or offered is care, not a measure: only referrals counted)
                        r"\breferral\s+(?:rates?|behaviou?rs?|patterns?)\b|\b(?:rates?|number|appropriateness)\s+of\s+"
                        r"referrals?\b|\breferrals\s+to\s+[\w-]+\s+(?:did|were|was|increased|decreased|fell|rose)\b|"
                        r"\bprocess\s+of\s+care\b|"
                        # what participants learnt, tested
                        r"\bknowledge\s+(?:gain(?:ed|s)?|uptake|retention|tests?|scores?|acquisition)\b|"
                        # what participants did, measured beside a scan ("behavioral and MEG data")
                        r"\bbehaviou?ral(?:ly)?\s+(?:(?:and\s+\w+\s+)?data|measures?|responses?|assess\w*|analys[ie]s|"
                        r"results?|effects?)\b|\bbehaviou?rally\s+(?:assessed|measured|tested)\b|"
                        # memory tested: what was recalled, retrieved or recognised
                        r"\bmemory\s+(?:retrieval|recall|encoding)\b|\b(?:free|delayed|immediate|cued|word)\s+recall\b|"
                        r"\brecognition\s+memory\b|\bretrieval(?=\s+of\b)|"
                        r"\btasks?\s+(?:assessing|measuring|probing|that\s+(?:assessed|measured))\b|"
                        r"\beye[- ]?tracking\b|\b(?:gaze|eye[- ]gaze)\s+(?:behaviou?r|patterns?|fixations?|duration|"
                        r"orientation|direction)\b|"
                        # tasks named by what they measure or how: "tasks involving continuous attention",
                        # "psychological performance measures", a drug-choice procedure, the Wisconsin test,
                        # speech measured ("speech quantity was recorded"), accuracy in naming emotions
                        r"\btasks\s+involving\b|\bperformance\s+(?:measures?|tasks?|tests?|batter(?:y|ies))\b|"
                        # tasks named by what participants do in them: "a labeling task of emotional
                        # expressions", "a key-press task", the point-subtraction paradigm (not the
                        # face-matching task, the scanner's usual paradigm)
                        r"\b(?:labell?ing|sorting|key-?press|button-?press)\s+(?:tasks?|paradigms?)\b|"
                        r"\bpoint[- ]subtraction\b|\bimplicit\s+attitudes?\b|"
                        r"\b(?:choice|self-administration)\s+(?:procedure|paradigm)s?\b|"
                        r"\bWisconsin\s+(?:card\s+sorting\s+)?test\b|\bspeech\s+(?:quantity|rate|output)\b|"
                        # widely used tasks of attention, control, choice and self-administration
                        r"\bStroop\b|\bIowa\s+Gambling\s+Task\b|\bdelay\s+discounting\b|\bdiscounting\s+tasks?\b|"
                        r"\bgo/no-?go\b|\bstop[- ]signal\b|\bcontinuous\s+performance\s+tests?\b|\bn-back\b|"
                        r"\bdigit\s+symbol\b|\btrail\s+making\b|\bprogressive[- ]ratio\b|\bself-administration\b|"
                        r"\battentional\s+bias\b|\bballoon\s+analog(?:ue)?\s+risk\s+task\b|"
                        r"\baccura(?:cy|te)\s+(?:in|at)\s+(?:identifying|recogni[sz]ing|detecting|labell?ing)\b|"
                        # a game played ("they played the Tangrams game"), named without the verb
                        r"(?:" + _AFTER_PLAYED + r")(?:[\w-]+\s+){1,3}?games?\b")),
    ("neuroimaging", rx(r"\bf?MRI\b|\bfunctional\s+magnetic\b|\bmagnetic\s+resonance\s+(?:imaging|spectroscopy)\b|"
                         r"\bPET\b(?=[^.]{0,80}\b(?:brain|cerebral|cortical|neural|receptor|binding|striat))|"
                         r"\bEEG\b|\belectroencephalogra|\bMEG\b|"
                         r"\bmagnetoencephalogra|\bneuromagnetic\b|\bBOLD\b|\bneuroimaging\b|\bbrain\s+imaging\b|\bSPECT\b|"
                         r"\bevent-?related\s+potentials?\b|\bERPs?\b|\bMRSI?\b|\bresting[- ]state\b|"
                         r"\bnear-?infrared\s+spectroscopy\b|\bf?NIRS\b|"
                         r"\bpositron\s+emission\s+tomography\b|"
                         # the brain's responses measured with no modality named, and the components of ERPs
                         r"\bbrain\s+(?:activity|activation|responses?)\b|"
                         r"\b(?:amygdala|insula|insular|cingulate|striatal|striatum|prefrontal|fusiform|hippocampal|precuneus)\s+"
                         r"(?:[\w-]+\s+)?(?:activation|activity|reactivity|responses?)\b|"
                         r"\b(?:p1|n1|p2|n2|p3|p300|n170|n400|p600|lpp|frn|ern)\s+(?:amplitudes?|latenc(?:y|ies)|components?)\b|"
                         r"\b(?:while|when)\s+(?:being\s+)?scanned\b|\bin\s+the\s+(?:PET\s+|MRI?\s+)?scanner\b|"
                         r"\b(?:head|cranial)\s+ultraso(?:und|nograph\w*)")),
    ("physiological", rx(r"\bheart\s+rate\b|\bcardiac\s+(?:deceleration|acceleration|responses?|reactivity)\b|"
                          # a sample tested for a drug's traces ("negative urine cannabinoid tests")
                          r"\burine\s+(?:[\w-]+\s+){0,2}?(?:tests?|screens?|toxicology|drug\s+screens?)\b|"
                          # the body's signals recorded: muscle, skin, breathing, movement, autonomic arousal
                          r"\belectromyogra\w*|\b(?:facial\s+)?EMG\b|\belectrodermal\b|\bgalvanic\s+skin\b|"
                          r"\brespiratory\s+sinus\s+arrhythmia\b|\bheart\s+rate\s+variability\b|\bactigraph\w*|"
                          r"\bautonomic\s+(?:responses?|responsiveness|reactivity|arousal)\b|\bpsychophysiolog\w*|"
                          r"\b(?:gut\s+)?microbio(?:me|ta)\b|"
                          r"\bblood\s+pressure\b|\bcortisol\b|\bskin\s+conductance\b|\bstartle\b|"
                          r"\bplasma\s+(?:levels?|concentrations?)\b|\bpharmacokinetic|\bw(?:h)?eal(?:s|ing)?\b|\bhormonal\s+(?:evaluations?|levels?|"
                          r"measurements?|profiles?)\b|"
                          # an analyte's level, by its name or its abbreviation ("E2 levels", "ECP levels",
                          # "testosterone concentration"); not the brain's metabolites, which spectroscopy
                          # measures, nor a level the study set out to change ("by manipulating testosterone levels")
                          # or related to what was measured ("testosterone levels were related to caudate activity")
                          r"(?<!manipulating\s)(?<!manipulated\s)(?:\b(?:o?estradiol|o?estrogens?|testosterone|progesterone|prolactin|oxytocin|vasopressin|"
                          r"insulin|glucose|ghrelin|leptin|melatonin|hormone|cytokines?|lactate|ammonia|lithium|cotinine|glutathione|GSH|"
                          r"(?:nor)?adrenaline|(?:nor)?epinephrine|E2|ECP|BDNF|CRP|IL-?\d+|TNF(?:-?alpha|-?\u03b1)?|HbA1c|"
                          r"LH|FSH|SHBG|DHEA-?S?|PRL|ACTH|IGF-?1|TSH|T[34]|GH)\b|\bE\(2\))\)?\s+(?:levels?|concentrations?)\b"
                          r"(?!\s+(?:were|was)\s+(?:\w+ly\s+)?(?:related|correlated|associated)\b)|"
                          # cells counted in blood or tissue ("numbers of IL-2R+ cells", "CD4+ cells")
                          r"\bnumbers?\s+of\s+(?:[\w-]+\+?,?\s+){0,4}cells\b|\b[\w-]+\+\s+cells\b|"
                          # the skin's flare, not a disease's ("a flare of urticaria", "in a flare state")
                          r"(?<!\ba\s)\bflares?\b(?!\s+(?:of|state|ups?)\b)|"
                          r"\bbone\s+mineral\s+density\b|\bBMD\b|\bserum\s+(?:levels?|concentrations?)\b|"
                          r"\blipid\s+profiles?\b|\bcholesterol\b|\bnasal\s+(?:airflow|patency|resistance)\b|"
                          r"\bpupil|\bbody\s+temperature\b|\bendometri(?:al|um)\b(?!\s+(?:cancer|carcinoma|hyperplasia))|"
                          # (a biomarker hoped for, "a potential biomarker predicting response", was not measured)
                          r"(?<!potential\s)(?<!possible\s)(?<!useful\s)(?<!candidate\s)(?<!promising\s)\bbiomarkers?\b|"
                          r"\burodynamic|\bbladder\s+(?:capacity|compliance)\b|"
                          r"\b(?:detrusor|urethral(?:\s+closure)?|intravesical|leak\s+point)\s+pressures?\b|\bcardiologic\w*\s+parameters\b|\bcystometr\w*|\bECG\b|\belectrocardiogra|\bQTc?\b|"
                          r"\bhormone\s+levels?\b|\bgastrointestinal\s+(?:blood\s+loss|permeability)\b|"
                          r"\bendoscop|\bbone\s+(?:density|loss|mass|turnover|markers?)\b|\balkaline\s+phosphatase\b|"
                          r"\btransaminases?\b|\bserum\b|\bplasma\b|\burinary\s+\w+\s+excretion\b|"
                          r"\bbiochemical\s+markers?\b|\bgrip\s+strength\b|\bla?boratory\s+(?:values|tests|"
                          r"parameters|variables)\b|\bha?emoglobin\b|\bcreatinine\b|\bmucosal\b|\bprostaglandins?\b|"
                          # (cerebral blood flow is what brain imaging measures, not a body measure)
                          r"(?<!cerebral\s)\bblood\s+(?:levels?|samples?|concentrations?|flow)\b|\bvital\s+signs\b|"
                          r"\b(?:lung|pulmonary)\s+function\b|\bFEV1\b|\bmotility\b|\bskin\s+(?:test|reaction)|\bskin\s+reactivity\b|"
                          r"\bbody\s+(?:weight|mass\s+index)\b|\bBMI\b|\bweight\s+(?:gain|loss|status)\b|"
                          r"\bwaist\s+circumference\b|"
                          # "three concentrations of the spray" are doses, not a measure
                          r"\b(?!(?:two|three|four|five|several|different|various|increasing|all|these|the|other|bolus|"
                          r"higher|lower|equal|of|inspired)\s)"
                          r"[\w-]+\s+concentrations\b|\b(?:enzyme\s+|radio)?immuno-?assays?\b|\bELISA\b|"
                          r"\bclearance\b|\bglomerular\s+filtration\b|\b(?:renal|liver|hepatic)\s+function\b|"
                          # pharmacokinetic parameters: peak level, exposure, time to peak, half-life
                          r"\bC\s?max\b|\bAUC(?!\s+(?:of\s+)?(?:patient|physician|investigator|pain|ACR|response|measurement\s+of\s+response))|\bt\s?max\b|\bt(?:1/2|\u00bd)|\bhalf-lives?\b|\belimination\s+half|\bMRT\b|"
                          r"\bC-reactive\s+protein\b|\bCRP\b|\b(?:erythrocyte\s+)?sedimentation\s+rate\b|"
                          r"\b(?:nasal\s+)?airway\s+resistance\b|\brhinomanometr\w*|\bspirometr\w*|\bPC20|"
                          r"\bbronchial\s+(?:response|responsiveness|hyper-?responsiveness|hyper-?reactivity|"
                          r"provocation)\b|\bhistamine\s+release\b|\bpeak\s+(?:expiratory\s+)?flow\b|"
                          r"\bbone\s+age\b|\badult\s+height\b|\b(?:height|growth)\s+velocity\b|"
                          r"\b(?:cytolog|histomorphometr|immunohistochemi)\w*|\bbiops(?:y|ies)\b|"
                          r"\b(?:ha?ematologic\w*|coagulation)\s+(?:parameters|values|tests|indices)\b|"
                          r"\brange\s+of\s+motion\b|\b(?:artery|arterial)\s+diameters?\b|\bDoppler\b|"
                          r"\bblood\s+(?:flow\s+)?velocity\b|\bsaliva(?:ry)?\s+(?:output|flow)\b|"
                          # antibodies, allergen skin and airway challenges, the stomach's tone and volume
                          r"\b(?:total\s+|specific\s+|serum\s+)?Ig[EGAM]\d?\b|\bimmunoglobulins?\b|\bskin\s+prick\b|"
                          r"\b(?:bronchial|conjunctival|allergen)\s+(?:challenge|provocation)\b|\bprovocative\s+(?:dose|concentration)\b|"
                          r"\b(?:leu[ck]ocyte|platelet|white\s+(?:blood\s+)?cell|red\s+(?:blood\s+)?cell|neutrophil|lymphocyte|"
                          r"eosinophil|basophil|reticulocyte|CD\d+\+?\s+cell)\s+counts?\b|\bcorpuscular\s+volume\b|"
                          r"\bha?ematocrit\b|\bla?boratory\s+test\s+results\b|\bbarostat\b|\bintragastric\s+(?:pressure|volume)s?\b|"
                          r"\bgastric\s+(?:tone|emptying|compliance|accommodation)\b|\bpad[- ]?(?:tests?|weights?)\b|"
                          # what is monitored around an operation: oxygen saturation, circulation, breathing, salts
                          # (not the brain's "hemodynamic changes" an imaging scan reads)
                          r"\b(?:oxygen|O2|arterial)\s+saturation\b|\bSp?O2\b|\bha?emodynamic\s+(?:parameters|variables|"
                          r"stability|measures|data)\b|\brespiratory\s+rates?\b|\belectrolytes?\b|"
                          r"\bactomet\w*|"
                          # samples tested for drugs, what smokers breathe out, sleep recorded in the body,
                          # fat and insulin measured, markers of inflammation
                          r"\burine\s+(?:samples?|specimens?|toxicology|drug\s+tests?)\b|\btoxicology\s+(?:screens?|tests?|results)\b|"
                          r"\bbreath\s+alcohol\b|\b(?:expired|exhaled)\s+(?:air\s+)?(?:carbon\s+monoxide|CO)\b|\bCO\s+boost\b|"
                          r"\bpolysomnograph\w*|\bPSG\b|\badipose\s+tissue\b|\binsulin\s+sensitivity\b|"
                          r"\binflammatory\s+(?:markers?|biomarkers?|cytokines?)\b|\binterleukin")),
)
# Cues of a class told in what was done or said rather than in a measure's name: they make the
# study's outcome_classes, but name no outcome.
_STUDY_CLASS_CUES = (
    # what participants said they felt ("reduced reports of social pain", "participants reported
    # wanting less closeness")
    ("self-report", rx(r"\b(?:reduced|increased|decreased|fewer|more|lower|higher)\s+reports\s+of\b|"
                        r"\b(?:participants|subjects|volunteers)\s+(?:[\w-]+\s+){0,3}?reported\s+(?:feeling|wanting|being|"
                        r"more|less|greater|higher|lower|increased|decreased|reduced|feelings|experiencing|that\s+they)\b")),
    # signal detection ("sensitivity (d') for motion detection"), a game played, behaviour filmed
    ("behavioural", rx(r"\bsensitivity\s*\(\s*d\s*['\u2019\u2032]|\bd-?prime\b|\bsignal\s+detection\b|"
                        r"\b(?:videotaped|video-?recorded|filmed)\b(?=[^.;]{0,80}\b(?:play|interactions?|behaviou?rs?|"
                        r"tasks?|classrooms?|games?))")),
)
_IMAGING = (
    ("fMRI", rx(r"\bfMRI\b|\bfunctional\s+(?:magnetic\s+resonance|MRI|MR)\b|\bBOLD\b|\bresting[- ]state\s+"
                 r"(?:functional\s+)?connectivity\b|\bpharmacological\s+MRI\b|\bphMRI\b")),
    ("EEG", rx(r"\bEEG\b|\belectroencephalogra\w*|\bevent-?related\s+potentials?\b|\bERPs?\b|\bmismatch\s+negativity\b|"
                r"\bMMN\b|\bP300\b|\bquantitative\s+EEG\b|\belectrical\s+neuroimaging\b|"
                # evoked responses and the rhythms of the scalp recording, named without "EEG"
                r"\b(?:auditory|visual|somatosensory|sensory)?\s*evoked\s+potentials?\b|\b(?:N170|N400|P50|P3[ab]|N2pc)\b|"
                r"\blate\s+positive\s+potential\b|\b(?:alpha|beta|theta|delta|gamma)[- ](?:band\s+)?(?:power|oscillations?|"
                r"rhythms?|coherence|synchron\w*)\b|\bspectral\s+power\b|\bsleep\s+spindles?\b")),
    ("MEG", rx(r"\bMEG\b|\bmagnetoencephalogra\w*|\bneuromagnetic\b")),
    ("PET", rx(r"\bPET\b|\bpositron\s+emission\s+tomography\b|"
                # a radiotracer's binding read in the brain ("[11C]raclopride binding potential")
                r"\[\s*(?:11C|18F|15O|123I)\s*\]|\b(?:11C|18F)-[\w-]+|\braclopride\b|\bbinding\s+potential\b")),
    ("MRS", rx(r"\b(?:1H-?|3D\s+)?MRSI?\b|\bmagnetic\s+resonance\s+spectroscop\w*|\b(?<!near-infrared\s)spectroscop(?:y|ic\s+imaging)\b")),
    ("other", rx(r"\b(?:MR|magnetic\s+resonance)\s+angiogra\w*(?=[^.]{0,80}\b(?:intracranial|cerebral|brain|"
                  r"carotid|basilar|vertebral))|\b(?:head|cranial)\s+ultraso(?:und|nograph\w*)|\bSPECT\b|\bsingle[- ]photon\b|\bdiffusion\s+tensor\b|\bDTI\b|\barterial\s+spin\s+label|"
                  r"\bnear-?infrared\s+spectroscopy\b|\bfNIRS\b|\bNIRS\b|\bstructural\s+MRI\b|\bvoxel-?based\s+morphometry\b|"
                  r"(?<!functional\s)(?:\bMRI\b|\bmagnetic\s+resonance\s+imaging\b)")),
)
# What only a scalp recording is called (a rhythm or an evoked response may be MEG's too).
_SCALP_RECORDING = rx(r"\bEEG\b|\belectroencephalogra|\bevent-?related\s+potentials?\b|\bERPs?\b")
# Plain "MRI" is structural imaging ('other') only in a study that names no functional MRI.
_PLAIN_MRI = re.compile(r"(?:MRI|magnetic\s+resonance\s+imaging)$", re.IGNORECASE)




# Imaging of another organ than the brain ("myocardial perfusion measured with PET") is not
# neuroimaging; a sentence naming the brain too is.
_OTHER_ORGAN = rx(r"\b(?:myocard\w*|cardiac|coronary|heart(?!\s+rate)|lungs?|pulmonary|liver|hepatic|renal|kidneys?|bone|breast|"
                   r"prostate|knee|spine|abdom\w*|muscles?|tumou?rs?|whole[- ]body|skeletal|thyroid)\b")
# A scan, or the brain, named anywhere: what makes a named paradigm's outcome neuroimaging.
_BRAIN_OR_SCAN = rx(r"\b(?:f?MRI|PET|SPECT|EEG|MEG|MRS|BOLD|ERPs?|magnetic\s+resonance|tomography|"
                    r"electroencephalogra\w*|magnetoencephalogra\w*|event-related\s+potentials?|resting[- ]state|"
                    r"functional\s+connectivity|activation|scann\w*|neuroimaging|imaging)\b")
_BRAIN = rx(r"\b(?:brain|cerebr\w*|cortex|cortical|amygdala|(?:peri|intra)ventricular|striat\w*|hippocamp\w*|neural|neuronal|intracranial|"
             r"thalam\w*|insula|cingulate|prefrontal|grey\s+matter|gray\s+matter|white\s+matter|"
             r"receptor\s+(?:binding|occupancy|availability))\b")


def _measured(hit: Hit) -> bool:
    """Not in a labelled background, nor in the sentences before an unstructured abstract turns
    to its own study (what earlier studies measured)."""
    return not in_background(hit) and hit.start >= study_start(hit.passage)


def brain_imaging(hit: Hit) -> bool:
    """A brain imaging mention: its sentence names the brain, or names no other organ in a text
    that is not about another organ only (a cardiac PET study's "baseline PET scan")."""
    if not _measured(hit):
        return False
    sentence = hit.sentence.text
    if _BRAIN.search(sentence):
        return True
    return not _OTHER_ORGAN.search(sentence) and not _other_organ_only(hit.passage.text)


@lru_cache(maxsize=256)
def _other_organ_only(text: str) -> bool:
    return bool(_OTHER_ORGAN.search(text)) and not _BRAIN.search(text)


# "Participants were scanned ... while performing a reward task", then the activation of brain
# areas: a task scan of brain activation, which is fMRI when no modality is named.
_SCANNED_DURING_A_TASK = rx(r"\bscanned\b(?:[^.;]|\.\d){0,160}?\b(?:while|during)\b")
_ACTIVATION = rx(r"\bactivations?\b|\bactivity\s+in\s+the\b")
_DEEP_REGIONS = rx(r"\b(?:accumbens|putamen|caudate|tegmental|fusiform|precuneus|regions?\s+of\s+interest|brain\s+areas)\b")


def imaging_modalities(passages: list[Passage]) -> Suggestion:
    found = pattern_list(passages, _IMAGING, brain_imaging)
    if not found:
        scans = [h for h in find(passages, _SCANNED_DURING_A_TASK, negatable=False) if _measured(h)]
        if scans and any(_BRAIN.search(h.sentence.text) or _DEEP_REGIONS.search(h.sentence.text)
                         for h in find(passages, _ACTIVATION, negatable=False)):
            return Suggestion(["fMRI"], [scans[0].evidence], ["inferred: brain activation scanned during a task"])
    if "other" in found and ("fMRI" in found or "MRS" in found):
        found["other"] = [h for h in found["other"] if not _PLAIN_MRI.fullmatch(h.evidence.text)]
    if "EEG" in found and "MEG" in found:
        # (a rhythm or an evoked response is the MEG's own in a study that records MEG)
        found["EEG"] = [h for h in found["EEG"] if _SCALP_RECORDING.search(h.evidence.text)]
    found = {value: hits for value, hits in found.items() if hits}
    return Suggestion(list(found), [hits[0].evidence for hits in found.values()])




_SYMPTOMS_ALONE = rx(r"\bsymptoms?\b|\b(?:anxiety|depression|depressive|mania|manic|panic|psychotic)\s+severity\b")
_MENTAL_SYMPTOMS = rx(r"\b(?:depressive|depression|anxiety|psychotic|negative|dissociative|PTSD|manic|obsessive|"
                      r"compulsive|schizophrenic|autistic|psychiatric)\s+symptoms?\b|\bsymptom\s+severity\b")
_GLOBAL_JUDGEMENT = rx(r"(?:global|overall)\b")
_EXPLICIT_SELF_REPORT = rx(r"self|questionnaire|diar|\bVAS\b|visual|patient|volunteer|participant|subject|inventory|"
                            r"quality\s+of\s+life")
# ("subjective symptoms as indexed with the Clinician Administered Dissociative States Scale" are the clinician's)
_SUBJECTIVE_SYMPTOMS = rx(r"subjective\s+symptoms\b")
# The negative and positive symptoms of psychosis are judged by a rater (PANSS, SANS), not told by
# the patient: named with no scale, they say nothing of a report.
_PSYCHOSIS_SYMPTOMS = rx(r"\b(?:negative|positive|psychotic)\s+symptoms?\b")


def cue_class(cls: str, text: str) -> str | None:
    """The class a cue of class `cls` gives the measure `text` names: none for a self-report cue
    on the symptoms of psychosis."""
    return None if cls == "self-report" and _PSYCHOSIS_SYMPTOMS.search(text) else cls


# A questionnaire, checklist or scale in a study of children is filled in by a parent or a teacher
# unless it is called a self-report: an observer's rating ("Developmental Behaviour Checklist").
_CHILD_PARTICIPANTS = rx(r"(?<![\d.,%/])\b(?:" + COUNT + r")\s+(?:[\w-]+\s+){0,3}?(?:children|boys|girls|toddlers|"
                         r"preschoolers)\b|\b(?:children|boys|girls|toddlers|preschoolers),?\s+(?:\(|with\b|aged\b|"
                         r"between\b|and\s+adolescents\b)")
_CARERS_OF = rx(r"\b(?:mothers|fathers|parents|caregivers|carers|families)\s+of\s+(?:[\w-]+\s+){0,3}$")
# (a visual analogue scale of itch or pain is the child's own)
_PROXY_INSTRUMENT = rx(r"questionnaire|checklist|inventory|(?<!analog\s)(?<!analogue\s)scale")
_SELF = rx(r"\bself")
# The study's measure named as the parents' ("using a parental questionnaire", "parents completed"):
# every score of it that is not called the child's own is theirs.
_PARENTS_MEASURE = rx(r"\b(?:parental|parent[- ](?:rated|reported|completed)|caregiver[- ](?:rated|reported))\s+"
                      r"(?:[\w-]+\s+){0,2}?(?:questionnaires?|checklists?|inventor(?:y|ies)|scales?|diar(?:y|ies))\b|"
                      r"\b(?:parents|caregivers)\s+(?:completed|filled\s+(?:in|out)|rated)\b")


def studies_children(passages: list[Passage]) -> bool:
    return any(not in_background(h) and not _CARERS_OF.search(h.passage.text, max(0, h.start - 50), h.start)
               for h in find(passages, _CHILD_PARTICIPANTS, negatable=False))


def parents_rate(passages: list[Passage]) -> bool:
    """Whether the study names its measure as the parents' ("using a parental questionnaire")."""
    return bool(find(passages, _PARENTS_MEASURE, negatable=False))


_BEHAVIOUR_OR_MIND = rx(r"\bbehavio|\banxi|\bdepress|\bmood\b|\birritab|\bagitat|\bhyperactiv|\bmental\b|\bpsychiatric\b|"
                       r"\bemotional\b|\bfears?\b")


def observed_in_a_child(text: str) -> bool:
    """Whether a self-report cue `text`, in a study of children, is behaviour or a mental symptom
    named with no report or rating of the child's own: an observer's, or nobody's said."""
    return bool(_BEHAVIOUR_OR_MIND.search(text)) and not _EXPLICIT_SELF_REPORT.search(text)


def filled_in_for_a_child(text: str) -> bool:
    """Whether a self-report cue `text`, in a study of children, is a questionnaire or scale a parent
    or teacher fills in: one not called a self-report."""
    return bool(_PROXY_INSTRUMENT.search(text)) and not _SELF.search(text)


def class_named(name: str) -> str | None:
    """The outcome class a measure's name says, if any (the first of OUTCOME_CLASS_PATTERNS)."""
    found = next((cls for cls, pattern in OUTCOME_CLASS_PATTERNS if pattern.search(name)), None)
    return cue_class(found, name) if found else None


# "Parents completed a questionnaire": a questionnaire a proxy fills in is an observer's rating.
_PROXY = rx(r"\b(?:parent|teacher|caregiver|mother|father)s?\b")
_OWN_REPORT = rx(r"self|patient|participant|subject")


def _by_proxy(hit: Hit) -> bool:
    return bool(_PROXY.search(hit.sentence.text)) and not _OWN_REPORT.search(hit.evidence.text)


# A test that selected or diagnosed the participants ("urodynamically confirmed overactivity",
# "allergy was characterized by skin tests", "COPD confirmed by spirometry") is no outcome.
_DIAGNOSED_BY_BEFORE = rx(r"\b(?:confirmed|diagnosed|characteri[sz]ed|documented|verified|proven|defined|selected|"
                          r"screened)\s+(?:by|with|on|using|through)\s+\(?(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}$")
_DIAGNOSED_AFTER = re.compile(r"(?:\w*ally\s+|-)(?:confirmed|diagnosed|documented|verified|proven)\b", re.IGNORECASE)


# An interview that diagnoses ("Autism Diagnostic Interview-Revised", "Structured Clinical Interview for
# DSM", "Mini International Neuropsychiatric Interview") or a confirmatory test ("confirmatory
# cystometrogram") decides who takes part: no outcome.
_DIAGNOSTIC_NAME_BEFORE = rx(r"\b(?:diagnostic|neuropsychiatric|structured\s+clinical|confirmatory)\s+$")


def _diagnostic(hit: Hit) -> bool:
    text = hit.passage.text
    return bool(_DIAGNOSED_BY_BEFORE.search(text, max(hit.sentence.start, hit.start - 60), hit.start)
                or _DIAGNOSED_AFTER.match(text, hit.start)
                or _DIAGNOSTIC_NAME_BEFORE.search(text, max(hit.sentence.start, hit.start - 30), hit.start))


# Screening as a service delivered ("blood pressure screening", "screening rates for endoscopy")
# is what clinicians or patients did, not a body measure taken for the study.
_SCREENING_DONE = rx(r"\bscreening\s+(?:rates?|behaviou?rs?|uptake|utili[sz]ation|participation|tests?|with|"
                     r"for|using)\b|^\s*screening\b|\b(?:being|were|was|get(?:ting)?)\s+screened\b")


# A level aimed at is a dose ("infusion (target plasma 100 ng/ml)"); one with a threshold is who may
# take part ("body mass index greater than 35", "BMI >= 30").
_TARGET_BEFORE = rx(r"\btarget(?:ed)?\b[^.;()]{0,30}$|\btarget\s*=\s*[\d.]+\s*\S+\s+$")
_THRESHOLD_AFTER = rx(r"^\W{0,3}(?:\([^()]{1,12}\)\s*)?(?:(?:was|were|is|are)\s+)?(?:(?:greater|less|more|higher|lower)\s+than|of\s+at\s+(?:least|most)|"
                      r"over|under|above|below|[<>\u2264\u2265]=?)\s*\d")


def _dose_or_criterion(hit: Hit) -> bool:
    text = hit.passage.text
    return bool(_TARGET_BEFORE.search(text, max(hit.sentence.start, hit.start - 40), hit.start)
                or _THRESHOLD_AFTER.search(text[hit.end:hit.end + 40]))


def _screening_service(hit: Hit) -> bool:
    after = hit.passage.text[hit.end:hit.end + 12]
    return bool(_SCREENING_DONE.search(after) or _SCREENING_DONE.search(hit.sentence.text))


# A result that found no change ("no clinically meaningful changes in ECG parameters") still
# measured what it names; "not by endoscopy" measured nothing.
_NO_CHANGE_BEFORE = rx(r"\b(?:no|not|nor|neither|without)\s+(?:[\w-]+\s+){0,3}?(?:changes?|differences?|effects?|"
                       r"alterations?|abnormalit\w+|shifts?|deteriorations?)\s+(?:were\s+(?:seen|found|observed)\s+)?"
                       r"(?:in|on|of|between|from)\s+(?:[\w-]+\s+){0,4}$")


# "no electrocardiographic or biochemical abnormalities": the measures found nothing abnormal.
_NO_FINDING_AFTER = rx(r"\w*(?:\s*,?\s+(?:or|and|nor)\s+[\w-]+)?\s+(?:evidence|changes?|abnormalit\w+|alterations?|"
                       r"differences?)\b")


def _negated_result(hit: Hit) -> bool:
    text = hit.passage.text
    return bool(_NO_CHANGE_BEFORE.search(text, max(hit.sentence.start, hit.start - 100), hit.start)
                or _NO_FINDING_AFTER.match(text, hit.start))


def outcome_classes(passages: list[Passage], instrument_classes: dict[str, list[Hit]],
                    drug_given: bool = False) -> Suggestion:
    found: dict[str, list[Hit]] = {}
    for value, pattern in (*OUTCOME_CLASS_PATTERNS, *_STUDY_CLASS_CUES):
        kept = {(h.passage.field, h.start) for h in find(passages, pattern)}
        if hits := [h for h in find(passages, pattern, negatable=False)
                    if _measured(h) and ((h.passage.field, h.start) in kept or _negated_result(h))]:
            found.setdefault(value, []).extend(hits)
    imaging = found.pop("neuroimaging", [])
    if brain := [h for h in imaging if brain_imaging(h)]:
        found["neuroimaging"] = brain
    elif imaging:  # the heart's perfusion, the lungs' structure: a body measure
        found.setdefault("physiological", []).extend(imaging)
    for value, hits in instrument_classes.items():
        if value == "neuroimaging" and value not in found and not (find(passages, _BRAIN_OR_SCAN, negatable=False)
                                                                   or find(passages, _BRAIN, negatable=False)):
            continue  # a paradigm named ("fearful faces") with no scan or brain in the text: a task only
        found.setdefault(value, []).extend(hits)
    given = {hit.evidence.text.lower() for hit in substances_given(passages)}
    for value in list(found):
        # (a substance the study gives, "cortisol (20 mg) or placebo", is not also a body measure)
        # (nor is what later studies are called on to measure: "studies with cytokine measurements are warranted")
        if not (outcome_hits := [h for h in found[value] if not _diagnostic(h) and h.evidence.text.lower() not in given
                                 and not trials_called_for(h)
                                 and not (value == "physiological" and (_screening_service(h) or _dose_or_criterion(h)))]):
            found.pop(value)
        else:
            found[value] = outcome_hits
    # "Symptoms were rated with the MADRS": a symptom word in a sentence naming a clinician's
    # rating is what the clinician rated, not a participant's report.
    # Symptoms an outcome names alone ("reduction of negative symptoms"), in a study whose rating
    # scale is a clinician's (PANSS, ABC), are what that scale measured. (A global judgement with no
    # rater named is no such scale.)
    rated = {(h.passage.field, h.sentence.start) for h in found.get("clinician-rated", [])}
    scale = any(not _GLOBAL_JUDGEMENT.match(h.evidence.text) for h in found.get("clinician-rated", []))
    if "self-report" in found:
        # (in a drug trial, psychiatric symptoms with no scale named may be a clinician's rating or the
        # patient's report: no class; a survey's are what its respondents reported)
        studies_mental_illness = drug_given and bool(find(passages, _MENTAL_SYMPTOMS, negatable=False))
        own = [h for h in found["self-report"] if ((h.passage.field, h.sentence.start) not in rated
               and not ((scale or studies_mental_illness) and (_SYMPTOMS_ALONE.search(h.evidence.text)
                                                                or _SUBJECTIVE_SYMPTOMS.match(h.passage.text, h.start)))
               and cue_class("self-report", h.evidence.text))
               or (_EXPLICIT_SELF_REPORT.search(h.evidence.text) and not _by_proxy(h)
                   and not _SUBJECTIVE_SYMPTOMS.match(h.passage.text, h.start))]
        if studies_children(passages):
            by_parents = parents_rate(passages)
            proxied = [h for h in own if (by_parents or filled_in_for_a_child(h.evidence.text))
                       and not _SELF.search(h.sentence.text)]
            # (a child's behaviour or mental symptoms named with no questionnaire or self-rating are what
            # an observer saw, or nobody says who: no report of the child's own)
            own = [h for h in own if h not in proxied and not observed_in_a_child(
                h.passage.text[max(h.sentence.start, h.start - 30):h.end])]
            if proxied:
                found.setdefault("clinician-rated", []).extend(proxied)
        found["self-report"] = own
        if not own:
            found.pop("self-report")
    ordered = [v for v in OUTCOME_CLASSES if v in found]
    return Suggestion(ordered, [found[v][0].evidence for v in ordered])
