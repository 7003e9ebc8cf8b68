"""Candidate pairs without comparing all pairs.

Two kinds of blocks: records sharing an identifier (DOI, PMID, PMCID, registry number) or a
citation key (first author's surname and first page), and sorted neighbourhoods: records sorted by a title key, each compared with the next few. Three
keys (the title, the title reversed, its words sorted) catch a change at the end, at the start,
or in word order. Neighbours are pre-filtered on title similarity in C (rapidfuzz `cpdist`), so
cost grows as records x window, not records squared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from itertools import combinations

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from livingreview.dedupe.features import Features

WINDOW = 8
# Records sharing an identifier are all compared with each other up to this many; a larger block
# (a DOI pasted into hundreds of records by a faulty export) is compared as a star.
ALL_PAIRS_BLOCK = 20
# Neighbours must look alike by edit distance, or one title must open the other (a dropped
# subtitle), before they are judged in full.
TITLE_RATIO_CUTOFF = 75


def candidate_pairs(features: Sequence[Features], window: int = WINDOW) -> list[tuple[int, int]]:
    """Index pairs (i < j) into `features`, each with at least one new record, sorted."""
    new = np.array([f.is_new for f in features], dtype=bool)
    if not new.any():
        return []
    count = len(features)
    # Pairs travel as one integer each (i * count + j), so merging the blocks is one np.unique.
    identifier = list(_identifier_pairs(features))
    codes = [_encode(np.array([p[0] for p in identifier], dtype=np.int64),
                     np.array([p[1] for p in identifier], dtype=np.int64), count)]
    codes.extend(_neighbourhood_codes(features, window, count))
    unique = np.unique(np.concatenate(codes))
    first, second = unique // count, unique % count
    keep = new[first] | new[second]
    return list(zip(first[keep].tolist(), second[keep].tolist()))


def _encode(a: np.ndarray, b: np.ndarray, count: int) -> np.ndarray:
    return np.minimum(a, b) * count + np.maximum(a, b)


def _identifier_pairs(features: Sequence[Features]) -> Iterator[tuple[int, int]]:
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, record in enumerate(features):
        for name in ("doi", "pmid", "pmcid"):
            value = getattr(record, name)
            if value:
                blocks[(name, value)].append(index)
        numbers = record.nct_ids if record.registry else (record.single_nct,) if record.single_nct else ()
        for number in numbers:
            blocks[("nct", number)].append(index)
        # First author and first page: a citation key that survives any change to the title.
        if record.surnames and record.first_page:
            blocks[("citation", f"{record.surnames[0]} {record.first_page}")].append(index)
    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) <= ALL_PAIRS_BLOCK:
            yield from combinations(members, 2)
            continue
        # A star around one member suffices for grouping and keeps a huge block linear; the
        # registry entry, or else the oldest record, is the centre.
        centre = min(members, key=lambda i: (not features[i].registry, features[i].is_new, features[i].id))
        for other in members:
            if other != centre:
                yield centre, other


def _neighbourhood_codes(features: Sequence[Features], window: int, count: int) -> Iterator[np.ndarray]:
    titled = np.array([i for i, f in enumerate(features) if f.title and not f.registry], dtype=np.int64)
    titles = [features[i].title for i in titled]
    keys = (
        titles,
        [t[::-1] for t in titles],
        [" ".join(sorted(t.split())) for t in titles],
    )
    for key_number, key in enumerate(keys):
        order = sorted(range(len(titles)), key=key.__getitem__)
        ordered_titles = [titles[k] for k in order]
        record_at = titled[np.array(order, dtype=np.int64)]
        for offset in range(1, min(window, len(order) - 1) + 1):
            # Only in plain title order does a dropped subtitle leave one title opening the other.
            similar = _similar_neighbours(ordered_titles, offset, prefixes=key_number == 0)
            yield _encode(record_at[similar], record_at[similar + offset], count)


def _similar_neighbours(ordered_titles: list[str], offset: int, prefixes: bool) -> np.ndarray:
    """Positions p whose title resembles the one `offset` places further on."""
    left, right = ordered_titles[:-offset], ordered_titles[offset:]
    similar = cpdist(left, right, scorer=fuzz.ratio, score_cutoff=TITLE_RATIO_CUTOFF, workers=1) > 0
    if prefixes:
        similar |= np.fromiter((b.startswith(a) for a, b in zip(left, right)), dtype=bool, count=len(left))
    return np.flatnonzero(similar)
