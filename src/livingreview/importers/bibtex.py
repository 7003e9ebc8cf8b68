"""BibTeX, read by a small parser of its own.

The file is read line by line; an entry's text is collected from its `@` to the brace (or
parenthesis) that closes it, so memory is bounded by the largest entry. Text outside entries is
a comment, as in BibTeX itself, except that a stray closing brace there is reported: it almost
always means a field closed the entry early.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from livingreview.importers._text import numbered_lines, present, year_from
from livingreview.importers.base import ImportFormatError, Importer
from livingreview.records import Record

_SNIFF = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_MONTHS = {name: str(number) for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_NOT_RECORDS = frozenset({"comment", "preamble", "string"})
# Accent commands over one letter: \"o, \"{o}, {\"o}, \c{c} ... -> combining characters.
_COMBINING = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303",
              "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
              "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323", "b": "\u0331"}
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
            "aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ"}
_ACCENT = re.compile(r"""\\([\"'`^~=.])\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))"""
                     r"""|\\([uvHckrdb])(?:\s*\{\s*(\\?[A-Za-z])\s*\}|\s+([A-Za-z]))""")
_LETTER = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|[oOlLij])(?![A-Za-z])\s*(?:\{\})?")
_ESCAPED = re.compile(r"\\([&%$#_{}])")
# \emph{x} -> x (formatting commands take a braced argument); \TeX -> TeX (names stay).
_COMMAND = re.compile(r"\\([A-Za-z]+)\*?(\s*\{)?\s*")
_PARTICLE = re.compile(r"^[a-z]")
_KIND = re.compile(r"@\s*([A-Za-z]+)")
# Outside entries only '@type{' or '@type(' begins one; any other '@' (an e-mail address in a
# comment) is comment text.
_ENTRY_START = re.compile(r"@\s*[A-Za-z]+\s*[{(]")
_NAME = re.compile(r"[A-Za-z0-9_:.+/-]+")
_NUMBER = re.compile(r"\d+")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
# Commands that stand for a character. Anything else keeps its name as text (\TeX -> TeX), so a
# symbol missing here shows up as a word rather than vanishing.
_SYMBOLS = {
    "textgreater": ">", "textless": "<", "hyphen": "-", "textendash": "–", "textemdash": "—",
    "textasciitilde": "~", "textbackslash": "\\", "textunderscore": "_", "textbar": "|",
    "textregistered": "®", "texttrademark": "™", "textcopyright": "©", "textdegree": "°",
    "degree": "°", "textmu": "µ", "textpm": "±", "pm": "±", "times": "×", "div": "÷",
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "approx": "≈", "sim": "~",
    "ldots": "…", "dots": "…", "textellipsis": "…", "textbullet": "•", "S": "§", "P": "¶",
    "dag": "†", "ddag": "‡", "textquotesingle": "'", "textquotedbl": '"', "textquoteleft": "‘",
    "textquoteright": "’", "textquotedblleft": "“", "textquotedblright": "”", "euro": "€",
    "pounds": "£", "textperiodcentered": "·", "cdot": "·", "infty": "∞", "to": "→",
    "rightarrow": "→", "leftarrow": "←", "textpercent": "%", "textasciicircum": "^",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ",
    "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ",
    "Lambda": "Λ", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}
# Spacing commands: thin, medium, thick and negative spaces, and the explicit space after a word.
_PROTECTED = 0xF0000  # plane 15, private use
_UNPROTECT = re.compile("[\U000F0000-\U000F007F]")
_SPACING = re.compile(r"\\[,;:! ]")


@dataclass
class _Entry:
    start_line: int
    text: list[str] = field(default_factory=list)


class BibtexImporter(Importer):
    name = "bibtex"
    description = "BibTeX (.bib)"
    extensions = (".bib", ".bibtex")

    @classmethod
    def sniff(cls, head: str, path: Path) -> bool:
        return bool(_SNIFF.search(head))

    def parse(self, path: Path, encoding: str) -> Iterator[Record]:
        macros = dict(_MONTHS)
        entries = produced = 0
        for entry in _entries(path, encoding):
            text = "".join(entry.text)
            kind_seen = _KIND.match(text)
            if kind_seen and kind_seen.group(1).lower() not in _NOT_RECORDS:
                entries += 1
            parsed = _EntryParser(path, text, entry.start_line, macros).parse()
            if parsed is None:
                continue
            kind, key, fields = parsed
            if kind == "string":
                macros.update(fields)
                continue
            produced += 1
            yield _record(kind, key, fields, text)
        if entries != produced:
            raise ImportFormatError(path, f"{entries} entries but {produced} records were read")
        if produced == 0:
            raise ImportFormatError(path, "at least one BibTeX entry ('@article{key, ...}')", line=1)


def _entries(path: Path, encoding: str) -> Iterator[_Entry]:
    """The raw text of each `@type{...}` entry, found by brace depth; errors name the line."""
    scanner: _Scanner | None = None
    number = last_closed = 0
    for number, line in numbered_lines(path, encoding):
        position = 0
        while position < len(line):
            if scanner is None:
                start = _ENTRY_START.search(line, position)
                end = start.start() if start else len(line)
                if "}" in line[position:end]:
                    after = f" (did a field close the entry that ended on line {last_closed} early?)"
                    raise ImportFormatError(path, "unbalanced braces: '}' outside any entry"
                                            + (after if last_closed else ""), line=number)
                if start is None:
                    break
                scanner, position = _Scanner(path, number), end
            position = scanner.feed(line, position, number)
            if scanner.closed:
                yield scanner.entry
                scanner, last_closed = None, number
    if scanner is not None:
        start_line = scanner.entry.start_line
        raise ImportFormatError(
            path, f"unbalanced braces: the entry beginning on line {start_line} is never closed",
            line=number, record=f"starting on line {start_line}")


class _Scanner:
    """Follows one entry's braces (or parentheses) across lines until it closes."""

    def __init__(self, path: Path, line_number: int) -> None:
        self.path, self.entry = path, _Entry(line_number)
        self.closer, self.depth, self.quoted = "", 0, False

    @property
    def closed(self) -> bool:
        return bool(self.closer) and self.depth == 0

    def feed(self, line: str, position: int, number: int) -> int:
        """Consume `line` from `position` up to the entry's end; returns where it stopped."""
        begin = position
        while position < len(line) and not self.closed:
            char = line[position]
            position += 2 if char == "\\" else 1
            if char == "\\":
                continue
            if not self.closer:
                if char in "{(":
                    self.closer, self.depth = ("}" if char == "{" else ")"), 1
            elif char == "{":
                self.depth += 1
            elif char == "}":
                self.depth -= 1
                if self.closer == ")" and self.depth == 0:
                    raise ImportFormatError(
                        self.path, "unbalanced braces: '}' without a matching '{'", line=number,
                        record=f"starting on line {self.entry.start_line}")
            elif char == '"' and self.depth == 1:
                self.quoted = not self.quoted
            elif char == ")" and self.closer == ")" and self.depth == 1 and not self.quoted:
                self.depth = 0
        self.entry.text.append(line[begin:position])
        return position


class _EntryParser:
    """Recursive-descent parse of one entry's text: `@type{key, name = value # value, ...}`."""

    def __init__(self, path: Path, text: str, start_line: int, macros: dict[str, str]) -> None:
        self.path, self.text, self.start_line, self.macros = path, text, start_line, macros
        self.position = 0

    def error(self, expected: str) -> ImportFormatError:
        line = self.start_line + self.text.count("\n", 0, self.position)
        return ImportFormatError(self.path, expected, line=line,
                                 record=f"starting on line {self.start_line}")

    def parse(self) -> tuple[str, str, dict[str, str]] | None:
        self.expect("@")
        kind = self.name().lower()
        if kind in ("comment", "preamble"):
            return None
        self.skip_space()  # '@article {key,' and '@STRING (...)' put space before the opener
        opener = self.peek()
        self.expect(opener if opener in "{(" else "{")
        closer = "}" if opener == "{" else ")"
        key = "" if kind == "string" else self.key()
        fields: dict[str, str] = {}
        while True:
            self.skip_space()
            if self.peek() == closer:
                break
            name = self.name().lower()
            self.skip_space()
            self.expect("=")
            fields[name] = self.value()
            self.skip_space()
            if self.peek() == ",":
                self.position += 1
            elif self.peek() != closer:
                raise self.error(f"',' or '{closer}' after the value of field '{name}'")
        return kind, key, fields

    def key(self) -> str:
        self.skip_space()
        start = self.position
        while self.position < len(self.text) and self.text[self.position] not in ",}) \t\r\n":
            self.position += 1
        key = self.text[start:self.position]
        self.skip_space()
        if self.peek() == ",":
            self.position += 1
        return key

    def name(self) -> str:
        self.skip_space()
        match = _NAME.match(self.text, self.position)
        if not match:
            raise self.error("a name (entry type or field name)")
        self.position = match.end()
        return match.group(0)

    def value(self) -> str:
        parts = [self.value_part()]
        self.skip_space()
        while self.peek() == "#":
            self.position += 1
            parts.append(self.value_part())
            self.skip_space()
        return "".join(parts)

    def value_part(self) -> str:
        self.skip_space()
        char = self.peek()
        if char == "{":
            return self.delimited("{", "}")
        if char == '"':
            return self.delimited('"', '"')
        if char.isdigit():
            match = _NUMBER.match(self.text, self.position)
            assert match is not None
            self.position = match.end()
            return match.group(0)
        name = self.name().lower()
        if name not in self.macros:
            raise self.error(f"a braced or quoted value, a number, or a defined @string (not '{name}')")
        return self.macros[name]

    def delimited(self, opener: str, closer: str) -> str:
        """Text between balanced delimiters; inside quotes, braces still nest."""
        self.position += 1
        start, depth = self.position, 0
        while self.position < len(self.text):
            char = self.text[self.position]
            if char == "\\":
                self.position += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}" and depth > 0:
                depth -= 1
            elif char == closer and depth == 0:
                self.position += 1
                return self.text[start:self.position - 1]
            self.position += 1
        raise self.error(f"'{closer}' to close the value opened here")

    def expect(self, char: str) -> None:
        self.skip_space()
        if self.peek() != char:
            raise self.error(f"'{char}'")
        self.position += 1

    def peek(self) -> str:
        return self.text[self.position] if self.position < len(self.text) else ""

    def skip_space(self) -> None:
        while self.position < len(self.text) and self.text[self.position].isspace():
            self.position += 1


def latex_to_unicode(text: str) -> str:
    """Accents and special letters as Unicode, escapes unescaped, grouping braces dropped."""
    def accent(match: re.Match[str]) -> str:
        mark, letter = (match.group(1), match.group(2) or match.group(3)) if match.group(1) else (
            match.group(4), match.group(5) or match.group(6))
        # An accented \\i or \\j is LaTeX's way to write an accented i or j.
        base = letter[1:] if letter in ("\\i", "\\j") else (
            _LETTERS.get(letter[1:], letter[1:]) if letter.startswith("\\") else letter)
        return unicodedata.normalize("NFC", base + _COMBINING[mark])

    text = _ACCENT.sub(accent, text)
    text = _LETTER.sub(lambda m: _LETTERS[m.group(1)], text)
    # Escaped characters wait in the private use area while braces and math dollars go.
    text = _ESCAPED.sub(lambda m: chr(_PROTECTED + ord(m.group(1))), text)
    text = _SPACING.sub(" ", text)
    text = _COMMAND.sub(_command, text)
    text = text.replace("{", "").replace("}", "").replace("$", "")
    text = text.replace("~", " ").replace("---", "—").replace("--", "–")
    text = _UNPROTECT.sub(lambda m: chr(ord(m.group(0)) - _PROTECTED), text)
    return " ".join(text.split())


def _command(match: re.Match[str]) -> str:
    """A symbol command becomes its character (keeping a brace that opened an argument); a
    formatting command with an argument disappears and leaves the argument; a name stays."""
    name, argument = match.group(1), match.group(2)
    if name in _SYMBOLS:
        return _SYMBOLS[name] + ("{" if argument else "")
    return "" if argument else name


def _record(kind: str, key: str, fields: dict[str, str], raw: str) -> Record:
    present_values = {name: present(latex_to_unicode(value)) for name, value in fields.items()}
    values = {name: value for name, value in present_values.items() if value}
    mapped = {"title", "author", "journal", "booktitle", "year", "volume", "number", "pages", "doi",
              "pmid", "pmcid", "abstract", "keywords", "language"}
    extra: dict[str, object] = {"entry_type": kind}
    extra.update({name: value for name, value in values.items() if name not in mapped})
    return Record(
        source="bibtex",
        raw=raw,
        source_id=key or None,
        title=values.get("title"),
        abstract=values.get("abstract"),
        authors=[_author(piece) for piece in _split_names(fields.get("author", ""))],
        journal=values.get("journal") or values.get("booktitle"),
        year=year_from(values.get("year"), values.get("date")),
        volume=values.get("volume"),
        issue=values.get("number"),
        pages=values.get("pages", "").replace("–", "-") or None,
        doi=values.get("doi"),
        pmid=values.get("pmid"),
        pmcid=values.get("pmcid"),
        keywords=[k.strip() for k in re.split(r"[;,]", values.get("keywords", "")) if k.strip()],
        language=values.get("language"),
        extra=extra,
    )


def _split_names(text: str) -> list[str]:
    """Split on 'and' between whitespace outside braces ({Barnes and Noble} is one corporate
    author); the whitespace may be a line break, as when an export wraps the author list."""
    names, depth, start = [], 0, 0
    for position, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and position >= start and (separator := _AND.match(text, position)):
            names.append(text[start:position])
            start = separator.end()
    names.append(text[start:])
    return [name.strip() for name in names if name.strip()]


def _author(piece: str) -> str:
    """A braced whole ({World Health Organization}) is a corporate name and keeps its order."""
    name = latex_to_unicode(piece)
    return name if _fully_braced(piece) else _surname_first(name)


def _fully_braced(text: str) -> bool:
    if not text.startswith("{"):
        return False
    depth = 0
    for position, char in enumerate(text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return position == len(text) - 1
    return False


def _surname_first(name: str) -> str:
    """'Ludwig van Beethoven' -> 'van Beethoven, Ludwig', as the other formats write names."""
    if "," in name:
        return name
    words = name.split()
    if len(words) < 2:
        return name
    surname_from = len(words) - 1
    for index, word in enumerate(words[:-1]):
        if index > 0 and _PARTICLE.match(word):
            surname_from = index
            break
    return " ".join(words[surname_from:]) + ", " + " ".join(words[:surname_from])
