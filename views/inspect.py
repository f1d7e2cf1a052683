"""Inspect a file: drop a PNG, or give a server path to a weights file; see what it is, its lineage, verdicts."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from lineage.inspection import inspect_path
from lineage.inspection.dot import report_dot
from lineage.problems import LineageError
from views._shared import load

COLORS = {"yes": "green", "conditional": "orange", "unknown": "gray", "disputed": "violet", "no": "red"}

g, _ = load()
st.title("Inspect a file")
st.caption("Reads headers and metadata only: tensors are never loaded, pickles (.ckpt/.pt/.bin) are refused.")
source = st.radio("What to inspect", ["Upload an image (PNG)", "A weights file on the server"], horizontal=True)
report = None
try:
    if source.startswith("Upload"):
        upload = st.file_uploader("PNG made by ComfyUI, AUTOMATIC1111 or this app", type=["png"])
        if upload is not None:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / Path(upload.name).name
                path.write_bytes(upload.getvalue())
                report = inspect_path(path, g).to_dict()
    else:
        text = st.text_input("Path on the server", placeholder="/models/diffusion_models/anima-base-v1.0.safetensors")
        compute = st.checkbox("Compute the sha256 now (names the exact release; slow for big files)")
        if text.strip():
            report = inspect_path(Path(text.strip()).expanduser(), g, compute_hash=compute).to_dict()
except LineageError as err:
    st.error(str(err))

if report is not None:
    st.subheader(f"{report['file_name']}: {report['kind']} ({report['format']}, {report['size']:,} bytes)")
    if report["sha256"]:
        st.caption(f"sha256 {report['sha256']} ({report['sha256_source']})")
    if report["file_match"]:
        m = report["file_match"]
        st.success(f"Release: **{g.nodes[m['node_id']]['name']}** ({m['node_id']}), matched by {m['matched_by']}"
                   + ("" if m["verified"] else " — not verified"))
    for warning in report["warnings"]:
        st.warning(warning)
    st.markdown("**Identified**")
    st.dataframe([{"part": c["component"], "what": c["family"], "node": c["node_id"] or "not in the graph",
                   "verified": c["verified"], "how": c["identified_by"], "where": c["where"], "file": c["file"] or "",
                   "notes": " ".join(c["notes"])} for c in report["components"]], hide_index=True)
    if report["verdicts"]:
        st.markdown("**Verdicts**" + (f" for {report['subject']}" if report["subject"] else ""))
        for use, v in report["verdicts"].items():
            models = ", ".join(f"{m['name']}: {m['verdict']}" for m in v["models"])
            st.markdown(f"- **{use}** ({v['use_label']}): :{COLORS[v['verdict']]}-background[{v['verdict']}]"
                        + (f" — {models}" if models else "") + "".join(f"  \n  {n}" for n in v["notes"]))
    st.markdown("**Lineage**")
    names = {n: g.nodes[n]["name"] for n in g.nodes}
    st.graphviz_chart(report_dot(report, names))
    for note in report["notes"]:
        st.info(note)
    with st.expander("Metadata and full report"):
        st.json({k: report[k] for k in ("metadata", "training", "lora", "image") if report.get(k)}, expanded=False)
        st.json(report, expanded=False)
    st.warning(report["disclaimer"], icon=":material/balance:")
