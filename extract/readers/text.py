"""Markdown-ish text conversions (with embedded HTML) into blocks.

``#`` lines and whole-bold lines are headings; bullets, numbered paragraphs and
"Label: value" lines start their own paragraph; a paragraph runs to a blank line, unless the break
falls mid-sentence. Tables come from ``<table>`` markup, pipe tables and runs of
two or more tab-separated lines. A form feed starts a new page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .html import cell_text, inline_text, make_table, parse_blocks
from ..model import Block, Document, Heading, Page, Paragraph, Table
from ..read import Content, reader
from ..settings import ReadSettings

BOLD_HEADING_LEVEL = 4  # a whole-bold line ranks below "#", "##" and "###" headings

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__|<(?:b|strong)>)(.*?)(?:\*\*|__|</(?:b|strong)>)\s*$", re.S | re.I)
BULLET_MARKS = "-*+•·▪●◦–◼■□➢►▸‣"
BULLET = re.compile(rf"^\s*(?:[{re.escape(BULLET_MARKS)}]\s+|(?=\d{{1,3}}(?:\.\d+)*[.)]?\s+\S)|(?=\([a-z0-9]{{1,3}}\)\s))")
_RULE = re.compile(r"^\s*(?:[-*_=]\s*){3,}$")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_EMPHASIS = re.compile(r"\*\*|__")
FIELD_LINE = re.compile(r"^\s*(?:\*\*)?[A-Z][\w’'()/&-]*(?: [\w’'()/&-]+){0,4}:(?:\*\*)?\s+\S")  # "Date of meeting: ..."
_SENTENCE_END = re.compile(r"[.!?:;)\"'”’]\s*$")


def strip_bullet(text: str) -> str:
    """Text without its leading bullet mark; a paragraph number ("2.2") stays."""
    return BULLET.sub("", text, count=1)


def clean_inline(text: str) -> str:
    """Plain text of a markdown line: links keep text and e-mail address, markup stripped."""
    text = _LINK.sub(_link_text, text)
    text = _EMPHASIS.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    if "<" in text or "&" in text:
        text = inline_text(text)
    return " ".join(text.split())


def _link_text(m: re.Match) -> str:
    label, target = m.group(1).strip(), m.group(2)
    if target.lower().startswith("mailto:"):
        address = target[7:].split("?")[0]
        return address if not label or label.lower() == address.lower() else f"{label} ({address})"
    return label


def continues_sentence(before: str, after: str) -> bool:
    """Is ``after`` the rest of a sentence ``before`` broke off (no end mark, lower-case start)?"""
    return not _SENTENCE_END.search(before) and after.lstrip()[:1].islower()


def follows_number(first: str, line: str) -> bool:
    """Does ``line`` carry the next number after the one ``first`` starts with ("2." then "3.")?"""
    a, b = (re.match(r"\s*(\d{1,3}(?:\.\d{1,3})*)[.)]?\s", t) for t in (first, line))
    if not (a and b):
        return False
    x, y = ([int(n) for n in m.group(1).split(".")] for m in (a, b))
    return len(x) == len(y) and x[:-1] == y[:-1] and y[-1] == x[-1] + 1


def _starts_item(line: str, lines: list[str]) -> bool:
    """Does ``line`` open a list item or numbered paragraph after the paragraph ``lines``?

    A bullet mark always does; a number only after a finished sentence or as the next
    number of the list, since a hard-wrapped line may begin with a figure.
    """
    if not BULLET.match(line):
        return False
    if not lines or re.match(rf"\s*[{re.escape(BULLET_MARKS)}]\s", line):
        return True
    return bool(_SENTENCE_END.search(lines[-1])) or follows_number(lines[0], line)


def _is_bold(raw: str) -> bool:
    match = _BOLD_LINE.match(raw)
    return bool(match) and "**" not in match.group(1) and bool(match.group(1).strip())


def _is_pipe_row(line: str) -> bool:
    """A pipe-table row: "| a | b |", or "a | b |" as some converters write it."""
    stripped = line.strip()
    return stripped.startswith("|") or (stripped.endswith("|") and stripped.count("|") >= 2)


def _is_special(line: str) -> bool:
    """A line that cannot continue a paragraph: heading, bullet, table or markup block."""
    return bool(_HEADING.match(line) or BULLET.match(line) or "\t" in line
                or _is_pipe_row(line) or "<table" in line.lower())


@dataclass
class _Builder:
    """Turns the lines of one page into blocks."""
    page_number: int
    heading_max_chars: int
    blocks: list[Block] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def flush(self) -> None:
        if not self.lines:
            return
        raw = " ".join(line.strip() for line in self.lines)
        self.lines.clear()
        text = clean_inline(strip_bullet(raw))
        if not text:
            return
        if _is_bold(raw) and len(text) <= self.heading_max_chars:
            self.blocks.append(Heading(text, self.page_number, level=BOLD_HEADING_LEVEL))
        else:
            self.blocks.append(Paragraph(text, self.page_number))

    def continues_sentence(self, line: str) -> bool:
        """After a blank line: does ``line`` carry on the sentence the last paragraph broke off?"""
        last = self.blocks[-1] if self.blocks else None
        return isinstance(last, Paragraph) and continues_sentence(last.text, line) and not _is_special(line)

    def add_table(self, table: Table, after_blank: bool) -> None:
        """Add ``table``, or continue the table above when a blank line broke a row mid-cell."""
        last = self.blocks[-1] if self.blocks else None
        if not (after_blank and isinstance(last, Table) and continue_table(last, table)):
            self.blocks.append(table)

    def rejoin(self, line: str) -> None:
        last = self.blocks.pop()
        self.lines = [last.text, line]


def continue_table(last: Table, table: Table) -> bool:
    """Join ``table`` onto ``last`` when its first row finishes a row that a break cut mid-cell
    (same width, no row label, a cell going on in lower case); say whether it did."""
    first = table.rows[0] if table.rows else []
    if not (last.rows and len(last.rows[0]) == len(first) and not first[0]
            and any(c[:1].islower() for c in first[1:])):
        return False
    last.rows[-1] = [f"{a} {b}".strip() for a, b in zip(last.rows[-1], first)]
    last.rows.extend(table.rows[1:])
    return True


def _take(lines: list[str], i: int, belongs) -> int:
    """Index just past the run of lines from ``i`` that satisfy ``belongs``."""
    j = i
    while j < len(lines) and belongs(lines[j]):
        j += 1
    return j


def _tab_table(run: list[str], page_number: int) -> Table:
    cells = [line.strip("\r\n").split("\t") for line in run]
    marked = next((i for i, row in enumerate(cells) if not all(_is_bold(c) for c in row if c.strip())),
                  len(cells))
    return make_table([[_cell(c) for c in row] for row in cells], page_number, marked)


def _pipe_table(run: list[str], page_number: int) -> Table:
    rows = [line.strip().strip("|").split("|") for line in run if not _PIPE_SEPARATOR.match(line)]
    separated = len(run) > 1 and bool(_PIPE_SEPARATOR.match(run[1]))
    return make_table([[_cell(c) for c in row] for row in rows], page_number, int(separated))


def _cell(text: str) -> str:
    """A table cell's text; embedded paragraphs and list items stay on lines of their own."""
    return cell_text(text) if "<" in text else clean_inline(text)


def _html_block(lines: list[str], i: int) -> int:
    """Index just past the line closing the ``<table>`` opened at line ``i``."""
    depth, j = 0, i
    while j < len(lines):
        depth += lines[j].lower().count("<table") - lines[j].lower().count("</table")
        j += 1
        if depth <= 0:
            break
    return j


def page_blocks(text: str, page_number: int, heading_max_chars: int = 150) -> list[Block]:
    """The blocks of one page of markdown-ish text."""
    lines = text.splitlines()
    out = _Builder(page_number, heading_max_chars)
    after_blank = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip() or _RULE.match(line):
            out.flush()
            after_blank, i = True, i + 1
            continue
        if "<table" in line.lower():
            out.flush()
            j = _html_block(lines, i)
            out.blocks.extend(parse_blocks("\n".join(lines[i:j]), page_number))
        elif "\t" in line.strip(" ") and _take(lines, i, lambda s: "\t" in s.strip(" ")) - i >= 2:
            out.flush()
            j = _take(lines, i, lambda s: "\t" in s.strip(" "))
            out.add_table(_tab_table(lines[i:j], page_number), after_blank)
        elif _is_pipe_row(line) and _take(lines, i, _is_pipe_row) - i >= 2:
            out.flush()
            j = _take(lines, i, _is_pipe_row)
            out.blocks.append(_pipe_table(lines[i:j], page_number))
        elif heading := _HEADING.match(line):
            out.flush()
            text_ = clean_inline(heading.group(2))
            if text_:
                out.blocks.append(Heading(text_, page_number, level=len(heading.group(1))))
            j = i + 1
        else:
            if after_blank and not out.lines and out.continues_sentence(line):
                out.rejoin(line)
            else:
                if after_blank or _starts_item(line, out.lines) or (FIELD_LINE.match(line) and out.lines):
                    out.flush()
                out.lines.append(line.replace("\t", " "))
            j = i + 1
        after_blank, i = False, j
    out.flush()
    return out.blocks


def read_text(text: str, path: str, sha256: str, heading_max_chars: int = 150) -> Document:
    """A Document from a text conversion; each form feed starts a page."""
    pages = [Page(n, page_blocks(chunk, n, heading_max_chars)) for n, chunk in enumerate(text.split("\f"), 1)]
    return Document(path=path, sha256=sha256, kind="text", pages=pages)


@reader("text", "text file", (".txt", ".md"), sniff=lambda content: content.text is not None, fallback=True)
def read_text_file(content: Content, settings: ReadSettings) -> Document:
    """Any decodable text no other reader claimed."""
    return read_text(content.text or "", str(content.path), content.sha256, settings.heading_max_chars)
