"""Load Anima from the files users have and generate images with diffusers' modular pipeline.

``AnimaRunner.load`` reads ComfyUI split files (keys converted, configs inferred from shapes,
tensors streamed to the target device and dtype) or an official diffusers folder, and assembles an
``AnimaModularPipeline`` from ``AnimaAutoBlocks`` (plus a step-callback block and, optionally, the
batched CFG denoiser). ``AnimaRunner.generate`` applies the chosen sigma schedule and noise.

Examples
--------
>>> s = GenerationSettings(prompt="1girl", width=512, height=768)
>>> s.validate(); (s.steps, s.cfg, s.sigmas)
(30, 4.0, 'comfy')
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch

from inference import config_infer, keys
from inference.errors import GenerationError, WeightsError
from inference.locate import WeightPaths
from inference.sampling import SCHEDULES, comfy_noise, comfy_simple_sigmas, latent_shape
from inference.weights import Header, check_component, load_module, read_header

DTYPES = {"bfloat16": torch.bfloat16, "float16": torch.float16, "float32": torch.float32}


@dataclass
class GenerationSettings:
    """What the user asked for. ``sigmas``: ``comfy`` (simple schedule + ComfyUI noise) or ``diffusers``."""

    prompt: str
    negative: str = ""
    seed: int = 0
    steps: int = 30
    cfg: float = 4.0
    width: int = 1024
    height: int = 1024
    batch: int = 1
    sigmas: str = "comfy"

    def validate(self) -> None:
        """Raise ``GenerationError`` for settings the model cannot run."""
        if self.width % 16 or self.height % 16 or self.width < 16 or self.height < 16:
            raise GenerationError(
                f"width and height must be positive multiples of 16, got {self.width}x{self.height}",
                hint="for example 1024x1024, 896x1152 or 832x1216",
            )
        if not 1 <= self.steps <= 1000:
            raise GenerationError(f"steps must be between 1 and 1000, got {self.steps}")
        if not 1 <= self.batch <= 64:
            raise GenerationError(f"batch must be between 1 and 64, got {self.batch}")
        if self.sigmas not in SCHEDULES:
            raise GenerationError(f"sigmas must be one of {', '.join(SCHEDULES)}, got {self.sigmas!r}")
        if not 0 <= self.seed < 2**64:
            raise GenerationError(f"seed must be between 0 and 2**64-1, got {self.seed}")

    def to_dict(self) -> dict:
        """Plain dict, as stored in the gallery and the PNG."""
        return asdict(self)


@dataclass
class GenerationResult:
    """Images and how long each stage took (seconds)."""

    images: list  # list[PIL.Image.Image]
    settings: GenerationSettings
    timings: dict[str, float] = field(default_factory=dict)


def default_device() -> str:
    """``cuda`` when a GPU is visible, else ``cpu``."""
    return "cuda" if torch.cuda.is_available() else "cpu"


def default_dtype(device: str) -> str:
    """bf16 on a GPU, float32 on the CPU."""
    return "float32" if device == "cpu" else "bfloat16"


class AnimaRunner:
    """A loaded Anima pipeline plus what was loaded (paths, device, dtype).

    Build it with :meth:`load`; one runner serves one generation at a time (see ``inference.service``).
    """

    def __init__(self, pipe, paths: WeightPaths, device: str, dtype: str, load_seconds: float):
        self.pipe = pipe
        self.paths = paths
        self.device = device
        self.dtype = dtype
        self.load_seconds = load_seconds

    @classmethod
    def load(
        cls,
        paths: WeightPaths,
        *,
        device: str | None = None,
        dtype: str | None = None,
        tokenizers_dir: Path | None = None,
        cpu_offload: bool = False,
        batched_cfg: bool = True,
    ) -> AnimaRunner:
        """Load all components from ``paths`` and build the pipeline."""
        from inference.tokenizers import load_tokenizers

        start = time.perf_counter()
        device = device or default_device()
        dtype = dtype or default_dtype(device)
        if dtype not in DTYPES:
            raise GenerationError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
        if device.startswith("cuda") and not torch.cuda.is_available():
            raise GenerationError("no CUDA GPU is visible", hint="use --device cpu (slow) or run on a GPU machine")
        torch_dtype = DTYPES[dtype]
        load_device = "cpu" if cpu_offload else device
        qwen_tok, t5_tok = load_tokenizers(tokenizers_dir=tokenizers_dir, diffusers_dir=paths.diffusers)
        if paths.diffusers is not None:
            models = _load_diffusers_folder(paths.diffusers, load_device, torch_dtype)
        else:
            models = _load_comfy_files(paths, load_device, torch_dtype)
        runner = cls.from_modules(models, (qwen_tok, t5_tok), paths=paths, device=device, dtype=dtype,
                                  batched_cfg=batched_cfg, cpu_offload=cpu_offload)
        runner.load_seconds = time.perf_counter() - start
        return runner

    @classmethod
    def from_modules(cls, models: dict, tokenizers: tuple, *, paths: WeightPaths | None = None,
                     device: str = "cpu", dtype: str = "float32", batched_cfg: bool = True,
                     cpu_offload: bool = False) -> AnimaRunner:
        """Assemble a runner from already-built modules (``transformer``, ``text_conditioner``,
        ``text_encoder``, ``vae``) and ``(qwen_tokenizer, t5_tokenizer)``; used by the benchmark."""
        from diffusers import FlowMatchEulerDiscreteScheduler

        from inference.blocks import anima_blocks

        pipe = anima_blocks(batched_cfg=batched_cfg).init_pipeline()
        pipe.update_components(tokenizer=tokenizers[0], t5_tokenizer=tokenizers[1],
                               scheduler=FlowMatchEulerDiscreteScheduler(shift=3.0), **models)
        if cpu_offload:
            _enable_offload(pipe, device)
        return cls(pipe, paths or WeightPaths(), device, dtype, 0.0)

    def generate(
        self,
        settings: GenerationSettings,
        step_callback: Callable[[int, int], None] | None = None,
    ) -> GenerationResult:
        """Run text-to-image; ``step_callback(i, n)`` is called after every step (it may raise to stop)."""
        from diffusers import FlowMatchEulerDiscreteScheduler
        from diffusers.guiders import ClassifierFreeGuidance

        settings.validate()
        pipe = self.pipe
        timings: dict[str, float] = {}
        kwargs: dict = {}
        if settings.sigmas == "comfy":
            # table sigmas are already shifted: a shift-1 scheduler uses them as given
            pipe.update_components(scheduler=FlowMatchEulerDiscreteScheduler(shift=1.0))
            kwargs["sigmas"] = comfy_simple_sigmas(settings.steps)[:-1]
            kwargs["latents"] = comfy_noise(
                settings.seed, latent_shape(settings.batch, settings.height, settings.width,
                                            pipe.num_channels_latents)
            ).to(pipe._execution_device)
        else:
            pipe.update_components(scheduler=FlowMatchEulerDiscreteScheduler(shift=3.0))
            kwargs["generator"] = torch.Generator(pipe._execution_device).manual_seed(settings.seed)
        pipe.update_components(guider=ClassifierFreeGuidance(guidance_scale=settings.cfg))
        step_times: list[float] = []
        last = [time.perf_counter()]

        def on_step(i: int, n: int) -> None:
            _sync(self.device)
            now = time.perf_counter()
            step_times.append(now - last[0])
            last[0] = now
            if step_callback is not None:
                step_callback(i, n)

        start = last[0] = time.perf_counter()
        with torch.inference_mode():
            # with explicit latents the batch comes from the prompt list; otherwise from num_images_per_prompt
            explicit = "latents" in kwargs
            images = pipe(
                prompt=[settings.prompt] * settings.batch if explicit else settings.prompt,
                negative_prompt=[settings.negative] * settings.batch if explicit else settings.negative,
                num_images_per_prompt=1 if explicit else settings.batch,
                num_inference_steps=settings.steps,
                height=settings.height,
                width=settings.width,
                step_callback=on_step,
                output_type="pil",
                output="images",
                **kwargs,
            )
            _sync(self.device)
        end = time.perf_counter()
        # the last step callback marks the end of denoising; what follows is the VAE decode
        timings["denoise_s"] = last[0] - start
        timings["vae_decode_s"] = end - last[0]
        timings["total_s"] = end - start
        timings["per_step_s"] = sum(step_times) / len(step_times)
        return GenerationResult(images=images, settings=settings, timings=timings)


def _sync(device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def _enable_offload(pipe, device: str) -> None:
    from accelerate import cpu_offload_with_hook

    hook = None
    for name in ("text_encoder", "text_conditioner", "transformer", "vae"):
        _, hook = cpu_offload_with_hook(getattr(pipe, name), device, prev_module_hook=hook)


def _load_comfy_files(paths: WeightPaths, device: str, dtype: torch.dtype) -> dict:
    from diffusers import AnimaTextConditioner, AutoencoderKLQwenImage, CosmosTransformer3DModel
    from transformers import Qwen3Config, Qwen3Model

    headers: dict[str, Header] = {}
    for component, path in paths.files.items():
        header = read_header(path, expected=component)
        check_component(header, component)
        headers[component] = header

    dit = headers["dit"]
    prefix, t_map, a_map, unknown = keys.split_dit_keys(dit.shapes)
    if unknown:
        raise WeightsError(f"unexpected keys in the DiT file, e.g. {unknown[:3]}", path=dit.path,
                           hint="this does not look like an Anima checkpoint")
    if not a_map:
        raise WeightsError("the DiT file has no llm_adapter.* tensors (a Cosmos-Predict2 file, not Anima?)",
                           path=dit.path, hint="use an anima-*.safetensors file")
    te, vae = headers["text_encoder"], headers["vae"]
    current = dit
    try:
        t_cfg = config_infer.transformer_config(dit.shapes, prefix)
        a_cfg = config_infer.adapter_config(dit.shapes, prefix + keys.ADAPTER)
        current = te
        te_map, te_unknown = keys.text_encoder_keys(te.shapes)
        q_cfg = config_infer.qwen3_config(te.shapes)
        current = vae
        v_cfg = config_infer.vae_config(vae.shapes)
        v_map = keys.vae_keys_to_diffusers(vae.shapes)
    except KeyError as exc:
        raise WeightsError(f"tensor {exc} is missing or unexpected", path=current.path,
                           hint="the file is incomplete or not an Anima component") from None
    except WeightsError as exc:  # a shape config_infer refused: name the file it came from
        raise WeightsError(exc.message, path=current.path, hint=exc.hint) from None
    except (IndexError, ValueError, ZeroDivisionError) as exc:  # a key layout the mapping does not understand
        raise WeightsError(f"the tensor layout is not understood ({type(exc).__name__}: {exc})", path=current.path,
                           hint="the file is incomplete or not an Anima component") from None
    if te_unknown:
        raise WeightsError(f"unexpected keys in the text encoder, e.g. {te_unknown[:3]}", path=te.path)
    return {
        "transformer": load_module(lambda: CosmosTransformer3DModel(**t_cfg), dit, t_map, device, dtype, "dit"),
        "text_conditioner": load_module(lambda: AnimaTextConditioner(**a_cfg), dit, a_map, device, dtype, "dit"),
        "text_encoder": load_module(lambda: Qwen3Model(Qwen3Config(**q_cfg)), te, te_map, device, dtype,
                                    "text_encoder"),
        "vae": load_module(lambda: AutoencoderKLQwenImage(**v_cfg), vae, v_map, device, dtype, "vae"),
    }


def _load_diffusers_folder(folder: Path, device: str, dtype: torch.dtype) -> dict:
    from diffusers import AnimaTextConditioner, AutoencoderKLQwenImage, CosmosTransformer3DModel
    from transformers import Qwen3Model

    classes = {
        "transformer": CosmosTransformer3DModel,
        "text_conditioner": AnimaTextConditioner,
        "text_encoder": Qwen3Model,
        "vae": AutoencoderKLQwenImage,
    }
    out = {}
    for name, cls in classes.items():
        sub = folder / name
        files = sorted(sub.glob("*.safetensors"))
        if not (sub / "config.json").is_file() or not files:
            raise WeightsError(f"{name}/ is missing config.json or *.safetensors", path=folder,
                               hint="download the complete circlestone-labs/Anima-Base-v1.0-Diffusers folder")
        for f in files:
            read_header(f)  # clear error for a truncated or corrupt shard
        try:
            model = cls.from_pretrained(str(sub), torch_dtype=dtype, local_files_only=True, use_safetensors=True)
        except (OSError, ValueError, RuntimeError) as exc:
            raise WeightsError(f"cannot load {name}: {exc}", path=sub) from None
        out[name] = model.to(device).eval().requires_grad_(False)
    return out
