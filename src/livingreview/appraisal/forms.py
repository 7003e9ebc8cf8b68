"""Risk-of-bias forms held as data (`forms/*.toml`): load one and check it is well formed.

A form lists a tool's domains, each with its signalling questions (allowed answers, and the
condition under which a question is asked) and the ordered rules that turn answers into a domain
judgement, or says that the domain is judged directly. `load_form` checks more than the shape: every
answer set the conditions allow must be matched by some rule, and every rule must be the first match
for at least one answer set, so a typo in a rule cannot silently change a judgement.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from livingreview.errors import BadInput

ANSWER_CODES: dict[str, str] = {
    "Y": "Yes",
    "PY": "Probably yes",
    "PN": "Probably no",
    "N": "No",
    "NI": "No information",
    "NA": "Not applicable",
}
NOT_ASKED = "NA"
BUILTIN_FORMS: dict[str, str] = {
    "rob2": "rob2.toml",
    "rob2-crossover": "rob2_crossover.toml",
    "robins-i": "robins_i.toml",
}

_CLAUSE = re.compile(r"^\s*([0-9S]+\.[0-9]+)\s+in\s+([A-Z]+(?:\|[A-Z]+)*)\s*$")
_FORM_KEYS = {"tool", "name", "version", "source", "levels", "aims", "overall", "domains", "extends"}
_DOMAIN_KEYS = {
    "id", "name", "short", "variant", "questions", "rules", "parts", "judged_directly", "levels",
    "after",
}  # fmt: skip
_QUESTION_KEYS = {"id", "text", "answers", "asked_if"}
_RULE_KEYS = {"when", "judgement"}
_OVERALL_METHODS = ("rob2", "most_severe")


class FormError(BadInput):
    """A form file that is malformed or whose rules are incomplete; names file, line and key."""

    def __init__(self, path: str, line: int | None, key: str, message: str) -> None:
        self.path, self.line, self.key = path, line, key
        super().__init__(f"{path}:{line if line else '?'}: {key}: {message}")


@dataclass(frozen=True)
class Clause:
    question: str
    answers: frozenset[str]

    def holds(self, answers: Mapping[str, str]) -> bool:
        return answers.get(self.question, NOT_ASKED) in self.answers


@dataclass(frozen=True)
class Condition:
    """Clauses all joined by `and` (mode "all") or all by `or` (mode "any"); `text` as written."""

    clauses: tuple[Clause, ...]
    mode: Literal["all", "any"]
    text: str

    def holds(self, answers: Mapping[str, str]) -> bool:
        results = (clause.holds(answers) for clause in self.clauses)
        return all(results) if self.mode == "all" else any(results)

    @property
    def questions(self) -> tuple[str, ...]:
        return tuple(clause.question for clause in self.clauses)


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    answers: tuple[str, ...]
    asked_if: Condition | None = None

    def is_asked(self, answers: Mapping[str, str]) -> bool:
        return self.asked_if is None or self.asked_if.holds(answers)


@dataclass(frozen=True)
class Rule:
    when: Condition
    judgement: str


@dataclass(frozen=True)
class Part:
    """One decision list; a domain's judgement is the most severe judgement of its parts."""

    name: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Domain:
    id: str
    name: str
    short: str
    questions: tuple[Question, ...]
    parts: tuple[Part, ...]
    levels: tuple[str, ...]
    variant: str | None = None
    judged_directly: bool = False

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


@dataclass(frozen=True)
class Form:
    tool: str
    name: str
    version: str
    source: str
    levels: tuple[str, ...]  # least to most severe
    domains: tuple[Domain, ...]
    overall_method: str
    consider_high_at: int | None = None
    aims: tuple[str, ...] = ()

    def domains_for(self, aim: str | None = None) -> tuple[Domain, ...]:
        """The domains of one assessment: a domain with variants contributes the variant `aim`."""
        if self.aims and aim not in self.aims:
            raise ValueError(
                f"{self.tool}: the effect of interest must be one of {', '.join(self.aims)}"
                f" (got {aim!r})"
            )
        return tuple(d for d in self.domains if d.variant is None or d.variant == aim)

    def severity(self, level: str) -> int:
        return self.levels.index(level)


def load_form(name_or_path: str | Path) -> Form:
    """A built-in form by name (`rob2`, `rob2-crossover`, `robins-i`) or a form file by path."""
    if isinstance(name_or_path, str) and name_or_path in BUILTIN_FORMS:
        return _builtin_form(name_or_path)
    path = Path(name_or_path)
    if not path.is_file():
        raise FormError(
            str(path), None, "(file)",
            f"no such form file; built-in forms are {', '.join(BUILTIN_FORMS)}",
        )  # fmt: skip
    return parse_form(path.read_text(encoding="utf-8"), str(path))


@cache
def _builtin_form(name: str) -> Form:
    filename = BUILTIN_FORMS[name]
    text = files(__package__).joinpath("forms").joinpath(filename).read_text(encoding="utf-8")
    return parse_form(text, f"forms/{filename}")


def parse_form(text: str, where: str = "form.toml") -> Form:
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        raise FormError(where, int(line.group(1)) if line else None, "(syntax)", str(error)) from None
    reader = _Reader(text, where)
    return reader.form(table)


class _Reader:
    """Builds a `Form` from a parsed table; every error names the file, a line and the key."""

    def __init__(self, text: str, where: str) -> None:
        self.lines = text.splitlines()
        self.where = where

    def fail(self, key: str, message: str, needle: str | None = None) -> FormError:
        return FormError(self.where, self._line_of(needle), key, message)

    def _line_of(self, needle: str | None) -> int | None:
        if not needle:
            return None
        for number, line in enumerate(self.lines, start=1):
            if needle in line:
                return number
        return None

    def form(self, table: dict[str, Any]) -> Form:
        self._no_unknown(table, _FORM_KEYS, "(form)")
        base = self._base(table)
        levels = tuple(self._strings(table, "levels", "(form)", default=base.levels if base else None))
        if not levels:
            raise self.fail("levels", "a form needs at least one judgement level")
        domains = [self.domain(entry, index, levels) for index, entry in enumerate(table.get("domains", []))]
        merged = self._merge(base.domains if base else (), domains, table.get("domains", []))
        if not merged:
            raise self.fail("domains", "a form needs at least one domain")
        overall = table.get("overall", {})
        method = overall.get("method", base.overall_method if base else None)
        if method not in _OVERALL_METHODS:
            raise self.fail("overall.method", f"must be one of {', '.join(_OVERALL_METHODS)}", "method")
        consider = overall.get("consider_high_at", base.consider_high_at if base else None)
        aims = tuple(self._strings(table, "aims", "(form)", default=base.aims if base else ()))
        self._check_variants(merged, aims)
        return Form(
            tool=self._string(table, "tool", "(form)"),
            name=self._string(table, "name", "(form)"),
            version=self._string(table, "version", "(form)"),
            source=self._string(table, "source", "(form)"),
            levels=levels,
            domains=tuple(merged),
            overall_method=method,
            consider_high_at=consider,
            aims=aims,
        )

    def _base(self, table: dict[str, Any]) -> Form | None:
        name = table.get("extends")
        if name is None:
            return None
        if name not in BUILTIN_FORMS or name == table.get("tool"):
            raise self.fail("extends", f"must name another built-in form ({', '.join(BUILTIN_FORMS)})", "extends")
        return _builtin_form(name)

    def _merge(
        self, base: Sequence[Domain], added: list[Domain], entries: list[dict[str, Any]]
    ) -> list[Domain]:
        merged = list(base)
        for domain, entry in zip(added, entries, strict=True):
            after = entry.get("after")
            if after is None:
                merged.append(domain)
                continue
            positions = [i for i, d in enumerate(merged) if d.id == after]
            if not positions:
                raise self.fail(f"domains[{domain.id}].after", f"no domain {after!r} to insert after", f'after = "{after}"')
            merged.insert(positions[-1] + 1, domain)
        return merged

    def _check_variants(self, domains: list[Domain], aims: tuple[str, ...]) -> None:
        seen: set[tuple[str, str | None]] = set()
        for domain in domains:
            if (domain.id, domain.variant) in seen:
                raise self.fail(f"domains[{domain.id}]", "domain id used twice", f'id = "{domain.id}"')
            seen.add((domain.id, domain.variant))
            if domain.variant is not None and domain.variant not in aims:
                raise self.fail(
                    f"domains[{domain.id}].variant",
                    f"{domain.variant!r} is not one of the form's aims ({', '.join(aims) or 'none'})",
                    f'variant = "{domain.variant}"',
                )

    def domain(self, entry: dict[str, Any], index: int, form_levels: tuple[str, ...]) -> Domain:
        if not isinstance(entry, dict):
            raise self.fail(f"domains[{index}]", "must be a table")
        domain_id = self._string(entry, "id", f"domains[{index}]")
        key = f"domains[{domain_id}]"
        self._no_unknown(entry, _DOMAIN_KEYS, key)
        levels = tuple(self._strings(entry, "levels", key, default=form_levels))
        unknown = [level for level in levels if level not in form_levels]
        if unknown:
            raise self.fail(f"{key}.levels", f"{unknown[0]!r} is not a level of the form", unknown[0])
        questions = self._questions(entry.get("questions", []), key)
        judged_directly = bool(entry.get("judged_directly", False))
        parts = () if judged_directly else self._parts(entry, key, questions, levels)
        domain = Domain(
            id=domain_id,
            name=self._string(entry, "name", key),
            short=self._string(entry, "short", key),
            questions=questions,
            parts=parts,
            levels=levels,
            variant=entry.get("variant"),
            judged_directly=judged_directly,
        )
        if not judged_directly:
            self._check_rules_cover(domain, key)
        return domain

    def _questions(self, entries: list[dict[str, Any]], key: str) -> tuple[Question, ...]:
        questions: list[Question] = []
        for entry in entries:
            question_id = self._string(entry, "id", f"{key}.questions")
            qkey = f"{key}.questions[{question_id}]"
            self._no_unknown(entry, _QUESTION_KEYS, qkey)
            if any(q.id == question_id for q in questions):
                raise self.fail(qkey, "question id used twice in the domain", f'id = "{question_id}"')
            answers = tuple(self._strings(entry, "answers", qkey))
            bad = [a for a in answers if a not in ANSWER_CODES]
            if bad or not answers:
                raise self.fail(
                    f"{qkey}.answers",
                    f"answers must be some of {', '.join(ANSWER_CODES)} (got {bad or 'none'})",
                    f'id = "{question_id}"',
                )
            asked_if = None
            if "asked_if" in entry:
                asked_if = self.condition(entry["asked_if"], f"{qkey}.asked_if", [q.id for q in questions])
            questions.append(Question(question_id, self._string(entry, "text", qkey), answers, asked_if))
        return tuple(questions)

    def _parts(
        self, entry: dict[str, Any], key: str, questions: tuple[Question, ...], levels: tuple[str, ...]
    ) -> tuple[Part, ...]:
        if ("rules" in entry) == ("parts" in entry):
            raise self.fail(key, "a domain needs either rules or parts (or judged_directly = true)", f'id = "{entry["id"]}"')
        raw_parts = entry["parts"] if "parts" in entry else [{"name": "rules", "rules": entry["rules"]}]
        known = [q.id for q in questions]
        parts = []
        for raw in raw_parts:
            rules = []
            for number, rule in enumerate(raw.get("rules", []), start=1):
                rkey = f"{key}.rules[{number}]"
                self._no_unknown(rule, _RULE_KEYS, rkey)
                judgement = self._string(rule, "judgement", rkey)
                if judgement not in levels:
                    raise self.fail(f"{rkey}.judgement", f"{judgement!r} is not one of {', '.join(levels)}", rule.get("when"))
                rules.append(Rule(self.condition(rule.get("when"), f"{rkey}.when", known), judgement))
            if not rules:
                raise self.fail(key, f"part {raw.get('name', '?')!r} has no rules")
            parts.append(Part(str(raw.get("name", "rules")), tuple(rules)))
        return tuple(parts)

    def condition(self, text: Any, key: str, known: Sequence[str]) -> Condition:
        if not isinstance(text, str) or not text.strip():
            raise self.fail(key, "must be a condition such as '1.2 in Y|PY'")
        has_and, has_or = " and " in text, " or " in text
        if has_and and has_or:
            raise self.fail(key, "join clauses all with 'and' or all with 'or', not both", text)
        mode: Literal["all", "any"] = "any" if has_or else "all"
        clauses = []
        for raw in re.split(r" and | or ", text):
            match = _CLAUSE.match(raw)
            if not match:
                raise self.fail(key, f"cannot read clause {raw.strip()!r}: expected 'QUESTION in A|B'", text)
            question, answers = match.group(1), frozenset(match.group(2).split("|"))
            if question not in known:
                raise self.fail(key, f"refers to {question}, which is not an earlier question of this domain", text)
            bad = sorted(answers - set(ANSWER_CODES))
            if bad:
                raise self.fail(key, f"{bad[0]!r} is not an answer code ({', '.join(ANSWER_CODES)})", text)
            clauses.append(Clause(question, answers))
        return Condition(tuple(clauses), mode, text)

    def _check_rules_cover(self, domain: Domain, key: str) -> None:
        for part in domain.parts:
            used = [False] * len(part.rules)
            for answers in answer_sets(domain):
                index = first_match(part, answers)
                if index is None:
                    shown = ", ".join(f"{q}={a}" for q, a in answers.items())
                    raise self.fail(key, f"no rule of {part.name!r} matches the answers {shown}", f'id = "{domain.id}"')
                used[index] = True
            for rule, was_used in zip(part.rules, used, strict=True):
                if not was_used:
                    raise self.fail(key, f"rule {rule.when.text!r} can never apply (earlier rules catch every case)", rule.when.text)

    def _string(self, table: Mapping[str, Any], name: str, key: str) -> str:
        value = table.get(name)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{key}.{name}", "must be a non-empty string")
        return value

    def _strings(self, table: Mapping[str, Any], name: str, key: str, default: Any = None) -> list[str]:
        value = table.get(name, default)
        if value is None or not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{key}.{name}", "must be a list of strings")
        return list(value)

    def _no_unknown(self, table: Mapping[str, Any], allowed: set[str], key: str) -> None:
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise self.fail(f"{key}.{unknown[0]}", f"unknown key; allowed: {', '.join(sorted(allowed))}", f"{unknown[0]} =")


def answer_sets(domain: Domain) -> Iterator[dict[str, str]]:
    """Every answer set the domain's conditions allow (unasked questions hold NA), in form order."""

    def extend(index: int, answers: dict[str, str]) -> Iterator[dict[str, str]]:
        if index == len(domain.questions):
            yield dict(answers)
            return
        question = domain.questions[index]
        options = question.answers if question.is_asked(answers) else (NOT_ASKED,)
        for option in options:
            answers[question.id] = option
            yield from extend(index + 1, answers)
        del answers[question.id]

    return extend(0, {})


def first_match(part: Part, answers: Mapping[str, str]) -> int | None:
    return next((i for i, rule in enumerate(part.rules) if rule.when.holds(answers)), None)


__all__ = [
    "ANSWER_CODES",
    "BUILTIN_FORMS",
    "Clause",
    "Condition",
    "Domain",
    "Form",
    "FormError",
    "Part",
    "Question",
    "Rule",
    "answer_sets",
    "first_match",
    "load_form",
    "parse_form",
]
