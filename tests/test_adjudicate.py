"""Disagreements listed, adjudicated one at a time into a consensus coder that tallies count."""

from __future__ import annotations

import docx
import pytest

from qualcode.adjudicate import decide, disagreements, pending
from qualcode.errors import UsageError
from qualcode.tally import tally_project

from test_agree import two_coders  # noqa: F401  (the fixture: tester and bea on the two waves)


def test_disagreements_name_the_code_the_place_and_who(two_coders):  # noqa: F811
    found = disagreements(two_coders, ["tester", "bea"])
    cover = [(d.document, d.turn, d.coded_by, d.not_by) for d in found if d.code == "t.a"]
    assert cover == [("w1.txt", 1, ["tester"], ["bea"]), ("w1.txt", 4, ["tester"], ["bea"]), ("w2.txt", 2, ["tester"], ["bea"])]
    assert all(d.text for d in found)
    turn_four = next(d for d in found if d.code == "t.a" and d.turn == 4)
    assert turn_four.codes == {"tester": ["t.a", "u.x"], "bea": []}  # what each coder put in that turn
    with pytest.raises(UsageError, match="name two or more different coders"):
        disagreements(two_coders, ["tester"])


def test_adjudication_is_saved_as_it_goes_and_tallies_count_the_consensus(two_coders):  # noqa: F811
    waiting = pending(two_coders, ["tester", "bea"])
    agreed = [c for c in two_coders.store.codings() if c["coder"] == "consensus"]
    assert {(c["code"], c["status"]) for c in agreed} == {("t.a", "accepted"), ("t.b", "accepted")}  # both coded these turns
    decide(two_coders, waiting[0], True)
    decide(two_coders, waiting[1], False)
    left = pending(two_coders, ["tester", "bea"])
    assert len(left) == len(waiting) - 2  # a second walk starts where the first stopped
    counted = tally_project(two_coders, "mentions", coder="consensus")
    assert counted.coder == "consensus" and sum(r.count.n for r in counted.rows if r.depth == 1) >= 3


def test_adjudicate_and_disagreements_through_the_command_line(two_coders, cli, tmp_path):  # noqa: F811
    listed = cli("agree", "--coders", "tester,bea", "--disagreements", "--csv")
    assert listed.exit_code == 0 and listed.stdout.startswith("code,document,turn,time,coded by,not by,codes by tester,codes by bea,text")
    assert cli("agree", "--coders", "tester,bea", "--disagreements", "-o", tmp_path / "d.docx").exit_code == 0
    table = docx.Document(str(tmp_path / "d.docx")).tables[0]
    header = [cell.text for cell in table.rows[0].cells]
    assert header == ["Code", "Document", "Turn", "Time", "Coded by", "Not by", "Codes by tester", "Codes by bea", "Text"]
    first = dict(zip(header, (cell.text for cell in table.rows[1].cells)))
    assert first["Document"] == "w1.txt" and first["Text"] and {first["Coded by"], first["Not by"]} == {"tester", "bea"}
    assert any(p.text.endswith("disagreement(s)") for p in docx.Document(str(tmp_path / "d.docx")).paragraphs)
    walked = cli("adjudicate", "--coders", "tester,bea", input="y\nn\nq\n")
    assert walked.exit_code == 0 and "2 decided" in walked.stderr
