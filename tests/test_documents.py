"""Word, OpenDocument, RTF and plain-text readers."""

from __future__ import annotations

import re

import docx
import pytest

from qualcode.errors import InputFileError
from qualcode.ingest.documents import ReadOptions, read_docx, read_odt, read_rtf, read_text


def blocks_of(parsed):
    return [(b.label, b.text) for b in parsed.blocks]


def test_docx_bold_run_labels_and_prefix_labels(tmp_path):
    document = docx.Document()
    document.add_heading("Interview 3", level=1)
    paragraph = document.add_paragraph()
    paragraph.add_run("Interviewer").bold = True
    paragraph.add_run("\tHow did it start?")
    paragraph = document.add_paragraph()
    paragraph.add_run("Grace Okafor:").bold = True
    paragraph.add_run(" Slowly.")
    document.add_paragraph("It took a term.")
    document.add_paragraph("Interviewer: And then?")
    path = tmp_path / "t.docx"
    document.save(path)
    parsed = read_docx(path, path.read_bytes(), ReadOptions())
    assert parsed.format == "docx"
    assert blocks_of(parsed) == [(None, "Interview 3"), ("Interviewer", "How did it start?"),
                                 ("Grace Okafor", "Slowly.\nIt took a term."), ("Interviewer", "And then?")]


def test_docx_cover_tables_are_not_speech(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    for row, values in zip(table.rows, [("Participant ID", "P07"), ("Date", "12 May 2025"), ("Interviewer", "JS")]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.add_paragraph("Interviewer: Shall we start?")
    path = tmp_path / "cover.docx"
    document.save(path)
    options = ReadOptions(interviewer_labels=re.compile("interviewer", re.IGNORECASE))
    assert blocks_of(read_docx(path, path.read_bytes(), options)) == [
        (None, "Participant ID P07\nDate 12 May 2025\nInterviewer JS"), ("Interviewer", "Shall we start?")]


def test_docx_table_transcripts(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for row, (time, who, said) in zip(table.rows, [("00:00:01", "Interviewer", "Hello"), ("00:00:04", "Ann", "Hi there")]):
        for cell, value in zip(row.cells, (time, who, said)):
            cell.text = value
    path = tmp_path / "table.docx"
    document.save(path)
    assert blocks_of(read_docx(path, path.read_bytes(), ReadOptions())) == [("Interviewer", "Hello"), ("Ann", "Hi there")]


@pytest.mark.parametrize("name, content, reader, message", [
    ("broken.docx", b"PK\x03\x04 not really", read_docx, "unreadable Word file"),
    ("broken.rtf", rb"{\rtf1 broken {{{", read_rtf, "damaged RTF"),
])
def test_damaged_files_are_one_clear_error(tmp_path, name, content, reader, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=message):
        reader(path, path.read_bytes(), ReadOptions())


def test_odt_paragraphs_in_document_order(tmp_path):
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Interview"))
    document.text.addElement(P(text="Dan: first"))
    document.text.addElement(P(text="Ann: second"))
    path = tmp_path / "t.odt"
    document.save(str(path))
    assert blocks_of(read_odt(path, path.read_bytes(), ReadOptions())) == [(None, "Interview"), ("Dan", "first"), ("Ann", "second")]


def test_rtf(tmp_path):
    path = tmp_path / "t.rtf"
    path.write_bytes(rb"{\rtf1\ansi{\fonttbl\f0\fswiss Helvetica;}\f0\pard Dan: hello caf\'e9\par Ann: hi\par}")
    assert blocks_of(read_rtf(path, path.read_bytes(), ReadOptions())) == [("Dan", "hello café"), ("Ann", "hi")]


def test_text_with_crlf_and_no_text(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes(b"Dan: one\r\nAnn: two\r\n")
    assert blocks_of(read_text(path, path.read_bytes(), ReadOptions())) == [("Dan", "one"), ("Ann", "two")]
    path.write_bytes(b"\n\n  \n")
    with pytest.raises(InputFileError, match="no text"):
        read_text(path, path.read_bytes(), ReadOptions())


def test_docx_bold_lead_word_is_not_a_label(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("Important").bold = True
    paragraph.add_run(" things happened that term.")
    path = tmp_path / "b.docx"
    document.save(path)
    assert blocks_of(read_docx(path, path.read_bytes(), ReadOptions())) == [(None, "Important things happened that term.")]


def test_docx_time_speaker_text_table_with_header_and_nested_table(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for row, values in zip(table.rows, [("Time", "Speaker", "Text"), ("00:00:05", "Interviewer", "Hello"), ("00:01:10", "Ann", "Hi")]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    outer = document.add_table(rows=1, cols=1)
    nested = outer.rows[0].cells[0].add_table(rows=2, cols=2)
    nested.rows[0].cells[0].text, nested.rows[0].cells[1].text = "Ben", "Nested speech in a cell"
    nested.rows[1].cells[0].text, nested.rows[1].cells[1].text = "Cara", "and a reply to it"
    path = tmp_path / "t.docx"
    document.save(path)
    parsed = read_docx(path, path.read_bytes(), ReadOptions())
    assert [(b.label, b.text, b.time_start) for b in parsed.blocks] == [
        ("Interviewer", "Hello", 5.0), ("Ann", "Hi", 70.0), ("Ben", "Nested speech in a cell", None), ("Cara", "and a reply to it", None)]


def test_odt_tables_and_line_breaks(tmp_path):
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import LineBreak, P

    document = OpenDocumentText()
    paragraph = P(text="Anna: one")
    paragraph.addElement(LineBreak())
    paragraph.addText("Ben: two")
    document.text.addElement(paragraph)
    table = Table()
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for values in (("Cara", "three is the number"), ("Dan", "and four comes next")):
        row = TableRow()
        for value in values:
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    path = tmp_path / "t.odt"
    document.save(str(path))
    assert blocks_of(read_odt(path, path.read_bytes(), ReadOptions())) == [("Anna", "one"), ("Ben", "two"), ("Cara", "three is the number"), ("Dan", "and four comes next")]


def test_byte_order_marks_inside_the_text_are_dropped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff\ufeffDan: one\n\ufeffAnn: two".encode("utf-8"))
    assert blocks_of(read_text(path, path.read_bytes(), ReadOptions())) == [("Dan", "one"), ("Ann", "two")]
