"""HTML e-mail bodies and their plain-text alternative (RFC 2046 multipart/alternative)."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

_TAG = re.compile(
    r"<\s*/?\s*(html|head|body|p|div|span|br|hr|table|tr|td|th|a|b|i|u|em|strong|ul|ol|li|h[1-6]|img|blockquote"
    r"|pre|center|font)\b[^<>]*>",
    re.IGNORECASE,
)
_BLOCKS = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "address", "center", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "pre", "hr",
}  # fmt: skip
_SKIPPED = {"script", "style", "head", "title", "template", "noscript", "svg"}
_LINE_BREAKS = {"br", "tr", "dt", "dd"}


def looks_like_html(body: str) -> bool:
    return bool(_TAG.search(body))


class _TextWriter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []
        self._words: list[str] = []
        self._depth = 0  # blockquote nesting: quoted lines get "> " per level
        self._skipping = 0
        self._pre = 0
        self._lists: list[list[int]] = []  # per open list: [counter] for <ol>, [] for <ul>
        self._link: tuple[str, int] | None = None

    def _newline(self) -> None:
        text = "".join(self._words)
        if not self._pre:
            text = re.sub(r"[ \t\u00a0]{2,}", " ", text).strip()
        self._words = []
        if text or self._pre:
            self.lines.append((self._depth, text))

    def _paragraph(self) -> None:
        self._newline()
        if self.lines and self.lines[-1][1]:
            self.lines.append((self._depth, ""))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag == "blockquote":
            self._paragraph()
            self._depth += 1
        elif tag in _LINE_BREAKS:
            self._newline()
        elif tag in _BLOCKS:
            self._paragraph()
            if tag == "pre":
                self._pre += 1
            elif tag in ("ul", "ol"):
                self._lists.append([0] if tag == "ol" else [])
        elif tag == "li":
            self._newline()
            counter = self._lists[-1] if self._lists else []
            if counter:
                counter[0] += 1
            self._words.append(f"{counter[0]}. " if counter else "- ")
        elif tag in ("td", "th"):
            self._words.append(" ")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self._words.append(alt)
        elif tag == "a":
            self._link = (dict(attrs).get("href") or "", len("".join(self._words)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "hr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag == "blockquote":
            self._paragraph()
            self._depth = max(0, self._depth - 1)
        elif tag in _BLOCKS:
            self._paragraph()
            if tag == "pre":
                self._pre = max(0, self._pre - 1)
            elif tag in ("ul", "ol") and self._lists:
                self._lists.pop()
        elif tag == "a" and self._link is not None:
            href, start = self._link
            label = "".join(self._words)[start:].strip()
            if href.startswith(("http://", "https://")) and href.rstrip("/") != label.rstrip("/"):
                self._words.append(f" ({href})")
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if self._pre:
            first, *rest = data.split("\n")
            self._words.append(first)
            for line in rest:
                self._newline()
                self._words.append(line)
        else:
            self._words.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        self._newline()
        while self.lines and not self.lines[-1][1]:
            self.lines.pop()
        rendered = [("> " * depth + line).rstrip() if line or depth else "" for depth, line in self.lines]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(rendered)).strip()


def html_to_text(html: str) -> str:
    """A readable plain-text version: paragraphs, line breaks, lists, link targets, quotes as "> "."""
    writer = _TextWriter()
    writer.feed(html)
    writer.close()
    return writer.text()


def text_to_html(text: str) -> str:
    """Escaped paragraphs with line breaks, for a message written as plain text."""
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").strip()) if p.strip()]
    return "\n".join("<p>" + escape(p).replace("\n", "<br>\n") + "</p>" for p in paragraphs)


def html_document(body: str, lang: str = "en") -> str:
    """A full document around an HTML fragment (left as it is when it already is one)."""
    if re.search(r"<\s*html\b", body, re.IGNORECASE):
        return body
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head><meta charset="utf-8"></head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )
