"""All SQL on the review store lives in `livingreview.store`: no other module executes a
statement or holds one. Read with `ast`, so comments and prose in docstrings do not count."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "livingreview"
EXECUTING = {"execute", "executemany", "executescript", "query", "scalar"}
# A statement as code writes one: upper-case keywords in their order. Prose in messages and
# docstrings ("select the records from ...") is lower case and does not match.
STATEMENT = re.compile(
    r"\bSELECT\b.*\bFROM\b|\bINSERT\s+(OR\s+[A-Z]+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\bCREATE\s+(TABLE|INDEX|TRIGGER|VIEW|UNIQUE\s+INDEX)\b|\bPRAGMA\s+\w+|\bWHERE\b.*\?",
    re.DOTALL)

# screening/workflow.py was listed here until it moved onto the judgement ledger (issue 8a).
EXEMPT = {
    # Not the review store: a per-user cache of sentence embeddings in its own SQLite file
    # ($LIVINGREVIEW_CACHE_DIR/embeddings.sqlite), shared by every review and by simulations,
    # keyed by the SHA-256 of a text. Deleting it loses nothing but time; it holds no review
    # data, has no events and no migrations, so it stays beside the ranker that owns it rather
    # than behind the review's Store.
    "screening/ranking/_embedding_cache.py": "own cache file, not the review store",
}


def _modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py")
                  if path.relative_to(PACKAGE).parts[0] != "store")


def _string_value(node: ast.AST) -> str | None:
    """A literal string, or an f-string with each placeholder read as `?`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "?"
                       for part in node.values)
    return None


def _not_statements(tree: ast.Module) -> set[int]:
    """Docstrings, and the literal pieces of f-strings (read whole, through their f-string)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
        if isinstance(node, ast.JoinedStr):
            found.update(id(part) for part in node.values)
    return found


def sql_outside_the_store(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skipped = _not_statements(tree)
    problems = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in EXECUTING):
            problems.append(f"{path.name}:{node.lineno}: calls .{node.func.attr}(...)")
        if id(node) in skipped:
            continue
        text = _string_value(node)
        if text is not None and STATEMENT.search(text):
            problems.append(f"{path.name}:{node.lineno}: holds SQL {text.strip()[:60]!r}")
    return sorted(problems, key=lambda problem: int(problem.split(":")[1]))


def test_no_module_outside_the_store_executes_or_holds_sql() -> None:
    found = {str(path.relative_to(PACKAGE)): sql_outside_the_store(path) for path in _modules()}
    offending = {module: problems for module, problems in found.items()
                 if problems and module not in EXEMPT}
    assert offending == {}


def test_the_exemptions_are_still_needed() -> None:
    # An exemption that no longer covers any SQL is stale: remove it so the rule tightens.
    for module in EXEMPT:
        assert sql_outside_the_store(PACKAGE / module), f"{module} holds no SQL: drop its exemption"


def test_the_check_sees_a_statement_a_call_and_an_f_string(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Select the records from the store (prose, not SQL)."""\n'
        'def f(store, n):\n'
        '    store.query(f"SELECT id FROM records WHERE id IN ({n})")\n'
        '    message = "no record was selected from the list"\n'
        '    return "UPDATE records SET study_id = ?"\n', encoding="utf-8")
    assert sql_outside_the_store(sample) == [
        "sample.py:3: calls .query(...)",
        "sample.py:3: holds SQL 'SELECT id FROM records WHERE id IN (?)'",
        "sample.py:5: holds SQL 'UPDATE records SET study_id = ?'",
    ]
