"""Output files: written whole or not at all, and never over an existing one without --force."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .errors import InputFileError, UsageError


def refuse_existing(output: Path, force: bool, why: str = "") -> None:
    if output.exists() and not force:
        raise UsageError(f"{output}: exists; pass --force to overwrite it{why}")


def open_workbook(path: Path, written_by: str, read_only: bool = True):
    """A workbook qualcode wrote and a person has marked, or a one-line refusal saying how to get one."""
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=read_only)
    except FileNotFoundError:
        raise InputFileError(path, "no such file", hint="check the path") from None
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputFileError(path, f"not a readable workbook ({error.__class__.__name__})",
                             hint=f"write one with `{written_by}`") from None


def write_whole(output: Path, write: Callable[[Path], object]) -> None:
    """`write(path)` writes a temporary file beside the target, which then replaces it, so a failure
    never leaves half a file."""
    partial = output.with_name(output.name + ".partial")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        write(partial)
        partial.replace(output)
    except OSError as error:
        if partial.is_file():
            partial.unlink()
        raise UsageError(f"-o {output}: cannot write ({error.strerror or error}); choose a writable file path") from None
