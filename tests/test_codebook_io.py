"""Codebooks in other formats: REFI-QDA .qdc (valid against the standard's schema), CSV, QualCoder, Word, Excel."""

from __future__ import annotations

import shutil

import docx
import openpyxl
import pytest

from qualcode.codebook import load_codebook
from qualcode.codebook_io import export_codebook, guid, import_codebook, qdc_text
from qualcode.errors import InputFileError

from conftest import REPO

DEMO_CODEBOOK = REPO / "codebooks" / "pathways.yaml"


@pytest.fixture
def demo_codebook(project):
    shutil.copy(DEMO_CODEBOOK, project.root / "codebook.yaml")
    return project


def test_qdc_export_is_valid_stable_and_nested(demo_codebook, tmp_path, corpora):
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(corpora / "openqda-refi-tools" / "Codebook.xsd")))
    export_codebook(demo_codebook, tmp_path / "a.qdc")
    export_codebook(demo_codebook, tmp_path / "b.qdc")
    assert (tmp_path / "a.qdc").read_bytes() == (tmp_path / "b.qdc").read_bytes()
    document = etree.parse(str(tmp_path / "a.qdc"))
    assert schema.validate(document), schema.error_log
    names = document.xpath("//q:Code/@name", namespaces={"q": "urn:QDA-XML:codebook:1.0"})
    assert len(names) == 29 and b"<Sets" not in (tmp_path / "a.qdc").read_bytes()
    assert f'guid="{guid("time.cover")}"' in (tmp_path / "a.qdc").read_text(encoding="utf-8")


def test_csv_and_excel_round_trips_keep_ids_and_rules(demo_codebook, tmp_path):
    from qualcode.codebook import diff

    original = load_codebook(demo_codebook.root / "codebook.yaml")
    for suffix in (".csv", ".xlsx"):
        export_codebook(demo_codebook, tmp_path / f"out{suffix}")
        fresh = tmp_path / f"fresh{suffix}.yaml"
        fresh.write_text("codes: []\n", encoding="utf-8")
        demo_codebook.settings.values["project.codebook"] = str(fresh)
        import_codebook(demo_codebook, tmp_path / f"out{suffix}")
        again = load_codebook(fresh)
        assert list(again.codes) == list(original.codes), suffix
        if suffix == ".csv":  # the annex leaves the rules out; the CSV keeps everything
            assert diff(original, again) == [] and again.codes["time.cover"].patterns == original.codes["time.cover"].patterns
        demo_codebook.settings.values["project.codebook"] = "codebook.yaml"


def test_round_trip_through_every_format_keeps_the_tree(demo_codebook, tmp_path):
    original = load_codebook(demo_codebook.root / "codebook.yaml")
    for suffix in (".qdc", ".csv", ".txt"):
        export_codebook(demo_codebook, tmp_path / f"out{suffix}")
        fresh = tmp_path / f"fresh{suffix}.yaml"
        fresh.write_text("codes: []\n", encoding="utf-8")
        demo_codebook.settings.values["project.codebook"] = str(fresh)
        report = import_codebook(demo_codebook, tmp_path / f"out{suffix}")
        again = load_codebook(fresh)
        paths = sorted(again.path(c) for c in again.codes)
        expected = sorted(original.path(c) for c in original.codes)
        assert paths == expected, suffix
        assert report.added and not report.already
        demo_codebook.settings.values["project.codebook"] = "codebook.yaml"


def test_word_and_excel_annexes(demo_codebook, tmp_path):
    export_codebook(demo_codebook, tmp_path / "annex.docx")
    export_codebook(demo_codebook, tmp_path / "annex.xlsx")
    document = docx.Document(str(tmp_path / "annex.docx"))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 2"][:2] == ["Time and capacity", "Changes to teaching practice"]
    assert document.tables[0].rows[2].cells[0].text == "Cover eating into coaching"
    sheet = openpyxl.load_workbook(tmp_path / "annex.xlsx").active
    assert sheet["A1"].value == "Path" and sheet["A3"].value == "Time and capacity > Protected time for coaching"


def test_real_files_import_with_warnings_and_broken_xml_names_line_and_column(project, corpora):
    report = import_codebook(project, corpora / "openqda-refi-tools" / "example_codebook.qdc")
    codebook = load_codebook(project.root / "codebook.yaml")
    assert len(report.added) == 44 and len(codebook.children(None)) == 4 and "not a GUID" in report.warnings[0]
    assert [len(codebook.children(c.id)) for c in codebook.children(None)] == [15, 5, 11, 9]
    with pytest.raises(InputFileError, match=r"example_codebook_defect.qdc:132:15: not well-formed XML \(mismatched tag\)"):
        import_codebook(project, corpora / "openqda-refi-tools" / "example_codebook_defect.qdc")
    qualcoder = import_codebook(project, corpora / "qualcoder-examples" / "plain_codes_categories_for_import.txt")
    codebook = load_codebook(project.root / "codebook.yaml")
    assert {codebook.codes[c].label for c in qualcoder.added} == {"code1", "code2", "code3", "code4", "code5", "code6",
                                                                  "cat1", "cat2", "cat3"}
    assert codebook.find("code1").definition == "A memo for code 1"


@pytest.mark.parametrize("content, problem", [
    ("id,parent,label\na,,A\na,,B\n", "appears twice"),
    ("id,parent,label\na,zz,A\n", "names a parent 'zz'"),
    ("id,parent,label\na,b,A\nb,a,B\n", "a cycle"),
    ("id,parent,label\na,,\n", ":2: empty label"),
])
def test_flat_files_with_a_missing_parent_a_cycle_or_a_repeat_are_refused(project, tmp_path, content, problem):
    sheet = tmp_path / "codes.csv"
    sheet.write_text(content, encoding="utf-8")
    before = (project.root / "codebook.yaml").read_text(encoding="utf-8")
    with pytest.raises(InputFileError, match=problem):
        import_codebook(project, sheet)
    assert (project.root / "codebook.yaml").read_text(encoding="utf-8") == before


def test_qdc_text_escapes_names_and_descriptions():
    from qualcode.codebook import parse_codebook

    codebook = parse_codebook('codes:\n  - id: a\n    label: "Tom & Jerry <3"\n    definition: "x < y"\n')[0]
    text = qdc_text(codebook)
    assert 'name="Tom &amp; Jerry &lt;3"' in text and "<Description>x &lt; y</Description>" in text
