"""Plain HTML tables for the pages (rendered with ``st.html``).

A Streamlit data frame loads a grid library and draws on a canvas: on a small machine each page that shows one
takes about half a second longer to appear. The pages' tables are short lists of facts, so they are drawn as
HTML: they render with the page, wrap long text, keep real links, and are readable by tests without a browser.
Every table still comes with CSV and JSON downloads (``views._shared.table``).

>>> out = html_table([{"part": "VAE <2>", "ok": True, "page": "model?model=x"}], links={"page": "open"})
>>> '<td data-col="part">VAE &lt;2&gt;</td><td data-col="ok">yes</td>' in out
True
>>> '<a href="model?model=x" target="_self">open</a>' in out
True
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from html.parser import HTMLParser
from typing import Any

#: Styles shared by every table drawn here (sticky header, zebra rows, wrapping cells).
STYLE = """<style>
.data-table table{border-collapse:collapse;width:100%;font-size:.9rem}
.data-table th{position:sticky;top:0;background:#f0f2f6;text-align:left;padding:.3em .6em;font-weight:600}
.data-table td{padding:.3em .6em;border-top:1px solid #e6e6e6;vertical-align:top;overflow-wrap:anywhere}
.data-table tr:nth-child(even) td{background:#fafafa}
</style>"""


def cell(value: Any) -> str:
    """How one value reads in a table cell: booleans as yes/no-mark, ``None`` as empty, the rest as text.

    >>> [cell(True), cell(False), cell(None), cell(1234567), cell("a & b")]
    ['yes', '', '', '1,234,567', 'a &amp; b']
    """
    if value is True:
        return "yes"
    if value is False or value is None:
        return ""
    if isinstance(value, int):
        return f"{value:,}"
    return html.escape(str(value))


def _link(url: str, text: str) -> str:
    """A link: pages of this app open in the same tab, other sites in a new one."""
    outside = url.startswith(("http://", "https://"))
    target = ' target="_blank" rel="noopener"' if outside else ' target="_self"'
    return f'<a href="{html.escape(url)}"{target}>{html.escape(text)}</a>'


def html_table(rows: Sequence[Mapping[str, Any]], links: Mapping[str, str | None] | None = None,
               max_height: str = "32rem") -> str:
    """``rows`` (dicts with the same keys) as a scrollable HTML table; columns in ``links`` hold URLs.

    ``links`` maps a column to the text its links show (``None``: the URL itself). A cell keeps its column in
    ``data-col``, so the table can be read back (:func:`read_table`). No rows: an empty string.
    """
    if not rows:
        return ""
    links = links or {}
    columns = list(rows[0])
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)

    def td(column: str, value: Any) -> str:
        inner = _link(str(value), links[column] or str(value)) if column in links and value else cell(value)
        return f'<td data-col="{html.escape(column)}">{inner}</td>'

    body = "".join("<tr>" + "".join(td(c, r.get(c)) for c in columns) + "</tr>" for r in rows)
    return (f'<div class="data-table" style="overflow:auto;max-height:{max_height}"><table><thead><tr>{head}'
            f"</tr></thead><tbody>{body}</tbody></table></div>")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str]] = []
        self._col: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append({})
        elif tag == "td":
            self._col = dict(attrs).get("data-col") or ""
            self.rows[-1][self._col] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._col = None

    def handle_data(self, data: str) -> None:
        if self._col is not None:
            self.rows[-1][self._col] += data


def read_table(markup: str) -> list[dict[str, str]]:
    """The rows of a table made by :func:`html_table`, as the text each cell shows.

    >>> read_table(html_table([{"a": 1, "b": "x"}, {"a": 2, "b": None}]))
    [{'a': '1', 'b': 'x'}, {'a': '2', 'b': ''}]
    """
    reader = _Reader()
    reader.feed(markup)
    return [r for r in reader.rows if r]
