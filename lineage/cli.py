"""The ``lineage`` command line: a thin layer over the library (one library call per command, plus formatting).

Exit codes: 0 success, 1 an unknown name or invalid data, 2 a usage error. ``--json`` always prints one JSON
object on stdout; errors go to stderr.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click
import networkx as nx

from lineage import __version__
from lineage.problems import DataError, LineageError
from lineage.resolve import AmbiguousName, UnknownName, resolve
from lineage.schema import USES

MODEL_KINDS = {"model", "family", "text_encoder", "denoiser", "vae", "adapter", "tokenizer", "guardrail"}


class State:
    """Per-invocation state: the data path and the graph, loaded on first use."""

    def __init__(self, data: Path | None):
        self.data = data
        self._graph: nx.MultiDiGraph | None = None

    @property
    def graph(self) -> nx.MultiDiGraph:
        if self._graph is None:
            from lineage.graph import load_graph

            self._graph = load_graph(self.data)
        return self._graph


def fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def emit_json(obj: Any) -> None:
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False, default=str))


def _resolve(state: State, name: str, kinds: set[str] | None = MODEL_KINDS) -> str:
    try:
        return resolve(state.graph, name, kinds)
    except (UnknownName, AmbiguousName) as err:
        fail(str(err))


#: Commands whose modules need optional extras; imported only when asked for, so the graph commands stay fast.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "generate": ("inference.cli", "generate"),
    "gallery": ("inference.cli", "gallery"),
    "samples": ("inference.cli", "samples"),
    "inspect": ("lineage.inspection.cli", "inspect"),
}


class LineageGroup(click.Group):
    """Turns library errors into clear messages instead of tracebacks; loads optional commands lazily."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None or cmd_name not in LAZY_COMMANDS:
            return command
        module_name, attr = LAZY_COMMANDS[cmd_name]
        try:
            import importlib

            return getattr(importlib.import_module(module_name), attr)
        except ImportError as err:
            hint = "pip install -e '.[inference]'" if module_name.startswith("inference") else "reinstall lineage"
            message = f"`lineage {cmd_name}` needs missing packages ({err}); {hint}"
            return click.Command(cmd_name, help=f"Unavailable: {err}", callback=lambda: fail(message))

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DataError as err:
            click.echo("Error: the data does not validate; run `lineage validate` for details:", err=True)
            for problem in err.problems[:20]:
                click.echo(f"  {problem}", err=True)
            sys.exit(1)
        except LineageError as err:
            fail(str(err))
        except ModuleNotFoundError as err:  # an optional extra (torch, diffusers, c2pa...) is not installed
            fail(f"this command needs the package {err.name!r}, which is not installed; "
                 "install the extras with: .venv/bin/pip install -e '.[inference]'")


@click.group(cls=LineageGroup)
@click.option("--data", type=click.Path(path_type=Path), default=None,
              help="Data file to use instead of the shipped data/models.yaml.")
@click.version_option(__version__, prog_name="lineage")
@click.pass_context
def main(ctx: click.Context, data: Path | None) -> None:
    """Where does an image model come from, and what may I do with it?"""
    ctx.obj = State(data)


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the problems as one JSON object.")
@click.pass_obj
def validate(state: State, path: Path | None, as_json: bool) -> None:
    """Check the data: references, ids, aliases, cycles, dates, sources. Exit 1 on problems."""
    from lineage.load import load
    from lineage.validate import validate as run_rules

    result = load(path or state.data)
    problems = result.problems + run_rules(result)
    if as_json:
        emit_json({"ok": not problems, "files": result.files, "problems": [p.to_dict() for p in problems]})
    elif problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(problems)} problem(s) found.", err=True)
    else:
        ds = result.dataset
        assert ds is not None
        click.echo(f"OK: {len(ds.nodes)} nodes, {len(ds.edges)} edges, {len(ds.licenses)} licenses, "
                   f"{len(ds.organizations)} organizations in {len(result.files)} file(s).")
    sys.exit(1 if problems else 0)


@main.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def show(state: State, name: str, as_json: bool) -> None:
    """Everything known about a model, component or license, with sources."""
    from lineage.describe import describe_node
    from lineage.format import format_node

    node_id = _resolve(state, name, None)
    data = describe_node(state.graph, node_id)
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str) if as_json else format_node(data))


@main.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True)
@click.option("--descendants", is_flag=True, help="Walk towards children instead of ancestors.")
@click.pass_obj
def trace(state: State, name: str, as_json: bool, descendants: bool) -> None:
    """Ancestors (or descendants) of a model, with edge types and sources."""
    from lineage.format import format_steps
    from lineage.queries import ancestors
    from lineage.queries import descendants as walk_down

    node_id = _resolve(state, name)
    steps = (walk_down if descendants else ancestors)(state.graph, node_id)
    key = "descendants" if descendants else "ancestors"
    if as_json:
        emit_json({"id": node_id, "name": state.graph.nodes[node_id]["name"], key: [s.to_dict() for s in steps]})
    else:
        click.echo(format_steps(state.graph, node_id, steps))


@main.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def components(state: State, name: str, as_json: bool) -> None:
    """The parts a model needs (text encoder, denoiser, VAE...) with developer and license."""
    from lineage.format import format_components
    from lineage.queries import components as rows_of
    from lineage.queries import vae_ancestry

    node_id = _resolve(state, name)
    rows = rows_of(state.graph, node_id)
    chain = vae_ancestry(state.graph, node_id)
    if as_json:
        emit_json({"id": node_id, "name": state.graph.nodes[node_id]["name"],
                   "components": [r.to_dict() for r in rows], "vae_ancestry": [s.to_dict() for s in chain]})
    else:
        click.echo(format_components(state.graph, node_id, rows, chain))


@main.command()
@click.option("--format", "fmt", type=click.Choice(["json", "graphml", "mermaid"]), required=True)
@click.option("--roadmap", type=click.Choice(["models", "vaes"]), default="models",
              help="Which Mermaid roadmap to draw (mermaid only).")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write to FILE instead of stdout.")
@click.pass_obj
def export(state: State, fmt: str, roadmap: str, out: Path | None) -> None:
    """Export the graph as node-link JSON, GraphML or a Mermaid gantt roadmap."""
    from lineage.export import export as render

    text = render(state.graph, fmt, roadmap)  # type: ignore[arg-type]
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {fmt} to {out}", err=True)


@main.command("can-i")
@click.argument("name")
@click.argument("use", required=False)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def can_i_command(state: State, name: str, use: str | None, as_json: bool) -> None:
    """May I USE model NAME? Without USE: the table of all uses.

    USE is one of: commercial-use, paid-service, sell-outputs, train-on-outputs, share-derivatives,
    sell-derivatives, no-attribution.
    """
    from lineage.format import format_answer, format_table
    from lineage.reasoner import DISCLAIMER, can_i, normalise_use, verdict_table

    node_id = _resolve(state, name)
    if use is None:
        table = verdict_table(state.graph, node_id)
        if as_json:
            first = next(iter(table.values()))
            emit_json({"model": first.model, "verdicts": {u: a.to_dict() for u, a in table.items()},
                       "disclaimer": DISCLAIMER})
        else:
            click.echo(format_table(table))
        return
    answer = can_i(state.graph, node_id, normalise_use(use))
    if as_json:
        emit_json(answer.to_dict())
    else:
        click.echo(format_answer(answer))


@main.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def ask(state: State, question: str, as_json: bool) -> None:
    """Ask in plain English, e.g. "can I sell images made with Anima?" (offline, no LLM)."""
    from lineage.ask import parse_question
    from lineage.format import format_answer
    from lineage.reasoner import can_i

    parsed = parse_question(state.graph, question)
    if parsed.missing:
        understood = {"model": parsed.model, "use": parsed.use, "candidates": parsed.candidates}
        if as_json:
            emit_json({"question": question, "understood": understood, "missing": parsed.missing, "answer": None})
        else:
            click.echo(f"Understood: model={parsed.model or '?'}, use={parsed.use or '?'}")
            for item in parsed.missing:
                click.echo(f"Please add {item}.")
        sys.exit(1)
    assert parsed.model and parsed.use
    answer = can_i(state.graph, parsed.model, parsed.use)
    if as_json:
        emit_json({"question": question, "understood": {"model": parsed.model, "use": parsed.use},
                   "missing": [], "answer": answer.to_dict()})
    else:
        click.echo(f"Understood: model={parsed.model} ({state.graph.nodes[parsed.model]['name']}), use={parsed.use}\n")
        click.echo(format_answer(answer))


@main.command("what-if")
@click.argument("name")
@click.option("--swap", "swaps", multiple=True, required=True, metavar="ROLE=OTHER",
              help="Replace a part, e.g. --swap denoiser=wan2.1-t2v-14b or --swap vae=flux1-ae.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def what_if_command(state: State, name: str, swaps: tuple[str, ...], as_json: bool) -> None:
    """Verdicts for a hypothetical composition of NAME with parts swapped, and what changed."""
    from lineage.format import format_what_if
    from lineage.whatif import parse_swap, what_if

    node_id = _resolve(state, name)
    parsed = {}
    for text in swaps:
        role, other = parse_swap(text)
        parsed[role] = _resolve(state, other)
    result = what_if(state.graph, node_id, parsed)
    if as_json:
        emit_json(result.to_dict())
    else:
        click.echo(format_what_if(state.graph, result))


@main.command("civitai-flags")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def civitai_flags_command(state: State, name: str, as_json: bool) -> None:
    """The Civitai permission flags that the verdicts for NAME imply."""
    from lineage.civitai import civitai_flags

    flags = civitai_flags(state.graph, _resolve(state, name))
    if as_json:
        emit_json(flags.to_dict())
        return
    click.echo(f"Civitai flags for {flags.model}:")
    click.echo(f"  allowNoCredit:         {flags.allowNoCredit}")
    click.echo(f"  allowCommercialUse:    {', '.join(flags.allowCommercialUse)}")
    click.echo(f"  allowDerivatives:      {flags.allowDerivatives}")
    click.echo(f"  allowDifferentLicense: {flags.allowDifferentLicense}")
    for note in flags.notes:
        click.echo(f"  note: {note}")


@main.command("uses")
def uses_command() -> None:
    """List the use ids that can-i understands."""
    from lineage.reasoner import USE_LABELS

    for use in USES:
        click.echo(f"{use:18} {USE_LABELS[use]}")

if __name__ == "__main__":
    main()
