"""Commands that change the codebook file edit its lines, so the team's comments and layout stay put.

A YAML library's round trip keeps comments, but it re-indents the whole file to one style and files a
comment standing on its own line above a code under the code before it: a code moved, removed or given a
new field through the tree would leave its comment behind or take a neighbour's. So edits here work on
lines, with the YAML tree used only to find where things stand:

- a code in a list is a *block*: the comment lines just above its dash (at the dash's column or left of
  it), the dash line, and every later line indented deeper than the dash;
- a field is its key line and every later line indented deeper than the key.

Blocks are cut, re-indented and inserted whole. Before the file is written, the edited text is read back
and must mean exactly what the same edit makes of the file's data; a layout these edits cannot follow
(a flow-style `codes: [...]`, a comment inside a code left of its keys) is refused with the reason,
never written half right. The file is replaced whole, or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

STEP = 2  # indentation of a new `codes:` list under its key, when the file has none to copy


def rt_yaml():
    """The round-trip reader, which knows the line and column of every node."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the team's lines
    return yaml


def edit_code(path: Path, code_id: str, **values) -> None:
    """Set fields of one code (`label`, `id`, `retired` …); nothing else in the file changes."""
    def in_data(data):
        _entry(data, code_id).update(values)

    def on_lines(text):
        for name, value in values.items():
            text = _set_field(text, code_id, name, value)
        return text
    _rewrite(path, in_data, on_lines)


def move_code(path: Path, code_id: str, parent: str | None) -> None:
    """Move a code (with its children and the comments above it) to the end of another parent's list, or
    of the top level."""
    def in_data(data):
        entry = _take(data, code_id)
        _children(data, parent).append(entry)

    def on_lines(text):
        text, lines, column = _cut(text, code_id)
        return _insert(text, parent, lines, column)
    _rewrite(path, in_data, on_lines)


def remove_code(path: Path, code_id: str) -> None:
    """Take a code (and the comments above it) out of the file; its children move up into its place."""
    def in_data(data):
        owner, siblings, entry = _locate(data, code_id)
        at = siblings.index(entry)
        siblings[at:at + 1] = entry.get("codes") or []
        _drop_if_empty(owner, siblings)
    _rewrite(path, in_data, lambda text: _lift_children(text, code_id))


def append_codes(path: Path, codes: list[dict]) -> None:
    """Add codes (`id`, `label`, `parent` and any other fields, e.g. `definition`), each as the last child
    of its parent or of the top level (parents before their children)."""
    def fields(code):
        return {k: v for k, v in code.items() if k != "parent" and v}

    def in_data(data):
        for code in codes:
            _children(data, code["parent"]).append(fields(code))

    def on_lines(text):
        for code in codes:
            lines = _dump([fields(code)])
            text = _insert(text, code["parent"], lines, _indent(lines[0]))
        return text
    _rewrite(path, in_data, on_lines)


def _rewrite(path: Path, in_data, on_lines) -> None:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    raw = path.read_bytes()
    text = raw.decode("utf-8").replace("\r\n", "\n")
    expected = YAML(typ="safe").load(text) or {}
    in_data(expected)
    edited = on_lines(text)
    try:
        same = YAML(typ="safe").load(edited) == expected
    except YAMLError:
        same = False
    if not same:
        raise UsageError(f"{path}: this edit cannot be made here without moving the file's comments or layout; "
                         "make it by hand, then run `qualcode codebook check`")
    partial = path.with_name(path.name + ".partial")
    partial.write_text(edited, encoding="utf-8", newline="\r\n" if b"\r\n" in raw else "\n")
    partial.replace(path)


# The same edits on plain data (what the edited file must mean).

def _locate(data, code_id: str):
    """The code's owner (None at the top), the list its entry stands in, and the entry."""
    def walk(owner, entries):
        for entry in entries:
            if str(entry.get("id")) == code_id:
                return owner, entries, entry
            found = walk(entry, entry.get("codes") or [])
            if found:
                return found
        return None
    found = walk(None, data.get("codes") or [])
    if found is None:
        raise UsageError(f"{code_id}: no such code in the codebook file")
    return found


def _entry(data, code_id: str):
    return _locate(data, code_id)[2]


def _take(data, code_id: str):
    owner, siblings, entry = _locate(data, code_id)
    siblings.remove(entry)
    _drop_if_empty(owner, siblings)
    return entry


def _drop_if_empty(owner, siblings) -> None:
    if owner is not None and not siblings:
        del owner["codes"]


def _children(data, parent: str | None) -> list:
    holder = data if parent is None else _entry(data, parent)
    if not holder.get("codes"):
        holder["codes"] = []
    return holder["codes"]


# The edits on lines.

@dataclass(frozen=True, slots=True)
class _Span:
    start: int  # first line (comments above a code included)
    head: int   # the code's dash line, or the field's key line
    end: int    # one past the last line, trailing blank lines left out
    column: int


class _File:
    """A codebook's lines and its tree, read together so line numbers agree."""

    def __init__(self, text: str):
        self.lines = text.splitlines(keepends=True)
        if self.lines and not self.lines[-1].endswith("\n"):
            self.lines[-1] += "\n"
        self.tree = rt_yaml().load(text) or {}

    def text(self) -> str:
        return "".join(self.lines)

    def code(self, siblings, index: int) -> _Span:
        """The block of the index-th code in a list."""
        if siblings.fa.flow_style():
            raise self._unfollowable(siblings, "its `codes` list is written [in, brackets]; write it as a block list")
        head = siblings.lc.item(index)[0]
        while not self.lines[head].lstrip(" ").startswith("-"):  # a `-` alone on the line above the mapping
            head -= 1
        column = _indent(self.lines[head])
        start = head
        while start > 0 and _leads(self.lines[start - 1], column):
            start -= 1
        while start < head and _blank(self.lines[start]):
            start += 1
        return _Span(start, head, self._end(head, column), column)

    def field(self, entry, name: str) -> _Span:
        if entry.fa.flow_style():
            raise self._unfollowable(entry, "it is written {in: braces}; write it as a block mapping")
        head, column = entry.lc.key(name)
        return _Span(head, head, self._end(head, column), column)

    def _end(self, head: int, column: int) -> int:
        """One past the last line indented deeper than the head; comments further left in between are
        inside too, those after it lead what follows."""
        last = head
        for number in range(head + 1, len(self.lines)):
            line = self.lines[number]
            if _leads(line, column):
                continue
            if _indent(line) <= column:
                break
            last = number
        return last + 1

    def blocks(self, siblings) -> tuple[_Span, _Span]:
        """The first and last code of a list."""
        return self.code(siblings, 0), self.code(siblings, len(siblings) - 1)

    def step(self) -> int:
        """How far this file indents a list's dashes under its `codes:` key."""
        top = self.tree.get("codes")
        if top:
            return self.code(top, 0).column - self.tree.lc.key("codes")[1]
        return STEP

    def _unfollowable(self, node, reason: str) -> UsageError:
        return UsageError(f"codebook line {node.lc.line + 1}: {reason}, or make this edit by hand")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blank(line: str) -> bool:
    return not line.strip()


def _leads(line: str, column: int) -> bool:
    """Whether a line above a code can belong to it: blank, or a comment no deeper than its dash."""
    return _blank(line) or (line.lstrip(" ").startswith("#") and _indent(line) <= column)


def _shifted(lines: list[str], by: int) -> list[str]:
    if by >= 0:
        return [line if _blank(line) else " " * by + line for line in lines]
    return [line if _blank(line) else line[min(-by, _indent(line)):] for line in lines]


def _dump(value) -> list[str]:
    import io

    out = io.StringIO()
    rt_yaml().dump(value, out)
    return out.getvalue().splitlines(keepends=True)


def _cut(text: str, code_id: str) -> tuple[str, list[str], int]:
    """The text without the code's block, the block's lines and the column its dash stood at."""
    file = _File(text)
    owner, siblings, entry = _locate(file.tree, code_id)
    index = siblings.index(entry)
    block = file.code(siblings, index)
    taken = file.lines[block.start:block.end]
    start, end, left = block.start, block.end, []
    if len(siblings) == 1:  # the list empties: a code's `codes:` key goes, the top level's says `[]`
        key = file.field(owner if owner is not None else file.tree, "codes")
        start, end = key.start, max(end, key.end)
        left = [] if owner is not None else ["codes: []\n"]
    if not left and index == len(siblings) - 1:  # keep the blank lines that part the list from what follows
        while start > 0 and _blank(file.lines[start - 1]):
            start -= 1
    elif not left:  # keep those that part it from what stands before
        while end < len(file.lines) and _blank(file.lines[end]):
            end += 1
    file.lines[start:end] = left
    return file.text(), taken, block.column


def _insert(text: str, parent: str | None, lines: list[str], column: int) -> str:
    """Put a code's block last in a parent's list (the top level when parent is None)."""
    file = _File(text)
    holder = file.tree if parent is None else _entry(file.tree, parent)
    siblings = holder.get("codes")
    if siblings:
        last = file.code(siblings, len(siblings) - 1)
        separated = len(siblings) > 1 and _blank(file.lines[last.start - 1])
        added = (["\n"] if separated else []) + _shifted(lines, last.column - column)
        at = last.end
    else:
        key_column = holder.lc.col if parent is not None else 0
        if "codes" in holder:  # `codes:` with nothing, or `codes: []`
            key = file.field(holder, "codes")
            at = key.head
            del file.lines[key.head:key.end]
        else:
            at = file.code(*_siblings_of(file.tree, parent)).end if parent is not None else len(file.lines)
        added = [" " * key_column + "codes:\n"] + _shifted(lines, key_column + file.step() - column)
    file.lines[at:at] = added
    return file.text()


def _siblings_of(tree, code_id: str):
    _, siblings, entry = _locate(tree, code_id)
    return siblings, siblings.index(entry)


def _lift_children(text: str, code_id: str) -> str:
    """The code's block replaced by its children's blocks, moved out to its column."""
    file = _File(text)
    _, siblings, entry = _locate(file.tree, code_id)
    children = entry.get("codes")
    if not children:
        return _cut(text, code_id)[0]
    block = file.code(siblings, siblings.index(entry))
    first, last = file.blocks(children)
    file.lines[block.start:block.end] = _shifted(file.lines[first.start:last.end], block.column - first.column)
    return file.text()


def _set_field(text: str, code_id: str, name: str, value) -> str:
    """One field given a value: rewritten where it stands (its end-of-line comment kept), or added after
    the code's last field before its `codes:`."""
    file = _File(text)
    entry = _entry(file.tree, code_id)
    if name in entry:
        field = file.field(entry, name)
        written = _shifted(_dump({name: value}), field.column)
        written[0] = file.lines[field.head][:field.column] + written[0][field.column:]  # a `- ` before the key stays
        comment = _end_of_line_comment(entry, name, file.lines[field.head])
        if comment and field.end == field.head + 1 and len(written) == 1:
            written = [written[0].rstrip("\n") + comment + "\n"]
        file.lines[field.head:field.end] = written
    else:
        others = [file.field(entry, key) for key in entry if key != "codes"]
        at = max(span.end for span in others)
        file.lines[at:at] = _shifted(_dump({name: value}), entry.lc.col)
    return file.text()


def _end_of_line_comment(entry, name: str, line: str) -> str:
    """`  # why` after a field's value on its line (with the spaces before it), as the tree finds it."""
    tokens = entry.ca.items.get(name) or []
    token = tokens[2] if len(tokens) > 2 else None
    if token is None or not token.value.lstrip(" ").startswith("#"):
        return ""
    before = line[:token.column]
    return before[len(before.rstrip()):] + line[token.column:].rstrip("\n")
