"""GOV.UK Notify's formatting for emails and letters, turned into HTML for letters, posters and the website.

The same few marks Notify documents: `# ` a heading, `## ` a subheading (emails), `- ` or `* ` a bullet,
`1. ` a numbered step, `^ ` inset text, `---` a horizontal rule, `***` a page break (letters), a blank line
between paragraphs. Everything is escaped first; web addresses become links where `links` is set.
"""

import re

from markupsafe import Markup, escape

URL = re.compile(r"https?://[^\s<>\"')]+[^\s<>\"').,;:!?]")


def _inline(text: str, links: bool) -> str:
    escaped = str(escape(text))
    if links:
        escaped = URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
    return escaped


def to_html(text: str, *, links: bool = True) -> Markup:
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""

    def flush():
        nonlocal list_tag
        if paragraph:
            blocks.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()
        if items:
            blocks.append(f"<{list_tag}>" + "".join(f"<li>{i}</li>" for i in items) + f"</{list_tag}>")
            items.clear()
            list_tag = ""

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        bullet = re.match(r"^[-*•] (.*)", line)
        numbered = re.match(r"^\d+\. (.*)", line)
        if not line:
            flush()
        elif line == "***":
            flush()
            blocks.append('<div class="page-break"></div>')
        elif line == "---":
            flush()
            blocks.append("<hr>")
        elif line.startswith("## "):
            flush()
            blocks.append(f"<h3>{_inline(line[3:], links)}</h3>")
        elif line.startswith("# "):
            flush()
            blocks.append(f"<h2>{_inline(line[2:], links)}</h2>")
        elif line.startswith("^ "):
            flush()
            blocks.append(f"<blockquote>{_inline(line[2:], links)}</blockquote>")
        elif bullet or numbered:
            tag = "ul" if bullet else "ol"
            if paragraph or (items and list_tag != tag):
                flush()
            list_tag = tag
            items.append(_inline((bullet or numbered).group(1), links))
        else:
            if items:
                flush()
            paragraph.append(_inline(line, links))
    flush()
    return Markup("\n".join(blocks))  # noqa: S704 - every piece of text was escaped by _inline
