"""Bytes to text: encodings people's files arrive in, and what kind of file the bytes are."""

from __future__ import annotations

import codecs
import re
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
# How a caption cue's timing line looks in each caption format (for sniffing and for reporting bad cues).
CUE_TIMING = {
    "vtt": re.compile(r"^(?:\d+:)?\d+:\d+\.\d+\s+-->\s+(?:\d+:)?\d+:\d+\.\d+"),
    "srt": re.compile(r"^\d+:\d+:\d+([,.])\d+\s+-->\s+\d+:\d+:\d+\1\d+"),
    "sbv": re.compile(r"^\d+:\d+:\d+\.\d+,\d+:\d+:\d+\.\d+\s*$"),
}
_ZIP_FORMATS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


_BINARY = "binary file, not text"
_BINARY_HINT = "import transcripts as text, Word, PDF, captions or spreadsheets"
# Symbols that stand next to letters only when a Central European or other code page was read as cp1252.
_MOJIBAKE_SYMBOLS = set("£¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿×÷ŸŒœŠšŽž")


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Return (text, encoding name) for UTF-8 (with or without BOM), UTF-16 or a legacy code page."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path), "utf-16"
    if b"\x00" in data:
        return _utf16_without_bom(data, path)
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


def _utf16_without_bom(data: bytes, path: Path) -> tuple[str, str]:
    """NUL bytes are UTF-16 (any script) when one byte order decodes to printable text, or strays in
    UTF-8 text when they are rare; otherwise the file is binary."""
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _printable_share(text) > 0.95:
            return text, encoding
    if data.count(0) <= max(1, len(data) // 1000):
        try:
            return data.replace(b"\x00", b"").decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    raise InputFileError(path, _BINARY, hint=_BINARY_HINT)


def _printable_share(text: str) -> float:
    sample = text[:4096]
    return sum(c.isprintable() or c in "\n\r\t" for c in sample) / max(1, len(sample))


def _legacy(data: bytes, path: Path) -> tuple[str, str]:
    """Windows' cp1252 when it reads as plausible Latin text; otherwise charset-normalizer's best guess.

    Short English text fools statistical detection (it guesses Baltic or Cyrillic code pages), so cp1252
    comes first; text in another script or code page read as cp1252 shows itself by mostly accented
    letters or by symbols glued to letters (`£ukasz`, `powiedzia³`).
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and _ascii_letter_share(text) > 0.8 and not _mojibake(text):
        return text, "cp1252"
    from charset_normalizer import from_bytes

    candidates = [(str(match), match.encoding) for match in from_bytes(data)]
    if not candidates:
        raise InputFileError(path, _BINARY, hint=_BINARY_HINT)
    return min(candidates, key=lambda candidate: _mojibake(candidate[0]))


def _mojibake(text: str) -> int:
    return sum(
        1 for i, c in enumerate(text)
        if c in _MOJIBAKE_SYMBOLS and any(n.isalpha() for n in text[max(0, i - 1):i] + text[i + 1:i + 2])
    )


def _ascii_letter_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    return sum(c.isascii() for c in letters) / len(letters)


def sniff_format(path: Path, data: bytes) -> str:
    """The format from the content where it has a signature (PDF, zip packages, RTF, captions), else the suffix.

    Raises for a file whose suffix promises a format its content does not have, and for unknown suffixes.
    """
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(path)
    if data.lstrip(codecs.BOM_UTF8).startswith(b"{\\rtf"):
        return "rtf"
    suffix_format = SUFFIX_FORMATS.get(path.suffix.lower())
    if suffix_format in {"docx", "odt", "xlsx", "pdf", "rtf"}:
        raise InputFileError(path, f"not a {path.suffix} file: its contents are not in that format", hint="check the file was saved or downloaded completely")
    if suffix_format in {None, "text"}:
        captions = _caption_format(data)
        if captions:
            return captions
    return suffix_format or _unknown(path)


def _caption_format(data: bytes) -> str | None:
    """WebVTT by its header; SubRip and SBV by their first cue (a .txt export is often really one)."""
    head = data[:2048].lstrip(codecs.BOM_UTF8)
    if head.startswith(b"WEBVTT"):
        return "vtt"
    lines = [line.strip() for line in head.decode("latin-1").splitlines() if line.strip()][:2]
    if len(lines) == 2 and lines[0].isdigit() and CUE_TIMING["srt"].match(lines[1]):
        return "srt"
    if lines and CUE_TIMING["sbv"].match(lines[0]):
        return "sbv"
    return None


def _unknown(path: Path) -> str:
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
