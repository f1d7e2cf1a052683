"""Shared fixtures: tiny components written once per session in both layouts."""

from __future__ import annotations

import pytest
import torch

from tests.inference.tiny import TOKENIZERS, tiny_modules, write_comfy, write_diffusers
from tests.shared_files import require_shared

torch.set_num_threads(2)


@pytest.fixture(scope="session")
def tiny():
    return tiny_modules(seed=0)


@pytest.fixture(scope="session")
def comfy_models(tmp_path_factory, tiny):
    root = tmp_path_factory.mktemp("comfy") / "models"
    write_comfy(root, tiny)
    return root


@pytest.fixture(scope="session")
def diffusers_dir(tmp_path_factory, tiny):
    return write_diffusers(tmp_path_factory.mktemp("diffusers") / "Anima-Tiny-Diffusers", tiny)


@pytest.fixture(scope="session")
def tokenizers_dir():
    require_shared("tokenizers")
    assert (TOKENIZERS / "qwen25" / "vocab.json").is_file(), f"missing shared tokenizers at {TOKENIZERS}"
    return TOKENIZERS


@pytest.fixture(scope="session")
def runner(comfy_models, tokenizers_dir):
    from inference.locate import find_weights
    from inference.pipeline import AnimaRunner

    return AnimaRunner.load(find_weights(comfy_models=comfy_models), device="cpu", tokenizers_dir=tokenizers_dir)
