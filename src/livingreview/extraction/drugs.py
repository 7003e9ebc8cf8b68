"""Drug rules: which named drugs are the study's own and which a comparator, the control arm, doses and routes.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass

from livingreview.extraction.design import FOOD_EFFECT_WORDS, PLACEBO, PLANNED_NEXT, UNTREATED_GROUP
from livingreview.extraction.lexicon import DrugMention, drug_mentions, is_known_word, one_edit
from livingreview.extraction.model import NOT_STATED, Suggestion
from livingreview.extraction.substances import SUBSTANCES_GIVEN, substances_given
from livingreview.extraction.passages import (ASSIGNMENT, BACKGROUND_SECTION, before_own_study, find, Hit, in_background,
                                              in_conclusions, Passage, rx, study_start, suggestion)
from livingreview.protocol.models import Protocol
from livingreview.screening.criteria import is_negated


@dataclass
class DrugReading:
    """Drug mentions of the passages, split into study drugs and an active comparator."""

    study: dict[str, list[Hit]] = dataclasses.field(default_factory=dict)
    comparator: dict[str, list[Hit]] = dataclasses.field(default_factory=dict)

    def names(self) -> set[str]:
        return {*self.study, *self.comparator}

    def hits(self, name: str) -> list[Hit]:
        """Every mention of drug `name`, as a study drug or as the comparator."""
        return self.study.get(name, []) + self.comparator.get(name, [])

    def drop(self, name: str) -> None:
        self.study.pop(name, None)
        self.comparator.pop(name, None)


_COMPARISON_CUE = rx(r"(?:\bversus|\bvs\.?|\bcompar(?:ed|ing|ison)\s+(?:with|to|against)|\brelative\s+to|"
                      r"\bthan|\bagainst|\b(?:active|positive)[- ](?:comparator|control|placebo|reference)(?:\s*\(|,|:)?"
                      r"|\bcontrol\s+(?:group\s+)?(?:received|receiving|given)|\bor)"
                      r"(?:\s+(?:with|the|a|an|that\s+of|those\s+of|oral|intravenous|intranasal|nasal|standard|usual|"
                      r"conventional|active|low-dose|high-dose|\d+(?:\.\d+)?\s*(?:mg|µg|mcg|g|ml|mg/kg)"
                      r"(?:/(?:kg|day|d))?)){0,3}\s*$")
_CONTROLLED = rx(r"-controlled\b")


def read_drugs(protocol: Protocol, passages: list[Passage], vocabulary: str,
               dropped: frozenset[str]) -> DrugReading:
    mentions = _mentions(protocol, passages, vocabulary, dropped)
    if not mentions:
        return DrugReading()
    reading = _sorted_by_arm(mentions)
    # A drug named only in the background (a labelled background, or the opening sentence of an
    # abstract whose title does not name it) is context, not a study drug.
    # A drug named once as what another drug turns into or derives from is measured, not given,
    # unless a mention gives it at a dose ("the enantiomers of cetirizine ... 10 mg cetirizine").
    # (Judged on all of a drug's mentions: a comparator named once in a background sentence is
    # still the comparator when its other mentions give it.)
    for name in reading.names():
        hits = reading.hits(name)
        if (_IMAGING_TRACER.search(name) or all(_context_only(hit) for hit in hits) or any(_probe(hit) for hit in hits)
                or (any(_derived(hit) for hit in hits) and not any(_at_a_dose(hit) for hit in hits))
                or _mostly_measured(hits)):
            reading.drop(name)
    # Beside a placebo arm, a drug every arm gets ("All participants received calcium 1000 mg/day")
    # is background wherever else it is named; without one, it may be what the control arm gets alone.
    if find(passages, PLACEBO):
        for name in reading.names() - {h.label for hs in reading.study.values() for h in hs
                                       if h.passage.field == "title"}:
            hits = reading.hits(name)
            if len(reading.names()) > 1 and (
                    any(_EVERY_ARM.search(_clause(hit)) and not _LATER_PHASE.search(hit.sentence.text) for hit in hits)
                    or all(_USUAL_CARE.search(hit.sentence.text) for hit in hits)):
                reading.drop(name)
    _drop_background_therapy(reading)
    _drop_what_participants_use(reading)
    _drop_the_operations_regimen(reading)
    _drop_the_parent_of_a_form_given(reading)
    _drop_an_active_placebo(passages, reading)
    # A drug named with a comparison cue anywhere is the comparator, all its mentions with it.
    for name in list(reading.study):
        if name in reading.comparator:
            reading.comparator[name].extend(reading.study.pop(name))
    return reading


def _drop_background_therapy(reading: DrugReading) -> None:
    """Drop what the study drug is added to: a drug the participants already take ("glycine added
    to clozapine", "maintained on stable doses of clozapine") is background therapy every arm
    shares, unless one of its mentions in the abstract gives it as an arm of its own."""
    names = reading.names()
    if len(names) < 2:
        return  # (nothing to add a single drug onto)
    for name in names:
        hits = reading.hits(name)
        # (the title or the aim may be the only place that says what is added to what; an arm named
        # "valproate + placebo" says it too)
        if not any(_ADDED_ONTO.search(_before(h, 60)) or _PLUS_PLACEBO.match(h.passage.text, h.end) for h in hits):
            continue
        own = _own_mentions(hits)
        if any(_STARTED_BY_THE_STUDY.match(h.passage.text, h.end) for h in own):
            continue  # ("placebo in addition to risperidone titrated up to 2 mg/day": both arms' study treatment)
        if all(_ADDED_ONTO.search(_before(h, 60)) or _ALREADY_TAKEN.search(_before(h, 40))
               or _TREATED_WITH_IT.match(h.passage.text, h.end) or _JOINED_TO_AN_ARM.match(h.passage.text, h.end)
               or _ENTRY_CRITERIA.search(h.sentence.text) for h in own):
            reading.drop(name)


def _drop_what_participants_use(reading: DrugReading) -> None:
    """Drop a recreational drug the study names only as what its participants use of their own accord
    ("frequent ketamine users", "indices of MDMA use"), or as what a drug's effects were likened to
    ("similarity to ethanol, cocaine, and marijuana"): it says who they are or what a scale asks, and
    nothing gives it to them. (A medicine's users, "aspirin users" of a cohort, are the exposure the
    study is about.)"""
    for name in reading.names() & _RECREATIONAL:
        own = _own_mentions(reading.hits(name))
        if own and all(_USE_AFTER.match(h.passage.text, h.end) or _USE_BEFORE.search(_before(h, 30))
                       or _LIKENED_TO.search(_before(h, 60)) for h in own):
            reading.drop(name)


# The anaesthesia or analgesia everyone has around an operation, which a study drug is added to:
# "Anesthesia was induced and maintained with sevoflurane in N2O/O2", "during anesthetic induction in
# the presence of fentanyl and etomidate", "analgesia was provided by patient-controlled intravenous
# sufentanil, supplemented by randomly assigned dexmedetomidine or placebo".
_REGIMEN_BEFORE = rx(r"(?:\b(?:an(?:a)?esthesia|analgesia|sedation)\s+(?:was|were)\s+(?:\w+\s+)?(?:induced|maintained|"
                     r"provided|achieved|performed|given)(?:\s+and\s+maintained)?\s+(?:with|by|using)|"
                     r"\bin\s+the\s+presence\s+of|\b(?:induction|maintenance)\s+of\s+an(?:a)?esthesia\s+(?:with|using|by))"
                     r"\s+(?:[\w()/-]+\s+(?:and\s+|in\s+|,\s*)?){0,4}$")
# ... a sentence that opens on it and assigns nothing ("Postoperative analgesia was performed with
# sufentanil 100 µg ..., and sufentanil was infused at 2 ml/h in both groups") ...
_REGIMEN_SENTENCE = rx(r"^\s*(?:[\w-]+\s+){0,2}?(?:an(?:a)?esthesia|analgesia|sedation)\s+(?:was|were)\s+(?:\w+\s+)?"
                       r"(?:induced|maintained|provided|achieved|performed|given)\b")
_ARMS_IN_SENTENCE = rx(r"\brandom|\bassigned\b|\ballocated\b|\bplacebo\b|\bversus\b|\bvs\b|\bor\b")
# ... and the anaesthetic a procedure is done under ("Dental Repair Under Sevoflurane General Anesthesia").
_UNDER_BEFORE = rx(r"\b(?:under|during|after|of)\s+(?:the\s+)?$")
_ANAESTHESIA_AFTER = rx(r"[\s-]+(?:general\s+)?an(?:a)?esthe(?:sia|tic)\b")


# The maintenance treatment the participants are in, named by it ("methadone maintenance programs",
# "methadone-maintained persons", "the 12 week buprenorphine protocol", "buprenorphine dosing days").
_MAINTENANCE_AFTER = rx(r"[\s-]+(?:maintenance|maintained|substitution|detoxification|detox|dosing|protocol|"
                        r"(?:treatment\s+)?(?:programs?|programmes?|clinics?|care))\b")


def _a_regimen_everyone_has(hit: Hit) -> bool:
    """Whether `hit` names the operation's anaesthesia or analgesia, or the maintenance treatment the
    participants are in."""
    sentence = hit.sentence.text
    return bool(_REGIMEN_BEFORE.search(_before(hit, 100))
                or (_REGIMEN_SENTENCE.match(sentence) and not _ARMS_IN_SENTENCE.search(sentence))
                or (_UNDER_BEFORE.search(_before(hit, 20)) and _ANAESTHESIA_AFTER.match(hit.passage.text, hit.end))
                or _MAINTENANCE_AFTER.match(hit.passage.text, hit.end))


def _named_only_as_a_regimen(hits: list[Hit]) -> bool:
    """Whether every mention of a drug, in the title and in the study's own account, names it as a
    regimen everyone has (and the account names it at all)."""
    if not any(_a_regimen_everyone_has(h) for h in hits):
        return False  # (the cheap test first: most drugs are named in no regimen at all)
    own = _own_mentions(hits)
    titles = [h for h in hits if h.passage.field == "title"]
    return bool(own) and all(_a_regimen_everyone_has(h) for h in own + titles)


def _drop_the_operations_regimen(reading: DrugReading) -> None:
    """Drop the anaesthetic and analgesic regimen of an operation, or the maintenance treatment, that
    every arm has, when a study drug of its own is given beside it."""
    regimen = {name for name in reading.names() if _named_only_as_a_regimen(reading.hits(name))}
    if reading.names() - regimen:
        for name in regimen:
            reading.drop(name)


# The racemate or parent compound of a form a study gives (its enantiomer, a prodrug, an analogue
# of the same class): "the effect of ketamine on affective reactivity" beside "S-ketamine infusions".
_PARENT_OF = {"esketamine": "ketamine", "arketamine": "ketamine", "dextroamphetamine": "amphetamine",
              "lisdexamfetamine": "amphetamine", "escitalopram": "citalopram", "dexmethylphenidate": "methylphenidate",
              "eszopiclone": "zopiclone", "levocetirizine": "cetirizine", "esomeprazole": "omeprazole",
              "armodafinil": "modafinil", "dexmedetomidine": "medetomidine", "levomilnacipran": "milnacipran",
              "5-meo-dmt": "dimethyltryptamine"}


def _drop_the_parent_of_a_form_given(reading: DrugReading) -> None:
    """Read the parent compound a study names beside the form it gives as that form, unless a mention
    gives the parent at a dose or sets it against the form. (Named as the comparator, the parent
    makes the form the comparator.)"""
    for form, parent in _PARENT_OF.items():
        if form in reading.names() and parent in reading.names() and not any(
                _at_a_dose(h) or _COMPARING_SENTENCE.search(h.sentence.text) for h in _own_mentions(reading.hits(parent))):
            if parent in reading.comparator:
                reading.comparator[form] = reading.hits(form) + reading.comparator[parent]
                reading.study.pop(form, None)
            reading.drop(parent)


# A substance given as an active placebo, named so or the one every psychedelic trial uses (niacin,
# which flushes the skin), in a placebo-controlled trial: the placebo arm, not a comparator.
_AS_ACTIVE_PLACEBO_AFTER = rx(r"\s*(?:\([^()]{0,30}\)\s*)?,?\s*(?:(?:was|were)\s+)?(?:(?:used|given|chosen|served)\s+)?"
                              r"(?:as\s+(?:an?\s+|the\s+)?|\(\s*(?:an?\s+)?)active\s+placebo\b")
_ACTIVE_PLACEBO_BEFORE = rx(r"\bactive\s+placebo\s*[(,:]?\s*(?:of\s+|with\s+)?$")
_KNOWN_ACTIVE_PLACEBOS = frozenset({"niacin"})


def _drop_an_active_placebo(passages: list[Passage], reading: DrugReading) -> None:
    if not find(passages, PLACEBO) or len(reading.names()) < 2:
        return
    for name in list(reading.names()):
        if name in _KNOWN_ACTIVE_PLACEBOS or any(_AS_ACTIVE_PLACEBO_AFTER.match(h.passage.text, h.end)
                                                 or _ACTIVE_PLACEBO_BEFORE.search(_before(h, 30)) for h in reading.hits(name)):
            reading.drop(name)


def _own_mentions(hits: list[Hit]) -> list[Hit]:
    """The mentions in the abstract's own account of its study (not the title, not context)."""
    return [h for h in hits if h.passage.field != "title" and not _context_only(h)]


_RECREATIONAL = frozenset({"ketamine", "mdma", "cannabis", "medical cannabis", "cocaine", "methamphetamine",
                           "amphetamine", "heroin", "alcohol", "ethanol", "nicotine", "lsd", "psilocybin",
                           "dimethyltryptamine", "ayahuasca", "mescaline", "gamma-hydroxybutyrate"})
_USE_AFTER = rx(r"[\s-]+(?:users?|use|using|abusers?|abuse|misuse|smokers?|consumers?|consumption|self-administration|"
                r"dependence|dependent|cessation|abstinence|withdrawal|sativa)\b")
# (also what a drug given comes from: "a compound found in marijuana", "a component of the Cannabis plant")
# (and what they crave: "craving for heroin")
_USE_BEFORE = rx(r"\b(?:use|users?|abuse|misuse|consumption|self-administration)\s+of\s+$|"
                 r"\b(?:cravings?|desire|urges?)\s+(?:for|to\s+use)\s+$|"
                 r"\b(?:found|present)\s+in\s+$|\b(?:component|constituent|compound)\s+of\s+(?:the\s+)?$")
# ("degree of similarity to ethanol, cocaine, and marijuana", "more like ethanol than marijuana or cocaine")
_LIKENED_TO = rx(r"\bsimilar(?:ity)?\s+to\s+(?:[\w-]+,?\s+(?:and\s+|or\s+)?){0,3}$|"
                 r"\b(?:more|less)\s+like\s+(?:[\w-]+\s+than\s+(?:[\w-]+\s+(?:or|and)\s+)?)?$")


# What a study drug is added onto: "added to (their stable doses of) X", "adding d-serine to X",
# "an adjunct to the atypical antipsychotic X", "augmentation of X", "in addition to X",
# "maintained on optimal doses of X".
_ADDED_ONTO = rx(r"\b(?:(?:added|adding|add-on)\s+(?:[\w-]+\s+){0,3}?to|adjunct(?:ive)?\s+(?:treatment\s+|therapy\s+)?to|augmentation\s+of|"
                 r"augment(?:s|ing)?(?:\s+the\s+effects?\s+of)?|"
                 r"in\s+addition\s+to|maintained\s+on)\s+(?:(?:the|their|his|her|a|an|stable|optimal|ongoing|current|"
                 r"existing|usual|regular|doses?|of|atypical|typical|antipsychotic|antidepressant|neuroleptic|"
                 r"medication|treatment|with)\s+){0,5}$")
# Other words for a drug people are on: "patients receiving X", "taking X", "X-treated patients",
# "placebo plus X", "co-administered with X".
_ALREADY_TAKEN = rx(r"\b(?:receiving|taking|on|plus|with|co-?administered\s+with|combined\s+with)\s+"
                    r"(?:(?:a|an|their|stable|concurrent|ongoing|current|doses?|of)\s+){0,4}$")
# A sentence setting who may enter names what they already take ("Inclusion criteria comprised ...
# and treatment with 100-150 mg of quetiapine").
_ENTRY_CRITERIA = rx(r"\binclusion\s+criteri|\beligib(?:le|ility)\b|\bwere\s+included\s+if\b")
# Both arms named by what they add to it: "the valproate + melatonin group", "the valproate + placebo group".
_PLUS_PLACEBO = rx(r"\s*(?:\+|plus)\s*(?:add-on\s+)?placebo\b")
_JOINED_TO_AN_ARM = rx(r"\s*(?:\+|plus)\s*(?:add-on\s+)?[\w-]+\s+(?:group|arm)\b")
_TREATED_WITH_IT = rx(r"-(?:treated|maintained)\b|\s+(?:treatment|therapy|regimens?|monotherapy)\b")
_STARTED_BY_THE_STUDY = rx(r"\s+(?:was\s+|were\s+)?(?:titrated|started|initiated)\b")


# The radiolabelled agents of a scan are how it images, never what a trial gives to treat.
_IMAGING_TRACER = re.compile(r"technetium|tc99m|exametazime|sestamibi|fludeoxyglucose|fluorodeoxyglucose|raclopride|"
                             r"ioflupane|florbetapir|florbetaben|flutemetamol")


def _mentions(protocol: Protocol, passages: list[Passage], vocabulary: str,
              dropped: frozenset[str]) -> list[tuple[Passage, DrugMention]]:
    """Every drug mention of the passages in reading order, with drugs the dictionary lacks and
    abbreviations; negated ones left out."""
    mentions: list[tuple[Passage, DrugMention]] = []
    for passage in passages:
        mentions.extend((passage, m) for m in drug_mentions(protocol, passage.text, vocabulary, dropped))
    mentions = _with_abbreviations(passages, _with_unlisted(passages, _with_substances_given(passages, mentions)))
    # "aspirin (acetylsalicylic acid)": the drug's other name in brackets is the same mention.
    mentions = [(p, m) for i, (p, m) in enumerate(mentions)
                if not (i and mentions[i - 1][0] is p and mentions[i - 1][1].name == m.name
                        and re.fullmatch(r"\s*\(\s*", p.text[mentions[i - 1][1].end:m.start]))]
    return [(p, m) for p, m in mentions if not m.negated]


def _sorted_by_arm(mentions: list[tuple[Passage, DrugMention]]) -> DrugReading:
    """Each mention as the study's own drug or a comparator, by the words around it."""
    reading = DrugReading()
    # The drug named first (in the title when there is one) is under study, whatever follows.
    first = mentions[0][1].name
    protocol_drugs = {m.name for _, m in mentions if m.in_protocol}
    first_in_sentence: dict[tuple[str, int], str] = {}
    for passage, mention in mentions:
        first_in_sentence.setdefault((passage.field, passage.sentence_of(mention.start).start), mention.name)
    # The drugs of one fixed-dose combination ("Climodien": estradiol and dienogest) share one arm.
    combined = {(passage.field, mention.start) for (passage, mention), (other, after) in zip(mentions, mentions[1:])
                if passage is other and mention.start == after.start}
    for passage, mention in mentions:
        hit = Hit(passage, mention.start, mention.end, mention.name)
        leader = first_in_sentence[(passage.field, passage.sentence_of(mention.start).start)]
        if ((mention.name != first or _AFTER_A_TREATMENT.search(passage.text, passage.sentence_of(mention.start).start,
                                                                 mention.start))
                and mention.name not in protocol_drugs and (passage.field, mention.start) not in combined
                and _is_comparator(passage, mention, leader)):
            reading.comparator.setdefault(mention.name, []).append(hit)
        else:
            reading.study.setdefault(mention.name, []).append(hit)
    return reading


# "hormone replacement or calcium supplementation": a drug set against a treatment the dictionary
# does not name is the comparison arm's, though it is the first drug named.
_AFTER_A_TREATMENT = rx(r"\b(?:therapy|treatment|replacement|training|exercise|education|surgery|programme|program)\s+"
                        r"(?:\([^()]{1,12}\)\s+)?(?:or|versus|vs\.?|compared\s+(?:with|to))\s+$")


# Drugs the dictionary does not list yet (new compounds, code names) are named with their dose:
# "alniditan 1.4 mg", "40 mg of XR-2291". A word counts only with a drug-name stem or the shape of
# a code name.
_DRUG_STEM = (r"(?i:[a-z]+(?:triptan|ditan|gepant|setron|oxacin|cillin|mycin|azole|tidine|prazole|olol|pril|sartan|statin|"
              r"dipine|afil|coxib|profen|fenac|lukast|tadine|izine|astine|azepam|azolam|caine|dronate|gliptin|"
              r"glitazone|mab|tinib|ciclovir|navir|terol|gestrel|oxetine|pramine|triptyline|peridol|apine|idone))"
              r"|[A-Z]{1,4}-?\d{2,6}[A-Z]?|\d{3}C\d{2}")
# (The dose may be a list of amounts sharing one unit: "XX-123 (20, 60 or 200 mg)".)
_UNLISTED = re.compile(rf"(?<![\w-])(?P<before>{_DRUG_STEM})(?=\s*,?\s*\(?\s*\d+(?:\.\d+)?"
                       rf"(?:\s*(?:,|,?\s*or|,?\s*and|-|to)\s*\d+(?:\.\d+)?)*\s*-?\s*(?i:mg|µg|mcg|micrograms?)\b)|"
                       rf"\d+(?:\.\d+)?\s*-?\s*(?i:mg|µg|mcg|micrograms?)(?:\s*/\s*kg|\s+kg-1)?"
                       rf"\s+(?:(?i:tablets?|capsules?|doses?)\s+)?(?:of\s+)?(?P<after>{_DRUG_STEM})(?![\w-])")


def _with_unlisted(passages: list[Passage], mentions: list[tuple[Passage, DrugMention]]
                   ) -> list[tuple[Passage, DrugMention]]:
    """The mentions, with every use of a drug name the dictionary lacks but a dose reveals."""
    taken = {(id(p), m.start) for p, m in mentions}
    names = {word.lower() for passage in passages for match in _UNLISTED.finditer(passage.text)
             if not is_known_word(word := match.group("before") or match.group("after"))}
    if not names:
        return mentions
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in sorted(names)) + r")(?![\w-])", re.IGNORECASE)
    uses = [(passage, match) for passage in passages for match in pattern.finditer(passage.text)]
    # One name misspelt once ("alnditan" beside "alniditan") is the name written more often.
    counts = {name: sum(m.group().lower() == name for _, m in uses) for name in names}
    spelled = {name: max((n for n in names if n == name or one_edit(name, n)), key=lambda n: (counts[n], n))
               for name in names}
    found = list(mentions)
    for passage, match in uses:
        if (id(passage), match.start()) not in taken:
            found.append((passage, DrugMention(spelled[match.group().lower()], match.start(), match.end(), match.group(),
                                               is_negated(passage.text, match.start(), match.end()), False, None)))
    return _in_reading_order(passages, found)


def _with_substances_given(passages: list[Passage], mentions: list[tuple[Passage, DrugMention]]
                           ) -> list[tuple[Passage, DrugMention]]:
    """The mentions, with each substance of SUBSTANCES_GIVEN where the study gives it."""
    found = list(mentions)
    for hit in substances_given(passages):
        if not before_own_study(hit) or hit.passage.field == "title":
            name = SUBSTANCES_GIVEN[hit.evidence.text.lower()]
            found.append((hit.passage, DrugMention(name, hit.start, hit.end, hit.evidence.text, False, False, None)))
    return _in_reading_order(passages, found)


def _in_reading_order(passages: list[Passage], mentions: list[tuple[Passage, DrugMention]]
                      ) -> list[tuple[Passage, DrugMention]]:
    """Mentions by passage, then by start (the longer first at one start)."""
    order = {id(p): i for i, p in enumerate(passages)}
    return sorted(mentions, key=lambda pm: (order[id(pm[0])], pm[1].start, -pm[1].end))


# "medroxyprogesterone acetate (MPA)": an abbreviation defined after a drug's name, which later
# sentences (the arms, the results) often use alone.
_ABBREVIATION_AFTER = re.compile(r"\s*\(\s*([A-Z][A-Za-z0-9-]{1,7})\s*[);,]")


def _with_abbreviations(passages: list[Passage], mentions: list[tuple[Passage, DrugMention]]
                        ) -> list[tuple[Passage, DrugMention]]:
    """The mentions, with those of each drug abbreviation the passages define."""
    defined: dict[str, DrugMention] = {}
    definitions: set[tuple[int, int]] = set()
    for passage, mention in mentions:
        match = _ABBREVIATION_AFTER.match(passage.text, mention.end)
        if match and sum(c.isupper() for c in match.group(1)) >= 2 and match.group(1).lower() != mention.text.lower():
            defined.setdefault(match.group(1), mention)
            definitions.add((id(passage), match.start(1)))
    if not defined:
        return mentions
    found = list(mentions)
    for abbreviation, named in defined.items():
        pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(abbreviation)}(?![A-Za-z0-9])")
        for passage in passages:
            taken = [(m.start, m.end) for p, m in mentions if p is passage]
            for match in pattern.finditer(passage.text):
                if any(start <= match.start() < end for start, end in taken) or (id(passage), match.start()) in definitions:
                    continue
                found.append((passage, dataclasses.replace(
                    named, start=match.start(), end=match.end(), text=match.group(),
                    negated=is_negated(passage.text, match.start(), match.end()))))
    return _in_reading_order(passages, found)


# A sentence that sets drugs against each other: its drugs after the first are comparators.
_COMPARING_SENTENCE = rx(r"\bcompar\w*|\bversus\b|\bvs\b|\beither\b|\bhead[- ]to[- ]head\b|"
                         r"\brandomi[sz]ed\s+to\b|\bassigned\s+to\b|\ballocated\s+to\b")


# A drug named as a provocation ("nitroglycerin-induced attacks", "induction of ... by the motilin
# agonist erythromycin") or as what another drug derives from or turns into ("the R-enantiomer of
# cetirizine", "its metabolite, fexofenadine"), or only as what the body holds ("salivary
# testosterone levels"), is not given as a study drug.
_PROVOKED_AFTER = re.compile(r"[-\s]?(?:\([^()]{1,12}\)[-\s]?)?(?:induced|provoked|evoked|challenge|"
                             r"(?:skin\s+|prick\s+|patch\s+)?tests?)\b|"
                             r"-?(?:sensitive|intolerant|intolerance|allergic|allergy|hypersensitive|exacerbated)\b|"
                             # the harm a drug did or the model it made: "paracetamol overdose", "OXA colitis"
                             r"(?:\s*\([^()]{1,12}\))?[-\s](?:toxicity|poisoning|overdoses?|intoxication|abuse|misuse|dependence|dermatitis|"
                             r"colitis|hepatitis|nephropathy)\b|"
                             r"(?:\s*\([^()]{1,12}\))?(?:\s*(?:,\s*and|,|and)\s*[\w-]+){0,4}\s+(?:levels?|concentrations?|receptors?|secretion|"
                             r"alterations|abnormalities|disturbances|deficienc(?:y|ies)|"
                             r"synthesis|production|status|intake|consumption|requirements?|excretion|absorption|metabolism|homeostasis|balance|"
                             r"channels?|(?:channel\s+)?(?:blockers?|antagonists?))\b|[-/](?:creatinine|channel)\b|"
                             r"(?:\s*(?:,|and)\s*[\w-]+){0,4}\s+(?:serum|plasma|blood|urinary)\s+(?:levels?|concentrations?)\b|"
                             # reported with measured values ("E1: baseline 18.8 pg/ml")
                             r"[^.;]{0,30}?\d+(?:\.\d+)?\s*(?:pg|ng|nmol|pmol|µmol|µg|mg)\s*/\s*(?:ml|l|dl)\b|"
                             r"\s+use\b(?=[^.;]{0,40}\b(?:allowed|permitted)\b)|\s+usage\b|"
                             # a rescue drug's use counted as an outcome ("ibuprofen use was reported by fewer")
                             r"\s+use\s+(?:was|were)\s+(?:(?:reported|recorded|measured|assessed|lower|higher|less|more|"
                             r"reduced|similar)\b)|"
                             # a receptor subtype named for it ("the vasopressin 1A receptors")
                             r"[-\s](?=\w{0,3}\d)\w{1,4}\s+receptors?\b|"
                             # an enzyme named for it ("creatine kinase"), or its class ("a sulfonamide derivative, X")
                             r"\s+(?:kinase|synthase|derivatives?|analogues?|analogs?)\b|"
                             # ("the tetracycline antibiotic minocycline")
                             r"\s+antibiotic\s+(?!(?:treatment|therapy|prophylaxis|use|resistance|courses?|regimens?)\b)(?=[a-z])|"
                             # the tracer of a scan ("DMSA renography", "sestamibi scintigraphy")
                             r"(?:\s*\([^()]{1,12}\))?[-\s](?:renography|renogram|scintigraphy|scintigram|scans?|scanning)\b|"
                             # what a test measures: a ratio of two markers, the sugars of a permeability test
                             r"(?:\s*/\s*[\w-]+)?\s+ratios?\b|(?:\s*,?\s*(?:and\s+)?[\w-]+){0,4}\s*,?\s+to\s+(?:evaluate|assess|measure|"
                             r"estimate|determine|test)\s+(?:[\w-]+\s*,?\s*(?:and\s+)?){0,4}(?:permeability|absorption|clearance|"
                             r"filtration|transit|emptying)\b",
                             re.IGNORECASE)
_NOT_GIVEN_BEFORE = rx(r"(?:\bequivalent\s+to\s+(?:[\d.]+\s*(?:mg|µg|mcg|g)\s+(?:of\s+)?)?|"
                        # (also a list of what was measured in it: "serum lipids, PTH, calcitonin")
                        r"\b(?:serum|plasma|urinary|urine|salivary|dietary|ionized|ionised|intracellular|"
                        r"circulating|endogenous)\s+(?:[\w-]+\s*(?:\([^()]{1,12}\))?\s*,\s*){0,4}|\b(?:induc\w*|provo\w*|challenge\w*)\b[^.;]{0,40}?\bby\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,3}\(?|"
                        r"\bcaused\s+by\s+(?:the\s+|a\s+)?|"
                        # a level that changed: "a small increase of testosterone and estradiol"
                        r"\b(?:increases?|decreases?|rises?|falls?|reductions?|elevations?)\s+(?:of|in)\s+(?:serum\s+|plasma\s+)?"
                        r"(?:[\w-]+\s*(?:,|and)\s*){0,3}|"
                        # what people cannot take, how they metabolise, what is measured in them,
                        # what the study drug is added to, and other members of its class
                        r"\b(?:intoleran\w*|allerg\w*|hypersensitiv\w*|sensitivity)\s+(?:to|of)\s+|"
                        r"\bmetaboli[sz]ers?\s+of\s+|\b(?:irrespective|regardless|independent(?:ly)?)\s+of\s+|"
                        # a drug that types people's metabolism, or premedication against the study drug's reactions
                        r"\bphenotyp\w*\s+(?:with|by|using)\s+(?:the\s+)?|"
                        r"\bpre-?medicat\w*\s+(?:with\s+)?\(?(?:[\w-]+\s*(?:,\s*|\s+and\s+|\s+or\s+))*|"
                        # a subgroup by what people took alongside, a marker that measures
                        r"\b(?:patients|participants|subjects|those|women|men)\s+(?:who\s+(?:were\s+)?(?:taking|using|used)|"
                        r"(?:not\s+)?(?:taking|using))\s+(?:[\w-]+\s+){0,2}|\b(?:measured|assessed|determined|estimated)\s+(?:by|with|using)\s+(?:the\s+)?|\badd-?on\s+(?:to|with)\s+(?:[\w-]+\s+){0,2}|"
                        r"\b(?:concentrations?|(?<!dose\s)(?<!dosage\s)levels?)\s+of\s+(?:(?:serum|plasma|total|free)\s+)?"
                        r"(?:[\w-]+(?:\s*\([^()]{1,12}\))?(?:\s+[\w-]+(?:\s*\([^()]{1,12}\))?){0,2}\s*(?:,|and|or)\s*){0,8}\(?|"
                        # what a spectroscopy scan measures a metabolite against ("referenced to creatine")
                        r"\breferenced\s+to\s+|"
                        # a list of what a study measured ("spectroscopy outcome measures were myoinositol (mI), ...")
                        r"\bmeasures\s+(?:were|included|comprised)\s+(?:the\s+)?(?:[\w-]+\s*(?:\([^()]{1,12}\))?\s*(?:,|and|or)\s*){0,4}|"
                        r"(?:\b(?:other|older)\s+(?:[\w-]+\s+){0,3}(?:such\s+as|including|like|e\.g\.,?)|"
                        r"\b[\w-]+s\)?,?\s+(?:such\s+as|e\.g\.,?))\s+"
                        r"(?:[\w-]+\s*(?:\([^()]{1,30}\))?\s*(?:,\s*|\s+and\s+|\s+or\s+)){0,3}|"
                        r"\b(?:challenge|provocation)\s+(?:with|by)\s+(?:[\w-]+\s+){0,2}|"
                        r"\b(?:properties|potency|potent|affinity|selectivity|selective|half-life|penetration|"
                        r"lipophilic\w*)\b[^.;]{0,40}\bthan\s+(?:the\s+|that\s+of\s+)?)$")
_DERIVED_BEFORE = rx(r"\b(?:enantiomer|isomer|metabolite|derivative|analogue|analog|prodrug)s?\s*(?:of\s+|,\s*)"
                      r"(?:the\s+)?(?:[\w-]+\s+){0,2}$|"
                      # "loratadine and its active metabolite descarboethoxyloratadine"
                      r"\b(?:its|their|the)\s+(?:[\w-]+\s+){0,2}metabolites?\s+$")


def _before(hit: Hit, width: int = 80) -> str:
    return hit.passage.text[max(hit.passage.sentence_of(hit.start).start, hit.start - width):hit.start]


# A radiolabelled tracer ("PET with [11C]raclopride", "18F-fluorodeoxyglucose") or a substance listed
# as what is measured ("hormone secretion (cortisol, estradiol and leptin)") is not a study drug.
_MEASURED_BEFORE = rx(r"(?:\[\s*)?\b\d{1,3}m?\s*(?:C|F|I|O|N|Tc|Ga|In)\s*\]?\s*-?\s*$|\b(?:Tc|Ga|In|I|F|C)-?\d{1,3}m?\s*-?\s*$|"
                      r"\b(?:secretion|levels|concentrations|hormones|markers)\s*\([^()]{0,80}$")


# What a placebo is made of ("identical capsules containing mannitol only") is not given as a drug.
_PLACEBO_CONTENT_BEFORE = rx(r"\bplacebo\b[^.;]{0,60}\b(?:contain(?:ing|ed|s)?|consist(?:ing|ed|s)\s+of|made\s+(?:up\s+)?of|"
                              r"filled\s+with)\s+(?:only\s+)?(?:[\w-]+\s+){0,2}$")


def _not_given(hit: Hit) -> bool:
    before = _before(hit, 160)  # (a list of what was measured can be long)
    return bool(_PROVOKED_AFTER.match(hit.passage.text, hit.end) or _NOT_GIVEN_BEFORE.search(before)
                or _MEASURED_BEFORE.search(before) or _PLACEBO_CONTENT_BEFORE.search(before))


# What the body releases or how a system of it responds ("MDMA induces oxytocin release", "the
# oxytocin response after MDMA", "a marker for oxytocin").
_RELEASED_AFTER = rx(r"\s+(?:release[sd]?|responses?|signall?ing|system)\b")
_MARKER_OF_BEFORE = rx(r"\b(?:markers?|surrogates?|proxy|index)\s+(?:for|of)\s+$")


def _measured_only(hit: Hit) -> bool:
    return bool(_not_given(hit) or _RELEASED_AFTER.match(hit.passage.text, hit.end)
                or _MARKER_OF_BEFORE.search(_before(hit, 40)))


# Words that give a drug: "took X", "an infusion of X", "intranasal X", "X or placebo", "X tablets".
_GIVEN_BEFORE = rx(r"\b(?:took|take|taking|given|received|receiving|administered|administration\s+of|infusions?\s+of|"
                   r"consumed|consuming|drank|drinking|ingested|ingesting|effects?\s+of|"
                   r"injections?\s+of|doses?\s+of|treated\s+with|treatment\s+with|intranasal|oral|intravenous|"
                   r"inhaled|subcutaneous)\s+(?:an?\s+|the\s+|single\s+|acute\s+)*$")
_GIVEN_AFTER = rx(r"\s*(?:or|versus|vs\.?)\s+(?:a\s+)?placebo\b|\s+(?:administration|infusions?|injections?|treatment|"
                  r"tablets?|capsules?|spray|pretreatment|challenge)\b")


def _mostly_measured(hits: list[Hit]) -> bool:
    """A substance the study measures (two mentions or more) and names otherwise at most once, never
    as given: the body's own, not a study drug."""
    measured = [h for h in hits if _measured_only(h)]
    if len(measured) < 2:
        return False  # (most drugs: the other checks need not run)
    rest = [h for h in hits if h not in measured and not _context_only(h)]
    return len(rest) <= 1 and not any(_at_a_dose(h) or _GIVEN_BEFORE.search(_before(h, 40))
                                      or _GIVEN_AFTER.match(h.passage.text, h.end) for h in hits)


def _derived(hit: Hit) -> bool:
    return bool(_DERIVED_BEFORE.search(_before(hit)))


# "the probe drugs caffeine, debrisoquine and omeprazole": drugs given to read an enzyme's
# activity in a drug-interaction or phenotyping study are test agents wherever else they appear.
_PROBE_BEFORE = rx(r"\bprobes?\s+(?:drugs?|substrates?|compounds?|agents?)\s*[(:,]?\s*"
                   r"(?:[\w-]+\s*(?:\([^()]{1,20}\))?\s*(?:,\s*(?:and\s+)?|\s+and\s+)){0,4}$")


def _probe(hit: Hit) -> bool:
    return bool(_PROBE_BEFORE.search(_before(hit)))


_DOSE_BEFORE = rx(r"\b\d+(?:\.\d+)?\s*-?\s*(?:mg|µg|mcg|g|micrograms?)\s+(?:of\s+)?$")


def _at_a_dose(hit: Hit) -> bool:
    """Whether the mention gives the drug with its amount ("cetirizine 10 mg", "10 mg of cetirizine")."""
    return bool(_DOSE_AFTER.match(hit.passage.text, hit.end) or _DOSE_BEFORE.search(_before(hit, 20)))


def _context_only(hit: Hit) -> bool:
    if _not_given(hit):
        return True
    if hit.passage.field == "title":
        return False
    # (a drug named only in the conclusions is discussed: "than the full agonists, glycine and D-serine")
    if in_background(hit) or in_conclusions(hit) or _not_the_studys_use(hit.sentence.text):
        return True
    return hit.start < study_start(hit.passage)


# A sentence that gives something to every arm alike.
_EVERY_ARM = rx(r"\ball\s+(?:the\s+)?(?:patients|participants|subjects|women|men|volunteers|children|groups|arms)\b"
                r"[^.;]{0,40}?\b(?:received|took|were\s+(?:given|supplemented))\b|"
                r"\b(?:both|all|each)\s+(?:\w+\s+)?(?:groups?|arms?)\s+(?:also\s+|additionally\s+)?(?:received|took|"
                r"were\s+(?:given|supplemented))\b|"
                r"\b(?:given|administered|provided|supplemented)\b[^.;]{0,80}\bin\s+(?:both|all|each)\s+(?:\w+\s+)?(?:groups|arms)\b")


# The participants' own usual medicines, named only where the abstract says so ("treated a first
# attack with a nontriptan standard care medication: a mixture containing phenazone ..."): beside a
# placebo arm, not what the trial compares.
_USUAL_CARE = rx(r"\b(?:standard|usual)[- ]care\s+(?:medications?|treatments?|therapy|drugs?)\b|"
                 r"\bdepending\s+on\s+their\s+(?:habits|usual)\b|\btheir\s+usual\s+(?:medications?|treatments?)\b")
# ("followed by an open-label phase in which all patients received X": a phase of the study, not background)
_LATER_PHASE = rx(r"\bopen\b|\bextension\b|\bphase\b|\bfollowed\s+by\b")


# A sentence about drugs people may not take, took before, or take only for rescue.
_NOT_THE_STUDYS_USE = rx(r"\bexclu(?:ded|sion)\b|\bineligible\b|\bnot\s+(?:allowed|permitted)\b|\bprohibited\b|"
                          r"\brescue\b|\bwithdrawn\s+from\b|"
                          # (a history of the drug's use, not "a history of migraine": who the participants are)
                          r"\bhistory\s+of\s+(?:[\w-]+\s+){0,3}?(?:use|users?|treatment|therapy|exposure|medications?|intake|"
                          r"abuse|dependence|hypersensitivity|allerg\w*|intoleran\w*|reactions?)\b|"
                          # medication allowed alongside, given to every arm, or another trial's arms
                          r"\b(?:was|were)\s+(?:allowed|permitted)\b(?!\s+to\s+(?:treat|take|use)\b)|\ball\s+(?:the\s+)?(?:patients|participants|subjects|"
                          r"women|men|volunteers|children|groups|arms)\s+(?:also\s+|additionally\s+)?(?:received|took|"
                          r"were\s+(?:given|supplemented))\b|\b(?:both|each)\s+(?:\w+\s+)?(?:groups?|arms?)\s+"
                          r"(?:also\s+|additionally\s+)?(?:received|took|were\s+(?:given|supplemented))\b|"
                          r"\bin\s+addition\s+to\s+(?:receiving\s+)?(?:the|their)\s+"
                          r"(?:assigned|allocated|randomi[sz]ed|study)\b|\b(?:consistent|in\s+(?:line|agreement|keeping))\s+"
                          r"with\s+(?:that\s+of\s+|those\s+of\s+)?(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}"
                          r"(?:trials?|stud(?:y|ies)|meta-analys[ie]s)\b|\bagrees?\s+with\b|"
                          r"\b(?:is|are)\s+recommended\b|\bpreviously\s+(?:obtained|reported|published|shown|observed|described|found)\b|"
                          r"\b(?:obtained|reported|published|shown|observed|described)\s+previously\b|\b(?:similar|comparable)\s+to\s+(?:that|those)\s+(?:reported|observed|seen|found)\b|\bshould\s+be\s+(?:given|used|prescribed|considered|added)\b|\bprevious\s+(?:\w+\s+){0,2}(?:trials?|stud(?:y|ies)|reports?|administration)\b|"
                          # another trial the results are set beside ("as large as in a multisite methylphenidate trial")
                          r"\bas\s+\w+\s+as\s+(?:that\s+|those\s+)?(?:in|of|from)\s+(?:an?|the)\s+(?:[\w-]+\s+){0,4}(?:trials?|stud(?:y|ies))\b")


# A washout of what people took before the study, unless the sentence is about a crossover's
# periods ("a crossover study ... separated by a 7-day washout"): then the washout is its own.
_WASHOUT = rx(r"\bwash-?out\b(?!\s+(?:(?:period|phase|interval|weeks?|days?)\s+)?(?:of|between|lasting))")
_CROSSOVER_WORD = rx(r"\bcross-?over\b|\bperiods\b")
# ... or about the study's own washout after treatment ("for 20 weeks, followed by a 4-week washout").
_WASHOUT_AFTER_TREATMENT = rx(r"\b(?:followed\s+by|then|with)\s+an?\s+(?:\d+|one|two|three|four|six|eight)[- ]"
                              r"(?:day|week|month)\s+wash-?out\b")


def _not_the_studys_use(sentence: str) -> bool:
    """Whether a sentence speaks of drugs outside the study's own use."""
    return bool(_NOT_THE_STUDYS_USE.search(sentence)
                or (_WASHOUT.search(sentence) and not _CROSSOVER_WORD.search(sentence)
                    and not _WASHOUT_AFTER_TREATMENT.search(sentence)))


# A drug given together with the study drug is part of its arm ("aspirin combined with
# metoclopramide", "X plus Y"), not what the arm is compared with.
_CO_INTERVENTION = rx(r"(?:\b(?:combined|combination|together|along|co-?administered|coupled|concomitantly)\s+with|\bplus|\+|"
                       r"\b(?:in\s+addition|adjunct(?:ive)?|adjuvant|added)\s+to|\bon\s+top\s+of|"
                       r"[\w)]/(?=[\d.]+\s*(?:mg|µg|mcg|g)\b))"
                       r"\s*(?:\(?\s*)?(?:(?!(?:or|versus|vs)\b)[\w.]+\s+(?:of\s+)?){0,3}$")


_LISTED_AGAINST_PLACEBO = re.compile(r"[\w)]\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?$")
_PLACEBO_AFTER = rx(r"(?:(?!\bor\b)[^.;])*?(?:compar\w*\s+(?:with|to)|versus|vs\.?|against)\s+(?:a\s+|the\s+)?"
                     r"(?:matching\s+|identical\s+)?placebo")


# "Triprolidine, used as a positive control, ...", "with X as an active comparator": a comparator arm by name.
_AS_CONTROL_AFTER = rx(r"[\s,]*(?:\([^()]{0,30}\)\s*,?\s*)?(?:(?:was|were|is)\s+)?(?:(?:used|included|given|served|chosen)\s+)?as\s+"
                       r"(?:an?\s+|the\s+)?(?:positive|active)\s+(?:control|comparator|reference)")


# "the mepyramine control (10 µg)", "sole calcium supplementation": the control arm by name.
_THE_DRUG_CONTROL = (rx(r"\b(?:the|a)\s+$"), rx(r"\s+control\b(?!\s+(?:of|over|for|in)\b)"))
_SOLE_BEFORE = rx(r"\bsole\s+$")


def _named_as_control(hit: Hit) -> bool:
    text = hit.passage.text
    before = text[max(0, hit.start - 12):hit.start]
    return bool(_AS_CONTROL_AFTER.match(text, hit.end) or _SOLE_BEFORE.search(before)
                or (_THE_DRUG_CONTROL[0].search(before) and _THE_DRUG_CONTROL[1].match(text, hit.end)))


_ALONE_AFTER = rx(r"(?:\s*,?\s*\(?[\d.]+\s*(?:mg|g|µg|mcg|iu)(?:/d(?:ay)?)?\)?|\s+(?:per|a)\s+day|\s+daily)*"
                  r"(?:(?:\s+|-)(?:alone|only)\b(?!\s+or\b)|\s*\((?:the\s+)?controls?\b)")


_JOINED_BY_AND = rx(r"[\w)\]]\s+and\s+(?:[\w.()/\[\]-]+\s+){0,4}$")
_COMPARING_WORD = rx(r"\bcompar\w*|\bversus\b|\bvs\b|\bhead[- ]to[- ]head\b")


def _is_comparator(passage: Passage, mention: DrugMention, leader: str) -> bool:
    sentence = passage.sentence_of(mention.start)
    if _CO_INTERVENTION.search(passage.text, max(sentence.start, mention.start - 40), mention.start):
        return False
    before = passage.text[max(sentence.start, mention.start - 60):mention.start]
    if _LISTED_AGAINST_PLACEBO.search(before) and _PLACEBO_AFTER.match(passage.text, mention.end, sentence.end):
        # "tolterodine, oxybutynin and trospium in comparison to placebo": each is a study drug.
        return False
    if leader != mention.name and _COMPARING_SENTENCE.search(sentence.text):
        # "assigned to A and 2.5 mg of B, or placebo": joined by "and" in an assignment, one arm.
        return not (_JOINED_BY_AND.search(before) and not _COMPARING_WORD.search(sentence.text))
    after = passage.text[mention.end:mention.end + 12]
    if _CONTROLLED.match(after) or _AS_CONTROL_AFTER.match(passage.text, mention.end):
        return True
    # "calcium 1 g per day alone (control group)": the control arm's drug; "A and B alone" is one arm.
    # ("X alone and together with Y": X is in both arms of an interaction study)
    if (_ALONE_AFTER.match(passage.text, mention.end) and not re.search(r"\w\s+and\s+$", before)
            and not _ALONE_OR_WITH.search(passage.text, mention.end, min(sentence.end, mention.end + 80))):
        return True
    if not _COMPARISON_CUE.search(before):
        return False
    # "or" separates alternatives in any list; only in an assignment sentence does it name an arm.
    if re.search(r"\bor(?:\s+\S+){0,3}\s*$", before, re.IGNORECASE) and not re.search(
            r"versus|vs|compar|than|against", before, re.IGNORECASE):
        return bool(ASSIGNMENT.search(passage.text, sentence.start, mention.start))
    return True


# A comparison arm that gets something other than placebo: another dose, regimen or
# formulation, usual care, or a different treatment.
_OTHER_ACTIVE_ARM = rx(
    r"\b(?:usual|standard|routine|conventional|customary)\s+(?:care|treatment|therapy|practice|dissemination)\b|"
    + FOOD_EFFECT_WORDS + "|" +
    r"\b(?:two|three|four|different)\s+(?:doses|dosages|dose\s+levels|regimens|formulations|schedules)\b|"
    r"\bbioequivalen\w*|\b(?:two|three|different)\s+(?:[\w-]+\s+){0,2}(?:formulations|preparations|delivery\s+systems|"
    r"products|patches)\b|\b(?:test|reference)\s+(?:formulation|product|preparation)s?\b|"
    r"\b(?:daily|weekly|monthly|quarterly|cyclic(?:al)?|continuous|sequential|intermittent)\s+(?:or|versus|vs\.?)\s+"
    r"(?:daily|weekly|monthly|quarterly|cyclic(?:al)?|continuous|sequential|intermittent)\b|"
    r"\b(?:low|high|lower|higher|standard|single|double)[- ]dose\s+(?:or|versus|vs\.?)\s+(?:a\s+)?"
    r"(?:low|high|lower|higher|standard|single|double)[- ]dose\b|"
    r"\b(?:versus|vs\.?|compared\s+(?:with|to))\s+(?:the\s+|a\s+)?(?:\d+(?:\.\d+)?\s*(?:mg|µg|mcg|g)|"
    r"standard|conventional|usual|monthly|weekly|daily|quarterly|continuous|cyclic|sequential|"
    r"low|high|lower|higher)\b|\bcontrol\s+group\s+(?:received|was\s+given|got)\b(?![^.]{0,30}placebo)|"
    # ("to intervention or control": what the control arm got is not said)
    r"\b(?:randomi[sz]ed|assigned|allocated)\s+to\s+(?:receive\s+)?(?:either\s+)?[^.]{3,80}?\s+or\s+"
    r"(?!placebo|no\b|a\s+wait|wait|(?:an?\s+|the\s+)?(?:control|comparison)\b)\w|"
    r"\b(?:treated|managed|cared\s+for)\s+as\s+usual\b|"

    # one drug in two release forms ("controlled-release X compared with immediate-release X")
    r"\b(?:immediate|controlled|extended|sustained|modified|prolonged|delayed|slow)[- ]release\b[^.;]{0,150}?"
    r"(?:\bversus|\bvs\.?|\bcompared\s+(?:with|to)|\bor|\band)\s+(?:(?:that|those)\s+(?:of|after|with)\s+)?(?:the\s+|an?\s+)?"
    r"(?:conventional\s+|standard\s+)?(?:immediate|controlled|extended|sustained|modified|prolonged|delayed|slow)[- ]release\b|"
    # one drug by two routes ("oral and subcutaneous X")
    r"\b(?:oral|intravenous|subcutaneous|intranasal|nasal|intramuscular|inhaled|rectal|transdermal|sublingual)\s+"
    r"(?:and|or|versus|vs\.?)\s+(?:the\s+)?(?:oral|intravenous|subcutaneous|intranasal|nasal|intramuscular|inhaled|"
    r"rectal|transdermal|sublingual)\s+(?!routes?\b)[\w-]+")
# A drug-interaction study that randomises its periods sets the object drug alone against it with
# the other drug (the same sequence for everyone, drug alone then both, is one group: see single_group).
_ALONE_OR_WITH = rx(r"\balone\s+(?:or|and|versus|vs\.?)\s+(?:\w+\s+)?(?:along|together|combined|in\s+combination|"
                    r"co-?administered|concomitantly)\s+with\b")
_RANDOMISED_PERIODS = rx(r"\brandom|\bcross-?over\b|\blatin\s+square\b")


# A comparison arm that gets nothing: no treatment, a waiting list, observation only.
_NO_TREATMENT_ARM = rx(
    r"\b(?:or|versus|vs\.?|to|with|and)\s+(?:a\s+|an\s+)?(?:no[- ](?:treatment|intervention|therapy|medication)|"
    r"(?:an\s+)?untreated|observation\s+only)\b(?![- ](?:related|emergent|effects?|differences?))|"
    r"\bno[- ](?:treatment|intervention)\s+(?:control|group|arm|condition)s?\b|\buntreated\s+control\w*|"
    # "compared with a control unmedicated group", "a drug-free control group"
    + UNTREATED_GROUP + r"|"
    r"\buntreated\s+(?:\w+\s+){1,3}(?:was|were|served)\s+(?:used\s+)?as\s+(?:an?\s+|the\s+)?control|"
    # "15 subjects received the drug while 15 subjects served as a control group" (a placebo, when
    # there is one, is read first)
    r"\b\d+\s+(?:\w+\s+)?(?:subjects|participants|volunteers|patients)\s+served\s+as\s+(?:an?\s+|the\s+)?control\b|"
    # "women received no treatment (n = 12) or were treated with X"
    r"\b(?:received|receiving|given|got)\s+no\s+(?!rescue|other|concomitant|additional|further|prior|previous)"
    r"(?:\w+\s+)?(?:treatment|therapy|medication|intervention|drug)s?\b|"
    r"\bwait(?:ing)?[- ]?list(?:ed)?\b|"
    # "one group received X while the other group was untreated"
    r"\b(?:the\s+other|another|a\s+second|a\s+third)\s+(?:\w+\s+)?(?:group|arm)\s+(?:was|were|remained)\s+(?:left\s+)?"
    r"untreated\b|"
    # an item of a list of arms: "three groups: no treatment (group A), ...", "(4) control."
    r"(?:[:;]|\(\d\))\s*(?:a\s+)?no[- ](?:treatment|intervention|therapy|medication)\b|"
    r"\(\d\)\s+(?:an?\s+)?(?:untreated\s+)?control(?:\s+group)?(?=\s*(?:[.;,)]|$))|"
    # the participants' own session without the drug: "on two occasions, one without medication"
    r"\b(?:one|a|the\s+other|another)\s+(?:(?:session|occasion|day|visit|condition)\s+)?(?:without|free\s+of)\s+"
    r"(?:any\s+)?(?:medication|drugs?|treatment)\b|\b(?:drug|medication)[- ]free\s+(?:session|occasion|condition)\b")


# "to compare the profile of epinastine with cetirizine", "epinastine versus cetirizine": the drug
# after the cue is the reference, whichever the title names first.
_COMPARED_WITH = rx(r"(?:\bcompar\w*\b|\bversus\b|\bvs\b\.?)[^.;]*?$")
_WITH_CUE = rx(r"(?:\b(?:with|to|versus|vs\.?|than)\s+(?:that\s+of\s+|those\s+of\s+)?(?:the\s+|a\s+)?|\bversus\s+|\bvs\.?\s+)"
                # ("with the commonly used therapeutic dosage of B")
                r"(?:(?:[\w-]+\s+){0,2}|(?:[\w-]+\s+){0,4}(?:dos(?:e|age|ing)s?|regimens?|formulations?)\s+of\s+)$")


# "the action of A lasts longer than that of B": B is what A is measured against.
_BETTER_THAN = rx(r"[^.;]{0,40}\b(?:more|less|longer|shorter|greater|better|worse|faster|slower|stronger|weaker|"
                  r"superior|inferior)\b\s*(?:[\w-]+\s+){0,2}(?:than|to)\s+(?:that\s+of\s+|those\s+of\s+)?(?:the\s+)?$")


def _compared_with(drugs: DrugReading, placebo: bool) -> tuple[Hit, bool] | None:
    """The drug the title, else an abstract sentence, sets another drug against ("A versus B",
    "compare A with B": B), and whether the two were only listed ("to compare A and B"), or None.
    Beside placebo, a drug set against another in so many words wins over two drugs listed."""
    found = [pair for field in ("title", "abstract") for pair in _pairs(sorted(
        (h for group in (drugs.study, drugs.comparator) for hs in group.values() for h in hs if h.passage.field == field),
        key=lambda h: h.start))]
    stated = [pair for pair in found if not pair[1]] if placebo else []
    chosen = stated or found
    return chosen[0] if chosen else None


# "a combination of A, B with C": one product's drugs, not a comparison.
_COMBINATION_OF = rx(r"\bcombination\s+of\s+(?:[\w-]+,?\s+){0,6}$")
# "compare A, B with C to D": a later "to" or "versus" sets the first drugs (a combination) against D.
_LATER_AGAINST = rx(r"\s*(?:\([^()]*\)\s*)?(?:,\s*)?(?:to|versus|vs\.?|against)\s+(?:that\s+of\s+|those\s+of\s+)?(?:the\s+|an?\s+)?(?:[\w-]+\s+){0,2}$")


def _pairs(hits: list[Hit]) -> Iterator[tuple[Hit, bool]]:
    """Each drug a sentence sets the drug before it against, and whether the two were only listed."""
    for i, (first, second) in enumerate(zip(hits, hits[1:])):
        if first.label == second.label or first.sentence.start != second.sentence.start:
            continue
        text = first.passage.text
        if (_CO_INTERVENTION.search(text, max(first.end, second.start - 40), second.start)
                or (_COMBINATION_OF.search(text, first.sentence.start, first.start)
                    and re.fullmatch(r"[\s,]*(?:with|and)\s+", text[first.end:second.start]))):
            continue
        if (_WITH_CUE.search(text, first.end, second.start)
                and (_COMPARED_WITH.search(text, first.sentence.start, first.start)
                     or re.match(r"\s*(?:\([^()]*\)\s*)?(?:versus|vs\.?)\s", text[first.end:second.start]))):
            later = [h for h in hits[i + 2:] if h.sentence.start == second.sentence.start and h.label != second.label]
            if later and _LATER_AGAINST.match(text, second.end, later[0].start):
                yield later[0], False
                continue
            yield second, False
            continue
        if _BETTER_THAN.match(text, first.end, second.start):
            yield second, False
            continue
        if _COMPARE_LEAD.search(text, first.sentence.start, first.start) and _AND_NEXT.match(text, first.end, second.start):
            yield second, True


# "to compare the effects of A and B", "a comparison of oral A and transdermal B": the drug named
# second is the reference (no "with", "to" or placebo between the cue and the first drug).
_COMPARE_LEAD = rx(r"\bcompar(?:e|ed|ing|ison)\s+(?:of\s+)?(?:(?!with\b|to\b|placebo\b|versus\b)[\w-]+,?\s+){0,6}$")
_AND_NEXT = rx(r"(?:\s*\([^()]*\))?(?:\s+[\d.]+\s*(?:mg|µg|mcg|g)\b)?,?\s+and\s+(?:[\w-]+\s+){0,3}$")


# Placebo that is no arm: a run-in everyone takes, a dummy dose that keeps a dosing schedule
# blind, a parent trial's arm, or other trials ("placebo-controlled trials have shown").
_PLACEBO_PHASE_AFTER = rx(r"(?:[- ]|,\s*)(?:run-?in|lead-?in|wash-?out)\b|\s+(?:\w+\s+){0,6}?to\s+all\s+(?:the\s+)?"
                          r"(?:patients|subjects|participants|volunteers|women|men|children)\b")
# "the drug in the morning and placebo 8 h later": a dummy second dose within the arm.
_DUMMY_DOSE = (rx(r"\band\s+(?:a\s+|matching\s+)?$"),
               rx(r"\s+(?:\d+(?:\.\d+)?\s*(?:h|hours?)\s+later|in\s+the\s+evening|at\s+(?:night|bedtime))\b"))
_PLACEBO_PHASE_BEFORE = rx(r"\ball\s+(?:the\s+)?(?:patients|subjects|participants|volunteers|women|men|children)\s+"
                           r"(?:\w+\s+){0,2}(?:received|took|were\s+given)\s+(?:a\s+|an?\s+)?(?:[\w-]+\s+){0,3}$")
_PARENT_STUDY = rx(r"\bhad\s+(?:completed|participated|taken\s+part|been\s+(?:enrolled|randomi[sz]ed))\b|"
                   r"\b(?:parent|preceding|previous|original|core|feeder)\s+(?:[\w-]+\s+){0,3}(?:study|trial)\b")
_OTHERS_TRIALS = rx(r"[- ]controlled\s+(?:clinical\s+|randomi[sz]ed\s+)?(?:trials|studies)\b")
_OWN_TRIALS_BEFORE = rx(r"\b(?:two|three|four|both|these|our|\d+)\s+(?:[\w,-]+\s+){0,4}$")


# "After receiving placebo for 1 week, patients were randomly allocated to ...": a placebo period
# before the assignment is a run-in, and so is the same period named again ("after receiving placebo
# for 1 week" in a later sentence).
_AFTER_BEFORE = rx(r"\b(?:after|following)\s+(?:receiving\s+|taking\s+|being\s+given\s+)?(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}$")
_THEN_RANDOMISED = rx(r"[^.;]{0,120}?\b(?:randomi[sz]ed|randomly|assigned|allocated)\b")
# ("after receiving either AVP or placebo in a randomized manner": the arms, not a run-in)
_ARM_CHOICE = rx(r"\beither\b|\bor\s+(?:an?\s+|the\s+)?$")
_FOR_A_PERIOD = rx(r"\s+(?:for|during)\s+(?:\d+|one|two|three|four|a)\s*-?\s*(?:days?|weeks?)\b")


def _placebo_period(hit: Hit) -> str | None:
    """The words naming a placebo period before the assignment ("after receiving placebo for 1 week"), or None."""
    text, sentence = hit.passage.text, hit.sentence
    before = _AFTER_BEFORE.search(text, max(sentence.start, hit.start - 60), hit.start)
    if (before is None or not _THEN_RANDOMISED.match(text, hit.end, sentence.end)
            or _ARM_CHOICE.search(text, before.start(), hit.start)):
        return None
    period = _FOR_A_PERIOD.match(text, hit.end)
    return " ".join(text[before.start():period.end() if period else hit.end].lower().split())


def _run_ins(placebo: list[Hit]) -> set[int]:
    """Indexes of the placebo mentions that name a run-in period (see `_placebo_period`)."""
    periods = [re.compile(r"\s+".join(map(re.escape, p.split())), re.IGNORECASE)
               for p in {p for p in map(_placebo_period, placebo) if p is not None and len(p.split()) > 2}]
    return {i for i, hit in enumerate(placebo) if _placebo_period(hit) is not None
            or any(m.start() <= hit.start < m.end() for period in periods
                   for m in period.finditer(hit.passage.text, hit.sentence.start, hit.sentence.end))}


# Research the authors call for: "A placebo-controlled study is warranted", "further trials are needed".
_CALLED_FOR = rx(r"\b(?:is|are)\s+(?:now\s+|still\s+|clearly\s+)?(?:warranted|needed|required|necessary)\b|"
                 r"\bneeds?\s+(?:replication|confirmation|to\s+be\s+(?:replicated|confirmed))\b|"
                 r"\b(?:future|further|larger)\s+(?:[\w-]+\s+){0,3}(?:studies|trials|research)\b|\bshould\s+be\s+"
                 r"(?:conducted|performed|undertaken|carried\s+out|tested|studied|investigated)\b|" + PLANNED_NEXT)


def _not_an_arm(hit: Hit) -> bool:
    text, sentence = hit.passage.text, hit.sentence
    before = text[max(sentence.start, hit.start - 60):hit.start]
    if _PLACEBO_PHASE_AFTER.match(text, hit.end) or _PLACEBO_PHASE_BEFORE.search(before):
        return True
    if _CALLED_FOR.search(sentence.text):
        return True
    if _DUMMY_DOSE[0].search(before) and _DUMMY_DOSE[1].match(text, hit.end):
        return True
    if _OTHERS_TRIALS.match(text, hit.end) and not _OWN_TRIALS_BEFORE.search(before):
        return True
    return bool(_PARENT_STUDY.search(sentence.text))


# "X plus placebo tablets or Y plus a placebo ring": placebo joined to a drug within an arm.
# ("X and placebo" is no such join: in a crossover it names two conditions.)
_PLUS_BEFORE = rx(r"(?:\bplus|\+)\s*(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}$")
_PLUS_AFTER = rx(r"(?:\s+[\w-]+){0,2}\s+(?:plus|\+)\s")
_ALTERNATIVE = rx(r";|\bor\b|\bversus\b|\bvs\b\.?")


def _dummy(hit: Hit, drugs: DrugReading) -> bool:
    """Whether a placebo stands in for another arm's drug (a double dummy): it is joined to a drug
    in its own arm, and no other arm of the sentence adds a drug to that arm's drugs (as an add-on
    trial's "A plus placebo or A plus B" does)."""
    text, sentence = hit.passage.text, hit.sentence
    if not (_PLUS_BEFORE.search(text, max(sentence.start, hit.start - 40), hit.start)
            or _PLUS_AFTER.match(text, hit.end, sentence.end)):
        return False
    cuts = [sentence.start, *(m.start() for m in _ALTERNATIVE.finditer(text, sentence.start, sentence.end)), sentence.end]
    arms = [{h.label for group in (drugs.study, drugs.comparator) for hs in group.values() for h in hs
             if h.passage is hit.passage and start <= h.start < end} for start, end in zip(cuts, cuts[1:])]
    own = next(i for i, (start, end) in enumerate(zip(cuts, cuts[1:])) if start <= hit.start < end)
    others = [arm for i, arm in enumerate(arms) if i != own and arm]
    return bool(arms[own]) and bool(others) and not any(arms[own] < arm for arm in others)


_ADDED_TO = rx(r"(?:\bwith\s+(?:and|or)\s+without|\bplus|\bcombined\s+with|\badded\s+to|\+)\s+(?:[\w-]+\s+){0,2}$")


def _added_in_title(hits: list[Hit]) -> bool:
    return any(h.passage.field == "title" and _ADDED_TO.search(h.passage.text, 0, h.start) for h in hits)


_TITLE_COMPARES = rx(r"\bcompar\w*|\bversus\b|\bvs\b|\bthan\b|\bagainst\b")
_DOSE_AFTER = rx(r"\s*,?\s*\(?\s*\d+(?:\.\d+)?\s*-?\s*(?:mg|µg|mcg|g|micrograms?)\b")


# A drug people were already on ("patients on methotrexate 15 mg weekly") is background, not an arm.
_ALREADY_ON = rx(r"\b(?:on|stable|background|concomitant|maintenance|continued|taking)\s+(?:[\w-]+\s+){0,2}$")


# "Women were given calcium 1000 mg and randomly assigned to X or placebo": what everyone got
# before the assignment is background.
_THEN_ASSIGNED = rx(r"[^.;]{0,60}?\band\s+(?:then\s+)?(?:were\s+|was\s+)?(?:randomly\s+|subsequently\s+)?"
                    r"(?:randomi[sz]ed|assigned|allocated)\b")


def _own_arm(hit: Hit) -> bool:
    """Whether an abstract mention gives the drug at its own dose in a sentence about the arms."""
    text, sentence = hit.passage.text, hit.sentence
    before = text[max(sentence.start, hit.start - 40):hit.start]
    return (hit.passage.field != "title" and bool(_DOSE_AFTER.match(text, hit.end))
            and not _CO_INTERVENTION.search(before) and not _ALREADY_ON.search(before)
            and not _THEN_ASSIGNED.match(text, hit.end, sentence.end)
            and bool(PLACEBO.search(sentence.text) or ASSIGNMENT.search(sentence.text)))


def _beside_placebo(passages: list[Passage], drugs: DrugReading, comparator_names: list[str]) -> list[str]:
    """The comparators of a placebo-controlled study, read against the drugs its title names: drugs
    the title lists as equals are each tested against placebo; when it names one, another drug
    given at its own dose is the active comparator arm beside placebo."""
    title = next((p for p in passages if p.field == "title"), None)
    # A title that sets drugs against each other or lists placebo among the arms says nothing here.
    if title is None or _TITLE_COMPARES.search(title.text) or PLACEBO.search(title.text):
        return comparator_names
    named = {hit.label for group in (drugs.study, drugs.comparator) for hits in group.values() for hit in hits
             if hit.passage.field == "title"}
    if len(named) >= 2:
        return [n for n in comparator_names if n not in named]
    if not named and title.text.strip():
        # (a title naming no drug, "Serotonergic and noradrenergic regulation of social behaviour",
        # leaves each drug beside placebo a study drug of its own)
        return []
    if len(named) == 1 and not comparator_names:
        return [n for n, hits in drugs.study.items() if n not in named and any(_own_arm(h) for h in hits)][:1]
    return comparator_names


# A drug given with the placebo too ("placebo + risperidone", "risperidone plus placebo") is what every
# arm takes, never the comparison.
_WITH_PLACEBO_BEFORE = rx(r"\bplacebo\s*(?:\+|\bplus\b|\bwith\b|/)\s*$")
_WITH_PLACEBO_AFTER = rx(r"\s*(?:\+|\bplus\b|/)\s*placebo\b")


def _given_with_placebo(hits: list[Hit]) -> bool:
    return any(_WITH_PLACEBO_BEFORE.search(h.passage.text, max(0, h.start - 20), h.start)
               or _WITH_PLACEBO_AFTER.match(h.passage.text, h.end) for h in hits)


def _comparator(passages: list[Passage], drugs: DrugReading, placebo: bool) -> Suggestion:
    """The active comparator: a drug set against the study drug in so many words, else the first
    drug read as a comparison arm's (never one the placebo arm takes too)."""
    chosen = _comparator_named(passages, drugs, placebo)
    if not chosen.value:
        return chosen
    name = str(chosen.value)
    others = [h for group in (drugs.study, drugs.comparator) for other, hits in group.items() if other != name
              for h in hits]
    # (unless the study drug is given with a placebo as well: then it is a double dummy)
    if _given_with_placebo(drugs.hits(name)) and \
            not _given_with_placebo(others):
        return Suggestion(None)
    return chosen


def _comparator_named(passages: list[Passage], drugs: DrugReading, placebo: bool) -> Suggestion:
    named = sorted((h for group in (drugs.study, drugs.comparator) for hits in group.values() for h in hits
                    if _named_as_control(h)), key=lambda h: (h.passage.field != "title", h.start))
    if named:  # the abstract says which drug is the active comparator
        # ("D-amphetamine ... Amphetamine was included as a positive control": the drug named in full)
        full = [n for n in (*drugs.study, *drugs.comparator) if n != named[0].label and n.endswith(named[0].label)]
        return suggestion(full[0] if full else named[0].label, [named[0]])
    explicit = _compared_with(drugs, placebo)
    if explicit is not None and placebo and explicit[1]:
        return Suggestion(None)  # "a placebo-controlled study to compare A and B": each is a study drug
    if explicit is not None and not _added_in_title(drugs.comparator.get(explicit[0].label, [])):
        return suggestion(explicit[0].label, [explicit[0]])
    names = sorted(drugs.comparator, key=lambda n: drugs.comparator[n][0].start)
    # "estrogens with and without medroxyprogesterone": the title adds the drug to the study arm.
    names = [n for n in names if not _added_in_title(drugs.comparator[n])]
    if placebo:
        names = _beside_placebo(passages, drugs, names)
    if not names:
        return Suggestion(None)
    return suggestion(names[0], drugs.comparator.get(names[0]) or drugs.study[names[0]])


# "X raised A, but not B, compared with placebo": the negation is of B; a comparison is never negated.
_COMPARED_BEFORE = rx(r"\b(?:compared\s+(?:with|to)|versus|vs\.?|than|relative\s+to)\s+(?:the\s+|a\s+)?$")


def _placebo_mentions(passages: list[Passage]) -> list[Hit]:
    return [Hit(passage, start, end) for passage in passages for start, end, negated in passage.matches(PLACEBO)
            if not negated or _COMPARED_BEFORE.search(passage.text, max(0, start - 30), start)]


# The design says so: "a randomized, double-blind, active control, parallel study".
_ACTIVE_CONTROL_STATED = rx(r"\b(?:active|positive)[- ](?:control(?:led)?|comparator)\b")


# An objective names the study's own arms ("Aims: This trial compared ondansetron or placebo"); a
# background names other people's.
_OBJECTIVE_LABEL = rx(r"\s*(?:objectives?|aims?|purpose)\s*:")


_FACTORIAL = rx(r"\bfactorial\b")


def control(passages: list[Passage], drugs: DrugReading, single_group: list[Hit]) -> tuple[Suggestion, Suggestion]:
    # "placebo-controlled trials have shown ..." before the abstract turns to its own study is not an arm.
    placebo = [h for h in _placebo_mentions(passages)
               if not before_own_study(h) or _OBJECTIVE_LABEL.match(h.sentence.text)]
    run_ins = _run_ins(placebo)
    placebo = [h for i, h in enumerate(placebo) if i not in run_ins and not _not_an_arm(h)]
    # A double dummy keeps two active arms blind: it says the control is active.
    dummies = [h for h in placebo if _dummy(h, drugs)]
    placebo = [h for h in placebo if h not in dummies]
    # (a factorial trial gives each drug alone and together: every drug is a study drug)
    comparator = Suggestion(None) if find(passages, _FACTORIAL) else _comparator(passages, drugs, bool(placebo))
    if placebo:
        return suggestion("placebo", placebo), comparator
    # An arm given nothing is the control, also beside drugs compared head to head.
    nothing = find(passages, _NO_TREATMENT_ARM)
    if nothing:
        return suggestion("none", nothing), comparator
    if comparator.stated:
        return Suggestion("active", comparator.evidence), comparator
    other_arm = dummies or find(passages, _OTHER_ACTIVE_ARM) or find(passages, _ACTIVE_CONTROL_STATED) or (
        find(passages, _ALONE_OR_WITH) if find(passages, _RANDOMISED_PERIODS) else [])
    if other_arm:
        return suggestion("active", other_arm), comparator
    if single_group:
        return suggestion("none", single_group), comparator
    return Suggestion(NOT_STATED), comparator


# --- doses and routes --------------------------------------------------------------------------

# "(group 1, 15 mg three times daily)": the number of an arm or visit does not start a list of doses.
# ("0. 625 mg": a decimal broken by a space in the record's text is one amount.)
_DOSE = rx(r"(?<![\w.])(?<!group\s)(?<!arm\s)(?<!visit\s)(?<!phase\s)(?<!period\s)(?P<dose>(?P<amounts>(?:\d{1,3}(?:,\d{3})+(?!\d)|0\.\s\d+|\d+(?:\.\d+)?)"
            r"(?:\s*(?:-|\u2013|to|or|and|/|,|,\s*or|,\s*and)\s*\d+(?:\.\d+)?)*)"
            r"\s*-?\s*(?P<unit>mg|g|µg|μg|mcg|ug|ng|ml|mL|international\s+units?|IU|units?(?=\s*(?:/|per\b|daily|a\s+day|once|twice|weekly|(?:of\s+)?(?:vitamin|insulin|heparin|[a-z]+(?:in|ine|ol|one|ide|ate|mab|cept)\b)))|mmol|mEq|micrograms?|milligrams?|microg)(?:\s*/\s*(?:kg|m2|m²|day|d|dose|(?:24\s*)?h|hr|min|ml))*"
            r"(?:\s+(?:once|twice|three\s+times|four\s+times)\s+(?:daily|a\s+day|per\s+day|weekly))?"
            r"(?:\s+(?:daily|b\.?i\.?d\.?|t\.?i\.?d\.?|q\.?d\.?|o\.?d\.?|per\s+day|a\s+day|/day))?)(?![\w])")
# A concentration measured in blood or urine ("697 ng/ml"), not an amount given.
_CONCENTRATION = rx(r"(?:ng|pg|µg|μg|mcg|ug|mg|g|mmol|nmol|µmol|micrograms?|microg)\.?\s*(?:\.\s*h\s*)?"
                    r"(?:/\s*(?:ml|l|dl)\b|\s+(?:ml|l|dl)\s*-1\b)|g\s*/\s*cm2?\b|"
                    # a volume or flow measured; millilitres given come with what was given
                    r"ml\b(?!\s+(?:of|doses?|syrup|solution|suspension|injections?|infusions?|bolus|spray))|"
                    # the diluent's volume: "diluted in 10 mL of 0.9% saline"
                    r"ml\s+of\s+(?:[\d.]+\s*%\s+)?(?:normal\s+|physiological\s+)?(?:saline|sodium\s+chloride|water|"
                    r"glucose|dextrose)\b")
# Amounts of a challenge agent ("histamine (0.04-1.28 mg/nostril)") are not study doses.
_CHALLENGE_BEFORE = rx(r"\b(?:histamine|methacholine|allergens?|challenge|provocation)\s*[(,]?\s*$")
# Amounts listed with one shared unit ("0.5, 1, 2 or 4 mg"): each is a dose of its own; a range
# ("10-20 mg") or a ratio ("2/3 mg") stays one.
_LIST_SEPARATOR = re.compile(r"\s*(?:,\s*(?:or|and)?|\bor\b|\band\b)\s*")
_NOT_DOSE_CONTEXT = rx(r"(?:\bp\s*[<=>]|\bdecrease|\breduc|\bchange|\bmean|\blevels?\s+of|\bconcentrations?|"
                        r"\bby|\bvolumes?|\bcapacity|\boutput|\bloss)\W*$")

# A route abbreviated after the dose: "10 mg PO", "6 mg sc", "0.5 mg/kg IV", "5 mg IM".
_AFTER_DOSE = r"(?<=\d)\s*(?:mg|µg|μg|mcg|microg|g|IU|units?)(?:/kg)?\s+"
# Anaesthetic gases given as drugs, dosed by their share of the air breathed.
_GASES = r"(?:nitrous\s+oxide|N2O|xenon|sevoflurane|isoflurane|desflurane)\b"
_ROUTES = (
    ("intravenous", rx(_AFTER_DOSE + r"(?-i:IV|iv)\b|\bintravenous(?:ly)?\b|\bi\.\s?v\.(?=\s|,|;|\))|\bIV\b(?=\s+(?:infusion|bolus|injection|"
                        r"administration|dose|ketamine|\w+\s+infusion))|\b\w+(?:ine|ide|ol|am|one|ate|an|in)\s+(?:infusions?|bolus)\b|"
                        r"\binfusions?\s+of\s+(?!\w*\s*(?:saline|fluid|water))|\bbolus\s+(?:dose|injection)\b|"
                        r"\b(?:single|continuous|constant|slow|\d+[- ]min(?:ute)?s?)\s+infusions?\b(?![^.]{0,30}\b(?:saline|fluids?)\b)|"
                        # "were infused with 40 IU of the peptide", "infused over 40 minutes"
                        r"\binfused\s+(?:with|over)\b(?![^.;]{0,30}\b(?:saline|fluids?)\b)|"
                        # ("scanned 2 hours after infusion")
                        r"\b(?:after|following|during)\s+(?:the\s+)?infusions?\b(?![^.;]{0,30}\b(?:saline|fluids?)\b)")),
    ("intranasal", rx(r"\bintra-?nasal(?:ly)?\b|\bnasal(?:ly)?\s+(?:spray|administ|delivered|inhal|solution|"
                       r"powder|insufflation|dose)|\bnasal\s+(?:\w+\s+)?sprays?\b|"
                       # "administered nasally", "a nasal delivery device", "an atomizer", "(24 IU, IN)"
                       # (not a challenge agent's "nasal aerosol application")
                       r"\b(?:administered|given|applied|delivered|self-administered)\s+nasally\b|"
                       r"\bnasal\s+(?:[\w-]+\s+)?(?:delivery|device)\b|\batomi[sz]er\b|"
                       r"(?<=IU),\s*(?-i:IN)\b|\b(?:oxytocin|vasopressin|placebo)\s+sprays?\b")),
    ("oral", rx(_AFTER_DOSE + r"(?-i:PO|po)\b|\boral(?:ly)?\b(?!\s+(?:contraceptiv|hygiene|health|cavity|mucosa|surgery|glucose\s+tolerance|fluids?\b|swabs?\b))|"
                 # an oral contraceptive the study gives, not one people were taking
                 r"(?<!\btaking\s)(?<!\busing\s)(?<!\bused\s)(?<!\busers\sof\s)(?<!\buse\sof\s)\boral\s+contraceptives?\b"
                 r"(?!\s+(?:use|users|pills?\s+use))|\b(?:drug|tablet|capsule|dose)\s+ingestion\b|"
                 # swallowed: "peroral X", "after ingestion of X (8 mg)", "ingested a single dose"
                 r"\bper-?oral(?:ly)?\b|\bingest(?:ion\s+of|ed)\s+(?:either\s+)?(?:an?\s+|the\s+)?(?:single\s+)?(?:oral\s+|placebo\s+)?"
                 r"(?:doses?|tablets?|capsules?|pills?)\b|\b(?:placebo|sugar|matching|identical)\s+pills?\b|"
                 r"\bingestion\s+of\s+(?:the\s+)?[\w-]+\s*\(?\s*\d|\bingested\s+(?:an?\s+)?(?:single\s+)?\d|"
                 # a drink given as the drug or its placebo ("a placebo drink", "a vodka and tonic-mixed drink"),
                 # not drinks counted as a habit ("14 drinks per week")
                 r"\b(?:placebo|alcoholic|active|mixed|a|the)\s+(?:[\w-]+\s+){0,2}?drinks?\b(?!\s+(?:per|a\s+day|daily|weekly|or\s+more))|"
                 # ("an alcoholic, placebo, or control beverage", "an alcoholic (0.5 g/kg) or a nonalcoholic beverage")
                 r"\b(?:alcoholic|placebo|active)\b(?:[^.;]|\.\d){0,60}?\bbeverages?\b(?!\s+(?:consumption|intake|use))|"
                 r"\bbeverage\s+conditions?\b|"
                 # what participants drank as the study drug: "consumption of 0.4 g/kg alcohol",
                 # "participants consumed ayahuasca (N = 14) or placebo"
                 r"\b(?:consumed|drank|consumption\s+of|drinking)\s+(?:an?\s+|the\s+)?(?:\d[\d.]*\s*(?:g/kg|mg/kg|g|ml|mg)\s+"
                 r"(?:of\s+)?[\w-]+|[\w-]+\s*(?:\(\s*n\s*=\s*\d+\s*\)\s*)?(?:or|versus|vs\.?)\s+(?:an?\s+)?placebo)\b|"
                 r"\bby\s+mouth\b|\beffervescent\b|\b(?:beverages?|drinks?|juice)\s+containing\b|(?<!vaginal\s)(?<!buccal\s)\btablets?\b|\bcapsules?\b|\bencapsulated\b|\bcaplets?\b|\b(?:liqui|soft)-?gels?\b|\bp\.\s?o\.(?=\s|,|;|\))|\bper\s+os\b")),
    ("intramuscular", rx(_AFTER_DOSE + r"(?-i:IM|im)\b|\bintra-?muscular(?:ly)?\b|\bi\.\s?m\.(?=\s|,|;|\))")),
    # (smoked as the study gives it: "cigarettes containing active marijuana or placebo were smoked")
    # ("subjects smoked marijuana cigarettes"; not "smoked 10 cigarettes a day")
    # (not a smell: "inhaled the odour of their preferred drink" in a cue exposure)
    ("inhaled", rx(r"\binhal(?:ed|ation|er|ers)\b(?!\s+(?:the\s+)?(?:odou?rs?|aromas?|scents?|smells?)\b)|"
                   r"\b(?:were|was)\s+smoked\b|\bsmoked\s+(?:an?\s+)?(?:active|placebo)\b|"
                   r"\bsmoked\s+(?:an?\s+|one\s+)(?:cannabis|marijuana|THC)\s+(?:cigarettes?|joints?)\b|"
                   r"\bsmoked\s+(?:the\s+)?(?:[a-z-]+\s+)?(?:cigarettes|joints)\b(?!\s+(?:a|per|each)\s+day)|"
                   r"\bnebuli[sz](?:ed|er)\b|\bvapori[sz](?:ed|er|ers|ation)\b|\bbreath(?:ed|ing)\s+\d+(?:\.\d+)?\s*%|"
                   # a gas dosed by its share of the air is breathed ("30% nitrous oxide")
                   r"\b\d+(?:\.\d+)?\s*%\s+" + _GASES)),
    ("subcutaneous", rx(_AFTER_DOSE + r"(?-i:SC|sc)\b|\bsub-?cutaneous(?:ly)?\b|\bs\.\s?c\.(?=\s|,|;|\))|\bsubcutaneous\s+injection\b")),
)


def doses(passages: list[Passage]) -> Suggestion:
    hits: list[Hit] = []
    values: list[str] = []
    for hit in find(passages, _DOSE, negatable=False):
        before = hit.passage.text[max(0, hit.start - 25):hit.start]
        if (_NOT_DOSE_CONTEXT.search(before) or hit.start < study_start(hit.passage) or _CHALLENGE_BEFORE.search(before)
                or _not_the_studys_use(hit.sentence.text) or _PARENT_STUDY.search(hit.sentence.text)):
            continue  # a change measured, a dose the background speaks of, a challenge's, or a rescue drug's
        if _EVERY_ARM.search(_clause(hit)):
            continue  # what every arm is given alike ("calcium 1000 mg was given in both groups")
        match = _DOSE.match(hit.passage.text, hit.start)
        assert match is not None
        if _CONCENTRATION.match(hit.passage.text, match.start("unit")):
            continue
        dose = Hit(hit.passage, match.start("dose"), match.end("dose"))
        hits.append(dose)
        values.extend(_listed_doses(_amount_text(match.group("amounts")),
                                    " ".join(hit.passage.text[match.start("unit"):match.end("dose")].split()),
                                    _amount_text(dose.evidence.text)))
    for pattern in (_GAS_SHARE, _GAS_CONCENTRATIONS, _THC_SHARE):
        for hit in find(passages, pattern, negatable=False):
            if hit.start >= study_start(hit.passage) and not _not_the_studys_use(hit.sentence.text):
                match = pattern.match(hit.passage.text, hit.start)
                assert match is not None
                hits.append(Hit(hit.passage, match.start("dose"), match.end("dose")))
                unit = " ".join(match.group("unit").split())
                unit = unit if unit == "%" else " " + unit  # ("25%", "30 per cent", as abstracts write them)
                # (a share of 0 is the placebo: "0, 1.3 or 2.7% THC")
                values.extend(amount + unit for amount in re.findall(r"\d+(?:\.\d+)?", match.group("dose"))
                              if float(amount) > 0)
    return suggestion(_distinct_amounts(values), hits, limit=len(hits))


# An anaesthetic gas is dosed by its share of the air breathed: "30% nitrous oxide in oxygen".
# ("10%, 20%, 30% and 40% nitrous oxide"; "N2O ... in concentrations of 0 (oxygen-placebo), 20, 40, and 80 per cent")
_SHARE_UNIT = r"(?P<unit>%|per\s?cent)"
_SHARE_LIST = (r"(?P<dose>\d+(?:\.\d+)?(?:\s*(?:%|per\s?cent))?(?:\s*\([^()]{0,30}\))?(?:\s*(?:,|,?\s*and|,?\s*or)\s*"
               r"\d+(?:\.\d+)?(?:\s*(?:%|per\s?cent))?(?:\s*\([^()]{0,30}\))?)*?)\s*" + _SHARE_UNIT)
_GAS_SHARE = rx(r"(?<![\d.])" + _SHARE_LIST + r"\s+" + _GASES)
_GAS_CONCENTRATIONS = rx(_GASES + r"[^.;]{0,80}?\bconcentrations?\s+of\s+" + _SHARE_LIST)
# Cannabis is dosed by its THC content: "cigarettes of 0, 1.3, 2.3 or 2.7% THC".
_THC_SHARE = rx(r"(?<![\d.])" + _SHARE_LIST + r"\s+(?:\u0394\s?9-|delta-?9-)?(?-i:THC)\b")


def _clause(hit: Hit) -> str:
    """The part of the hit's sentence between semicolons."""
    text, sentence = hit.passage.text, hit.sentence
    start = text.rfind(";", sentence.start, hit.start) + 1 or sentence.start
    end = text.find(";", hit.end, sentence.end)
    return text[max(start, sentence.start):end if end >= 0 else sentence.end]


def _amount_text(text: str) -> str:
    """Amounts as one spaced string, thousands unseparated ("1,200" -> "1200"), a broken decimal joined ("0. 625")."""
    return re.sub(r"(?<=\d),(?=\d{3})", "", re.sub(r"\b0\.\s+(?=\d)", "0.", " ".join(text.split())))


def _distinct_amounts(values: list[str]) -> list[str]:
    """Each amount and unit once, as first written ("25.0 mg" and later "25 mg" are one dose)."""
    seen: set[tuple[float, str]] = set()
    kept: list[str] = []
    for value in values:
        match = re.match(r"(\d+(?:\.\d+)?)\s*-?\s*([^\d\s]+)", value)
        key = ((float(match.group(1)), re.sub(r"/(?:day|d|dose)$", "", match.group(2).lower())) if match
               else (float("nan"), value))
        if match and key[0] == 0:
            continue  # "0, 50 or 100 mg": the zero-dose group is given nothing
        if key not in seen or not match:
            seen.add(key)
            kept.append(value)
    return list(dict.fromkeys(kept))


def _listed_doses(amounts: str, unit: str, written: str) -> list[str]:
    """One value per amount of a list sharing a unit; the dose as written otherwise."""
    parts = _LIST_SEPARATOR.split(amounts)
    if len(parts) < 2 or not all(re.fullmatch(r"\d+(?:\.\d+)?", part) for part in parts):
        return [written]
    return [f"{part} {unit}" for part in parts]


def routes(passages: list[Passage], drug_given: bool = True) -> Suggestion:
    """The routes of the study drugs. Unless a drug is known to be given (named, or set against a
    placebo or another drug), only a route the abstract's own study states counts: not one in the
    title alone ("Oral Contraceptives Impair ...", of a study of users), nor one in what others
    found ("intranasal drug administration")."""
    found: dict[str, list[Hit]] = {}
    for value, pattern in _ROUTES:
        # (a route in the background is how others gave a drug; one in the objective, "to evaluate
        # DM/Q capsules", is how this study gives it)
        hits = [h for h in find(passages, pattern) if not BACKGROUND_SECTION.match(h.sentence.text)
                # (earlier treatment told before the route: "previous experience" after it is the participants')
                and not _EARLIER_TREATMENT.search(h.passage.text, h.sentence.start, h.start)
                and not _not_the_studys_use(h.sentence.text)
                and not _FOR_OTHER_PRODUCT.match(h.passage.text, h.end) and not _IN_ANIMALS.search(h.sentence.text)
                and not (value == "oral" and _HELD_IN_THE_MOUTH.search(h.passage.text, max(h.sentence.start,
                                                                                            h.start - 40), h.start))
                and (drug_given or (h.passage.field != "title" and not before_own_study(h)))]
        if hits:
            found[value] = hits
    if "intravenous" in found and find(passages, _SUBCUTANEOUS_INFUSION):
        # ("continuous subcutaneous apomorphine infusion" makes each "apomorphine infusion" that one)
        found["intravenous"] = [h for h in found["intravenous"] if _VEIN_NAMED.search(h.evidence.text)]
        if not found["intravenous"]:
            del found["intravenous"]
    ordered = sorted(found, key=lambda v: (found[v][0].passage.field != "title", found[v][0].start))
    return Suggestion(ordered, [found[v][0].evidence for v in ordered])


_SUBCUTANEOUS_INFUSION = rx(r"\bsubcutaneous(?:ly)?\s+(?:[\w-]+\s+){0,3}?infusions?\b|\binfused\s+subcutaneously\b")
_VEIN_NAMED = rx(r"\bintravenous|\bi\.?\s?v\b")


# How a drug was given in animals ("Animal models suggest a single intravenous dose may ...").
_IN_ANIMALS = rx(r"\banimals?\b|\brodents?\b|\bmice\b|\brats?\b|\bpre-?clinical\b")


# A sublingual or buccal tablet is absorbed in the mouth, not swallowed: none of the six routes.
# (not a second product joined to it: "buprenorphine buccal film and oral oxycodone")
_HELD_IN_THE_MOUTH = rx(r"\b(?:sublingual|buccal)\s+(?:(?!(?:and|or|versus|vs)\b)[\w-]+\s+){0,3}$")


# A route named for a background treatment of every arm ("each with a newly started oral
# antidepressant"), named by its class rather than as a study drug.
_FOR_OTHER_PRODUCT = rx(r"\s+(?:\w+\s+)?(?:antidepressants?|antibiotics?|antipsychotics?|anticoagulants?|"
                         r"corticosteroids?|steroids?|analgesics?|medications?|standard\s+of\s+care|bronchodilators?|"
                         r"beta-?agonists?|β2?-agonists?|progestogens?|progestins?|gestagens?)\b")


# A route named for treatment before the study ("had undergone previous treatment with oral or
# intravenous sumatriptan") is not how the study drug was given.
_EARLIER_TREATMENT = rx(r"\b(?:previous(?:ly)?|prior|earlier|history\s+of|before\s+(?:the\s+)?(?:study|trial|"
                         r"enrol\w*|entry))\b(?:\s+\w+){0,3}\s+(?:treat\w*|therapy|use|users|exposure|"
                         r"medication|oral|intravenous)\b|\bhad\s+(?:undergone|received|used|taken)\b")
