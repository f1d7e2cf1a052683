"""Two small loop blocks added to diffusers' Anima denoise loop.

* ``StepCallbackBlock`` reports each finished step (progress bars, queue UI, cancellation: a
  callback that raises stops the run).
* ``BatchedCFGDenoiser`` runs the conditional and unconditional predictions as one batch of 2B
  instead of two forwards; same formula as ``ClassifierFreeGuidance`` (``u + g * (c - u)``).

Examples
--------
>>> blocks = anima_blocks(batched_cfg=True)
>>> list(denoise_loop(blocks).sub_blocks)
['before_denoiser', 'denoiser', 'after_denoiser', 'step_callback']
"""

from __future__ import annotations

import torch
from diffusers import AnimaAutoBlocks
from diffusers.modular_pipelines.modular_pipeline import ModularPipelineBlocks
from diffusers.modular_pipelines.modular_pipeline_utils import ComponentSpec, InputParam


class StepCallbackBlock(ModularPipelineBlocks):
    """Calls ``step_callback(step_index, num_steps)`` after each scheduler step."""

    model_name = "anima"

    @property
    def description(self) -> str:
        return "Report progress after each denoising step."

    @property
    def inputs(self) -> list[InputParam]:
        return [InputParam("step_callback", description="callable(step_index, num_steps)")]

    @torch.no_grad()
    def __call__(self, components, block_state, i: int, t: torch.Tensor):
        if block_state.step_callback is not None:
            block_state.step_callback(i, len(block_state.timesteps))
        return components, block_state


class BatchedCFGDenoiser(ModularPipelineBlocks):
    """Conditional and unconditional transformer passes in one batch."""

    model_name = "anima"

    @property
    def description(self) -> str:
        return "Predict the Anima velocity with classifier-free guidance in a single batched forward."

    @property
    def expected_components(self) -> list[ComponentSpec]:
        from diffusers import CosmosTransformer3DModel
        from diffusers.guiders import ClassifierFreeGuidance

        return [ComponentSpec("guider", ClassifierFreeGuidance), ComponentSpec("transformer", CosmosTransformer3DModel)]

    @property
    def inputs(self) -> list[InputParam]:
        return [
            InputParam("padding_mask", required=True, type_hint=torch.Tensor),
            InputParam("prompt_embeds", required=True, type_hint=torch.Tensor),
            InputParam("negative_prompt_embeds", type_hint=torch.Tensor),
        ]

    @torch.no_grad()
    def __call__(self, components, block_state, i: int, t: torch.Tensor):
        x = block_state.latent_model_input
        cond = block_state.prompt_embeds.to(block_state.dtype)
        uncond = block_state.negative_prompt_embeds
        guider = components.guider
        if uncond is None or guider.num_conditions == 1:
            block_state.noise_pred = components.transformer(
                hidden_states=x, timestep=block_state.timestep, padding_mask=block_state.padding_mask,
                encoder_hidden_states=cond, return_dict=False,
            )[0]
            return components, block_state
        uncond = uncond.to(block_state.dtype)
        if uncond.shape != cond.shape:
            raise ValueError("batched CFG needs prompt and negative embeddings of the same shape")
        both = components.transformer(
            hidden_states=torch.cat([x, x]),
            timestep=torch.cat([block_state.timestep, block_state.timestep]),
            padding_mask=block_state.padding_mask,
            encoder_hidden_states=torch.cat([cond, uncond]),
            return_dict=False,
        )[0]
        pred_cond, pred_uncond = both.chunk(2)
        block_state.noise_pred = pred_uncond + guider.guidance_scale * (pred_cond - pred_uncond)
        return components, block_state


def denoise_loop(blocks: AnimaAutoBlocks):
    """The text-to-image denoising loop inside ``AnimaAutoBlocks``."""
    return blocks.sub_blocks["denoise"].sub_blocks["text2image"].sub_blocks["denoise"]


def anima_blocks(batched_cfg: bool = False) -> AnimaAutoBlocks:
    """``AnimaAutoBlocks`` with the step callback, and optionally the batched CFG denoiser."""
    blocks = AnimaAutoBlocks()
    loop = denoise_loop(blocks)
    if batched_cfg:
        loop.sub_blocks["denoiser"] = BatchedCFGDenoiser()
    loop.sub_blocks["step_callback"] = StepCallbackBlock()
    loop.set_progress_bar_config(disable=True)  # progress goes through step_callback
    return blocks
