"""Matrices: cases × codes, code co-occurrence, cases × sources (evidence coverage).

A *case* is a person (their speaker code; interviewers are never cases), a document, or the value of an
attribute (`site`: each site is a case). Matrices read the same evidence as tallies (accepted codings of
one coder, narrowed by filters), so a matrix and a tally of the same codes agree. Ratings and the
framework matrix, which a team fills in outside qualcode, live in `framework.py`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .codebook import Codebook
from .errors import UsageError
from .tally import Evidence, Spoken, project_evidence, unit_key

VALUES = ("mentions", "presence", "percent")
UNITS = ("turn", "document", "person")
PRESENT = "Y"


@dataclass(frozen=True, slots=True)
class Matrix:
    """Rows × columns of cells (None where empty), with what a cell counts."""

    title: str
    row_header: str
    rows: list[str]
    columns: list[str]  # code ids, or source values
    headers: list[str]  # what each column is called when printed
    cells: dict[tuple[str, str], int | float | str]
    totals: dict[str, int | str]  # per column: a total row (mentions), or how many rows have it (presence)
    total_label: str
    notes: list[str]
    row_labels: dict[str, str] = field(default_factory=dict)  # where rows are ids (codes)


def case_of(evidence: Evidence, case: str, turn: Spoken) -> str | None:
    """The case a turn belongs to (None: it belongs to none, e.g. the interviewer's turn)."""
    if case == "person":
        person = evidence.people.get(turn.person) if turn.person is not None else None
        return person.name if person is not None and (person.is_participant or person.is_group) else None
    if case == "document":
        return evidence.document_names.get(turn.document, str(turn.document))
    return evidence.value(case, turn)


def check_case(evidence: Evidence, case: str) -> None:
    if case not in ("person", "document") and case not in evidence.attributes():
        raise UsageError(f"--case {case}: person, document, or an attribute: {', '.join(evidence.attributes())}")


def chosen_codes(codebook: Codebook, level: int | None, codes: list[str] | None) -> list[str]:
    """The codes that make the columns: named ones, or every code at one level (1: the themes), or all."""
    if codes:
        return codebook.resolve_all(codes)
    depth = {code_id: codebook.path(code_id).count(" > ") + 1 for code_id in codebook.codes}
    if level is not None and level not in depth.values():
        raise UsageError(f"--level {level}: the codebook's levels are 1 to {max(depth.values(), default=1)}")
    return [c for c, d in depth.items() if level is None or d == level]


def cases_by_codes(evidence: Evidence, codebook: Codebook, case: str = "person", values: str = "mentions",
                   level: int | None = 1, codes: list[str] | None = None) -> Matrix:
    """A row per case, a column per code (rolled up over the codes under it): how many coded segments,
    whether any (Y), or the share of the case's coded segments."""
    if values not in VALUES:
        raise UsageError(f"--values {values}: choose one of {', '.join(VALUES)}")
    check_case(evidence, case)
    columns = chosen_codes(codebook, level, codes)
    member_of = _members(codebook, columns)
    spans: dict[tuple[str, str], set] = defaultdict(set)
    all_spans: dict[str, set] = defaultdict(set)
    for occurrence in evidence.counted():
        row = case_of(evidence, case, occurrence.turn)
        if row is None:
            continue
        key = unit_key("mentions", occurrence, evidence.people)
        all_spans[row].add(key)
        for column in member_of.get(occurrence.code, ()):
            spans[row, column].add(key)
    rows = natural_order(case_of(evidence, case, t) for t in evidence.turns)
    cells: dict[tuple[str, str], int | float | str] = {}
    for row in rows:
        for column in columns:
            n = len(spans.get((row, column), ()))
            if values == "mentions":
                cells[row, column] = n
            elif values == "presence":
                cells[row, column] = PRESENT if n else ""
            else:
                cells[row, column] = round(100 * n / len(all_spans[row])) if all_spans.get(row) else 0
    if values == "presence":
        totals: dict[str, int | str] = {c: sum(1 for r in rows if cells[r, c]) for c in columns}
        total_label, unit = f"{case.capitalize()}s with it", "Y: at least one coded segment"
    else:
        totals = {c: len(set().union(*(spans.get((r, c), set()) for r in rows))) for c in columns}
        total_label = "All (distinct segments)"
        unit = "coded segments" if values == "mentions" else "% of each case's coded segments (rounded)"
    notes = [f"Cells: {unit}; a theme counts the segments of the codes under it once each. Coder: {evidence.coder}."]
    return Matrix(f"{case} × code", case, rows, columns, [codebook.codes[c].label for c in columns], cells, totals,
                  total_label, notes)


def cooccurrence(evidence: Evidence, codebook: Codebook, unit: str = "turn", level: int | None = None,
                 codes: list[str] | None = None) -> Matrix:
    """Code × code: in how many turns (documents, people) both codes occur; the diagonal is each code's
    own count. Computed as a sparse product, so thousands of codes and units cost little."""
    from scipy.sparse import csr_matrix

    if unit not in UNITS:
        raise UsageError(f"--by {unit}: choose one of {', '.join(UNITS)}")
    columns = chosen_codes(codebook, level, codes)
    member_of = _members(codebook, columns)
    index = {code_id: n for n, code_id in enumerate(columns)}
    units: dict = {}
    pairs: set[tuple[int, int]] = set()
    for occurrence in evidence.counted():
        where = _unit_of(evidence, occurrence.turn, unit)
        if where is None:
            continue
        row = units.setdefault(where, len(units))
        for column in member_of.get(occurrence.code, ()):
            pairs.add((row, index[column]))
    if pairs:
        rows_at, columns_at = zip(*pairs)
        incidence = csr_matrix(([1] * len(pairs), (rows_at, columns_at)), shape=(len(units), len(columns)))
        product = (incidence.T @ incidence).tocoo()
        found = {(columns[i], columns[j]): int(v) for i, j, v in zip(product.row, product.col, product.data)}
    else:
        found = {}
    cells = {(a, b): found.get((a, b), 0) for a in columns for b in columns}
    labels = [codebook.codes[c].label for c in columns]
    units = {"turn": "turns", "document": "documents", "person": "participants"}[unit]
    notes = [f"Cells: {units} in which both codes occur; the diagonal: {units} with the code. Coder: {evidence.coder}."]
    return Matrix(f"code co-occurrence by {unit}", "code", columns, columns, labels, cells, {}, "", notes,
                  dict(zip(columns, labels)))


def _unit_of(evidence: Evidence, turn: Spoken, unit: str):
    if unit == "turn":
        return turn.id
    if unit == "document":
        return turn.document
    return case_of(evidence, "person", turn)


def coverage(evidence: Evidence, case: str = "person", source: str = "source") -> Matrix:
    """Case × source: Y where the case has any turn in a document of that source (interview, survey,
    observation …), whether or not it is coded."""
    check_case(evidence, case)
    if source not in evidence.attributes():
        raise UsageError(f"--source {source}: no such attribute; set it with `qualcode attributes set DOC {source}=interview`")
    present: dict[str, set[str]] = defaultdict(set)
    for turn in evidence.turns:
        row, value = case_of(evidence, case, turn), evidence.value(source, turn)
        if row is not None and value is not None:
            present[row].add(value)
    rows = natural_order(case_of(evidence, case, t) for t in evidence.turns)
    columns = natural_order(v for values in present.values() for v in values)
    cells = {(r, c): PRESENT if c in present[r] else "" for r in rows for c in columns}
    totals = {c: sum(1 for r in rows if cells[r, c]) for c in columns}
    return Matrix(f"{case} × {source}", case, rows, columns, list(columns), cells, totals, f"{case.capitalize()}s",
                  [f"Y: the {case} appears in at least one document whose {source} is the column's."])


def _members(codebook: Codebook, columns: list[str]) -> dict[str, list[str]]:
    """For each code, the columns it counts in: its own, and any column above it."""
    members: dict[str, list[str]] = defaultdict(list)
    for column in columns:
        for code_id in (column, *codebook.descendants(column)):
            members[code_id].append(column)
    return members


def natural_order(values) -> list[str]:
    """Distinct values in natural order (A2 before A10), None left out."""
    import re

    def key(text: str):
        return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text)]
    return sorted({v for v in values if v is not None}, key=key)


def as_rows(matrix: Matrix) -> tuple[list[dict], list[tuple[str, str]]]:
    """Table rows (a row per case, then the totals) and columns (key, header) for any output format."""
    rows = [{"case": matrix.row_labels.get(row, row), **{column: matrix.cells[row, column] for column in matrix.columns}}
            for row in matrix.rows]
    if matrix.totals:
        rows.append({"case": matrix.total_label, **matrix.totals})
    return rows, [("case", matrix.row_header), *zip(matrix.columns, matrix.headers)]


def project_matrix(project, kind: str, *, coder: str | None = None, filters: dict[str, set[str]] | None = None,
                   constant_sample: bool = False, **options) -> Matrix:
    """`qualcode matrix cases|cooccurrence|coverage`: the matrix of that kind over the project's evidence."""
    evidence, codebook = project_evidence(project, coder, filters, constant_sample, codings_needed=kind != "coverage")
    if kind == "cases":
        return cases_by_codes(evidence, codebook, **options)
    if kind == "cooccurrence":
        return cooccurrence(evidence, codebook, **options)
    return coverage(evidence, **options)
