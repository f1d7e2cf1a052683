"""Which server folders the app may read or write: only those the operator names, never any path typed in.

``LINEAGE_MODELS_DIR`` (colon-separated folders) is where the Inspect page may read weights files;
``LINEAGE_OUTPUTS_DIR`` (colon-separated; default ``~/lineage-outputs``) is where Generate may write images.

>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> confine(str(root / "a.safetensors"), [root]) == (root / "a.safetensors").resolve()
True
>>> confine("/etc/passwd", [root])
Traceback (most recent call last):
...
lineage.core.problems.LineageError: /etc/passwd is outside the folders this server may read ...
"""

from __future__ import annotations

import os
from pathlib import Path

from lineage.core.problems import LineageError

MODELS_ENV = "LINEAGE_MODELS_DIR"
OUTPUTS_ENV = "LINEAGE_OUTPUTS_DIR"


def folders(env: str, default: list[Path] | None = None) -> list[Path]:
    """The folders named in ``$env`` (colon-separated, ``~`` expanded, resolved), else ``default``.

    >>> os.environ["X_TEST_DIRS"] = "/tmp:/nonexistent"
    >>> [str(p) for p in folders("X_TEST_DIRS")]
    ['/tmp', '/nonexistent']
    """
    text = os.environ.get(env, "")
    named = [Path(p).expanduser().resolve() for p in text.split(os.pathsep) if p.strip()]
    return named or list(default or [])


def confine(text: str, roots: list[Path], what: str = "read") -> Path:
    """``text`` as a resolved path inside one of ``roots``, or a one-line error that says what to do.

    Symlinks and ``..`` are resolved first, so neither leads outside.
    """
    if not roots:
        raise LineageError(f"Reading files on the server is switched off. Upload the file instead, or ask the "
                           f"operator to start the app with {MODELS_ENV}=/path/to/models.")
    path = Path(text.strip()).expanduser().resolve()
    if not any(path == root or path.is_relative_to(root) for root in roots):
        env = MODELS_ENV if what == "read" else OUTPUTS_ENV
        raise LineageError(f"{text.strip()} is outside the folders this server may {what} "
                           f"({', '.join(map(str, roots))}). Pick a file inside them, or ask the operator to add "
                           f"its folder to {env}.")
    return path
