"""Full generation on CPU with tiny random weights, in both layouts, against stock diffusers."""

import numpy as np
import pytest
import torch
from diffusers import AnimaAutoBlocks, FlowMatchEulerDiscreteScheduler
from diffusers.guiders import ClassifierFreeGuidance

from inference.errors import GenerationError
from inference.locate import find_weights
from inference.pipeline import AnimaRunner, GenerationSettings
from inference.sampling import comfy_noise, comfy_simple_sigmas, latent_shape

SMALL = {"steps": 3, "width": 64, "height": 48}


def _px(result) -> np.ndarray:
    return np.stack([np.asarray(im, dtype=np.int16) for im in result.images])


def test_comfy_layout_matches_weights_loaded_natively_into_diffusers(runner, tiny):
    settings = GenerationSettings(prompt="1girl, red hair", negative="lowres", seed=5, cfg=4.0, **SMALL)
    ours = runner.generate(settings)
    # the stock modular pipeline, fed the same in-memory modules, sigmas and ComfyUI noise
    pipe = AnimaAutoBlocks().init_pipeline()
    pipe.update_components(
        tokenizer=runner.components.tokenizer,  # loaded from tokenizers_dir by our loader
        t5_tokenizer=runner.components.t5_tokenizer,
        scheduler=FlowMatchEulerDiscreteScheduler(shift=1.0),
        guider=ClassifierFreeGuidance(guidance_scale=4.0),
        **tiny,
    )
    stock = pipe(prompt="1girl, red hair", negative_prompt="lowres", num_inference_steps=3, height=48, width=64,
                 sigmas=comfy_simple_sigmas(3)[:-1], latents=comfy_noise(5, latent_shape(1, 48, 64)),
                 output_type="pil", output="images")
    assert np.abs(_px(ours) - np.asarray(stock[0], dtype=np.int16)[None]).max() <= 1


def test_diffusers_folder_gives_the_same_pixels(runner, diffusers_dir, tokenizers_dir):
    other = AnimaRunner.load(find_weights(weights=diffusers_dir), device="cpu")  # tokenizers from the folder
    for sigmas in ("comfy", "diffusers"):
        s = GenerationSettings(prompt="a cat", seed=3, sigmas=sigmas, **SMALL)
        assert np.array_equal(_px(runner.generate(s)), _px(other.generate(s)))


def test_same_seed_same_pixels_different_seed_different_pixels(runner):
    a = _px(runner.generate(GenerationSettings(prompt="a cat", seed=1, **SMALL)))
    b = _px(runner.generate(GenerationSettings(prompt="a cat", seed=1, **SMALL)))
    c = _px(runner.generate(GenerationSettings(prompt="a cat", seed=2, **SMALL)))
    assert a.shape == (1, 48, 64, 3)
    assert np.array_equal(a, b)
    assert np.abs(a - c).mean() > 1


def test_batched_cfg_equals_two_passes(runner, comfy_models, tokenizers_dir):
    plain = AnimaRunner.load(find_weights(comfy_models=comfy_models), device="cpu", tokenizers_dir=tokenizers_dir,
                             batched_cfg=False)
    s = GenerationSettings(prompt="a dog", negative="blurry", seed=9, batch=2, **SMALL)
    a, b = _px(runner.generate(s)), _px(plain.generate(s))
    assert a.shape[0] == 2 and np.abs(a - b).max() <= 1
    assert not np.array_equal(a[0], a[1])  # one noise draw over the batch: the images differ


def test_schedules_differ_and_progress_is_reported(runner):
    steps = []
    s = GenerationSettings(prompt="a cat", seed=4, steps=7, width=32, height=32)
    comfy = runner.generate(s, step_callback=lambda i, n: steps.append((i, n)))
    assert steps == [(i, 7) for i in range(7)]
    assert set(comfy.timings) >= {"denoise_s", "vae_decode_s", "per_step_s", "total_s"}
    s.sigmas = "diffusers"
    assert not np.array_equal(_px(comfy), _px(runner.generate(s)))


def test_cfg_one_skips_the_negative_branch(runner):
    calls = []
    hook = runner.components.transformer.register_forward_hook(
        lambda m, a, k, out: calls.append(k["hidden_states"].shape[0]), with_kwargs=True
    )
    try:
        runner.generate(GenerationSettings(prompt="a cat", cfg=1.0, **SMALL))
    finally:
        hook.remove()
    assert calls == [1, 1, 1]


@pytest.mark.parametrize("field,value", [("width", 50), ("steps", 0), ("sigmas", "karras")])
def test_invalid_settings_are_rejected(field, value):
    s = GenerationSettings(prompt="x", **{field: value})
    with pytest.raises(GenerationError):
        s.validate()


def test_float32_on_cpu_by_default(runner):
    assert runner.dtype == "float32" and runner.components.transformer.dtype == torch.float32
