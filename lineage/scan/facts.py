"""Facts about one weights file, before any judgement: what its header says it is, what its sidecars declare.

This stage reuses the inspector's readers and rules (:mod:`lineage.inspection`): the safetensors and GGUF
header parsers, the architecture rules, LoRA recognition and the kohya/``modelspec`` metadata fields. It
knows nothing of the graph, so its result can be cached per (path, size, mtime) and reused when the data
changes. A file is opened once, without blocking (``O_NONBLOCK``), checked to be a regular file with the size
and mtime the walk saw, and checked again after reading: a file that changed meanwhile is reported, not cached.

>>> import json, pathlib, struct, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> head = json.dumps({"lora_unet_input_blocks_4_1_transformer_blocks_0_attn2_to_k.lora_down.weight":
...                    {"dtype": "F16", "shape": [8, 2048], "data_offsets": [0, 0]},
...                    "__metadata__": {"ss_base_model_version": "sdxl_base_v1-0"}}).encode()
>>> p = d / "ink.safetensors"; _ = p.write_bytes(struct.pack("<Q", len(head)) + head)
>>> f = read_facts(p)
>>> f["kind"], f["architecture"]["node"], f["training"]["base_model_version"]
('lora', 'sdxl-1.0', 'sdxl_base_v1-0')
"""

from __future__ import annotations

import os
import stat
import struct
from pathlib import Path
from typing import Any

from lineage.hashing import lookup_sha256, sha256_file
from lineage.inspection.errors import InspectionError
from lineage.inspection.gguf import parse_gguf
from lineage.inspection.identify import identify
from lineage.inspection.lora import identify_lora, is_lora
from lineage.inspection.metadata import training_fields
from lineage.inspection.pickles import sniff_pickle
from lineage.inspection.safetensors_header import MAX_HEADER, parse_header
from lineage.scan.sidecars import read_sidecars

#: Which part of a file decides its kind when it holds several (a bundled checkpoint).
COMPONENT_KIND = {"denoiser": "diffusion model", "vae": "vae", "text_encoder": "text encoder", "adapter": "adapter"}


class FileChanged(InspectionError):
    """The file's size or mtime changed between the walk and the end of reading it."""


def _open_regular(path: Path, size: int | None, mtime_ns: int | None) -> tuple[Any, os.stat_result]:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    fh = os.fdopen(fd, "rb")
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        fh.close()
        raise InspectionError(f"{path.name}: not a regular file; never read.")
    if size is not None and (st.st_size, st.st_mtime_ns) != (size, mtime_ns):
        fh.close()
        raise FileChanged(f"{path.name}: the file changed while the folder was scanned; scan again.")
    return fh, st


def _header(path: Path, size: int | None, mtime_ns: int | None) -> tuple[str, dict[str, tuple[int, ...]],
                                                                           dict[str, str], list[str], os.stat_result]:
    fh, st = _open_regular(path, size, mtime_ns)
    with fh:
        head = fh.read(16)
        if sniff_pickle(head) and head[8:9] != b"{":
            raise InspectionError(f"{path.name}: its first bytes are a Python pickle; never opened further.")
        if head.startswith(b"GGUF"):
            fh.seek(0)
            header = parse_gguf(fh, path.name)
            meta = {k: str(v)[:2000] for k, v in header.metadata.items()}
            result = ("gguf", dict(header.tensors), meta, [])
        else:
            if len(head) < 8:
                raise InspectionError(f"{path.name}: {st.st_size} bytes, too short to be safetensors.")
            (length,) = struct.unpack("<Q", head[:8])
            if length > MAX_HEADER or length > st.st_size - 8:
                raise InspectionError(f"{path.name}: the header claims {length:,} bytes; the file is corrupt, "
                                      "truncated or not safetensors.")
            fh.seek(8)
            raw = fh.read(length)
            if len(raw) != length:
                raise InspectionError(f"{path.name}: the file ended while reading the header; it is truncated.")
            parsed = parse_header(raw, st.st_size, path.name)
            shapes = {k: t.shape for k, t in parsed.tensors.items()}
            result = ("safetensors", shapes, parsed.metadata, list(parsed.warnings))
        after = os.fstat(fh.fileno())
    if (after.st_size, after.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
        raise FileChanged(f"{path.name}: the file changed while it was read; scan again.")
    return (*result, st)


def read_facts(path: Path, size: int | None = None, mtime_ns: int | None = None, hf_repo: str | None = None,
               blob: str | None = None, compute_hash: bool = False) -> dict[str, Any]:
    """The facts of the weights file at ``path`` as a JSON-able dict (raises ``InspectionError``/``OSError``)."""
    fmt, shapes, metadata, warnings, st = _header(path, size, mtime_ns)
    facts: dict[str, Any] = {"format": fmt, "tensors": len(shapes), "warnings": warnings, "parts": [],
                             "architecture": None, "lora": None}
    if is_lora(shapes):
        info = identify_lora(shapes)
        facts["kind"] = "lora"
        facts["lora"] = {"format": info.format, "rank": info.rank, "modules": info.modules}
        facts["architecture"] = {"family": info.family, "node": info.node, "component": "lora",
                                 "evidence": info.evidence, "notes": info.notes}
    else:
        parts = identify(shapes)
        facts["parts"] = [{"family": p.family, "component": p.component, "node": p.node, "prefix": p.prefix,
                           "tensors": p.tensors, "evidence": p.evidence[:4]} for p in parts]
        components = {p.component for p in parts}
        if "denoiser" in components and len(parts) > 1:
            facts["kind"] = "checkpoint"
        elif parts:
            facts["kind"] = COMPONENT_KIND.get(parts[0].component, parts[0].component)
        else:
            facts["kind"] = "unknown"
        main = next((p for p in parts if p.component == "denoiser"), parts[0] if parts else None)
        if main is not None:
            facts["architecture"] = {"family": main.family, "node": main.node, "component": main.component,
                                     "evidence": main.evidence[:4], "notes": [main.note] if main.note else []}
    facts["training"] = {k: v[:300] if isinstance(v, str) else v for k, v in training_fields(metadata).items()}
    for key in ("general.license", "general.name", "general.base_model.0.name", "general.base_model.0.repo_url"):
        if key in metadata:
            facts["training"][key] = metadata[key][:300]
    facts["declared"] = read_sidecars(path, hf_repo).to_dict()
    sha, source = None, None
    cached = lookup_sha256(path)
    if cached:
        sha, source = cached, "hash cache"
    elif compute_hash:
        sha, source = sha256_file(path), "computed"
    elif blob:
        sha, source = blob, "hf cache blob name"
    facts["sha256"], facts["sha256_source"] = sha, source
    facts["size"], facts["mtime_ns"] = st.st_size, st.st_mtime_ns
    return facts
