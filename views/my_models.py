"""My models: scan the folders the operator configured (LINEAGE_MODELS_DIR) and judge every file and workflow."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from app.paths import MODELS_ENV, confine, folders
from lineage.core.problems import LineageError
from lineage.core.schema import USES
from lineage.scan import ScanStore, scan_paths
from lineage.scan.report import ORDER, format_csv, format_html, placed_as
from views._shared import done, load, table, title
from views._workflow import show_workflow

g, _ = load()
title("My models", "Which of my models and workflows may I use, and how? Headers and sidecars only: tensors are "
      "never loaded, pickles are refused. A permission no source states is unknown, never allowed.")
roots = [r for r in folders(MODELS_ENV) if r.is_dir()]
if not roots:
    st.info(f"No model folder is configured. Start the app with `{MODELS_ENV}=/path/to/ComfyUI/models` (several "
            "folders separated by `:`); only those folders can be scanned from here.")
    done()
folder = st.selectbox("Folder", [str(r) for r in roots])
sub = st.text_input("Only this sub-folder (optional)", placeholder="loras")
target = Path(folder) / sub.strip() if sub.strip() else Path(folder)
try:
    target = confine(str(target), roots)
except LineageError as err:
    st.error(str(err))
    done()
rehash = st.checkbox("Read every file again (ignore the scan cache)")
if st.button("Scan", type="primary"):
    with ScanStore() as store, st.spinner("Scanning…"):
        st.session_state["my_models"] = scan_paths([target], g, store, rehash=rehash).to_dict()
scan = st.session_state.get("my_models")
if scan is None:
    done()

s = scan["summary"]
cols = st.columns(4)
for col, (label, value) in zip(cols, [("files", s["files"]), ("judged", s["judged"]), ("refused", s["refused"]),
                                      ("unreadable", s["errors"])], strict=True):
    col.metric(label, value)
use = st.selectbox("Use", USES, index=USES.index("sell-outputs"))
counts = s["verdicts"][use]
st.bar_chart({v: [counts.get(v, 0)] for v in ORDER}, horizontal=True, stack=True)
table([{"file": f["name"], "kind": f["kind"], "is": placed_as(f), use: f["verdicts"][use]["verdict"],
        "decided by": "; ".join(f["verdicts"][use]["decided_by"]),
        "version assumed": (f["placement"] or {}).get("version")}
       for f in scan["files"] if f["status"] == "ok"], f"lineage-scan-{use}", "s_files")
problems = [f"{f['name']}: {f['reason']}" for f in scan["files"] if f["status"] != "ok"]
problems += [f"{x['path']}: {x['reason']}" for x in scan["skipped"]]
if problems:
    with st.expander(f"Refused, unreadable or skipped ({len(problems)})"):
        st.text("\n".join(problems))
left, right = st.columns(2)
left.download_button("HTML report", format_html(scan), "lineage-scan.html", "text/html")
right.download_button("CSV", format_csv(scan), "lineage-scan.csv", "text/csv")

st.subheader("A workflow")
upload = st.file_uploader("ComfyUI workflow (JSON) or a PNG ComfyUI saved", type=["json", "png"])
if upload is not None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        show_workflow(path, g)
