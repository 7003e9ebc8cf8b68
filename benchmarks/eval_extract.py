"""Accuracy of automatic extraction against the hand-annotated gold set.

    .venv/bin/python benchmarks/eval_extract.py --split dev|test|all [--json]
    .venv/bin/python benchmarks/eval_extract.py --split all --review DIR --predictions FILE
    .venv/bin/python benchmarks/eval_extract.py --split dev|test|holdout --in-process | --errors FIELD

The gold set (tests/data/extraction_gold/, guidelines in its README.md) points at records of the
real fixtures in ../shared/fixtures by file and by the import file's own record id (`source_id`;
for files without ids, the record's 1-based position in the file). The default run creates a
temporary review with the flagship protocol, imports the fixture files the split names, runs
`livingreview extract DIR --auto --all --json` and matches its records to the gold ones through the
review's store (each gold record is found there by the source_id and title the importer reads
at its position in the fixture file; `source_id` is checked against the extractor's output).
`--review` and `--predictions` score a saved extractor output against the review it came from.
For tuning, `--in-process` scores the study-level fields with the suggesters called directly on the
fixture records (seconds instead of minutes; the same values, since `extract` runs the same
suggesters on the same text), and `--errors FIELD` lists each dev record whose FIELD differs from
the gold value with its title and abstract (refused on the newest hold-out, which is scored once
unread; test and the earlier hold-out are validation splits whose errors have been read).

Scoring, per field:
- single-valued fields (randomised, allocation, blinding, control, age_group, active_comparator,
  n_total): "not-stated"/null is the negative class. Only positive values count: a predicted
  positive equal to the gold value is a true positive; a different predicted positive is a false
  positive (and, when the gold value is positive, also a false negative); a gold positive left
  blank is a false negative. Accuracy is the share of records whose value equals the gold value,
  negatives included.
- list fields: micro-averaged over items (set intersection per record, summed). Accuracy is the
  share of records whose set equals the gold set. `population_class` is `population` with every
  `other:WORD` read as `other`, since the WORD is free text.
- outcomes (records whose outcomes were annotated): predicted outcomes are paired with gold ones
  by instrument name (word overlap); precision and recall of the pairing, then the share of pairs
  agreeing on class, primary/secondary and direction (where the gold value is given), and
  `direction_any`: agreement on direction over every pair, a null agreeing only with a null.
A gold record missing from the extractor's output counts as predicted all-negative.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livingreview.records import Record

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "tests" / "data" / "extraction_gold"
FIXTURES = ROOT.parent / "shared" / "fixtures"
FLAGSHIP_PROTOCOL = ROOT / "examples" / "glutamate-entactogens" / "protocol.toml"
SPLITS = ("dev", "test")
# Drawn and annotated apart while the rules were fitted to dev, each scored once at the end of the
# session that drew it (benchmarks/draw_gold_extension.py); not part of 'all'. Once scored, a
# hold-out's errors may be read (it becomes a validation split like test); the newest may not.
HOLDOUT = "holdout"
HOLDOUTS = (HOLDOUT, "holdout2", "holdout3", "holdout4", "holdout5")
UNREAD_HOLDOUT = HOLDOUTS[-1]
# The seed that drew the dev/test split (see split_records); a test checks the files match it.
SPLIT_SEED = 20261201
# Records drawn after the split to enlarge dev (benchmarks/draw_gold_extension.py); never in test.
DEV_ONLY_SAMPLE = "extension"

NEGATIVE = "not-stated"
SINGLE_FIELDS: dict[str, tuple[str, ...]] = {
    "randomised": ("yes", "no"),
    "allocation": ("parallel", "crossover", "single-group"),
    "blinding": ("open-label", "single-blind", "double-blind", "triple-blind"),
    "control": ("placebo", "active", "none"),
    "age_group": ("adult", "child-adolescent", "mixed"),
}
POPULATION_TERMS = ("healthy", "depression", "bipolar", "autism", "fragile-x", "social-anxiety", "ptsd",
                    "schizophrenia", "borderline-pd", "ocd", "substance-use")
OTHER_POPULATION = re.compile(r"^other:[a-z0-9][a-z0-9-]*$")
LIST_VOCABULARIES: dict[str, tuple[str, ...] | None] = {
    "population": None,  # POPULATION_TERMS or other:WORD
    "drugs": None,
    "doses": None,
    "routes": ("intravenous", "intranasal", "oral", "intramuscular", "inhaled", "subcutaneous"),
    "outcome_classes": ("self-report", "clinician-rated", "behavioural", "neuroimaging", "physiological"),
    "imaging_modalities": ("fMRI", "EEG", "MEG", "PET", "MRS", "other"),
    "constructs": None,  # the flagship protocol's construct labels
}
STUDY_FIELDS = (*SINGLE_FIELDS, "active_comparator", "n_total", *LIST_VOCABULARIES)
OUTCOME_ROLES = ("primary", "secondary", NEGATIVE)
DIRECTIONS = ("improved", "worsened", "no difference", "mixed")
KINDS = ("trial", "observational", "case-report", "review", "animal", "other")

# Counter-ions and esters that do not change which drug was given ("oxybutynin chloride"); "equine"
# is dropped too, since abstracts write conjugated estrogens with and without it for the same drug.
_SALT_WORDS = frozenset({"sodium", "potassium", "hydrochloride", "hcl", "chloride",
                         "maleate", "tartrate", "l-tartrate", "mesylate", "succinate", "sulfate",
                         "sulphate", "bromide", "acetate", "valerate", "citrate", "fumarate",
                         "besylate", "dihydrochloride", "monohydrate"})
# Drugs with two generic names (INN and US adopted name), compared under one of them.
_DRUG_SYNONYMS = {"acetaminophen": "paracetamol", "chlorphenamine": "chlorpheniramine", "glibenclamide": "glyburide",
                  "albuterol": "salbutamol", "norethindrone": "norethisterone",
                  "pyrilamine": "mepyramine", "dmt": "dimethyltryptamine", "nndimethyltryptamine": "dimethyltryptamine"}
_MICRO = re.compile(r"micrograms?|microg\b|mcg|μg|µg|ug\b")
_INTERNATIONAL_UNITS = re.compile(r"international\s+units?")
_PERCENT = re.compile(r"\s*per\s?cent\b")
_DOSE = re.compile(r"(\d+(?:[.,]\d+)?(?:/\d+(?:[.,]\d+)?)?)\s*-?\s*"
                   r"(mg/kg|µg/kg|ng/ml|mg|µg|ng|g|ml|iu|pnu|%)")
_WORD = re.compile(r"[a-z0-9]+")


class GoldFormatError(ValueError):
    """A gold file line that does not follow the annotation format; names the file and line."""


Key = tuple[str, str]  # (fixture file relative to FIXTURES, source_id or "#position")
Gold = dict[str, Any]  # one parsed line of a gold file, plus its "key"


def record_key(file: str, source_id: str | None, position: int | None) -> Key:
    if source_id:
        return (file, source_id)
    if not position:
        raise ValueError(f"{file}: a record needs a source_id or a position")
    return (file, f"#{position}")


# --- gold files ---------------------------------------------------------------------------------

def load_gold(split: str, directory: Path = GOLD_DIR) -> list[Gold]:
    """The annotations of one split ('dev', 'test', a hold-out) or of dev and test ('all'), in file order."""
    names = SPLITS if split == "all" else (split,)
    if not set(names) <= {*SPLITS, *HOLDOUTS}:
        raise ValueError(f"split must be one of {', '.join((*SPLITS, *HOLDOUTS))}, all (not {split!r})")
    records: list[Gold] = []
    for name in names:
        path = directory / f"{name}.jsonl"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                records.append(_parse_gold_line(path, number, line))
    return records


def _parse_gold_line(path: Path, number: int, line: str) -> Gold:
    try:
        record: Gold = json.loads(line)
    except json.JSONDecodeError as error:
        raise GoldFormatError(f"{path}:{number}: not JSON ({error.msg})") from None
    for name in ("file", "source_id", "position", "fields"):
        if name not in record:
            raise GoldFormatError(f"{path}:{number}: missing '{name}'")
    missing = [name for name in STUDY_FIELDS if name not in record["fields"]]
    if missing:
        raise GoldFormatError(f"{path}:{number}: fields lack {', '.join(missing)}")
    record["key"] = record_key(record["file"], record["source_id"], record["position"])
    return record


def stratum(record: Mapping[str, object]) -> str:
    """Split stratum: the targeted supplement; else each screening set alone, other formats by folder."""
    if record.get("sample") == "targeted":
        return "targeted"
    file = str(record["file"])
    return file if file.startswith("screening/") else file.split("/", 1)[0]


def split_records(records: Iterable[Gold], seed: int = SPLIT_SEED) -> tuple[list[Gold], list[Gold]]:
    """Dev and test halves, drawn at random within each stratum (the odd one goes to test); the
    dev extension (sample 'extension', drawn later by draw_gold_extension.py) is dev only.

    Strata are shuffled in name order with one generator; 'targeted' sorts last, so adding that
    supplement left the split of the random sample as it was.
    """
    groups: dict[str, list[Gold]] = defaultdict(list)
    dev: list[Gold] = []
    test: list[Gold] = []
    for record in records:
        if record.get("sample") == DEV_ONLY_SAMPLE:
            dev.append(record)
        else:
            groups[stratum(record)].append(record)
    rng = random.Random(seed)
    for name in sorted(groups):
        members = sorted(groups[name], key=lambda r: (r["file"], r["position"]))
        rng.shuffle(members)
        half = len(members) // 2
        dev += members[:half]
        test += members[half:]
    return dev, test


# --- normalisation ------------------------------------------------------------------------------

def norm_label(value: object) -> str | None:
    """Lowercase, single spaces; None, '' and 'not-stated' are the negative class."""
    if value is None:
        return None
    text = " ".join(str(value).strip().lower().replace("_", "-").split())
    return None if text in ("", NEGATIVE, "not stated", "null", "none-stated") else text


def norm_drug(value: object) -> str | None:
    text = norm_label(value)
    if text is None:
        return None
    words = [word for word in text.replace("β", "beta").split() if word not in _SALT_WORDS | {"equine"}]
    name = re.sub(r"^17-?beta-?", "", " ".join(words))  # 17beta-estradiol is estradiol
    compact = re.sub(r"[\s-]+", "", name)  # 'ethinyl estradiol' = 'ethinylestradiol'
    return _DRUG_SYNONYMS.get(compact, compact) or None


def norm_dose(value: object) -> str | None:
    """Amount and unit ('10 mg/day', '10-mg', '10mg' -> '10 mg'); frequency words are dropped."""
    text = norm_label(value)
    if text is None:
        return None
    text = _PERCENT.sub("%", _INTERNATIONAL_UNITS.sub("iu", _MICRO.sub("µg", text)))
    match = _DOSE.search(text)
    if not match:
        return text.replace(" ", "")
    amount = match.group(1)
    # '1,200 mg' groups thousands; '2,5 mg' is a decimal comma.
    amount = amount.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+", amount) else amount.replace(",", ".")
    return f"{amount} {match.group(2)}"


def norm_population(value: object) -> str | None:
    text = norm_label(value)
    if text is None:
        return None
    if text.startswith("other"):
        word = re.sub(r"[\s_]+", "-", text.split(":", 1)[1].strip()) if ":" in text else ""
        # (an eponym's disease is written three ways: parkinsons-disease, parkinson-disease, parkinson)
        word = re.sub(r"(?<=\w)'?s?-disease$", "", word)
        return f"other:{word}" if word else "other"
    return text.replace(" ", "-")


def population_class(value: str) -> str:
    return "other" if value.startswith("other") else value


def norm_n(value: object) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    digits = re.sub(r"[\s,]", "", str(value))
    return int(digits) if digits.isdigit() else None


_LIST_NORMALISER = {"population": norm_population, "drugs": norm_drug, "doses": norm_dose}


def norm_list(name: str, values: object) -> frozenset[str]:
    if values is None:
        return frozenset()
    items = values if isinstance(values, (list, tuple, set, frozenset)) else [values]
    normalise = _LIST_NORMALISER.get(name, norm_label)
    return frozenset(n for item in items if (n := normalise(item)) is not None)


def normalised_fields(fields: Mapping[str, object]) -> dict[str, object]:
    """One record's study-level values in the form they are compared in."""
    result: dict[str, object] = {name: norm_label(fields.get(name)) for name in SINGLE_FIELDS}
    result["active_comparator"] = norm_drug(fields.get("active_comparator"))
    result["n_total"] = norm_n(fields.get("n_total"))
    for name in LIST_VOCABULARIES:
        result[name] = norm_list(name, fields.get(name))
    population = norm_list("population", fields.get("population"))
    result["population_class"] = frozenset(population_class(p) for p in population)
    return result


# --- scoring ------------------------------------------------------------------------------------

@dataclass
class Counts:
    """True/false positives and negatives of one field, with record-level agreement."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    agree: int = 0
    records: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float | None:
        return self.tp / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.support if self.support else None

    @property
    def f1(self) -> float | None:
        """None when there is nothing to find and nothing was predicted; a missing P or R counts as 0."""
        if not self.support and not self.predicted:
            return None
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float | None:
        return self.agree / self.records if self.records else None

    def as_dict(self) -> dict[str, object]:
        return {"support": self.support, "predicted": self.predicted, "tp": self.tp, "fp": self.fp,
                "fn": self.fn, "precision": self.precision, "recall": self.recall, "f1": self.f1,
                "accuracy": self.accuracy, "records": self.records}


SCORED_FIELDS = (*SINGLE_FIELDS, "active_comparator", "n_total", "population", "population_class",
                 *[name for name in LIST_VOCABULARIES if name != "population"])


def score_fields(gold: Sequence[Gold], predicted: Mapping[Key, Mapping[str, object]]) -> dict[str, Counts]:
    """Per-field counts over the gold records; `predicted` maps a record key to its raw values."""
    counts = {name: Counts() for name in SCORED_FIELDS}
    for record in gold:
        truth = normalised_fields(record["fields"])
        guess = normalised_fields(predicted.get(record["key"], {}))
        for name in SCORED_FIELDS:
            _count(counts[name], truth[name], guess[name])
    return counts


def _count(counts: Counts, truth: object, guess: object) -> None:
    counts.records += 1
    counts.agree += truth == guess
    if isinstance(truth, frozenset):
        assert isinstance(guess, frozenset)
        counts.tp += len(truth & guess)
        counts.fp += len(guess - truth)
        counts.fn += len(truth - guess)
        return
    if guess is not None:
        if guess == truth:
            counts.tp += 1
        else:
            counts.fp += 1
    if truth is not None and guess != truth:
        counts.fn += 1


@dataclass
class OutcomeScores:
    pairing: Counts = field(default_factory=Counts)
    attributes: dict[str, Counts] = field(default_factory=lambda: {
        name: Counts() for name in ("class", "role", "direction", "direction_any")})

    def as_dict(self) -> dict[str, object]:
        return {"instrument": self.pairing.as_dict(),
                **{name: {"agree": c.agree, "pairs": c.records, "accuracy": c.accuracy}
                   for name, c in self.attributes.items()}}


def score_outcomes(gold: Sequence[Gold], predicted: Mapping[Key, Sequence[Mapping[str, object]]]) -> OutcomeScores:
    """Outcome pairing and attribute agreement over the records whose outcomes were annotated."""
    scores = OutcomeScores()
    for record in gold:
        if record.get("outcomes") is None:
            continue
        truth = list(record["outcomes"])
        guess = [plain_outcome(o) for o in predicted.get(record["key"], [])]
        pairs = pair_outcomes(truth, guess)
        scores.pairing.records += 1
        scores.pairing.tp += len(pairs)
        scores.pairing.fp += len(guess) - len(pairs)
        scores.pairing.fn += len(truth) - len(pairs)
        for t, g in pairs:
            for name, counts in scores.attributes.items():
                key = _OVER_EVERY_PAIR.get(name, name)
                if name in _OVER_EVERY_PAIR or t.get(key) is not None:
                    counts.records += 1
                    counts.agree += norm_label(t.get(key)) == norm_label(g.get(key))
    return scores


# Scored over every pair, no value being one of the values: a direction left null because the
# measure has no better end (a brain response, a hormone level) or no result is given is then
# right only when the extractor leaves it null too. ("direction" counts the pairs with a gold value.)
_OVER_EVERY_PAIR = {"direction_any": "direction"}


def _words(text: object) -> frozenset[str]:
    return frozenset(_WORD.findall(str(text or "").lower()))


def instrument_similarity(a: object, b: object) -> float:
    """Word overlap (Jaccard) of two instrument names; 1.0 when one name contains the other's words."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    if wa <= wb or wb <= wa:
        return 1.0
    return len(wa & wb) / len(wa | wb)


def pair_outcomes(truth: Sequence[Mapping[str, Any]], guess: Sequence[Mapping[str, Any]], threshold: float = 0.5
                  ) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """Greedy one-to-one pairing, most similar instrument names first."""
    candidates = sorted(((instrument_similarity(t.get("instrument"), g.get("instrument")), i, j)
                         for i, t in enumerate(truth) for j, g in enumerate(guess)), reverse=True)
    used_t: set[int] = set()
    used_g: set[int] = set()
    pairs: list[tuple[Mapping[str, Any], Mapping[str, Any]]] = []
    for similarity, i, j in candidates:
        if similarity < threshold:
            break
        if i not in used_t and j not in used_g:
            used_t.add(i)
            used_g.add(j)
            pairs.append((truth[i], guess[j]))
    return pairs


# --- the extractor's output ---------------------------------------------------------------------

def plain_value(value: object) -> object:
    """A field's value without its evidence: {'value': v, 'evidence': [...]} -> v, lists item-wise."""
    if isinstance(value, Mapping):
        for name in ("value", "values", "normalised", "normalized"):
            if name in value:
                return plain_value(value[name])
        return None
    if isinstance(value, list):
        items = [plain_value(item) for item in value]
        return [x for item in items for x in (item if isinstance(item, list) else [item]) if x is not None]
    return value


def plain_outcome(outcome: Mapping[str, object]) -> dict[str, object]:
    values = {name: plain_value(v) for name, v in outcome.items()}
    role = values.get("role", values.get("primary_secondary", values.get("importance")))
    if role is None and isinstance(values.get("primary"), bool):
        role = "primary" if values["primary"] else "secondary"
    return {"instrument": values.get("instrument", values.get("measure", values.get("name"))),
            "class": values.get("class", values.get("outcome_class")),
            "role": role,
            "direction": values.get("direction")}


def extractor_records(output: object) -> list[Mapping[str, object]]:
    """The per-record objects of `extract --json`: a list, or the list under 'records'/'studies'."""
    found = output
    if isinstance(output, Mapping):
        found = next((output[name] for name in ("records", "studies", "extractions")
                      if isinstance(output.get(name), list)), None)
    if isinstance(found, list):
        return [entry for entry in found if isinstance(entry, Mapping)]
    raise ValueError("extract --json printed neither a list of records nor an object with 'records'")


def record_values(entry: Mapping[str, object]) -> tuple[dict[str, object], list[Mapping[str, object]]]:
    """Study-level values and outcomes of one extractor record (fields nested or at top level)."""
    fields = entry.get("fields") if isinstance(entry.get("fields"), Mapping) else entry
    assert isinstance(fields, Mapping)
    values = {name: plain_value(fields[name]) for name in STUDY_FIELDS if name in fields}
    outcomes = entry.get("outcomes", fields.get("outcomes"))
    return values, [o for o in outcomes if isinstance(o, Mapping)] if isinstance(outcomes, list) else []


def match_predictions(entries: Iterable[Mapping[str, object]], keys_by_id: Mapping[int, tuple[Key, str | None]],
                      review_ids: set[int] | None = None
                      ) -> tuple[dict[Key, dict[str, object]], dict[Key, list[Mapping[str, object]]], list[str]]:
    """Extractor records keyed like the gold ones, through the review's record ids.

    Records that are not gold records are skipped; a record id the review does not have (when
    `review_ids` is given, else any id without a gold record) is reported as a problem.
    """
    fields: dict[Key, dict[str, object]] = {}
    outcomes: dict[Key, list[Mapping[str, object]]] = {}
    problems: list[str] = []
    for entry in entries:
        record_id = norm_n(entry.get("record_id"))
        if record_id is None or record_id not in keys_by_id:
            if record_id is None or review_ids is None or record_id not in review_ids:
                problems.append(f"record_id {entry.get('record_id')!r} is not in the review")
            continue
        key, source_id = keys_by_id[record_id]
        if entry.get("source_id") != source_id:
            problems.append(f"record {record_id}: source_id {entry.get('source_id')!r}, the store has {source_id!r}")
        fields[key], outcomes[key] = record_values(entry)
    return fields, outcomes, problems


# --- running the extractor ----------------------------------------------------------------------

def livingreview(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "livingreview", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"livingreview {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def build_review(directory: Path, files: Iterable[str]) -> None:
    livingreview("init", str(directory), "--protocol", str(FLAGSHIP_PROTOCOL), "--json")
    livingreview("import", str(directory), *(str(FIXTURES / f) for f in sorted(set(files))), "--json")


def fixture_records(file: str) -> list[Record]:
    """The records of one fixture file as the project's importer reads them, in file order."""
    from livingreview.importers.base import detect_format, get_importer
    from livingreview.importers.encoding import detect_encoding
    from livingreview.importers.service import read_head

    path = FIXTURES / file
    encoding = detect_encoding(path).name
    return list(get_importer(detect_format(path, read_head(path, encoding)))().parse(path, encoding))


def _identity(source_id: str | None, title: str | None) -> tuple[str, str]:
    return (source_id or "", " ".join((title or "").lower().split()))


def review_keys(directory: Path, gold: Sequence[Gold]) -> tuple[dict[int, tuple[Key, str | None]], set[int]]:
    """Record id -> (gold key, source_id) for the gold records, and every record id of the review.

    A gold record is found in the store by what the importer reads at its position in the fixture
    file (source_id and title), so the review may hold other files too, imported in any order.
    """
    from livingreview import Review

    with Review(directory) as review:
        stored = review.store.records()
    ids_by_identity: dict[tuple[str, str], list[int]] = defaultdict(list)
    for stored_record in stored:
        if stored_record.id is not None:
            ids_by_identity[_identity(stored_record.source_id, stored_record.title)].append(stored_record.id)
    parsed = {file: fixture_records(file) for file in {r["file"] for r in gold}}
    keys: dict[int, tuple[Key, str | None]] = {}
    for record in gold:
        found = parsed[record["file"]][record["position"] - 1]
        candidates = ids_by_identity.get(_identity(found.source_id, found.title), [])
        if len(candidates) != 1:
            raise ValueError(f"{record['file']} #{record['position']}: {len(candidates)} records of the "
                             "review match it (by source_id and title); expected one")
        keys[candidates[0]] = (record["key"], found.source_id)
    return keys, {record_id for ids in ids_by_identity.values() for record_id in ids}


@dataclass
class Evaluation:
    records: int
    missing: list[str]
    problems: list[str]
    fields: dict[str, Counts]
    outcomes: OutcomeScores

    def as_dict(self) -> dict[str, object]:
        return {"records": self.records, "missing": self.missing, "problems": self.problems,
                "fields": {name: c.as_dict() for name, c in self.fields.items()},
                "outcomes": self.outcomes.as_dict()}


def evaluate(gold: Sequence[Gold], directory: Path, output: object) -> Evaluation:
    """Score the extractor's output (parsed `extract --json`) of the review in `directory`."""
    keys, review_ids = review_keys(directory, gold)
    fields, outcomes, problems = match_predictions(extractor_records(output), keys, review_ids)
    missing = [f"{k[0]} {k[1]}" for k in (r["key"] for r in gold) if k not in fields]
    return Evaluation(len(gold), missing, problems, score_fields(gold, fields), score_outcomes(gold, outcomes))


# --- report -------------------------------------------------------------------------------------

def _fmt(value: object) -> str:
    return "    -" if value is None else f"{value:5.3f}" if isinstance(value, float) else str(value)


def _row(name: str, c: Counts, accuracy: bool = True) -> str:
    return (f"{name:20} {c.support:7d} {c.predicted:5d} {_fmt(c.precision)} {_fmt(c.recall)} {_fmt(c.f1)}"
            + (f" {_fmt(c.accuracy)}" if accuracy else ""))


def text_report(split: str, result: Evaluation) -> str:
    lines = [f"extraction accuracy on the {split} split: {result.records} gold records, "
             f"{len(result.missing)} missing from the output",
             f"{'field':20} {'support':>7} {'pred':>5} {'P':>5} {'R':>5} {'F1':>5} {'acc':>5}"]
    lines += [_row(name, c) for name, c in result.fields.items()]
    lines.append(_row("outcome.instrument", result.outcomes.pairing, accuracy=False))
    for name, c in result.outcomes.attributes.items():
        lines.append(f"{'outcome.' + name:20} {c.records:7d} {'':23} {_fmt(c.accuracy)}")
    lines += [f"  problem: {p}" for p in result.problems[:20]]
    return "\n".join(lines)


def in_process_predictions(gold: Sequence[Gold]) -> dict[Key, dict[str, object]]:
    """Study-level values from the suggesters called directly on the fixture records, with no
    review built: the same rules as `extract --auto --all`, in seconds, for tuning."""
    from livingreview.extraction.service import suggest_study
    from livingreview.protocol.loader import load_protocol

    protocol = load_protocol(FLAGSHIP_PROTOCOL)
    parsed = {file: fixture_records(file) for file in {r["file"] for r in gold}}
    predicted: dict[Key, dict[str, object]] = {}
    for record in gold:
        suggestions = suggest_study(protocol, [parsed[record["file"]][record["position"] - 1]])
        predicted[record["key"]] = {name: s.value for name, s in suggestions.fields.items()}
    return predicted


def error_report(gold: Sequence[Gold], predicted: Mapping[Key, Mapping[str, object]], name: str) -> str:
    """Every record whose `name` value differs from the gold one: both values, the note, the text."""
    parsed = {file: fixture_records(file) for file in {r["file"] for r in gold}}
    lines = []
    for record in gold:
        truth = normalised_fields(record["fields"])[name]
        guess = normalised_fields(predicted.get(record["key"], {}))[name]
        if truth == guess:
            continue
        found = parsed[record["file"]][record["position"] - 1]
        show = (lambda v: sorted(v) if isinstance(v, frozenset) else v)
        lines += [f"=== {record['file']} {record['key'][1]} ({record.get('kind')}): gold {show(truth)!r}, "
                  f"predicted {show(guess)!r}",
                  *([f"    note: {record['notes']}"] if record.get("notes") else []),
                  f"    TITLE: {found.title}", f"    ABSTRACT: {found.abstract}"]
    return "\n".join(lines) or f"no {name} errors"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=(*SPLITS, *HOLDOUTS, "all"), default="dev")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--review", type=Path, help="an existing review holding the imported fixtures")
    parser.add_argument("--predictions", type=Path, help="saved `extract --auto --all --json` output of --review")
    parser.add_argument("--gold", type=Path, default=GOLD_DIR, help="folder holding dev.jsonl and test.jsonl")
    parser.add_argument("--errors", metavar="FIELD", choices=SCORED_FIELDS,
                        help="list the records whose FIELD differs from the gold value, with their text "
                             "(study-level fields only, read in process; refused on the unread hold-out)")
    parser.add_argument("--in-process", action="store_true",
                        help="score the suggesters called directly on the fixture records (no review, "
                             "no CLI; study-level fields only)")
    args = parser.parse_args(argv)
    if bool(args.review) != bool(args.predictions):
        parser.error("--review and --predictions go together")
    if args.errors and args.split == UNREAD_HOLDOUT:
        parser.error(f"--errors lists record texts: {UNREAD_HOLDOUT} is scored once, unread")
    if not FIXTURES.exists():
        print(f"the fixtures are not at {FIXTURES}", file=sys.stderr)
        return 1
    gold = load_gold(args.split, args.gold)
    if args.errors or args.in_process:
        predicted = in_process_predictions(gold)
        if args.errors:
            print(error_report(gold, predicted, args.errors))
            return 0
        result = Evaluation(len(gold), [], [], score_fields(gold, predicted), OutcomeScores())
        print(json.dumps({"split": args.split, **result.as_dict()}, indent=1) if args.json
              else text_report(args.split, result))
        return 0
    try:
        if args.review:
            result = evaluate(gold, args.review, json.loads(args.predictions.read_text(encoding="utf-8")))
        else:
            with tempfile.TemporaryDirectory(prefix="eval-extract-") as tmp:
                directory = Path(tmp) / "review"
                build_review(directory, (r["file"] for r in gold))
                output = json.loads(livingreview("extract", str(directory), "--auto", "--all", "--json"))
                result = evaluate(gold, directory, output)
    except (RuntimeError, ValueError) as error:
        print(error, file=sys.stderr)
        return 1
    print(json.dumps({"split": args.split, **result.as_dict()}, indent=1) if args.json
          else text_report(args.split, result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
