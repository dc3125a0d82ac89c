"""Bytes to text: encodings people's files arrive in, and what kind of file the bytes are."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

from ..errors import InputFileError


SUFFIX_FORMATS = {
    ".txt": "text", ".text": "text", ".md": "text", ".markdown": "text",
    ".docx": "docx", ".odt": "odt", ".rtf": "rtf", ".pdf": "pdf",
    ".vtt": "vtt", ".srt": "srt", ".sbv": "sbv",
    ".csv": "csv", ".tsv": "csv", ".xlsx": "xlsx",
}
FORMATS = sorted(set(SUFFIX_FORMATS.values()))
_ZIP_FORMATS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Return (text, encoding name) for UTF-8 (with or without BOM), UTF-16 or a legacy code page."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path), "utf-16"
    if _looks_utf16(data):
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return _strict(data, encoding, path), encoding
    if b"\x00" in data:
        raise InputFileError(path, "binary file, not text", hint="import transcripts as text, Word, PDF, captions or spreadsheets")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _legacy(data, path)


def _strict(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputFileError(path, f"not valid {encoding} at byte {error.start}", hint="re-save the file as UTF-8") from None


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: English text has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return False
    odd_nuls = sample[1::2].count(0) / (len(sample) // 2)
    even_nuls = sample[0::2].count(0) / ((len(sample) + 1) // 2)
    return max(odd_nuls, even_nuls) > 0.4 and min(odd_nuls, even_nuls) < 0.05


def _legacy(data: bytes, path: Path) -> tuple[str, str]:
    """Windows' cp1252 when it reads as mostly-ASCII Latin text; otherwise charset-normalizer's guess.

    Short English text fools statistical detection (it guesses Baltic or Cyrillic code pages), while
    text in another script decoded as cp1252 is mostly accented letters.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and _ascii_letter_share(text) > 0.8:
        return text, "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputFileError(path, "binary file, not text", hint="import transcripts as text, Word, PDF, captions or spreadsheets")
    return str(best), best.encoding


def _ascii_letter_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    return sum(c.isascii() for c in letters) / len(letters)


def sniff_format(path: Path, data: bytes) -> str:
    """The format by content first, then by suffix. Raises for a format qualcode does not read."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(path)
    if data.lstrip(codecs.BOM_UTF8).startswith(b"{\\rtf"):
        return "rtf"
    suffix_format = SUFFIX_FORMATS.get(path.suffix.lower())
    if suffix_format in {"docx", "odt", "xlsx", "pdf", "rtf"}:
        raise InputFileError(path, f"not a {path.suffix} file: its contents are not in that format", hint="check the file was saved or downloaded completely")
    head = data[:2048].lstrip(codecs.BOM_UTF8)
    if head.startswith(b"WEBVTT"):
        return "vtt"
    return suffix_format or _unknown(path, data)


def _unknown(path: Path, data: bytes) -> str:
    if not data:
        return "text"  # reported as empty by the text reader
    suffix = path.suffix or "(no suffix)"
    raise InputFileError(
        path,
        f"unknown format {suffix}",
        hint="qualcode reads " + ", ".join(sorted(SUFFIX_FORMATS)) + "; rename the file or pass --format",
    )


def _zip_format(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == _ODT_MIMETYPE:
                return "odt"
    except zipfile.BadZipFile:
        raise InputFileError(path, "damaged zip archive", hint="re-save or re-download the file") from None
    for fmt, member in _ZIP_FORMATS.items():
        if member in names:
            return fmt
    raise InputFileError(path, "a zip archive that is not a Word, OpenDocument or Excel file", hint="open it and save it as .docx, .odt or .xlsx")
