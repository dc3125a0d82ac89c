"""The full-screen coder (Textual): `qualcode code DOC` with no action options.

The transcript (speaker codes, line numbers, coded spans marked) fills the left; the codebook tree with
type-to-filter and the codings of the current turn sit on the right. Every change goes through
`qualcode.coder`, which saves it at once; this module only draws and dispatches keys.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList, Static, Tree
from textual.widgets.option_list import Option

from .. import coder
from ..errors import QualcodeError
from ..memo import add_memo
from ..script import format_time

HELP = """\
Moving     up/down turns   u next uncoded turn   g next suggestion
Selecting  t the turn   s its next sentence   w words you type
Coding     c or /  filter the codes; Enter codes the selection
           n  new code (Label, or Parent > Label), applied to it
Tab: to the codings of the turn and back. On the highlighted one:
           x remove   d evidence against on/off   * star (quote)
           y accept a suggestion   r reject it
Memos      m  on that coding, the highlighted code, or the document
           q  quit (every change is already saved)   Esc  close"""


class Prompt(ModalScreen[str | None]):
    """One line of input; Enter gives it, Escape gives None."""

    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(self, question: str):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(self.question)
            yield Input(id="answer")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "app.pop_screen", "close")]

    def compose(self) -> ComposeResult:
        yield Static(HELP, id="help")


class CoderApp(App[None]):
    ENABLE_COMMAND_PALETTE = False  # every action has its key; the palette's footer entry would hide them
    CSS = """
    #transcript { width: 2fr; border: none; }
    #side { width: 1fr; min-width: 28; }
    #filter { border: none; height: 1; }
    #codes { height: 1fr; }
    #marks-title { background: $boost; width: 100%; }
    #marks { height: 8; border: none; }
    #status { height: 1; background: $boost; }
    Prompt { align: center middle; }
    #prompt { width: 72; height: 4; border: round $accent; background: $surface; }
    #answer { border: none; height: 1; background: $boost; }
    HelpScreen { align: center middle; }
    #help { width: 72; height: auto; border: round $accent; background: $surface; }
    """
    BINDINGS = [
        Binding("q", "quit", "quit"),
        Binding("question_mark", "help", "help"),
        Binding("t", "select_turn", "turn", show=False),
        Binding("s", "select_sentence", "sentence"),
        Binding("w", "select_words", "words", show=False),
        Binding("c,slash", "filter_codes", "code"),
        Binding("n", "new_code", "new code", show=False),
        Binding("x", "remove", "remove", show=False),
        Binding("d", "disconfirming", "disconfirming", show=False),
        Binding("asterisk", "star", "star", show=False),
        Binding("y", "accept", "accept", show=False),
        Binding("r", "reject", "reject", show=False),
        Binding("m", "memo", "memo"),
        Binding("u", "next_uncoded", "uncoded"),
        Binding("g", "next_suggestion", "suggestion"),
        Binding("escape", "back", "back", show=False),
        Binding("tab", "next_pane", "codings", show=False, priority=True),
    ]

    def __init__(self, project, view: coder.View):
        super().__init__()
        self.project, self.view = project, view
        self.index = 0
        self.selection = (view.lines[0].start, view.lines[0].end) if view.lines else (0, 0)
        self.sentence = -1  # the sentence of the turn selected, -1 for the whole turn or chosen words
        self.heading = view.document

    # -- drawing ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield OptionList(*[Option(self._turn_prompt(i)) for i in range(len(self.view.lines))], id="transcript")
            with Vertical(id="side"):
                yield Input(placeholder="type to filter codes", id="filter")
                yield Tree("codebook", id="codes")
                yield Label("", id="marks-title")
                yield OptionList(id="marks")
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        blind = " · blind" if self.view.blind else ""
        self.heading = f"{self.view.document} · {self.view.coder}{blind}"
        self._fill_tree("")
        transcript = self.query_one("#transcript", OptionList)
        transcript.focus()
        if self.view.lines:
            transcript.highlighted = 0
        self._show_marks()
        self._status(f"{len(self.view.lines)} turns · ? for help")

    def _turn_prompt(self, index: int) -> Text:
        view, line = self.view, self.view.lines[index]
        marks = view.marks_on(line)
        coded = sum(1 for m in marks if not m.suggested)
        suggested = len(marks) - coded
        head = Text(f"{line.line:>5} ", style="dim")
        head.append(f"{line.seq:>3} {line.speaker or '—'}", style="bold")
        if line.time is not None:
            head.append(f"  {format_time(line.time)}", style="dim")
        if coded:
            head.append(f"  ●{coded}", style="cyan")
        if suggested:
            head.append(f"  ?{suggested}", style="yellow")
        body = Text(view.content(line))
        for mark in marks:
            start, end = max(mark.start, line.start) - line.start, min(mark.end, line.end) - line.start
            body.stylize("yellow italic" if mark.suggested else "underline cyan", start, end)
        if index == self.index and self.selection != (line.start, line.end):
            body.stylize("reverse", self.selection[0] - line.start, self.selection[1] - line.start)
        return Text("\n").join([head, body])

    def _redraw_turn(self, index: int) -> None:
        if 0 <= index < len(self.view.lines):
            self.query_one("#transcript", OptionList).replace_option_prompt_at_index(index, self._turn_prompt(index))

    def _fill_tree(self, typed: str) -> None:
        tree = self.query_one("#codes", Tree)
        tree.clear()
        tree.root.expand()
        tree.show_root = False
        codebook, wanted = self.view.codebook, typed.casefold().strip()
        keep = None
        if wanted:
            matching = [c.id for c in coder.matching_codes(codebook, wanted)]
            keep = set(matching)
            for code_id in matching:
                parent = codebook.codes[code_id].parent
                while parent is not None:
                    keep.add(parent)
                    parent = codebook.codes[parent].parent

        def add(node, parent_id):
            for code in codebook.children(parent_id):
                if keep is not None and code.id not in keep:
                    continue
                children = codebook.children(code.id)
                child = node.add(code.label, data=code.id, expand=True) if children else node.add_leaf(code.label, data=code.id)
                add(child, code.id)

        add(tree.root, None)
        first = self._first_code_line(tree, keep is not None and wanted)
        if first is not None:
            tree.cursor_line = first

    @staticmethod
    def _first_code_line(tree: Tree, filtering) -> int | None:
        """With a filter, the first code that matches rather than its parent."""
        if tree.last_line < 0:
            return None
        if not filtering:
            return 0
        for line in range(tree.last_line + 1):
            node = tree.get_node_at_line(line)
            if node is not None and not node.children:
                return line
        return 0

    def _show_marks(self) -> None:
        marks = self._current_marks()
        listing = self.query_one("#marks", OptionList)
        listing.clear_options()
        for mark in marks:
            text = Text("? " if mark.suggested else "● ", style="yellow" if mark.suggested else "cyan")
            text.append(self.view.codebook.codes[mark.code].label if mark.code in self.view.codebook.codes else mark.path)
            if mark.disconfirming:
                text.append("  against", style="red")
            if mark.starred:
                text.append("  ★", style="bold yellow")
            text.append(f"  {mark.by}", style="dim")
            listing.add_option(Option(text))
        if marks:
            listing.highlighted = 0
        line = self.view.lines[self.index] if self.view.lines else None
        self.query_one("#marks-title", Label).update(f" turn {line.seq}: {len(marks)} coding(s)" if line else " no turns")

    def _current_marks(self) -> list[coder.Mark]:
        return self.view.marks_on(self.view.lines[self.index]) if self.view.lines else []

    def _status(self, message: str) -> None:
        status = Text(self.heading + " │ ", style="bold")
        status.append(message, style="")
        self.query_one("#status", Static).update(status)

    # -- moving and selecting -------------------------------------------------------------------

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id != "transcript" or event.option_index == self.index:
            return
        previous, self.index = self.index, event.option_index
        line = self.view.lines[self.index]
        self.selection, self.sentence = (line.start, line.end), -1
        self._redraw_turn(previous)
        self._redraw_turn(self.index)
        self._show_marks()

    def _go(self, index: int | None, what: str) -> None:
        if index is None:
            self._status(f"no {what} in this document")
            return
        self.query_one("#transcript", OptionList).highlighted = index
        self.query_one("#transcript", OptionList).focus()

    def action_next_uncoded(self) -> None:
        self._go(coder.next_line(self.view, self.index, coder.uncoded(self.view)), "uncoded turn")

    def action_next_suggestion(self) -> None:
        self._go(coder.next_line(self.view, self.index, coder.with_suggestion(self.view)), "pending suggestion")

    def _select(self, start: int, end: int, described: str) -> None:
        self.selection = (start, end)
        self._redraw_turn(self.index)
        words = " ".join(self.view.text[start:end].split())
        self._status(f"selected {described}: {words[:60]}{'…' if len(words) > 60 else ''}")

    def action_select_turn(self) -> None:
        if self.view.lines:
            line = self.view.lines[self.index]
            self.sentence = -1
            self._select(line.start, line.end, f"turn {line.seq}")

    def action_select_sentence(self) -> None:
        if not self.view.lines:
            return
        line = self.view.lines[self.index]
        spans = coder.sentences(self.view, line)
        if not spans:
            return
        self.sentence = (self.sentence + 1) % len(spans)
        span = spans[self.sentence]
        self._select(span.start, span.end, f"sentence {self.sentence + 1} of {len(spans)}")

    def action_select_words(self) -> None:
        if not self.view.lines:
            return
        line = self.view.lines[self.index]

        def chosen(words: str | None) -> None:
            if words:
                self._attempt(lambda: self._select(*coder.words_in(self.view, line, words), "words"))

        self.push_screen(Prompt(f"Words of turn {line.seq} to select (as they are written):"), chosen)

    # -- coding -------------------------------------------------------------------------------

    def action_filter_codes(self) -> None:
        self.query_one("#filter", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self._fill_tree(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "filter":
            return
        node = self.query_one("#codes", Tree).cursor_node
        if node is not None and node.data is not None:
            self._apply(node.data)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        # Labels are cut to the pane's width: the whole path is said below.
        choosing = self.focused in (self.query_one("#codes", Tree), self.query_one("#filter", Input))
        if event.node.data is not None and choosing:
            self._status(self.view.codebook.path(event.node.data))

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        if event.node.data is not None:
            self._apply(event.node.data)

    def on_key(self, event) -> None:
        # From the filter, Down goes into the tree it filters.
        if event.key == "down" and self.focused is self.query_one("#filter", Input):
            self.query_one("#codes", Tree).focus()
            event.stop()

    def _apply(self, code_id: str, new_label: str | None = None) -> None:
        def change() -> None:
            mark = coder.apply(self.project, self.view, code_id, *self.selection, new_label=new_label)
            self._after_change(f"coded {mark.path}")
            filter_input = self.query_one("#filter", Input)
            if filter_input.value:
                filter_input.value = ""
            self.query_one("#transcript", OptionList).focus()

        self._attempt(change)

    def action_new_code(self) -> None:
        def chosen(label: str | None) -> None:
            if label and label.strip():
                self._apply("", new_label=label)
                self._fill_tree("")

        self.push_screen(Prompt("New code: a label, or Parent > Label (it is applied to the selection):"), chosen)

    def _highlighted_mark(self) -> coder.Mark | None:
        marks = self._current_marks()
        highlighted = self.query_one("#marks", OptionList).highlighted
        if highlighted is None or not 0 <= highlighted < len(marks):
            self._status("no coding highlighted on this turn (Tab to the codings list)")
            return None
        return marks[highlighted]

    def _on_mark(self, change) -> None:
        mark = self._highlighted_mark()
        if mark is not None:
            self._attempt(lambda: change(mark))

    def action_remove(self) -> None:
        def change(mark):
            coder.remove(self.project, self.view, mark.id)
            self._after_change(f"removed {mark.path}")
        self._on_mark(change)

    def _toggle(self, what: str, on: str, off: str) -> None:
        def change(mark):
            value = coder.toggle(self.project, self.view, mark.id, what)
            self._after_change(f"{on if value else off}: {mark.path}", keep=mark.id)
        self._on_mark(change)

    def action_disconfirming(self) -> None:
        self._toggle("disconfirming", "flagged as evidence against", "no longer evidence against")

    def action_star(self) -> None:
        self._toggle("starred", "starred as a candidate quote", "star taken off")

    def _decide(self, accept: bool) -> None:
        def change(mark):
            coder.decide(self.project, self.view, mark.id, accept)
            self._after_change(f"{'accepted' if accept else 'rejected'} {mark.path}")
        self._on_mark(change)

    def action_accept(self) -> None:
        self._decide(True)

    def action_reject(self) -> None:
        self._decide(False)

    def action_memo(self) -> None:
        focused = self.focused
        target, about = {"document": self.view.document}, f"the document {self.view.document}"
        if focused is self.query_one("#marks", OptionList) and self._current_marks():
            mark = self._highlighted_mark()
            if mark is None:
                return
            target, about = {"coding": mark.id}, f"this coding of {mark.path}"
        elif focused is self.query_one("#codes", Tree):
            node = self.query_one("#codes", Tree).cursor_node
            if node is not None and node.data is not None:
                target, about = {"code": node.data}, f"the code {self.view.codebook.path(node.data)}"

        def written(text: str | None) -> None:
            if text and text.strip():
                self._attempt(lambda: (add_memo(self.project, text, **target), self._status(f"memo saved on {about}")))

        self.push_screen(Prompt(f"Memo on {about}:"), written)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_back(self) -> None:
        self.query_one("#transcript", OptionList).focus()

    def action_next_pane(self) -> None:
        """Tab: from the transcript to the codings of the turn, and from anywhere else back to the transcript."""
        transcript = self.query_one("#transcript", OptionList)
        (self.query_one("#marks", OptionList) if self.focused is transcript else transcript).focus()

    # -- after each change ----------------------------------------------------------------------

    def _after_change(self, message: str, keep: int | None = None) -> None:
        self._redraw_turn(self.index)
        self._show_marks()
        if keep is not None:
            ids = [m.id for m in self._current_marks()]
            if keep in ids:
                self.query_one("#marks", OptionList).highlighted = ids.index(keep)
        self._status(f"saved: {message}")

    def _attempt(self, change) -> None:
        """Run a change; a refusal (an unknown code, nothing selected, a busy project) is shown, and the screen goes on."""
        import sqlite3

        try:
            change()
        except QualcodeError as error:
            self._status(f"not saved: {error}")
            self.bell()
        except sqlite3.OperationalError as error:
            if "locked" not in str(error):
                raise
            self._status("not saved: the project is busy (another qualcode is writing to it); try again in a moment")
            self.bell()
