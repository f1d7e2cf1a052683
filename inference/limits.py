"""Refuse a generation that cannot fit before anything is allocated, with a memory estimate.

The estimate is rough: the VAE decoder's activations at full resolution (the Qwen-Image VAE keeps about six
96-channel feature maps of the image's size alive at its last level) for each image of the batch, plus the
weight files. The DiT's attention is left out: PyTorch's attention kernels (CPU and CUDA) work in blocks and
never hold the full tokens x tokens matrix, so at sizes the position table allows it is not the peak.

>>> round(estimate_bytes(1024, 1024, 1, "bfloat16", "cuda") / 2**30, 1)
1.1
>>> try:
...     check_size(100000, 1024, 1, "float32", "cpu")
... except GenerationError as err:
...     print(err.message.split(";")[1])
 this size would need about 219.7 GiB
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from inference.errors import GenerationError

#: Largest side: the DiT's RoPE table spans max_size=240 latent patches of 16 pixels.
MAX_SIDE = 3840
VAE_CHANNELS = 96
VAE_MAPS = 6
BYTES = {"float32": 4, "float16": 2, "bfloat16": 2}
_HINT = "for example 1024x1024, 896x1152 or 832x1216"


def estimate_bytes(width: int, height: int, batch: int, dtype: str, device: str,
                   weight_files: Iterable[Path] = ()) -> int:
    """Rough peak memory of one generation in bytes (see the module docstring)."""
    b = BYTES.get(dtype, 4)
    pixels = width * height
    vae = VAE_MAPS * VAE_CHANNELS * pixels * b
    weights = 0
    for f in weight_files:
        try:
            weights += Path(f).stat().st_size
        except OSError:
            continue
    return batch * vae + weights


def available_bytes(device: str) -> int | None:
    """Memory free for the device now (RAM for the CPU, free GPU memory for CUDA), or None if unknown."""
    if device.startswith("cuda"):
        try:
            import torch

            if torch.cuda.is_available():
                return int(torch.cuda.mem_get_info()[0])
        except (ImportError, RuntimeError):
            return None
        return None
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_dimensions(width: int, height: int, batch: int = 1, dtype: str = "float32", device: str = "cpu") -> None:
    """Raise ``GenerationError`` for a size the model cannot take (no torch needed: the CLI checks it first).

    >>> check_dimensions(1024, 832)
    """
    if width < 16 or height < 16 or width % 16 or height % 16:
        raise GenerationError(f"width and height must be positive multiples of 16, got {width}x{height}", hint=_HINT)
    for name, value in (("width", width), ("height", height)):
        if value > MAX_SIDE:
            estimate = estimate_bytes(min(width, 10**6), min(height, 10**6), batch, dtype, device)
            raise GenerationError(f"{name} {value} is over the {MAX_SIDE}-pixel limit (the DiT's position table "
                                  f"covers 240 patches of 16 px); this size would need about "
                                  f"{estimate / 2**30:,.1f} GiB", hint=_HINT)


def check_size(width: int, height: int, batch: int, dtype: str, device: str,
               weight_files: Iterable[Path] = ()) -> int:
    """Raise ``GenerationError`` (with the estimate) for a size the model or the machine cannot take.

    Returns the estimate in bytes when it fits.
    """
    check_dimensions(width, height, batch, dtype, device)
    estimate = estimate_bytes(width, height, batch, dtype, device, weight_files)
    free = available_bytes(device)
    if free is not None and estimate > free:
        raise GenerationError(f"{width}x{height} x{batch} needs about {estimate / 2**30:,.1f} GiB on {device} but "
                              f"about {free / 2**30:,.1f} GiB is free", hint="lower --width/--height or --batch"
                              + (", or use --device cuda" if device == "cpu" else ""))
    return estimate
