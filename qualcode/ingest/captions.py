"""WebVTT, SubRip and SBV captions (Zoom, Teams, Otter, YouTube) read with webvtt-py.

A cue's speaker is its `<v Name>` voice span or a leading `Name:`; consecutive cues of one speaker
merge into a turn that keeps the first start and last end time. webvtt-py drops bad cues silently, so
a light scan of the file's blocks says which lines were skipped.
"""

from __future__ import annotations

import io
from pathlib import Path

from ..errors import InputFileError
from ..models import Block, ParsedSource
from ..script import normalise
from .decode import CUE_TIMING, decode
from .labels import leading_label, parse_time

_VTT_NON_CUE = ("WEBVTT", "NOTE", "STYLE", "REGION")
_NAMES = {"vtt": "WebVTT", "srt": "SubRip (.srt)", "sbv": "SBV"}


def read_captions(path: Path, data: bytes, fmt: str) -> ParsedSource:
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    text, encoding = decode(data, path)
    text = normalise(text)
    blocks = _raw_blocks(text)
    if not blocks:
        raise InputFileError(path, f"empty {_NAMES[fmt]} file", hint="check the export finished; nothing to import")
    try:
        captions = webvtt.from_buffer(io.StringIO(text), format=fmt)
    except (MalformedFileError, MalformedCaptionError) as error:
        line = _first_bad_line(fmt, blocks)
        raise InputFileError(path, f"not a valid {_NAMES[fmt]} file ({error})", line=line,
                             hint=f"fix the file or export the captions again as {_NAMES[fmt]}") from None
    cue_blocks = [_cue_block(caption) for caption in captions]
    if not any(block.text for block in cue_blocks):
        raise InputFileError(path, f"{_NAMES[fmt]} file has no captions", hint="nothing to import; check the export")
    warnings = _skipped(fmt, blocks, len(captions))
    return ParsedSource(fmt, cue_blocks, encoding, warnings)


def _cue_block(caption) -> Block:
    text = " ".join(caption.text.split())
    label = caption.voice
    if label is None:
        found = leading_label(text)
        if found:
            label, text = found
    return Block(label, text, time_start=parse_time(caption.start), time_end=parse_time(caption.end), inline=True)


def _raw_blocks(text: str) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks of the file with the line number each starts on."""
    blocks, current, start = [], [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def _is_cue(fmt: str, lines: list[str]) -> bool:
    timing = CUE_TIMING[fmt]
    index = next((i for i, line in enumerate(lines[:2]) if timing.match(line)), None)
    return index is not None and len(lines) > index + 1


def _candidate_cues(fmt: str, blocks: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    if fmt == "vtt":
        return [(n, lines) for n, lines in blocks if not lines[0].startswith(_VTT_NON_CUE)]
    return blocks


def _first_bad_line(fmt: str, blocks: list[tuple[int, list[str]]]) -> int:
    if fmt == "vtt" and not blocks[0][1][0].startswith("WEBVTT"):
        return blocks[0][0]
    return next((n for n, lines in _candidate_cues(fmt, blocks) if not _is_cue(fmt, lines)), blocks[0][0])


def _skipped(fmt: str, blocks: list[tuple[int, list[str]]], n_parsed: int) -> list[str]:
    candidates = _candidate_cues(fmt, blocks)
    bad = [n for n, lines in candidates if not _is_cue(fmt, lines)]
    missing = len(candidates) - n_parsed
    if missing <= 0 and not bad:
        return []
    where = f" (the block at line{'s' if len(bad) > 1 else ''} {', '.join(map(str, bad))})" if bad else ""
    count = max(missing, len(bad))
    return [f"{count} cue(s) with a bad or missing timing or no text{where} were skipped or joined to the cue before; check the file"]
