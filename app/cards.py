"""HTML pieces that put the verdict first: chips, the model page's verdict card, the answer banner.

Plain strings (rendered with ``st.html``), so they are testable without a browser. Links are relative to the
app's root (``can-i?...``, ``model?...``), so they work on any host and base path.

>>> chip("no").startswith('<span class="verdict" style="background:#c62828;color:#fff;'), chip("no")[-9:]
(True, 'no</span>')
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import networkx as nx

from app.viz import EDGE_WORDS, VERDICT_COLORS, VERDICT_WORDS
from lineage.answers.reasoner import USE_LABELS, Answer

_DARK_TEXT = {"conditional", "unknown"}
_CHIP = "padding:.15em .6em;border-radius:.8em;font-weight:600;white-space:nowrap"


def chip(verdict: str, big: bool = False) -> str:
    """A coloured verdict label; ``big`` for the answer banner."""
    color = "#222" if verdict in _DARK_TEXT else "#fff"
    size = ";font-size:1.6rem;padding:.2em .8em" if big else ""
    out = (f'<span class="verdict" style="background:{VERDICT_COLORS.get(verdict, "#9e9e9e")};color:{color};'
           f'{_CHIP}{size}">{html.escape(verdict)}</span>')
    return out


def chip_css(scope: str) -> str:
    """CSS that draws ``<a class="v v-no">`` inside ``scope`` as :func:`chip` draws a verdict, for big tables
    (one rule per verdict instead of the same inline style in every cell).

    >>> ".m .v-no{background:#c62828;color:#fff}" in chip_css(".m")
    True
    """
    rules = "".join(f"{scope} .v-{v}{{background:{c};color:{'#222' if v in _DARK_TEXT else '#fff'}}}"
                    for v, c in VERDICT_COLORS.items())
    return f"<style>{scope} .v{{{_CHIP};text-decoration:none}}{rules}</style>"


def sentence(text: str) -> str:
    """``text`` with its first letter in upper case (the rest untouched, unlike ``str.capitalize``).

    >>> sentence("offer it as an API")
    'Offer it as an API'
    """
    return text[:1].upper() + text[1:]


def link(page: str, text: str, **params: str) -> str:
    """An app-relative link: ``link("model", "Anima", model="anima")``.

    >>> link("model", "A & B", model="a b")
    '<a href="model?model=a+b" target="_self">A &amp; B</a>'
    """
    return f'<a href="{page}?{html.escape(urlencode(params))}" target="_self">{html.escape(text)}</a>'


def how_words(graph: nx.MultiDiGraph, how: str, path: list[str]) -> str:
    """How a license reaches the model, in words.

    >>> from lineage.core.graph import load_graph
    >>> how_words(load_graph(), "component", ["anima-preview", "qwen-image-vae"])
    'through its part Qwen-Image VAE'
    """
    end = graph.nodes[path[-1]]["name"] if path and path[-1] in graph else ""
    if how == "own":
        return "its own license"
    if how == "component":
        return f"through its part {end}"
    return f"inherited from {end}"


def reason_line(graph: nx.MultiDiGraph, answer: Answer) -> str:
    """One plain-English sentence: the verdict and what decided it.

    >>> from lineage.core.graph import load_graph
    >>> from lineage.answers.reasoner import can_i
    >>> reason_line(load_graph(), can_i(load_graph(), "anima-preview", "commercial-use"))[:60]
    'No: CircleStone Labs Non-Commercial License v1.0 (its own li'
    """
    decisive = [r for r in answer.reasons if r.decisive]
    if not answer.reasons:
        return "Unknown: no license is recorded for this model or its parts, so nothing can be said."
    first = decisive[0] if decisive else answer.reasons[0]
    who = f"{first.license_name} ({how_words(graph, first.how, first.path)})"
    others = len({r.license for r in decisive}) - 1
    more = f" and {others} other license{'s' if others > 1 else ''}" if others > 0 else ""
    quote = first.clause if len(first.clause) <= 160 else first.clause[:157] + "…"
    start = {"yes": "Yes", "no": "No", "conditional": "Yes, with conditions", "unknown": "Unknown",
             "depends": "It depends on the release",
             "disputed": "Disputed: the sources disagree"}.get(answer.verdict, answer.verdict)
    verb = {"yes": "allow it", "no": "do not allow it", "conditional": "allow it on conditions",
            "unknown": "leave it unclear", "depends": "differ between releases",
            "disputed": "are read both ways"}.get(answer.verdict, "decide")
    if not more:  # one license: "allows", several: "allow"
        verb = {"allow it": "allows it", "do not allow it": "does not allow it", "allow it on conditions":
                "allows it on conditions", "leave it unclear": "leaves it unclear", "differ between releases":
                "differs between releases", "are read both ways":
                "is read both ways"}.get(verb, verb)
    return f"{start}: {who}{more} {verb}: “{quote}”"


def license_url(graph: nx.MultiDiGraph, license_id: str) -> str:
    """Where a license's text is (its ``url``), else its page in the app.

    >>> from lineage.core.graph import load_graph
    >>> from app.viz import MINI
    >>> license_url(load_graph(MINI), "nc-lic")
    'https://example.org/nc'
    """
    record = graph.nodes[license_id].get("record")
    return getattr(record, "url", None) or f"model?model={license_id}"


def plain(graph: nx.MultiDiGraph, text: str) -> str:
    """A reasoner note in plain words: relation ids become words, node ids become names.

    >>> from lineage.core.graph import load_graph
    >>> plain(load_graph(), "cosmos-predict2-2b-t2i architecture_derived_from cosmos-predict1.")
    'Cosmos-Predict2-2B-Text2Image built on the architecture of Cosmos-Predict1.'
    """
    for key, words in EDGE_WORDS.items():
        text = re.sub(rf"\b{key}\b", words, text)
    ids = sorted((n for n in graph.nodes if len(n) > 3), key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-]|\.\w)")
    return pattern.sub(lambda m: graph.nodes[m.group(1)]["name"], text)


def verdict_card(graph: nx.MultiDiGraph, node: str, answers: dict[str, Answer]) -> str:
    """The model page's verdict card: each use with its coloured verdict, the deciding licenses linked to their
    text, and a link to the full answer.

    >>> from lineage.core.graph import load_graph
    >>> from lineage.answers.reasoner import verdict_table
    >>> g = load_graph()
    >>> card = verdict_card(g, "anima-preview", verdict_table(g, "anima-preview"))
    >>> card.count('class="verdict"') == len(USE_LABELS), "can-i?model=anima-preview" in card
    (True, True)
    """
    rows = []
    for use, a in answers.items():
        licenses = ", ".join(
            f'<a href="{html.escape(license_url(graph, x))}" target="_blank">'
            f'{html.escape(graph.nodes[x]["name"])}</a>' for x in a.deciding) or "no license recorded"
        rows.append(
            f'<tr><td style="padding:.3em .6em">{chip(a.verdict)}</td>'
            f'<td style="padding:.3em .6em"><b>{html.escape(sentence(USE_LABELS.get(use, use)))}</b><br>'
            f'<small>decided by {licenses} · {link("can-i", "why?", model=node, use=use)}</small></td></tr>')
    worst = max((a.verdict for a in answers.values()), key=list(VERDICT_COLORS).index, default="unknown")
    return (f'<div class="verdict-card" style="border:3px solid {VERDICT_COLORS.get(worst, "#9e9e9e")};'
            f'border-radius:.6em;padding:.4em .6em;margin-bottom:.5em;overflow-x:auto">'
            f'<div style="font-weight:700;margin:.2em .6em">May I…</div><table style="border-collapse:collapse">'
            + "".join(rows) + "</table></div>")


_BOX = "display:inline-block;padding:.2em .6em;border:1px solid #bbb;border-radius:.5em;margin:.15em 0"


def answer_paths(answer: Answer, names: dict[str, str]) -> str:
    """How the deciding licenses reach the model, one line per path, boxes with names and relations in words
    (the same paths as :func:`app.viz.answer_dot`, drawn in HTML: no graph renderer to load).

    >>> from lineage.core.graph import load_graph
    >>> from lineage.answers.reasoner import can_i
    >>> g = load_graph()
    >>> out = answer_paths(can_i(g, "anima-preview", "sell-outputs"), {n: g.nodes[n]["name"] for n in g})
    >>> "Qwen-Image VAE" in out and "uses the VAE" in out and "licensed: yes" in out
    True
    """
    reasons = [r for r in answer.reasons if r.decisive] or answer.reasons
    lines: list[str] = []
    for r in reasons:
        hops = [h for h in r.edges if h != "inherited"]
        parts = []
        for i, node in enumerate(r.path):
            fill = "#cfe2ff" if node == answer.model else "#f3f3f3"
            parts.append(f'<span style="{_BOX};background:{fill}">{html.escape(names.get(node, node))}</span>')
            if i < len(r.path) - 1:
                word = EDGE_WORDS.get(hops[i], hops[i]) if i < len(hops) else ""
                parts.append(f'<span style="color:#555;font-size:.85rem"> — {html.escape(word)} → </span>')
        color = VERDICT_COLORS.get(r.verdict, "#9e9e9e")
        text = "#222" if r.verdict in _DARK_TEXT else "#fff"
        parts.append(f'<span style="color:#555;font-size:.85rem"> — licensed: {html.escape(r.verdict)} → </span>'
                     f'<span style="{_BOX};background:{color};color:{text};border-color:{color}">'
                     f"{html.escape(r.license_name)}</span>")
        line = "<div>" + "".join(parts) + "</div>"
        if line not in lines:
            lines.append(line)
    return '<div class="answer-path" style="line-height:2">' + "".join(lines) + "</div>"


def banner(graph: nx.MultiDiGraph, answer: Answer) -> str:
    """The Can-I page's banner: a large verdict and the one-line reason, on the verdict's colour.

    >>> from lineage.core.graph import load_graph
    >>> from lineage.answers.reasoner import can_i
    >>> g = load_graph()
    >>> "answer-banner" in banner(g, can_i(g, "flux1-schnell", "sell-outputs"))
    True
    """
    color = VERDICT_COLORS.get(answer.verdict, "#9e9e9e")
    return (f'<div class="answer-banner" style="border-left:.6em solid {color};background:{color}22;'
            f'padding:.8em 1em;border-radius:.4em;margin:.4em 0 1em">'
            f'<div style="font-size:1.1rem">May I {html.escape(USE_LABELS.get(answer.use, answer.use))} with '
            f'<b>{html.escape(answer.model_name)}</b>?</div>'
            f'<div style="margin:.4em 0">{chip(answer.verdict, big=True)} '
            f'<span style="margin-left:.5em">{html.escape(VERDICT_WORDS.get(answer.verdict, ""))}</span></div>'
            f'<div>{html.escape(reason_line(graph, answer))}</div></div>')
