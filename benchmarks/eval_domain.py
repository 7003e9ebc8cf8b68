"""Accuracy of automatic extraction on the flagship-kind annotation sets (benchmarks/data/flagship_domain_gold).

    .venv/bin/python benchmarks/eval_domain.py --texts DIR [--sets domain9,domain10] [--json]
    .venv/bin/python benchmarks/eval_domain.py --texts DIR --sets domain9 --errors FIELD

The annotations are kept here without the abstracts (see the README beside them); the texts are
fetched again from each record's `url` into DIR/domainN/records.jsonl, one JSON object per line
with the record's `id`, `title` and `text`, and never committed. Each text is read as a record
with that title and abstract, the suggesters are called in process (the same rules as
`extract --auto --all`), and the values are scored as eval_extract.py scores the Cohen gold:
study-level fields and, where annotated, outcomes (pairing by instrument name, then class, role
and direction of the pairs). Records with no text are counted and left out.

`--errors FIELD` lists the records whose value differs from the gold one, with the text; it is
refused on the sets that are kept unread (their README says which), so that they stay a
measure of abstracts the rules were not fitted to.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_extract import (FLAGSHIP_PROTOCOL, SCORED_FIELDS, Evaluation, Gold, Key,  # noqa: E402
                          normalised_fields, plain_outcome, score_fields, score_outcomes, text_report)

from livingreview.records import Record  # noqa: E402

DOMAIN_DIR = Path(__file__).resolve().parent / "data" / "flagship_domain_gold"
UNREAD_SETS = frozenset({"domain30", "domain31", "domain32", "domain33"})


@dataclass(frozen=True)
class Text:
    title: str
    text: str


def load_set(name: str, texts_dir: Path) -> tuple[list[Gold], dict[Key, Text]]:
    """The set's gold records (those with a fetched text) and their texts, both keyed by record id."""
    texts: dict[Key, Text] = {}
    text_path = texts_dir / name / "records.jsonl"
    for number, line in enumerate(text_path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            if entry.get("text"):
                texts[(name, entry["id"])] = Text(entry.get("title") or "", entry["text"])
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise ValueError(f"{text_path}:{number}: expected an object with id, title and text ({error})") from None
    gold = []
    for line in (DOMAIN_DIR / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        record["key"] = (name, record["id"])
        if record["key"] in texts:
            gold.append(record)
    return gold, texts


def predictions(gold: Sequence[Gold], texts: Mapping[Key, Text]
                ) -> tuple[dict[Key, dict[str, object]], dict[Key, list[dict[str, Any]]]]:
    from livingreview.extraction.service import suggest_study
    from livingreview.protocol.loader import load_protocol

    protocol = load_protocol(FLAGSHIP_PROTOCOL)
    fields: dict[Key, dict[str, object]] = {}
    outcomes: dict[Key, list[dict[str, Any]]] = {}
    for record in gold:
        text = texts[record["key"]]
        source = Record(source="domain", raw=text.text, source_id=record["id"], title=text.title, abstract=text.text)
        suggestions = suggest_study(protocol, [source])
        fields[record["key"]] = {name: s.value for name, s in suggestions.fields.items()}
        outcomes[record["key"]] = [plain_outcome({name: s.value for name, s in o.items()})
                                   for o in suggestions.outcomes]
    return fields, outcomes


def error_report(gold: Sequence[Gold], texts: Mapping[Key, Text], fields: Mapping[Key, Mapping[str, object]],
                 name: str) -> str:
    lines = []
    for record in gold:
        truth = normalised_fields(record["fields"])[name]
        guess = normalised_fields(fields[record["key"]])[name]
        if truth == guess:
            continue
        show = (lambda v: sorted(v) if isinstance(v, frozenset) else v)
        text = texts[record["key"]]
        lines += [f"=== {record['id']} ({record.get('kind')}): gold {show(truth)!r}, predicted {show(guess)!r}",
                  *([f"    note: {record['notes']}"] if record.get("notes") else []),
                  f"    TITLE: {text.title}", f"    TEXT: {text.text}"]
    return "\n".join(lines) or f"no {name} errors"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=Path, required=True, help="folder holding domainN/records.jsonl")
    parser.add_argument("--sets", default="", help="comma-separated set names (default: every set with texts)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--errors", metavar="FIELD", choices=SCORED_FIELDS,
                        help="list the records whose FIELD differs from the gold value, with their text")
    args = parser.parse_args(argv)
    names = [n for n in args.sets.split(",") if n] or sorted(
        (p.stem for p in DOMAIN_DIR.glob("domain*.jsonl") if (args.texts / p.stem / "records.jsonl").exists()),
        key=lambda n: int(n.removeprefix("domain")))
    if args.errors and UNREAD_SETS & set(names):
        parser.error(f"--errors shows texts: {', '.join(sorted(UNREAD_SETS & set(names)))} are kept unread")
    try:
        gold: list[Gold] = []
        texts: dict[Key, Text] = {}
        for name in names:
            set_gold, set_texts = load_set(name, args.texts)
            gold += set_gold
            texts.update(set_texts)
    except (OSError, ValueError) as error:
        print(error, file=sys.stderr)
        return 1
    fields, outcomes = predictions(gold, texts)
    if args.errors:
        print(error_report(gold, texts, fields, args.errors))
        return 0
    result = Evaluation(len(gold), [], [], score_fields(gold, fields), score_outcomes(gold, outcomes))
    label = "+".join(names)
    print(json.dumps({"sets": names, **result.as_dict()}, indent=1) if args.json else text_report(label, result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
