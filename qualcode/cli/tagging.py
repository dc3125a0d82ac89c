"""`qualcode autocode` (the codebook's rules as suggestions), `qualcode review` (a person decides) and
`qualcode search` (keyword in context, and coding the hits)."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from . import open_project_for
from .render import Column, ProgressBar, emit, message


def register(app: typer.Typer) -> None:
    app.command("autocode")(autocode)
    app.command("review")(review)
    app.command("search")(search)
    app.command("suggest")(suggest)


def autocode(
    ctx: typer.Context,
    code: Annotated[Optional[list[str]], typer.Option("--code", help="Only this code and those under it (repeatable).")] = None,
) -> None:
    """Apply the codebook's rules (keywords on lemmas, patterns, fuzzy variants) and store suggestions to review."""
    from ..autocode import autocode as run

    project = open_project_for(ctx)
    with ProgressBar("autocoding") as bar:
        report = run(project, code, on_document=lambda name, total: bar.advance(total, name))
    total = sum(report.suggested.values())
    message(f"{total} new suggestion(s) in {report.documents} document(s); review them with `qualcode review`")
    for code_id, count in report.suggested.most_common():
        message(f"  {count:5}  {code_id}")


def review(
    ctx: typer.Context,
    code: Annotated[Optional[str], typer.Option("--code", help="Only suggestions of this code (and those under it).")] = None,
    rule: Annotated[Optional[str], typer.Option("--rule", help="Only suggestions whose rule contains this, e.g. keyword:cover.")] = None,
    document: Annotated[Optional[str], typer.Option("--document", "-d", help="Only in this document.")] = None,
    accept: Annotated[bool, typer.Option("--accept", help="Accept all the chosen suggestions (after showing how many).")] = False,
    reject: Annotated[bool, typer.Option("--reject", help="Reject all the chosen suggestions (after showing how many).")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="With --accept/--reject: do not ask for confirmation.")] = False,
    list_flag: Annotated[bool, typer.Option("--list", help="List the suggestions instead of going through them.")] = False,
    json_flag: Annotated[bool, typer.Option("--json", help="Print the suggestions as JSON.")] = False,
) -> None:
    """Go through suggestions at the terminal: \\[a]ccept, \\[r]eject, \\[w]ider, \\[n]arrower, \\[s]kip, \\[q]uit (resume later)."""
    from ..errors import UsageError
    from ..review import Selection, decide, suggestions, walk

    if accept and reject:
        raise UsageError("choose --accept or --reject")
    project = open_project_for(ctx)
    selection = Selection(code, rule, document)
    if accept or reject or list_flag or json_flag:
        chosen = suggestions(project, selection)
        if list_flag or json_flag:
            rows = [{"id": s.id, "document": s.document, "line": s.line, "code": s.path, "rule": s.rule, "text": s.text} for s in chosen]
            emit(rows, [Column("id", "id", "right"), Column("document", "document", no_wrap=True), Column("line", "line", "right"),
                        Column("code", "code"), Column("rule", "rule"), Column("text", "text")], fmt="json" if json_flag else "table")
            return
        verb = "accept" if accept else "reject"
        message(f"{len(chosen)} suggestion(s) to {verb}")
        if chosen and not yes:
            if not sys.stdin.isatty():
                raise UsageError(f"pass --yes to {verb} {len(chosen)} suggestion(s) without a terminal to confirm at")
            typer.confirm(f"{verb} {len(chosen)} suggestion(s)?", abort=True)
        message(f"{verb}ed {decide(project, chosen, accept)} suggestion(s)")
        return
    accepted, rejected = walk(project, _asker(), selection)
    message(f"accepted {accepted}, rejected {rejected}; what is left waits for the next `qualcode review`")


def _asker():
    from rich.text import Text

    from .render import stdout_console

    console = stdout_console()
    answers = {"a": "accept", "r": "reject", "w": "wider", "n": "narrower", "s": "skip", "q": "quit"}

    def ask(suggestion, number: int, total: int) -> str:
        console.print(Text.assemble(f"\n[{number}/{total}] {suggestion.document}, line {suggestion.line}: ",
                                    (suggestion.path, "bold"), f"  ({suggestion.rule})\n  ", suggestion.before,
                                    (suggestion.text, "reverse"), suggestion.after))
        while (answer := typer.prompt("  [a]ccept, [r]eject, [w]ider, [n]arrower, [s]kip, [q]uit", default="s")
               .strip().lower()[:1]) not in answers:
            pass
        return answers[answer]

    return ask


def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words, a phrase, a regular expression (--mode regex) or one word (--mode fuzzy).")],
    mode: Annotated[str, typer.Option("--mode", "-m", help="lemma (coach finds coaching), phrase, regex or fuzzy.")] = "lemma",
    document: Annotated[Optional[str], typer.Option("--document", "-d", help="Only in this document.")] = None,
    speaker: Annotated[Optional[str], typer.Option("--speaker", help="Only turns with this speaker label (or code).")] = None,
    role: Annotated[Optional[str], typer.Option("--role", help="Only turns of speakers with this role (participant, coach …).")] = None,
    attr: Annotated[Optional[list[str]], typer.Option("--attr", help="Only documents with this attribute, key=value (repeatable).")] = None,
    in_code: Annotated[Optional[str], typer.Option("--in-code", help="Only inside codings of this code.")] = None,
    code: Annotated[Optional[str], typer.Option("--code", help="Code every hit with this code (after showing the count).")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="With --code: do not ask for confirmation.")] = False,
    json_flag: Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")] = False,
) -> None:
    """Keyword in context across the corpus; `--code CODE` codes the hits."""
    from ..errors import UsageError
    from ..search import Filters, check_code, code_hits, search as find

    project = open_project_for(ctx)
    if code is not None:
        check_code(project, code)  # before searching, so a wrong code costs nothing
    hits = find(project, query, mode, Filters(document, speaker, role, tuple(attr or ()), in_code))
    rows = [{"document": h.document, "turn": h.turn, "line": h.line, "speaker": h.speaker, "start": h.start, "end": h.end,
             "before": h.before, "text": h.text, "after": h.after} for h in hits]
    if json_flag:
        emit(rows, [], fmt="json")
    else:
        columns = [Column("document", "document", no_wrap=True), Column("line", "line", "right"), Column("speaker", "speaker"),
                   Column("before", "", "right", no_wrap=True), Column("text", "hit", no_wrap=True), Column("after", "", no_wrap=True)]
        emit([{**r, "before": r["before"][-40:], "after": r["after"][:40]} for r in rows], columns, fmt="table")
        message(f"{len(hits)} hit(s) in {len({h.document for h in hits})} document(s)")
    if code is not None and hits:
        if not yes:
            if not sys.stdin.isatty():
                raise UsageError(f"pass --yes to code {len(hits)} hit(s) without a terminal to confirm at")
            typer.confirm(f"code {len(hits)} hit(s) as {code}?", abort=True)
        message(f"coded {code_hits(project, hits, code, query)} hit(s) as {code}")


def suggest(
    ctx: typer.Context,
    code: Annotated[Optional[list[str]], typer.Option("--code", help="Only these codes (repeatable; default: all).")] = None,
    threshold: Annotated[float, typer.Option("--threshold", help="Suggest where the model's probability reaches this.")] = 0.5,
    no_cv: Annotated[bool, typer.Option("--no-cv", help="Skip the cross-validation (faster; no precision or recall).")] = False,
    json_flag: Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")] = False,
) -> None:
    """Train a model per code on people's decisions and suggest codes for turns not yet coded."""
    from ..learn import suggest as learn

    project = open_project_for(ctx)
    with ProgressBar("training") as bar:
        models = learn(project, code, threshold, not no_cv, on_code=lambda name, total: bar.advance(total, name))
    rows = [{"code": m.code, "for": m.positives, "against": m.negatives,
             "precision": None if m.precision is None else round(m.precision, 2),
             "recall": None if m.recall is None else round(m.recall, 2), "suggested": m.suggested, "declined": m.declined}
            for m in models]
    columns = [Column("code", "code"), Column("for", "for", "right"), Column("against", "against", "right"),
               Column("precision", "precision (cv)", "right"), Column("recall", "recall (cv)", "right"),
               Column("suggested", "suggested", "right"), Column("declined", "declined because")]
    emit(rows, columns, fmt="json" if json_flag else "table")
    trained = [m for m in models if not m.declined]
    message(f"{len(trained)} model(s) trained, {len(models) - len(trained)} declined; "
            f"{sum(m.suggested for m in models)} suggestion(s) to review with `qualcode review --rule model`")
