"""Benchmark Anima inference: our pipeline vs the stock diffusers ``AnimaModularPipeline``.

Full-size architecture (28-block DiT, 6-block adapter, Qwen3-0.6B, Qwen-Image VAE) with random
weights, so no download is needed; defaults are the issue's GPU settings (1024x1024, 30 steps,
CFG 4, bf16). ``--tiny`` runs a 2-layer model at 64x64 on the CPU to show the script works.

Reports seconds per image, per step, VAE decode, peak VRAM, the speed-up over stock diffusers, and
the largest pixel difference between the two outputs (same noise, same sigmas).

    .venv/bin/python benchmarks/bench_inference.py --tiny
    .venv/bin/python benchmarks/bench_inference.py --compile            # on an H100
    .venv/bin/python benchmarks/bench_inference.py --cpu-offload        # offload variant
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
TOKENIZERS = ROOT.parent / "shared" / "tokenizers"
PROMPT = "masterpiece, best quality, score_7, safe, 1girl, red hair, smile, looking at viewer, cherry blossoms"
NEGATIVE = "worst quality, low quality, score_1, score_2, score_3, artist name"


def build_modules(tiny: bool, device: str, dtype: torch.dtype) -> dict:
    """Random-weight components, created on the meta device and materialised on ``device``."""
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
    from accelerate import init_empty_weights

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


def measure(fn, device: str, runs: int) -> tuple[list[float], float]:
    times = []
    if device.startswith("cuda"):
        torch.cuda.reset_peak_memory_stats()
    for _ in range(runs):
        _sync(device)
        start = time.perf_counter()
        fn()
        _sync(device)
        times.append(time.perf_counter() - start)
    peak = torch.cuda.max_memory_allocated() / 2**30 if device.startswith("cuda") else float("nan")
    return times, peak


def _sync(device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tiny", action="store_true", help="2-layer model, 64x64, 4 steps, CPU float32")
    parser.add_argument("--device", default=None)
    parser.add_argument("--dtype", default=None, choices=["bfloat16", "float16", "float32"])
    parser.add_argument("--size", type=int, default=None)
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument("--cfg", type=float, default=4.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--compile", action="store_true", help="torch.compile the DiT's repeated blocks")
    parser.add_argument("--attention", default=None, help="diffusers attention backend, e.g. flash, _native_cudnn")
    parser.add_argument("--no-batched-cfg", action="store_true")
    parser.add_argument("--cpu-offload", action="store_true")
    args = parser.parse_args()

    from diffusers import AnimaAutoBlocks, FlowMatchEulerDiscreteScheduler
    from diffusers.guiders import ClassifierFreeGuidance
    from diffusers.utils import logging as dlog

    from inference.pipeline import AnimaRunner, GenerationSettings
    from inference.tokenizers import load_tokenizers

    dlog.set_verbosity_error()
    device = args.device or ("cpu" if args.tiny or not torch.cuda.is_available() else "cuda")
    dtype_name = args.dtype or ("float32" if device == "cpu" else "bfloat16")
    dtype = getattr(torch, dtype_name)
    size = args.size or (64 if args.tiny else 1024)
    steps = args.steps or (4 if args.tiny else 30)
    torch.manual_seed(0)
    t0 = time.perf_counter()
    modules = build_modules(args.tiny, device, dtype)
    tokenizers = load_tokenizers(tokenizers_dir=TOKENIZERS)
    print(f"device {device} ({torch.cuda.get_device_name(0) if device.startswith('cuda') else 'cpu'}), "
          f"{dtype_name}, {size}x{size}, {steps} steps, CFG {args.cfg}; built in {time.perf_counter() - t0:.1f} s")
    n_params = {k: sum(p.numel() for p in m.parameters()) / 1e6 for k, m in modules.items()}
    print("params (M): " + ", ".join(f"{k} {v:.1f}" for k, v in n_params.items()))

    # --- stock diffusers baseline
    stock_blocks = AnimaAutoBlocks()
    stock_blocks.sub_blocks["denoise"].sub_blocks["text2image"].sub_blocks["denoise"].set_progress_bar_config(
        disable=True)
    stock = stock_blocks.init_pipeline()
    stock.update_components(tokenizer=tokenizers[0], t5_tokenizer=tokenizers[1],
                            scheduler=FlowMatchEulerDiscreteScheduler(shift=3.0),
                            guider=ClassifierFreeGuidance(guidance_scale=args.cfg), **modules)
    decode_times: list[float] = []
    vae_decode = modules["vae"].decode

    def timed_decode(*a, **k):
        _sync(device)
        s = time.perf_counter()
        out = vae_decode(*a, **k)
        _sync(device)
        decode_times.append(time.perf_counter() - s)
        return out

    modules["vae"].decode = timed_decode

    def run_stock():
        return stock(prompt=PROMPT, negative_prompt=NEGATIVE, num_inference_steps=steps, height=size, width=size,
                     generator=torch.Generator(device).manual_seed(1), output_type="np", output="images")

    with torch.inference_mode():
        stock_img = run_stock()
        decode_times.clear()
        stock_times, stock_peak = measure(run_stock, device, args.runs)
    stock_decode = statistics.median(decode_times)
    del modules["vae"].decode

    # --- ours
    if args.attention:
        modules["transformer"].set_attention_backend(args.attention)
    if args.compile:
        modules["transformer"].compile_repeated_blocks(fullgraph=True)
    runner = AnimaRunner.from_modules(modules, tokenizers, device=device, dtype=dtype_name,
                                      batched_cfg=not args.no_batched_cfg, cpu_offload=args.cpu_offload)
    settings = GenerationSettings(prompt=PROMPT, negative=NEGATIVE, seed=1, steps=steps, cfg=args.cfg, width=size,
                                  height=size, sigmas="diffusers")
    results = []
    with torch.inference_mode():
        runner.generate(settings)  # warm-up (and compilation)
        ours_times, ours_peak = measure(lambda: results.append(runner.generate(settings)), device, args.runs)
    ours = results[-1]
    ours_img = np.asarray(ours.images[0], dtype=np.int16)
    stock_px = np.round(stock_img[0] * 255).astype(np.int16)
    diff = np.abs(ours_img - stock_px)

    s_med, o_med = statistics.median(stock_times), statistics.median(ours_times)
    o_decode = statistics.median(r.timings["vae_decode_s"] for r in results)
    o_step = statistics.median(r.timings["per_step_s"] for r in results)
    s_step = (s_med - stock_decode) / steps
    print(f"{'':<22}{'s/image':>10}{'s/step':>10}{'VAE s':>10}{'peak GiB':>10}")
    print(f"{'stock diffusers':<22}{s_med:>10.3f}{s_step:>10.4f}{stock_decode:>10.3f}{stock_peak:>10.2f}")
    label = "ours" + (" +compile" if args.compile else "") + ("" if args.no_batched_cfg else " +batched-cfg") + (
        " +offload" if args.cpu_offload else "")
    print(f"{label:<22}{o_med:>10.3f}{o_step:>10.4f}{o_decode:>10.3f}{ours_peak:>10.2f}")
    print(f"speed-up vs stock: {s_med / o_med:.2f}x; pixel difference vs stock: max {diff.max()}, "
          f"mean {diff.mean():.3f} (0-255)")
    if not args.tiny and device.startswith("cuda"):
        limit = 6.0 if args.cpu_offload else 12.0
        print(f"targets: <=2.5 s/image {'OK' if o_med <= 2.5 else 'MISSED'}, >=1.3x "
              f"{'OK' if s_med / o_med >= 1.3 else 'MISSED'}, peak <= {limit:g} GB "
              f"{'OK' if ours_peak * 1.0737 <= limit else 'MISSED'}")


if __name__ == "__main__":
    main()
