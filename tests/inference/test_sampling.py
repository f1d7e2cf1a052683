"""Schedules and noise match ComfyUI's and diffusers' conventions."""

import numpy as np
import pytest
import torch
from diffusers import FlowMatchEulerDiscreteScheduler

from inference.sampling import comfy_noise, comfy_simple_sigmas, diffusers_sigmas


def test_comfy_simple_30_steps_matches_reference_values():
    s = comfy_simple_sigmas(30)
    assert len(s) == 31 and s[-1] == 0.0
    assert s[:6] == pytest.approx([1.0, 0.988753, 0.976987, 0.964286, 0.951353, 0.937781], abs=1e-6)
    assert s[-4:-1] == pytest.approx([0.25, 0.177249, 0.095506], abs=1e-6)


def test_diffusers_default_matches_the_scheduler():
    sched = FlowMatchEulerDiscreteScheduler(shift=3.0)
    sched.set_timesteps(sigmas=np.linspace(1.0, 1 / 30, 30))
    assert diffusers_sigmas(30) == pytest.approx(sched.sigmas.tolist(), abs=1e-7)


def test_comfy_noise_is_torch_manual_seed_randn():
    torch.manual_seed(123)
    expected = torch.randn((2, 16, 1, 4, 6), dtype=torch.float32, device="cpu")
    assert torch.equal(comfy_noise(123, (2, 16, 1, 4, 6)), expected)
