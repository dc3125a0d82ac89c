"""`qualcode quotes` (a quote bank), `qualcode quote …` (an author's decisions), `qualcode table evidence`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import open_project_for
from .key import KeyOption, NoLeakCheckOption, guard
from .matrix import CodesOption, LevelOption
from .options import ForceOption, TemplateOption
from .render import message, warning
from .tally import CoderOption, FilterOption, UnitOption, parse_filters

quote_app = typer.Typer(help="An author's decisions on a quote: confirm, pin, cut, edit its wording, or show it.", no_args_is_help=True)
table_app = typer.Typer(help="Tables for the report: the evidence table.", no_args_is_help=True)

OutputFile = Annotated[Optional[Path], typer.Option("--output", "-o", help=".md, .docx or .json (tables also .csv, .xlsx); a trace CSV is written beside it.", dir_okay=False)]
StyleOption = Annotated[Optional[str], typer.Option("--style", help="inline ('…' (C3)), role (block quote, role below) or attribution (block quote, \\[quotes] attribution below).")]
MarksOption = Annotated[Optional[str], typer.Option("--marks", help="Curly single or double quotation marks.")]
NoIdsOption = Annotated[bool, typer.Option("--no-ids", help="Leave out the \\[Q12] after each quote (the trace still has them).")]
QuoteId = Annotated[str, typer.Argument(help="The quote's id, e.g. Q12.")]


def register(app: typer.Typer) -> None:
    app.command("quotes")(quotes)
    app.add_typer(quote_app, name="quote")
    app.add_typer(table_app, name="table")


def _report(written, fmt_label: str) -> None:
    from ..export import Written

    if isinstance(written, Written):
        for text in written.warnings:
            warning(text)
        message(f"wrote {written.output} ({written.quotes} {fmt_label}) and its trace {written.trace}")
    else:
        import sys

        sys.stdout.write(written)


def quotes(
    ctx: typer.Context,
    output: OutputFile = None,
    codes: CodesOption = None,
    level: LevelOption = 1,
    per_theme: Annotated[Optional[int], typer.Option("--per-theme", help="At most this many quotes per theme (\\[quotes] per_theme).")] = None,
    filters: FilterOption = None,
    speaker: Annotated[Optional[str], typer.Option("--speaker", help="Only this speaker's quotes (a speaker code).")] = None,
    coder: CoderOption = None,
    style: StyleOption = None,
    marks: MarksOption = None,
    phrases: Annotated[bool, typer.Option("--phrases", help="Offer a short inline phrase under each quote.")] = False,
    no_ids: NoIdsOption = False,
    template: TemplateOption = None,
    shortlist: Annotated[bool, typer.Option("--shortlist", help="Write a workbook (-o FILE.xlsx) of candidate quotes for the team to mark keep, pin, cut or edit.")] = False,
    read: Annotated[Optional[Path], typer.Option("--read", help="Apply the decisions marked in a shortlist workbook.", dir_okay=False)] = None,
    key: KeyOption = None, no_leak_check: NoLeakCheckOption = False,
    force: ForceOption = False,
) -> None:
    """A quote bank: quotes under theme headings in the house style, evidence against each theme apart."""
    from ..export import write_bank
    from ..quotebank import build_bank

    project = open_project_for(ctx)
    if read is not None:
        from ..shortlist import read_shortlist

        report = read_shortlist(project, read)
        message(f"{read}: {report.decided} decision(s) applied, {report.unchanged} quote(s) left as they were")
        return
    if shortlist:
        from ..errors import UsageError
        from ..shortlist import write_shortlist

        if output is None:
            raise UsageError("--shortlist needs -o FILE.xlsx")
        count = write_shortlist(project, output, per_theme=per_theme or 10, force=force, guard=guard(key, no_leak_check), codes=codes,
                                level=None if codes else level, filters=parse_filters(filters), speaker=speaker, coder=coder)
        message(f"wrote {output}: {count} quote(s); mark the decision column, then --read it")
        return
    bank = build_bank(project, codes=codes, level=None if codes else level, per_theme=per_theme, filters=parse_filters(filters),
                      speaker=speaker, coder=coder, house=style, marks=marks)
    written = write_bank(project, bank, output, force=force, template=template, phrases=phrases, ids=not no_ids, guard=guard(key, no_leak_check))
    if output is None:
        for text in bank.warnings:
            warning(text)
    _report(written, "quotes")


@table_app.command("evidence")
def evidence(
    ctx: typer.Context,
    output: OutputFile = None,
    unit: UnitOption = "participants",
    codes: CodesOption = None,
    level: LevelOption = 1,
    group: Annotated[bool, typer.Option("--group", help="Rows for the codes one level down, under their themes as headings.")] = False,
    speaker_type: Annotated[bool, typer.Option("--speaker-type", help="A column with the exemplar's speaker type (their role).")] = False,
    filters: FilterOption = None,
    coder: CoderOption = None,
    marks: MarksOption = None,
    no_ids: NoIdsOption = False,
    template: TemplateOption = None,
    key: KeyOption = None, no_leak_check: NoLeakCheckOption = False,
    force: ForceOption = False,
) -> None:
    """Theme | exemplar quote (speaker) | figure with its unit and base: the table a report prints."""
    from ..export import write_evidence
    from ..quotebank import build_evidence_table

    project = open_project_for(ctx)
    table = build_evidence_table(project, unit=unit, codes=codes, level=None if codes else level, group=group,
                                 speaker_types=speaker_type, filters=parse_filters(filters), coder=coder, marks=marks)
    written = write_evidence(project, table, output, force=force, template=template, ids=not no_ids, guard=guard(key, no_leak_check))
    if output is None:
        for text in table.warnings:
            warning(text)
    _report(written, "exemplars")


def _decide(ctx: typer.Context, quote_id: str, status: str, wording: str | None = None) -> None:
    from ..quotes import decide

    result = decide(open_project_for(ctx), quote_id, status, wording)
    message(result)


@quote_app.command("confirm")
def confirm(ctx: typer.Context, quote_id: QuoteId) -> None:
    """Keep a machine-chosen quote: it is no longer marked as machine-chosen."""
    _decide(ctx, quote_id, "confirmed")


@quote_app.command("pin")
def pin(ctx: typer.Context, quote_id: QuoteId) -> None:
    """Make a quote its theme's first choice (and its row's exemplar)."""
    _decide(ctx, quote_id, "pinned")


@quote_app.command("cut")
def cut(ctx: typer.Context, quote_id: QuoteId) -> None:
    """Never use this quote again."""
    _decide(ctx, quote_id, "cut")


@quote_app.command("edit")
def edit(
    ctx: typer.Context,
    quote_id: QuoteId,
    wording: Annotated[str, typer.Argument(help="The new wording: the speaker's words in order, cuts as \\[...], additions in \\[brackets], fillers may go.")],
) -> None:
    """Edit a quote's wording lightly; every fragment is checked against the transcript."""
    _decide(ctx, quote_id, "confirmed", wording)


@quote_app.command("show")
def show(ctx: typer.Context, quote_id: QuoteId) -> None:
    """Where a quote is and what is decided about it."""
    from ..quotes import describe

    import sys

    sys.stdout.write(describe(open_project_for(ctx), quote_id))
