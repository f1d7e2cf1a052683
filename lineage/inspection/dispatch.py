"""The entry point: look at a file's first bytes, refuse what is unsafe or unknown, and inspect the rest.

Formats: safetensors and GGUF (headers only), PNG (metadata chunks only). Pickles are refused by
extension and magic bytes; other images are refused with a pointer to PNG.
"""

from __future__ import annotations

import struct
from pathlib import Path

import networkx as nx

from lineage.inspection.errors import InspectionError
from lineage.inspection.gguf import parse_gguf
from lineage.inspection.image import inspect_image
from lineage.inspection.pickles import refuse_pickle
from lineage.inspection.png_chunks import SIGNATURE, read_png
from lineage.inspection.report import InspectionReport
from lineage.inspection.safetensors_header import read_header
from lineage.inspection.weights import gguf_metadata, inspect_weights

HEAD = 64 * 1024
MAX_C2PA_FILE = 256 * 1024 * 1024
_OTHER_IMAGES = {b"\xff\xd8\xff": "JPEG", b"GIF8": "GIF", b"II*\x00": "TIFF", b"MM\x00*": "TIFF"}


def _other_image(head: bytes) -> str | None:
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    return next((kind for magic, kind in _OTHER_IMAGES.items() if head.startswith(magic)), None)


def inspect_path(path: str | Path, graph: nx.MultiDiGraph, compute_hash: bool = False,
                 hash_cache: Path | None = None) -> InspectionReport:
    """Inspect the weights file or PNG at ``path`` against ``graph``.

    ``compute_hash`` hashes a weights file now (slow for big files); otherwise only a cached hash is used.
    Raises :class:`~lineage.inspection.errors.InspectionError` for anything it will not or cannot read.
    """
    path = Path(path)
    if not path.exists():
        raise InspectionError(f"{path}: no such file.")
    if not path.is_file():
        raise InspectionError(f"{path}: not a regular file; give one weights file or image "
                              "(for a diffusers folder, inspect its .safetensors files one at a time).")
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD)
    except OSError as err:
        raise InspectionError(f"{path}: cannot be read ({err.strerror}).") from None
    refuse_pickle(path, head)
    size = path.stat().st_size
    if head.startswith(SIGNATURE):
        with open(path, "rb") as fh:
            png = read_png(fh, path.name, size)
            raw = None
            if png.c2pa is not None and size <= MAX_C2PA_FILE:
                fh.seek(0)
                raw = fh.read()
        return inspect_image(path, png, raw, graph)
    kind = _other_image(head)
    if kind:
        raise InspectionError(f"{path.name} is a {kind} image; lineage reads generation metadata from PNG files "
                              "only (ComfyUI and AUTOMATIC1111 save PNG by default).")
    if head.startswith(b"GGUF"):
        with open(path, "rb") as fh:
            header = parse_gguf(fh, path.name)
        report = inspect_weights(path, dict(header.tensors), gguf_metadata(header.metadata), "gguf", graph,
                                 compute_hash, hash_cache, [])
        report.notes.append("GGUF files are usually quantised conversions; a hash in the data names the "
                            "original safetensors release, so a GGUF is named by its file name at best.")
        return report
    if (len(head) >= 9 and head[8:9] == b"{") or path.suffix.lower() in (".safetensors", ".sft"):
        header = read_header(path)
        shapes = {k: t.shape for k, t in header.tensors.items()}
        return inspect_weights(path, shapes, header.metadata, "safetensors", graph, compute_hash, hash_cache,
                               header.warnings)
    hint = f" (it starts with {head[:8]!r})" if head else " (it is empty)"
    length = struct.unpack("<Q", head[:8])[0] if len(head) >= 8 else None
    if length is not None and length < 2**20:
        hint += "; if it is safetensors, its header is damaged"
    raise InspectionError(f"{path.name}: not a format lineage reads{hint}. Give a .safetensors or .gguf weights "
                          "file or a PNG image.")
