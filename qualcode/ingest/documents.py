"""Readers for documents of running text: plain text and Markdown, Word, OpenDocument and RTF.

Each turns its file into `SourceLine`s (a paragraph or line each, with a label when markup gives one)
and hands them to the shared label parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputFileError
from ..models import Block, ParsedSource
from .decode import decode
from .labels import SourceLine, parse_transcript

_LABEL_TEXT = re.compile(r"^[^\W\d_][\w'’.\- ()]{0,39}$")


@dataclass(frozen=True, slots=True)
class ReadOptions:
    label_pattern: str | None = None
    known_labels: re.Pattern[str] | None = None
    id_column: str | None = None
    question_columns: tuple[str, ...] = ()
    sheet: str | None = None


def lines_of(text: str) -> list[SourceLine]:
    return [SourceLine(number, line) for number, line in enumerate(text.split("\n"), start=1)]


def parse_lines(path: Path, fmt: str, lines: list[SourceLine], options: ReadOptions, encoding: str | None = None) -> ParsedSource:
    if not any(line.text.strip() for line in lines):
        raise InputFileError(path, "no text to import", hint="check it is the right file; a scanned PDF needs OCR first")
    blocks, style = parse_transcript(lines, label_pattern=options.label_pattern, known_labels=options.known_labels)
    if style.startswith("bracket+time"):
        # Zoom saved transcripts: one block per burst of speech, joined like caption cues.
        fmt = "zoom"
        blocks = [Block(b.label, " ".join(b.text.split("\n")), b.time_start, inline=True) for b in blocks]
    return ParsedSource(fmt, blocks, encoding)


def read_text(path: Path, data: bytes, options: ReadOptions) -> ParsedSource:
    text, encoding = decode(data, path)
    return parse_lines(path, "text", lines_of(text.replace("\r\n", "\n").replace("\r", "\n")), options, encoding)


def read_rtf(path: Path, data: bytes, options: ReadOptions) -> ParsedSource:
    from striprtf.striprtf import rtf_to_text

    raw, encoding = decode(data, path)
    try:
        text = rtf_to_text(raw, errors="replace")
    except Exception as error:  # striprtf raises bare errors on broken groups
        raise InputFileError(path, f"unreadable RTF ({error})", hint="open it and save it again as .rtf or .docx") from None
    return parse_lines(path, "rtf", lines_of(text.replace("\r\n", "\n").replace("\r", "\n")), options, encoding)


def read_docx(path: Path, data: bytes, options: ReadOptions) -> ParsedSource:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises several types for broken packages
        raise InputFileError(path, f"unreadable Word file ({type(error).__name__})", hint="open it in Word and save it again") from None
    lines: list[SourceLine] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            lines.extend(_paragraph_lines(len(lines) + 1, item))
        elif isinstance(item, Table):
            lines.extend(_table_lines(len(lines) + 1, item))
    return parse_lines(path, "docx", lines, options)


def _paragraph_lines(number: int, paragraph) -> list[SourceLine]:
    """A paragraph as lines; a leading bold run that looks like a name is the speaker label."""
    text = paragraph.text
    runs = [run for run in paragraph.runs if run.text]
    bold = ""
    for run in runs:
        if not run.bold:
            break
        bold += run.text
    label = bold.strip().rstrip(":").strip()
    rest = text[len(bold):] if text.startswith(bold) else None
    if label and rest and rest.strip() and _LABEL_TEXT.match(label) and len(label.split()) <= 5:
        return [SourceLine(number, rest.lstrip(" :\t"), label=label), SourceLine(number, "")]
    return [SourceLine(number, line) for line in text.split("\n")] + [SourceLine(number, "")]


def _table_lines(number: int, table) -> list[SourceLine]:
    """Transcription services' tables: first column the speaker (or a time then the speaker), last the speech."""
    lines = []
    for row in table.rows:
        cells = _unique_cells(row)
        if len(cells) >= 2 and _LABEL_TEXT.match(cells[-2].strip() or "-") and cells[-1].strip():
            lines.append(SourceLine(number, cells[-1], label=cells[-2].strip().rstrip(":")))
        else:
            lines.append(SourceLine(number, " ".join(cells)))
        lines.append(SourceLine(number, ""))
    return lines


def _unique_cells(row) -> list[str]:
    """Merged cells repeat in python-docx; keep each once."""
    seen, texts = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            texts.append(cell.text)
    return texts


def read_odt(path: Path, data: bytes, options: ReadOptions) -> ParsedSource:
    from odf import teletype
    from odf.namespaces import TEXTNS
    from odf.opendocument import load

    try:
        document = load(str(path))
    except Exception as error:  # odfpy raises zip and XML errors alike
        raise InputFileError(path, f"unreadable OpenDocument file ({type(error).__name__})", hint="open it and save it again as .odt") from None
    lines: list[SourceLine] = []
    for number, element in enumerate(_odt_paragraphs(document.text, {(TEXTNS, "p"), (TEXTNS, "h")}), start=1):
        lines += [SourceLine(number, teletype.extractText(element)), SourceLine(number, "")]
    return parse_lines(path, "odt", lines, options)


def _odt_paragraphs(node, kinds):
    """Paragraphs and headings in document order, including those inside lists and tables."""
    for child in node.childNodes:
        if getattr(child, "qname", None) in kinds:
            yield child
        elif child.childNodes:
            yield from _odt_paragraphs(child, kinds)
