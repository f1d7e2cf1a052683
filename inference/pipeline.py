"""Load Anima from the files users have and generate images with ComfyUI's numerics.

``AnimaRunner.load`` reads ComfyUI split files (keys converted, configs inferred from shapes,
tensors streamed to the target device and dtype) or an official diffusers folder into diffusers /
transformers modules. ``AnimaRunner.generate`` encodes the prompts (``inference.conditioning``,
cached), draws the noise and sigmas (``inference.sampling``), runs the float32 Euler/CFG loop and
decodes (``inference.denoise``). The text encoder always runs in float32, as in ComfyUI.

Examples
--------
>>> s = GenerationSettings(prompt="1girl", width=512, height=768)
>>> s.validate(); (s.steps, s.cfg, s.sigmas, s.quantize)
(30, 4.0, 'comfy', 'truncate')
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import torch

from inference import config_infer, keys
from inference.errors import GenerationError, WeightsError
from inference.locate import WeightPaths
from inference.sampling import comfy_noise, comfy_simple_sigmas, diffusers_sigmas, latent_shape
from inference.settings import GenerationSettings
from inference.weights import Header, check_component, load_module, read_header

DTYPES = {"bfloat16": torch.bfloat16, "float16": torch.float16, "float32": torch.float32}


@dataclass
class GenerationResult:
    """Images and how long each stage took (seconds)."""

    images: list  # list[PIL.Image.Image]
    settings: GenerationSettings
    timings: dict[str, float] = field(default_factory=dict)
    latents: torch.Tensor | None = None  # float32, before decoding


@dataclass
class AnimaComponents:
    """The loaded modules and tokenizers."""

    transformer: object
    text_conditioner: object
    text_encoder: object
    vae: object
    tokenizer: object
    t5_tokenizer: object


def default_device() -> str:
    """``cuda`` when a GPU is visible, else ``cpu``."""
    return "cuda" if torch.cuda.is_available() else "cpu"


def default_dtype(device: str) -> str:
    """bf16 on a GPU, float32 on the CPU."""
    return "float32" if device == "cpu" else "bfloat16"


class AnimaRunner:
    """Loaded Anima components plus what was loaded (paths, device, dtype, speed options).

    Build it with :meth:`load`; one runner serves one generation at a time (see ``inference.service``).
    """

    def __init__(self, components: AnimaComponents, paths: WeightPaths, device: str, dtype: str,
                 load_seconds: float = 0.0, batched_cfg: bool = True):
        from inference.conditioning import ConditioningCache

        self.components = components
        self.paths = paths
        self.device = device
        self.dtype = dtype
        self.load_seconds = load_seconds
        self.batched_cfg = batched_cfg
        self.conditioning = ConditioningCache()
        self.compiled = False
        self.attention = "default"
        self.loras: tuple = ()
        self._lora_key: tuple = ()
        self._lora_backup: dict = {}

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
        compile: bool | None = None,
        attention: str | None = None,
    ) -> AnimaRunner:
        """Load all components from ``paths``; ``compile``/``attention`` default to the fastest exact choice."""
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
                                  batched_cfg=batched_cfg, cpu_offload=cpu_offload, compile=compile,
                                  attention=attention)
        runner.load_seconds = time.perf_counter() - start
        return runner

    @classmethod
    def from_modules(cls, models: dict, tokenizers: tuple, *, paths: WeightPaths | None = None,
                     device: str = "cpu", dtype: str = "float32", batched_cfg: bool = True,
                     cpu_offload: bool = False, compile: bool | None = False,
                     attention: str | None = None) -> AnimaRunner:
        """Assemble a runner from built modules (``transformer``, ``text_conditioner``, ``text_encoder``,
        ``vae``) and ``(qwen_tokenizer, t5_tokenizer)``; used by the benchmark and the tests."""
        from inference.speed import compile_blocks, resolve_attention, resolve_compile, set_attention

        models = dict(models)
        models["text_encoder"] = models["text_encoder"].to(torch.float32)  # ComfyUI encodes text in float32
        components = AnimaComponents(tokenizer=tokenizers[0], t5_tokenizer=tokenizers[1], **models)
        if cpu_offload:
            _enable_offload(components, device)
        runner = cls(components, paths or WeightPaths(), device, dtype, 0.0, batched_cfg)
        compiled = resolve_compile(compile, device)
        runner.attention = set_attention(components.transformer, resolve_attention(attention, device, compiled))
        if compiled:
            compile_blocks(components.transformer)
            runner.compiled = True
        return runner

    def set_loras(self, loras: tuple) -> None:
        """Make ``loras`` (``inference.lora.LoadedLora``) the only LoRAs merged into the weights."""
        from inference.lora import apply_loras, restore_weights

        key = tuple((str(lora.path), lora.strength) for lora in loras)
        if key == self._lora_key:
            return
        restore_weights(self._lora_backup)
        self._lora_backup = apply_loras(self.components, loras) if loras else {}
        self.loras, self._lora_key = tuple(loras), key
        self.conditioning.clear()  # an adapter LoRA changes the contexts

    def generate(
        self,
        settings: GenerationSettings,
        step_callback: Callable[[int, int], None] | None = None,
    ) -> GenerationResult:
        """Run text-to-image; ``step_callback(i, n)`` is called after every step (it may raise to stop)."""
        from PIL import Image

        from inference.denoise import decode, euler_cfg, to_uint8

        settings.validate()
        c = self.components
        dtype = DTYPES[self.dtype]
        device = torch.device(self.device)
        timings: dict[str, float] = {}
        step_times: list[float] = []
        start = time.perf_counter()
        last = [start]

        def on_step(i: int, n: int) -> None:
            _sync(self.device)
            now = time.perf_counter()
            step_times.append(now - last[0])
            last[0] = now
            if step_callback is not None:
                step_callback(i, n)

        with torch.inference_mode():
            cond = self.conditioning.get(settings.prompt, c, device, dtype)
            uncond = self.conditioning.get(settings.negative, c, device, dtype) if settings.cfg != 1.0 else None
            _sync(self.device)
            last[0] = encoded = time.perf_counter()
            shape = latent_shape(settings.batch, settings.height, settings.width, c.vae.config.z_dim)
            if settings.sigmas == "comfy":
                sigmas = comfy_simple_sigmas(settings.steps)
                noise = comfy_noise(settings.seed, shape).to(device)
            else:
                sigmas = diffusers_sigmas(settings.steps)
                generator = torch.Generator(device).manual_seed(settings.seed)
                noise = torch.randn(shape, generator=generator, device=device, dtype=torch.float32)
            padding = torch.zeros(1, 1, shape[-2], shape[-1], dtype=dtype, device=device)

            def predict(x: torch.Tensor, t: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
                return c.transformer(hidden_states=x, timestep=t, encoder_hidden_states=context,
                                     padding_mask=padding, return_dict=False)[0]

            latents = euler_cfg(predict, noise * sigmas[0], sigmas, cond.expand(settings.batch, -1, -1),
                                None if uncond is None else uncond.expand(settings.batch, -1, -1),
                                settings.cfg, dtype, batched=self.batched_cfg, step_callback=on_step)
            _sync(self.device)
            denoised_at = time.perf_counter()
            pixels = to_uint8(decode(c.vae, latents), settings.quantize)
            _sync(self.device)
        end = time.perf_counter()
        timings["encode_s"] = encoded - start
        timings["denoise_s"] = denoised_at - encoded
        timings["first_step_s"] = step_times[0]
        timings["vae_decode_s"] = end - denoised_at
        timings["total_s"] = end - start
        timings["per_step_s"] = sum(step_times[1:] or step_times) / len(step_times[1:] or step_times)
        images = [Image.fromarray(p) for p in pixels]
        return GenerationResult(images=images, settings=settings, timings=timings, latents=latents)


def _sync(device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def _enable_offload(components: AnimaComponents, device: str) -> None:
    from accelerate import cpu_offload_with_hook

    hook = None
    for name in ("text_encoder", "text_conditioner", "transformer", "vae"):
        _, hook = cpu_offload_with_hook(getattr(components, name), device, prev_module_hook=hook)


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
