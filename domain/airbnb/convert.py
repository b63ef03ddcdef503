"""The e-mail design of a scheduled message, as Airbnb's plain-text message.

Headings and paragraphs become lines, list items "- " lines, table rows their cells joined by
" | ", links their URL; images, styles and scripts are dropped. Airbnb messages have a length
limit, so a long text is cut at a line boundary with an ellipsis.
"""

from __future__ import annotations

import html
import re

AIRBNB_MAX_CHARS = 5000
_BLOCKS = r"p|div|h[1-6]|li|tr|table|ul|ol|section|article|header|footer|blockquote"


def _link(match: re.Match[str]) -> str:
    href, label = match.group(1).strip(), re.sub(r"<[^>]+>", "", match.group(2)).strip()
    if href.lower().startswith("mailto:"):
        return href[7:]
    return href if not label or label == href else f"{label}: {href}"


def design_to_text(subject: str | None, body_html: str, limit: int = AIRBNB_MAX_CHARS) -> str:
    text = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", "", body_html)
    text = re.sub(r"(?is)<!--.*?-->", "", text)
    text = re.sub(r"(?is)<img\b[^>]*>", "", text)
    text = re.sub(r'(?is)<a\s[^>]*href\s*=\s*["\']([^"\']+)["\'][^>]*>(.*?)</a>', _link, text)
    text = re.sub(r"(?i)<br\s*/?>", "\n", text)
    text = re.sub(r"(?i)<li\b[^>]*>", "\n- ", text)
    text = re.sub(r"(?i)</t[dh]>\s*<t[dh]\b[^>]*>", " | ", text)
    text = re.sub(rf"(?i)</?({_BLOCKS})\b[^>]*>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    lines = [" ".join(html.unescape(line).split()) for line in text.splitlines()]
    lines = [line for line in lines if line and line != "-"]
    if subject:
        lines.insert(0, subject.strip())
    out = "\n".join(lines)
    if len(out) <= limit:
        return out
    cut = out[: limit - 1].rsplit("\n", 1)[0]
    return cut + "\n…"
