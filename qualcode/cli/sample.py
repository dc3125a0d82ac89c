"""`qualcode sample`: documents for a second coder, drawn reproducibly, and the project they code in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import open_project_for
from .key import KeyOption, NoLeakCheckOption, guard
from .render import message


def register(app: typer.Typer) -> None:
    app.command("sample")(sample)


def sample(
    ctx: typer.Context,
    fraction: Annotated[Optional[float], typer.Option("--fraction", help="The share of documents to draw, e.g. 0.2.")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", help="The draw's seed (recorded): the same seed draws the same documents.")] = None,
    stratify: Annotated[Optional[str], typer.Option("--stratify", help="Draw within each combination of these attributes, e.g. site,wave.")] = None,
    package: Annotated[Optional[Path], typer.Option("--package", help="Write a project for the second coder here: the sample's documents and the codebook only.", file_okay=False)] = None,
    sample_id: Annotated[Optional[int], typer.Option("--sample", help="With --package: which recorded sample (default: the latest).")] = None,
    respondents: Annotated[bool, typer.Option("--respondents", help="Draw a survey's respondents rather than documents.")] = False,
    key: KeyOption = None,
    no_leak_check: NoLeakCheckOption = False,
) -> None:
    """Draw a sample (--fraction, --seed, --stratify), write a second coder's package (--package DIR), or list the samples."""
    from ..errors import UsageError

    drawing = [name for name, given in (("--seed", seed is not None), ("--stratify", stratify is not None),
                                        ("--respondents", respondents)) if given]
    if package is not None and (fraction is not None or drawing):
        raise UsageError("--package writes a recorded sample: draw it first (--fraction …), then package it")
    if fraction is None and drawing:
        raise UsageError(f"{drawing[0]} goes with --fraction: the share to draw, e.g. --fraction 0.2")
    if sample_id is not None and package is None:
        raise UsageError("--sample N goes with --package DIR")
    project = open_project_for(ctx)
    if package is not None:
        from ..sample import package as write_package

        folder, count = write_package(project, package, sample_id, guard(key, no_leak_check))
        message(f"wrote {folder}: {count} document(s) and the codebook, no codings; bring the coder's work back with "
                "`qualcode codings import` (`qualcode sample` there says which respondents to code, for a respondent sample)")
        return
    if fraction is not None:
        from ..sample import draw

        if seed is None:
            raise UsageError("--seed N: give the draw a seed, so it can be drawn again")
        names = [s.strip() for s in stratify.split(",") if s.strip()] if stratify is not None else []
        if stratify is not None and not names:
            raise UsageError("--stratify: name attributes, e.g. --stratify site,wave")
        drawn = draw(project, fraction, seed, names, respondents)
        typer.echo("\n".join(drawn.respondents if drawn.respondents is not None else drawn.documents))
        what = f"{len(drawn.respondents)} respondent(s) in " if drawn.respondents is not None else ""
        message(f"sample {drawn.id}: {what}{len(drawn.documents)} document(s); " + "; ".join(f"{k}: {v}" for k, v in drawn.strata.items()))
        return
    names = {p["id"]: p["code"] or p["label"] for p in project.store.people_rows()}
    for row in project.store.samples():
        who = (f"{len(row['respondents'])} respondent(s) ({', '.join(str(names.get(p, p)) for p in row['respondents'])}) in "
               if row["respondents"] is not None else "")
        typer.echo(f"sample {row['id']}: {who}{len(row['documents'])} document(s), fraction {row['fraction']}, seed {row['seed']}"
                   + (f", by {row['stratify']}" if row["stratify"] else "") + f" ({row['created_at']}, {row['coder']})")
