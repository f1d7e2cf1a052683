"""Render a scan (data first: :meth:`ScanResult.to_dict`) as a terminal table, CSV or one self-contained HTML page.

File names come from the folder being scanned and may hold newlines or terminal escape sequences: every
name is passed through :func:`clean` before it is printed, and HTML-escaped in the page. The HTML page makes
no external request (inline CSS and SVG, no scripts, no fonts).

>>> clean("evil\\x1b[31mname\\n.safetensors")
'evil\\\\x1b[31mname\\\\x0a.safetensors'
"""

from __future__ import annotations

import csv
import html
import io
from typing import Any

from lineage.answers.reasoner import DISCLAIMER
from lineage.core.schema import USES

SHORT = {"commercial-use": "commercial", "paid-service": "service", "sell-outputs": "sell-out",
         "train-on-outputs": "train", "make-derivatives": "make-der", "share-derivatives": "share-der",
         "sell-derivatives": "sell-der",
         "no-attribution": "no-attrib"}
VERDICT_SHORT = {"yes": "yes", "no": "NO", "conditional": "cond", "unknown": "unknown", "disputed": "disputed",
                 "depends": "depends"}
COLORS = {"yes": "#2e7d32", "conditional": "#ef6c00", "unknown": "#757575", "depends": "#5d4037",
          "disputed": "#8e24aa", "no": "#c62828"}
ORDER = ("yes", "conditional", "unknown", "depends", "disputed", "no")


def clean(text: Any) -> str:
    """``text`` with every non-printable character (newlines, ESC, bidi controls) shown as an escape."""
    return "".join(c if c.isprintable() else (f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}")
                   for c in str(text))


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def placed_as(f: dict[str, Any]) -> str:
    """One line: the curated release a file is, or the base its scanned node derives from."""
    p = f.get("placement") or {}
    if p.get("node"):
        return f"{p['node']}" + ("" if p.get("verified") else " (by name)" if "name" in str(p.get("matched_by"))
                                 else " (claimed)")
    if p.get("base"):
        return f"scanned, base {p['base']}"
    return "scanned, base unknown"


def format_table(scan: dict[str, Any], workflow: dict[str, Any] | None = None) -> str:
    """The terminal report: one table per kind, then refused, errors, skipped, the summary and the disclaimer."""
    out: list[str] = []
    files = scan["files"]
    kinds: dict[str, list[dict[str, Any]]] = {}
    for f in files:
        if f["status"] == "ok":
            kinds.setdefault(f["kind"], []).append(f)
    header = f"{'File':<34} {'Is':<28} " + " ".join(f"{SHORT[u]:<10}" for u in USES)
    for kind, rows in sorted(kinds.items()):
        out += ["", f"{kind} ({len(rows)})", header, "-" * len(header)]
        for f in rows:
            cells = " ".join(f"{VERDICT_SHORT[f['verdicts'][u]['verdict']]:<10}" for u in USES)
            out.append(f"{_cut(clean(f['name']), 34):<34} {_cut(clean(placed_as(f)), 28):<28} {cells}")
    for status, title in (("refused", "Refused (never opened)"), ("error", "Could not be read")):
        rows = [f for f in files if f["status"] == status]
        if rows:
            out += ["", f"{title} ({len(rows)})"]
            out += [f"  {clean(f['path'])}: {clean(f['reason'])}" for f in rows]
    if scan["skipped"]:
        out += ["", f"Skipped ({len(scan['skipped'])})"]
        out += [f"  {clean(s['path'])}: {clean(s['reason'])}" for s in scan["skipped"]]
    if workflow:
        out += ["", format_workflow(workflow)]
    s = scan["summary"]
    st = scan["stats"]
    out += ["", f"{s['files']} files: {s['judged']} judged, {s['refused']} refused, {s['errors']} unreadable, "
            f"{s['skipped']} skipped; {st['opened']} opened, {st['from_cache']} from the cache ({st['cache']}), "
            f"{st['seconds']} s."]
    sell = s["verdicts"]["sell-outputs"]
    out.append("sell-outputs: " + ", ".join(f"{sell[v]} {v}" for v in ORDER if sell.get(v)))
    out += ["Verdicts: the most restrictive of each file's own declared terms and what flows down from its base; "
            "a use no source states is unknown. `--json` has every reason and source.", DISCLAIMER]
    return "\n".join(out).lstrip("\n")


def format_workflow(w: dict[str, Any]) -> str:
    """The workflow's parts and the combined verdict per use, with the parts that decided."""
    out = [f"Workflow {clean(w['source'])} ({w['format']})"]
    for p in w["parts"]:
        strength = f" strength {p['strength']}" if p.get("strength") is not None else ""
        state = "" if p["active"] else " [muted/bypassed: not counted]"
        placed = placed_as(p) if p.get("placement") else "not found"
        out.append(f"  {p['role']:<16} {_cut(clean(p['name']), 40):<40} {clean(placed)} via {p['resolved_by']}"
                   f"{strength}{state}")
    for use in USES:
        v = w["verdicts"][use]
        out.append(f"  {use:<18} {v['verdict']:<12} decided by {', '.join(clean(d) for d in v['decided_by'])}")
    out += [f"  note: {n}" for n in w["notes"]]
    return "\n".join(out)


def format_csv(scan: dict[str, Any]) -> str:
    """One row per file: identification, placement, version assumed, and the verdict for every use."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["path", "name", "status", "reason", "kind", "role", "layout", "format", "identified",
                     "release", "matched_by", "base", "base_by", "version_assumed", "family", "sha256",
                     *USES, "sell_outputs_decided_by", "sidecars", "warnings"])
    for f in scan["files"]:
        p = f.get("placement") or {}
        verdicts = [f["verdicts"][u]["verdict"] if f["verdicts"] else "" for u in USES]
        decided = "; ".join(f["verdicts"]["sell-outputs"]["decided_by"]) if f["verdicts"] else ""
        row = [f["path"], f["name"], f["status"], f["reason"] or "", f["kind"], f["role"] or "", f["layout"],
               f["format"] or "", f["identified"] or "", p.get("node") or "", p.get("matched_by") or "",
               p.get("base") or "", p.get("base_by") or "", p.get("version") or "", f["family"] or "",
               f["sha256"] or "", *verdicts, decided, " ".join((f.get("declared") or {}).get("sidecars", [])),
               "; ".join(f["warnings"])]
        writer.writerow([_csv_safe(clean(c)) for c in row])
    return buf.getvalue()


def _csv_safe(text: str) -> str:
    """A cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) gets a leading quote."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _bar_chart(title: str, rows: list[tuple[str, dict[str, int]]]) -> str:
    """An inline SVG of stacked horizontal bars, one per row, coloured by verdict."""
    width, label_w, row_h = 760, 190, 22
    total_max = max((sum(c.values()) for _, c in rows), default=1) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{row_h * len(rows) + 30}" '
             f'role="img" aria-label="{html.escape(title)}">']
    for i, (label, counts) in enumerate(rows):
        y = 8 + i * row_h
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{html.escape(_cut(label, 28))}</text>')
        x = float(label_w)
        for verdict in ORDER:
            n = counts.get(verdict, 0)
            if not n:
                continue
            w = (width - label_w - 60) * n / total_max
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{max(w, 1):.1f}" height="{row_h - 6}" '
                         f'fill="{COLORS[verdict]}"><title>{verdict}: {n}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}" font-size="11">{sum(counts.values())}</text>')
    parts.append("</svg>")
    return "".join(parts)


def format_html(scan: dict[str, Any], workflow: dict[str, Any] | None = None) -> str:
    """One self-contained HTML page: summary charts (files per verdict per use, per base family) and every file."""
    s = scan["summary"]
    files = scan["files"]
    judged = [f for f in files if f["status"] == "ok"]
    families: dict[str, dict[str, int]] = {}
    for f in judged:
        counts = families.setdefault(f["family"] or "unknown", {})
        verdict = f["verdicts"]["sell-outputs"]["verdict"]
        counts[verdict] = counts.get(verdict, 0) + 1
    e = html.escape
    legend = " ".join(f'<span class="v" style="background:{COLORS[v]}">{v}</span>' for v in ORDER)
    out = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
           "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'\">",
           "<title>lineage scan report</title><style>",
           "body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;font-size:13px}",
           "td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top}th{background:#eee}",
           ".v{color:#fff;padding:1px 5px;border-radius:3px;font-size:12px}details{font-size:12px}",
           "</style></head><body>",
           "<h1>Which of my models may I use, and how?</h1>",
           f"<p>Scanned {e(', '.join(scan['roots']))}: {s['files']} files, {s['judged']} judged, {s['refused']} "
           f"refused (pickles, never opened), {s['errors']} unreadable, {s['skipped']} skipped.</p>",
           f"<h2>Files per verdict, per use</h2><p>{legend}</p>",
           _bar_chart("files per verdict per use", [(u, s["verdicts"][u]) for u in USES]),
           "<h2>Files per base family (sell-outputs)</h2>",
           _bar_chart("files per base family", sorted(families.items(), key=lambda kv: -sum(kv[1].values()))[:30])]
    if workflow:
        out.append(f"<h2>Workflow</h2><pre>{e(format_workflow(workflow))}</pre>")
    out.append("<h2>Files</h2><table><tr><th>File</th><th>Kind</th><th>Is</th><th>Version assumed</th>"
               + "".join(f"<th>{u}</th>" for u in USES) + "</tr>")
    for f in judged:
        cells = "".join(
            f'<td><span class="v" style="background:{COLORS[f["verdicts"][u]["verdict"]]}">'
            f'{f["verdicts"][u]["verdict"]}</span><details><summary>why</summary>'
            + "<br>".join(e(f"{p['part']}: {p['verdict']} — {p['why']} {p.get('source') or ''}")
                          for p in f["verdicts"][u]["parts"]) + "</details></td>" for u in USES)
        out.append(f"<tr><td title='{e(f['path'])}'>{e(clean(f['name']))}</td><td>{e(f['kind'])}</td>"
                   f"<td>{e(placed_as(f))}</td><td>{e(clean((f['placement'] or {}).get('version', '')))}</td>"
                   f"{cells}</tr>")
    out.append("</table>")
    others = [f for f in files if f["status"] != "ok"]
    if others or scan["skipped"]:
        out.append("<h2>Refused, unreadable and skipped</h2><ul>")
        out += [f"<li>{e(clean(f['path']))}: {e(clean(f['reason']))}</li>" for f in others]
        out += [f"<li>{e(clean(x['path']))}: {e(x['reason'])}</li>" for x in scan["skipped"]]
        out.append("</ul>")
    out.append(f"<p><small>{e(DISCLAIMER)}</small></p></body></html>")
    return "\n".join(out)
