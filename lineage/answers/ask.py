"""Turn a plain-English question into models and a use (or a lineage query), offline and without a language model.

Models come from :mod:`lineage.answers.mentions` (several per question; a did-you-mean for partial or misspelt
names). A lineage question ("what VAE does Qwen-Image use", "where does the Wan VAE come from", "components of
SDXL", "what is Anima built on") is routed to that query. Otherwise the use comes from everyday words, most
specific first: "make money from pictures", "sell prints", "use in my game" are about the images;
"host it", "run a paid API" a paid service; "train a LoRA on", "fine-tune" making a derivative (publishing or
selling it when the question says so); "train on its images" training on its outputs.

>>> from lineage.core.graph import load_graph
>>> q = parse_question(load_graph(), "can I sell images made with Anima?")
>>> q.use, q.model
('sell-outputs', 'anima')
>>> parse_question(load_graph(), "Can I train a LoRA on FLUX dev?").use
'make-derivatives'
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from lineage.answers.mentions import find_mentions

_WORD = re.compile(r"[\w.\[\]+-]+")

_OUTPUT = (r"(image|images|output|outputs|picture|pictures|pics|art|artwork|artworks|generation|generations|generated"
           r"|render|renders|illustration|illustrations|photo|photos|content|creations|wallpapers?|results?)")
_DERIV = (r"(lora|loras|lycoris|finetunes?|finetuned|merges?|merged|derivatives?|checkpoints?|variants?|versions?"
          r"|adapters?|embeddings?|dreambooth)")
_SELL = (r"(sell|selling|sold|sale|sales|monetize|monetise|monetizing|money|profit|earn|paid|charge|charging"
         r"|commercial|commercially)")
_SHARE = (r"(share|sharing|publish|publishing|upload|uploading|release|releasing|distribute|distributing|post"
          r"|posting|civitai|huggingface)")
_TRAIN = r"(train|training|trained|finetune|finetuning|distill|distil|distilling|distillation|dataset|datasets)"
_MAKE = r"(train|training|finetune|finetuning|finetuned|lora|loras|dreambooth|customize|customise|merge|merging|tweak)"
#: Things people make with generated images and sell.
_PRODUCTS = (r"(print|prints|merch|merchandise|etsy|game|games|thumbnail|thumbnails|poster|posters|cover|covers|comic"
             r"|comics|sticker|stickers|t-shirts?|tshirts?|shirts?|book|books|ads|advert|adverts|advertising|marketing"
             r"|stock|nft|nfts|logo|logos|album|manga|webtoon|client|clients|commission|commissions|patreon)")
_SERVICE = (r"(api|apis|hosted|host|hosting|saas|service|services|subscription|endpoint|server|app|apps|website"
            r"|platform|bot|discord|inference|serve|serving)")

# (use, required word groups): every group must match at least one word in the question (model name removed).
USE_RULES: list[tuple[str, list[str]]] = [
    ("no-attribution", [r"(credit|crediting|credits|attribution|attribute|attributing|mention|mentioning|notice)"]),
    ("train-on-outputs", [_TRAIN, _OUTPUT]),
    ("train-on-outputs", [r"(synthetic|distill|distil|distillation|distilling)"]),
    ("sell-derivatives", [_SELL, _DERIV]),
    ("share-derivatives", [_SHARE, _DERIV]),
    ("make-derivatives", [_MAKE]),
    ("paid-service", [_SERVICE]),
    ("sell-outputs", [_SELL, _OUTPUT]),
    ("sell-outputs", [_PRODUCTS]),
    ("commercial-use", [r"(commercial|commercially|business|businesses|company|companies|product|products|work|job"
                        r"|startup|enterprise|profit|production|money|employer|office|agency|freelance|professional"
                        r"|professionally)"]),
]

#: Lineage questions: (intent, patterns on the question text, lower-cased).
INTENTS: list[tuple[str, str]] = [
    ("vae", r"\b(what|which)\b.*\b(vae|autoencoder)\b|\bvae\s+(of|in|for)\b"),
    ("components", r"\bcomponents?\b|\bparts?\s+(of|in)\b|\bmade of\b|\bwhat'?s in\b|\bwhich parts\b|"
                   r"\b(what|which)\b.*\btext encoders?\b"),
    ("descendants", r"\b(built|based|derived|trained|finetuned|made)\s+(on|from)\s*$|\bdescendants?\b|"
                    r"\bchildren\b|\bfinetunes of\b|\bwho uses\b|\bwhat uses\b"),
    ("trace", r"\bcomes? from\b|\bbuilt on\b|\bbased on\b|\bderived from\b|\bderives from\b|\bancestors?\b|"
              r"\blineage\b|\borigins?\b|\bparents?\b|\bhistory of\b|\bwhere\b.*\bfrom\b|\bfinetuned from\b"),
]


@dataclass(frozen=True)
class ParsedQuestion:
    """What :func:`parse_question` understood; ``missing`` says what to add when something is unknown.

    ``model`` is the first model named (``models`` lists all of them); ``intent`` is ``can-i`` or a lineage
    query (``vae``, ``components``, ``trace``, ``descendants``); ``suggestions`` is a did-you-mean.
    """

    question: str
    model: str | None
    model_text: str | None
    use: str | None
    candidates: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    intent: str = "can-i"
    suggestions: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _prepare(question: str) -> str:
    text = re.sub(r"\bfine[\s-]+tun", "finetun", question, flags=re.IGNORECASE)
    return re.sub(r"\bt[\s-]shirts?\b", "tshirt", text, flags=re.IGNORECASE)


def find_use(words: list[str]) -> str | None:
    """The use that everyday words ask about, or ``None``.

    >>> find_use("make money from pictures".split()), find_use("host it".split())
    ('sell-outputs', 'paid-service')
    """
    lowered = [w.lower().strip(".,?!'\"") for w in words]
    for use, groups in USE_RULES:
        if all(any(re.fullmatch(g, w) for w in lowered) for g in groups):
            return use
    return None


def _intent(question: str, words: list[str], start: int) -> str:
    lowered = question.lower()
    before = " ".join(words[:start]).lower()
    for intent, pattern in INTENTS:
        if intent == "descendants":
            if re.search(pattern, before) or re.search(r"\b(descendants?|children|finetunes of|who uses|what uses)\b",
                                                       lowered):
                return intent
            continue
        if re.search(pattern, lowered):
            return intent
    return "can-i"


def parse_question(graph: nx.MultiDiGraph, question: str) -> ParsedQuestion:
    """Find the models and the use (or lineage query) a question asks about.

    >>> from lineage.core.graph import load_graph
    >>> parse_question(load_graph(), "is FLUX.1 dev OK for a paid API?").use
    'paid-service'
    >>> parse_question(load_graph(), "what is Anima built on").intent
    'trace'
    """
    words = _WORD.findall(_prepare(question))
    mentions = find_mentions(graph, words)
    named = [m for m in mentions if m.node]
    unsure = [m for m in mentions if not m.node]
    rest = [w for i, w in enumerate(words) if not any(m.start <= i < m.end for m in mentions)]
    first = mentions[0] if mentions else None
    use = find_use(rest)
    intent = "can-i" if use else _intent(question, words, first.start if first else len(words))
    candidates = unsure[0].suggestions if unsure and not named else []
    missing = []
    if not named:
        if unsure:
            missing.append(f"which model: did you mean {', '.join(unsure[0].suggestions)}? "
                           f"({unsure[0].text!r} is not a full name)")
        else:
            missing.append("which model (name it as on its model card, e.g. 'Anima Preview 2' or 'FLUX.1 [dev]'; "
                           "`lineage search TEXT` finds ids)")
    if use is None and intent == "can-i":
        missing.append(
            "what you want to do: e.g. 'sell images', 'offer it as a paid API', 'train on its outputs', "
            "'train a LoRA', 'share a LoRA', 'sell a fine-tune', 'use it at work', 'use it without credit'"
        )
    return ParsedQuestion(
        question, named[0].node if named else None, (named[0] if named else first).text if mentions else None,
        use, candidates, missing, [m.node for m in named if m.node], intent,
        [s for m in unsure for s in m.suggestions],
    )
