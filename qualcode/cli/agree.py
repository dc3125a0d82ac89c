"""`qualcode agree`: inter-rater agreement per code, with the statistic, unit and n a methods section names."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..files import refuse_existing
from . import open_project_for
from .key import KeyOption, NoLeakCheckOption, guard
from .matrix import CodesOption
from .options import CsvOption, ForceOption, FormatOption, JsonOption, OutputOption, TemplateOption
from .render import choose_format, write_rows


def register(app: typer.Typer) -> None:
    app.command("agree")(agree)
    app.command("adjudicate")(adjudicate)


def _names(coders: list[str]) -> list[str]:
    return [name.strip() for item in coders for name in item.split(",") if name.strip()]


def agree(
    ctx: typer.Context,
    coders: Annotated[Optional[list[str]], typer.Option("--coders", help="Two or more coders, comma-separated or repeated: --coders anna,ben.")] = None,
    unit: Annotated[str, typer.Option("--unit", help="Where a code is present or not: turn (default), sentence, paragraph, document,"
                                      " respondent (surveys), or character (two coders: NVivo's character agreement).")] = "turn",
    codes: CodesOption = None,
    everything: Annotated[bool, typer.Option("--all", help="Add kappa's 95% interval, Brennan-Prediger kappa and Krippendorff's alpha;"
                                             " at character level |u-alpha, u-alpha, cu-alpha and MAXQDA-style segment agreement.")] = False,
    min_overlap: Annotated[Optional[float], typer.Option("--min-overlap", help="With --unit character --all: how much two segments must overlap"
                                                         " to agree, in percent of their union (MAXQDA's default: 90).")] = None,
    disagreements: Annotated[bool, typer.Option("--disagreements", help="List each disagreement (code, place, who coded it, the words) instead.")] = False,
    list_rounds: Annotated[bool, typer.Option("--rounds", help="List the rounds recorded so far: coders, unit, codebook version (changed or not), pooled figures.")] = False,
    rating_sheets: Annotated[Optional[list[Path]], typer.Option("--ratings", help="Raters' ratings sheets (`matrix ratings` format), one per rater, named by the file: agreement on the ratings instead.", dir_okay=False)] = None,
    level: Annotated[str, typer.Option("--level", help="With --ratings: the scale's level for Krippendorff's alpha: ordinal (default), interval, ratio or nominal.")] = "ordinal",
    json_flag: JsonOption = False, csv_flag: CsvOption = False, fmt: FormatOption = None,
    output: OutputOption = None, force: ForceOption = False, template: TemplateOption = None, key: KeyOption = None, no_leak_check: NoLeakCheckOption = False,
) -> None:
    """Per code: units, percent agreement, Cohen's kappa (Fleiss' for 3+ coders) and Gwet's AC1, prevalence
    flagged; then the pooled and mean rows. Each run is recorded as a round."""
    from ..agree import agree as compute
    from ..agree import as_json, as_rows, methods_note
    from ..errors import UsageError

    project = open_project_for(ctx)
    if list_rounds:
        _rounds(project, json_flag, csv_flag, fmt, output, force, template, key, no_leak_check)
        return
    if rating_sheets:
        _ratings(project, rating_sheets, level, json_flag, csv_flag, fmt, output, force, template, key, no_leak_check)
        return
    if not coders:
        raise UsageError("--coders: name two or more coders, e.g. --coders anna,ben (or --rounds to list the rounds)")
    if min_overlap is not None and not (unit == "character" and everything and not disagreements):
        raise UsageError("--min-overlap goes with --unit character --all (MAXQDA-style segment agreement)")
    if disagreements and (everything or unit != "turn"):
        raise UsageError("--disagreements lists code × turn disagreements: leave out --all and --unit")
    choose_format(json_flag, csv_flag, fmt, output)  # a bad output is refused before the round is recorded
    if output is not None:
        refuse_existing(output, force)
    names = _names(coders)
    if disagreements:
        from ..adjudicate import disagreements as listed

        found = listed(project, names)
        rows = [{"code": d.path, "document": d.document, "turn": d.turn, "time": d.time, "coded by": ", ".join(d.coded_by),
                 "not by": ", ".join(d.not_by), **{f"codes by {c}": ", ".join(d.codes[c]) for c in names}, "text": d.text}
                for d in found]
        columns = [(k, k[:1].upper() + k[1:]) for k in ("code", "document", "turn", "time", "coded by", "not by",
                                                        *(f"codes by {c}" for c in names), "text")]
        write_rows(project, f"Disagreements: {', '.join(names)}", rows, columns, [f"{len(found)} disagreement(s)"],
                   json_flag=json_flag, csv_flag=csv_flag, fmt=fmt, output=output, force=force, template=template, guard=guard(key, no_leak_check),
                   json_data=rows, first_column="code")
        return
    result = compute(project, names, unit, codes, everything, (90.0 if min_overlap is None else min_overlap) / 100)
    rows = as_rows(result)
    extra = [("ci95", "κ 95% CI"), ("bp", "Brennan–Prediger κ"), ("alpha", "Krippendorff's α")]
    if unit == "character":
        extra = [("u_alpha", "uα"), ("cu_alpha", "cuα"), ("segments", f"Segments agreeing (≥ {min_overlap or 90:g}%)")]
    columns = [("code", "Code"), ("n_units", "Units"), ("percent_agreement", "Agreement"),
               ("kappa", "κ" if len(names) == 2 else "Fleiss κ"), ("ac1", "AC1"), ("flag", ""),
               *(extra if everything else []),
               *((f"coded by {coder}", f"Coded by {coder}") for coder in names)]
    write_rows(project, f"Agreement by {result.unit}: {', '.join(names)}", rows, columns, [methods_note(result)],
               json_flag=json_flag, csv_flag=csv_flag, fmt=fmt, output=output, force=force, template=template, guard=guard(key, no_leak_check),
               json_data=as_json(result), first_column="code")


def _ratings(project, sheets, level, json_flag, csv_flag, fmt, output, force, template, key, no_leak_check) -> None:
    from ..agree import rating_agreement

    rows, pooled = rating_agreement(project, list(sheets), level)

    def shown(value, percent=False) -> str:
        return "–" if value is None else f"{100 * value:.0f}%" if percent else f"{value:.2f}"

    table = [{"theme": r.theme, "cases": r.cases, "exact": shown(r.exact, True), "alpha": shown(r.alpha),
              **{f"rated by {name}": n for name, n in r.rated.items()}} for r in [*rows, pooled]]
    raters = list(pooled.rated)
    columns = [("theme", "Theme"), ("cases", "Cases"), ("exact", "Same rating"), ("alpha", f"Krippendorff's α ({level})"),
               *((f"rated by {name}", f"Rated by {name}") for name in raters)]
    note = (f"Ratings by {', '.join(raters)} on the scale's scores: Krippendorff's alpha at the {level} level (ratings left "
            "blank are missing, not disagreements); 'Same rating' is over the cases every rater rated.")
    data = {"raters": raters, "level": level, "per_theme": [_rating_json(r) for r in rows], "pooled": _rating_json(pooled)}
    write_rows(project, f"Agreement on ratings: {', '.join(raters)}", table, columns, [note], json_flag=json_flag, csv_flag=csv_flag,
               fmt=fmt, output=output, force=force, template=template, guard=guard(key, no_leak_check), json_data=data,
               first_column="theme")


def _rating_json(row) -> dict:
    return {"theme": row.theme, "cases": row.cases, "rated": row.rated, "exact_agreement": row.exact, "krippendorff_alpha": row.alpha}


def _rounds(project, json_flag, csv_flag, fmt, output, force, template, key, no_leak_check) -> None:
    from ..agree import rounds

    found = rounds(project)

    def shown(value) -> str:
        return "–" if value is None else f"{value:.2f}"

    rows = [{**r, "changed": "codebook changed" if r["codebook_changed"] else "",
             "shown_agreement": "–" if r["percent_agreement"] is None else f"{100 * r['percent_agreement']:.0f}%",
             "shown_kappa": shown(r["kappa"]), "shown_ac1": shown(r["ac1"])} for r in found]
    columns = [("round", "Round"), ("date", "Date"), ("sample", "Sample"), ("coders", "Coders"), ("unit", "Unit"),
               ("codebook_version", "Codebook version"), ("changed", ""), ("shown_agreement", "Agreement (pooled)"),
               ("shown_kappa", "κ (pooled)"), ("shown_ac1", "AC1 (pooled)")]
    write_rows(project, "Agreement rounds", rows, columns, [f"{len(found)} round(s)"], json_flag=json_flag, csv_flag=csv_flag,
               fmt=fmt, output=output, force=force, template=template, guard=guard(key, no_leak_check), json_data=found,
               first_column="round")


def adjudicate(
    ctx: typer.Context,
    coders: Annotated[list[str], typer.Option("--coders", help="The coders whose disagreements to settle, e.g. --coders anna,ben.")],
) -> None:
    """Walk the disagreements: does the code belong in this turn? Each answer is saved at once as the
    `consensus` coder's (quit and resume any time); `tally --coder consensus` counts the result."""
    from ..adjudicate import decide, pending
    from .render import message, stdout_console

    project = open_project_for(ctx)
    waiting = pending(project, _names(coders))
    console = stdout_console()
    decided = 0
    for number, disagreement in enumerate(waiting, start=1):
        console.print(f"\n[{number}/{len(waiting)}] {disagreement.document}, turn {disagreement.turn}: {disagreement.path}"
                      f" (coded by {', '.join(disagreement.coded_by)}; not by {', '.join(disagreement.not_by)})\n  {disagreement.text}",
                      markup=False, highlight=False)
        try:
            answer = typer.prompt("  belongs? [y]es, [n]o, [s]kip, [q]uit", default="s").strip().lower()[:1]
        except typer.Abort:  # the end of the input: as good as quitting, every answer so far is saved
            break
        if answer == "q":
            break
        if answer in ("y", "n"):
            decide(project, disagreement, answer == "y")
            decided += 1
    message(f"{decided} decided, {len(waiting) - decided} left for the next `qualcode adjudicate`")
