"""One generation end to end: run the model, trace it, write the PNGs, record it in the gallery.

The trace (hashing the weight files, asking the graph) runs in a background thread while the
image is generated; the PNGs wait for it at the end.

Files are written atomically and only after the whole batch is generated and traced; the gallery
row is inserted last. If anything fails, files already written for this run are removed and a
``failed`` (or ``cancelled``) row without outputs is recorded.

Examples
--------
>>> output_paths(Path("out.png"), 3)
[PosixPath('out.png'), PosixPath('out-1.png'), PosixPath('out-2.png')]
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from inference import __version__
from inference.errors import GenerationCancelled, InferenceError
from inference.locate import WeightPaths
from inference.settings import GenerationSettings

SOFTWARE = f"lineage-inference {__version__}"


@dataclass
class GenerateRequest:
    """Everything one generation needs; the service keys loaded models on (weights, device, dtype, offload)."""

    settings: GenerationSettings
    weights: WeightPaths
    out: Path
    device: str | None = None
    dtype: str | None = None
    cpu_offload: bool = False
    tokenizers_dir: Path | None = None
    c2pa: bool = False
    c2pa_cert: Path | None = None
    c2pa_key: Path | None = None
    caption: bool = False
    gallery: Path | None = None
    data_path: str | None = None
    loras: list[tuple[Path, float]] = field(default_factory=list)  # (file, strength)
    compile: bool | None = None  # None: on with a GPU
    attention: str | None = None  # None: cuDNN with a GPU


@dataclass
class GenerationRecord:
    """What a finished generation produced."""

    gallery_id: int | None
    outputs: list[Path]
    captions: list[Path]
    trace: dict
    timings: dict[str, float] = field(default_factory=dict)


def output_paths(out: Path, batch: int) -> list[Path]:
    """``out`` for the first image, ``out-1``, ``out-2``, ... for the rest of a batch."""
    return [out] + [out.with_name(f"{out.stem}-{i}{out.suffix}") for i in range(1, batch)]


def run_generation(runner, request: GenerateRequest,
                   step_callback: Callable[[int, int], None] | None = None) -> GenerationRecord:
    """Generate with a loaded ``AnimaRunner`` and write everything; see the module docstring."""
    from concurrent.futures import ThreadPoolExecutor

    from inference.caption import caption_path, caption_text, captioned
    from inference.gallery import Gallery
    from inference.lora import read_lora
    from inference.png_meta import a1111_parameters, png_bytes, write_atomic
    from inference.trace import build_trace

    settings = request.settings
    settings.validate()
    gallery = Gallery(request.gallery)
    written: list[Path] = []
    info = {"device": runner.device, "dtype": runner.dtype, "software": SOFTWARE}
    try:
        loras = [read_lora(path, strength, runner.components) for path, strength in request.loras]
        runner.set_loras(tuple(loras))
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="lineage-trace") as pool:
            t0 = time.perf_counter()
            pending = pool.submit(build_trace, request.weights, data_path=request.data_path, loras=loras)
            result = runner.generate(settings, step_callback=step_callback)
            waited = time.perf_counter()
            trace = pending.result()
            timings = {**result.timings, "trace_wait_s": time.perf_counter() - waited,
                       "trace_total_s": time.perf_counter() - t0, "load_s": runner.load_seconds}
        paths = output_paths(Path(request.out), settings.batch)
        credentials = None
        if request.c2pa:
            from inference.c2pa_sign import load_credentials, local_credentials

            credentials = (load_credentials(request.c2pa_cert, request.c2pa_key)
                           if request.c2pa_cert else local_credentials())
        blobs, captions = [], []
        for i, (image, path) in enumerate(zip(result.images, paths, strict=True)):
            seed_note = {"Batch index": i} if settings.batch > 1 else {}
            if trace.get("loras"):
                seed_note["Lora hashes"] = ", ".join(f"{e['file_name'].rsplit('.', 1)[0]}: {e['sha256'][:10]}"
                                                     for e in trace["loras"])
            lineage = {"trace": trace, "settings": settings.to_dict(), "batch_index": i,
                       "software": SOFTWARE, "device": runner.device, "dtype": runner.dtype}
            params = a1111_parameters(settings.to_dict(), model=trace.get("model") or "anima",
                                      extra={**seed_note, "Lineage": "see lineage chunk"})
            data = png_bytes(image, params, lineage)
            if credentials is not None:
                from inference.c2pa_sign import sign_png

                data = sign_png(data, lineage, credentials, SOFTWARE, path.name)
            blobs.append((path, data))
            if request.caption:
                captions.append((caption_path(path), png_bytes(captioned(image, caption_text(trace)), params,
                                                               lineage)))
        for path, data in blobs + captions:
            write_atomic(path, data)
            written.append(path)
        row = gallery.add(settings.to_dict(), status="done", outputs=[str(p) for p, _ in blobs], trace=trace,
                          timings=timings, **info)
        return GenerationRecord(row, [p for p, _ in blobs], [p for p, _ in captions], trace, timings)
    except BaseException as exc:
        for path in written:
            path.unlink(missing_ok=True)
        if isinstance(exc, Exception):
            status = "cancelled" if isinstance(exc, GenerationCancelled) else "failed"
            gallery.add(settings.to_dict(), status=status, error=str(exc) if isinstance(exc, InferenceError)
                        else f"{type(exc).__name__}: {exc}", **info)
        raise
