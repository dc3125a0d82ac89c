"""Inter-rater agreement statistics, as methods sections cite them (domain.md §6), checked against the
published worked examples in `../shared/irr_reference.json`.

All pure functions over plain data:

- two coders, one label per unit: a confusion table (rows: coder A's category, columns: coder B's), from
  which percent agreement, Cohen's κ (with the large-sample standard error and 95 % interval of Fleiss,
  Cohen & Everitt 1969, as SAS reports it), weighted κ and Brennan–Prediger κ;
- any number of coders with missing values: a units × coders list (`None` missing), from which Gwet's
  AC1, Fleiss' κ (Gwet's generalisation to missing values; equal to Fleiss 1971 when complete) and
  Krippendorff's α at the nominal, ordinal, interval and ratio levels;
- NVivo's character-level agreement and κ for one code in one document;
- over a continuum of characters, each coder's units as non-overlapping half-open segments with a value:
  Krippendorff's unitizing α (uα; binary |uα when units are only told from gaps) and cuα (the values
  of overlapping units, gaps aside), after Krippendorff, Mathet, Bouvry & Widlöcher (2016);
- MAXQDA-style segment agreement: a segment agrees when the other coder has one of the same code
  overlapping it by at least a minimum share (intersection over union), with Brennan–Prediger κ.

Conventions (the reference file's "gotchas", decided here): weighted κ weighs categories by their rank
among the categories observed (as R's irr and scikit-learn do by default); κ is undefined (None) when
chance agreement is 1, and so shown; NVivo's κ is 1 when both coders coded nothing and 0 when one did.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal


@dataclass(frozen=True, slots=True)
class Kappa:
    observed: float  # percent agreement, as a proportion
    chance: float
    kappa: float | None  # None where chance agreement is 1
    ase: float | None = None  # large-sample standard error of kappa
    ci95: tuple[float, float] | None = None
    ase_null: float | None = None  # under the hypothesis kappa = 0
    z: float | None = None


def confusion(first: Sequence[Hashable], second: Sequence[Hashable],
              categories: Sequence[Hashable] | None = None) -> tuple[list[Hashable], list[list[int]]]:
    """The k × k table of two coders' labels for the same units (rows: the first coder)."""
    if len(first) != len(second):
        raise ValueError("both coders need a label for every unit")
    labels = list(categories) if categories is not None else sorted(set(first) | set(second), key=_order)
    at = {label: n for n, label in enumerate(labels)}
    table = [[0] * len(labels) for _ in labels]
    for a, b in zip(first, second):
        table[at[a]][at[b]] += 1
    return labels, table


def _order(value) -> tuple:
    return (0, value, "") if isinstance(value, (int, float)) else (1, 0, str(value))


def cohen(table: Sequence[Sequence[int]]) -> Kappa:
    """Cohen's κ of a confusion table, with its standard errors and 95 % interval."""
    n = sum(map(sum, table))
    if n == 0:
        raise ValueError("no units")
    k = len(table)
    p = [[cell / n for cell in row] for row in table]
    rows = [sum(row) for row in p]
    columns = [sum(p[i][j] for i in range(k)) for j in range(k)]
    observed = sum(p[i][i] for i in range(k))
    chance = sum(rows[i] * columns[i] for i in range(k))
    if math.isclose(chance, 1.0):
        return Kappa(observed, chance, None)
    kappa = (observed - chance) / (1 - chance)
    a = sum(p[i][i] * (1 - (rows[i] + columns[i]) * (1 - kappa)) ** 2 for i in range(k))
    b = (1 - kappa) ** 2 * sum(p[i][j] * (columns[i] + rows[j]) ** 2 for i in range(k) for j in range(k) if i != j)
    c = (kappa - chance * (1 - kappa)) ** 2
    ase = math.sqrt(max(a + b - c, 0.0) / ((1 - chance) ** 2 * n))
    null = chance + chance ** 2 - sum(rows[i] * columns[i] * (rows[i] + columns[i]) for i in range(k))
    ase_null = math.sqrt(max(null, 0.0) / ((1 - chance) ** 2 * n))
    return Kappa(observed, chance, kappa, ase, (kappa - Z95 * ase, kappa + Z95 * ase), ase_null,
                 kappa / ase_null if ase_null else None)


def weighted_cohen(table: Sequence[Sequence[int]], weights: str = "linear") -> float | None:
    """Cohen's weighted κ (`linear` or `quadratic` disagreement weights by category rank)."""
    k = len(table)
    n = sum(map(sum, table))
    if k < 2 or n == 0:
        return None

    def agreement(i: int, j: int) -> float:
        distance = abs(i - j) / (k - 1)
        return 1 - (distance if weights == "linear" else distance ** 2)
    rows = [sum(row) / n for row in table]
    columns = [sum(table[i][j] for i in range(k)) / n for j in range(k)]
    observed = sum(agreement(i, j) * table[i][j] / n for i in range(k) for j in range(k))
    chance = sum(agreement(i, j) * rows[i] * columns[j] for i in range(k) for j in range(k))
    return None if math.isclose(chance, 1.0) else (observed - chance) / (1 - chance)


def brennan_prediger(table: Sequence[Sequence[int]], categories: int | None = None) -> float | None:
    """κ with chance agreement 1/q (MAXQDA's): q categories, by default the table's."""
    n = sum(map(sum, table))
    q = categories or len(table)
    if n == 0 or q < 2:
        return None
    observed = sum(table[i][i] for i in range(len(table))) / n
    return (observed - 1 / q) / (1 - 1 / q)


# Any number of coders, missing values allowed.

def _counts(units: Sequence[Sequence[Hashable | None]]) -> list[Counter]:
    return [Counter(value for value in unit if value is not None) for unit in units]


@dataclass(frozen=True, slots=True)
class ChanceCorrected:
    observed: float
    chance: float
    value: float | None


def gwet_ac1(units: Sequence[Sequence[Hashable | None]], categories: Sequence[Hashable] | None = None) -> ChanceCorrected:
    """Gwet's AC1 (units × coders; None where a coder gave no value), robust where κ collapses on a rare code."""
    observed, shares, labels = _multi(units, categories)
    q = len(labels)
    chance = sum(pi * (1 - pi) for pi in shares.values()) / (q - 1) if q > 1 else 0.0
    return ChanceCorrected(observed, chance, None if math.isclose(chance, 1.0) else (observed - chance) / (1 - chance))


def gwet_ac1_two(table: Sequence[Sequence[int]]) -> ChanceCorrected:
    """Gwet's AC1 of two coders from their confusion table: the same value as `gwet_ac1` on complete data,
    without building a unit at a time (agreement over tens of thousands of units)."""
    n = sum(map(sum, table))
    q = len(table)
    observed = sum(table[i][i] for i in range(q)) / n
    shares = [(sum(table[i]) + sum(row[i] for row in table)) / (2 * n) for i in range(q)]
    chance = sum(pi * (1 - pi) for pi in shares) / (q - 1) if q > 1 else 0.0
    return ChanceCorrected(observed, chance, None if math.isclose(chance, 1.0) else (observed - chance) / (1 - chance))


def fleiss(units: Sequence[Sequence[Hashable | None]], categories: Sequence[Hashable] | None = None) -> ChanceCorrected:
    """Fleiss' κ for two or more coders (Gwet's form for missing values; Fleiss 1971 when none are)."""
    observed, shares, _ = _multi(units, categories)
    chance = sum(pi ** 2 for pi in shares.values())
    return ChanceCorrected(observed, chance, None if math.isclose(chance, 1.0) else (observed - chance) / (1 - chance))


def fleiss_from_counts(table: Sequence[Sequence[int]]) -> ChanceCorrected:
    """Fleiss' κ from a subjects × categories table of how many coders chose each category."""
    units = [[category for category, count in enumerate(row) for _ in range(count)] for row in table]
    return fleiss(units, range(len(table[0])))


def _multi(units, categories) -> tuple[float, dict, list]:
    counts = _counts(units)
    labels = list(categories) if categories is not None else sorted({c for unit in counts for c in unit}, key=_order)
    pairable = [unit for unit in counts if sum(unit.values()) >= 2]
    if not pairable:
        raise ValueError("no unit has values from two coders")
    observed = sum(sum(r * (r - 1) for r in unit.values()) / (sum(unit.values()) * (sum(unit.values()) - 1))
                   for unit in pairable) / len(pairable)
    rated = [unit for unit in counts if unit]
    shares = {label: sum(unit.get(label, 0) / sum(unit.values()) for unit in rated) / len(rated) for label in labels}
    return observed, shares, labels


def krippendorff_alpha(units: Sequence[Sequence[Hashable | None]], level: str = "nominal") -> float | None:
    """Krippendorff's α over units × coders (None missing) at the nominal, ordinal, interval or ratio level."""
    coincidences: dict[tuple, float] = defaultdict(float)
    for unit in _counts(units):
        m = sum(unit.values())
        if m < 2:
            continue
        for c, nc in unit.items():
            for k, nk in unit.items():
                coincidences[c, k] += (nc * (nk - (c == k))) / (m - 1)
    totals: dict = defaultdict(float)
    for (c, _), value in coincidences.items():
        totals[c] += value
    n = sum(totals.values())
    if n <= 1:
        return None
    delta = _metric(level, totals)
    observed = sum(value * delta(c, k) for (c, k), value in coincidences.items()) / n
    expected = sum(totals[c] * totals[k] * delta(c, k) for c in totals for k in totals) / (n * (n - 1))
    return None if expected == 0 else 1 - observed / expected


def _metric(level: str, totals: dict):
    if level == "nominal":
        return lambda c, k: float(c != k)
    if level == "interval":
        return lambda c, k: float(c - k) ** 2
    if level == "ratio":
        return lambda c, k: ((c - k) / (c + k)) ** 2 if c + k else 0.0
    if level == "ordinal":
        ranked = sorted(totals, key=_order)
        position = {value: n for n, value in enumerate(ranked)}

        def ordinal(c, k) -> float:
            low, high = sorted((position[c], position[k]))
            between = sum(totals[ranked[g]] for g in range(low, high + 1))
            return (between - (totals[c] + totals[k]) / 2) ** 2
        return ordinal
    raise ValueError(f"level {level!r}: nominal, ordinal, interval or ratio")


# NVivo's character-level statistics for one code in one document.

@dataclass(frozen=True, slots=True)
class CharacterAgreement:
    agreement: float
    kappa: float


def nvivo(total: int, first: int, second: int, both: int) -> CharacterAgreement:
    """`total` characters; `first` and `second` coded by each coder, `both` by both."""
    neither = total - first - second + both
    agreement = (both + neither) / total if total else 1.0
    expected = first * second / total + (total - first) * (total - second) / total if total else 0.0
    if math.isclose(total, expected):  # one category for all: perfect if the coders agree on it, else none
        return CharacterAgreement(agreement, 1.0 if agreement == 1 else 0.0)
    return CharacterAgreement(agreement, (both + neither - expected) / (total - expected))


# Unitizing: segments on a continuum.

Segment = tuple[int, int, Hashable]  # [start, end) and the unit's value
_GAP = object()  # the value of stretches a coder left uncoded


@dataclass(frozen=True, slots=True)
class Unitized:
    alpha: float | None  # uα (|uα when every unit has one value)
    coding: float | None  # cuα: agreement on the values of units that overlap, gaps left out


def unitized(coders: Sequence[Sequence[Segment]], length: int) -> Unitized:
    """uα and cuα for two or more coders over a continuum [0, length). A coder's segments must not
    overlap; what they leave uncoded are gaps. Observed coincidences are the lengths by which every
    two coders' stretches (units and gaps) overlap; expected ones treat a unit of length ℓ as one
    value ℓ² times over and a gap as ℓ stretches of one character (Krippendorff 2019, §12.6)."""
    if len(coders) < 2 or length <= 0:
        return Unitized(None, None)
    covered = [_with_gaps(segments, length) for segments in coders]
    observed: dict[tuple, float] = defaultdict(float)
    for first in range(len(covered)):
        for second in range(first + 1, len(covered)):
            for pair, overlap in _overlaps(covered[first], covered[second]).items():
                observed[pair] += overlap / (len(coders) - 1)
                observed[pair[::-1]] += overlap / (len(coders) - 1)
    values = {value for stretches in covered for _, _, value in stretches}
    margins = {v: sum(observed.get((v, k), 0.0) for k in values) for v in values}
    total = sum(margins.values())
    own = defaultdict(float)
    for stretches in covered:
        for start, end, value in stretches:
            own[value] += (end - start) if value is _GAP else (end - start) ** 2
    denominator = total * total - sum(own.values())
    expected_off = total - sum(total * (margins[v] ** 2 - own[v]) / denominator for v in values) if denominator else 0.0
    observed_off = total - sum(observed.get((v, v), 0.0) for v in values)
    alpha = 1 - observed_off / expected_off if expected_off else None
    return Unitized(alpha, _coding_alpha(observed, values - {_GAP}))


def _with_gaps(segments: Sequence[Segment], length: int) -> list[Segment]:
    stretches, position = [], 0
    for start, end, value in sorted(segments, key=lambda s: (s[0], s[1])):
        if start < position:
            raise ValueError(f"segments overlap at {start}: unitizing needs each coder's units apart")
        if start > position:
            stretches.append((position, start, _GAP))
        stretches.append((start, end, value))
        position = end
    if position < length:
        stretches.append((position, length, _GAP))
    return stretches


def _overlaps(first: list[Segment], second: list[Segment]) -> dict[tuple, int]:
    """Lengths by which two coverings of one continuum overlap, by pair of values (a sweep over both)."""
    found: dict[tuple, int] = defaultdict(int)
    i = j = 0
    while i < len(first) and j < len(second):
        (a_start, a_end, a_value), (b_start, b_end, b_value) = first[i], second[j]
        overlap = min(a_end, b_end) - max(a_start, b_start)
        if overlap > 0:
            found[(a_value, b_value)] += overlap
        if a_end <= b_end:
            i += 1
        else:
            j += 1
    return found


def _coding_alpha(observed: dict[tuple, float], values: set) -> float | None:
    """Nominal α over the coincidences of values alone (where units of two coders overlap)."""
    cells = {pair: n for pair, n in observed.items() if pair[0] in values and pair[1] in values}
    margins = defaultdict(float)
    for (value, _), n in cells.items():
        margins[value] += n
    total = sum(margins.values())
    if total <= 1:
        return None
    disagreeing = sum(n for (a, b), n in cells.items() if a != b)
    expected = sum(margins[a] * margins[b] for a in margins for b in margins if a != b) / (total - 1)
    return 1 - disagreeing / expected if expected else None


@dataclass(frozen=True, slots=True)
class SegmentAgreement:
    segments: int  # both coders' segments
    agreeing: int  # segments with a match by the other coder
    percent: float | None
    kappa: float | None  # Brennan–Prediger, chance 1/codes


def segment_agreement(first: Sequence[tuple[int, int]], second: Sequence[tuple[int, int]], minimum: float) -> tuple[int, int]:
    """For one code in one document: how many of both coders' segments have a segment of the other's
    overlapping them by at least `minimum` of the two segments' union; and how many segments in all."""
    def matched(own, other) -> int:
        return sum(1 for a in own if any(_share(a, b) >= minimum for b in other))
    return matched(first, second) + matched(second, first), len(first) + len(second)


def _share(a: tuple[int, int], b: tuple[int, int]) -> float:
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    return overlap / (max(a[1], b[1]) - min(a[0], b[0])) if overlap > 0 else 0.0


def segment_summary(agreeing: int, segments: int, codes: int) -> SegmentAgreement:
    """Percent of segments agreed on, and κ with Brennan and Prediger's chance agreement of 1/codes."""
    if not segments:
        return SegmentAgreement(0, 0, None, None)
    percent, chance = agreeing / segments, 1 / max(codes, 1)
    return SegmentAgreement(segments, agreeing, percent, (percent - chance) / (1 - chance) if chance < 1 else None)
