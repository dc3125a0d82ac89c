"""`qualcode check`: checks before anything leaves the project."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import open_project_for
from .key import KeyOption, key_passphrase
from .render import Column, emit, message

app = typer.Typer(help="Checks before anything leaves the project.", no_args_is_help=True)


@app.command("leaks")
def leaks(
    ctx: typer.Context,
    key: KeyOption = None,
    paths: Annotated[Optional[list[str]], typer.Option("--path", help="Also check this file or folder (outputs kept outside the project); repeat for more.")] = None,
    json_flag: Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")] = False,
) -> None:
    """Look for names, terms, their typos and identifiers (e-mail, phone, postcode, web address) in the
    stored text, document names, attributes, the log and exports/ (and any --path), and for codes that
    single out one person. Exits 1 when anything is found; `check allow` records hits accepted on purpose."""
    from ..checks.leaks import check_leaks
    from ..errors import PartialFailure

    project = open_project_for(ctx)
    from ..errors import UsageError

    if any(not p.strip() for p in paths or []):
        raise UsageError("--path: give a file or folder to check, e.g. --path exports")
    found = check_leaks(project, key, key_passphrase(project, key, False), [Path(p) for p in paths or []])
    rows = [{"where": leak.where, "line": leak.line, "text": leak.text, "category": leak.category, "detector": leak.detector,
             "note": leak.note} for leak in found]
    columns = [Column("where", "where", no_wrap=True), Column("line", "line", "right"), Column("text", "text", no_wrap=True),
               Column("category", "category"), Column("detector", "found by"), Column("note", "note")]
    emit(rows, columns, fmt="json" if json_flag else "table")
    if found:
        raise PartialFailure(f"{len(found)} possible leak(s) (listed above); redact them, re-export, or record accepted ones "
                             "with `qualcode check allow TEXT --reason …`")
    message("no leaks found")


@app.command("report")
def report(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A draft report (.docx) or a table qualcode wrote (.csv, .xlsx), edited or not.", dir_okay=False)],
    key: KeyOption = None,
    json_flag: Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")] = False,
) -> None:
    """Recompute totals, percentages, scores and ranks; find every attributed quote in the transcripts
    (spoken by whom it says, not reused under two themes, not a near-copy of another); look for names
    and for figure numbers no caption has. Exits 1 when anything is found."""
    from ..checks.report import check_report
    from ..errors import PartialFailure

    found = check_report(open_project_for(ctx), file, key)
    rows = [{"kind": f.kind, "where": f.where, "text": f.text, "detail": f.detail} for f in found]
    columns = [Column("kind", "kind", no_wrap=True), Column("where", "where", no_wrap=True), Column("text", "text"),
               Column("detail", "detail")]
    if found or json_flag:
        emit(rows, columns, fmt="json" if json_flag else "table")
    if found:
        raise PartialFailure(f"{file}: {len(found)} problem(s) (listed above)")
    message(f"{file}: totals, quotes, names and figures check out")


@app.command("allow")
def allow(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The text to accept, e.g. a locality named in attributions.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it may stay (recorded with your name).")] = "",
    scope: Annotated[str, typer.Option("--in", help="Only in this document or export file (default: everywhere).")] = "",
) -> None:
    """Record a leak-check hit as accepted on purpose, with who and why."""
    from ..checks.allowlist import allow as add

    project = open_project_for(ctx)
    added = add(project, text, reason, scope)
    message(f"allowed {text!r}" + (f" in {scope}" if scope else "") if added else f"{text!r} was already allowed there")


@app.command("disallow")
def disallow(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Text allowed before.")],
    scope: Annotated[str, typer.Option("--in", help="The scope it was allowed in (default: everywhere).")] = "",
) -> None:
    """Remove an entry from the allowlist, so the leak check reports the text again."""
    from ..checks.allowlist import disallow as remove

    project = open_project_for(ctx)
    message(f"{text!r} is reported again" if remove(project, text, scope) else f"{text!r} was not on the allowlist")


@app.command("allowlist")
def allowlist(ctx: typer.Context, json_flag: Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")] = False) -> None:
    """List the hits accepted on purpose, with who accepted them, when and why."""
    from ..checks.allowlist import entries

    rows = entries(open_project_for(ctx))
    columns = [Column("text", "text"), Column("scope", "in"), Column("coder", "by"), Column("created_at", "when"), Column("reason", "why")]
    emit(rows, columns, fmt="json" if json_flag else "table")
