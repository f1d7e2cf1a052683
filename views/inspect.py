"""Inspect a file: drop a PNG, or give a server path to a weights file; see what it is, its lineage, verdicts."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from app.paths import MODELS_ENV, confine, folders
from lineage.core.problems import LineageError
from lineage.inspection import inspect_path
from lineage.inspection.dot import report_dot
from views._shared import load, table, title
from views._workflow import show_workflow

COLORS = {"yes": "green", "conditional": "orange", "unknown": "gray", "depends": "blue", "disputed": "violet",
          "no": "red"}
#: The report is written for the command line too; on this page its options are a checkbox.
WEB_WORDS = {"run with --hash": "tick “Compute the sha256 now”", "(--hash)": "(tick “Compute the sha256 now”)"}


def web(text: str) -> str:
    """A report note with command-line options put in this page's words."""
    for cli, words in WEB_WORDS.items():
        text = text.replace(cli, words)
    return text


g, _ = load()
title("Inspect a file", "Reads headers and metadata only: tensors are never loaded, and pickle files (.ckpt, .pt, "
      ".bin) are refused.")
roots = folders(MODELS_ENV)
choices = ["Upload a file"] + (["A weights file on the server"] if roots else [])
source = st.radio("What to inspect", choices, horizontal=True)
if not roots:
    st.caption(f"Reading files already on the server is off; the operator can allow folders with {MODELS_ENV}.")
report = None
try:
    if source.startswith("Upload"):
        upload = st.file_uploader("An image made by ComfyUI, AUTOMATIC1111 or this app, a ComfyUI workflow (JSON), "
                                  "or a small weights file (a LoRA)",
                                  type=["png", "json", "safetensors", "sft", "gguf"])
        if upload is not None:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / Path(upload.name).name
                path.write_bytes(upload.getvalue())
                if path.suffix.lower() == ".json":
                    show_workflow(path, g)
                else:
                    report = inspect_path(path, g, compute_hash=True).to_dict()  # uploads are small: hash them
                    if path.suffix.lower() == ".png":
                        show_workflow(path, g, quiet_if_none=True)
    else:
        st.caption("Allowed folders: " + ", ".join(f"`{r}`" for r in roots))
        text = st.text_input("Path on the server", placeholder=str(roots[0] / "diffusion_models" / "model.safetensors"))
        compute = st.checkbox("Compute the sha256 now (names the exact release; slow for big files)")
        if text.strip():
            path = confine(text, roots)
            report = inspect_path(path, g, compute_hash=compute).to_dict()
            if path.suffix.lower() in (".png", ".json"):
                show_workflow(path, g, quiet_if_none=True)
except LineageError as err:
    st.error(str(err))

if report is not None:
    size = f"{report['size']:,} bytes" if report.get("size") is not None else "size unknown"
    st.subheader(f"{report['file_name']}: {report['kind']} ({report['format']}, {size})")
    if report["sha256"]:
        st.caption(f"sha256 {report['sha256']} ({report['sha256_source']})")
    if report["file_match"]:
        m = report["file_match"]
        st.success(f"Release: **{g.nodes[m['node_id']]['name']}** ({m['node_id']}), matched by {m['matched_by']}"
                   + ("" if m["verified"] else " — not verified"))
    for warning in report["warnings"]:
        st.warning(web(warning))
    st.markdown("**Identified**")
    table([{"part": c["component"], "what": c["family"], "node": c["node_id"] or "not in the graph",
            "verified": c["verified"], "how": c["identified_by"], "where": c["where"], "file": c["file"] or "",
            "notes": web(" ".join(c["notes"]))} for c in report["components"]],
          f"{Path(report['file_name']).stem}-parts", "i_parts")
    if report["verdicts"]:
        st.markdown("**Verdicts**" + (f" for {report['subject']}" if report["subject"] else ""))
        for use, v in report["verdicts"].items():
            models = ", ".join(f"{m['name']}: {m['verdict']}" for m in v["models"])
            color = COLORS.get(v["verdict"], "gray")
            st.markdown(f"- **{use}** ({v['use_label']}): :{color}-background[{v['verdict']}]"
                        + (f" — {models}" if models else "") + "".join(f"  \n  {n}" for n in v["notes"]))
    st.markdown("**Lineage**")
    names = {n: g.nodes[n]["name"] for n in g.nodes}
    st.graphviz_chart(report_dot(report, names))
    for note in report["notes"]:
        st.info(web(note))
    with st.expander("Metadata and full report"):
        st.json({k: report[k] for k in ("metadata", "training", "lora", "image") if report.get(k)}, expanded=False)
        st.json(report, expanded=False)
    st.warning(report["disclaimer"], icon=":material/balance:")
