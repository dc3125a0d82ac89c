"""`qualcode codebook`: check, show and compare the project's codebook (a YAML file)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import open_project_for
from .key import KeyOption, NoLeakCheckOption, guard
from .render import Column, emit, message

app = typer.Typer(help="The codebook: check it, show its tree, compare two versions.", no_args_is_help=True)

FileArgument = Annotated[Optional[Path], typer.Argument(help="A codebook file (default: the project's).", dir_okay=False)]


def _path(ctx: typer.Context, given: Path | None) -> Path:
    from ..codebook import codebook_path

    return given if given is not None else codebook_path(open_project_for(ctx))


@app.command("check")
def check(ctx: typer.Context, path: FileArgument = None) -> None:
    """Report every problem in a codebook with its line and column; exit 2 if there is any."""
    from ..codebook import check_codebook
    from ..errors import QualcodeError

    path = _path(ctx, path)
    codebook, problems = check_codebook(path)
    for problem in problems:
        where = f"{path}:{problem.line}:{problem.column}" if problem.line else str(path)
        typer.echo(f"{where}: {problem.message}", err=True)
    if problems:
        raise QualcodeError(f"{path}: {len(problems)} problem(s) (listed above); fix them and check again")
    message(f"{path}: {len(codebook.codes)} codes, version {codebook.version}, no problems")


@app.command("show")
def show(ctx: typer.Context, path: FileArgument = None,
         json_flag: Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")] = False) -> None:
    """Print the code tree: ids, labels and the rules each code has."""
    from ..codebook import load_codebook

    codebook = load_codebook(_path(ctx, path))
    rows = [{"id": c.id, "path": codebook.path(c.id), "label": c.label, "parent": c.parent, "depth": codebook.path(c.id).count(" > "),
             "keywords": list(c.keywords), "patterns": list(c.patterns), "scope": c.scope, "retired": c.retired}
            for c in codebook.codes.values()]
    if json_flag:
        emit(rows, [], fmt="json")
        return
    for row in rows:
        rules = ", ".join(f"{len(row[k])} {k}" for k in ("keywords", "patterns") if row[k])
        typer.echo(f"{'  ' * row['depth']}{row['label']}  [{row['id']}]" + (f"  ({rules})" if rules else "")
                   + ("  (retired)" if row["retired"] else ""))


@app.command("diff")
def diff_command(
    old: Annotated[Path, typer.Argument(help="The earlier codebook file.", dir_okay=False)],
    new: Annotated[Path, typer.Argument(help="The later codebook file.", dir_okay=False)],
    json_flag: Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")] = False,
) -> None:
    """What changed between two codebook files, code by code."""
    from ..codebook import diff, load_codebook

    changes = diff(load_codebook(old), load_codebook(new))
    rows = [{"change": c.kind, "code": c.code, "detail": c.detail} for c in changes]
    emit(rows, [Column("change", "change"), Column("code", "code"), Column("detail", "detail")], fmt="json" if json_flag else "table")
    if not json_flag:
        message(f"{len(changes)} change(s)")


@app.command("import")
def import_(ctx: typer.Context,
            path: Annotated[Path, typer.Argument(help="A .qdc (REFI-QDA), .csv/.xlsx (id, parent, label, definition …) or QualCoder .txt.",
                                                 dir_okay=False)]) -> None:
    """Add a codebook's codes to the project's codebook file (codes it already has are left as they are)."""
    from ..codebook_io import import_codebook
    from .render import warning

    report = import_codebook(open_project_for(ctx), path)
    for text in report.warnings:
        warning(text)
    message(f"added {len(report.added)} code(s), {report.already} already there")


@app.command("export")
def export(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="A .qdc (REFI-QDA), .csv, .txt (QualCoder), .docx or .xlsx file.",
                                         dir_okay=False)],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
    key: KeyOption = None,
    no_leak_check: NoLeakCheckOption = False,
) -> None:
    """Write the codebook in another format: REFI-QDA for other QDA tools, Word or Excel for a report annex."""
    from ..codebook_io import export_codebook

    count = export_codebook(open_project_for(ctx), output, force, guard(key, no_leak_check))
    message(f"wrote {count} code(s) to {output}")


CodeArgument = Annotated[str, typer.Argument(help="A code: id, label, alias or `Theme > Descriptor`.")]


@app.command("add")
def add(ctx: typer.Context, label: Annotated[str, typer.Argument(help="The new code's label.")],
        parent: Annotated[Optional[str], typer.Option("--parent", help="The code to put it under (default: the top).")] = None,
        code_id: Annotated[Optional[str], typer.Option("--id", help="Its id (default: made from the label).")] = None) -> None:
    """Add a code to the codebook file."""
    from ..codebook_edits import add as add_code

    message(f"added {add_code(open_project_for(ctx), label, parent, code_id)}")


@app.command("rename")
def rename(ctx: typer.Context, code: CodeArgument,
           label: Annotated[Optional[str], typer.Argument(help="The new label.")] = None,
           code_id: Annotated[Optional[str], typer.Option("--id", help="A new id (codings follow).")] = None) -> None:
    """Give a code a new label (or a new id; its codings follow)."""
    from ..codebook_edits import rename as rename_code

    renamed = rename_code(open_project_for(ctx), code, label, code_id)
    message(f"{renamed.id}: {renamed.label}")


@app.command("move")
def move(ctx: typer.Context, code: CodeArgument,
         parent: Annotated[Optional[str], typer.Option("--parent", help="The new parent (default: the top).")] = None) -> None:
    """Move a code (with the codes under it) to another parent."""
    from ..codebook_edits import move as move_code

    message(f"now {move_code(open_project_for(ctx), code, parent)}")


@app.command("merge")
def merge(ctx: typer.Context, code: CodeArgument,
          into: Annotated[str, typer.Argument(help="The code that takes over its codings.")]) -> None:
    """Merge a code into another: its codings move, it leaves the codebook (codes under it move up)."""
    from ..codebook_edits import merge as merge_codes

    message(f"merged: {merge_codes(open_project_for(ctx), code, into)} coding(s) moved to {into}")


@app.command("retire")
def retire(ctx: typer.Context, code: CodeArgument) -> None:
    """Keep a code and its codings, but stop suggesting it (autocode skips retired codes)."""
    from ..codebook_edits import retire as retire_code

    message(f"retired {retire_code(open_project_for(ctx), code)}")
