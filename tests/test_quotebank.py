"""Quote banks and evidence tables: a stated ranking, balance, ids that last, decisions, and exports."""

from __future__ import annotations

import csv

import pytest
from docx import Document
from docx.shared import Pt

from qualcode.coding import Location, code_document
from qualcode.errors import InputFileError, UsageError
from qualcode.export import write_bank, write_evidence
from qualcode.ingest import ImportOptions, import_paths
from qualcode.quotebank import build_bank, build_evidence_table
from qualcode.quotes import decide, describe, inline_phrase

from conftest import CODEBOOK, golden

NORTH = ("Interviewer: How has coaching gone this term?\n\n"
         "P1: Honestly the cover list ate most of our sessions this term, Mags says, and we met properly twice before half term.\n\n"
         "P2: Marking.\n\n"
         "Interviewer: Anything you made?\n\n"
         "P2: We wrote a short toolkit for new coaches, with prompts for the first three meetings and a planning sheet.\n\n"
         "P1: I think the coaching changed how I plan, um, the first week of term, because I now ask what the class already knows.\n")
SOUTH = ("Interviewer: And here?\n\n"
         "P3: Workload is heavy, but the sessions gave me a space to think about why we do things the way we do them here.\n\n"
         "P4: Cover was never a problem for us, the head protected the hour every single week without fail this year.\n")


@pytest.fixture
def study(project, tmp_path):
    for name, text, site in (("north.txt", NORTH, "North"), ("south.txt", SOUTH, "South")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        import_paths(project, [str(tmp_path / name)], ImportOptions(attributes=[f"site={site}"]))
    (project.root / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    for document, turn, code, flags in [("north", 2, "t.a", ()), ("north", 3, "t.b", ()), ("north", 6, "t.b", ()),
                                        ("south", 2, "t.b", ()), ("south", 3, "t.a", ("disconfirming",)),
                                        ("north", 5, "u.x", ()), ("north", 1, "t.a", ())]:
        code_document(project, document, code, Location(turn=turn), flags=flags)
    return project


def test_a_bank_ranks_participants_in_the_window_and_balances_speakers_and_sites(study):
    bank = build_bank(study, per_theme=3)
    time = bank.sections[0]
    # P2's one word ranks last; speakers and sites alternate while they can.
    assert [p.quote.speaker for p in time.quotes] == ["P1", "P3", "P1"]
    assert time.quotes[0].quote.reason == "machine-chosen: participant, 23 words, speaker not yet quoted here, site North new"
    assert [p.quote.speaker for p in time.against] == ["P4"]  # disconfirming evidence apart
    assert all(p.quote.id is not None and p.quote.machine_chosen for p in bank.quotes())
    again = build_bank(study, per_theme=3)
    assert [p.quote.label for p in again.quotes()] == [p.quote.label for p in bank.quotes()]  # ids last


def test_interviewers_are_never_quoted(study):
    assert all(p.quote.speaker != "Interviewer" for p in build_bank(study, per_theme=9).quotes())


def test_pinned_quotes_come_first_cut_ones_never_and_edits_are_checked(study):
    quotes = {p.quote.text.split()[0]: p.quote for p in build_bank(study, per_theme=3).sections[0].quotes}
    plan, cat, ann = quotes["I"], quotes["Workload"], quotes["Honestly"]
    decide(study, cat.label, "pinned")
    decide(study, ann.label, "cut")
    decide(study, plan.label, "confirmed", "I think the coaching changed how I plan [...] because I now ask")
    again = build_bank(study, per_theme=3).sections[0].quotes
    assert again[0].quote.label == cat.label and again[0].quote.reason == "pinned by the author"
    assert ann.label not in [p.quote.label for p in again]
    edited = next(p.quote for p in again if p.quote.edited)
    assert edited.text == "I think the coaching changed how I plan [...] because I now ask" and len(edited.spans) == 2
    with pytest.raises(UsageError, match="is not the speaker's words in order"):
        decide(study, cat.label, "confirmed", "Workload is light")
    with pytest.raises(UsageError, match="Q999: no such quote"):
        decide(study, "Q999", "pinned")
    assert "author's wording: I think the coaching" in describe(study, edited.label)


def test_an_evidence_table_has_one_exemplar_per_row_and_a_figure_with_its_unit(study):
    table = build_evidence_table(study, level=2, group=False)
    rows = {r.code: r for r in table.rows}
    assert table.figure_header == "% of participants (n=4)"
    assert rows["t.a"].figure == "1 of 4" and rows["t.b"].figure == "3 of 4"  # P4's evidence against t.a is not counted
    exemplars = [r.exemplar.quote.label for r in table.rows if r.exemplar]
    assert len(exemplars) == len(set(exemplars))
    grouped = build_evidence_table(study, group=True, speaker_types=True)
    assert [(r.label, r.heading) for r in grouped.rows][:3] == [("Time", True), ("Cover", False), ("Workload", False)]


def test_a_bank_in_markdown_and_word_with_its_trace(study, tmp_path):
    bank = build_bank(study, per_theme=2)
    golden("quotebank.md", write_bank(study, bank, None))
    output = tmp_path / "bank.docx"
    written = write_bank(study, bank, output)
    document = Document(str(output))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert styles[0] == ("Title", "Quote bank") and ("Heading 1", "Time") in styles
    quote = next(p for p in document.paragraphs if p.text.startswith("\u2018I think"))
    assert quote.runs[0].italic and not quote.runs[1].italic and quote.runs[1].text.startswith(" (P1) [Q")
    assert ("Heading 2", "Evidence against") in styles and ("Heading 2", "Methods note") in styles
    with written.trace.open(encoding="utf-8") as handle:
        trace = list(csv.DictReader(handle))
    assert (trace[0]["quote"], trace[0]["document"], trace[0]["turn"], trace[0]["line"]) == ("Q1", "north.txt", "6", "11")
    assert len(trace) == written.quotes


def test_an_evidence_table_in_word_keeps_its_header_row_and_group_rows(study, tmp_path):
    table = build_evidence_table(study, group=True)
    output = tmp_path / "evidence.docx"
    write_evidence(study, table, output)
    word = Document(str(output)).tables[0]
    assert [c.text for c in word.rows[0].cells] == ["Theme", "Exemplar quote", "% of participants (n=4)"]
    assert word.rows[0]._tr.trPr.xpath("./w:tblHeader")
    assert word.rows[1].cells[0].text == "TIME" and word.rows[1].cells[0].paragraphs[0].runs[0].bold
    quote_cell = word.rows[2].cells[1].paragraphs[0]
    assert quote_cell.runs[0].italic and quote_cell.runs[0].text.startswith("\u2018")
    golden("evidence.csv", (lambda p: (write_evidence(study, table, p), p.read_text(encoding="utf-8"))[1])(tmp_path / "e.csv"))
    golden("evidence.md", write_evidence(study, table, None))


def test_a_template_gives_its_styles_and_loses_its_text(study, tmp_path):
    template = Document()
    template.add_paragraph("Draft text that must not appear")
    template.styles["Heading 1"].font.size = Pt(30)  # to recognise it
    template.save(str(tmp_path / "house.docx"))
    output = tmp_path / "bank.docx"
    write_bank(study, build_bank(study), output, template=tmp_path / "house.docx")
    document = Document(str(output))
    assert "Draft text that must not appear" not in [p.text for p in document.paragraphs]
    assert document.styles["Heading 1"].font.size == Pt(30) and "Quote Attribution" in [s.name for s in document.styles]


def test_an_export_with_a_name_in_it_is_refused(study, tmp_path):
    (tmp_path / "roster.csv").write_text("name,aliases\nMargaret Hale,Mags\n", encoding="utf-8")
    from qualcode.roster import import_roster

    import_roster(study, tmp_path / "roster.csv")
    with pytest.raises(UsageError, match=r"not written: it would contain identifying text \('Mags'\)"):
        write_bank(study, build_bank(study), tmp_path / "bank.md")
    from qualcode.shortlist import write_shortlist

    with pytest.raises(UsageError, match="identifying text \\('Mags'\\)"):
        write_shortlist(study, tmp_path / "list.xlsx")
    assert not list(tmp_path.glob("bank*")) and not (tmp_path / "list.xlsx").exists()


def test_quotes_through_the_command_line(study, cli, tmp_path):
    result = cli("quotes", "--style", "role", "--phrases", "-o", tmp_path / "b.md")
    assert result.exit_code == 0 and "and its trace" in result.stderr
    assert "Phrase: \u2018" in (tmp_path / "b.md").read_text(encoding="utf-8")
    assert cli("quotes", "-o", tmp_path / "b.md").exit_code == 2  # exists
    table = cli("table", "evidence", "--unit", "mentions", "--marks", "double")
    assert table.exit_code == 0 and "| Mentions (N=6) |" in table.stdout and "\u201c" in table.stdout
    bad = cli("quote", "pin", "twelve")
    assert bad.exit_code == 2 and "a quote id is Q and a number" in bad.stderr
    shown = cli("quote", "show", "Q1")
    assert shown.exit_code == 0 and "north.txt, turn 6" in shown.stdout


def test_a_shortlist_marked_up_by_the_team_is_read_back_whole_or_not_at_all(study, tmp_path):
    import openpyxl

    from qualcode.shortlist import read_shortlist, write_shortlist

    path = tmp_path / "short.xlsx"
    assert write_shortlist(study, path) == 6
    book = openpyxl.load_workbook(path)
    sheet = book.active
    rows = {row[8].value.split()[0]: row for row in sheet.iter_rows(min_row=2)}
    rows["Workload"][7].value = "pin"
    rows["Honestly"][7].value = "cut"
    rows["I"][8].value = "I think the coaching changed how I plan [...] because I now ask"
    book.save(path)
    report = read_shortlist(study, path)
    assert (report.decided, report.unchanged) == (3, 3)
    decided = {r["status"] for r in study.store.quote_decisions().values()}
    assert decided == {"pinned", "cut", "confirmed", "chosen"}
    rows["We"][8].value = "We wrote a long novel"
    rows["Cover"][7].value = "keep"
    book.save(path)
    with pytest.raises(InputFileError, match=r"short.xlsx:\d: Q\d+: 'We wrote a long novel' is not the speaker's words"):
        read_shortlist(study, path)
    assert sum(r["status"] == "confirmed" for r in study.store.quote_decisions().values()) == 1  # the keep was not applied


def test_every_quote_of_a_pdpilot_bank_is_found_in_its_transcript(project, corpora, tmp_path):
    from qualcode.checks.report import check_report, quotes_in, read_docx
    from qualcode.codings import import_codings

    study = corpora / "pdpilot-user-study"
    import_paths(project, [str(study / "transcripts_clean")], ImportOptions())
    import_codings(project, study / "derived_coded_segments.csv", {"text": "segment"}, coder="maxqda", create_codes=True)
    from qualcode.checks.allowlist import allow

    allow(project, "Dan", "the interviewer's first name, in a published corpus", "")
    bank = build_bank(project, per_theme=8)
    write_bank(project, bank, tmp_path / "bank.docx")
    findings = check_report(project, tmp_path / "bank.docx")
    assert len(quotes_in(read_docx(tmp_path / "bank.docx")[0])) == len(bank.quotes()) > 20
    assert not [f for f in findings if f.kind in ("quote not found", "wrong speaker", "quote repeated")]


def test_a_template_without_the_built_in_styles_gets_them(study, tmp_path):
    template = Document()
    styles = template.styles.element
    for style in list(styles.iterchildren()):
        if style.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}styleId") in (
                "Title", "Heading1", "Heading2", "Quote", "TableGrid"):
            styles.remove(style)
    template.save(str(tmp_path / "bare.docx"))
    write_evidence(study, build_evidence_table(study, group=True), tmp_path / "e.docx", template=tmp_path / "bare.docx")
    document = Document(str(tmp_path / "e.docx"))
    assert document.paragraphs[0].style.name == "Title" and document.tables
    with pytest.raises(InputFileError, match="missing.docx: no such file"):
        write_bank(study, build_bank(study), tmp_path / "b.docx", template=tmp_path / "missing.docx")


def test_an_edit_cannot_borrow_the_interviewers_words(study):
    code_document(study, "north", "u.x", Location(span="45:200"))  # the interviewer's question and P1's answer
    bank = build_bank(study, codes=["u"], per_theme=5)
    quote = next(p.quote for p in bank.quotes() if p.quote.speaker == "P1")
    with pytest.raises(UsageError, match="is not the speaker's words"):
        decide(study, quote.label, "confirmed", "How has coaching gone this term [...] the cover list ate most of our sessions")
    assert "[...]" not in inline_phrase(quote) or inline_phrase(quote).endswith("[...]")


def test_the_leak_check_reads_a_tables_words_not_its_counts():
    from qualcode.export import table_text

    assert table_text([{"code": "Time", "n_units": 160988425, "kappa": "0.41", "share": 0.5}], ["Base: all"]) == "Time\t0.41\nBase: all"


def test_a_templates_author_is_not_passed_on_and_its_header_is_checked(study, tmp_path):
    import docx

    from qualcode.errors import UsageError
    from qualcode.export import write_bank

    template = docx.Document()
    template.core_properties.author = "Margaret Hale"
    template.save(str(tmp_path / "plain.docx"))
    write_bank(study, build_bank(study, per_theme=3), tmp_path / "bank.docx", template=tmp_path / "plain.docx")
    assert docx.Document(str(tmp_path / "bank.docx")).core_properties.author == ""
    template.sections[0].header.paragraphs[0].text = "Queries: m.hale@example.org"  # no roster here: an identifier
    template.save(str(tmp_path / "named.docx"))
    with pytest.raises(UsageError, match="m.hale@example.org"):
        write_bank(study, build_bank(study, per_theme=3), tmp_path / "other.docx", template=tmp_path / "named.docx")
    assert not (tmp_path / "other.docx").exists()
