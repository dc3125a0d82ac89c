"""A shortlist of quotes in a workbook, for the team to mark up (keep, cut, pin, or edit the wording) and
read back: every decision is checked (an edited wording against the transcript) before any is applied,
and all are applied in one unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import InputFileError, UsageError
from .export import Guard, leak_check, mark_unchecked
from .files import open_workbook, refuse_existing, write_whole
from .quotebank import build_bank
from .quotes import CONFIRMED, CUT, PINNED, decide

COLUMNS = ["quote", "theme", "speaker", "document", "turn", "words", "status", "decision", "wording", "reason", "as written"]
DECISION_WORDS = {"keep": CONFIRMED, "confirm": CONFIRMED, "pin": PINNED, "cut": CUT, "edit": CONFIRMED}


@dataclass(frozen=True, slots=True)
class ShortlistReport:
    decided: int
    unchanged: int


def write_shortlist(project, output: Path, *, per_theme: int = 10, force: bool = False, guard: Guard = Guard(),
                    **bank_options) -> int:
    """Up to `per_theme` quotes per theme (by the bank's ranking) with an empty `decision` column, after
    the leak check; returns how many."""
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"-o {output}: a shortlist is a workbook; give a .xlsx file")
    refuse_existing(output, force)
    bank = build_bank(project, per_theme=per_theme, **bank_options)
    said = "\n".join(f"{p.quote.speaker}\t{p.quote.document_name}\t{p.quote.text}" for p in bank.quotes())
    leak_check(project, output, said, guard)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Shortlist"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for section in bank.sections:
        for printed in (*section.quotes, *section.against):
            quote = printed.quote
            sheet.append([quote.label, section.label + (" (against)" if quote.disconfirming else ""), quote.speaker,
                          quote.document_name, quote.turn.seq, quote.words, quote.status, "", quote.text, quote.reason,
                          quote.text])
    choices = DataValidation(type="list", formula1='"keep,pin,cut,edit"', allow_blank=True)
    sheet.add_data_validation(choices)
    choices.add(f"H2:H{max(sheet.max_row, 2)}")
    for row in sheet.iter_rows(min_row=2, min_col=9, max_col=9):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["I"].width = 80
    sheet.column_dimensions["K"].hidden = True  # the wording as written, to tell an edit from no change
    mark_unchecked(book, guard)
    write_whole(output, book.save)
    return sheet.max_row - 1


def read_shortlist(project, path: Path) -> ShortlistReport:
    """Apply the team's decisions: keep/pin/cut, or a changed wording (decision `edit`, or none)."""
    sheet = open_workbook(path, "qualcode quotes --shortlist -o FILE.xlsx").worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(h or "").strip().casefold() for h in (rows[0] if rows else [])]
    missing = [c for c in ("quote", "decision", "wording", "as written") if c not in header]
    if missing:
        raise InputFileError(path, f"no column {missing[0]!r}", line=1, hint="write the shortlist again; keep its header row")
    at = {name: header.index(name) for name in ("quote", "decision", "wording", "as written")}
    planned = []
    for number, row in enumerate(rows[1:], start=2):
        reference = str(row[at["quote"]] or "").strip()
        if not reference:
            continue
        decision = str(row[at["decision"]] or "").strip().casefold()
        wording = " ".join(str(row[at["wording"]] or "").split())
        edited = wording != " ".join(str(row[at["as written"]] or "").split())
        if decision and decision not in DECISION_WORDS:
            raise InputFileError(path, f"decision {decision!r} for {reference}", line=number,
                                 hint=f"use {', '.join(DECISION_WORDS)} or leave it empty")
        if decision == "edit" and not edited:
            raise InputFileError(path, f"{reference} is marked edit but its wording is as written", line=number,
                                 hint="change the wording, or mark it keep")
        planned.append((number, reference, decision, wording if edited else None))
    return _apply(project, path, planned)


def _apply(project, path: Path, planned: list[tuple[int, str, str, str | None]]) -> ShortlistReport:
    store = project.store
    decided = 0
    with store.unit_of_work():  # all decisions or none
        for number, reference, decision, wording in planned:
            if not decision and wording is None:
                continue  # no decision, the wording as written
            try:
                decide(project, reference, DECISION_WORDS.get(decision, CONFIRMED), None if decision == "cut" else wording)
            except UsageError as error:
                raise InputFileError(path, str(error), line=number, hint="nothing was applied; fix the row and read it again") from None
            decided += 1
    return ShortlistReport(decided, len(planned) - decided)
