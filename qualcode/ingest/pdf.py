"""PDF with a text layer: lines by position, paragraphs by spacing, page furniture removed.

Running headers and footers (the same text, digits aside, at the top or bottom of most pages) and bare
page numbers are dropped; a paragraph cut by a page break is joined again; margin paragraph numbers
(MAXQDA and NVivo exports number every paragraph) mark where paragraphs start, and are removed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputFileError
from ..models import ParsedSource
from .documents import ReadOptions, parse_lines
from .labels import SourceLine

_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d+(?:\s*(?:of|/)\s*\d+)?$", re.IGNORECASE)
_PAGE_COUNTER = re.compile(r"(?:\bpage\s+\d+(?:\s+of\s+\d+)?|\b\d+\s*/\s*\d+)\s*$", re.IGNORECASE)
_LEADING_NUMBER = re.compile(r"^(\d{1,5})(?:\s+|$)")
_SENTENCE_END = re.compile(r"[.?!:;\"'’”)\]…]$")
_EDGE_ZONE = 0.1  # top and bottom tenth of a page hold running headers and footers


@dataclass(slots=True)
class _Line:
    page: int
    text: str
    x0: float
    top: float
    bottom: float
    zone: str  # head | body | foot
    page_width: float


def read_pdf(path: Path, data: bytes, options: ReadOptions) -> ParsedSource:
    lines = _drop_furniture(_page_lines(path))
    numbered = _numbered_lines(lines)
    paragraphs = _numbered_paragraphs(lines, numbered) if numbered else _spaced_paragraphs(lines)
    source: list[SourceLine] = []
    for number, text in enumerate(paragraphs, start=1):
        source.append(SourceLine(number, text))
    return parse_lines(path, "pdf", source, options)


def _page_lines(path: Path) -> list[list[_Line]]:
    import pdfplumber

    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = []
            for number, page in enumerate(pdf.pages, start=1):
                height = float(page.height)
                visible = page.within_bbox(page.bbox) if page.bbox else page
                rows = []
                for row in visible.extract_text_lines(strip=True, return_chars=False):
                    top = float(row["top"])
                    zone = "head" if top < height * _EDGE_ZONE else "foot" if top > height * (1 - _EDGE_ZONE) else "body"
                    rows.append(_Line(number, row["text"], float(row["x0"]), top, float(row["bottom"]), zone, float(page.width)))
                pages.append(rows)
    except Exception as error:  # pdfminer raises many types for damaged or truncated files
        raise InputFileError(path, f"unreadable PDF ({type(error).__name__})", hint="open it and export it to PDF again") from None
    if not any(pages):
        raise InputFileError(path, "PDF has no text layer", hint="run OCR on it first (e.g. ocrmypdf), then import the result")
    return pages


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.casefold()).strip()


def _drop_furniture(pages: list[list[_Line]]) -> list[_Line]:
    """Remove page numbers and text repeated in the head or foot zone of at least half the pages."""
    repeated: Counter[str] = Counter()
    for rows in pages:
        repeated.update({_furniture_key(row.text) for row in rows if row.zone != "body"})
    threshold = max(2, len(pages) // 2)
    furniture = {key for key, count in repeated.items() if count >= threshold}
    kept = []
    for rows in pages:
        for row in rows:
            if row.zone != "body":
                if _furniture_key(row.text) in furniture or _is_page_number(row):
                    continue
                # A page counter can share a line with text at the same height ("45 … 2/5").
                row.text = _PAGE_COUNTER.sub("", row.text).strip() or row.text
            kept.append(row)
    return kept


def _is_page_number(row: _Line) -> bool:
    """A bare number away from the left margin, where paragraph and line numbers stand."""
    return bool(_PAGE_NUMBER.match(row.text)) and row.x0 > 0.25 * row.page_width


def _numbered_lines(lines: list[_Line]) -> set[int]:
    """Indexes of lines that open a margin-numbered paragraph (1, 2, 3 …), if most paragraphs are numbered.

    A number left alone at the foot of a page, whose paragraph was pushed to the next page and numbered
    there again, gives its place to the repeat.
    """
    opening: list[int] = []
    expected = 1
    for index, line in enumerate(lines):
        match = _LEADING_NUMBER.match(line.text)
        if not match:
            continue
        number = int(match.group(1))
        if number == expected:
            opening.append(index)
            expected += 1
        elif number == expected - 1 and opening and lines[opening[-1]].text.strip() == match.group(1):
            opening[-1] = index
    return set(opening) if len(opening) >= 3 and len(opening) >= 0.3 * len(lines) else set()


def _numbered_paragraphs(lines: list[_Line], opening: set[int]) -> list[str]:
    """Every line up to the next number belongs to the paragraph, across page breaks too."""
    paragraphs: list[str] = []
    for index, line in enumerate(lines):
        if index in opening:
            paragraphs.append(_LEADING_NUMBER.sub("", line.text, count=1))
        elif paragraphs:
            paragraphs[-1] = _join(paragraphs[-1], line.text)
        else:
            paragraphs.append(line.text)
    return paragraphs


def _spaced_paragraphs(lines: list[_Line]) -> list[str]:
    """Group lines into paragraphs by vertical gaps; rejoin a paragraph a page break cut in two."""
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:]) if a.page == b.page and b.top > a.top]
    usual = sorted(gaps)[len(gaps) // 4] if gaps else 0.0
    paragraphs: list[str] = []
    previous: _Line | None = None
    for line in lines:
        if previous is None or _starts_paragraph(previous, line, usual):
            paragraphs.append(line.text)
        else:
            paragraphs[-1] = _join(paragraphs[-1], line.text)
        previous = line
    return paragraphs


def _starts_paragraph(previous: _Line, line: _Line, usual_gap: float) -> bool:
    if line.page != previous.page:
        # Across a page break only the wording tells: a sentence left open continues.
        return bool(_SENTENCE_END.search(previous.text))
    gap = line.top - previous.bottom
    return gap > usual_gap + max(2.0, 0.5 * (previous.bottom - previous.top)) or line.top < previous.top


def _join(text: str, more: str) -> str:
    if text.endswith("-") and more[:1].islower():
        return text + more
    return f"{text} {more}"
