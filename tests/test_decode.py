"""Encodings and format detection."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

import pytest

from qualcode.errors import InputFileError
from qualcode.ingest.decode import decode, sniff_format

TEXT = "Interviewer: Was it “worth” £40 — café?\nA: Yes."


@pytest.mark.parametrize("data, encoding", [
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("utf-16"), "utf-16"),
    (TEXT.encode("utf-16-le"), "utf-16-le"),
    (TEXT.encode("utf-16-be"), "utf-16-be"),
    (TEXT.encode("cp1252"), "cp1252"),
])
def test_decode_every_encoding_people_send(data, encoding):
    assert decode(data, Path("x.txt")) == (TEXT, encoding)


def test_other_code_pages_are_left_to_detection():
    russian = "Дан: Привет, как дела? Хорошо, спасибо за вопрос. Мы обсуждали школу и учителей."
    text, encoding = decode(russian.encode("cp1251"), Path("x.txt"))
    assert text == russian and encoding != "cp1252"


def test_binary_is_refused():
    with pytest.raises(InputFileError, match="binary"):
        decode(bytes(range(256)) * 4, Path("x.bin"))


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_sniff_by_content_before_suffix(tmp_path):
    assert sniff_format(Path("captions.txt"), b"WEBVTT\n\n00:00.000 --> 00:01.000\nhi") == "vtt"
    assert sniff_format(Path("a.txt"), b"%PDF-1.7") == "pdf"
    assert sniff_format(Path("a.doc"), b"{\\rtf1 hello}") == "rtf"
    assert sniff_format(Path("a.md"), b"Dan: hi") == "text"
    assert sniff_format(Path("a.csv"), b"id,answer") == "csv"
    docx = _zip(tmp_path / "renamed.bin", {"word/document.xml": b"<x/>"})
    assert sniff_format(docx, docx.read_bytes()) == "docx"
    odt = _zip(tmp_path / "a.odt", {"mimetype": b"application/vnd.oasis.opendocument.text"})
    assert sniff_format(odt, odt.read_bytes()) == "odt"


def test_a_docx_that_is_another_zip_is_refused(tmp_path):
    fake = _zip(tmp_path / "report.docx", {"data.json": b"{}"})
    with pytest.raises(InputFileError, match="zip archive that is not"):
        sniff_format(fake, fake.read_bytes())


def test_a_docx_that_is_not_a_zip_is_refused():
    with pytest.raises(InputFileError, match="not a .docx file"):
        sniff_format(Path("a.docx"), b"plain text")


def test_unknown_suffix_is_refused_with_the_formats_listed():
    with pytest.raises(InputFileError, match=r"unknown format \.xyz.*\.vtt"):
        sniff_format(Path("a.xyz"), b"hello")


def test_central_european_code_page_is_not_read_as_cp1252():
    polish = "Łukasz powiedział: Dzień dobry, jak się masz? Szkoła była zamknięta w środę."
    assert decode(polish.encode("cp1250"), Path("x.txt"))[0] == polish


def test_utf16_without_bom_in_any_script():
    japanese = "田中: こんにちは。今日はよろしくお願いします。\n鈴木: はい、お願いします。"
    assert decode(japanese.encode("utf-16-le"), Path("x.txt")) == (japanese, "utf-16-le")


def test_srt_and_sbv_in_a_txt_file_are_captions():
    assert sniff_format(Path("export.txt"), b"1\r\n00:00:01,000 --> 00:00:02,000\r\nhello\r\n") == "srt"
    assert sniff_format(Path("export.txt"), b"0:00:01.000,0:00:02.000\nhello\n") == "sbv"
    assert sniff_format(Path("notes.txt"), b"1\nfirst point\n") == "text"


def test_a_stray_nul_in_utf8_text_is_dropped():
    text = b"Dan: hello\x00 there." + b" How are you today?" * 60
    assert decode(text, Path("x.txt"))[0].startswith("Dan: hello there. How")
