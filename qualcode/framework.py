"""Matrices a team fills in outside qualcode: case × theme ratings, and the framework matrix.

A ratings sheet (CSV or XLSX: a case column, then a column per theme) holds ordinal ratings such as
Red/Amber/Green; each is scored on the scale in settings, scores are summed per case and ranked (ties
share a rank), so a report's ranking can always be recomputed.

The framework matrix (case × theme, as UK evaluation teams work) is written to XLSX with, for each
theme, a summary column to fill in and an evidence column listing the coded segments behind the cell.
Read back, the summaries go into the store (one unit of work); a workbook whose cases or themes no
longer match the project's is refused with the cell that differs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .errors import InputFileError, UsageError
from .export import Guard, leak_check, mark_unchecked
from .files import open_workbook, refuse_existing, write_whole
from .matrix import Matrix, case_of, check_case, chosen_codes, natural_order
from .tally import Evidence, project_evidence

EVIDENCE_SUFFIX = " – evidence"
IDS_SHEET = "qualcode"  # hidden: the ids behind the visible rows and columns, so reading back is exact


@dataclass(frozen=True, slots=True)
class Rating:
    label: str
    score: float


def read_scale(setting) -> list[Rating]:
    """`matrix.rating_scale`: [[label, score], …] in settings (default Red 1, Amber 2, Green 3)."""
    try:
        scale = [Rating(str(label), float(score)) for label, score in setting]
    except (TypeError, ValueError):
        raise UsageError('matrix.rating_scale in qualcode.toml: a list of [label, score] pairs, e.g. [["Red", 1], ["Green", 3]]') from None
    if not scale:
        raise UsageError("matrix.rating_scale in qualcode.toml is empty; give at least two [label, score] pairs")
    return scale


def _rating_for(text: str, scale: list[Rating]) -> Rating | None:
    """A rating by its label (any case) or a unique initial (R for Red)."""
    folded = text.strip().casefold()
    exact = [r for r in scale if r.label.casefold() == folded]
    initial = [r for r in scale if len(folded) == 1 and r.label.casefold().startswith(folded)]
    found = exact or initial
    return found[0] if len(found) == 1 else None


def ratings(project, path: Path, case: str | None = None, sheet: str | None = None) -> Matrix:
    """`qualcode matrix ratings SHEET`: the sheet's ratings with each case's score and rank."""
    from .ingest.tables import read_table

    evidence, _ = project_evidence(project, codings_needed=False)
    table = read_table(path, sheet=sheet)
    scale = read_scale(project.settings["matrix.rating_scale"])
    if len(table.header) < 2:
        raise InputFileError(path, "a ratings sheet has a case column and a column per theme", line=table.header_line)
    themes = [h.strip() for h in table.header[1:]]
    sheet_cases = [(line, cells[0].strip()) for line, cells in table.rows if any(c.strip() for c in cells)]
    case = case or _case_kind(evidence, [c for _, c in sheet_cases])
    known = set(_cases(evidence, case))
    cells: dict[tuple[str, str], int | float | str] = {}
    scores: dict[str, float] = {}
    seen: dict[str, int] = {}
    for line, cells_in_row in ((line, cells) for line, cells in table.rows if any(c.strip() for c in cells)):
        name = cells_in_row[0].strip()
        if name in seen:
            raise InputFileError(path, f"case {name!r} is rated twice (first on line {seen[name]})", line=line,
                                 hint="keep one row per case")
        seen[name] = line
        if name not in known:
            raise InputFileError(path, f"case {name!r} is not a {case} of this project", line=line,
                                 hint=f"the {case}s are {', '.join(sorted(known)[:12])}")
        total = 0.0
        for theme, text in zip(themes, cells_in_row[1:]):
            if not text.strip():
                cells[name, theme] = ""
                continue
            rating = _rating_for(text, scale)
            if rating is None:
                raise InputFileError(path, f"rating {text.strip()!r} for {name} / {theme} is not on the scale", line=line,
                                     hint=f"use {', '.join(r.label for r in scale)} (set matrix.rating_scale)")
            cells[name, theme] = rating.label
            total += rating.score
        scores[name] = total
    rows = [name for _, name in sheet_cases]
    ranks = competition_ranks(scores)
    for name in rows:
        cells[name, "score"] = _number(scores[name])
        cells[name, "rank"] = ranks[name]
    columns = [*themes, "score", "rank"]
    scale_text = ", ".join(f"{r.label} = {_number(r.score)}" for r in scale)
    notes = [f"Score: the sum of the ratings ({scale_text}); blank cells add nothing. Rank 1 is the highest score; "
             "equal scores share a rank."]
    return Matrix(f"{case} × theme ratings", case, rows, columns, [*themes, "Score", "Rank"], cells, {}, "", notes)


def competition_ranks(scores: dict[str, float]) -> dict[str, int]:
    """1, 2, 2, 4: equal scores share the better rank."""
    ordered = sorted(scores.values(), reverse=True)
    return {name: ordered.index(score) + 1 for name, score in scores.items()}


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _cases(evidence: Evidence, case: str) -> list[str]:
    return [c for c in dict.fromkeys(case_of(evidence, case, t) for t in evidence.turns) if c is not None]


def _case_kind(evidence: Evidence, names: list[str]) -> str:
    """The kind of case whose names include every name in the sheet: person, document, or an attribute."""
    for kind in ("person", "document", *evidence.attributes()):
        if set(names) <= set(_cases(evidence, kind)):
            return kind
    raise UsageError(f"the sheet's cases ({', '.join(names[:5])}…) are not all people, documents or values of one attribute "
                     "of this project; name the kind with --case")


# The framework matrix.

def write_framework(project, output: Path, case: str = "person", level: int | None = 1, codes: list[str] | None = None,
                    force: bool = False, guard: Guard = Guard()) -> tuple[int, int]:
    """Write the framework workbook after the leak check; returns (cases, themes).
    Summaries already read back are filled in."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill

    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"-o {output}: the framework matrix is a workbook; give a .xlsx file")
    refuse_existing(output, force, " (summaries typed into it are lost unless read back first)")
    evidence, codebook = project_evidence(project)
    check_case(evidence, case)
    themes = chosen_codes(codebook, level, codes)
    cases = natural_order(_cases(evidence, case))
    references = _references(evidence, codebook, case, themes)
    summaries = project.store.framework_summaries(case)
    leak_check(project, output, "\n".join([*cases, *summaries.values(), *references.values()]), guard)
    book = openpyxl.Workbook()
    grid = book.active
    grid.title = "Framework"
    grid.append([case, *(text for t in themes for text in (codebook.codes[t].label, codebook.codes[t].label + EVIDENCE_SUFFIX))])
    for cell in grid[1]:
        cell.font = Font(bold=True)
    shade = PatternFill("solid", fgColor="EEEEEE")
    for row_number, name in enumerate(cases, start=2):
        grid.cell(row_number, 1, name).font = Font(bold=True)
        for index, theme in enumerate(themes):
            grid.cell(row_number, 2 + 2 * index, summaries.get((name, theme), ""))
            evidence_cell = grid.cell(row_number, 3 + 2 * index, references.get((name, theme), ""))
            evidence_cell.fill = shade
            evidence_cell.alignment = Alignment(wrap_text=True, vertical="top")
    ids = book.create_sheet(IDS_SHEET)
    ids.append(["case kind", case])
    ids.append(["themes", *themes])
    ids.append(["cases", *cases])
    ids.sheet_state = "hidden"
    mark_unchecked(book, guard)
    write_whole(output, book.save)
    return len(cases), len(themes)


def _references(evidence: Evidence, codebook, case: str, themes: list[str]) -> dict[tuple[str, str], str]:
    """Per cell, where its evidence is: `document: turns 4, 6, 9` for the coded segments behind it."""
    found: dict[tuple[str, str], dict[str, dict[int, bool]]] = defaultdict(lambda: defaultdict(dict))
    theme_of: dict[str, str] = {}
    for theme in themes:
        for code_id in (theme, *codebook.descendants(theme)):
            theme_of.setdefault(code_id, theme)
    turn_numbers = _turn_numbers(evidence)
    for occurrence in evidence.occurrences:
        theme, row = theme_of.get(occurrence.code), case_of(evidence, case, occurrence.turn)
        if theme is not None and row is not None:
            name = evidence.document_names.get(occurrence.document, str(occurrence.document))
            found[row, theme][name][turn_numbers[occurrence.turn.id]] = True
    return {key: "; ".join(f"{name}: turn{'s' if len(turns) > 1 else ''} {', '.join(map(str, sorted(turns)))}"
                           for name, turns in sorted(documents.items()))
            for key, documents in found.items()}


def _turn_numbers(evidence: Evidence) -> dict[int, int]:
    numbers, counter = {}, defaultdict(int)
    for turn in sorted(evidence.turns, key=lambda t: (t.document, t.start)):
        counter[turn.document] += 1
        numbers[turn.id] = counter[turn.document]
    return numbers


def read_framework(project, path: Path) -> int:
    """Read the summaries typed into a framework workbook back into the project; returns how many cells
    have one. Refused, with the cell, if its cases or themes no longer match the project's."""
    book = open_workbook(path, "qualcode matrix framework -o FILE.xlsx", read_only=False)
    if "Framework" not in book.sheetnames or IDS_SHEET not in book.sheetnames:
        raise InputFileError(path, "not a framework workbook (no Framework sheet, or its hidden qualcode sheet is gone)",
                             hint="write one with `qualcode matrix framework -o FILE.xlsx`")
    ids = [[c.value for c in row] for row in book[IDS_SHEET].iter_rows()]
    case, themes, cases = ids[0][1], [t for t in ids[1][1:] if t], [c for c in ids[2][1:] if c]
    evidence, codebook = project_evidence(project)
    _check_still_matching(path, evidence, codebook, case, themes, cases)
    grid = book["Framework"]
    summaries: dict[tuple[str, str], str] = {}
    for row_number, name in enumerate(cases, start=2):
        found = grid.cell(row_number, 1).value
        if str(found or "").strip() != name:
            raise InputFileError(path, f"Framework!A{row_number} is {found!r}, expected the case {name!r}",
                                 hint="rows were moved or deleted; put them back, or write a new workbook")
        for index, theme in enumerate(themes):
            header = grid.cell(1, 2 + 2 * index).value
            if str(header or "").strip() != codebook.codes[theme].label:
                raise InputFileError(path, f"Framework!{grid.cell(1, 2 + 2 * index).coordinate} is {header!r}, expected "
                                           f"the theme {codebook.codes[theme].label!r}",
                                     hint="columns were moved or renamed; put them back, or write a new workbook")
            text = grid.cell(row_number, 2 + 2 * index).value
            if text is not None and str(text).strip():
                summaries[name, theme] = str(text).strip()
    with project.store.unit_of_work():
        project.store.save_framework(case, cases, themes, summaries, path.name)
    return len(summaries)


def _check_still_matching(path: Path, evidence: Evidence, codebook, case: str, themes: list[str], cases: list[str]) -> None:
    missing_themes = [t for t in themes if t not in codebook.codes]
    if missing_themes:
        raise InputFileError(path, f"theme {missing_themes[0]!r} is no longer in the codebook",
                             hint="copy its summaries by hand, then write a new workbook")
    try:
        check_case(evidence, case)
    except UsageError:
        raise InputFileError(path, f"its cases are {case}s, which this project no longer has") from None
    known = set(_cases(evidence, case))
    gone = [c for c in cases if c not in known]
    if gone:
        raise InputFileError(path, f"case {gone[0]!r} is no longer a {case} of this project",
                             hint="copy its summaries by hand, then write a new workbook")


def framework_matrix(project, case: str = "person") -> Matrix:
    """The summaries read back so far, as a case × theme matrix."""
    evidence, codebook = project_evidence(project)
    summaries = project.store.framework_summaries(case)
    if not summaries:
        raise UsageError(f"no framework summaries for {case}s yet; write the workbook with `qualcode matrix framework -o FILE.xlsx`, "
                         "fill it in, and read it back with --read")
    themes = [t for t in codebook.codes if any(theme == t for _, theme in summaries)]
    rows = natural_order(name for name, _ in summaries)
    cells = {(r, t): summaries.get((r, t), "") for r in rows for t in themes}
    return Matrix(f"framework matrix ({case} × theme)", case, rows, themes, [codebook.codes[t].label for t in themes],
                  cells, {}, "", [])

