"""GPU speed-ups that keep the result exact: per-block ``torch.compile`` and cuDNN attention.

``CosmosTransformer3DModel`` declares no ``_repeated_blocks``, so diffusers'
``compile_repeated_blocks`` refuses it; compiling each ``transformer_blocks[i]`` ourselves gives
one compiled graph reused by all 28 blocks (same shapes), the first step pays the compilation,
and inductor's on-disk cache (on by default) makes later processes faster.

Examples
--------
>>> resolve_compile(None, "cpu"), resolve_compile(None, "cuda"), resolve_compile(False, "cuda")
(False, True, False)
>>> resolve_attention(None, "cpu", True), resolve_attention(None, "cuda", True), resolve_attention(None, "cuda", False)
(None, '_native_cudnn', None)
"""

from __future__ import annotations

GPU_ATTENTION = "_native_cudnn"


def resolve_compile(requested: bool | None, device: str) -> bool:
    """Compile by default on a GPU, never by default on the CPU."""
    return device.startswith("cuda") if requested is None else requested


def resolve_attention(requested: str | None, device: str, compiled: bool) -> str | None:
    """cuDNN SDPA by default for compiled blocks on a GPU (fastest on an H200; uncompiled it was slower)."""
    if requested is not None:
        return None if requested == "default" else requested
    return GPU_ATTENTION if device.startswith("cuda") and compiled else None


def compile_blocks(transformer, mode: str | None = None) -> int:
    """``torch.compile`` each repeated DiT block in place; returns how many were compiled."""
    blocks = transformer.transformer_blocks
    for block in blocks:
        block.compile(fullgraph=True, dynamic=False, mode=mode)
    return len(blocks)


def set_attention(transformer, backend: str | None) -> str:
    """Switch the DiT's attention backend (``None``: leave diffusers' default); returns the one in use."""
    if backend is None:
        return "default"
    import torch

    if backend == GPU_ATTENTION and not torch.backends.cudnn.is_available():
        return "default"
    transformer.set_attention_backend(backend)
    return backend
