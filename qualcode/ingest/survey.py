"""Open-ended surveys from CSV or XLSX: one row per respondent, one column per question.

Each non-empty answer in a question column becomes a turn by that respondent, tagged with its question;
the other (closed) columns become the respondent's attributes.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputFileError
from ..models import Block, ParsedSource
from .documents import ReadOptions
from .tables import Table, read_table

_ID_HEADER = re.compile(r"^(?:id|case|case[ _]?id|respondent(?:[ _]?id)?|participant(?:[ _]?id)?|response[ _]?id|record[ _]?id)$", re.IGNORECASE)
_LONG_TEXT_WORDS = 5  # an open-ended column's answers average at least this many words
_NUMBER = re.compile(r"^[-+]?\d+(?:[.,]\d+)?%?$")


def read_survey(path: Path, data: bytes, fmt: str, options: ReadOptions) -> ParsedSource:
    table = read_table(path, data, options.sheet)
    if not table.rows:
        raise InputFileError(path, "no rows under the header row", line=table.header_line, hint="one row per respondent")
    warnings: list[str] = []
    id_column = _id_column(path, table, options.id_column, warnings)
    questions = _question_columns(path, table, options.question_columns, id_column)
    blocks, attributes = [], {}
    for number, (line, cells) in enumerate(table.rows, start=1):
        respondent = cells[id_column].strip() if id_column is not None else f"R{number}"
        if not respondent:
            raise InputFileError(path, f"respondent id is empty in column {table.header[id_column]!r}", line=line,
                                 hint="fill it in or choose another column with --id-column")
        if respondent in attributes:
            raise InputFileError(path, f"respondent {respondent!r} appears twice in column {table.header[id_column]!r}", line=line,
                                 hint="ids must be unique; choose another column with --id-column")
        attributes[respondent] = {
            table.header[i]: value.strip() for i, value in enumerate(cells) if i not in questions and i != id_column and value.strip()
        }
        blocks += [Block(respondent, cells[c].strip(), question=table.header[c]) for c in questions if cells[c].strip()]
    if not blocks:
        raise InputFileError(path, "no answers in the open-ended columns " + ", ".join(repr(table.header[i]) for i in questions),
                             hint="choose the columns with --question")
    return ParsedSource("survey-" + fmt, blocks, table.encoding, warnings, speaker_attributes=attributes)


def _id_column(path: Path, table: Table, chosen: str | None, warnings: list[str]) -> int | None:
    if chosen:
        return table.column(path, chosen, "--id-column")
    for index, name in enumerate(table.header):
        if _ID_HEADER.match(name):
            values = [cells[index].strip() for _, cells in table.rows]
            if all(values) and len(set(values)) == len(values):
                return index
            warnings.append(f"column {name!r} has empty or repeated ids, so respondents are numbered R1, R2 …; "
                            "name the id column with --id-column")
    return None


def _question_columns(path: Path, table: Table, chosen: tuple[str, ...], id_column: int | None) -> list[int]:
    if chosen:
        return [table.column(path, name, "--question") for name in chosen]
    open_ended = [i for i in range(len(table.header)) if i != id_column and _is_long_text([cells[i] for _, cells in table.rows])]
    if not open_ended:
        raise InputFileError(path, "no open-ended (long text) column found", line=table.header_line,
                             hint=f"name them with --question; columns are {', '.join(map(repr, table.header))}")
    return open_ended


def _is_long_text(values: list[str]) -> bool:
    answers = [v.strip() for v in values if v.strip()]
    if not answers or all(_NUMBER.match(a) for a in answers):
        return False
    return sum(len(a.split()) for a in answers) / len(answers) >= _LONG_TEXT_WORDS
