"""Inspect a weights file or an image: what it is, where it comes from, and what may be done with it.

The readers here never load tensors, never unpickle, and never let an image library decode pixels:
they read headers and metadata chunks within fixed size limits, and refuse anything else with an
:class:`~lineage.inspection.errors.InspectionError`. :func:`inspect_path` is the entry point.
"""

from lineage.inspection.dispatch import inspect_path
from lineage.inspection.errors import InspectionError, PickleRefused
from lineage.inspection.report import InspectionReport

__all__ = ["InspectionError", "InspectionReport", "PickleRefused", "inspect_path"]
