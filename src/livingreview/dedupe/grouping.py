"""From accepted pairs to study groups, and from groups to stable study ids.

Union-find over the accepted pairs, human-confirmed ones first and then automatic ones by
falling score; a union that would put two records a human kept apart into one group is skipped,
so a rejection holds even against a chain of automatic matches.

Groups must not chain through a weak link either: two records that match a third may still be
different articles (a broken export carrying one article's DOI under another's title). Given the
records' identifiers, an automatic duplicate link that would join two groups whose DOIs (or
PMIDs) are all different is skipped. Companion links (an erratum, a conference version, a
registry entry) join reports with identifiers of their own by nature, and a human's
confirmation stands, so neither is checked.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# A record's (DOI, PMID), either may be None.
Identity = tuple[str | None, str | None]


class UnionFind:
    def __init__(self, items: Iterable[int], identities: Mapping[int, Identity] | None = None) -> None:
        self._parent = {item: item for item in items}
        self._kept_apart: dict[int, set[int]] = defaultdict(set)
        # Per root: the DOIs and the PMIDs its group's records carry.
        self._identifiers: dict[int, tuple[set[str], set[str]]] = {
            item: ({doi} if doi else set(), {pmid} if pmid else set())
            for item, (doi, pmid) in (identities or {}).items() if item in self._parent}

    def find(self, item: int) -> int:
        root = item
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[item] != root:  # path compression
            self._parent[item], item = root, self._parent[item]
        return root

    def keep_apart(self, a: int, b: int) -> None:
        self._kept_apart[self.find(a)].add(b)
        self._kept_apart[self.find(b)].add(a)

    def union(self, a: int, b: int, *, check_identifiers: bool = False) -> bool:
        """Join the groups of a and b unless a human kept members of them apart or, when asked,
        the groups' identifiers say they are different articles."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return True
        if any(self.find(x) == root_b for x in self._kept_apart.get(root_a, ())):
            return False
        if any(self.find(x) == root_a for x in self._kept_apart.get(root_b, ())):
            return False
        if check_identifiers and self._identifiers_differ(root_a, root_b):
            return False
        self._parent[root_b] = root_a
        if root_b in self._kept_apart:
            self._kept_apart[root_a] |= self._kept_apart.pop(root_b)
        if root_b in self._identifiers:
            dois, pmids = self._identifiers.setdefault(root_a, (set(), set()))
            other_dois, other_pmids = self._identifiers.pop(root_b)
            dois |= other_dois
            pmids |= other_pmids
        return True

    def _identifiers_differ(self, root_a: int, root_b: int) -> bool:
        empty: tuple[set[str], set[str]] = (set(), set())
        (dois_a, pmids_a), (dois_b, pmids_b) = (self._identifiers.get(root_a, empty),
                                                self._identifiers.get(root_b, empty))
        return bool(dois_a and dois_b and not dois_a & dois_b) or bool(
            pmids_a and pmids_b and not pmids_a & pmids_b)

    def groups(self) -> list[list[int]]:
        members: dict[int, list[int]] = defaultdict(list)
        for item in self._parent:
            members[self.find(item)].append(item)
        return sorted((sorted(group) for group in members.values()), key=lambda g: g[0])


@dataclass(frozen=True)
class PairRow:
    record_a: int
    record_b: int
    score: float
    status: str
    relation: str = field(default="duplicate")
    method: str = field(default="fuzzy")  # doi | pmid | pmcid | nct | fuzzy


def group_records(record_ids: Sequence[int], pairs: Sequence[PairRow],
                  identities: Mapping[int, Identity] | None = None) -> list[list[int]]:
    """Groups of record ids (each sorted, listed by smallest id); every record is in one group.

    With `identities`, automatic duplicate links do not chain groups of different articles."""
    universe = set(record_ids)
    forest = UnionFind(record_ids, identities)
    usable = [p for p in pairs if p.record_a in universe and p.record_b in universe]
    for pair in usable:
        if pair.status == "rejected":
            forest.keep_apart(pair.record_a, pair.record_b)
    confirmed = [p for p in usable if p.status == "confirmed"]
    # Identifier matches before fuzzy ones of the same score: when a record could join either of
    # two articles, the identifier it shares decides which.
    automatic = sorted((p for p in usable if p.status == "auto"),
                       key=lambda p: (-p.score, p.method == "fuzzy", p.record_a, p.record_b))
    for pair in confirmed:
        forest.union(pair.record_a, pair.record_b)
    for pair in automatic:
        forest.union(pair.record_a, pair.record_b, check_identifiers=pair.relation == "duplicate")
    return forest.groups()


def assign_studies(
    groups: Sequence[list[int]], current: dict[int, int | None]
) -> tuple[dict[int, int], list[int]]:
    """Keep study ids stable: each existing study goes to the group holding most of its records.

    Returns ({group index: kept study id}, indices of groups that need a new study).
    """
    claims = []
    for index, group in enumerate(groups):
        counts = Counter(study for r in group if (study := current.get(r)) is not None)
        for study, count in counts.items():
            claims.append((-count, group[0], study, index))
    kept: dict[int, int] = {}
    taken: set[int] = set()
    for _, _, study, index in sorted(claims):
        if index not in kept and study not in taken:
            kept[index] = study
            taken.add(study)
    needing_new = [index for index in range(len(groups)) if index not in kept]
    return kept, needing_new
