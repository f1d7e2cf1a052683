"""Annotated sample sets: many prompts x seeds in one process, each PNG traced, plus a contact sheet.

A prompts file (YAML)::

    settings: {steps: 30, cfg: 4, width: 1024, height: 1024, negative: "worst quality"}
    seeds: [1, 2, 3]
    prompts:
      - "1girl, smile, cherry blossoms"
      - {name: boy, prompt: "1boy, (school uniform:1.2)", seeds: [7], negative: ""}

Every image gets its ``parameters`` and ``lineage`` chunks and a caption variant; one image that
fails is recorded with its error and the others go on. ``contact-sheet.png`` and the
self-contained ``contact-sheet.html`` (images inlined) open with the model, its lineage (text
encoder, DiT, VAE and where each comes from) and the verdicts for selling and training on the images.

Examples
--------
>>> jobs = parse_prompts({"seeds": [1, 2], "settings": {"steps": 4}, "prompts": ["a cat", {"prompt": "a dog",
...                       "seeds": [9], "name": "dog"}]}, "p.yaml")
>>> [(j.name, j.settings.prompt, j.settings.seed, j.settings.steps) for j in jobs]
[('001-s1', 'a cat', 1, 4), ('001-s2', 'a cat', 2, 4), ('dog-s9', 'a dog', 9, 4)]
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path

from inference.errors import InferenceError
from inference.settings import GenerationSettings

_SETTING_NAMES = {f.name for f in fields(GenerationSettings)} - {"prompt", "seed", "batch"}
_ENTRY_KEYS = {"prompt", "name", "seeds", *_SETTING_NAMES}
USES = ("sell-outputs", "train-on-outputs")


class SamplesError(InferenceError):
    """A prompts file that cannot be used."""


@dataclass
class SampleJob:
    """One image of the set."""

    name: str
    settings: GenerationSettings


@dataclass
class SampleResult:
    """What happened to one image: its files, or the error that stopped it."""

    name: str
    settings: dict
    image: str | None = None  # file name inside the output folder
    caption: str | None = None
    error: str | None = None
    png: bytes | None = field(default=None, repr=False)


def load_prompts(path: Path) -> list[SampleJob]:
    """Read and check a prompts YAML file (errors name the file and the entry)."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SamplesError(f"cannot read the prompts file ({exc.strerror})", path=path) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise SamplesError(f"not valid YAML{where}", path=path, hint="see docs/inference.md for the format") from None
    return parse_prompts(data, path)


def _seeds(value, where: str, path) -> list[int]:
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(s, int) and s >= 0 for s in value):
        raise SamplesError(f"{where}: seeds must be a non-negative integer or a list of them", path=path)
    return value


def parse_prompts(data, path) -> list[SampleJob]:
    """The jobs of a parsed prompts document: every prompt with every one of its seeds."""
    if isinstance(data, list):
        data = {"prompts": data}
    if not isinstance(data, dict) or not isinstance(data.get("prompts"), list) or not data["prompts"]:
        raise SamplesError("expected a 'prompts' list", path=path, hint="see docs/inference.md for the format")
    unknown = set(data) - {"prompts", "seeds", "settings"}
    if unknown:
        raise SamplesError(f"unknown top-level field(s) {sorted(unknown)}", path=path,
                           hint="use prompts, seeds and settings")
    base = data.get("settings") or {}
    if not isinstance(base, dict) or set(base) - _SETTING_NAMES:
        raise SamplesError(f"settings: unknown field(s) {sorted(set(base) - _SETTING_NAMES)}"
                           if isinstance(base, dict) else "settings must be a mapping", path=path,
                           hint=f"allowed: {', '.join(sorted(_SETTING_NAMES))}")
    seeds = _seeds(data.get("seeds", [0]), "seeds", path)
    jobs: list[SampleJob] = []
    for i, entry in enumerate(data["prompts"], start=1):
        where = f"prompts[{i}]"
        if isinstance(entry, str):
            entry = {"prompt": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("prompt"), str):
            raise SamplesError(f"{where}: needs a prompt text", path=path)
        if set(entry) - _ENTRY_KEYS:
            raise SamplesError(f"{where}: unknown field(s) {sorted(set(entry) - _ENTRY_KEYS)}", path=path)
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", str(entry.get("name") or f"{i:03d}")).strip("-") or f"{i:03d}"
        options = {**base, **{k: v for k, v in entry.items() if k in _SETTING_NAMES}}
        for seed in _seeds(entry.get("seeds", seeds), where, path):
            try:
                settings = GenerationSettings(prompt=entry["prompt"], seed=seed, **options)
            except TypeError as exc:
                raise SamplesError(f"{where}: {exc}", path=path) from None
            jobs.append(SampleJob(f"{name}-s{seed}", settings))
    return jobs


def run_samples(runner, jobs: list[SampleJob], out_dir: Path, trace: dict | Callable[[], dict], software: str,
                on_step: Callable[[int, int], None] | None = None) -> list[SampleResult]:
    """Generate every job with a loaded runner, writing each PNG (and caption) as soon as it is done.

    ``trace`` may be a callable (a pending background trace): it is first called when the first
    image is ready to be written.
    """
    from inference.caption import caption_path, caption_text, captioned
    from inference.png_meta import a1111_parameters, png_bytes, write_atomic

    out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for job in jobs:
        s = job.settings
        result = SampleResult(job.name, s.to_dict())
        try:
            s.validate()
            image = runner.generate(s, step_callback=on_step).images[0]
            if callable(trace):
                trace = trace()
            lineage = {"trace": trace, "settings": s.to_dict(), "batch_index": 0, "software": software,
                       "device": runner.device, "dtype": runner.dtype, "sample_set": job.name}
            params = a1111_parameters(s.to_dict(), model=trace.get("model") or "anima",
                                      extra={"Lineage": "see lineage chunk"})
            path = out_dir / f"{job.name}.png"
            result.png = png_bytes(image, params, lineage)
            write_atomic(path, result.png)
            cap = caption_path(path)
            write_atomic(cap, png_bytes(captioned(image, caption_text(trace)), params, lineage))
            result.image, result.caption = path.name, cap.name
        except InferenceError as exc:
            result.error = str(exc)
        except Exception as exc:  # one broken image must not lose the rest of the set
            result.error = f"{type(exc).__name__}: {exc}"
        results.append(result)
    return results


def lineage_summary(trace: dict, graph=None) -> list[dict]:
    """One row per loaded component: its graph node, name, licenses and origins (ancestor edges)."""
    from lineage.core.queries import ancestors

    rows = []
    for f in trace.get("files", []):
        node = trace.get("nodes", {}).get(f.get("node_id"), {})
        origins = []
        if graph is not None and f.get("node_id") in graph:
            for step in ancestors(graph, f["node_id"])[:6]:
                parent = graph.nodes[step.parent].get("name", step.parent) if step.parent in graph else step.parent
                origins.append(f"{step.type.replace('_', ' ')} {parent}")
        rows.append({"component": f["component"], "file": f["file_name"], "node": f.get("node_id"),
                     "name": node.get("name", f.get("node_id")), "licenses": node.get("licenses", []),
                     "verified": bool(f.get("verified")), "origins": origins})
    return rows


def _header_lines(trace: dict, rows: list[dict]) -> list[str]:
    model = trace.get("model") or "unknown"
    name = trace.get("nodes", {}).get(model, {}).get("name", model)
    lines = [f"Model: {name} ({model})"]
    for r in rows:
        origin = "; ".join(r["origins"]) or "no recorded origin"
        lines.append(f"{r['component']}: {r['name']} [{r['file']}] <- {origin}")
    for lo in trace.get("loras", []):
        lines.append(f"LoRA: {lo['file_name']} x{lo['strength']} (license: {lo.get('license') or 'unknown'})")
    verdicts = trace.get("verdicts", {})
    lines.append("; ".join(f"{use}: {verdicts.get(use, {}).get('verdict', 'unknown')}" for use in USES))
    return lines


def contact_sheet_png(results: list[SampleResult], trace: dict, rows: list[dict], thumb: int = 256):
    """A grid of thumbnails (failed ones as a dark tile with the error) under a text header."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default()
    header = _header_lines(trace, rows)
    columns = max(1, min(6, len(results)))
    grid_rows = (len(results) + columns - 1) // columns
    top, label = 14 * len(header) + 12, 14
    sheet = Image.new("RGB", (columns * thumb, top + grid_rows * (thumb + label)), (250, 250, 250))
    draw = ImageDraw.Draw(sheet)
    for i, line in enumerate(header):
        draw.text((6, 6 + 14 * i), line, fill=(20, 20, 20), font=font)
    for n, r in enumerate(results):
        x, y = (n % columns) * thumb, top + (n // columns) * (thumb + label)
        if r.png is not None:
            with Image.open(io.BytesIO(r.png)) as im:
                tile = im.convert("RGB")
                tile.thumbnail((thumb, thumb))
                sheet.paste(tile, (x, y))
        else:
            draw.rectangle((x, y, x + thumb - 1, y + thumb - 1), fill=(60, 20, 20))
            draw.text((x + 4, y + 4), f"failed: {(r.error or '')[:40]}", fill=(255, 220, 220), font=font)
        draw.text((x + 4, y + thumb + 1), f"{r.name}  seed {r.settings['seed']}", fill=(20, 20, 20), font=font)
    return sheet


def contact_sheet_html(results: list[SampleResult], trace: dict, rows: list[dict]) -> str:
    """A self-contained page: header (model, lineage, verdicts) and every image inlined as a data URI."""
    e = html.escape
    model = trace.get("model") or "unknown"
    name = trace.get("nodes", {}).get(model, {}).get("name", model)
    verdicts = trace.get("verdicts", {})
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>Anima samples: ", e(name), "</title>",
             "<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}td,th{border:1px solid "
             "#ccc;padding:3px 6px;text-align:left}.grid{display:flex;flex-wrap:wrap;gap:10px}figure{margin:0;"
             "width:260px}img{max-width:256px}.failed{color:#a00}</style></head><body>",
             f"<h1>Samples: {e(name)} <small>({e(model)})</small></h1>",
             "<h2>Verdicts for the images</h2><ul>"]
    for use in USES:
        answer = verdicts.get(use, {})
        parts.append(f"<li><b>{e(use)}</b>: {e(str(answer.get('verdict', 'unknown')))}"
                     + "".join(f"<br><small>{e(n)}</small>" for n in answer.get("notes", [])[:3]) + "</li>")
    parts.append("</ul><h2>Lineage</h2><table><tr><th>component</th><th>file</th><th>graph node</th>"
                 "<th>licenses</th><th>comes from</th></tr>")
    for r in rows:
        parts.append(f"<tr><td>{e(r['component'])}</td><td>{e(r['file'])}</td><td>{e(str(r['name']))}"
                     f"{'' if r['verified'] else ' (unverified match)'}</td><td>{e(', '.join(r['licenses']))}</td>"
                     f"<td>{e('; '.join(r['origins']) or 'no recorded origin')}</td></tr>")
    parts.append("</table>")
    for lo in trace.get("loras", []):
        parts.append(f"<p>LoRA {e(lo['file_name'])} x{lo['strength']}, license {e(str(lo.get('license')))}</p>")
    parts.append("<p><small>Not legal advice: read the licenses themselves.</small></p><div class='grid'>")
    for r in results:
        caption = e(f"{r.name} · seed {r.settings['seed']} · {r.settings['prompt']}")
        if r.png is not None:
            data = base64.b64encode(r.png).decode()
            parts.append(f"<figure><img src='data:image/png;base64,{data}' alt='{e(r.name)}'>"
                         f"<figcaption>{caption}</figcaption></figure>")
        else:
            parts.append(f"<figure class='failed'><figcaption>{caption}<br>failed: {e(r.error or '')}"
                         "</figcaption></figure>")
    parts.append("</div></body></html>")
    return "".join(parts)


def write_contact_sheets(results: list[SampleResult], trace: dict, out_dir: Path, graph=None) -> tuple[Path, Path]:
    """Write ``contact-sheet.png`` and ``contact-sheet.html`` into ``out_dir``."""
    from inference.png_meta import write_atomic

    rows = lineage_summary(trace, graph)
    png_path, html_path = out_dir / "contact-sheet.png", out_dir / "contact-sheet.html"
    buf = io.BytesIO()
    contact_sheet_png(results, trace, rows).save(buf, format="PNG")
    write_atomic(png_path, buf.getvalue())
    write_atomic(html_path, contact_sheet_html(results, trace, rows).encode("utf-8"))
    return png_path, html_path


@dataclass
class SampleSet:
    """A finished set: one result per image and the two contact sheets."""

    results: list[SampleResult]
    sheet_png: Path
    sheet_html: Path
    trace: dict

    @property
    def failed(self) -> list[SampleResult]:
        """The images that could not be made."""
        return [r for r in self.results if r.error]


def generate_set(runner, weights, jobs: list[SampleJob], out_dir: Path, *, loras=(), data_path: str | None = None,
                 software: str = "lineage-inference", on_step: Callable[[int, int], None] | None = None) -> SampleSet:
    """Trace the weights (in the background), generate every job, write the PNGs and the contact sheets."""
    from concurrent.futures import ThreadPoolExecutor

    from inference.lora import read_lora
    from inference.trace import build_trace, load_graph

    loaded = [read_lora(path, strength, runner.components) for path, strength in loras]
    runner.set_loras(tuple(loaded))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="lineage-trace") as pool:
        pending = pool.submit(build_trace, weights, data_path=data_path, loras=loaded)
        results = run_samples(runner, jobs, out_dir, pending.result, software, on_step)
        trace = pending.result()
    graph = None
    if "graph_error" not in trace:
        graph = load_graph(data_path)
    png, page = write_contact_sheets(results, trace, out_dir, graph)
    return SampleSet(results, png, page, trace)
