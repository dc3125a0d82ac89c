"""Word documents for report drafts: real headings, tables with header rows, italic quotes, named styles.

Every paragraph and table uses a named style, so a report's own template (`--template FILE.docx`)
restyles the whole export: its styles are used where it has them, and the few qualcode needs that it
lacks (`Title`, `Heading 1`, `Heading 2`, `Quote`, `Quote Attribution`, `Methods Note`) are added,
based on its `Normal`.
"""

from __future__ import annotations

from pathlib import Path

from .errors import InputFileError
from .files import write_whole

QUOTE, ATTRIBUTION, METHODS, TABLE = "Quote", "Quote Attribution", "Methods Note", "Table Grid"
TITLE, HEADING = "Title", "Heading {}"


class WordReport:
    def __init__(self, title: str, template: Path | None = None):
        from docx import Document

        if template is not None:
            if not template.is_file():
                raise InputFileError(template, "no such file", hint="give the report template's path (a .docx)")
            try:
                self.document = Document(str(template))
            except Exception as error:  # python-docx raises several kinds for a file that is not a document
                raise InputFileError(template, f"not a Word document python-docx can read ({error.__class__.__name__})",
                                     hint="give a .docx (not .doc or .dotx) file") from None
            self._empty_body()
        else:
            self.document = Document()
        self._ensure_styles()
        self._fresh_properties()
        self.document.core_properties.title = title
        self.document.add_paragraph(title, style=TITLE)

    def _fresh_properties(self) -> None:
        """A template's author, comments and the like are not this report's (and may name someone)."""
        properties = self.document.core_properties
        for name in ("author", "last_modified_by", "comments", "keywords", "subject", "category", "content_status",
                     "identifier", "version"):
            setattr(properties, name, "")

    def _empty_body(self) -> None:
        """A template's text goes; its styles, page set-up, headers and footers stay."""
        from docx.oxml.ns import qn

        body = self.document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)

    def _ensure_styles(self) -> None:
        """Add what a template lacks (Word keeps many built-in styles only latent until they are used)."""
        from docx.enum.style import WD_STYLE_TYPE
        from docx.shared import Pt

        styles = self.document.styles
        names = {style.name for style in styles}
        wanted = ((TITLE, False, True, 24), (HEADING.format(1), False, True, 16), (HEADING.format(2), False, True, 13),
                  (QUOTE, True, False, None), (ATTRIBUTION, False, False, None), (METHODS, False, False, 9))
        for name, italic, bold, size in wanted:
            if name not in names:
                style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
                style.base_style = styles["Normal"]
                style.font.italic, style.font.bold = italic, bold
                if size:
                    style.font.size = Pt(size)
        self.table_style = TABLE if TABLE in names else None

    def heading(self, text: str, level: int = 1) -> None:
        self.document.add_paragraph(text, style=HEADING.format(level))

    def paragraph(self, text: str, style: str | None = None) -> None:
        self.document.add_paragraph(text, style=style)

    def quote(self, text: str, after: str = "", block: bool = True) -> None:
        """An italic quote; `after` (the attribution) follows inline in roman, or on its own line."""
        if block:
            self.document.add_paragraph(style=QUOTE).add_run(text).italic = True
            if after:
                self.document.add_paragraph(after, style=ATTRIBUTION)
            return
        paragraph = self.document.add_paragraph()
        paragraph.add_run(text).italic = True
        if after:
            paragraph.add_run(f" {after}")

    def table(self, header: list[str], rows: list[list], heading_rows: set[int] = frozenset(),
              widths: list[float] | None = None) -> None:
        """A table whose first row repeats as its header on every page; `heading_rows` span the table
        in bold (group rows); a cell given as (quote, attribution) prints the quote in italics;
        `widths` are shares of the text width."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        table = self.document.add_table(rows=1, cols=len(header))
        if self.table_style:
            table.style = self.table_style
        for cell, text in zip(table.rows[0].cells, header):
            cell.paragraphs[0].add_run(str(text)).bold = True
        marker = OxmlElement("w:tblHeader")
        marker.set(qn("w:val"), "true")
        table.rows[0]._tr.get_or_add_trPr().append(marker)
        for number, values in enumerate(rows):
            cells = table.add_row().cells
            if number in heading_rows:
                merged = cells[0].merge(cells[-1])
                merged.text = str(values[0])  # one paragraph, one run, where the merge left several
                merged.paragraphs[0].runs[0].bold = True
                continue
            for cell, value in zip(cells, values):
                if isinstance(value, tuple):
                    quote, after = value
                    cell.paragraphs[0].add_run(quote).italic = True
                    cell.paragraphs[0].add_run(f" {after}" if after else "")
                else:
                    cell.paragraphs[0].add_run("" if value is None else str(value))
        if widths:
            self._widths(table, widths)

    def _widths(self, table, shares: list[float]) -> None:
        section = self.document.sections[-1]
        usable = section.page_width - section.left_margin - section.right_margin
        table.autofit = False
        for column, share in zip(table.columns, shares):  # the grid, which LibreOffice reads
            column.width = int(usable * share)
        for row in table.rows:  # and each cell, which Word reads
            for cell, share in zip(row.cells, shares):
                cell.width = int(usable * share)

    def methods(self, lines: list[str]) -> None:
        self.heading("Methods note", level=2)
        for line in lines:
            self.paragraph(line, METHODS)

    def save(self, output: Path) -> None:
        write_whole(output, lambda path: self.document.save(str(path)))
