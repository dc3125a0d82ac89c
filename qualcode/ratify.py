"""Ratification: readers who check themes rather than lines (in evaluations, often school leaders) mark
each theme ratified or queried, with a comment.

A pack gives them, per theme, its definition, its tally and its evidence quotes: a Word document to
read, or a workbook to mark. Marks come back from the workbook (all of them or none) or are entered
one at a time; each is stored per theme and reviewer, and evidence tables show the status.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .errors import InputFileError, UsageError
from .export import Guard, leak_check, mark_unchecked, quote_line
from .files import open_workbook, refuse_existing, write_whole
from .quotebank import Bank, ThemeFigures, build_bank_with_figures

STATUSES = ("ratified", "queried")
SHEET, ABOUT = "Themes", "About"
COLUMNS = ["Theme id", "Theme", "Definition", "How many", "Evidence", "Status", "Comment", "Reviewer"]


@dataclass(slots=True)
class Pack:
    bank: Bank
    figures: ThemeFigures
    definitions: dict[str, str]

    def themes(self):
        return self.bank.sections


def build_pack(project, *, codes: list[str] | None = None, level: int | None = 1, per_theme: int = 3,
               coder: str | None = None) -> Pack:
    bank, figures = build_bank_with_figures(project, codes=codes, level=None if codes else level, per_theme=per_theme, coder=coder)
    from .coding import project_codebook

    codebook = project_codebook(project)
    return Pack(bank, figures, {s.code: _definition(codebook.codes[s.code]) for s in bank.sections})


def _definition(code) -> str:
    parts = [code.definition.strip()]
    if code.include.strip():
        parts.append(f"Includes: {code.include.strip()}")
    if code.exclude.strip():
        parts.append(f"Excludes: {code.exclude.strip()}")
    return "\n".join(p for p in parts if p) or "(no definition in the codebook)"


def _evidence(pack: Pack, section) -> list[str]:
    return [" ".join(v for v in quote_line(printed, pack.bank.style, ids=True) if v) for printed in section.quotes]


def pack_text(pack: Pack) -> str:
    """What the pack says, for the leak check."""
    return "\n".join(f"{s.label}\n{pack.definitions[s.code]}\n{pack.figures.figures.get(s.code, '')}\n" + "\n".join(_evidence(pack, s))
                     for s in pack.themes())


def write_pack(project, pack: Pack, output: Path, *, force: bool = False, guard: Guard = Guard(),
               template: Path | None = None) -> int:
    """The pack as a Word document to read or a workbook to mark, after the leak check; returns the themes."""
    suffix = output.suffix.lower()
    if suffix not in {".docx", ".xlsx"}:
        raise UsageError(f"-o {output}: a ratification pack is a .docx (to read) or .xlsx (to mark) file")
    refuse_existing(output, force)
    leak_check(project, output, pack_text(pack), guard, template if suffix == ".docx" else None)
    if suffix == ".docx":
        _write_docx(pack, output, template, guard)
    else:
        _write_xlsx(project, pack, output, guard)
    return len(pack.themes())


def _write_docx(pack: Pack, output: Path, template: Path | None, guard: Guard) -> None:
    from .export import UNCHECKED_NOTE
    from .word import WordReport

    report = WordReport("Themes for ratification", template)
    report.paragraph("For each theme: what it means, how many it was found for, and the evidence. Please say whether "
                     "you ratify it or query it (with a comment), in the workbook or to the evaluation team.")
    for section in pack.themes():
        report.heading(section.label, level=2)
        for line in pack.definitions[section.code].split("\n"):
            report.paragraph(line)
        report.paragraph(f"How many: {pack.figures.figures.get(section.code, '–')}   ({pack.figures.header})")
        for printed in section.quotes:
            text, after = quote_line(printed, pack.bank.style, ids=True)
            report.quote(text, after, block=True)
        if not section.quotes:
            report.paragraph("(no quotes)")
        report.paragraph("Ratified ☐    Queried ☐    Comment:")
    report.methods([pack.figures.base, *([UNCHECKED_NOTE] if guard.unchecked else [])])
    report.save(output)


def _write_xlsx(project, pack: Pack, output: Path, guard: Guard) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([f"{name}: {pack.figures.header}" if name == "How many" else name for name in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for section in pack.themes():
        sheet.append([section.code, section.label, pack.definitions[section.code], pack.figures.figures.get(section.code, ""),
                      "\n\n".join(_evidence(pack, section)), "", "", ""])
    choices = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True)
    sheet.add_data_validation(choices)
    choices.add(f"F2:F{max(sheet.max_row, 2)}")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGH", (12, 28, 40, 16, 70, 12, 40, 18)):
        sheet.column_dimensions[letter].width = width
    sheet.column_dimensions["A"].hidden = True
    sheet.freeze_panes = "C2"
    about = book.create_sheet(ABOUT)
    about.append(["project", project.store.project_id()])
    about.append(["how many", pack.figures.base])
    about.sheet_state = "hidden"
    mark_unchecked(book, guard)
    write_whole(output, book.save)


# Reading marks back, and entering them.

@dataclass(frozen=True, slots=True)
class Mark:
    line: int
    code: str
    status: str
    comment: str
    reviewer: str


def read_marks(project, path: Path, reviewer: str | None = None) -> int:
    """The marks in a ratification workbook, saved all together or not at all; returns how many."""
    from .coding import project_codebook

    rows, owner = _sheet_rows(path)
    if owner is not None and owner != project.store.project_id():
        raise InputFileError(path, "written for another project", hint="read it into the project whose pack it is")
    codebook = project_codebook(project)
    header = [str(h or "").strip().casefold() for h in (rows[0] if rows else [])]
    wanted = {name.casefold(): name for name in ("Theme id", "Status", "Comment", "Reviewer")}
    missing = [name for key, name in wanted.items() if key not in header]
    if missing:
        raise InputFileError(path, f"no column {missing[0]!r}", line=1, hint="write the pack again with `qualcode ratify --pack`")
    at = {key: header.index(key) for key in wanted}
    marks = []
    for number, row in enumerate(rows[1:], start=2):
        code = str(row[at["theme id"]] or "").strip()
        status = str(row[at["status"]] or "").strip().casefold()
        if not code or not status:
            continue
        if code not in codebook.codes:
            raise InputFileError(path, f"theme {code!r} is not in this project's codebook", line=number,
                                 hint="this sheet was written for other themes; write a new pack with `qualcode ratify --pack`")
        if status not in STATUSES:
            raise InputFileError(path, f"status {status!r}", line=number, hint=f"use {' or '.join(STATUSES)}, or leave it empty")
        who = str(row[at["reviewer"]] or "").strip() or reviewer
        if not who:
            raise InputFileError(path, f"who marked {code!r}?", line=number, hint="fill the Reviewer column, or pass --reviewer NAME")
        marks.append(Mark(number, code, status, " ".join(str(row[at["comment"]] or "").split()), who))
    store = project.store
    with store.unit_of_work():
        for mark in marks:
            store.save_ratification(mark.code, mark.reviewer, mark.status, mark.comment, path.name)
    return len(marks)


def _sheet_rows(path: Path) -> tuple[list[tuple], str | None]:
    book = open_workbook(path, "qualcode ratify --pack -o FILE.xlsx")
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    owner = None
    if ABOUT in book.sheetnames:
        about = {str(k): v for k, v, *_ in book[ABOUT].iter_rows(values_only=True) if k is not None}
        owner = about.get("project")
    return list(sheet.iter_rows(values_only=True)), owner


def mark(project, reference: str, status: str, reviewer: str | None, comment: str = "") -> str:
    """Enter one reader's mark on a theme; returns the theme's path."""
    from .coding import project_codebook

    status = status.strip().casefold()
    if status not in STATUSES:
        raise UsageError(f"--status {status}: {' or '.join(STATUSES)}")
    if not reviewer or not reviewer.strip():
        raise UsageError("--reviewer NAME: whose mark is it?")
    codebook = project_codebook(project)
    code = codebook.resolve(reference, "")
    with project.store.unit_of_work():
        project.store.save_ratification(code.id, reviewer.strip(), status, " ".join(comment.split()), "entered")
    return codebook.path(code.id)


def summary(rows: list[dict]) -> str:
    """`2 ratified, 1 queried`: a theme's marks in a few words ("" when it has none)."""
    counts = Counter(row["status"] for row in rows)
    return ", ".join(f"{counts[status]} {status}" for status in STATUSES if counts[status])


def by_code(project) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for row in project.store.ratifications():
        found.setdefault(row["code"], []).append(row)
    return found
