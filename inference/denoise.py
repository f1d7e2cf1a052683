"""The sampling loop and VAE decode, with ComfyUI's numerics.

* The latent stays float32 between steps; only the DiT input is cast to the model dtype, and the
  DiT output is cast back to float32 (ComfyUI's ``BaseModel.apply_model``).
* The timestep is sigma itself, in float32 (Anima: multiplier 1.0).
* CFG combines the denoised predictions ``x - sigma * v`` in float32 (``cfg_function``), and the
  Euler step is ``x + (x - denoised) / sigma * (sigma_next - sigma)`` (k-diffusion ``sample_euler``).
* Decode: ``z = x * std + mean`` in float32, the VAE in the model dtype, then
  ``clamp((image + 1) / 2, 0, 1)`` in float32.

Examples
--------
>>> x = torch.zeros(1, 16, 1, 2, 2)
>>> predict = lambda x_in, t, context: torch.ones_like(x_in)  # velocity 1 everywhere
>>> euler_cfg(predict, x, [1.0, 0.5, 0.0], torch.zeros(1, 4, 8), None, 4.0, torch.float32).unique().tolist()
[-1.0]
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

Predict = Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]


def euler_cfg(
    predict: Predict,
    latents: torch.Tensor,
    sigmas: list[float],
    cond: torch.Tensor,
    uncond: torch.Tensor | None,
    cfg: float,
    dtype: torch.dtype,
    batched: bool = True,
    step_callback: Callable[[int, int], None] | None = None,
) -> torch.Tensor:
    """Denoise ``latents`` (float32) over ``sigmas`` (ending in 0) and return the float32 result.

    ``predict(x, timestep, context)`` is the DiT's velocity. ``uncond`` is skipped at ``cfg == 1``
    (as ComfyUI does). With ``batched`` the two CFG branches run as one batch when their contexts
    have the same number of rows.
    """
    x = latents.to(torch.float32)
    table = torch.tensor(sigmas, dtype=torch.float32, device=x.device)
    batch = x.shape[0]
    use_uncond = uncond is not None and cfg != 1.0
    steps = len(sigmas) - 1
    for i in range(steps):
        sigma = table[i]
        t = sigma.expand(batch)
        x_in = x.to(dtype)
        if not use_uncond:
            denoised = x - predict(x_in, t, cond).float() * sigma
        else:
            if batched and uncond.shape == cond.shape:
                both = predict(torch.cat([x_in, x_in]), torch.cat([t, t]), torch.cat([cond, uncond])).float()
                v_cond, v_uncond = both.chunk(2)
            else:
                v_cond = predict(x_in, t, cond).float()
                v_uncond = predict(x_in, t, uncond).float()
            d_cond, d_uncond = x - v_cond * sigma, x - v_uncond * sigma
            denoised = d_uncond + (d_cond - d_uncond) * cfg
        x = x + (x - denoised) / sigma * (table[i + 1] - sigma)
        if step_callback is not None:
            step_callback(i, steps)
    return x


@torch.no_grad()
def decode(vae, latents: torch.Tensor) -> torch.Tensor:
    """Float32 images ``[B, 3, H, W]`` in [0, 1] from float32 latents ``[B, C, 1, h, w]``."""
    channels = latents.shape[1]
    mean = torch.tensor(vae.config.latents_mean, dtype=torch.float32).view(1, channels, 1, 1, 1)
    std = torch.tensor(vae.config.latents_std, dtype=torch.float32).view(1, channels, 1, 1, 1)
    z = latents.float() * std.to(latents.device) + mean.to(latents.device)
    images = vae.decode(z.to(vae.dtype), return_dict=False)[0][:, :, 0].float()
    return torch.clamp((images + 1.0) / 2.0, min=0.0, max=1.0)


def to_uint8(images: torch.Tensor, quantize: str = "truncate") -> np.ndarray:
    """``[B, H, W, 3]`` uint8: ``truncate`` as ComfyUI's SaveImage, or ``round`` as diffusers.

    >>> to_uint8(torch.full((1, 3, 1, 1), 0.999)).ravel().tolist(), to_uint8(torch.full((1, 3, 1, 1), 0.999),
    ...                                                                         "round").ravel().tolist()
    ([254, 254, 254], [255, 255, 255])
    """
    scaled = 255.0 * images.permute(0, 2, 3, 1).cpu().numpy()
    if quantize == "round":
        scaled = np.round(scaled)
    return np.clip(scaled, 0, 255).astype(np.uint8)
