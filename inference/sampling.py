"""Sigma schedules and initial noise: diffusers' default, and ComfyUI's ``simple`` + CPU noise.

ComfyUI samples Anima with ``ModelSamplingDiscreteFlow(shift=3.0, multiplier=1.0)``: a float32
table ``sigma_k = 3t / (1 + 2t)`` for ``t = k/1000, k = 1..1000``; the ``simple`` scheduler picks
``table[-(1 + int(x * 1000 / steps))]`` for ``x = 0..steps-1`` and appends 0. Its initial noise is
``torch.randn(shape, generator=torch.manual_seed(seed), device="cpu")`` over the whole batch, in
float32, for the latent shape ``[B, 16, 1, H/8, W/8]``; at sigma 1.0 the start latent is exactly that
noise. diffusers' Anima default is ``linspace(1, 1/N, N)`` shifted by 3 in the scheduler.

Examples
--------
>>> [round(s, 6) for s in comfy_simple_sigmas(30)[:3]]
[1.0, 0.988753, 0.976987]
>>> [round(s, 6) for s in diffusers_sigmas(30)[:3]]
[1.0, 0.988636, 0.976744]
>>> comfy_noise(0, (1, 16, 1, 2, 2)).shape
torch.Size([1, 16, 1, 2, 2])
"""

from __future__ import annotations

import numpy as np
import torch

from inference.settings import SCHEDULES  # noqa: F401  (re-exported)

SHIFT = 3.0


def comfy_sigma_table(shift: float = SHIFT, timesteps: int = 1000) -> torch.Tensor:
    """ComfyUI's float32 flow sigma table (ascending, ``timesteps`` entries)."""
    t = torch.arange(1, timesteps + 1, 1) / timesteps * 1.0
    t = t / 1.0
    return shift * t / (1 + (shift - 1) * t)


def comfy_simple_sigmas(steps: int, shift: float = SHIFT) -> list[float]:
    """ComfyUI ``simple`` schedule: ``steps`` sigmas from the table, then 0.0."""
    table = comfy_sigma_table(shift)
    stride = len(table) / steps
    sigmas = [float(table[-(1 + int(x * stride))]) for x in range(steps)] + [0.0]
    return torch.FloatTensor(sigmas).tolist()


def diffusers_sigmas(steps: int, shift: float = SHIFT) -> list[float]:
    """diffusers' Anima default (``linspace(1, 1/N, N)``, shifted), then 0.0, as the scheduler computes it."""
    s = np.linspace(1.0, 1 / steps, steps).astype(np.float32)
    s = shift * s / (1 + (shift - 1) * s)
    return [*torch.from_numpy(s).to(torch.float32).tolist(), 0.0]


def latent_shape(batch: int, height: int, width: int, channels: int = 16, scale: int = 8) -> tuple[int, ...]:
    """Latent shape ``[B, C, 1, H/8, W/8]`` of a single-frame image."""
    return (batch, channels, 1, height // scale, width // scale)


def comfy_noise(seed: int, shape: tuple[int, ...]) -> torch.Tensor:
    """Initial noise exactly as ComfyUI's ``prepare_noise`` draws it (CPU, float32, whole batch)."""
    generator = torch.Generator("cpu").manual_seed(seed)
    return torch.randn(shape, dtype=torch.float32, generator=generator, device="cpu")
