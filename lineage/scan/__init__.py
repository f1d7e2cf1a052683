"""Scan model folders: which of my models (and workflows) may I use, and how?

The stages read as the data flow: :mod:`~lineage.scan.walk` (find files, stat only) ->
:mod:`~lineage.scan.sidecars` and :mod:`~lineage.scan.facts` (what a file is and declares, cached in
:mod:`~lineage.scan.store`) -> :mod:`~lineage.scan.place` (where it sits in the graph) ->
:mod:`~lineage.scan.verdicts` (per use, fail closed) -> :mod:`~lineage.scan.report` and
:mod:`~lineage.scan.bom` and :mod:`~lineage.scan.spdx` (terminal, CSV, HTML, CycloneDX, SPDX; both bills of
materials read :mod:`~lineage.scan.sbom_walk`). :mod:`~lineage.scan.workflow` judges a ComfyUI
workflow's files together; :mod:`~lineage.scan.synth` makes synthetic folders for tests and benchmarks.
:func:`scan_paths` is the entry point.
"""

from lineage.scan.run import FileResult, ScanResult, scan_paths
from lineage.scan.store import ScanStore, default_store_path

__all__ = ["FileResult", "ScanResult", "ScanStore", "default_store_path", "scan_paths"]
