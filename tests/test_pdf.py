"""PDF layout rules on lines placed as a PDF would place them (real PDFs: test_corpora)."""

from __future__ import annotations

from qualcode.ingest.pdf import _Line, _drop_furniture, _numbered_lines, _numbered_paragraphs, _spaced_paragraphs

WIDTH, HEIGHT = 595.0, 842.0


def line(page, text, top, x0=50.0):
    zone = "head" if top < HEIGHT * 0.1 else "foot" if top > HEIGHT * 0.9 else "body"
    return _Line(page, text, x0, top, top + 11, zone, WIDTH)


def test_running_headers_footers_and_page_numbers_are_dropped():
    pages = [
        [line(1, "Pathways evaluation – interview 3", 30), line(1, "Dan: We began", 100), line(1, "1", 800, x0=290)],
        [line(2, "Pathways evaluation – interview 3", 30), line(2, "in the spring.", 100), line(2, "Page 2 of 2", 800, x0=260)],
    ]
    assert [l.text for l in _drop_furniture(pages)] == ["Dan: We began", "in the spring."]


def test_paragraph_cut_by_a_page_break_is_joined_again():
    lines = [line(1, "Dan: We began the coaching", 700), line(1, "in the", 712), line(2, "spring of that year.", 100),
             line(2, "Ann: Right.", 136)]
    assert _spaced_paragraphs(lines) == ["Dan: We began the coaching in the spring of that year.", "Ann: Right."]


def test_gap_starts_a_paragraph_and_line_end_hyphens_join_without_a_space():
    # The hyphen stays: it cannot be told from a real one (well-known), and dropping it would change a word.
    lines = [line(1, "Dan: a well-", 100), line(1, "known fact and a hyphen-", 112), line(1, "ated word.", 124), line(1, "Ann: yes", 160)]
    assert _spaced_paragraphs(lines) == ["Dan: a well-known fact and a hyphen-ated word.", "Ann: yes"]


def test_margin_paragraph_numbers_mark_paragraphs_and_are_removed():
    lines = [line(1, "1 Interview", 20), line(1, "2 Dan: Okay, so", 40), line(1, "we start", 52),
             line(2, "then we go on.", 20), line(2, "3 Participant: Fine.", 40)]
    opening = _numbered_lines(lines)
    assert _numbered_paragraphs(lines, opening) == ["Interview", "Dan: Okay, so we start then we go on.", "Participant: Fine."]


def test_numbers_in_prose_are_not_paragraph_numbers():
    lines = [line(1, "12 teachers came", 100), line(1, "and 40 pupils", 112), line(1, "3 left early", 124)]
    assert _numbered_lines(lines) == set()
