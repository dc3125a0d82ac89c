"""The line-mode coder (`qualcode code DOC --plain`): one turn at a time and one command a line, for
terminals the full screen cannot use (a dumb terminal, a screen reader, a pipe). Every change is saved
as it is made, through `qualcode.coder`, like the full screen's."""

from __future__ import annotations

import shlex

import typer

from .. import coder
from ..errors import QualcodeError, UsageError
from ..memo import add_memo
from ..script import format_time
from .render import stdout_console

HELP = """\
  Enter or n  next turn      p  previous      go N  turn N      u  next uncoded      g  next suggestion
  all  select the turn       s K  sentence K of it      w WORDS  the first place those words are
  a CODE  code the selection (id, label, alias or Theme > Code)      a! CODE  as evidence against
  new LABEL  a new code (or Parent > Label) on the selection          codes [TEXT]  find codes
  x N  remove coding N    d N  disconfirming on/off    * N  star on/off    y N / r N  accept / reject
  memo TEXT  on the document    memo N TEXT  on coding N    q  quit (every change is already saved)"""


class PlainCoder:
    def __init__(self, project, view: coder.View):
        self.project, self.view = project, view
        self.console = stdout_console()
        self.index = 0
        self.selection = self._whole_turn()

    def run(self) -> None:
        blind = " (blind: only your codings)" if self.view.blind else ""
        self._say(f"{self.view.document}: {len(self.view.lines)} turns, coding as {self.view.coder}{blind}; ? for help")
        if not self.view.lines:
            return
        self._show()
        while True:
            try:
                typed = typer.prompt(f"[turn {self.view.lines[self.index].seq}]", default="", show_default=False,
                                     prompt_suffix=" > ")
            except typer.Abort:
                break
            if typed.strip() in ("q", "quit"):
                break
            try:
                self._command(typed.strip())
            except QualcodeError as error:
                self._say(f"  not saved: {error}")

    # -- showing --------------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.console.print(text, markup=False, highlight=False)

    def _show(self) -> None:
        line = self.view.lines[self.index]
        when = f"  {format_time(line.time)}" if line.time is not None else ""
        self._say(f"\nline {line.line}, turn {line.seq} of {len(self.view.lines)}  {line.speaker or '—'}{when}")
        self._say("  " + self.view.content(line).replace("\n", "\n  "))
        self._show_marks()

    def _show_marks(self) -> None:
        for number, mark in enumerate(self._marks(), start=1):
            flags = ("  [suggested]" if mark.suggested else "") + ("  [against]" if mark.disconfirming else "") \
                + ("  [starred]" if mark.starred else "")
            words = " ".join(self.view.text[mark.start:mark.end].split())
            self._say(f"  {number}. {mark.path}{flags}  ({mark.by}): {words[:70]}{'…' if len(words) > 70 else ''}")

    def _marks(self) -> list[coder.Mark]:
        return self.view.marks_on(self.view.lines[self.index])

    def _whole_turn(self) -> tuple[int, int]:
        line = self.view.lines[self.index] if self.view.lines else None
        return (line.start, line.end) if line else (0, 0)

    # -- commands -------------------------------------------------------------------------------

    def _command(self, typed: str) -> None:
        word, _, rest = typed.partition(" ")
        rest = rest.strip()
        moves = {"": 1, "n": 1, "p": -1}
        if word in moves:
            self._move((self.index + moves[word]) % len(self.view.lines))
        elif word == "go":
            self._move(self._turn_index(rest))
        elif word in ("u", "g"):
            wanted = coder.uncoded(self.view) if word == "u" else coder.with_suggestion(self.view)
            found = coder.next_line(self.view, self.index, wanted)
            if found is None:
                raise UsageError(f"no {'uncoded turn' if word == 'u' else 'pending suggestion'} in this document")
            self._move(found)
        elif word in ("all", "s", "w"):
            self._select(word, rest)
        elif word in ("a", "a!", "new"):
            mark = coder.apply(self.project, self.view, rest, *self.selection, disconfirming=word == "a!",
                               new_label=rest if word == "new" else None)
            self._say(f"  saved: {mark.path}" + (" (evidence against)" if mark.disconfirming else ""))
            self._show_marks()
        elif word in ("x", "d", "*", "y", "r"):
            self._on_mark(word, rest)
        elif word == "memo":
            self._memo(rest)
        elif word == "codes":
            self._codes(rest)
        elif word in ("?", "help"):
            self._say(HELP)
        else:
            raise UsageError(f"{word}: not a command here; ? lists them")

    def _move(self, index: int) -> None:
        self.index = index
        self.selection = self._whole_turn()
        self._show()

    def _turn_index(self, text: str) -> int:
        seqs = [line.seq for line in self.view.lines]
        if not text.isdigit() or int(text) not in seqs:
            raise UsageError(f"go N: N is a turn number, {seqs[0]} to {seqs[-1]}")
        return seqs.index(int(text))

    def _select(self, word: str, rest: str) -> None:
        line = self.view.lines[self.index]
        if word == "all":
            self.selection = self._whole_turn()
        elif word == "w":
            self.selection = coder.words_in(self.view, line, rest)
        else:
            spans = coder.sentences(self.view, line)
            if not rest.isdigit() or not 1 <= int(rest) <= len(spans):
                raise UsageError(f"s K: turn {line.seq} has sentences 1 to {len(spans)}")
            span = spans[int(rest) - 1]
            self.selection = (span.start, span.end)
        self._say("  selected: " + " ".join(self.view.text[slice(*self.selection)].split()))

    def _numbered(self, text: str) -> coder.Mark:
        marks = self._marks()
        if not text.isdigit() or not 1 <= int(text) <= len(marks):
            raise UsageError(f"give the number of a coding listed under the turn (1 to {len(marks)})" if marks
                             else "this turn has no codings")
        return marks[int(text) - 1]

    def _on_mark(self, word: str, rest: str) -> None:
        mark = self._numbered(rest)
        if word == "x":
            coder.remove(self.project, self.view, mark.id)
            self._say(f"  removed: {mark.path}")
        elif word in ("d", "*"):
            what = "disconfirming" if word == "d" else "starred"
            value = coder.toggle(self.project, self.view, mark.id, what)
            self._say(f"  {mark.path}: {'' if value else 'no longer '}{'evidence against' if word == 'd' else 'starred'}")
        else:
            coder.decide(self.project, self.view, mark.id, word == "y")
            self._say(f"  {'accepted' if word == 'y' else 'rejected'}: {mark.path}")
        self._show_marks()

    def _memo(self, rest: str) -> None:
        number, _, text = rest.partition(" ")
        if number.isdigit() and text.strip():
            mark = self._numbered(number)
            add_memo(self.project, text, coding=mark.id)
            self._say(f"  memo saved on coding {number} ({mark.path})")
        elif number.isdigit() and not text.strip():
            raise UsageError("memo N TEXT: write the memo after the coding's number")
        else:
            add_memo(self.project, rest, document=self.view.document)
            self._say(f"  memo saved on {self.view.document}")

    def _codes(self, rest: str) -> None:
        codebook = self.view.codebook
        found = coder.matching_codes(codebook, rest)
        for code in found:
            self._say(f"  {code.id:<28} {codebook.path(code.id)}")
        if not found:
            self._say(f"  no code matches {shlex.quote(rest)}")
