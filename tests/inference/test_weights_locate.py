"""Header checks, component identification, finding files, and tokenizer errors."""

import pickle

import pytest
import torch
from safetensors.torch import save_file

from inference.errors import TokenizerError, WeightsError
from inference.locate import find_weights
from inference.pipeline import AnimaRunner
from inference.tokenizers import load_tokenizers
from inference.weights import check_component, identify, read_header


def test_header_identifies_components(comfy_models):
    found = find_weights(comfy_models=comfy_models)
    assert {c: identify(read_header(p)) for c, p in found.files.items()} == {
        "dit": "dit", "text_encoder": "text_encoder", "vae": "vae"}


def test_pickle_is_rejected_without_unpickling(tmp_path):
    p = tmp_path / "anima.safetensors"
    p.write_bytes(pickle.dumps({"a": 1}))
    with pytest.raises(WeightsError, match=r"not a valid safetensors file.*Anima DiT"):
        read_header(p, expected="dit")


def test_truncated_file_is_reported(comfy_models, tmp_path):
    src = (comfy_models / "vae" / "qwen_image_vae.safetensors").read_bytes()
    p = tmp_path / "qwen_image_vae.safetensors"
    p.write_bytes(src[: len(src) // 2])
    with pytest.raises(WeightsError, match="truncated") as err:
        read_header(p, expected="vae")
    assert str(p) in str(err.value)


def test_wrong_component_names_file_and_flag(comfy_models):
    header = read_header(comfy_models / "vae" / "qwen_image_vae.safetensors")
    with pytest.raises(WeightsError, match=r"Qwen-Image VAE.*Anima DiT.*was expected.*--vae"):
        check_component(header, "dit")


def test_swapped_files_fail_at_load(comfy_models, tokenizers_dir):
    paths = find_weights(comfy_models=comfy_models, dit=comfy_models / "vae" / "qwen_image_vae.safetensors")
    with pytest.raises(WeightsError, match=r"qwen_image_vae\.safetensors"):
        AnimaRunner.load(paths, device="cpu", tokenizers_dir=tokenizers_dir)


def test_shape_mismatch_is_clear(tmp_path, comfy_models, tokenizers_dir):
    te = tmp_path / "qwen_3_06b_base.safetensors"
    save_file({"model.layers.0.self_attn.q_norm.weight": torch.zeros(8), "model.embed_tokens.weight":
               torch.zeros(10, 16)}, str(te))
    paths = find_weights(comfy_models=comfy_models, text_encoder=te)
    with pytest.raises(WeightsError, match=r"qwen_3_06b_base\.safetensors"):
        AnimaRunner.load(paths, device="cpu", tokenizers_dir=tokenizers_dir)


def test_missing_models_folder_says_where_to_get_files(tmp_path):
    with pytest.raises(WeightsError, match="circlestone-labs/Anima"):
        find_weights(comfy_models=tmp_path)


def test_several_candidates_ask_to_choose(comfy_models, tmp_path):
    root = tmp_path / "models"
    for sub in ("diffusion_models", "text_encoders", "vae"):
        (root / sub).mkdir(parents=True)
    (root / "diffusion_models" / "anima-a.safetensors").write_bytes(b"")
    (root / "diffusion_models" / "anima-b.safetensors").write_bytes(b"")
    with pytest.raises(WeightsError, match="--dit"):
        find_weights(comfy_models=root)


def test_weights_argument_accepts_a_dit_file(comfy_models):
    dit = next((comfy_models / "diffusion_models").glob("*.safetensors"))
    assert find_weights(weights=dit).vae == comfy_models / "vae" / "qwen_image_vae.safetensors"


def test_missing_tokenizers_offline(tmp_path, monkeypatch):
    monkeypatch.delenv("LINEAGE_TOKENIZERS", raising=False)
    with pytest.raises(TokenizerError, match=r"qwen tokenizer not found.*t5 tokenizer not found.*--tokenizers DIR"):
        load_tokenizers(tokenizers_dir=tmp_path / "empty", hub_cache=tmp_path / "hf")
