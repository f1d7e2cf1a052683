"""Turn a plain-English question into a model and a use, offline and without a language model.

The model is the longest run of words that names a node (after normalisation); the use comes from keyword
rules, most specific first. When either is missing the result says what was understood and what to add.

>>> from lineage.graph import load_graph
>>> q = parse_question(load_graph(), "can I sell images made with Anima?")
>>> q.use, q.model
('sell-outputs', 'anima')
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from lineage.resolve import name_index, normalise

_WORD = re.compile(r"[\w.\[\]+-]+")

# (use, required word groups): every group must match at least one word stem in the question.
_OUTPUT = r"(image|images|output|outputs|picture|pictures|art|artwork|generation|generations|generated|made|render)"
_DERIV = (
    r"(lora|loras|lycoris|finetune|finetunes|fine-tune|fine-tunes|fine-tuned|merge|merges|derivative|derivatives"
    r"|checkpoint|checkpoints|model)"
)
USE_RULES: list[tuple[str, list[str]]] = [
    ("train-on-outputs", [r"(train|training|fine-tune|finetune|distill|distil|dataset)", _OUTPUT]),
    ("train-on-outputs", [r"(synthetic|distill|distil|distillation)"]),
    ("no-attribution", [r"(credit|crediting|attribution|attribute|attributing|mention|notice)"]),
    ("paid-service", [r"(api|apis|hosted|host|hosting|saas|service|services|subscription|endpoint|server|app)"]),
    ("sell-derivatives", [r"(sell|selling|sale|monetize|monetise|paid|charge)", _DERIV]),
    ("share-derivatives", [r"(share|sharing|publish|publishing|upload|uploading|release|distribute|post)", _DERIV]),
    (
        "sell-outputs",
        [
            r"(sell|selling|sale|sales|monetize|monetise|commercial|commercially|print|prints|stock|merch|client|clients)",
            _OUTPUT,
        ],
    ),
    (
        "commercial-use",
        [
            r"(commercial|commercially|business|company|product|products|work|job|startup|enterprise|profit|production|money)"
        ],
    ),
    ("train-on-outputs", [r"(train|training)"]),
]


@dataclass(frozen=True)
class ParsedQuestion:
    """What :func:`parse_question` understood; ``missing`` says what to add when something is unknown."""

    question: str
    model: str | None
    model_text: str | None
    use: str | None
    candidates: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _find_model(graph: nx.MultiDiGraph, words: list[str]) -> tuple[str | None, str | None, list[str], tuple[int, int]]:
    """The node named by the longest run of words, the run's text, ambiguous candidates, and its span."""
    index = name_index(graph)
    best: tuple[int, int, str, set[str]] | None = None
    for size in range(min(6, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            text = " ".join(words[start : start + size])
            key = normalise(text)
            ids = {i for i in index.get(key, set()) if graph.nodes[i]["kind"] != "license"}
            if ids and len(key) >= 3 and (best is None or len(key) > best[0]):
                best = (len(key), start, text, ids)
    if best is None:
        return None, None, [], (0, 0)
    ids = sorted(best[3])
    span = (best[1], best[1] + len(best[2].split()))
    return (ids[0] if len(ids) == 1 else None), best[2], ids if len(ids) > 1 else [], span


def _find_use(words: list[str]) -> str | None:
    lowered = [w.lower().strip(".,?!") for w in words]
    for use, groups in USE_RULES:
        if all(any(re.fullmatch(g, w) for w in lowered) for g in groups):
            return use
    return None


def parse_question(graph: nx.MultiDiGraph, question: str) -> ParsedQuestion:
    """Find the model and the use a question asks about.

    >>> from lineage.graph import load_graph
    >>> parse_question(load_graph(), "is FLUX.1 dev OK for a paid API?").use
    'paid-service'
    """
    words = _WORD.findall(question)
    model, model_text, candidates, (start, end) = _find_model(graph, words)
    use = _find_use(words[:start] + words[end:])  # the model's own name ("... Model") is not a use
    missing = []
    if model is None:
        missing.append(
            f"which model: {model_text!r} could be {', '.join(candidates)}"
            if candidates
            else "which model (name it as on its model card, e.g. 'Anima Preview 2' or 'FLUX.1 [dev]')"
        )
    if use is None:
        missing.append(
            "what you want to do: e.g. 'sell images', 'offer it as a paid API', 'train on its outputs', "
            "'share a LoRA', 'sell a fine-tune', 'use it at work', 'use it without credit'"
        )
    return ParsedQuestion(question, model, model_text, use, candidates, missing)
