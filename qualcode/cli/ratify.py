"""`qualcode ratify`: packs for readers who check themes, and their marks (ratified or queried)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import open_project_for
from .key import KeyOption, NoLeakCheckOption, guard
from .matrix import CodesOption, LevelOption
from .options import CsvOption, ForceOption, JsonOption, OutputOption, TemplateOption
from .render import Column, emit, message
from .tally import CoderOption


def register(app: typer.Typer) -> None:
    app.command("ratify")(ratify)


def ratify(
    ctx: typer.Context,
    theme: Annotated[Optional[str], typer.Argument(help="A theme to mark (with --status and --reviewer).")] = None,
    pack: Annotated[bool, typer.Option("--pack", help="Write a pack (-o FILE.docx to read, FILE.xlsx to mark): per theme its "
                                       "definition, tally and evidence quotes.")] = False,
    read: Annotated[Optional[Path], typer.Option("--read", help="Read the marks in a ratification workbook back.", dir_okay=False)] = None,
    status: Annotated[Optional[str], typer.Option("--status", help="ratified or queried.")] = None,
    comment: Annotated[str, typer.Option("--comment", help="What the reader said (a query's reason).")] = "",
    reviewer: Annotated[Optional[str], typer.Option("--reviewer", help="Who marked it (for --read: rows with no Reviewer).")] = None,
    codes: CodesOption = None,
    level: LevelOption = 1,
    per_theme: Annotated[int, typer.Option("--per-theme", help="Evidence quotes per theme in a pack.")] = 3,
    coder: CoderOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    template: TemplateOption = None,
    key: KeyOption = None,
    no_leak_check: NoLeakCheckOption = False,
    json_flag: JsonOption = False,
    csv_flag: CsvOption = False,
) -> None:
    """Ratification by readers who check themes: --pack -o FILE writes what they read or mark, --read FILE.xlsx
    brings their marks back, THEME --status S --reviewer R enters one; with none of these, each theme's marks."""
    from ..errors import UsageError
    from .. import ratify as ratification

    project = open_project_for(ctx)
    chosen = [name for name, given in (("--pack", pack), ("--read", read is not None), ("THEME", theme is not None)) if given]
    if len(chosen) > 1:
        raise UsageError(f"do one thing at a time: {' or '.join(chosen)}")
    if theme is None and (status is not None or comment):
        raise UsageError("--status and --comment mark a theme: give it first, e.g. `qualcode ratify time --status queried`")
    if pack:
        if output is None:
            raise UsageError("--pack needs -o FILE.docx (to read) or -o FILE.xlsx (to mark)")
        built = ratification.build_pack(project, codes=codes, level=level, per_theme=per_theme, coder=coder)
        count = ratification.write_pack(project, built, output, force=force, guard=guard(key, no_leak_check), template=template)
        message(f"wrote {output}: {count} theme(s)" + ("; readers mark the Status column, then `qualcode ratify --read` it"
                                                       if output.suffix.lower() == ".xlsx" else ""))
        return
    if read is not None:
        message(f"{read}: {ratification.read_marks(project, read, reviewer)} mark(s) read")
        return
    if theme is not None:
        if status is None:
            raise UsageError("--status ratified or --status queried: what did the reader say?")
        path = ratification.mark(project, theme, status, reviewer, comment)
        message(f"{path}: {status} by {reviewer}")
        return
    _list(project, json_flag, csv_flag)


def _list(project, json_flag: bool, csv_flag: bool) -> None:
    from ..coding import project_codebook
    from ..matrix import chosen_codes
    from ..ratify import by_code, summary

    codebook = project_codebook(project)
    marks = by_code(project)
    rows = []
    for code in dict.fromkeys([*chosen_codes(codebook, 1, None), *marks]):
        own = marks.get(code, [])
        rows.append({"code": codebook.path(code) or code, "id": code, "status": summary(own) or "not marked",
                     "comments": "; ".join(f"{r['reviewer']}: {r['comment']}" for r in own if r["comment"]), "marks": own})
    columns = [Column("code", "theme"), Column("status", "status"), Column("comments", "comments")]
    emit(rows, columns, fmt="json" if json_flag else "csv" if csv_flag else "table")
