"""Safetensors header reading, component identification, and loading straight to device.

The header is read and checked first (pure JSON; nothing is unpickled, nothing is allocated), so a
wrong, truncated or mismatched file fails with a message naming the file and the component that
was expected. Modules are then built on the meta device and each tensor is read by
``safetensors.safe_open`` directly on the target device and cast to the target dtype one at a
time: there is never a full float32 copy of a checkpoint in RAM.

Examples
--------
>>> import tempfile, pathlib, torch
>>> from safetensors.torch import save_file
>>> p = pathlib.Path(tempfile.mkdtemp()) / "vae.safetensors"
>>> save_file({"decoder.conv1.weight": torch.zeros(4, 16, 3, 3, 3)}, str(p))
>>> read_header(p).shapes
{'decoder.conv1.weight': (4, 16, 3, 3, 3)}
>>> identify(read_header(p))
'vae'
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from inference.errors import WeightsError
from lineage.inspection import safetensors_header
from lineage.inspection.errors import InspectionError

COMPONENT_NAMES = {
    "dit": "Anima DiT + LLM adapter (diffusion_models/anima-*.safetensors)",
    "text_encoder": "Qwen3-0.6B text encoder (text_encoders/qwen_3_06b_base.safetensors)",
    "vae": "Qwen-Image VAE (vae/qwen_image_vae.safetensors)",
}


@dataclass(frozen=True)
class Header:
    """What a safetensors header says: tensor shapes and dtypes, and the free-form metadata."""

    path: Path
    shapes: dict[str, tuple[int, ...]]
    dtypes: dict[str, str]
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def num_params(self) -> int:
        """Number of scalars over all tensors."""
        total = 0
        for shape in self.shapes.values():
            n = 1
            for d in shape:
                n *= d
            total += n
        return total


def read_header(path: str | Path, expected: str | None = None) -> Header:
    """Parse and sanity-check a safetensors header without reading any tensor data.

    ``expected`` (a key of ``COMPONENT_NAMES``) only improves the error messages.
    """
    path = Path(path)
    what = f"; expected the {COMPONENT_NAMES[expected]}" if expected else ""
    if not path.is_file():
        raise WeightsError(f"file not found{what}", path=path, hint="check the path or the models folder")
    try:
        parsed = safetensors_header.read_header(path)
    except InspectionError as exc:
        raise WeightsError(
            f"not a valid safetensors file ({exc}){what}",
            path=path,
            hint="re-download it; only .safetensors files are loaded, never pickles (.ckpt/.pt/.bin)",
        ) from None
    for name, info in parsed.tensors.items():
        if info.end - info.begin != math.ceil(info.numel * safetensors_header.DTYPE_SIZES[info.dtype]):
            raise WeightsError(
                f"tensor {name!r} points outside the file: truncated or corrupt download{what}",
                path=path,
                hint="re-download the file",
            )
    shapes = {name: info.shape for name, info in parsed.tensors.items()}
    dtypes = {name: info.dtype for name, info in parsed.tensors.items()}
    metadata = parsed.metadata
    return Header(path=path, shapes=shapes, dtypes=dtypes, metadata=metadata)


def identify(header: Header) -> str:
    """Which Anima component a file holds: ``dit``, ``text_encoder``, ``vae``, ``diffusers_*`` or ``unknown``.

    ``diffusers_transformer`` / ``diffusers_vae`` mark component files already in diffusers naming.
    """
    keys = header.shapes.keys()
    if any(k.endswith("blocks.0.mlp.layer1.weight") for k in keys):
        return "dit"
    if any(k.endswith("layers.0.self_attn.q_norm.weight") for k in keys):
        return "text_encoder"
    if "decoder.conv1.weight" in keys or "decoder.head.2.weight" in keys:
        return "vae"
    if "transformer_blocks.0.ff.net.0.proj.weight" in keys:
        return "diffusers_transformer"
    if "decoder.conv_in.weight" in keys:
        return "diffusers_vae"
    return "unknown"


def check_component(header: Header, expected: str) -> None:
    """Raise a clear error when ``header`` is not the component ``expected``."""
    found = identify(header)
    if found == expected:
        return
    if found in COMPONENT_NAMES:
        flag = {"dit": "--dit", "text_encoder": "--text-encoder", "vae": "--vae"}[found]
        raise WeightsError(
            f"this is the {COMPONENT_NAMES[found]}, but the {COMPONENT_NAMES[expected]} was expected",
            path=header.path,
            hint=f"pass it with {flag}",
        )
    if found.startswith("diffusers_"):
        raise WeightsError(
            f"this file is in diffusers naming; expected the ComfyUI-layout {COMPONENT_NAMES[expected]}",
            path=header.path,
            hint="pass the whole diffusers folder with --diffusers DIR",
        )
    raise WeightsError(
        f"not an Anima component: no known key layout; expected the {COMPONENT_NAMES[expected]}",
        path=header.path,
        hint="download it from circlestone-labs/Anima on Hugging Face (split_files/)",
    )


def load_module(
    build: Callable[[], object],
    header: Header,
    key_map: dict[str, str],
    device: str,
    dtype,
    component: str,
):
    """Build a module on the meta device and fill it from ``header.path`` (file key -> module key).

    Floating tensors are cast to ``dtype`` on the target device; non-persistent buffers (RoPE
    tables) are created by the constructor on the CPU and then moved.
    """
    import torch
    from accelerate import init_empty_weights
    from safetensors import safe_open

    with init_empty_weights(include_buffers=False):
        module = build()
    expected = module.state_dict()
    wanted = set(key_map.values())
    missing = sorted(set(expected) - wanted)
    unexpected = sorted(wanted - set(expected))
    bad_shapes = [
        f"{src}: {header.shapes[src]} vs {tuple(expected[dst].shape)}"
        for src, dst in key_map.items()
        if dst in expected and tuple(expected[dst].shape) != header.shapes[src]
    ]
    if missing or unexpected or bad_shapes:
        detail = "; ".join(
            part
            for part in (
                f"missing {missing[:3]}" if missing else "",
                f"unexpected {unexpected[:3]}" if unexpected else "",
                f"shape mismatch {bad_shapes[:3]}" if bad_shapes else "",
            )
            if part
        )
        raise WeightsError(
            f"does not match the {COMPONENT_NAMES.get(component, component)}: {detail}",
            path=header.path,
            hint="the file may be a different model or a partial download",
        )
    state = {}
    target = torch.device(device)
    with safe_open(str(header.path), framework="pt", device=str(target)) as fh:
        for src, dst in key_map.items():
            tensor = fh.get_tensor(src)
            if tensor.is_floating_point():
                tensor = tensor.to(dtype)
            state[dst] = tensor
    module.load_state_dict(state, strict=True, assign=True)
    module.to(target)
    module.eval().requires_grad_(False)
    return module


def check_headers(files: dict[str, Path]) -> dict[str, Header]:
    """Read and check the headers of the split files (component -> path) against what the architecture needs.

    The same checks the loader makes before it builds any module (component identity, key layout, every
    shape that sets the configuration), run from headers alone: no torch module, tokenizer or tensor is
    touched, so a damaged or hostile file fails in milliseconds with the file and the tensor named.
    Returns the headers by component.
    """
    from inference import config_infer, keys

    headers: dict[str, Header] = {}
    for component, path in files.items():
        header = read_header(path, expected=component)
        check_component(header, component)
        headers[component] = header
    current: Header | None = None
    try:
        if "dit" in headers:
            current = headers["dit"]
            prefix, _, a_map, unknown = keys.split_dit_keys(current.shapes)
            if unknown:
                raise WeightsError(f"unexpected keys in the DiT file, e.g. {unknown[:3]}",
                                   hint="this does not look like an Anima checkpoint")
            if not a_map:
                raise WeightsError("the DiT file has no llm_adapter.* tensors (a Cosmos-Predict2 file, not Anima?)",
                                   hint="use an anima-*.safetensors file")
            config_infer.transformer_config(current.shapes, prefix)
            config_infer.adapter_config(current.shapes, prefix + keys.ADAPTER)
        if "text_encoder" in headers:
            current = headers["text_encoder"]
            _, te_unknown = keys.text_encoder_keys(current.shapes)
            if te_unknown:
                raise WeightsError(f"unexpected keys in the text encoder, e.g. {te_unknown[:3]}")
            config_infer.qwen3_config(current.shapes)
        if "vae" in headers:
            current = headers["vae"]
            config_infer.vae_config(current.shapes)
            keys.vae_keys_to_diffusers(current.shapes)
    except WeightsError as exc:
        raise WeightsError(exc.message, path=current.path if current else None, hint=exc.hint) from None
    except (KeyError, IndexError, ValueError, ZeroDivisionError) as exc:
        raise WeightsError(f"the tensor layout is not understood ({type(exc).__name__}: {exc})",
                           path=current.path if current else None,
                           hint="the file is incomplete or not an Anima component") from None
    return headers
