"""The `qualcode` command line: parse, call one library function, render.

Errors from the library (`qualcode.errors`) become a one-line message on stderr and an exit status,
here and nowhere else.
"""

from __future__ import annotations

import shlex
import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from .. import __version__
from ..errors import EXIT_BAD_INPUT, QualcodeError


class QualcodeGroup(TyperGroup):
    """Records the command line for the project log and maps errors to one line on stderr and an exit status."""

    def main(self, *args, **kwargs):
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except typer.Abort:
            sys.stderr.write("qualcode: interrupted\n")
            sys.exit(130)
        except Exception as error:
            if not _is_usage_error(error):
                raise
            text = error.format_message()
            if text:  # no text: a bare group, whose help was just printed
                context = getattr(error, "ctx", None)
                where = f" (see `{context.command_path} --help`)" if context is not None else ""
                sys.stderr.write(f"qualcode: error: {text}{where}\n")
            sys.exit(error.exit_code)
        sys.exit(result if isinstance(result, int) else 0)

    def parse_args(self, ctx, args):
        ctx.meta.setdefault("qualcode.argv", list(args))
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except QualcodeError as error:
            sys.stderr.write(f"qualcode: error: {error}\n")
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            sys.stderr.write("qualcode: interrupted; the last unit of work was rolled back\n")
            raise typer.Exit(130) from None
        except sqlite3.OperationalError as error:
            if "locked" not in str(error):
                raise
            sys.stderr.write("qualcode: error: the project is busy (another qualcode is writing to it); try again when it has finished\n")
            raise typer.Exit(EXIT_BAD_INPUT) from None


def _is_usage_error(error: Exception) -> bool:
    """The parser's own errors (unknown option, missing argument, bad value) carry a message and a status."""
    return hasattr(error, "format_message") and isinstance(getattr(error, "exit_code", None), int)


app = typer.Typer(
    cls=QualcodeGroup,
    name="qualcode",
    help="Qualitative interview coding and thematic analysis at the terminal.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"qualcode {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    project: Annotated[Optional[Path], typer.Option("--project", "-P", help="Project folder (default: this folder or a parent; or $QUALCODE_PROJECT).", file_okay=False)] = None,
    coder: Annotated[Optional[str], typer.Option("--coder", help="Who is working (default: $QUALCODE_CODER, user config, login name).")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    ctx.obj = {"project": project, "coder": coder}


def command_line(ctx: typer.Context) -> str:
    """The command as typed, for the project log (an allocation seed blanked: it belongs in the key)."""
    from ..key import hide_seed_argument

    return "qualcode " + shlex.join(hide_seed_argument(ctx.find_root().meta.get("qualcode.argv", [])))


def open_project_for(ctx: typer.Context):
    """The project this command works on, closed again when the command ends."""
    from ..project import open_project

    options = ctx.find_root().obj or {}
    project = open_project(options.get("project"), {"coder": options.get("coder")}, command_line(ctx))
    ctx.call_on_close(project.close)
    return project


def _register() -> None:
    from . import (agree, anonymise, check, codebook, coding, codings, corpus, key, matrix, memo, quotes, ratify, roster,
                   sample, speakers, tagging, tally)

    corpus.register(app)
    coding.register(app)
    tagging.register(app)
    tally.register(app)
    quotes.register(app)
    agree.register(app)
    sample.register(app)
    ratify.register(app)
    app.add_typer(speakers.app, name="speakers")
    app.add_typer(roster.app, name="roster")
    app.add_typer(anonymise.app, name="anonymise")
    app.add_typer(key.app, name="key")
    app.add_typer(check.app, name="check")
    app.add_typer(codebook.app, name="codebook")
    app.add_typer(codings.app, name="codings")
    app.add_typer(memo.app, name="memo")
    app.add_typer(matrix.app, name="matrix")


_register()


def main() -> None:
    app()
