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
import sys
from pathlib import Path

import click

from inference.errors import InferenceError

_PATH = click.Path(path_type=Path)


def _fail(exc: Exception) -> None:
    raise click.ClickException(str(exc)) from None


@click.command("generate")
@click.option("--weights", type=_PATH,
              help="A diffusers folder, a ComfyUI models folder, or an anima-*.safetensors file.")
@click.option("--comfy-models", type=_PATH, help="ComfyUI models folder (diffusion_models/, text_encoders/, vae/).")
@click.option("--dit", type=_PATH, help="anima-*.safetensors (DiT + LLM adapter).")
@click.option("--text-encoder", type=_PATH, help="qwen_3_06b_base.safetensors.")
@click.option("--vae", type=_PATH, help="qwen_image_vae.safetensors.")
@click.option("--diffusers", "diffusers_dir", type=_PATH, help="Anima-Base-v1.0-Diffusers folder.")
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
@click.option("--out", required=True, type=_PATH, help="Output PNG.")
@click.option("--json", "as_json", is_flag=True, help="Print the record as JSON.")
def generate(weights, comfy_models, dit, text_encoder, vae, diffusers_dir, prompt, negative, seed, steps, cfg,
             width, height, batch, device, dtype, sigmas, tokenizers_dir, cpu_offload, loras, compile_blocks, attention,
             quantize, c2pa, c2pa_cert, c2pa_key, caption, gallery_db, out, as_json):
    """Generate an image with Anima and trace it through the lineage graph."""
    from inference.locate import find_weights
    from inference.settings import GenerationSettings

    try:  # every argument is checked before torch is imported
        paths = find_weights(weights=weights, comfy_models=comfy_models, dit=dit, text_encoder=text_encoder,
                             vae=vae, diffusers=diffusers_dir)
        settings = GenerationSettings(prompt=prompt, negative=negative, seed=seed, steps=steps, cfg=cfg,
                                      width=width, height=height, batch=batch, sigmas=sigmas, quantize=quantize)
        settings.validate()
        lora_args = _lora_args(loras)
    except InferenceError as exc:
        _fail(exc)

    from inference.generate import GenerateRequest
    from inference.pipeline import default_device
    from inference.service import Job, get_service
    from inference.trace import verdict_line

    _quiet_libraries()
    try:
        device = device or default_device()
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
@click.option("--show", "show_id", type=int, help="Show one generation in full (JSON).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def gallery(gallery_db, limit, show_id, as_json):
    """List recent generations, or show one in full."""
    from inference.gallery import Gallery

    g = Gallery(gallery_db)
    if show_id is not None:
        row = g.get(show_id)
        if row is None:
            raise click.ClickException(f"no generation #{show_id} in {g.path}")
        click.echo(json.dumps(row, indent=2))
        return
    rows = g.recent(limit)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo(f"no generations yet in {g.path}")
    for r in rows:
        out = r["outputs"][0] if r["outputs"] else (r["error"] or "")
        click.echo(f"#{r['id']:<4} {r['created_at']} {r['status']:<9} seed {r['seed']:<6} {r['width']}x{r['height']} "
                   f"{r['model'] or '-':<18} {r['prompt'][:40]!r} {out}")


@click.command("samples")
@click.option("--prompts", "prompts_file", required=True, type=_PATH,
              help="YAML with prompts, seeds and settings (see docs/inference.md).")
@click.option("--out", "out_dir", required=True, type=_PATH, help="Output folder (PNGs, captions, contact sheets).")
@click.option("--weights", type=_PATH,
              help="A diffusers folder, a ComfyUI models folder, or an anima-*.safetensors file.")
@click.option("--comfy-models", type=_PATH, help="ComfyUI models folder (diffusion_models/, text_encoders/, vae/).")
@click.option("--dit", type=_PATH, help="anima-*.safetensors (DiT + LLM adapter).")
@click.option("--text-encoder", type=_PATH, help="qwen_3_06b_base.safetensors.")
@click.option("--vae", type=_PATH, help="qwen_image_vae.safetensors.")
@click.option("--diffusers", "diffusers_dir", type=_PATH, help="Anima-Base-v1.0-Diffusers folder.")
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
