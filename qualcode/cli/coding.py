"""`qualcode code` (coding by hand from the command line) and `qualcode index` (where each code is)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from . import open_project_for
from .options import CsvOption, ForceOption, FormatOption, JsonOption, OutputOption
from .key import KeyOption, NoLeakCheckOption, guard
from .render import Column, choose_format, guarded_emit, message


def register(app: typer.Typer) -> None:
    app.command("code")(code)
    app.command("index")(index)


def code(
    ctx: typer.Context,
    document: Annotated[str, typer.Argument(help="Document name, unique stem or id.")],
    add: Annotated[Optional[str], typer.Option("--add", help="Code to add: id, label, alias or `Theme > Descriptor`.")] = None,
    remove: Annotated[Optional[str], typer.Option("--remove", help="Code to take off this place.")] = None,
    turn: Annotated[Optional[int], typer.Option("--turn", help="Turn number (as `qualcode show` numbers them).")] = None,
    sentence: Annotated[Optional[int], typer.Option("--sentence", help="Only this sentence of the turn (from 1).")] = None,
    span: Annotated[Optional[str], typer.Option("--span", help="Character offsets START:END of the stored text.")] = None,
    flag: Annotated[Optional[list[str]], typer.Option("--flag", help="disconfirming: evidence against the code's theme.")] = None,
    action: Annotated[Optional[str], typer.Option("--action", help="For a code counted as actions: the action's id.")] = None,
    new: Annotated[bool, typer.Option("--new", help="Add the code to the codebook file if it is not there (inductive coding).")] = False,
    parent: Annotated[Optional[str], typer.Option("--parent", help="With --new: the code to put it under.")] = None,
    plain: Annotated[bool, typer.Option("--plain", help="Code one turn at a time, a command a line, instead of the full screen.")] = False,
    blind: Annotated[Optional[bool], typer.Option("--blind/--no-blind", help="See only your own codings (default: blind while"
                                                  " the document is in a sample no agreement round has measured yet).")] = None,
) -> None:
    """Code a document by hand. With no --add or --remove: the coder screen (`--plain` for line mode);
    with them, one change from the command line: `qualcode code w1_01 --turn 3 --add time.cover`."""
    from ..coding import Location, code_document
    from ..errors import UsageError

    if add is not None and remove is not None:
        raise UsageError("give --add CODE or --remove CODE, not both")
    if (add is not None or remove is not None) and (plain or blind is not None):
        raise UsageError("--plain and --blind are for the coder screen: leave out --add/--remove to open it")
    if add is None and remove is None:
        if any(v is not None for v in (turn, sentence, span, flag, action, parent)) or new:
            raise UsageError("say what to do there: --add CODE or --remove CODE (or leave out the place to open the coder screen)")
        _interactive(ctx, document, plain, blind)
        return
    project = open_project_for(ctx)
    result = code_document(project, document, add or remove, Location(turn, sentence, span), remove=remove is not None,
                           flags=tuple(flag or ()), action=action, new_code=new, parent=parent)
    if result.created_code:
        message(f"added the code {result.code} to the codebook")
    preview = " ".join(result.quote.split())
    preview = preview if len(preview) <= 70 else preview[:67] + "..."
    verb = f"removed {result.changed} coding(s) of" if remove else "coded"
    message(f"{result.document} {result.start}:{result.end}: {verb} {result.code}: \u201c{preview}\u201d")


def _interactive(ctx: typer.Context, document: str, plain: bool, blind: bool | None) -> None:
    import sys

    from ..coder import open_view
    from .render import message

    project = open_project_for(ctx)
    view = open_view(project, document, blind)
    if not plain and not (sys.stdin.isatty() and sys.stdout.isatty()):
        message("no terminal for the full screen: coding line by line (--plain)")
        plain = True
    if plain:
        from .coder_plain import PlainCoder

        PlainCoder(project, view).run()
    else:
        from ..errors import QualcodeError
        from .coder_screen import CoderApp

        app = CoderApp(project, view)
        app.run()
        if app.return_code:
            raise QualcodeError("the coder screen stopped on an error (shown above); every change made before it is saved")
    message(f"{view.document}: every change is saved ({len([m for m in view.marks if not m.suggested])} coding(s) you can see)")


def index(
    ctx: typer.Context,
    code_filter: Annotated[Optional[str], typer.Option("--code", help="Only this code and the codes under it.")] = None,
    orphaned: Annotated[bool, typer.Option("--orphaned", help="Only codings that could not be placed in changed text.")] = False,
    json_flag: JsonOption = False,
    csv_flag: CsvOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    key: KeyOption = None,
    no_leak_check: NoLeakCheckOption = False,
) -> None:
    """Where each code is: code, document, turn, line, time and the quoted text."""
    from ..coding import coding_index
    from ..script import format_time

    project = open_project_for(ctx)
    entries = coding_index(project, code_filter, orphaned)
    rows = [{"code": e.path, "code_id": e.code, "document": e.document, "turn": e.turn, "line": e.line, "time": format_time(e.time),
             "start": e.start, "end": e.end, "quote": e.quote, "coder": e.coder, "status": e.status, "placement": e.placement}
            for e in entries]
    columns = [Column("code", "code"), Column("document", "document", no_wrap=True), Column("turn", "turn", "right"),
               Column("line", "line", "right"), Column("time", "time"), Column("quote", "quote"), Column("coder", "coder"),
               Column("status", "status")]
    chosen = choose_format(json_flag, csv_flag, fmt, output)
    guarded_emit(project, rows, columns, guard(key, no_leak_check), fmt=chosen, output=output, force=force)
    if chosen == "table" and output is None:
        message(f"{len(rows)} coding(s)")
