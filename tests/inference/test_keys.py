"""Key conversion and config inference against the full-size key/shape tables, on the meta device."""

import ast

import pytest
import torch

from inference import config_infer, keys
from tests.inference.tiny import REPO_ROOT
from tests.shared_files import require_shared

TABLES = REPO_ROOT.parent / "shared" / "reference" / "anima-keys"


def _rows(name: str) -> list[list[str]]:
    require_shared("reference", "anima-keys", name)
    lines = (TABLES / name).read_text().splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def _shapes(name: str, key_col: int = 0) -> dict[str, tuple[int, ...]]:
    return {r[key_col]: tuple(ast.literal_eval(r[-1])) for r in _rows(name)}


def _meta_state(build):
    with torch.device("meta"):
        return {k: tuple(v.shape) for k, v in build().state_dict().items()}


def test_dit_rename_table_both_ways():
    rows = _rows("dit_native_to_diffusers.tsv")
    assert len(rows) == 567
    for native, diffusers, _ in rows:
        assert keys.dit_key_to_diffusers(native.removeprefix("net.")) == diffusers
        assert keys.dit_key_to_native(diffusers) == native.removeprefix("net.")


def test_full_dit_file_loads_into_diffusers_modules_on_meta():
    from diffusers import AnimaTextConditioner, CosmosTransformer3DModel

    shapes = _shapes("dit_native.tsv")
    assert len(shapes) == 685
    prefix, t_map, a_map, unknown = keys.split_dit_keys(shapes)
    assert (prefix, len(t_map), len(a_map), unknown) == ("net.", 567, 118, [])
    t_cfg = config_infer.transformer_config(shapes, prefix)
    assert (t_cfg["num_layers"], t_cfg["num_attention_heads"], t_cfg["attention_head_dim"]) == (28, 16, 128)
    expected = _meta_state(lambda: CosmosTransformer3DModel(**t_cfg))
    assert {t_map[k]: s for k, s in shapes.items() if k in t_map} == expected
    a_cfg = config_infer.adapter_config(shapes, "net.llm_adapter.")
    expected = _meta_state(lambda: AnimaTextConditioner(**a_cfg))
    assert {a_map[k]: s for k, s in shapes.items() if k in a_map} == expected


def test_full_text_encoder_on_meta():
    from transformers import Qwen3Config, Qwen3Model

    shapes = _shapes("qwen3_06b.tsv")
    mapping, unknown = keys.text_encoder_keys(shapes)
    cfg = config_infer.qwen3_config(shapes)
    assert (cfg["num_hidden_layers"], cfg["num_key_value_heads"], cfg["intermediate_size"]) == (28, 8, 3072)
    expected = _meta_state(lambda: Qwen3Model(Qwen3Config(**cfg)))
    assert not unknown
    assert {mapping[k]: s for k, s in shapes.items()} == expected


def test_full_vae_both_ways_and_on_meta():
    from diffusers import AutoencoderKLQwenImage

    rows = _rows("vae_native_to_diffusers.tsv")
    forward = keys.vae_keys_to_diffusers([r[0] for r in rows])
    backward = keys.vae_keys_to_native([r[1] for r in rows])
    assert all(forward[n] == d and backward[d] == n for n, d, _ in rows)
    shapes = _shapes("vae_native_to_diffusers.tsv")
    cfg = config_infer.vae_config(shapes)
    assert cfg == {"base_dim": 96, "z_dim": 16, "dim_mult": [1, 2, 4, 4], "num_res_blocks": 2,
                   "attn_scales": [], "temperal_downsample": [False, True, True]}
    expected = _meta_state(lambda: AutoencoderKLQwenImage(**cfg))
    assert {forward[k]: s for k, s in shapes.items()} == expected


def test_tiny_vae_with_other_depth_round_trips(tiny):
    sd = tiny["vae"].state_dict()
    native = keys.vae_keys_to_native(sd)
    back = keys.vae_keys_to_diffusers(native.values())
    assert all(back[native[k]] == k for k in sd)


@pytest.mark.parametrize("bad", ["blocks.0.self_attn.nonsense.weight", "final_layer.other.weight"])
def test_unknown_dit_key_raises(bad):
    with pytest.raises(KeyError):
        keys.dit_key_to_diffusers(bad)
