"""Read a ``.safetensors`` header, and nothing else, within fixed limits.

The format is an 8-byte little-endian header length ``N``, ``N`` bytes of UTF-8 JSON (one object: tensor
name -> ``{"dtype", "shape", "data_offsets"}``, plus an optional ``__metadata__`` of strings), then the
tensor data. Only the first ``8 + N`` bytes are read; ``N`` must be at most :data:`MAX_HEADER` and fit in
the file. Every entry is checked (known dtype, non-negative integer shape, offsets inside the data).

>>> import json, struct
>>> head = json.dumps({"w": {"dtype": "F16", "shape": [2, 2], "data_offsets": [0, 8]},
...                    "__metadata__": {"format": "pt"}}).encode()
>>> blob = struct.pack("<Q", len(head)) + head + bytes(8)
>>> h = parse_header(blob[8:8 + len(head)], file_size=len(blob), name="w.safetensors")
>>> h.tensors["w"].shape, h.metadata
((2, 2), {'format': 'pt'})
>>> parse_header(b"[1]", file_size=11, name="bad.safetensors")
Traceback (most recent call last):
...
lineage.inspection.errors.InspectionError: bad.safetensors: the safetensors header is not a JSON object.
"""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass, field
from pathlib import Path

from lineage.inspection.errors import InspectionError

#: Largest header accepted (the reference implementation's own limit is 100 MB).
MAX_HEADER = 100 * 1024 * 1024
MAX_NDIM = 8
MAX_METADATA_VALUE = 1024 * 1024
#: Bytes per element of each safetensors dtype.
DTYPE_SIZES: dict[str, float] = {
    "BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "F8_E8M0": 1, "I16": 2, "U16": 2, "F16": 2,
    "BF16": 2, "I32": 4, "U32": 4, "F32": 4, "F64": 8, "I64": 8, "U64": 8, "F4": 0.5, "F6_E2M3": 0.75,
    "F6_E3M2": 0.75, "C64": 8,
}


@dataclass(frozen=True)
class TensorInfo:
    """A tensor as the header describes it; the data itself is never read."""

    dtype: str
    shape: tuple[int, ...]
    begin: int = 0
    end: int = 0

    @property
    def numel(self) -> int:
        return math.prod(self.shape)


@dataclass(frozen=True)
class SafetensorsHeader:
    tensors: dict[str, TensorInfo]
    metadata: dict[str, str]
    header_length: int
    data_length: int
    warnings: list[str] = field(default_factory=list)


def read_header(path: Path) -> SafetensorsHeader:
    """Read and check the header of the safetensors file at ``path`` (reads at most ``8 + MAX_HEADER`` bytes)."""
    name = path.name
    size = path.stat().st_size
    with open(path, "rb") as fh:
        first = fh.read(8)
        if len(first) < 8:
            raise InspectionError(f"{name}: the file is {size} bytes, too short to be safetensors (no header).")
        (length,) = struct.unpack("<Q", first)
        if length > MAX_HEADER:
            raise InspectionError(f"{name}: the header claims {length:,} bytes, over the {MAX_HEADER:,}-byte limit; "
                                  "the file is corrupt or not safetensors.")
        if length > size - 8:
            raise InspectionError(f"{name}: the header claims {length:,} bytes but the file has only {size - 8:,} "
                                  "after the length field; the file is truncated or not safetensors.")
        raw = fh.read(length)
    if len(raw) != length:
        raise InspectionError(f"{name}: the file ended while reading the header; it is truncated.")
    return parse_header(raw, size, name)


def _shape(value: object) -> tuple[int, ...] | None:
    if not isinstance(value, list) or len(value) > MAX_NDIM:
        return None
    if not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d < 2**53 for d in value):
        return None
    return tuple(value)


def parse_header(raw: bytes, file_size: int, name: str) -> SafetensorsHeader:
    """Check the JSON header ``raw`` of a file of ``file_size`` bytes and return what it describes."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InspectionError(f"{name}: the safetensors header is not valid UTF-8 (byte {err.start}).") from None
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError) as err:
        raise InspectionError(f"{name}: the safetensors header is not valid JSON ({err}).") from None
    if not isinstance(obj, dict):
        raise InspectionError(f"{name}: the safetensors header is not a JSON object.")
    data_length = file_size - 8 - len(raw)
    warnings: list[str] = []
    metadata: dict[str, str] = {}
    raw_meta = obj.pop("__metadata__", {})
    if not isinstance(raw_meta, dict):
        raise InspectionError(f"{name}: __metadata__ is not a JSON object of strings.")
    for key, value in raw_meta.items():
        text_value = value if isinstance(value, str) else json.dumps(value)
        if len(text_value) > MAX_METADATA_VALUE:
            warnings.append(f"metadata field {key!r} is {len(text_value):,} characters; cut to {MAX_METADATA_VALUE:,}")
            text_value = text_value[:MAX_METADATA_VALUE]
        metadata[str(key)] = text_value
    tensors: dict[str, TensorInfo] = {}
    declared = 0
    furthest = 0
    for key, entry in obj.items():
        if not isinstance(entry, dict):
            raise InspectionError(f"{name}: header entry {key[:80]!r} is not an object.")
        dtype, shape, offsets = entry.get("dtype"), _shape(entry.get("shape")), entry.get("data_offsets")
        if not isinstance(dtype, str) or dtype not in DTYPE_SIZES:
            raise InspectionError(f"{name}: tensor {key[:80]!r} has unknown dtype {str(dtype)[:20]!r} "
                                  "(want a name such as F16 or BF16).")
        if shape is None:
            raise InspectionError(f"{name}: tensor {key[:80]!r} has an invalid shape (want a list of at most "
                                  f"{MAX_NDIM} non-negative integers).")
        if (not isinstance(offsets, list) or len(offsets) != 2
                or not all(isinstance(o, int) and not isinstance(o, bool) for o in offsets)
                or not 0 <= offsets[0] <= offsets[1]):
            raise InspectionError(f"{name}: tensor {key[:80]!r} has invalid data_offsets (want [begin, end], "
                                  "0 <= begin <= end).")
        begin, end = offsets
        if end > data_length:
            raise InspectionError(f"{name}: tensor {key[:80]!r} ends at byte {end:,} of the data but the file holds "
                                  f"only {data_length:,} bytes of data; the file is truncated.")
        furthest = max(furthest, end)
        declared += math.ceil(math.prod(shape) * DTYPE_SIZES[dtype])
        tensors[key] = TensorInfo(dtype, shape, begin, end)
    if tensors and declared != data_length:
        warnings.append(f"the tensor shapes add up to {declared:,} bytes but the data region is {data_length:,} "
                        "bytes (a header-only copy, or a file that was edited)")
    return SafetensorsHeader(tensors, metadata, len(raw), data_length, warnings)
