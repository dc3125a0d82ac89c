"""Readers for documents of running text: plain text and Markdown, Word, OpenDocument and RTF.

Each turns its file into `SourceLine`s (a paragraph or line each, with a label when markup gives one)
and hands them to the shared label parser. Tables of speech (speaker and text columns, often a time
column, as transcription services deliver them) become labelled lines with their times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputFileError
from ..models import Block, ParsedSource
from ..script import clean_label, normalise
from .decode import decode
from .labels import SourceLine, is_prose_lead, looks_like_label, parse_time, parse_transcript

_TIME_CELL = re.compile(r"^[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]?$")
_HEADER_WORDS = {"speaker", "name", "who", "person", "respondent", "text", "transcript", "speech", "time",
                 "timestamp", "start", "utterance", "content", "said", "dialogue"}


@dataclass(frozen=True, slots=True)
class ReadOptions:
    label_pattern: str | None = None
    interviewer_labels: re.Pattern[str] | None = None
    id_column: str | None = None
    question_columns: tuple[str, ...] = ()
    sheet: str | None = None


def lines_of(text: str) -> list[SourceLine]:
    return [SourceLine(number, line) for number, line in enumerate(normalise(text).split("\n"), start=1)]


def parse_lines(path: Path, fmt: str, lines: list[SourceLine], options: ReadOptions, encoding: str | None = None) -> ParsedSource:
    if not any(line.text.strip() for line in lines):
        raise InputFileError(path, "no text to import", hint="check it is the right file; a scanned PDF needs OCR first")
    blocks, style = parse_transcript(lines, label_pattern=options.label_pattern, interviewer_labels=options.interviewer_labels)
    if style.startswith("bracket+time"):
        # Zoom saved transcripts: one block per burst of speech, joined like caption cues.
        fmt = "zoom"
        blocks = [Block(b.label, " ".join(b.text.split("\n")), b.time_start, inline=True) for b in blocks]
    return ParsedSource(fmt, blocks, encoding)


def read_text(path: Path, data: bytes, options: ReadOptions) -> ParsedSource:
    text, encoding = decode(data, path)
    return parse_lines(path, "text", lines_of(text), options, encoding)


def read_rtf(path: Path, data: bytes, options: ReadOptions) -> ParsedSource:
    from striprtf.striprtf import rtf_to_text

    raw, encoding = decode(data, path)
    if _unbalanced(raw):
        raise InputFileError(path, "damaged RTF: its { } groups do not match", hint="open it and save it again as .rtf or .docx")
    try:
        text = rtf_to_text(raw, errors="replace")
    except Exception as error:  # striprtf raises bare errors on broken groups
        raise InputFileError(path, f"unreadable RTF ({error})", hint="open it and save it again as .rtf or .docx") from None
    return parse_lines(path, "rtf", lines_of(text), options, encoding)


def _unbalanced(rtf: str) -> bool:
    depth = 0
    for match in re.finditer(r"\\\\|\\[{}]|[{}]", rtf):
        token = match.group()
        depth += {"{": 1, "}": -1}.get(token, 0)
        if depth < 0:
            return True
    return depth != 0


def read_docx(path: Path, data: bytes, options: ReadOptions) -> ParsedSource:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises several types for broken packages
        raise InputFileError(path, f"unreadable Word file ({type(error).__name__})", hint="open it in Word and save it again") from None
    lines: list[SourceLine] = []
    _docx_content(document, lines)
    return parse_lines(path, "docx", lines, options)


def _docx_content(container, lines: list[SourceLine]) -> None:
    """Paragraphs and tables in document order; tables nested in cells are read as tables too."""
    from docx.table import Table

    for item in container.iter_inner_content():
        if isinstance(item, Table):
            _table_lines(lines, [_docx_cells(row) for row in item.rows])
            for row in item.rows:
                for cell in _unique(row.cells):
                    for nested in cell.tables:
                        _table_lines(lines, [_docx_cells(r) for r in nested.rows])
        else:
            lines.extend(_paragraph_lines(len(lines) + 1, item))


def _paragraph_lines(number: int, paragraph) -> list[SourceLine]:
    """A paragraph as lines. A bold first run is the speaker label when a colon or tab sets it apart."""
    text = paragraph.text
    bold = ""
    for run in paragraph.runs:
        if not run.text:
            continue
        if not run.bold:
            break
        bold += run.text
    rest = text[len(bold):] if bold and text.startswith(bold) else ""
    set_apart = bold.rstrip().endswith(":") or rest[:1] in {":", "\t"}
    if set_apart and rest.strip() and looks_like_label(bold) and not is_prose_lead(bold):
        return [SourceLine(number, rest.lstrip(" :\t"), label=clean_label(bold))]
    return [SourceLine(number, line) for line in text.split("\n")]


def _unique(cells):
    """Merged cells repeat in python-docx; keep each once."""
    seen = set()
    for cell in cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            yield cell


def _docx_cells(row) -> list[str]:
    return [cell.text for cell in _unique(row.cells)]


def _table_lines(lines: list[SourceLine], rows: list[list[str]]) -> None:
    """Speech tables ([time,] speaker, text) as labelled lines; other tables (a cover sheet) as plain lines.

    A table is speech when a header row names its columns (Speaker, Text …), when it has a time column,
    when a speaker comes back, or when every first cell is a name and the last cells are sentences.
    """
    headed = bool(rows) and all(cell.strip().casefold() in _HEADER_WORDS for cell in rows[0] if cell.strip())
    rows = rows[1:] if headed else rows
    split = [_speech_cells(cells) for cells in rows]
    speakers = [words[0].strip() for _, words in split if len(words) >= 2]
    said = [len(words[-1].split()) for _, words in split if len(words) >= 2]
    named = bool(speakers) and len(speakers) == len(rows) and not any(map(is_prose_lead, speakers)) and sum(said) >= 3 * len(said)
    speech = headed or any(times for times, _ in split) or len(set(speakers)) < len(speakers) or named
    for cells, (times, words) in zip(rows, split):
        number = len(lines) + 1
        if speech and len(words) >= 2 and looks_like_label(words[0]) and words[-1].strip():
            lines.append(SourceLine(number, " ".join(words[1:]), label=clean_label(words[0]), time=times[0] if times else None))
        else:
            lines.append(SourceLine(number, " ".join(cells)))


def _speech_cells(cells: list[str]) -> tuple[list[float | None], list[str]]:
    """A row's times, and its other cells (speaker first, then speech)."""
    times = [parse_time(cell.strip("[]() ")) for cell in cells if _TIME_CELL.match(cell.strip())]
    return times, [cell for cell in cells if not _TIME_CELL.match(cell.strip())]


def read_odt(path: Path, data: bytes, options: ReadOptions) -> ParsedSource:
    from odf.namespaces import TABLENS, TEXTNS
    from odf.opendocument import load

    try:
        document = load(str(path))
    except Exception as error:  # odfpy raises zip and XML errors alike
        raise InputFileError(path, f"unreadable OpenDocument file ({type(error).__name__})", hint="open it and save it again as .odt") from None
    lines: list[SourceLine] = []
    _odt_content(document.text, lines, TEXTNS, TABLENS)
    return parse_lines(path, "odt", lines, options)


def _odt_content(node, lines: list[SourceLine], textns: str, tablens: str) -> None:
    """Paragraphs, headings and tables in document order, including those inside lists and sections."""
    from odf import teletype

    for child in node.childNodes:
        kind = getattr(child, "qname", None)
        if kind in {(textns, "p"), (textns, "h")}:
            number = len(lines) + 1
            # A line break inside a paragraph often separates two speakers' lines.
            lines.extend(SourceLine(number, line) for line in teletype.extractText(child).split("\n"))
        elif kind == (tablens, "table"):
            from odf.table import TableRow

            rows = child.getElementsByType(TableRow)
            _table_lines(lines, [[teletype.extractText(cell) for cell in row.childNodes
                                  if getattr(cell, "qname", None) == (tablens, "table-cell")] for row in rows])
        elif child.childNodes:
            _odt_content(child, lines, textns, tablens)
