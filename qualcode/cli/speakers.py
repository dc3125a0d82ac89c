"""`qualcode speakers`: the labels in each document, their roles, turns and words."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from . import open_project_for
from .key import KeyOption, NoLeakCheckOption, guard, key_passphrase
from .options import CsvOption, ForceOption, FormatOption, JsonOption, OutputOption
from .render import Column, choose_format, emit, guarded_emit, message, warning

app = typer.Typer(help="Speaker labels and roles; bare, lists them.", invoke_without_command=True)


@app.callback()
def speakers(
    ctx: typer.Context,
    json_flag: JsonOption = False,
    csv_flag: CsvOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    key: KeyOption = None,
    no_leak_check: NoLeakCheckOption = False,
) -> None:
    """List speaker labels with role, turns and words per document."""
    if ctx.invoked_subcommand is not None:
        return
    from ..speakers import list_speakers

    project = open_project_for(ctx)
    rows = [{"document": s.document, "label": s.label, "person": s.person, "code": s.code, "role": s.role, "n_turns": s.n_turns,
             "n_words": s.n_words, "attributes": s.attributes} for s in list_speakers(project)]
    columns = [Column("document", "document", no_wrap=True), Column("label", "label", no_wrap=True),
               Column("person", "person", "right"), Column("code", "code"), Column("role", "role"),
               Column("n_turns", "turns", "right"), Column("n_words", "words", "right"), Column("attributes", "attributes")]
    chosen = choose_format(json_flag, csv_flag, fmt, output)
    if chosen == "table" and output is None:
        columns = columns[:-1]  # respondents' attributes are too wide for a terminal; see --json or -o
    guarded_emit(project, rows, columns, guard(key, no_leak_check), fmt=chosen, output=output, force=force)


@app.command("set-role")
def set_role(
    ctx: typer.Context,
    label: Annotated[str, typer.Argument(help="Speaker label exactly as written, e.g. 'Dan'.")],
    role: Annotated[str, typer.Argument(help="interviewer, participant, observer ...")],
    document: Annotated[Optional[str], typer.Option("--document", "-d", help="Only in this document (default: all).")] = None,
) -> None:
    """Change the role of a speaker label, e.g. mark 'Dan' as the interviewer."""
    from ..speakers import set_role as change_role

    project = open_project_for(ctx)
    changed = change_role(project, label, role, document)
    message(f"{label!r}: {changed} person(s) now {role}, in every document they speak in")


@app.command("link")
def link(
    ctx: typer.Context,
    labels: Annotated[list[str], typer.Argument(help="Labels as DOC:LABEL (or LABEL with --document, or a label unique in the corpus).")],
    document: Annotated[Optional[str], typer.Option("--document", "-d", help="Document for labels given without DOC:.")] = None,
) -> None:
    """Make several labels one person: a typo (`P5:Particpant`), or one person across interviews."""
    from ..speakers import link as link_labels

    project = open_project_for(ctx)
    merged = link_labels(project, labels, document)
    message(f"linked {len(labels)} labels as one person" if merged else "these labels were already one person")


@app.command("unlink")
def unlink(
    ctx: typer.Context,
    label: Annotated[str, typer.Argument(help="DOC:LABEL (or LABEL with --document, or a label unique in the corpus).")],
    document: Annotated[Optional[str], typer.Option("--document", "-d", help="Document for a label given without DOC:.")] = None,
) -> None:
    """Undo a link: this label becomes a person of its own."""
    from ..speakers import unlink as unlink_label

    changed = unlink_label(open_project_for(ctx), label, document)
    message(f"{label}: now a person of its own" if changed else f"{label} was already a person of its own")


@app.command("suggest")
def suggest(ctx: typer.Context, json_flag: Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")] = False) -> None:
    """Labels in one document that look like the same person (typos), to confirm with `speakers link`."""
    from ..speakers import suggest_links

    project = open_project_for(ctx)
    rows = [{"document": s.document, "label": s.label, "similar_to": s.similar_to, "score": s.score,
             "confirm": f"qualcode speakers link '{s.document}:{s.similar_to}' '{s.document}:{s.label}'"} for s in suggest_links(project)]
    columns = [Column("document", "document", no_wrap=True), Column("label", "label"), Column("similar_to", "looks like"),
               Column("score", "score", "right"), Column("confirm", "to confirm")]
    emit(rows, columns, fmt="json" if json_flag else "table")


@app.command("assign")
def assign(
    ctx: typer.Context,
    key: KeyOption = None,
    seed: Annotated[Optional[int], typer.Option("--seed", help="Seed for the random order (default: the key's, or a new one).")] = None,
    encrypt: Annotated[bool, typer.Option("--encrypt", help="Encrypt a new key with a passphrase ($QUALCODE_KEY_PASSPHRASE, or asked).")] = False,
    json_flag: Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")] = False,
) -> None:
    """Give every person a speaker code by the scheme in qualcode.toml (\\[codes]); existing codes are kept."""
    from ..speakers import assign_codes

    project = open_project_for(ctx)
    used, assignments, identifying = assign_codes(project, key, seed, key_passphrase(project, key, encrypt))
    rows = [{"person": a.person, "code": a.code, "role": a.kind, "labels": a.labels} for a in assignments]
    columns = [Column("person", "person", "right"), Column("code", "code", no_wrap=True), Column("role", "role"), Column("labels", "labels")]
    emit(rows, columns, fmt="json" if json_flag else "table")
    message(f"{len(rows)} people coded; the seed ({used}) is in the key, not the project")
    if identifying:
        shown = ", ".join(identifying[:3]) + (f" and {len(identifying) - 3} more" if len(identifying) > 3 else "")
        warning(f"{len(identifying)} code(s) identify one person through role and site: {shown}; "
                "attribute their quotes by role or site only, or use a group code")
