"""Text conditioning as ComfyUI computes it for Anima, with a cache (same prompt, no re-encode).

For one prompt (see ``inference.prompt_weights`` for the tokens):

1. Qwen3 runs in float32 on the Qwen ids with no attention mask (an empty prompt is one
   ``<|endoftext|>`` token, encoded like any other); its last hidden state is the source.
2. The LLM adapter runs in the model dtype on the T5 ids, with no masks; its output rows are
   multiplied by the T5 token weights.
3. Rows are zero-padded to 512; longer contexts are kept whole (never truncated).

Examples
--------
>>> pad_rows(torch.ones(1, 3, 2), 5).shape, pad_rows(torch.ones(1, 7, 2), 5).shape
(torch.Size([1, 5, 2]), torch.Size([1, 7, 2]))
"""

from __future__ import annotations

from collections import OrderedDict

import torch

from inference.prompt_weights import AnimaTokens, tokenize

MIN_ROWS = 512


def pad_rows(context: torch.Tensor, rows: int = MIN_ROWS) -> torch.Tensor:
    """Zero rows appended up to ``rows`` (the DiT was trained on 512-row contexts)."""
    missing = rows - context.shape[1]
    return torch.nn.functional.pad(context, (0, 0, 0, missing)) if missing > 0 else context


@torch.no_grad()
def encode_tokens(tokens: AnimaTokens, text_encoder, text_conditioner, device: torch.device | str,
                  dtype: torch.dtype) -> torch.Tensor:
    """The ``[1, max(512, L), D]`` context of one tokenized prompt, in ``dtype`` on ``device``."""
    qwen_ids = torch.tensor([tokens.qwen_ids], dtype=torch.long, device=device)
    hidden = text_encoder(input_ids=qwen_ids).last_hidden_state.float()
    t5_ids = torch.tensor([tokens.t5_ids], dtype=torch.long, device=device)
    context = text_conditioner(source_hidden_states=hidden.to(dtype), target_input_ids=t5_ids)
    context = context[:, : t5_ids.shape[1]]  # diffusers' conditioner pads to 512 itself; weigh the real rows
    weights = torch.tensor(tokens.t5_weights, dtype=torch.float32).to(device=device, dtype=dtype)
    return pad_rows(context.to(dtype) * weights[None, :, None])


class ConditioningCache:
    """Contexts by prompt text; cleared whenever the weights change (e.g. a LoRA is applied)."""

    def __init__(self, size: int = 16):
        self.size = size
        self._items: OrderedDict[str, torch.Tensor] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def clear(self) -> None:
        """Forget every cached context."""
        self._items.clear()

    def get(self, prompt: str, components, device, dtype: torch.dtype) -> torch.Tensor:
        """The context of ``prompt``, encoded once per weights state."""
        if prompt in self._items:
            self.hits += 1
            self._items.move_to_end(prompt)
            return self._items[prompt]
        self.misses += 1
        tokens = tokenize(prompt, components.tokenizer, components.t5_tokenizer)
        context = encode_tokens(tokens, components.text_encoder, components.text_conditioner, device, dtype)
        self._items[prompt] = context
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return context
