"""Naming documents and setting their attributes."""

from __future__ import annotations

import pytest

from qualcode.corpus import documents, parse_assignments, parse_turn_range, resolve_document, set_attributes, units
from qualcode.errors import InputFileError, UsageError
from qualcode.ingest import ImportOptions, import_attribute_sheet, import_paths


@pytest.fixture
def imported(project, tmp_path):
    for name in ("P1.txt", "P1.vtt", "P2.txt"):
        path = tmp_path / name
        path.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhi\n" if name.endswith(".vtt") else "Dan: hi", encoding="utf-8")
        import_paths(project, [str(path)], ImportOptions())
    return project


def test_resolve_by_name_id_stem_and_prefix(imported):
    assert resolve_document(imported, "P1.txt")["name"] == "P1.txt"
    assert resolve_document(imported, "P2")["name"] == "P2.txt"
    assert resolve_document(imported, "1")["name"] == "P1.txt"
    with pytest.raises(UsageError, match="names 2 documents: P1.txt, P1.vtt"):
        resolve_document(imported, "P1")
    with pytest.raises(UsageError, match="no document 'P9'"):
        resolve_document(imported, "P9")


def test_set_attributes_and_sheet(imported, tmp_path):
    set_attributes(imported, "P2", ["site=B", "wave = 2"])
    sheet = tmp_path / "documents.csv"
    sheet.write_text("Document,site\nP1.txt,A\n", encoding="utf-8")
    assert import_attribute_sheet(imported, sheet) == (1, [])
    assert {d.name: d.attributes for d in documents(imported)}["P2.txt"] == {"site": "B", "wave": "2"}


def test_attribute_sheet_errors(imported, tmp_path):
    sheet = tmp_path / "bad.csv"
    sheet.write_text("name,site\nP1.txt,A\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="no column 'document'"):
        import_attribute_sheet(imported, sheet)
    sheet.write_text("document,site\nP1.txt,A\nP1.txt,B\n", encoding="utf-8")
    with pytest.raises(InputFileError) as error:
        import_attribute_sheet(imported, sheet)
    assert error.value.line == 3


def test_assignments_must_be_key_value():
    assert parse_assignments(["a=1", "b = two words"]) == {"a": "1", "b": "two words"}
    with pytest.raises(UsageError, match="key=value"):
        parse_assignments(["wave"])


def test_paragraph_and_sentence_units(project, tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("Dan: Hello there. How are you?\nSecond line.\n\nAnn: Fine!", encoding="utf-8")
    import_paths(project, [str(path)], ImportOptions())
    _, paragraphs = units(project, "t", "paragraph")
    assert [(p.seq, p.speaker_label, p.line, p.text) for p in paragraphs] == [
        (1, "Dan", 1, "Hello there. How are you?"), (1, "Dan", 2, "Second line."), (2, "Ann", 4, "Fine!")]
    _, sentences = units(project, "t", "sentence")
    text = project.store.document_text(1)
    assert [s.text for s in sentences] == ["Hello there.", "How are you?", "Second line.", "Fine!"]
    assert all(text[s.start:s.end] == s.text for s in sentences)
    with pytest.raises(UsageError, match="--by"):
        units(project, "t", "page")


@pytest.mark.parametrize("text, expected", [(None, (1, float("inf"))), ("3", (3, 3)), ("3-8", (3, 8)), ("10-", (10, float("inf")))])
def test_turn_ranges(text, expected):
    assert parse_turn_range(text) == expected


@pytest.mark.parametrize("text", ["x", "0", "8-3", "3-x"])
def test_bad_turn_ranges(text):
    with pytest.raises(UsageError, match="--turns"):
        parse_turn_range(text)
