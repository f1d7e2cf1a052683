"""Prompt-weighting syntax and tokenization exactly as ComfyUI prepares an Anima prompt.

Syntax: ``(text)`` multiplies the weight of ``text`` by 1.1 (nesting multiplies again),
``(text:1.3)`` sets it to 1.3, ``\\(`` and ``\\)`` are literal brackets. Brackets that do not
close are kept as text. The prompt is cut into weighted segments and each segment is tokenized
on its own (no brackets, no weights syntax left in the text):

* Qwen3 ids: the segments' ids concatenated, no special tokens; an empty prompt becomes one
  ``<|endoftext|>`` (151643). Every Qwen weight is 1.0: the text encoder is never weighted.
* T5 ids: each segment's ids without its ``</s>``, then one ``</s>`` (1) at the end; the per-token
  weights multiply the LLM adapter's output rows. Nothing is truncated.

Examples
--------
>>> for segment in parse_weights("1girl, hatsune miku (vocaloid), ((smile)), (red eyes:1.3), \\\\(not weighted\\\\)"):
...     print(segment)
('1girl, hatsune miku ', 1.0)
('vocaloid', 1.1)
(', ', 1.0)
('smile', 1.2100000000000002)
(', ', 1.0)
('red eyes', 1.3)
(', (not weighted)', 1.0)
>>> parse_weights("(unclosed")
[('(unclosed', 1.0)]
"""

from __future__ import annotations

from dataclasses import dataclass

QWEN_PAD = 151643  # <|endoftext|>
T5_END = 1  # </s>
_ESCAPES = (("\\)", "\0\1"), ("\\(", "\0\2"))


def _split_groups(text: str) -> list[str]:
    """Top-level pieces: plain runs and complete ``(...)`` groups (an unclosed one stays plain)."""
    pieces: list[str] = []
    current, depth = "", 0
    for char in text:
        if char == "(":
            if depth == 0 and current:
                pieces.append(current)
                current = ""
            current += char
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                pieces.append(current + char)
                current = ""
            else:
                current += char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


def _weigh(text: str, weight: float) -> list[tuple[str, float]]:
    out: list[tuple[str, float]] = []
    for piece in _split_groups(text):
        if len(piece) >= 2 and piece[0] == "(" and piece[-1] == ")":
            inner, inner_weight = piece[1:-1], weight * 1.1
            colon = inner.rfind(":")
            if colon > 0:
                try:
                    inner_weight = float(inner[colon + 1 :])
                    inner = inner[:colon]
                except ValueError:
                    pass  # "(a:b)" without a number: the colon is text, the group weighs 1.1
            out += _weigh(inner, inner_weight)
        else:
            out.append((piece, weight))
    return out


def parse_weights(prompt: str) -> list[tuple[str, float]]:
    """Weighted segments of ``prompt`` (escaped brackets restored in the text)."""
    for literal, marker in _ESCAPES:
        prompt = prompt.replace(literal, marker)
    segments = _weigh(prompt, 1.0)
    restored = []
    for text, weight in segments:
        for literal, marker in _ESCAPES:
            text = text.replace(marker, literal[1])
        restored.append((text, weight))
    return restored


@dataclass(frozen=True)
class AnimaTokens:
    """Token ids for both tokenizers and the T5 per-token weights of one prompt."""

    qwen_ids: list[int]
    t5_ids: list[int]
    t5_weights: list[float]

    @property
    def weighted(self) -> bool:
        """True when any T5 weight differs from 1.0."""
        return any(w != 1.0 for w in self.t5_weights)


def tokenize(prompt: str, qwen_tokenizer, t5_tokenizer) -> AnimaTokens:
    """Tokenize ``prompt`` as ComfyUI's ``AnimaTokenizer`` does (see the module docstring)."""
    qwen: list[int] = []
    t5: list[int] = []
    weights: list[float] = []
    for text, weight in parse_weights(prompt):
        if not text:
            continue
        qwen += list(qwen_tokenizer(text)["input_ids"])
        ids = list(t5_tokenizer(text)["input_ids"])[:-1]  # each segment without its own </s>
        t5 += ids
        weights += [weight] * len(ids)
    return AnimaTokens(qwen_ids=qwen or [QWEN_PAD], t5_ids=[*t5, T5_END], t5_weights=[*weights, 1.0])
