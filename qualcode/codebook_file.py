"""Commands that change the codebook file edit its lines, so the team's comments and layout stay put.

A YAML library's round trip keeps comments, but it re-indents the whole file to one style and files a
comment standing on its own line above a code under the code before it: a code moved, removed or given a
new field through the tree would leave its comment behind or take a neighbour's. So edits here work on
lines, with the YAML tree used only to find where things stand:

- a code in a list is a *block*: the comment lines just above its dash (at the dash's column or left of
  it), the dash line, and every later line indented deeper than the dash;
- a field is its key line and every later line indented deeper than the key (or, for a list written
  with its dashes under the key, those too).

Blocks are cut, re-indented and inserted whole. A command's edits are made in turn and the file written
once: before that, the edited text is read back and must mean exactly what the same edits make of the
file's data, and must pass `codebook check`; otherwise the command is refused with the reason and the
file left as it was. A layout these edits cannot follow (a flow-style `codes: [...]`, anchors and
aliases) is refused the same way. The file (through a symlink, keeping its permissions, line endings and
final newline) is replaced whole, or not at all.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError

STEP = 2  # indentation of a new `codes:` list under its key, when the file has none to copy
_YAML11_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false", "null", "~"}  # quoted, so no reader mistakes them


def rt_yaml():
    """The round-trip reader, which knows the line and column of every node."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the team's lines
    return yaml


# A command's edits: each says what it does to the file's data and to its lines.

@dataclass(frozen=True, slots=True)
class SetFields:
    """Give fields of a code values (`label`, `id`, `retired`, `within` …); None takes a field away."""

    code_id: str
    values: dict = field(default_factory=dict)

    def in_data(self, data) -> None:
        entry = _entry(data, self.code_id)
        for name, value in self.values.items():
            if value is None:
                entry.pop(name, None)
            else:
                entry[name] = value

    def on_lines(self, text: str) -> str:
        for name, value in self.values.items():
            text = _set_field(text, self.code_id, name, value)
        return text


@dataclass(frozen=True, slots=True)
class Move:
    """A code (its children and the comments above it) last in another parent's list, or the top level's."""

    code_id: str
    parent: str | None

    def in_data(self, data) -> None:
        entry = _take(data, self.code_id)
        _children(data, self.parent).append(entry)

    def on_lines(self, text: str) -> str:
        text, lines, column = _cut(text, self.code_id)
        return _insert(text, self.parent, lines, column)


@dataclass(frozen=True, slots=True)
class Lift:
    """A code (and the comments above it) out of the file; its children move up into its place."""

    code_id: str

    def in_data(self, data) -> None:
        owner, siblings, entry = _locate(data, self.code_id)
        at = siblings.index(entry)
        siblings[at:at + 1] = entry.get("codes") or []
        _drop_if_empty(owner, siblings)

    def on_lines(self, text: str) -> str:
        return _lift_children(text, self.code_id)


@dataclass(frozen=True, slots=True)
class Append:
    """A new code (`id`, `label` and any other fields) last among its parent's children (or the top level's)."""

    parent: str | None
    fields: dict

    def in_data(self, data) -> None:
        _children(data, self.parent).append(dict(self.fields))

    def on_lines(self, text: str) -> str:
        lines = _dump([self.fields])
        return _insert(text, self.parent, lines, _indent(lines[0]))


def edit_code(path: Path, code_id: str, **values) -> None:
    change_codebook(path, [SetFields(code_id, values)])


def move_code(path: Path, code_id: str, parent: str | None) -> None:
    change_codebook(path, [Move(code_id, parent)])


def remove_code(path: Path, code_id: str) -> None:
    change_codebook(path, [Lift(code_id)])


def append_codes(path: Path, codes: list[dict]) -> None:
    """Add codes (`id`, `label`, `parent` and any other fields), parents before their children."""
    change_codebook(path, [Append(c["parent"], {k: v for k, v in c.items() if k != "parent" and v}) for c in codes])


def change_codebook(path: Path, edits: list) -> None:
    """Make the edits in turn and write the file once, or refuse with the reason and leave it alone."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from .codebook import parse_codebook

    path = path.resolve()  # a symlinked codebook is written where it lives
    raw = path.read_bytes()
    text = raw.decode("utf-8").replace("\r\n", "\n")
    _refuse_aliases(path, text)
    expected = YAML(typ="safe").load(text) or {}
    for edit in edits:
        edit.in_data(expected)
    try:
        edited = text
        for edit in edits:
            edited = edit.on_lines(edited)
        same = YAML(typ="safe").load(edited) == expected
    except YAMLError:
        same = False
    if not same:
        raise UsageError(f"{path}: this edit cannot be made while keeping every other line of the file as it is "
                         "(its layout is unusual here: read back, the edited file would not mean what the edit means); "
                         "make it by hand, then run `qualcode codebook check`")
    problems = parse_codebook(edited)[1]
    if problems:
        raise UsageError(f"{path}: the edit would leave a problem at line {problems[0].line}: {problems[0].message}; "
                         "nothing was changed")
    if not text.endswith("\n"):
        edited = edited.rstrip("\n")
    _write(path, edited, "\r\n" if b"\r\n" in raw else "\n")


def _write(path: Path, text: str, newline: str) -> None:
    if not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222:  # marked read-only (even for root)
        raise UsageError(f"{path}: read-only; make it writable to edit the codebook from the command line")
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_text(text, encoding="utf-8", newline=newline)
        os.chmod(partial, stat.S_IMODE(path.stat().st_mode))
        partial.replace(path)
    except OSError as error:
        if partial.is_file():
            partial.unlink()
        raise UsageError(f"{path}: cannot write ({error.strerror or error}); check the folder's permissions") from None


def _refuse_aliases(path: Path, text: str) -> None:
    """Anchors and aliases (`&kw`, `*kw`, `<<:`) tie parts of the file together; moving lines breaks them."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import AliasEvent

    try:
        for event in YAML().parse(text):
            if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
                raise UsageError(f"{path}:{event.start_mark.line + 1}: the codebook uses YAML anchors and aliases "
                                 "(&name, *name); write those values out, or make this edit by hand")
    except YAMLError:
        return  # the caller has checked the file; its own reading reports syntax errors


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
        # Lines end at \n only, as the YAML reader counts them (not at U+2028 inside a quoted value).
        parts = text.split("\n")
        self.lines = [part + "\n" for part in parts[:-1]] + ([parts[-1] + "\n"] if parts[-1] else [])
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
        return _Span(head, head, self._end(head, column, dashes_at_column=True), column)

    def _end(self, head: int, column: int, dashes_at_column: bool = False) -> int:
        """One past the last line indented deeper than the head (or, for a field, a list item under its
        key); comments further left in between are inside too, those after it lead what follows."""
        last = head
        for number in range(head + 1, len(self.lines)):
            line = self.lines[number]
            if _leads(line, column):
                continue
            if _indent(line) < column or _indent(line) == column and not (dashes_at_column and line.lstrip(" ").startswith("-")):
                break
            last = number
        return last + 1

    def step(self, owner, siblings) -> int:
        """How far this file indents the dashes of a list (the one holding `owner`'s code, or the top
        level's) under its `codes:` key."""
        if not siblings:
            return STEP
        key_column = owner.lc.col if owner is not None else self.tree.lc.key("codes")[1]
        return self.code(siblings, 0).column - key_column

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
    """Lines moved right (or left, never past their text) by `by` columns; spaces on a blank line move
    too, as inside a block scalar they are its content."""
    if by >= 0:
        return [line if line == "\n" else " " * by + line for line in lines]
    return [line[min(-by, _indent(line)):] for line in lines]


def _dump(value) -> list[str]:
    import io

    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    def quoted(item):
        if isinstance(item, dict):
            return {k: quoted(v) for k, v in item.items()}
        if isinstance(item, list):
            return [quoted(v) for v in item]
        return DoubleQuotedScalarString(item) if isinstance(item, str) and item.casefold() in _YAML11_WORDS else item

    out = io.StringIO()
    rt_yaml().dump(quoted(value), out)
    return out.getvalue().splitlines(keepends=True)


def _cut(text: str, code_id: str) -> tuple[str, list[str], int]:
    """The text without the code's block, the block's lines and the column its dash stood at."""
    file = _File(text)
    owner, siblings, entry = _locate(file.tree, code_id)
    index = siblings.index(entry)
    block = file.code(siblings, index)
    taken = file.lines[block.start:block.end]
    if len(siblings) == 1:  # the list empties: a code's `codes:` key goes, the top level's says `[]`
        holder = owner if owner is not None else file.tree
        key = file.field(holder, "codes")
        emptied = [] if owner is not None else [file.lines[key.head][:key.column] + "codes: []" +
                                                _end_of_line_comment(holder, "codes", file.lines) + "\n"]
        del file.lines[block.start:block.end]  # comments elsewhere under the key stay
        file.lines[key.head:key.head + 1] = emptied
        return file.text(), taken, block.column
    start, end = block.start, block.end
    if index == len(siblings) - 1:  # keep the blank lines that part the list from what follows
        while start > 0 and _blank(file.lines[start - 1]):
            start -= 1
    else:  # keep those that part it from what stands before
        while end < len(file.lines) and _blank(file.lines[end]):
            end += 1
    del file.lines[start:end]
    return file.text(), taken, block.column


def _insert(text: str, parent: str | None, lines: list[str], column: int) -> str:
    """Put a code's block last in a parent's list (the top level when parent is None)."""
    file = _File(text)
    if parent is None:
        holder, owner_of_holder, holder_siblings = file.tree, None, None
    else:
        owner_of_holder, holder_siblings, holder = _locate(file.tree, parent)
    siblings = holder.get("codes")
    if siblings:
        last = file.code(siblings, len(siblings) - 1)
        separated = len(siblings) > 1 and _blank(file.lines[last.start - 1])
        file.lines[last.end:last.end] = (["\n"] if separated else []) + _shifted(lines, last.column - column)
        return file.text()
    key_column = holder.lc.col if parent is not None else 0
    step = _step_for(file, holder, owner_of_holder, holder_siblings)
    if "codes" in holder:  # `codes:` with nothing (perhaps comments), or `codes: []`
        key = file.field(holder, "codes")
        comment = _end_of_line_comment(holder, "codes", file.lines)
        file.lines[key.head] = file.lines[key.head][:key.column] + "codes:" + comment + "\n"
        at = key.end
    else:
        at = file.code(holder_siblings, holder_siblings.index(holder)).end if parent is not None else len(file.lines)
        file.lines[at:at] = [" " * key_column + "codes:\n"]
        at += 1
    file.lines[at:at] = _shifted(lines, key_column + step - column)
    return file.text()


def _step_for(file: _File, holder, owner_of_holder, holder_siblings) -> int:
    """The indentation a new `codes:` list of `holder` should have: that of a sibling's list, else that
    of the list `holder` stands in."""
    if holder is file.tree:
        return file.step(None, file.tree.get("codes"))
    cousin = next((s for s in holder_siblings if s is not holder and s.get("codes")), None)
    if cousin is not None:
        return file.step(cousin, cousin["codes"])
    return file.step(owner_of_holder, holder_siblings)


def _lift_children(text: str, code_id: str) -> str:
    """The code's block replaced by its children's blocks, moved out to its column."""
    file = _File(text)
    _, siblings, entry = _locate(file.tree, code_id)
    children = entry.get("codes")
    if not children:
        return _cut(text, code_id)[0]
    block = file.code(siblings, siblings.index(entry))
    first, last = file.code(children, 0), file.code(children, len(children) - 1)
    file.lines[block.start:block.end] = _shifted(file.lines[first.start:last.end], block.column - first.column)
    return file.text()


def _set_field(text: str, code_id: str, name: str, value) -> str:
    """One field given a value: rewritten where it stands (its end-of-line comment kept), added after the
    code's last field before its `codes:`, or (value None) taken away."""
    file = _File(text)
    entry = _entry(file.tree, code_id)
    if name in entry:
        field_span = file.field(entry, name)
        if value is None:
            del file.lines[field_span.head:field_span.end]
            return file.text()
        written = _shifted(_dump({name: value}), field_span.column)
        written[0] = file.lines[field_span.head][:field_span.column] + written[0][field_span.column:]  # a `- ` before the key stays
        comment = _end_of_line_comment(entry, name, file.lines, field_span)
        written[0] = written[0].rstrip("\n") + comment + "\n"
        file.lines[field_span.head:field_span.end] = written
    elif value is not None:
        at = max(file.field(entry, key).end for key in entry if key != "codes")
        file.lines[at:at] = _shifted(_dump({name: value}), entry.lc.col)
    return file.text()


def _end_of_line_comment(mapping, name: str, lines: list[str], span: _Span | None = None) -> str:
    """`  # why` after a field's value (with the spaces before it), as the tree finds it; within `span`
    when given (a value written over several lines has it on its last)."""
    tokens = mapping.ca.items.get(name) or []
    token = tokens[2] if len(tokens) > 2 and not isinstance(tokens[2], list) else None
    if token is None or not token.value.lstrip(" ").startswith("#"):
        return ""
    number = token.start_mark.line
    head = span.head if span is not None else mapping.lc.key(name)[0]
    end = span.end if span is not None else head + 1
    if not head <= number < end:
        return ""
    line = lines[number]
    before = line[:token.column]
    return before[len(before.rstrip()):] + line[token.column:].rstrip("\n")
