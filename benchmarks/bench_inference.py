"""Benchmark Anima inference: stock diffusers vs this project, compiled, batched, offloaded, and a cold CLI.

Full-size architecture (28-block DiT, 6-block adapter, Qwen3-0.6B, Qwen-Image VAE) with random
weights, so no download is needed; defaults are the issue's GPU settings (1024x1024, 30 steps,
CFG 4, bf16). ``--tiny`` runs a 2-layer model at 64x64 on the CPU to show the script works.

Rows (same prompt, ComfyUI sigmas and noise for every row, pixels rounded as diffusers does so
the stock row compares like for like):

* stock     diffusers ``AnimaModularPipeline``
* ours      this project, batched CFG, eager
* compiled  each DiT block ``torch.compile``d (+ cuDNN attention on a GPU): the GPU default
* batch N   compiled, N images per call (seconds per image)
* offload   compiled, ``--cpu-offload`` (GPU only)

Then a cold ``lineage generate`` in a fresh process on files written to disk (empty hash and
compile caches), and the same command again with warm caches, broken down by stage.

    .venv/bin/python benchmarks/bench_inference.py --tiny
    .venv/bin/python benchmarks/bench_inference.py                # on an H100/H200
    .venv/bin/python benchmarks/bench_inference.py --skip cold-cli,offload --batches 4
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TOKENIZERS = Path(os.environ.get("LINEAGE_TOKENIZERS") or ROOT.parent / "shared" / "tokenizers")
PROMPT = "masterpiece, best quality, score_7, safe, 1girl, red hair, smile, looking at viewer, cherry blossoms"
NEGATIVE = "worst quality, low quality, score_1, score_2, score_3, artist name"
TARGET_S, TARGET_SPEEDUP, TARGET_GB, TARGET_OFFLOAD_GB, TARGET_COLD_S = 1.8, 2.0, 12.0, 6.0, 12.0


def build_modules(tiny: bool, device: str, dtype):
    """Random-weight components, created on the meta device and materialised on ``device``."""
    import torch
    from accelerate import init_empty_weights
    from diffusers import AnimaTextConditioner, AutoencoderKLQwenImage, CosmosTransformer3DModel
    from transformers import Qwen3Config, Qwen3Model

    if tiny:
        t_cfg = dict(num_attention_heads=2, attention_head_dim=16, num_layers=2, mlp_ratio=2.0, text_embed_dim=32,
                     adaln_lora_dim=8)
        a_cfg = dict(source_dim=32, target_dim=32, model_dim=32, num_layers=2, num_attention_heads=2)
        q_cfg = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
                     num_key_value_heads=1, head_dim=16)
        v_cfg = dict(base_dim=16, dim_mult=[1, 2, 2, 2])
    else:
        t_cfg = dict(num_attention_heads=16, attention_head_dim=128, num_layers=28, mlp_ratio=4.0,
                     text_embed_dim=1024, adaln_lora_dim=256)
        a_cfg = {}
        q_cfg = dict(hidden_size=1024, intermediate_size=3072, num_hidden_layers=28, num_attention_heads=16,
                     num_key_value_heads=8, head_dim=128)
        v_cfg = {}
    builders = {
        "transformer": lambda: CosmosTransformer3DModel(
            in_channels=16, out_channels=16, max_size=(128, 240, 240), patch_size=(1, 2, 2),
            rope_scale=(1.0, 4.0, 4.0), concat_padding_mask=True, extra_pos_embed_type=None, **t_cfg),
        "text_conditioner": lambda: AnimaTextConditioner(**a_cfg),
        "text_encoder": lambda: Qwen3Model(Qwen3Config(vocab_size=151936, rope_theta=1e6, rms_norm_eps=1e-6,
                                                       max_position_embeddings=32768, **q_cfg)),
        "vae": lambda: AutoencoderKLQwenImage(**v_cfg),
    }
    gen = torch.Generator(device).manual_seed(0)
    modules = {}
    for name, build in builders.items():
        with init_empty_weights(include_buffers=False):
            module = build()
        buffers = {n: b.clone() for n, b in module.named_buffers()}  # RoPE tables: keep constructor values
        module.to_empty(device=device)
        with torch.no_grad():
            for p in module.parameters():
                p.copy_(torch.randn(p.shape, generator=gen, device=device) * 0.02)
            for n, b in module.named_buffers():
                b.copy_(buffers[n])
        modules[name] = module.to(device=device, dtype=dtype).eval().requires_grad_(False)
    return modules


def _sync(device: str) -> None:
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()


def measure(fn, device: str, runs: int, per_call: int = 1) -> dict:
    """Warm-up call (timed separately), then ``runs`` timed calls; seconds per image and peak GiB."""
    import torch

    if device.startswith("cuda"):
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
    _sync(device)
    start = time.perf_counter()
    out = fn()
    _sync(device)
    warmup = time.perf_counter() - start
    times = []
    for _ in range(runs):
        _sync(device)
        start = time.perf_counter()
        out = fn()
        _sync(device)
        times.append(time.perf_counter() - start)
    peak = torch.cuda.max_memory_allocated() / 2**30 if device.startswith("cuda") else float("nan")
    return {"s_image": statistics.median(times) / per_call, "warmup_s": warmup, "peak_gib": peak, "out": out}


def _pixels(images):
    import numpy as np

    return np.stack([np.asarray(im, dtype=np.int16) for im in images])


def table(args, device: str, dtype_name: str, size: int, steps: int) -> tuple[list[dict], dict]:
    """Run every in-process row; returns the rows and the modules (for the cold-CLI files)."""
    import numpy as np
    import torch
    from diffusers import AnimaAutoBlocks, FlowMatchEulerDiscreteScheduler
    from diffusers.guiders import ClassifierFreeGuidance

    from inference.pipeline import AnimaRunner, GenerationSettings
    from inference.sampling import comfy_noise, comfy_simple_sigmas, latent_shape
    from inference.tokenizers import load_tokenizers

    dtype = getattr(torch, dtype_name)
    t0 = time.perf_counter()
    modules = build_modules(args.tiny, device, dtype)
    tokenizers = load_tokenizers(tokenizers_dir=TOKENIZERS)
    n_params = {k: sum(p.numel() for p in m.parameters()) / 1e6 for k, m in modules.items()}
    print(f"device {device} ({torch.cuda.get_device_name(0) if device.startswith('cuda') else 'cpu'}), torch "
          f"{torch.__version__}, {dtype_name}, {size}x{size}, {steps} steps, CFG {args.cfg}; built in "
          f"{time.perf_counter() - t0:.1f} s; params (M): " + ", ".join(f"{k} {v:.1f}" for k, v in n_params.items()))
    rows: list[dict] = []
    skip = set(args.skip.split(",")) if args.skip else set()

    blocks = AnimaAutoBlocks()
    blocks.sub_blocks["denoise"].sub_blocks["text2image"].sub_blocks["denoise"].set_progress_bar_config(disable=True)
    stock = blocks.init_pipeline()
    stock.update_components(tokenizer=tokenizers[0], t5_tokenizer=tokenizers[1],
                            scheduler=FlowMatchEulerDiscreteScheduler(shift=1.0),
                            guider=ClassifierFreeGuidance(guidance_scale=args.cfg), **modules)
    sigmas = comfy_simple_sigmas(steps)[:-1]

    def run_stock(batch: int = 1):
        noise = comfy_noise(1, latent_shape(batch, size, size)).to(device)
        out = stock(prompt=[PROMPT] * batch, negative_prompt=[NEGATIVE] * batch, num_inference_steps=steps,
                    height=size, width=size, sigmas=sigmas, latents=noise, output_type="np", output="images")
        return np.round(out * 255).astype(np.int16)

    with torch.inference_mode():
        row = measure(run_stock, device, args.runs)
    stock_px = row.pop("out")
    rows.append({"name": "stock diffusers", **row, "px_vs_stock": 0})

    def settings(batch: int = 1) -> GenerationSettings:
        return GenerationSettings(prompt=PROMPT, negative=NEGATIVE, seed=1, steps=steps, cfg=args.cfg, width=size,
                                  height=size, batch=batch, quantize="round")

    runner = AnimaRunner.from_modules(modules, tokenizers, device=device, dtype=dtype_name, compile=False,
                                      attention="default")
    row = measure(lambda: runner.generate(settings()), device, args.runs)
    eager_px = _pixels(row.pop("out").images)
    rows.append({"name": "ours (batched CFG)", **row, "px_vs_stock": int(np.abs(eager_px - stock_px).max())})

    if "compiled" not in skip:
        from inference.speed import compile_blocks, resolve_attention, set_attention

        used = set_attention(modules["transformer"], resolve_attention(None, device, True))
        compile_blocks(modules["transformer"])
        label = "compiled" + (f" + {used}" if used != "default" else "")
        row = measure(lambda: runner.generate(settings()), device, args.runs)
        px = _pixels(row.pop("out").images)
        rows.append({"name": label, **row, "px_vs_stock": int(np.abs(px - stock_px).max()),
                     "px_vs_eager": int(np.abs(px - eager_px).max())})
        for batch in [int(b) for b in args.batches.split(",") if b] if "batch" not in skip else []:
            row = measure(lambda b=batch: runner.generate(settings(b)), device, args.runs, per_call=batch)
            px = _pixels(row.pop("out").images)
            rows.append({"name": f"{label}, batch {batch}", **row,
                         "px_vs_stock": int(np.abs(px[:1] - stock_px).max())})  # same noise for image 0
        if device.startswith("cuda") and "offload" not in skip:
            from inference.pipeline import _enable_offload

            _enable_offload(runner.components, device)
            torch.cuda.empty_cache()
            row = measure(lambda: runner.generate(settings()), device, args.runs)
            px = _pixels(row.pop("out").images)
            rows.append({"name": f"{label}, cpu offload", **row, "px_vs_stock": int(np.abs(px - stock_px).max())})
    return rows, modules


def print_table(rows: list[dict], gpu: bool) -> None:
    base = rows[0]["s_image"]
    print(f"\n{'':<34}{'s/image':>9}{'x stock':>9}{'warm-up s':>11}{'peak GiB':>10}{'px vs stock':>13}"
          f"{'px vs eager':>13}")
    for r in rows:
        eager = r.get("px_vs_eager")
        print(f"{r['name']:<34}{r['s_image']:>9.3f}{base / r['s_image']:>9.2f}{r['warmup_s']:>11.2f}"
              f"{r['peak_gib']:>10.2f}{r['px_vs_stock']:>13}{'' if eager is None else eager:>13}")
    if gpu:
        best = min((r for r in rows if "offload" not in r["name"]), key=lambda r: r["s_image"])
        offload = next((r for r in rows if "offload" in r["name"]), None)
        print(f"targets: <= {TARGET_S} s/image {'OK' if best['s_image'] <= TARGET_S else 'MISSED'} ({best['name']}); "
              f">= {TARGET_SPEEDUP}x stock {'OK' if base / best['s_image'] >= TARGET_SPEEDUP else 'MISSED'}; "
              f"peak <= {TARGET_GB:g} GB {'OK' if best['peak_gib'] * 1.0737 <= TARGET_GB else 'MISSED'}"
              + (f"; offload peak <= {TARGET_OFFLOAD_GB:g} GB "
                 f"{'OK' if offload['peak_gib'] * 1.0737 <= TARGET_OFFLOAD_GB else 'MISSED'}" if offload else ""))


def cold_cli(modules: dict, device: str, dtype_name: str, size: int, steps: int, cfg: float) -> None:
    """Write the modules as ComfyUI files, then time ``lineage generate`` twice in fresh processes."""
    import torch

    from tests.inference.tiny import write_comfy

    work = Path(tempfile.mkdtemp(prefix="anima-bench-"))
    t0 = time.perf_counter()
    modules["text_encoder"].to(getattr(torch, dtype_name))  # the runner made it float32; files are 16-bit
    write_comfy(work / "models", {k: m.to("cpu") for k, m in modules.items()},
                dit_name="anima-bench-random.safetensors")
    del modules
    if device.startswith("cuda"):
        torch.cuda.empty_cache()  # the fresh processes need the GPU memory
    print(f"\ncold CLI: wrote the weight files in {time.perf_counter() - t0:.1f} s to {work}")
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
           "LINEAGE_CACHE_DIR": str(work / "cache"), "TORCHINDUCTOR_CACHE_DIR": str(work / "inductor")}
    base = [sys.executable, "-m", "lineage.cli", "generate", "--comfy-models", str(work / "models"), "--prompt",
            PROMPT, "--negative", NEGATIVE, "--steps", str(steps), "--cfg", str(cfg), "--width", str(size),
            "--height", str(size), "--device", device, "--tokenizers", str(TOKENIZERS), "--gallery",
            str(work / "g.sqlite"), "--json"]
    start = time.perf_counter()
    bad = subprocess.run([*base, "--width", "50", "--out", str(work / "bad.png")], env=env, capture_output=True)
    print(f"bad argument rejected in {time.perf_counter() - start:.2f} s wall (before torch is imported): "
          f"{bad.stderr.decode().strip()[:100]}")
    print(f"{'':<26}{'wall':>7}{'load':>7}{'encode':>8}{'1st step':>9}{'steps':>7}{'VAE':>6}{'trace wait':>11}"
          f"{'hash+graph':>11}{'rest':>6}")
    runs = [("cold (empty caches)", []), ("again (warm caches)", [])]
    if device.startswith("cuda"):
        runs.append(("warm, --no-compile", ["--no-compile"]))
    for label, extra in runs:
        start = time.perf_counter()
        proc = subprocess.run([*base, "--out", str(work / "out.png"), *extra], env=env, capture_output=True)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            print(f"{label}: failed: {proc.stderr.decode()[-400:]}")
            return
        t = json.loads(proc.stdout)["timings"]
        rest = wall - t["load_s"] - t["total_s"] - t["trace_wait_s"]
        print(f"{label:<26}{wall:>7.2f}{t['load_s']:>7.2f}{t['encode_s']:>8.2f}{t['first_step_s']:>9.2f}"
              f"{t['denoise_s'] - t['first_step_s']:>7.2f}{t['vae_decode_s']:>6.2f}{t['trace_wait_s']:>11.2f}"
              f"{t['trace_total_s']:>11.2f}{rest:>6.2f}")
    print("rest = interpreter start, imports, PNG encode, gallery row; "
          f"target for the cold run on a GPU: <= {TARGET_COLD_S:g} s wall")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tiny", action="store_true", help="2-layer model, 64x64, 4 steps, CPU float32")
    parser.add_argument("--device", default=None)
    parser.add_argument("--dtype", default=None, choices=["bfloat16", "float16", "float32"])
    parser.add_argument("--size", type=int, default=None)
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument("--cfg", type=float, default=4.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batches", default="4,8", help="batch sizes for the batch rows, e.g. 4,8")
    parser.add_argument("--skip", default="", help="comma list of rows to skip: compiled, batch, offload, cold-cli")
    args = parser.parse_args()

    import torch
    from diffusers.utils import logging as dlog
    from transformers.utils import logging as tlog

    dlog.set_verbosity_error()
    tlog.set_verbosity_error()
    device = args.device or ("cpu" if args.tiny or not torch.cuda.is_available() else "cuda")
    dtype_name = args.dtype or ("float32" if device == "cpu" else "bfloat16")
    size = args.size or (64 if args.tiny else 1024)
    steps = args.steps or (4 if args.tiny else 30)
    rows, modules = table(args, device, dtype_name, size, steps)
    print_table(rows, device.startswith("cuda") and not args.tiny)
    if "cold-cli" not in args.skip.split(","):
        cold_cli(modules, device, dtype_name, size, steps, args.cfg)


if __name__ == "__main__":
    main()
