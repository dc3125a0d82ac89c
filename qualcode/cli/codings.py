"""`qualcode codings import|export`: codings in and out (CSV or JSON lines)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import open_project_for
from .key import KeyOption, NoLeakCheckOption, guard
from .render import Column, checked, emit, message, warning

app = typer.Typer(help="Move codings in and out: CSV or JSON lines (document, coder, code, and turn, start/end or text).",
                  no_args_is_help=True)


@app.command("import")
def import_(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="CSV or .jsonl: document, coder, code, and turn, start/end or text.", dir_okay=False)],
    mapping: Annotated[Optional[list[str]], typer.Option("--map", help="Our column = the file's, e.g. text=segment (repeatable).")] = None,
    coder: Annotated[Optional[str], typer.Option("--coder", help="Who coded, when the file has no coder column.")] = None,
    create_codes: Annotated[bool, typer.Option("--create-codes", help="Add codes the codebook lacks (by their path).")] = False,
) -> None:
    """Import codings; quotes are placed ignoring white space and line-break hyphenation, never guessed."""
    from ..codings import import_codings
    from ..corpus import parse_assignments
    from ..errors import PartialFailure

    report = import_codings(open_project_for(ctx), path, parse_assignments(mapping or []), coder, create_codes)
    if report.created_codes:
        shown = ", ".join(report.created_codes[:5]) + (" …" if len(report.created_codes) > 5 else "")
        message(f"added {len(report.created_codes)} code(s) to the codebook ({shown})")
    for problem in report.unplaced:
        warning(problem)
    message(f"imported {report.imported} coding(s)" + (f"; {report.already} were there already" if report.already else ""))
    if report.unplaced:
        raise PartialFailure(f"{len(report.unplaced)} coding(s) could not be placed (listed above); give their turn or start/end")


@app.command("export")
def export(
    ctx: typer.Context,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="A .csv or .jsonl file (default: CSV to stdout).",
                                                   dir_okay=False)] = None,
    coder: Annotated[Optional[str], typer.Option("--coder", help="Only this coder's codings.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
    key: KeyOption = None,
    no_leak_check: NoLeakCheckOption = False,
) -> None:
    """Export codings in the import format, with the hash of each document's text."""
    from ..codings import COLUMNS, export_codings

    project = open_project_for(ctx)
    rows = export_codings(project, coder)
    columns = [Column(name, name) for name in COLUMNS]
    if output is not None and output.suffix.lower() in {".jsonl", ".ndjson"}:
        from .render import write_json_lines

        checked(project, output, "json", rows, [], guard(key, no_leak_check))
        write_json_lines(rows, output, force)
        message(f"wrote {output}")
        return
    notes = checked(project, output, "csv", rows, [], guard(key, no_leak_check))  # to a file or not, it leaves the project
    emit(rows, columns, fmt="csv", output=output, force=force, notes=notes)
