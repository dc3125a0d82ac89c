"""`check report`: totals, percentages, scores and ranks recomputed; quotes found, rightly attributed,
not reused or near-copied; names and figure numbers checked — on drafts and on tables qualcode wrote."""

from __future__ import annotations

import pytest
from docx import Document

from qualcode.checks.report import check_report
from qualcode.errors import UsageError
from qualcode.export import write_bank
from qualcode.quotebank import build_bank


def kinds(findings):
    return sorted((f.kind, f.where) for f in findings)


def draft(path, build):
    document = Document()
    build(document)
    document.save(str(path))
    return path


def test_a_bank_qualcode_wrote_checks_out_and_its_quotes_are_really_found(waves, tmp_path):
    from qualcode.checks.report import quotes_in, read_docx

    bank = build_bank(waves)
    write_bank(waves, bank, tmp_path / "bank.docx")
    assert len(quotes_in(read_docx(tmp_path / "bank.docx")[0])) == 6  # no passage twice under one theme
    # Dee's toolkit is coded under both themes and nothing else is left for one of them: the bank warned.
    assert [(f.kind, f.text) for f in check_report(waves, tmp_path / "bank.docx")] == [("quote reused", "We made a toolkit.")]
    assert bank.warnings == ["Q5 under 'Time' and Q7 under 'Outputs' are the same passage"]


def test_a_draft_with_every_kind_of_mistake(waves, tmp_path):
    def build(document):
        document.add_heading("Time", 1)
        document.add_paragraph("Staff said \u2018Cover ate our time.\u2019 (A2) and little else.")
        document.add_paragraph("\u2018Workload is heavy, honestly.\u2019 (A2)")
        document.add_heading("Outputs", 1)
        document.add_paragraph("Again \u2018Cover ate our time.\u2019 (A2).")
        document.add_paragraph("And \u2018Cover ate all our time.\u2019 (A2).")
        document.add_paragraph("As Figure 2 shows, and Figure 1 too, Ann Ashby agreed.")
        document.add_paragraph("Figure 1: Tallies by wave")
        table = document.add_table(rows=1, cols=2)
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Site", "Count"
        for site, count in (("North", "3"), ("South", "2"), ("Total", "6")):
            cells = table.add_row().cells
            cells[0].text, cells[1].text = site, count
    (waves.root / "w2.txt")  # the transcripts say: Ann (A2) `Cover ate our time.`, Cat (B1) `Workload is heavy.`
    findings = check_report(waves, draft(tmp_path / "draft.docx", build))
    found = {(f.kind, f.where): f for f in findings}
    assert ("quote not found", "paragraph 3") in found  # `honestly` was never said
    assert ("quote reused", "paragraph 5") in found
    assert ("quote not found", "paragraph 6") in found and ("near-duplicate", "paragraph 2 and paragraph 6") in found
    assert found["figure", "paragraph 7"].text == "Figure 2"
    assert found["total", "table 1, row 4"].detail == "Count: the rows above sum to 5, not 6"
    assert ("name", "draft.docx") in found and found["name", "draft.docx"].text == "Ann Ashby"


def test_a_quote_attributed_to_the_wrong_speaker(waves, tmp_path):
    findings = check_report(waves, draft(tmp_path / "d.docx", lambda d: d.add_paragraph("\u2018Workload is heavy.\u2019 (A2)")))
    assert [(f.kind, f.detail) for f in findings] == [("wrong speaker", "attributed to A2, but B1 says it (w2.txt)")]


def test_scores_ranks_and_percentages_are_recomputed_in_tables(waves, tmp_path):
    ratings = tmp_path / "ratings.csv"
    ratings.write_text("site,Time,Practice,Score,Rank\nNorth,Red,Green,5,1\nSouth,Green,Green,6,2\n", encoding="utf-8")
    assert [(f.kind, f.where, f.detail) for f in check_report(waves, ratings)] == [
        ("score", "ratings.csv, row 2", "the ratings sum to 4"), ("rank", "ratings.csv, row 2", "with these scores the rank is 2"),
        ("rank", "ratings.csv, row 3", "with these scores the rank is 1")]
    tally = tmp_path / "tally.csv"
    tally.write_text("code,label,count,percent,base,shown\nTime,Time,3,100,3,3 of 3\nTime > Cover,Cover,1,50,3,1 of 3\n",
                     encoding="utf-8")
    assert [(f.kind, f.where, f.detail) for f in check_report(waves, tally)] == [("percent", "tally.csv, row 3", "1 of 3 is 33%")]


def test_what_cannot_be_checked_is_refused(waves, tmp_path):
    with pytest.raises(UsageError, match="check a .docx draft, or a .csv or .xlsx table"):
        check_report(waves, tmp_path / "r.pdf")


def test_check_report_through_the_command_line(waves, cli, tmp_path):
    path = draft(tmp_path / "d.docx", lambda d: d.add_paragraph("\u2018Workload is heavy.\u2019 (A2)"))
    result = cli("check", "report", path)
    assert result.exit_code == 1 and "wrong speaker" in result.stdout
    write_bank(waves, build_bank(waves, per_theme=1), tmp_path / "bank.docx")
    clean = cli("check", "report", tmp_path / "bank.docx")
    assert clean.exit_code == 0 and "check out" in clean.stderr


def test_figures_tables_and_quotes_in_cells_and_apostrophes(waves, tmp_path):
    def build(document):
        document.add_paragraph("Figure 1 Share of participants by theme", style="Caption")
        document.add_paragraph("Figures 1 and 3 show it; Fig. 1 again.")
        document.add_paragraph("Time with \u2018Cover ate our time, it\u2019s true.\u2019 (A2)")
        table = document.add_table(rows=1, cols=3)
        for cell, text in zip(table.rows[0].cells, ["Theme", "Exemplar quote", "% of participants (n=3)"]):
            cell.text = text
        for theme, quote, figure in (("Time", "\u2018Cover ate our time.\u2019 (A2)", "9 of 8"),
                                     ("Workload", "\u2018Cover ate our time.\u2019 (A2)", "1 of 4")):
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = theme, quote, figure
    found = {(f.kind, f.where): f for f in check_report(waves, draft(tmp_path / "d.docx", build))}
    assert found["figure", "paragraph 2"].detail == "no caption says Figure 3" and ("figure", "paragraph 1") not in found
    assert ("quote not found", "paragraph 3") in found  # `it's true` was never said: the apostrophe did not hide it
    assert ("quote reused", "table 1, row 3") in found
    assert found["percent", "table 1, row 2"].detail == "9 of 8 cannot be: more than the base"
    assert found["percent", "table 1, row 3"].detail == "the column's base is n=3, not 4"


def test_a_bank_in_the_role_style_checks_out(waves, tmp_path):
    write_bank(waves, build_bank(waves, per_theme=1, house="role"), tmp_path / "bank.docx")
    assert check_report(waves, tmp_path / "bank.docx") == []


def test_shown_figures_of_a_tally_table_are_checked(waves, tmp_path):
    tally = tmp_path / "tally.csv"
    tally.write_text("code,label,count,percent,base,shown\nTime,Time,3,100,3,2 of 3\n", encoding="utf-8")
    assert [(f.kind, f.detail) for f in check_report(waves, tally)] == [("percent", "count and base say 3 of 3")]


def test_a_quote_with_an_addition_is_placed_in_the_one_turn_that_says_it_all():
    from qualcode.checks.report import _place

    text = "Interviewer: And so?\n\nParticipant: And then the coach watched a session and asked me."
    turns = [(13, 20, "INT1"), (35, len(text), "C1")]
    # `And` alone is also the interviewer's; the quote as a whole is only the participant's.
    assert _place("And [the coach] watched a session and asked me", text, turns) == text.index("And then")
