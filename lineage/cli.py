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
from lineage.core.problems import DataError, LineageError
from lineage.core.resolve import AmbiguousName, UnknownName, resolve
from lineage.core.schema import USES
from lineage.printable import has_confusables, printable

MODEL_KINDS = {"model", "family", "text_encoder", "denoiser", "vae", "adapter", "tokenizer", "guardrail"}
#: Longest name (NAME, --swap OTHER) and question accepted: far above any real one, low enough to stay fast.
MAX_NAME = 300
MAX_QUESTION = 2000
REPORT_HINT = "this is a bug in lineage: please report it with the command you ran"


class State:
    """Per-invocation state: the data path and the graph, loaded on first use."""

    def __init__(self, data: Path | None):
        self.data = data
        self._graph: nx.MultiDiGraph | None = None

    @property
    def graph(self) -> nx.MultiDiGraph:
        if self._graph is None:
            from lineage.core.graph import load_graph

            self._graph = load_graph(self.data)
        return self._graph


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``Error: message`` (made printable, one line) on stderr and exit with ``code``."""
    click.echo(f"Error: {printable(message, limit=2000, one_line=True)}", err=True)
    sys.exit(code)


def check_length(text: str, what: str, limit: int = MAX_NAME) -> str:
    """Refuse ``text`` longer than ``limit`` characters early, naming ``what`` it is (usage error, exit 2)."""
    if len(text) > limit:
        fail(f"{what} is {len(text):,} characters long; at most {limit:,} are accepted. Shorten it.", 2)
    return text


def emit_json(obj: Any) -> None:
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False, default=str))


def _resolve(state: State, name: str, kinds: set[str] | None = MODEL_KINDS) -> str:
    check_length(name, "the name")
    try:
        return resolve(state.graph, name, kinds)
    except UnknownName as err:
        hint = " (it mixes Latin letters with look-alike letters of another script)" if has_confusables(name) else ""
        fail(f"{err}{hint}")
    except AmbiguousName as err:
        fail(str(err))


#: Commands whose modules need optional extras; imported only when asked for, so the graph commands stay fast.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "generate": ("inference.cli", "generate"),
    "gallery": ("inference.cli", "gallery"),
    "samples": ("inference.cli", "samples"),
    "inspect": ("lineage.inspection.cli", "inspect"),
    "scan": ("lineage.scan.cli", "scan"),
    "bom": ("lineage.scan.cli", "bom"),
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

    def main(self, *args: Any, **kwargs: Any) -> Any:
        for stream in (sys.stdout, sys.stderr):  # last line of defence: never die on an unencodable character
            if hasattr(stream, "reconfigure"):
                stream.reconfigure(errors="backslashreplace")
        return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except DataError as err:
            click.echo("Error: the data does not validate; run `lineage validate` for details:", err=True)
            for problem in err.problems[:20]:
                click.echo(f"  {printable(str(problem), limit=500, one_line=True)}", err=True)
            sys.exit(1)
        except LineageError as err:
            fail(str(err))
        except ModuleNotFoundError as err:  # an optional extra (torch, diffusers, c2pa...) is not installed
            fail(f"this command needs the package {err.name!r}, which is not installed; "
                 "install the extras with: .venv/bin/pip install -e '.[inference]'")
        except MemoryError:
            fail("ran out of memory; the input is too large for this machine. " + REPORT_HINT)
        except OSError as err:  # a file the command reads or writes
            where = f"{err.filename}: " if err.filename else ""
            fail(f"{where}{err.strerror or err}; check the path and its permissions")
        except Exception as err:  # the one place that turns a bug into a clear line instead of a traceback
            fail(f"unexpected {type(err).__name__}: {err}. {REPORT_HINT}")


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
    from lineage.core.load import load
    from lineage.core.validate import validate as run_rules

    result = load(path or state.data)
    problems = result.problems + run_rules(result)
    if as_json:
        emit_json({"ok": not problems, "files": result.files, "problems": [p.to_dict() for p in problems]})
    elif problems:
        for problem in problems:
            click.echo(printable(str(problem), limit=2000, one_line=True), err=True)
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
    from lineage.core.describe import describe_node
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
    from lineage.core.queries import ancestors, family_walk
    from lineage.core.queries import descendants as walk_down
    from lineage.format import format_steps

    node_id = _resolve(state, name)
    if state.graph.nodes[node_id]["kind"] == "family":
        steps = family_walk(state.graph, node_id, reverse=descendants)
    else:
        steps = (walk_down if descendants else ancestors)(state.graph, node_id)
    key = "descendants" if descendants else "ancestors"
    if as_json:
        emit_json({"id": node_id, "name": state.graph.nodes[node_id]["name"], key: [s.to_dict() for s in steps]})
    else:
        click.echo(format_steps(state.graph, node_id, steps, "descendants" if descendants else "ancestors"))


@main.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def components(state: State, name: str, as_json: bool) -> None:
    """The parts a model needs (text encoder, denoiser, VAE...) with developer and license."""
    from lineage.core.queries import components as rows_of
    from lineage.core.queries import members, vae_ancestry
    from lineage.format import format_components, format_family_components

    node_id = _resolve(state, name)
    if state.graph.nodes[node_id]["kind"] == "family":
        parts = [(m, rows_of(state.graph, m), vae_ancestry(state.graph, m)) for m in members(state.graph, node_id)]
        if as_json:
            emit_json({"id": node_id, "name": state.graph.nodes[node_id]["name"], "kind": "family", "members": [
                {"id": m, "name": state.graph.nodes[m]["name"], "components": [r.to_dict() for r in rows],
                 "vae_ancestry": [s.to_dict() for s in chain]} for m, rows, chain in parts]})
        else:
            click.echo(format_family_components(state.graph, node_id, parts))
        return
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
@click.option("--out", type=click.Path(), default=None, help="Write to FILE instead of stdout.")
@click.pass_obj
def export(state: State, fmt: str, roadmap: str, out: str | None) -> None:
    """Export the graph as node-link JSON, GraphML or a Mermaid gantt roadmap."""
    from lineage.export import export as render
    from lineage.safe_write import check_output_path, write_text_atomic

    if out is not None:
        check_output_path(out, "--out")  # before the work: a bad path fails fast
    text = render(state.graph, fmt, roadmap)  # type: ignore[arg-type]
    if out is None:
        click.echo(text, nl=False)
    else:
        write_text_atomic(out, text, "--out")
        click.echo(f"Wrote {fmt} to {printable(out, one_line=True)}", err=True)


@main.command("can-i")
@click.argument("name")
@click.argument("use", required=False)
@click.option("--with", "others", multiple=True, metavar="OTHER",
              help="Another part used with NAME (a model, LoRA, VAE... or a path to a weights file); repeatable. "
                   "The answer is for the combination.")
@click.option("--hash", "compute_hash", is_flag=True, help="Hash weights files given with --with to name them exactly.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def can_i_command(state: State, name: str, use: str | None, others: tuple[str, ...], compute_hash: bool,
                  as_json: bool) -> None:
    """May I USE model NAME? Without USE: the table of all uses.

    USE is one of: commercial-use, paid-service, sell-outputs, train-on-outputs, make-derivatives,
    share-derivatives, sell-derivatives, no-attribution. A family (e.g. flux1) answers per release.
    """
    from lineage.answers.combination import is_file_part
    from lineage.answers.reasoner import DISCLAIMER, can_i, normalise_use, verdict_table
    from lineage.format import format_answer, format_table

    if others or is_file_part(name):
        from lineage.answers.combination import combination_answer
        from lineage.format import format_combination

        parts = [name if is_file_part(name) else _resolve(state, name), *others]
        uses = [normalise_use(use)] if use else list(USES)
        combos = [combination_answer(state.graph, parts, u, compute_hash) for u in uses]
        if as_json:
            emit_json(combos[0].to_dict() if use else {"parts": parts, "verdicts": {c.use: c.to_dict() for c in combos},
                                                       "disclaimer": DISCLAIMER})
        else:
            click.echo("\n\n".join(format_combination(c) for c in combos))
        return
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
    """Ask in plain English, e.g. "can I sell images made with Anima?" or "what VAE does Qwen-Image use?".

    Offline, no LLM. A question naming two models gets two answers; a partial or misspelt name gets a
    did-you-mean.
    """
    from lineage.answers.ask import parse_question
    from lineage.answers.reasoner import can_i
    from lineage.format import format_answer

    check_length(question, "the question", MAX_QUESTION)
    if not question.strip():
        fail('the question is empty; ask e.g. lineage ask "can I sell images made with Anima?"', 2)
    parsed = parse_question(state.graph, question)
    understood = {"model": parsed.model, "use": parsed.use, "models": parsed.models, "intent": parsed.intent}
    if parsed.missing:
        if as_json:
            emit_json({"question": question, "understood": {**understood, "candidates": parsed.candidates},
                       "suggestions": parsed.suggestions, "missing": parsed.missing, "answer": None})
        else:
            click.echo(f"Understood: model={parsed.model or '?'}, use={parsed.use or '?'}")
            for item in parsed.missing:
                click.echo(f"Please add {item}.")
        sys.exit(1)
    if parsed.intent != "can-i":
        _lineage_answer(state, parsed.intent, parsed.models, question, understood, as_json)
        return
    assert parsed.use
    answers = [can_i(state.graph, m, parsed.use) for m in parsed.models]
    if as_json:
        emit_json({"question": question, "understood": understood, "missing": [],
                   "answer": answers[0].to_dict(), "answers": [a.to_dict() for a in answers]})
        return
    names = ", ".join(f"{m} ({state.graph.nodes[m]['name']})" for m in parsed.models)
    click.echo(f"Understood: model{'s' if len(answers) > 1 else ''}={names}, use={parsed.use}\n")
    click.echo("\n\n".join(format_answer(a) for a in answers))


def _lineage_answer(state: State, intent: str, models: list[str], question: str, understood: dict[str, Any],
                    as_json: bool) -> None:
    """Answer a lineage question (VAE, components, ancestry, descendants) for each model named."""
    from lineage.core.queries import ancestors, components, descendants, family_walk, members, vae_ancestry
    from lineage.format import format_components, format_family_components, format_steps

    g = state.graph
    out: list[dict[str, Any]] = []
    texts: list[str] = []
    for m in models:
        family = g.nodes[m]["kind"] == "family"
        if intent in {"vae", "components"}:
            targets = members(g, m) if family else [m]
            parts = [(t, components(g, t), vae_ancestry(g, t)) for t in targets]
            if intent == "vae":
                parts = [(t, [r for r in rows if r.role == "VAE"], chain) for t, rows, chain in parts]
            out.append({"id": m, "parts": {t: [r.to_dict() for r in rows] for t, rows, _ in parts},
                        "vae_ancestry": {t: [s.to_dict() for s in chain] for t, _, chain in parts}})
            texts.append(format_family_components(g, m, parts) if family
                         else format_components(g, m, parts[0][1], parts[0][2]))
        else:
            down = intent == "descendants"
            steps = family_walk(g, m, down) if family else (descendants if down else ancestors)(g, m)
            out.append({"id": m, intent: [s.to_dict() for s in steps]})
            texts.append(format_steps(g, m, steps, "descendants" if down else "ancestors"))
    if as_json:
        emit_json({"question": question, "understood": understood, "missing": [], "answer": None, "lineage": out})
    else:
        click.echo(f"Understood: {intent} of {', '.join(models)}\n")
        click.echo("\n\n".join(texts))


@main.command("what-if")
@click.argument("name")
@click.option("--swap", "swaps", multiple=True, required=True, metavar="ROLE=OTHER",
              help="Replace a part, e.g. --swap denoiser=wan2.1-t2v-14b or --swap vae=flux1-ae.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def what_if_command(state: State, name: str, swaps: tuple[str, ...], as_json: bool) -> None:
    """Verdicts for a hypothetical composition of NAME with parts swapped, and what changed."""
    from lineage.answers.whatif import parse_swap, what_if
    from lineage.format import format_what_if

    node_id = _resolve(state, name)
    parsed = {}
    for text in swaps:
        role, other = parse_swap(check_length(text, "--swap", MAX_NAME + 30))
        parsed[role] = _resolve(state, other, None)
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
    from lineage.answers.civitai import civitai_flags

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
    from lineage.answers.reasoner import USE_LABELS

    for use in USES:
        click.echo(f"{use:18} {USE_LABELS[use]}")

KIND_HELP = "model, family, text_encoder, denoiser, vae, adapter, tokenizer or guardrail."


@main.command("list")
@click.option("--kind", default=None, help=KIND_HELP)
@click.option("--organization", "--org", "organization", default=None, help="Organization id or name (or part of it).")
@click.option("--license", "license_", default=None, help="License id or name (or part of it).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def list_command(state: State, kind: str | None, organization: str | None, license_: str | None,
                 as_json: bool) -> None:
    """Every model, family and part with its id, so you can name it in other commands."""
    from lineage.core.catalog import list_entries

    _print_entries(list_entries(state.graph, kind, organization, license_), as_json)


@main.command("search")
@click.argument("text")
@click.option("--kind", default=None, help=KIND_HELP)
@click.option("--organization", "--org", "organization", default=None, help="Organization id or name (or part of it).")
@click.option("--license", "license_", default=None, help="License id or name (or part of it).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def search_command(state: State, text: str, kind: str | None, organization: str | None, license_: str | None,
                   as_json: bool) -> None:
    """Models, families and parts whose id, name or alias contains TEXT (or is spelt close to it)."""
    from lineage.core.catalog import search

    _print_entries(search(state.graph, text, kind, organization, license_), as_json)


def _print_entries(entries: list[Any], as_json: bool) -> None:
    if as_json:
        emit_json({"count": len(entries), "entries": [e.to_dict() for e in entries]})
        return
    for e in entries:
        click.echo(f"{e.id:32} {e.kind:13} {(e.organization or '-'):22} {e.name}  [{', '.join(e.licenses) or '-'}]")
    if not entries:
        click.echo("Nothing found.", err=True)


if __name__ == "__main__":
    main()
