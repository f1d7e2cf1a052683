"""Each ComfyUI rule pinned on tiny random weights: prompt syntax, token ids, weighted context rows,
the empty prompt, long prompts, float32 latents and timesteps, SaveImage quantization, the cache."""

import copy

import numpy as np
import pytest
import torch

from inference.conditioning import encode_tokens
from inference.denoise import decode, to_uint8
from inference.pipeline import AnimaRunner, GenerationSettings
from inference.prompt_weights import QWEN_PAD, parse_weights, tokenize

SMALL = {"steps": 2, "width": 32, "height": 32}


@pytest.mark.parametrize("prompt,expected", [
    ("1girl", [("1girl", 1.0)]),
    ("(smile)", [("smile", 1.1)]),
    ("((smile))", [("smile", 1.1 * 1.1)]),
    ("(smile:1.3)", [("smile", 1.3)]),
    ("((smile):1.5)", [("smile", 1.5 * 1.1)]),
    ("a (b (c:0.5) d) e", [("a ", 1.0), ("b ", 1.1), ("c", 0.5), (" d", 1.1), (" e", 1.0)]),
    ("(a:b)", [("a:b", 1.1)]),  # no number after the colon: the colon is text
    ("\\(escaped\\)", [("(escaped)", 1.0)]),
    ("(keep \\(this\\))", [("keep (this)", 1.1)]),
    ("(unclosed", [("(unclosed", 1.0)]),
    ("", []),
])
def test_prompt_syntax(prompt, expected):
    assert parse_weights(prompt) == expected


def test_token_ids_are_segment_by_segment(runner):
    q, t5 = runner.components.tokenizer, runner.components.t5_tokenizer
    tokens = tokenize("hatsune miku (vocaloid)", q, t5)
    assert tokens.qwen_ids == q("hatsune miku ").input_ids + q("vocaloid").input_ids
    assert tokens.t5_ids == t5("hatsune miku ").input_ids[:-1] + t5("vocaloid").input_ids[:-1] + [1]
    n_first = len(t5("hatsune miku ").input_ids) - 1
    assert tokens.t5_weights == [1.0] * n_first + [1.1] * (len(tokens.t5_ids) - 1 - n_first) + [1.0]
    escaped = tokenize("a \\(b\\)", q, t5)
    assert escaped.t5_ids == t5("a (b)").input_ids and t5.unk_token_id not in escaped.t5_ids
    assert escaped.qwen_ids == q("a (b)").input_ids


def _context(runner, prompt):
    c = runner.components
    return encode_tokens(tokenize(prompt, c.tokenizer, c.t5_tokenizer), c.text_encoder, c.text_conditioner,
                         "cpu", torch.float32)


def test_weights_multiply_the_adapter_rows(runner):
    plain, weighted = _context(runner, "red cat"), _context(runner, "(red cat:1.5)")
    n = len(tokenize("red cat", runner.components.tokenizer, runner.components.t5_tokenizer).t5_ids)
    torch.testing.assert_close(weighted[:, : n - 1], plain[:, : n - 1] * 1.5)
    torch.testing.assert_close(weighted[:, n - 1], plain[:, n - 1])  # </s> keeps weight 1.0
    assert torch.count_nonzero(weighted[:, n:]) == 0 and weighted.shape[1] == 512


def test_empty_prompt_is_one_endoftext_token_encoded_without_masks(runner):
    c = runner.components
    tokens = tokenize("", c.tokenizer, c.t5_tokenizer)
    assert (tokens.qwen_ids, tokens.t5_ids, tokens.t5_weights) == ([QWEN_PAD], [1], [1.0])
    context = _context(runner, "")
    with torch.no_grad():
        hidden = c.text_encoder(input_ids=torch.tensor([[QWEN_PAD]])).last_hidden_state
        row = c.text_conditioner(source_hidden_states=hidden, target_input_ids=torch.tensor([[1]]))[:, :1]
        # diffusers' default: token 0 with mask 0, embedding zeroed, all-false source mask
        stock_hidden = c.text_encoder(input_ids=torch.tensor([[0]]), attention_mask=torch.tensor([[0]]))
        stock = c.text_conditioner(source_hidden_states=stock_hidden.last_hidden_state * 0,
                                   target_input_ids=torch.tensor([[1]]), target_attention_mask=torch.tensor([[1]]),
                                   source_attention_mask=torch.tensor([[0]]))[:, :1]
    torch.testing.assert_close(context[:, :1], row)
    assert torch.count_nonzero(context[:, 1:]) == 0
    assert not torch.allclose(context[:, :1], stock)


def test_long_prompts_are_not_truncated(runner):
    prompt = ", ".join(f"tag{i}" for i in range(400))
    c = runner.components
    tokens = tokenize(prompt, c.tokenizer, c.t5_tokenizer)
    assert len(tokens.t5_ids) > 512 and len(tokens.qwen_ids) > 512
    context = _context(runner, prompt)
    assert context.shape[1] == len(tokens.t5_ids)
    # a long prompt with the short empty negative: the two CFG branches run separately
    result = runner.generate(GenerationSettings(prompt=prompt, seed=1, **SMALL))
    assert result.images[0].size == (32, 32)


def test_latents_and_timestep_stay_float32_in_bf16(tiny, tokenizers_dir):
    from inference.tokenizers import load_tokenizers

    modules = {k: copy.deepcopy(m).to(torch.bfloat16) for k, m in tiny.items()}
    runner = AnimaRunner.from_modules(modules, load_tokenizers(tokenizers_dir=tokenizers_dir), dtype="bfloat16")
    seen = []
    hook = runner.components.transformer.register_forward_hook(
        lambda m, a, k, out: seen.append((k["hidden_states"].dtype, k["timestep"].dtype, out[0].dtype)),
        with_kwargs=True)
    try:
        result = runner.generate(GenerationSettings(prompt="a cat", negative="blurry", seed=3, **SMALL))
    finally:
        hook.remove()
    assert result.latents.dtype == torch.float32
    assert seen == [(torch.bfloat16, torch.float32, torch.bfloat16)] * 2
    assert runner.components.text_encoder.dtype == torch.float32  # text is encoded in float32


def test_png_pixels_are_truncated_as_saveimage(runner):
    s = GenerationSettings(prompt="a cat", seed=2, **SMALL)
    result = runner.generate(s)
    images = decode(runner.components.vae, result.latents)
    expected = np.clip(255.0 * images.permute(0, 2, 3, 1).numpy(), 0, 255).astype(np.uint8)
    assert np.array_equal(np.asarray(result.images[0]), expected[0])
    s.quantize = "round"
    rounded = np.asarray(runner.generate(s).images[0]).astype(int)
    diff = rounded - expected[0].astype(int)
    assert diff.min() >= 0 and diff.max() == 1  # rounding lifts some pixels by one level, never lowers
    assert np.array_equal(to_uint8(images, "round")[0], rounded)


def test_same_prompt_is_encoded_once(runner):
    calls = []
    hook = runner.components.text_encoder.register_forward_hook(lambda *a: calls.append(1))
    try:
        s = GenerationSettings(prompt="cache me (please:1.2)", negative="cache me too", **SMALL)
        runner.generate(s)
        runner.generate(s)
    finally:
        hook.remove()
    assert len(calls) == 2  # prompt and negative, once each
