"""`qualcode memo`: memos on the project, a document, a code or a coding, and the research diary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import open_project_for
from .key import KeyOption, NoLeakCheckOption, guard
from .render import Column, guarded_emit, message

app = typer.Typer(help="Memos and the research diary: add, list, export.", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The memo.")],
    document: Annotated[Optional[str], typer.Option("--document", "-d", help="On this document.")] = None,
    code: Annotated[Optional[str], typer.Option("--code", help="On this code.")] = None,
    coding: Annotated[Optional[int], typer.Option("--coding", help="On this coding (its id).")] = None,
    diary: Annotated[bool, typer.Option("--diary", help="A dated research-diary entry.")] = False,
    date: Annotated[Optional[str], typer.Option("--date", help="With --diary: the day (YYYY-MM-DD; default today).")] = None,
    title: Annotated[str, typer.Option("--title", help="A short title.")] = "",
) -> None:
    """Add a memo (on the project unless it names a document, code or coding), or a diary entry."""
    from ..memo import add_memo

    message(f"memo {add_memo(open_project_for(ctx), text, document=document, code=code, coding=coding, diary=diary, dated=date, title=title)} added")


@app.command("list")
def list_(ctx: typer.Context,
          kind: Annotated[Optional[str], typer.Option("--kind", help="project, document, code, coding or diary.")] = None,
          json_flag: Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")] = False,
          key: KeyOption = None, no_leak_check: NoLeakCheckOption = False) -> None:
    """List memos and diary entries in date order."""
    from ..memo import memos

    project = open_project_for(ctx)
    rows = [{"id": m.id, "kind": m.kind, "about": m.about, "title": m.title, "text": m.text, "coder": m.coder, "created_at": m.created_at}
            for m in memos(project, kind)]
    guarded_emit(project, rows, [Column("id", "id", "right"), Column("kind", "kind"), Column("about", "on"), Column("title", "title"),
                                 Column("text", "text"), Column("coder", "by")], guard(key, no_leak_check),
                 fmt="json" if json_flag else "table")


@app.command("export")
def export(ctx: typer.Context,
           output: Annotated[Path, typer.Option("--output", "-o", help="A .md or .docx file.", dir_okay=False)],
           force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
           key: KeyOption = None, no_leak_check: NoLeakCheckOption = False) -> None:
    """Write memos and the diary to Markdown or Word."""
    from ..memo import export_memos

    message(f"wrote {export_memos(open_project_for(ctx), output, force, guard(key, no_leak_check))} memo(s) to {output}")
