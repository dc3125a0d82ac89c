"""Edits to the codebook file: comments stay with the code they describe, the layout stays the team's."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from qualcode.codebook_file import append_codes, edit_code, move_code, remove_code
from qualcode.errors import UsageError

PATHWAYS = """\
# Codebook header
name: Demo
codes:
  # Time: everything about hours
  - id: time
    label: Time  # short on purpose
    codes:
      - id: time.cover
        label: Cover
        # cover is the commonest complaint
      # lost sessions, counted as actions
      - id: time.lost
        label: Lost sessions

  # ---- Practice ----

  - id: practice
    label: Practice
"""


@pytest.fixture
def codebook(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(PATHWAYS, encoding="utf-8")
    return path


def test_a_moved_code_takes_the_comment_above_it_and_leaves_its_neighbours_theirs(codebook):
    move_code(codebook, "time.lost", "practice")
    assert codebook.read_text(encoding="utf-8") == """\
# Codebook header
name: Demo
codes:
  # Time: everything about hours
  - id: time
    label: Time  # short on purpose
    codes:
      - id: time.cover
        label: Cover
        # cover is the commonest complaint

  # ---- Practice ----

  - id: practice
    label: Practice
    codes:
      # lost sessions, counted as actions
      - id: time.lost
        label: Lost sessions
"""


def test_a_code_moved_between_separated_themes_gets_a_blank_line_like_them(codebook):
    move_code(codebook, "time.lost", None)
    assert codebook.read_text(encoding="utf-8").endswith(
        "    label: Practice\n\n  # lost sessions, counted as actions\n  - id: time.lost\n    label: Lost sessions\n")


def test_a_merged_code_leaves_with_its_comment_and_its_children_move_up(codebook):
    remove_code(codebook, "time")
    assert codebook.read_text(encoding="utf-8") == """\
# Codebook header
name: Demo
codes:
  - id: time.cover
    label: Cover
    # cover is the commonest complaint
  # lost sessions, counted as actions
  - id: time.lost
    label: Lost sessions

  # ---- Practice ----

  - id: practice
    label: Practice
"""


def test_a_new_code_goes_before_the_next_themes_heading_not_after_it(codebook):
    append_codes(codebook, [{"id": "time.rota", "label": "Rota", "parent": "time", "definition": "Who covers whom."}])
    text = codebook.read_text(encoding="utf-8")
    assert ("      - id: time.lost\n        label: Lost sessions\n      - id: time.rota\n        label: Rota\n"
            "        definition: Who covers whom.\n\n  # ---- Practice ----\n") in text


def test_fields_are_set_in_place_keeping_end_of_line_comments(codebook):
    edit_code(codebook, "time", label="Time and capacity", retired=True)
    edit_code(codebook, "time.cover", id="time.cover_absence")
    text = codebook.read_text(encoding="utf-8")
    assert "    label: Time and capacity  # short on purpose\n    retired: true\n    codes:\n" in text
    assert "      - id: time.cover_absence\n        label: Cover\n" in text


def test_a_file_with_dashes_at_the_key_column_keeps_its_style(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("codes:\n- id: a\n  label: A\n- id: b\n  label: B\n", encoding="utf-8")
    move_code(path, "b", "a")
    append_codes(path, [{"id": "b.x", "label": "X", "parent": "b"}])
    assert path.read_text(encoding="utf-8") == ("codes:\n- id: a\n  label: A\n  codes:\n  - id: b\n    label: B\n"
                                                "    codes:\n    - id: b.x\n      label: X\n")


def test_the_first_code_of_an_empty_codebook(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("name: New study  # started today\ncodes: []\n", encoding="utf-8")
    append_codes(path, [{"id": "a", "label": "A", "parent": None}])
    assert path.read_text(encoding="utf-8") == "name: New study  # started today\ncodes:\n  - id: a\n    label: A\n"


def test_windows_line_endings_stay(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_bytes(b"codes:\r\n  # about a\r\n  - id: a\r\n    label: A\r\n  - id: b\r\n    label: B\r\n")
    move_code(path, "a", "b")
    assert path.read_bytes() == b"codes:\r\n  - id: b\r\n    label: B\r\n    codes:\r\n      # about a\r\n      - id: a\r\n        label: A\r\n"


def test_a_layout_the_edits_cannot_follow_is_refused_and_the_file_left_alone(tmp_path):
    path = tmp_path / "c.yaml"
    flow = "codes: [{id: a, label: A}, {id: b, label: B}]  # compact\n"
    path.write_text(flow, encoding="utf-8")
    with pytest.raises(UsageError, match=r"line 1: its `codes` list is written \[in, brackets\]"):
        move_code(path, "a", "b")
    path.write_text("codes:\n  - {id: a, label: A}\n", encoding="utf-8")
    with pytest.raises(UsageError, match="written {in: braces}"):
        edit_code(path, "a", retired=True)
    assert path.read_text(encoding="utf-8") == "codes:\n  - {id: a, label: A}\n"
    assert not list(tmp_path.glob("*.partial"))


# Any codebook, any edit: the file means what the edit means, and every comment stays with its code.

@st.composite
def trees(draw):
    """A forest of codes as (id, parent) in file order, parents first."""
    codes: list[tuple[str, str | None]] = []
    for number in range(draw(st.integers(1, 9))):
        parents = [None] + [c for c, _ in codes if c.count(".") < 2]
        parent = draw(st.sampled_from(parents))
        codes.append((f"{parent}.c{number}" if parent else f"c{number}", parent))
    return codes


def render(codes, step: int, blank_between: bool, comments_left: bool) -> str:
    lines = ["name: Property\n", "codes:\n"]

    def write(parent, depth):
        children = [c for c, p in codes if p == parent]
        key = depth * (step + 2)  # the column of the keys of codes at this depth
        for number, code in enumerate(children):
            dash = key + step
            if blank_between and number:
                lines.append("\n")
            lines.append(" " * (0 if comments_left else dash) + f"# about {code}\n")
            lines.append(" " * dash + f"- id: {code}\n")
            lines.append(" " * (dash + 2) + f"label: L {code}  # label of {code}\n")
            lines.append(" " * (dash + 2) + f"# inside {code}\n")
            if any(p == code for _, p in codes):
                lines.append(" " * (dash + 2) + "codes:\n")
                write(code, depth + 1)
    write(None, 0)
    return "".join(lines)


def file_order(codes, parent=None) -> list[str]:
    return [c for code, p in codes if p == parent for c in [code, *file_order(codes, code)]]


def model_after(codes, edit):
    """The tree the edit should leave, as {code: parent} and the order of each parent's children."""
    parents = dict(codes)
    order = file_order(codes)
    kind, code, target = edit
    if kind == "move":
        order.remove(code)
        order.append(code)
        parents[code] = target
    elif kind == "remove":  # its children stand where it stood, which file order already says
        for child in [c for c in order if parents[c] == code]:
            parents[child] = parents[code]
        order.remove(code)
        del parents[code]
    else:
        parents[code] = target
        order.append(code)
    return {parent: [c for c in order if parents[c] == parent] for parent in [None, *order]}, parents


def tree_of(text):
    data = YAML(typ="safe").load(text)
    shape: dict = {}

    def walk(entries, parent):
        shape[parent] = [e["id"] for e in entries]
        for entry in entries:
            walk(entry.get("codes") or [], entry["id"])
    walk(data.get("codes") or [], None)
    return shape


@st.composite
def edits(draw, codes):
    ids = [c for c, _ in codes]
    kind = draw(st.sampled_from(["move", "remove", "add"]))
    if kind == "add":
        return kind, "new", draw(st.sampled_from([None, *ids]))
    code = draw(st.sampled_from(ids))
    if kind == "remove":
        return kind, code, None
    return kind, code, draw(st.sampled_from([None, *[c for c in ids if c != code and not c.startswith(code + ".")]]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), step=st.sampled_from([0, 2]), blank_between=st.booleans(), comments_left=st.booleans())
def test_any_edit_keeps_every_comment_with_its_code(tmp_path, data, step, blank_between, comments_left):
    codes = data.draw(trees())
    edit = data.draw(edits(codes))
    path = tmp_path / "p.yaml"
    path.write_text(render(codes, step, blank_between, comments_left), encoding="utf-8")
    kind, code, target = edit
    if kind == "move":
        move_code(path, code, target)
    elif kind == "remove":
        remove_code(path, code)
    else:
        append_codes(path, [{"id": code, "label": "New", "parent": target}])
    text = path.read_text(encoding="utf-8")
    expected, parents = model_after(codes, edit)
    shape = tree_of(text)
    assert {p: c for p, c in shape.items() if c} == {p: c for p, c in expected.items() if c}
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for survivor in parents:
        if survivor == "new":
            continue
        at = lines.index(f"- id: {survivor}")
        assert lines[at - 1] == f"# about {survivor}"
        assert lines[at + 1] == f"label: L {survivor}  # label of {survivor}"
        assert lines[at + 2] == f"# inside {survivor}"
    gone = {c for c, _ in codes} - set(parents)
    assert not {f"# about {c}" for c in gone} & set(lines) and not {f"# inside {c}" for c in gone} & set(lines)


# Layouts teams write by hand (found by a reviewer trying to break the edits).

def edited(tmp_path, text: str, *edits, name: str = "c.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    for edit in edits:
        edit(path)
    return path.read_text(encoding="utf-8")


def test_a_field_whose_list_has_dashes_under_its_key_gets_the_new_field_after_the_list(tmp_path):
    text = "codes:\n- id: a\n  label: A\n  keywords:\n  - x\n  - y\n- id: b\n  label: B\n"
    assert edited(tmp_path, text, lambda p: edit_code(p, "a", retired=True)) == (
        "codes:\n- id: a\n  label: A\n  keywords:\n  - x\n  - y\n  retired: true\n- id: b\n  label: B\n")


def test_comments_under_a_list_that_empties_or_fills_stay(tmp_path):
    only_child = ("codes:\n  - id: a\n    label: A\n    codes:\n      - id: a1\n        label: A1\n"
                  "      # TODO: add a2 after round 2\n  - id: b\n    label: B\n")
    assert "      # TODO: add a2 after round 2\n" in edited(tmp_path, only_child, lambda p: move_code(p, "a1", "b"))
    empty = "name: T\ncodes: []  # fill in later\n"
    assert edited(tmp_path, empty, lambda p: append_codes(p, [{"id": "new", "label": "New", "parent": None}])) == (
        "name: T\ncodes:  # fill in later\n  - id: new\n    label: New\n")
    waiting = "codes:\n  - id: a\n    label: A\n    codes:\n      # TODO: split A (see memo 3)\n  - id: b\n    label: B\n"
    assert edited(tmp_path, waiting, lambda p: append_codes(p, [{"id": "a.x", "label": "X", "parent": "a"}])) == (
        "codes:\n  - id: a\n    label: A\n    codes:\n      # TODO: split A (see memo 3)\n      - id: a.x\n        label: X\n"
        "  - id: b\n    label: B\n")


def test_an_end_of_line_comment_after_a_value_on_several_lines_is_kept(tmp_path):
    text = 'codes:\n  - id: a\n    label: "A very long label\n      continued"   # team note\n    definition: x\n'
    assert edited(tmp_path, text, lambda p: edit_code(p, "a", label="Short")) == (
        "codes:\n  - id: a\n    label: Short   # team note\n    definition: x\n")


def test_blank_lines_with_spaces_inside_a_block_scalar_move_with_it(tmp_path):
    text = ("codes:\n  - id: a\n    label: A\n    codes:\n      - id: a1\n        label: A1\n        definition: |\n"
            "          Para one.\n          \n          Para two.\n  - id: b\n    label: B\n")
    moved = edited(tmp_path, text, lambda p: move_code(p, "a1", None))
    assert "  - id: a1\n    label: A1\n    definition: |\n      Para one.\n      \n      Para two.\n" in moved


def test_a_line_separator_inside_a_quoted_label_does_not_shift_other_codes(tmp_path):
    text = 'codes:\n  - id: a\n    label: "A\u2028B"\n  - id: b\n    label: B\n  - id: c\n    label: C\n'
    assert edited(tmp_path, text, lambda p: edit_code(p, "b", retired=True)).endswith(
        "  - id: b\n    label: B\n    retired: true\n  - id: c\n    label: C\n")


@pytest.mark.parametrize("text, problem", [
    ("codes:\n  - id: a\n    label: A\n    keywords: &kw [x]\n  - id: b\n    label: B\n    keywords: *kw\n",
     r"c.yaml:4: the codebook uses YAML anchors and aliases"),
    ('codes:\n  - id: a\n    label: A\n    definition: "wrapped\n  here"\n  - id: b\n    label: B\n',
     r"cannot be made while keeping every other line"),
])
def test_layouts_that_cannot_be_followed_are_refused_in_one_line(tmp_path, text, problem):
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=problem):
        move_code(path, "a", "b")
    assert path.read_text(encoding="utf-8") == text


def test_the_file_is_written_through_a_symlink_keeping_its_mode_and_its_missing_final_newline(tmp_path):
    shared = tmp_path / "shared.yaml"
    shared.write_text("codes:\n  - id: a\n    label: A", encoding="utf-8")
    shared.chmod(0o640)
    link = tmp_path / "codebook.yaml"
    link.symlink_to(shared)
    edit_code(link, "a", label="yes")
    assert link.is_symlink() and shared.read_text(encoding="utf-8") == 'codes:\n  - id: a\n    label: "yes"'
    assert shared.stat().st_mode & 0o777 == 0o640
    shared.chmod(0o444)
    with pytest.raises(UsageError, match="read-only"):
        edit_code(link, "a", label="B")


def test_an_edit_that_would_break_the_codebook_is_refused(tmp_path):
    path = tmp_path / "c.yaml"
    text = "codes:\n  - id: a\n    label: A\n  - id: c\n    label: C\n    within: a\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match="the edit would leave a problem at line 4: c: `within: a` names no code"):
        edit_code(path, "a", id="a2")
    assert path.read_text(encoding="utf-8") == text


def test_a_new_list_copies_the_indentation_of_its_cousins(tmp_path):
    text = "codes:\n- id: a\n  label: A\n  codes:\n    - id: a1\n      label: A1\n- id: b\n  label: B\n"
    assert edited(tmp_path, text, lambda p: append_codes(p, [{"id": "b.x", "label": "X", "parent": "b"}])).endswith(
        "- id: b\n  label: B\n  codes:\n    - id: b.x\n      label: X\n")
