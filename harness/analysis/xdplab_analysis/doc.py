# SPDX-License-Identifier: GPL-2.0
"""doc.py - a tiny document model rendered to Markdown and to HTML.

The report is built once as a list of blocks (heading, paragraph, list,
table, image) and rendered twice, so report.html needs no Markdown library.
Inline markup is limited to **bold** and `code`, which both renderers know.
"""
import html
import re


class Doc:
    def __init__(self, title):
        self.title = title
        self.blocks = [("h", 1, title)]

    def h(self, level, text):
        self.blocks.append(("h", level, text))

    def p(self, text):
        self.blocks.append(("p", text))

    def ul(self, items):
        if items:
            self.blocks.append(("ul", list(items)))

    def table(self, header, rows):
        if rows:
            self.blocks.append(("table", header, [[str(c) for c in r] for r in rows]))

    def img(self, src, alt):
        self.blocks.append(("img", src, alt))

    def pre(self, text):
        self.blocks.append(("pre", text))


def _md_cell(s):
    return s.replace("|", "\\|").replace("\n", " ")


def to_markdown(doc):
    out = []
    for b in doc.blocks:
        kind = b[0]
        if kind == "h":
            out.append("#" * b[1] + " " + b[2])
        elif kind == "p":
            out.append(b[1])
        elif kind == "ul":
            out.append("\n".join("- " + i for i in b[1]))
        elif kind == "table":
            header, rows = b[1], b[2]
            lines = ["| " + " | ".join(_md_cell(h) for h in header) + " |",
                     "|" + "|".join("---" for _ in header) + "|"]
            lines += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows]
            out.append("\n".join(lines))
        elif kind == "img":
            out.append(f"![{b[2]}]({b[1]})")
        elif kind == "pre":
            out.append("```\n" + b[1] + "\n```")
    return "\n\n".join(out) + "\n"


def _inline(s):
    s = html.escape(s, quote=False)
    s = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", s)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", s)


STYLE = ("body{font-family:sans-serif;max-width:1400px;margin:2em auto;padding:0 1em;"
         "line-height:1.45}table{border-collapse:collapse;margin:1em 0}"
         "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}"
         "th{background:#f3f3f3}img{max-width:100%}code{background:#f5f5f5}"
         "pre{background:#f5f5f5;padding:.6em;overflow-x:auto}")


def to_html(doc):
    out = ["<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\">",
           f"<title>{html.escape(doc.title)}</title><style>{STYLE}</style></head><body>"]
    for b in doc.blocks:
        kind = b[0]
        if kind == "h":
            out.append(f"<h{b[1]}>{_inline(b[2])}</h{b[1]}>")
        elif kind == "p":
            out.append(f"<p>{_inline(b[1])}</p>")
        elif kind == "ul":
            out.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in b[1]) + "</ul>")
        elif kind == "table":
            out.append("<table><tr>" + "".join(f"<th>{_inline(h)}</th>" for h in b[1]) + "</tr>")
            for r in b[2]:
                out.append("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in r) + "</tr>")
            out.append("</table>")
        elif kind == "img":
            out.append(f"<p><img src=\"{html.escape(b[1])}\" alt=\"{html.escape(b[2])}\"></p>")
        elif kind == "pre":
            out.append(f"<pre>{html.escape(b[1])}</pre>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
