"""Spreadsheets as tables: CSV (any delimiter, any encoding) and XLSX, with physical line numbers.

Shared by survey import and attribute sheets, so both find the header row, refuse ragged rows and
duplicate columns, and name the line of every problem the same way.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputFileError
from .decode import decode

_DELIMITERS = ",;\t|"
_HEADER_SEARCH = 20  # rows searched for the header below title rows


@dataclass(frozen=True, slots=True)
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line or spreadsheet row number, cells padded to the header)
    header_line: int
    encoding: str | None = None

    def column(self, path: Path, name: str, option: str) -> int:
        folded = [h.casefold() for h in self.header]
        if name.casefold() not in folded:
            raise InputFileError(path, f"no column {name!r}", line=self.header_line,
                                 hint=f"columns are {', '.join(map(repr, self.header))}; check {option}")
        return folded.index(name.casefold())


def read_table(path: Path, data: bytes | None = None, sheet: str | None = None) -> Table:
    if data is None:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise InputFileError(path, "no such file", hint="check the path") from None
        except OSError as error:
            raise InputFileError(path, f"cannot read ({error.strerror})", hint="check the file's permissions") from None
    if path.suffix.lower() == ".xlsx":
        return _table(path, _xlsx_rows(path, sheet), None, find_header=True)
    text, encoding = decode(data, path)
    text = text.lstrip("\ufeff")
    delimiter = "\t" if path.suffix.lower() == ".tsv" else _delimiter(text)
    return _table(path, _csv_rows(path, text, delimiter), encoding, find_header=False)


def _delimiter(text: str) -> str:
    """The delimiter that splits the first rows into the same number of fields (more fields break ties)."""
    sample = text[:16384]

    def consistency(delimiter: str) -> tuple[int, int]:
        try:
            rows = [row for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter) if row][:10]
        except csv.Error:
            return (0, 0)
        width = len(rows[0]) if rows else 0
        return (sum(len(row) == width for row in rows) if width > 1 else 0, width)

    best = max(_DELIMITERS, key=consistency)
    return best if consistency(best)[0] else ","


def _csv_rows(path: Path, text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, line = [], 1
    try:
        for cells in reader:
            rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        raise InputFileError(path, f"broken CSV ({error})", line=line, hint="check the quotes in this row") from None
    return rows


def _xlsx_rows(path: Path, sheet: str | None) -> list[tuple[int, list[str]]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zip, XML and key errors for broken files
        raise InputFileError(path, f"unreadable Excel file ({type(error).__name__})", hint="open it in Excel and save it again") from None
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise InputFileError(path, f"no sheet {sheet!r}", hint="sheets are " + ", ".join(map(repr, workbook.sheetnames)))
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        return [(number, ["" if cell is None else str(cell) for cell in row])
                for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()


def _table(path: Path, rows: list[tuple[int, list[str]]], encoding: str | None, find_header: bool) -> Table:
    """Header and rows; in workbooks the header may sit below title rows (CSV exports have none).
    Cells are NFC, like stored text, so a name typed with combining accents matches one typed without."""
    rows = [(line, [unicodedata.normalize("NFC", cell) for cell in cells]) for line, cells in rows if any(cell.strip() for cell in cells)]
    if not rows:
        raise InputFileError(path, "no rows", hint="the first row must name the columns")
    header_index = _header_index(rows) if find_header else 0
    header_line, header = rows[header_index]
    width = max(i for i, cell in enumerate(header) if cell.strip()) + 1
    names = [cell.strip() or f"column {i + 1}" for i, cell in enumerate(header[:width])]
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name.casefold() in seen:
            raise InputFileError(path, f"column {name!r} appears twice (columns {seen[name.casefold()] + 1} and {i + 1})",
                                 line=header_line, hint="rename one of them")
        seen[name.casefold()] = i
    body = []
    for line, cells in _without_export_headers(rows[header_index + 1:]):
        if any(cell.strip() for cell in cells[width:]):
            raise InputFileError(path, f"row has {len(cells)} cells but the header has {width}", line=line,
                                 hint="check the delimiter and the quotes in this row")
        body.append((line, (cells + [""] * width)[:width]))
    return Table(names, body, header_line, encoding)


def _without_export_headers(rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Qualtrics puts two more header rows (question texts, then {"ImportId": …}) under the real one."""
    for index, (_, cells) in enumerate(rows[:2]):
        if any(cell.strip().startswith('{"ImportId"') for cell in cells):
            return rows[index + 1:]
    return rows


def _header_index(rows: list[tuple[int, list[str]]]) -> int:
    """The first row as wide as the table: title rows above a header have one filled cell."""
    filled = [sum(bool(cell.strip()) for cell in cells) for _, cells in rows[:_HEADER_SEARCH]]
    widest = max(filled)
    return next(i for i, n in enumerate(filled) if n >= max(1, widest / 2) and (n >= 2 or widest == 1))


DOCUMENT_COLUMN = "document"


def read_attribute_sheet(path: Path) -> dict[str, dict[str, str]]:
    """documents.csv/.xlsx: a `document` column (file or document name) and one column per attribute."""
    table = read_table(path)
    key = table.column(path, DOCUMENT_COLUMN, "the attribute sheet (a 'document' column names each document)")
    sheet: dict[str, dict[str, str]] = {}
    for line, cells in table.rows:
        name = cells[key].strip()
        if not name:
            continue
        if name in sheet:
            raise InputFileError(path, f"document {name!r} is listed twice", line=line, hint="keep one row per document")
        sheet[name] = {table.header[i]: value.strip() for i, value in enumerate(cells) if i != key and value.strip()}
    return sheet
