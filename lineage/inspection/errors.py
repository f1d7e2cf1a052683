"""The errors inspection raises: each one a :class:`lineage.core.problems.LineageError` whose message says why.

>>> str(InspectionError("x.safetensors: the header is not JSON"))
'x.safetensors: the header is not JSON'
>>> issubclass(PickleRefused, InspectionError)
True
"""

from __future__ import annotations

from lineage.core.problems import LineageError


class InspectionError(LineageError):
    """A file that cannot be inspected: unknown format, corrupt, truncated, or over a size limit."""


class PickleRefused(InspectionError):
    """A Python pickle (``.ckpt``, ``.pt``, ``.bin``): opening it could run arbitrary code, so it is refused."""
