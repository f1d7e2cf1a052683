"""Click commands ``generate`` and ``gallery``, registered by the ``lineage`` CLI group.

Every command is one library call plus formatting; errors are one clear line, never a traceback.

Examples
--------
>>> from click.testing import CliRunner
>>> CliRunner().invoke(generate, ["--help"]).exit_code
0
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import click

from inference.errors import InferenceError

_PATH = click.Path(path_type=Path)
#: Longest prompt accepted (the text encoder reads at most 512 tokens of it anyway).
MAX_PROMPT = 20_000


def _weights_options(command):
    """The options that say where the Anima weights are (shared by ``generate`` and ``samples``)."""
    for option in reversed([
        click.option("--weights", type=_PATH,
                     help="A diffusers folder, a ComfyUI models folder, or an anima-*.safetensors file."),
        click.option("--comfy-models", type=_PATH,
                     help="ComfyUI models folder (diffusion_models/, text_encoders/, vae/)."),
        click.option("--dit", type=_PATH, help="anima-*.safetensors (DiT + LLM adapter)."),
        click.option("--text-encoder", type=_PATH, help="qwen_3_06b_base.safetensors."),
        click.option("--vae", type=_PATH, help="qwen_image_vae.safetensors."),
        click.option("--diffusers", "diffusers_dir", type=_PATH, help="Anima-Base-v1.0-Diffusers folder."),
    ]):
        command = option(command)
    return command


def _fail(exc: Exception) -> None:
    from lineage.printable import printable

    raise click.ClickException(printable(str(exc), limit=2000, one_line=True)) from None


@click.command("generate")
@_weights_options
@click.option("--prompt", required=True, help="What to draw.")
@click.option("--negative", default="", show_default=True, help="Negative prompt.")
@click.option("--seed", type=click.IntRange(0, 2**64 - 1), default=0, show_default=True)
@click.option("--steps", type=click.IntRange(1, 1000), default=30, show_default=True)
@click.option("--cfg", type=float, default=4.0, show_default=True, help="Classifier-free guidance scale.")
@click.option("--width", type=int, default=1024, show_default=True, help="Multiple of 16.")
@click.option("--height", type=int, default=1024, show_default=True, help="Multiple of 16.")
@click.option("--batch", type=click.IntRange(1, 64), default=1, show_default=True)
@click.option("--device", type=click.Choice(["cpu", "cuda"]), default=None, help="Default: cuda if available.")
@click.option("--dtype", type=click.Choice(["bfloat16", "float16", "float32"]), default=None,
              help="Default: bfloat16 on GPU, float32 on CPU.")
@click.option("--sigmas", type=click.Choice(["comfy", "diffusers"]), default="comfy", show_default=True,
              help="comfy: ComfyUI 'simple' schedule and noise (reproduces ComfyUI); diffusers: its default.")
@click.option("--tokenizers", "tokenizers_dir", type=_PATH, help="Folder with qwen25/ and t5/ tokenizers.")
@click.option("--cpu-offload", is_flag=True, help="Keep models on the CPU between uses (small GPUs).")
@click.option("--lora", "loras", multiple=True, metavar="FILE[:STRENGTH]",
              help="Anima LoRA (kohya, ComfyUI or diffusers keys), strength 1.0 unless given; repeatable.")
@click.option("--compile/--no-compile", "compile_blocks", default=None,
              help="torch.compile each DiT block (default: on with a GPU; the first image pays the warm-up).")
@click.option("--attention", default=None, help="diffusers attention backend (default: _native_cudnn for "
                                                "compiled blocks on a GPU; 'default' for PyTorch's choice).")
@click.option("--quantize", type=click.Choice(["truncate", "round"]), default="truncate", show_default=True,
              help="PNG pixels: truncate as ComfyUI's SaveImage, or round as diffusers.")
@click.option("--c2pa", is_flag=True, help="Sign the PNG with a C2PA manifest.")
@click.option("--c2pa-cert", type=_PATH, help="PEM chain (leaf + CA); default: a generated local CA.")
@click.option("--c2pa-key", type=_PATH, help="PEM private key of --c2pa-cert.")
@click.option("--caption", is_flag=True, help="Also write OUT.caption.png with model, license and verdict.")
@click.option("--gallery", "gallery_db", type=_PATH, help="Gallery SQLite file (default ~/.local/share/lineage).")
@click.option("--out", required=True, type=click.Path(), help="Output PNG.")
@click.option("--json", "as_json", is_flag=True, help="Print the record as JSON.")
def generate(weights, comfy_models, dit, text_encoder, vae, diffusers_dir, prompt, negative, seed, steps, cfg,
             width, height, batch, device, dtype, sigmas, tokenizers_dir, cpu_offload, loras, compile_blocks, attention,
             quantize, c2pa, c2pa_cert, c2pa_key, caption, gallery_db, out, as_json):
    """Generate an image with Anima and trace it through the lineage graph."""
    out = _check_arguments(prompt, negative, cfg, c2pa, c2pa_cert, c2pa_key, out, batch, caption, width, height)
    from inference.locate import find_weights
    from inference.settings import GenerationSettings

    try:  # every argument is checked before torch is imported
        paths = find_weights(weights=weights, comfy_models=comfy_models, dit=dit, text_encoder=text_encoder,
                             vae=vae, diffusers=diffusers_dir)
        settings = GenerationSettings(prompt=prompt, negative=negative, seed=seed, steps=steps, cfg=cfg,
                                      width=width, height=height, batch=batch, sigmas=sigmas, quantize=quantize)
        settings.validate()
        lora_args = _lora_args(loras)
        if paths.diffusers is None:
            from inference.weights import check_headers

            check_headers(paths.files)  # shapes checked from the headers before any module or tokenizer loads
    except InferenceError as exc:
        _fail(exc)

    from inference.generate import GenerateRequest
    from inference.pipeline import default_device
    from inference.service import Job, get_service
    from inference.trace import verdict_line

    _quiet_libraries()
    try:
        from inference.gallery import Gallery
        from inference.limits import check_size

        device = device or default_device()
        check_size(width, height, batch, dtype or ("float32" if device == "cpu" else "bfloat16"), device)
        gallery_db = _open_gallery(Gallery, gallery_db).path
        request = GenerateRequest(settings=settings, weights=paths, out=out, device=device, dtype=dtype,
                                  cpu_offload=cpu_offload, tokenizers_dir=tokenizers_dir, c2pa=c2pa,
                                  c2pa_cert=c2pa_cert, c2pa_key=c2pa_key, caption=caption, gallery=gallery_db,
                                  loras=lora_args, compile=compile_blocks, attention=attention)
        warmup = compile_blocks if compile_blocks is not None else device.startswith("cuda")
        label = "first step compiles the DiT blocks (cached for later runs)" if warmup else "denoising"
        with click.progressbar(length=steps, label=label, file=sys.stderr) as bar:
            def on_step(i: int, n: int) -> None:
                bar.label = "denoising"
                bar.update(1)

            record = get_service(device).run(Job(request), on_step=on_step)
    except InferenceError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        raise click.ClickException("interrupted; nothing was written") from None
    if as_json:
        click.echo(json.dumps({"gallery_id": record.gallery_id, "outputs": [str(p) for p in record.outputs],
                               "captions": [str(p) for p in record.captions], "trace": record.trace,
                               "timings": record.timings}, indent=2))
        return
    for p in record.outputs + record.captions:
        click.echo(f"wrote {p}")
    _echo_trace(record.trace)
    click.echo(f"verdicts: {verdict_line(record.trace)}")
    t = record.timings
    click.echo(f"time: {t['total_s']:.2f} s ({t['per_step_s']:.3f} s/step, VAE {t['vae_decode_s']:.2f} s); "
               f"gallery #{record.gallery_id}")


def _check_arguments(prompt: str, negative: str, cfg: float, c2pa: bool, c2pa_cert: Path | None,
                     c2pa_key: Path | None, out: str, batch: int, caption: bool, width: int, height: int) -> Path:
    """Refuse bad arguments before anything is imported or loaded; return ``--out`` as a path."""
    from inference.limits import check_dimensions
    from lineage.core.problems import LineageError
    from lineage.safe_write import check_output_path

    try:
        check_dimensions(width, height)
    except InferenceError as exc:
        _fail(exc)

    for name, text in (("--prompt", prompt), ("--negative", negative)):
        if len(text) > MAX_PROMPT:
            raise click.UsageError(f"{name} is {len(text):,} characters long; at most {MAX_PROMPT:,} are accepted")
    if not math.isfinite(cfg):
        raise click.BadParameter(f"{cfg} is not a finite number; use e.g. 4.0", param_hint="--cfg")
    if (c2pa_cert is None) != (c2pa_key is None):
        given, missing = ("--c2pa-cert", "--c2pa-key") if c2pa_key is None else ("--c2pa-key", "--c2pa-cert")
        raise click.UsageError(f"{given} needs {missing} too (the PEM chain and its private key), or omit both "
                               "to sign with a generated local CA")
    if c2pa_cert is not None and not c2pa:
        raise click.UsageError("--c2pa-cert/--c2pa-key only apply with --c2pa; add --c2pa to sign the image")
    for option, pem in (("--c2pa-cert", c2pa_cert), ("--c2pa-key", c2pa_key)):
        if pem is not None and not _looks_like_pem(pem):
            raise click.BadParameter(f"{pem} is not a readable PEM file (no '-----BEGIN' line in its first 64 KB)",
                                     param_hint=option)
    if not out.strip():
        raise click.BadParameter("is empty; give a PNG file path, e.g. --out image.png", param_hint="--out")
    from inference.generate import output_paths  # imports torch: after the cheap checks

    paths = output_paths(Path(out), batch)
    if caption:
        from inference.caption import caption_path

        paths += [caption_path(p) for p in paths]
    try:
        for path in paths:
            check_output_path(path, "--out", "image.png", create_folders=True)
    except LineageError as exc:
        raise click.ClickException(str(exc)) from None
    return Path(out)


def _looks_like_pem(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return path.is_file() and b"-----BEGIN" in fh.read(65536)
    except OSError:
        return False


def _open_gallery(gallery_cls, path: Path | None):
    """The gallery (a damaged one is left alone and a new one started beside it: say so on stderr)."""
    gallery = gallery_cls(path)
    if gallery.notice:
        click.echo(f"Note: {gallery.notice}", err=True)
    return gallery


def _lora_args(loras: tuple[str, ...]) -> list[tuple[Path, float]]:
    """``--lora FILE[:STRENGTH]`` values, each file checked to exist (a one-line error otherwise)."""
    from inference.lora import LoraError, parse_lora_arg

    out = []
    for text in loras:
        name, strength = parse_lora_arg(text)
        if not Path(name).is_file():
            raise LoraError("LoRA file not found", path=name,
                            hint="--lora takes FILE or FILE:STRENGTH, e.g. a.safetensors:0.8")
        out.append((Path(name), strength))
    return out


def _echo_trace(trace: dict) -> None:
    click.echo(f"model: {trace.get('model')}")
    for f in trace["files"]:
        state = "verified" if f.get("verified") else "unverified"
        click.echo(f"  {f['component']:<12} {f['file_name']} sha256:{f['sha256'][:12]} -> {f.get('node_id')} "
                   f"({f.get('matched_by')}, {state})")
    for lo in trace.get("loras", []):
        click.echo(f"  lora         {lo['file_name']} x{lo['strength']} sha256:{lo['sha256'][:12]} -> "
                   f"{lo.get('node_id') or 'not in the graph'} (base: {lo.get('declared_base') or 'not declared'}, "
                   f"license: {lo.get('license') or 'not declared'})")
    if trace.get("licenses"):
        click.echo(f"licenses: {', '.join(trace['licenses'])}")
    if trace.get("graph_error"):
        click.echo(f"graph unavailable: {trace['graph_error']}")


def _quiet_libraries() -> None:
    import warnings

    from diffusers.utils import logging as dlog
    from transformers.utils import logging as tlog

    dlog.set_verbosity_error()
    tlog.set_verbosity_error()
    warnings.filterwarnings("ignore", message="Guiders are currently an experimental")


@click.command("gallery")
@click.option("--gallery", "gallery_db", type=_PATH, help="Gallery SQLite file.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--show", "show_id", type=click.IntRange(1, 2**63 - 1), help="Show one generation in full (JSON).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def gallery(gallery_db, limit, show_id, as_json):
    """List recent generations, or show one in full."""
    from inference.gallery import Gallery
    from lineage.printable import printable, printable_data

    try:
        g = _open_gallery(Gallery, gallery_db)
        if show_id is not None:
            row = g.get(show_id)
            if row is None:
                raise click.ClickException(f"no generation #{show_id} in {g.path}")
            click.echo(json.dumps(printable_data(row), indent=2))
            return
        rows = g.recent(limit)
    except InferenceError as exc:
        _fail(exc)
    if as_json:
        click.echo(json.dumps(printable_data(rows), indent=2))
        return
    if not rows:
        click.echo(f"no generations yet in {g.path}")
    for r in rows:
        out = r["outputs"][0] if r["outputs"] else (r["error"] or "")
        note = f" (damaged fields: {', '.join(r['corrupt'])})" if r.get("corrupt") else ""
        line = (f"#{r['id']:<4} {r['created_at']} {r['status']:<9} seed {r['seed']!s:<6} {r['width']}x{r['height']} "
                f"{r['model'] or '-':<18} {str(r['prompt'])[:40]!r} {out}{note}")
        click.echo(printable(line, one_line=True))

@click.command("samples")
@click.option("--prompts", "prompts_file", required=True, type=_PATH,
              help="YAML with prompts, seeds and settings (see docs/inference.md).")
@click.option("--out", "out_dir", required=True, type=_PATH, help="Output folder (PNGs, captions, contact sheets).")
@_weights_options
@click.option("--tokenizers", "tokenizers_dir", type=_PATH, help="Folder with qwen25/ and t5/ tokenizers.")
@click.option("--device", type=click.Choice(["cpu", "cuda"]), default=None, help="Default: cuda if available.")
@click.option("--dtype", type=click.Choice(["bfloat16", "float16", "float32"]), default=None,
              help="Default: bfloat16 on GPU, float32 on CPU.")
@click.option("--lora", "loras", multiple=True, metavar="FILE[:STRENGTH]", help="Anima LoRA; repeatable.")
@click.option("--compile/--no-compile", "compile_blocks", default=None,
              help="torch.compile each DiT block (default: on with a GPU).")
def samples(prompts_file, out_dir, weights, comfy_models, dit, text_encoder, vae, diffusers_dir, tokenizers_dir,
            device, dtype, loras, compile_blocks):
    """Generate an annotated sample set: prompts x seeds, traced PNGs, captions and a contact sheet."""
    from inference.locate import find_weights
    from inference.samples import load_prompts

    try:  # the prompts file, the weights and the LoRAs are checked before torch is imported
        jobs = load_prompts(prompts_file)
        paths = find_weights(weights=weights, comfy_models=comfy_models, dit=dit, text_encoder=text_encoder,
                             vae=vae, diffusers=diffusers_dir)
        lora_args = _lora_args(loras)
    except InferenceError as exc:
        _fail(exc)

    from inference.generate import SOFTWARE
    from inference.pipeline import AnimaRunner, default_device
    from inference.samples import generate_set
    from inference.trace import verdict_line

    _quiet_libraries()
    try:
        device = device or default_device()
        runner = AnimaRunner.load(paths, device=device, dtype=dtype, tokenizers_dir=tokenizers_dir,
                                  compile=compile_blocks)
        total = sum(j.settings.steps for j in jobs)
        with click.progressbar(length=total, label=f"{len(jobs)} images", file=sys.stderr) as bar:
            done = generate_set(runner, paths, jobs, out_dir, loras=lora_args, software=SOFTWARE,
                                on_step=lambda i, n: bar.update(1))
    except InferenceError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        raise click.ClickException("interrupted; images already written are kept") from None
    for r in done.results:
        click.echo(f"{r.name}: " + (f"wrote {out_dir / r.image}" if r.image else f"FAILED: {r.error}"))
    click.echo(f"contact sheet: {done.sheet_png} and {done.sheet_html}")
    click.echo(f"verdicts: {verdict_line(done.trace)}")
    if done.failed:
        raise click.ClickException(f"{len(done.failed)} of {len(done.results)} images failed (the others are written)")
