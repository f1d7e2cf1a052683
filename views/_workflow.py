"""A ComfyUI workflow (JSON, or a PNG ComfyUI saved) judged as one combination, shown the same way on the
Inspect and My models pages: per use, the most restrictive verdict over every model file it loads."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import streamlit as st

from lineage.answers.reasoner import USE_LABELS
from lineage.core.problems import LineageError
from lineage.scan import ScanStore
from lineage.scan.verdicts import Judge
from lineage.scan.workflow import judge_workflow
from views._shared import table


def show_workflow(path: Path, graph: nx.MultiDiGraph, quiet_if_none: bool = False) -> None:
    """Judge the workflow in ``path`` (files resolved against earlier scans and the data) and show the answer.

    ``quiet_if_none``: show nothing when ``path`` holds no ComfyUI graph (a PNG from another tool).
    """
    try:
        with ScanStore() as store:
            wf = judge_workflow(path, graph, Judge(graph), store=store).to_dict()
    except LineageError as err:
        if not quiet_if_none:
            st.error(str(err))
        return
    st.markdown("**May I use images made with this workflow?** The most restrictive answer over every model "
                "file it loads.")
    table([{"use": USE_LABELS.get(u, u), "verdict": v["verdict"], "decided by": ", ".join(v["decided_by"])}
           for u, v in wf["verdicts"].items()], "workflow-verdicts", f"w_verdicts_{path.stem}")
    table([{"role": p["role"], "file": p["name"], "strength": p["strength"], "active": p["active"],
            "found": p["resolved_by"]} for p in wf["parts"]], "workflow-files", f"w_files_{path.stem}")
    for note in wf["notes"]:
        st.info(note)
