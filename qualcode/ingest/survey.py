"""Open-ended surveys from CSV or XLSX: one row per respondent, one column per question.

Each non-empty answer in a question column becomes a turn by that respondent, tagged with its question;
the other (closed) columns become the respondent's attributes.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..errors import InputFileError
from ..models import Block, ParsedSource
from .decode import decode
from .documents import ReadOptions

_ID_HEADER = re.compile(r"^(?:id|case|case[ _]?id|respondent(?:[ _]?id)?|participant(?:[ _]?id)?|response[ _]?id|record[ _]?id)$", re.IGNORECASE)
_LONG_TEXT_WORDS = 5  # an open-ended column's answers average at least this many words
_NUMBER = re.compile(r"^[-+]?\d+(?:[.,]\d+)?%?$")


def read_survey(path: Path, data: bytes, fmt: str, options: ReadOptions) -> ParsedSource:
    if fmt == "xlsx":
        header, rows, encoding = _xlsx_rows(path, options.sheet)
    else:
        header, rows, encoding = _csv_rows(path, data)
    if not header or not rows:
        raise InputFileError(path, "spreadsheet has no rows under its header row", hint="the first row must name the columns")
    id_column = _id_column(path, header, rows, options.id_column)
    questions = _question_columns(path, header, rows, options.question_columns, id_column)
    blocks, attributes = [], {}
    for number, row in enumerate(rows, start=2):
        respondent = row[id_column].strip() if id_column is not None else f"R{number - 1}"
        if not respondent:
            raise InputFileError(path, f"respondent id is empty in column {header[id_column]!r}", line=number, hint="fill it in or choose another column with --id-column")
        attributes[respondent] = {
            header[i]: value.strip() for i, value in enumerate(row) if i not in questions and i != id_column and value.strip()
        }
        for column in questions:
            answer = row[column].strip()
            if answer:
                blocks.append(Block(respondent, answer, question=header[column]))
    if not blocks:
        raise InputFileError(path, "no answers in the open-ended columns " + ", ".join(repr(header[i]) for i in questions), hint="choose the columns with --question")
    return ParsedSource("survey-" + fmt, blocks, encoding, speaker_attributes=attributes)


def _csv_rows(path: Path, data: bytes) -> tuple[list[str], list[list[str]], str]:
    text, encoding = decode(data, path)
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as error:
        raise InputFileError(path, f"broken CSV ({error})", hint="check the quoting") from None
    header, rows = _rectangle(table)
    return header, rows, encoding


def _xlsx_rows(path: Path, sheet: str | None) -> tuple[list[str], list[list[str]], None]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zip, XML and key errors for broken files
        raise InputFileError(path, f"unreadable Excel file ({type(error).__name__})", hint="open it in Excel and save it again") from None
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise InputFileError(path, f"no sheet {sheet!r}", hint="sheets are " + ", ".join(map(repr, workbook.sheetnames)))
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        table = [["" if cell is None else str(cell) for cell in row] for row in worksheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    header, rows = _rectangle(table)
    return header, rows, None


def _rectangle(table: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """Header and rows padded or cut to the header's width; blank rows dropped."""
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        return [], []
    width = len(table[0])
    return [h.strip() for h in table[0]], [(row + [""] * width)[:width] for row in table[1:]]


def _find_column(path: Path, header: list[str], name: str, option: str) -> int:
    folded = [h.casefold() for h in header]
    if name.casefold() not in folded:
        raise InputFileError(path, f"no column {name!r}", line=1, hint=f"columns are {', '.join(map(repr, header))}; check {option}")
    return folded.index(name.casefold())


def _id_column(path: Path, header: list[str], rows: list[list[str]], chosen: str | None) -> int | None:
    if chosen:
        return _find_column(path, header, chosen, "--id-column")
    for index, name in enumerate(header):
        values = [row[index].strip() for row in rows]
        if _ID_HEADER.match(name) and all(values) and len(set(values)) == len(values):
            return index
    return None


def _question_columns(path: Path, header: list[str], rows: list[list[str]], chosen: tuple[str, ...], id_column: int | None) -> list[int]:
    if chosen:
        return [_find_column(path, header, name, "--question") for name in chosen]
    open_ended = [i for i in range(len(header)) if i != id_column and _is_long_text([row[i] for row in rows])]
    if not open_ended:
        raise InputFileError(path, "no open-ended (long text) column found", line=1, hint=f"name them with --question; columns are {', '.join(map(repr, header))}")
    return open_ended


def _is_long_text(values: list[str]) -> bool:
    answers = [v.strip() for v in values if v.strip()]
    if not answers or all(_NUMBER.match(a) for a in answers):
        return False
    return sum(len(a.split()) for a in answers) / len(answers) >= _LONG_TEXT_WORDS
