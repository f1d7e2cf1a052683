"""``lineage scan PATH... [--workflow FILE]`` and ``lineage bom NAME``: thin click layers over :mod:`lineage.scan`.

Registered lazily by :mod:`lineage.cli` (``LAZY_COMMANDS``). The exit code is 0 when the scan ran, even when
files were refused or unreadable (they are listed); 1 for a workflow that cannot be read; 2 for bad usage.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


def _bom_module(fmt: str = "cyclonedx"):
    try:
        if fmt == "spdx":
            from lineage.scan import spdx as module
        else:
            from lineage.scan import bom as module
    except ImportError as err:
        raise click.ClickException(f"{'SPDX' if fmt == 'spdx' else 'CycloneDX'} output needs {err.name!r}; "
                                   "install it with: pip install -e '.[scan]'") from None
    return module


def _write(text: str, target: str, option: str = "--out") -> None:
    from lineage.safe_write import write_text_atomic

    if target == "-":
        click.echo(text)
    else:
        write_text_atomic(target, text, option)
        click.echo(f"Wrote {target}", err=True)


@click.command("scan")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--workflow", "workflow", type=click.Path(path_type=Path), default=None,
              help="A ComfyUI workflow (UI or API JSON) or a PNG ComfyUI saved: judge the files it loads together.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as one JSON object.")
@click.option("--csv", "as_csv", is_flag=True, help="Print one CSV row per file.")
@click.option("--html", "html_out", type=click.Path(), default=None,
              help="Write a self-contained HTML report (with summary charts) to this file.")
@click.option("--cyclonedx", "bom_out", type=click.Path(), default=None,
              help="Write a CycloneDX 1.6 ML-BOM of the scan (or the workflow) to this file ('-' for stdout).")
@click.option("--spdx", "spdx_out", type=click.Path(), default=None,
              help="Write an SPDX 2.3 JSON document of the scan (or the workflow) to this file ('-' for stdout).")
@click.option("--cache", "cache", type=click.Path(path_type=Path), default=None,
              help="The scan cache (SQLite). Default: $LINEAGE_CACHE_DIR/scan.sqlite, else "
                   "~/.cache/lineage/scan.sqlite.")
@click.option("--rehash", is_flag=True, help="Ignore the cache: read every file again.")
@click.option("--hash", "compute_hash", is_flag=True,
              help="Compute each file's sha256 (slow for big files; names the exact release).")
def scan(paths: tuple[Path, ...], workflow: Path | None, as_json: bool, as_csv: bool, html_out: str | None,
         bom_out: str | None, cache: Path | None, rehash: bool, compute_hash: bool,
         spdx_out: str | None = None) -> None:
    """Which of my models (and workflows) may I use, and how? Scan model folders and judge every file.

    Walks ComfyUI, AUTOMATIC1111/Forge, InvokeAI and Hugging Face cache layouts (any folder works), reads
    safetensors/GGUF headers and the sidecars beside them (Civitai .civitai.info/.json/.metadata.json, HF
    README front matter), and gives each file a verdict per use. Pickles are listed as refused, never opened.
    A permission no source states is unknown, never allowed.
    """
    from lineage.scan.report import format_csv, format_html, format_table, format_workflow
    from lineage.scan.run import scan_paths
    from lineage.scan.store import ScanStore
    from lineage.scan.verdicts import Judge
    from lineage.scan.workflow import judge_workflow

    if not paths and workflow is None:
        raise click.UsageError("give at least one folder or file to scan, or --workflow FILE")
    if sum([as_json, as_csv, bom_out == "-", spdx_out == "-"]) > 1:
        raise click.UsageError("--json, --csv, --cyclonedx - and --spdx - all print to stdout; choose one")
    from lineage.safe_write import check_output_path

    for option, target in (("--html", html_out), ("--cyclonedx", bom_out), ("--spdx", spdx_out)):
        if target and target != "-":
            check_output_path(target, option)  # before the scan: a bad path fails fast
    graph = click.get_current_context().find_root().obj.graph
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="Scanning", file=sys.stderr)
            bar.__enter__()
        bar.update(1)

    with ScanStore(cache) as store:
        result = scan_paths(list(paths), graph, store, rehash=rehash, compute_hash=compute_hash, progress=progress)
        if bar is not None:
            bar.__exit__(None, None, None)
        wf = judge_workflow(workflow, graph, Judge(graph), result, store).to_dict() if workflow else None
    data = result.to_dict()
    if wf is not None:
        data["workflow"] = wf
    if html_out:
        _write(format_html(data, wf), html_out, "--html")
    if bom_out:
        bom = _bom_module()
        _write(bom.workflow_bom(graph, wf) if wf is not None else bom.scan_bom(graph, data), bom_out, "--cyclonedx")
    if spdx_out:
        spdx = _bom_module("spdx")
        _write(spdx.workflow_spdx(graph, wf) if wf is not None else spdx.scan_spdx(graph, data), spdx_out, "--spdx")
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, default=str))  # one line: 10k files make megabytes
    elif as_csv:
        click.echo(format_csv(data), nl=False)
    elif "-" not in (bom_out, spdx_out):
        click.echo(format_table(data, wf) if paths else format_workflow(wf or {}))


@click.command("bom")
@click.argument("name")
@click.option("--out", type=click.Path(), default="-", help="Write to this file instead of stdout.")
@click.option("--format", "fmt", type=click.Choice(["cyclonedx", "spdx"]), default="cyclonedx", show_default=True,
              help="CycloneDX 1.6 ML-BOM, or SPDX 2.3 JSON.")
def bom(name: str, out: str, fmt: str = "cyclonedx") -> None:
    """A CycloneDX 1.6 ML-BOM (or SPDX 2.3 document) of one model: its licenses, parts, hashes and ancestors."""
    from lineage.core.resolve import resolve
    from lineage.inspection.match import MODEL_KINDS

    graph = click.get_current_context().find_root().obj.graph
    node = resolve(graph, name, MODEL_KINDS)
    module = _bom_module(fmt)
    _write(module.model_spdx(graph, node) if fmt == "spdx" else module.model_bom(graph, node), out)
