"""`qualcode anonymise`: codes for labels, neutral names, redacted speech; `--reverse` with the key."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import open_project_for
from .render import Column, ProgressBar, emit, message, warning
from .key import KeyOption, key_passphrase

app = typer.Typer(help="Anonymise the project (names out, codes in; the key holds the way back); bare, runs it.",
                  invoke_without_command=True)


@app.callback()
def anonymise(
    ctx: typer.Context,
    key: KeyOption = None,
    terms: Annotated[Optional[Path], typer.Option("--terms", help="CSV/XLSX of schools, places, organisations, people: term, category, replacement.",
                                                  dir_okay=False)] = None,
    reverse: Annotated[bool, typer.Option("--reverse", help="Put back names, text, labels and attributes from the key.")] = False,
    review: Annotated[bool, typer.Option("--review", help="List the doubtful finds waiting for a decision (as `anonymise review`).")] = False,
    encrypt: Annotated[bool, typer.Option("--encrypt", help="Encrypt a new key with a passphrase ($QUALCODE_KEY_PASSPHRASE, or asked).")] = False,
) -> None:
    """Replace speaker labels by codes, rename documents, and redact names, terms and identifiers in the text.

    Run it again after importing a new wave: existing codes and replacements are kept. Doubtful finds
    (a name that is also a word) are kept in the text and listed for review.
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..errors import UsageError

    if review and (reverse or terms or encrypt):
        raise UsageError("--review only lists doubtful finds; run it on its own")
    if reverse and (terms or encrypt):
        raise UsageError("--reverse takes only --key: the key says what to put back")
    if review:
        _show_pending(ctx, json_flag=False)
        return
    project = open_project_for(ctx)
    passphrase = key_passphrase(project, key, encrypt and not reverse)
    if reverse:
        from ..anonymise import reverse as reverse_project

        restored = reverse_project(project, key, passphrase)
        message(f"reversed: {len(restored.documents)} document(s), {restored.restored} span(s) put back")
        return
    from ..anonymise import anonymise as run

    with ProgressBar("anonymising") as bar:
        report = run(project, key, terms, passphrase, on_document=lambda name, total: bar.advance(total, name))
    counts = ", ".join(f"{n} {category}" for category, n in report.redacted.most_common()) or "nothing new"
    message(f"anonymised {len(report.documents)} document(s); redacted {counts}; the key is {report.key}")
    for where in report.ambiguous_labels:
        warning(f"{where} matches more than one roster person; link it by hand with `qualcode speakers link`")
    if report.removed_backups:
        message("removed migration backups holding the old text: " + ", ".join(report.removed_backups))
    if report.settings_naming:
        warning("still named in the project's own files (anonymise leaves them as written): " + ", ".join(report.settings_naming)
                + "; put such settings in your user config, or write them without names")
    if report.review:
        warning(f"{report.review} doubtful find(s) kept in the text; decide with `qualcode anonymise review`")


@app.command("review")
def review_command(
    ctx: typer.Context,
    json_flag: Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")] = False,
    walk: Annotated[bool, typer.Option("--walk", help="Decide each doubtful find in turn, here at the terminal.")] = False,
    key: KeyOption = None,
) -> None:
    """List doubtful finds (kept in the text) with their context; decide with `accept` or `reject`, or `--walk`."""
    if walk:
        _walk(ctx, key)
    else:
        _show_pending(ctx, json_flag)


def _walk(ctx: typer.Context, key: Path | None) -> None:
    """One find at a time: redact, keep (with a reason), skip or quit."""
    from rich.text import Text

    from ..anonymise import walk
    from .render import stdout_console

    console = stdout_console()
    answers = {"r": "redact", "k": "keep", "s": "skip", "q": "quit"}

    def ask(find, number: int, total: int) -> tuple[str, str]:
        console.print(Text.assemble(f"\n[{number}/{total}] {find.document}, line {find.line} ({find.reason})\n  ",
                                    find.before, (find.text, "bold reverse"), find.after))
        while (answer := typer.prompt(f"  redact as {find.replacement!r}? [r]edact, [k]eep, [s]kip, [q]uit",
                                      default="s").strip().lower()[:1]) not in answers:
            pass
        reason = typer.prompt("  why is it not identifying?", default="a word here, not a name") if answer == "k" else ""
        return answers[answer], reason

    project = open_project_for(ctx)
    decided = walk(project, ask, key, key_passphrase(project, key, False))
    message(f"decided {decided} doubtful find(s)")


def _show_pending(ctx: typer.Context, json_flag: bool) -> None:
    from ..anonymise import pending

    project = open_project_for(ctx)
    rows = [{"id": p.id, "document": p.document, "line": p.line, "text": p.text, "context": f"…{p.before}»{p.text}«{p.after}…",
             "before": p.before, "after": p.after, "category": p.category, "detector": p.detector, "reason": p.reason,
             "replacement": p.replacement} for p in pending(project)]
    columns = [Column("id", "id", "right"), Column("document", "document", no_wrap=True), Column("line", "line", "right"),
               Column("text", "text", no_wrap=True), Column("context", "context"), Column("reason", "why doubtful")]
    if json_flag:
        emit(rows, columns, fmt="json")
    elif rows:
        emit(rows, columns, fmt="table")
        message(f"{len(rows)} doubtful find(s); `qualcode anonymise accept ID…` redacts, `reject ID… --reason …` keeps, "
                "`review --walk` goes through them")
    else:
        message("no doubtful finds waiting")


Ids = Annotated[Optional[list[int]], typer.Argument(help="Ids from `qualcode anonymise review`.")]
AllOption = Annotated[bool, typer.Option("--all", help="Every doubtful find.")]


@app.command("accept")
def accept(ctx: typer.Context, ids: Ids = None, all_: AllOption = False, key: KeyOption = None) -> None:
    """Redact these doubtful finds (the original goes to the key)."""
    from ..anonymise import redact

    project = open_project_for(ctx)
    count = redact(project, _chosen(ids, all_), key, key_passphrase(project, key, False))
    message(f"redacted {count} find(s)")


@app.command("reject")
def reject(
    ctx: typer.Context,
    ids: Ids = None,
    all_: AllOption = False,
    reason: Annotated[str, typer.Option("--reason", help="Why it is not identifying (recorded with your name).")] = "",
) -> None:
    """Keep these doubtful finds as they are (a word, not a name), with a reason."""
    from ..anonymise import keep

    count = keep(open_project_for(ctx), _chosen(ids, all_), reason)
    message(f"kept {count} find(s) as written")


def _chosen(ids: list[int] | None, all_: bool) -> list[int] | None:
    from ..errors import UsageError

    if bool(ids) == all_:
        raise UsageError("name the finds by id (see `qualcode anonymise review`), or pass --all")
    return None if all_ else ids
