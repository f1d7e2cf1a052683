"""``lineage inspect PATH``: one library call (:func:`lineage.inspection.inspect_path`) plus formatting.

Registered lazily by :mod:`lineage.cli` (``LAZY_COMMANDS["inspect"]``). Errors are
:class:`lineage.core.problems.LineageError`, which the group prints as ``Error: ...`` with exit code 1.
"""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("inspect")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option("--hash", "compute_hash", is_flag=True,
              help="Compute the file's sha256 now (slow for big files); otherwise only a cached hash is used.")
def inspect(path: Path, as_json: bool, compute_hash: bool) -> None:
    """What is this weights file (.safetensors, .gguf) or PNG, where does it come from, what may I do with it?

    Reads headers and metadata only: never loads tensors, never unpickles (.ckpt/.pt/.bin are refused).
    """
    from lineage.inspection import inspect_path
    from lineage.inspection.format import format_report
    from lineage.printable import printable_data

    state = click.get_current_context().find_root().obj
    # names, metadata and file names come from an untrusted file: made printable before they are shown
    report = printable_data(inspect_path(path, state.graph, compute_hash=compute_hash).to_dict())
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(format_report(report))
