"""Passages of a JATS full text: the title, the abstract and each top-level body section.

The passage's field is "jats:<section title>" (with the section's position when the title is
missing or repeated), and its text is the section's text with inline markup flattened, so a span
cited from it can be found again by reading the same file the same way. References and
back matter are left out: they describe other studies.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from livingreview.errors import BadInput
from livingreview.extraction.passages import Passage

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=False, huge_tree=False)


class JatsError(BadInput):
    """The file is not JATS XML that can be read."""


def jats_passages(path: Path, record_id: int | None) -> list[Passage]:
    try:
        root = etree.parse(str(path), _PARSER).getroot()
    except (OSError, etree.XMLSyntaxError) as error:
        raise JatsError(f"{path}: not readable JATS XML ({error})") from None
    passages: list[Passage] = []
    title = root.find(".//front//article-title")
    if title is not None:
        passages.append(Passage(record_id, "jats:title", _flat(title)))
    for index, abstract in enumerate(root.findall(".//front//abstract")):
        if abstract.get("abstract-type") in (None, "", "structured"):
            passages.append(Passage(record_id, "jats:abstract" if index == 0 else f"jats:abstract[{index}]",
                                    _flat(abstract)))
    body = root.find(".//body")
    if body is None:
        return passages
    seen: set[str] = set()
    for index, section in enumerate(body.findall("sec")):
        heading = section.find("title")
        name = " ".join(_flat(heading).split()) if heading is not None else ""
        field = f"jats:{name}" if name and name not in seen else f"jats:section[{index}]"
        seen.add(name)
        passages.append(Passage(record_id, field, _flat(section)))
    return [p for p in passages if p.text]


_BLOCKS = frozenset({"title", "p", "label", "caption", "td", "th", "list-item", "sec"})


def _flat(element: etree._Element) -> str:
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if not isinstance(node.tag, str) or node.tag == "ref-list":
            return  # comments, processing instructions, references
        if node.tag == "xref" and (node.text or "").strip().strip("[]").replace(",", "").isdigit():
            return  # citation numbers would read as counts ("in 12 patients [13]")
        if node.tag in _BLOCKS:
            parts.append(" ")
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    walk(element)
    return " ".join("".join(parts).split())
