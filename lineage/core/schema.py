"""The typed, sourced records that ``data/models.yaml`` holds.

Every fact is a list of :class:`Claim`; each claim names its source (a URL, a
``owner/repo:path@commit`` reference or the id of an entry in the ``sources``
registry), a short quote or locator, and how strong the source is.

Sources are public: an ``https://`` URL, ``owner/repo:path@commit`` (a file in a public GitHub repository
at a commit), or a registry id whose ``ref`` is one of those. Never a local path.

Disputes and discrepancies. Values that agree at different precision do not conflict ("2025-02" and
"2025-02-25" agree). When the primary claims agree, the fact has their value and any secondary or
unverified claim that says otherwise is a *discrepancy* (shown, not chosen). A fact is *disputed* only when
primary claims conflict, or when it has no primary claim and the other claims conflict. The same rule
settles alternative edges and licenses in one ``dispute`` group (:func:`settle`).

Examples
--------
>>> c = Claim(value="2026-01-26", source="article", quote="first released as Preview1 on January 26, 2026",
...           status="secondary")
>>> Fact([c]).value
'2026-01-26'
>>> Fact([c, Claim(value="2026-02-02", source="https://example.org", locator="issue", status="secondary")]).disputed
True
>>> f = Fact([c, Claim(value="2026-01", source="https://example.org", locator="card")])
>>> f.disputed, f.value, f.discrepancies
(False, '2026-01', [])
>>> f = Fact([c, Claim(value="2026-02-02", source="https://example.org", locator="card")])
>>> f.disputed, f.value, [d.value for d in f.discrepancies]
(False, '2026-02-02', ['2026-01-26'])
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, RootModel, field_validator, model_validator

ID_PATTERN = r"^[a-z0-9][a-z0-9.+-]*$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_REPO_REF_RE = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+:[^@\s]+@[0-9a-f]{7,40}$")

Slug = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=120)]


class Strict(BaseModel):
    """Base for every record: unknown fields are rejected, types are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class SourceStatus(StrEnum):
    """How strong a source is for the fact it supports."""

    primary = "primary"
    secondary = "secondary"
    unverified = "unverified"


class NodeKind(StrEnum):
    """What a node stands for."""

    model = "model"
    family = "family"
    text_encoder = "text_encoder"
    denoiser = "denoiser"
    vae = "vae"
    adapter = "adapter"
    tokenizer = "tokenizer"
    guardrail = "guardrail"


class EdgeType(StrEnum):
    """Typed relations. An edge points from the child (or user) to the parent (or used part)."""

    finetuned_from = "finetuned_from"
    resumed_from = "resumed_from"
    distilled_from = "distilled_from"
    architecture_derived_from = "architecture_derived_from"
    successor_of = "successor_of"
    trained_on_outputs_of = "trained_on_outputs_of"
    member_of = "member_of"
    uses_text_encoder = "uses_text_encoder"
    uses_denoiser = "uses_denoiser"
    uses_vae = "uses_vae"
    uses_adapter = "uses_adapter"
    uses_tokenizer = "uses_tokenizer"
    uses_guardrail = "uses_guardrail"
    #: An adapter (image prompt, control, LoRA) made to plug into a base model; not derived from its weights.
    adapter_for = "adapter_for"
    vae_reused_from = "vae_reused_from"
    vae_finetuned_from = "vae_finetuned_from"
    vae_arch_derived_from = "vae_arch_derived_from"
    licensed_under = "licensed_under"
    relicensed_to = "relicensed_to"
    superseded_by = "superseded_by"


#: Edges whose parent's weights or outputs went into the child: their direction must be acyclic and
#: a child should not be released before its parent.
DERIVATION_EDGES: frozenset[EdgeType] = frozenset(
    {
        EdgeType.finetuned_from,
        EdgeType.resumed_from,
        EdgeType.distilled_from,
        EdgeType.architecture_derived_from,
        EdgeType.successor_of,
        EdgeType.trained_on_outputs_of,
        EdgeType.vae_reused_from,
        EdgeType.vae_finetuned_from,
        EdgeType.vae_arch_derived_from,
    }
)
#: Edges from a model to a part it needs to run.
COMPONENT_EDGES: dict[EdgeType, str] = {
    EdgeType.uses_text_encoder: "text encoder",
    EdgeType.uses_denoiser: "denoiser",
    EdgeType.uses_vae: "VAE",
    EdgeType.uses_adapter: "adapter",
    EdgeType.uses_tokenizer: "tokenizer",
    EdgeType.uses_guardrail: "guardrail",
}
VAE_EDGES: frozenset[EdgeType] = frozenset(
    {EdgeType.uses_vae, EdgeType.vae_reused_from, EdgeType.vae_finetuned_from, EdgeType.vae_arch_derived_from}
)
#: Edges whose target is a license, not a node.
LICENSE_EDGES: frozenset[EdgeType] = frozenset(
    {EdgeType.licensed_under, EdgeType.relicensed_to, EdgeType.superseded_by}
)


class PartialDate(str):
    """A date known to the year, month or day: ``2022``, ``2022-10`` or ``2022-10-20``.

    >>> PartialDate.parse("2022-10").precision
    'month'
    >>> PartialDate.parse("2022-10") < PartialDate.parse("2022-10-20")
    True
    """

    precision: str

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        match = _DATE_RE.match(text)
        if not match:
            raise ValueError(f"{text!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in match.groups())
        import datetime

        try:
            datetime.date(year, month or 1, day or 1)
        except ValueError as err:
            raise ValueError(f"{text!r} is not a real date ({err})") from None
        out = cls(text)
        out.precision = "day" if day else "month" if month else "year"
        return out

    def earliest(self) -> str:
        """The first day this date can mean, as ``YYYY-MM-DD``.

        >>> PartialDate.parse("2024-08").earliest()
        '2024-08-01'
        """
        parts = self.split("-") + ["01"] * (3 - len(self.split("-")))
        return "-".join(parts)

    def latest(self) -> str:
        """The last day this date can mean, as ``YYYY-MM-DD``.

        >>> PartialDate.parse("2024-02").latest()
        '2024-02-29'
        """
        import calendar

        parts = self.split("-")
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 12
        day = int(parts[2]) if len(parts) > 2 else calendar.monthrange(year, month)[1]
        return f"{year:04d}-{month:02d}-{day:02d}"


def _check_date(text: str) -> str:
    PartialDate.parse(text)
    return text


#: A date as written in the data (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), checked on load.
DateStr = Annotated[str, AfterValidator(_check_date)]

ClaimValue = str | int | float | bool | None


class Claim(Strict):
    """One source's statement of a fact.

    ``source`` is an id from the ``sources`` registry, an ``https://`` URL, or ``owner/repo:path@commit``
    (public sources only; ``lineage validate`` rejects local paths).
    At least one of ``quote`` (a short verbatim quote) or ``locator`` (section, line, field) is needed.
    """

    value: ClaimValue = None
    source: str
    quote: str | None = None
    locator: str | None = None
    status: Annotated[SourceStatus, Field(strict=False)] = SourceStatus.primary
    note: str | None = None
    #: For an assumption that a license version's wording is the same as another version's: the id of the
    #: license whose text was actually read. Such a claim must be ``status: unverified``; answers show it.
    assumed_from: str | None = None

    @property
    def primary(self) -> bool:
        """Whether the claim comes from a primary source (the official text)."""
        return self.status == SourceStatus.primary

    @model_validator(mode="after")
    def _needs_quote_or_locator(self) -> Claim:
        if not (self.quote or self.locator):
            raise ValueError("a claim needs a 'quote' or a 'locator' saying where in the source it is")
        if self.assumed_from and self.status != SourceStatus.unverified:
            raise ValueError("a claim with 'assumed_from' is an assumption: mark it 'status: unverified'")
        return self


def _span(value: ClaimValue) -> tuple[str, str] | None:
    if isinstance(value, str):
        try:
            date = PartialDate.parse(value)
        except ValueError:
            return None
        return date.earliest(), date.latest()
    return None


def values_agree(a: ClaimValue, b: ClaimValue) -> bool:
    """Whether two claimed values agree: equal, or dates where one lies within the other's span.

    >>> values_agree("2025-02", "2025-02-25"), values_agree("2025", "2025-08"), values_agree("2025-02", "2025-03")
    (True, True, False)
    """
    if a == b:
        return True
    span_a, span_b = _span(a), _span(b)
    if span_a is None or span_b is None:
        return False
    return (span_a[0] <= span_b[0] and span_b[1] <= span_a[1]) or (span_b[0] <= span_a[0] and span_a[1] <= span_b[1])


def _all_agree(values: list[ClaimValue]) -> bool:
    return all(values_agree(a, b) for i, a in enumerate(values) for b in values[i + 1:])


def _most_precise(values: list[ClaimValue]) -> ClaimValue:
    dated = [v for v in values if _span(v)]
    return max(dated, key=lambda v: len(str(v))) if dated else values[0]


def settle(alternatives: list[list[Claim]]) -> tuple[int | None, list[int]]:
    """Decide between alternatives (e.g. edges in one ``dispute`` group), each given as its claims.

    Returns ``(chosen, discrepancies)``: the index of the alternative that stands, or ``None`` when the
    group is disputed (several alternatives have primary claims, or none has and there are several), and
    the indices of the alternatives that are only discrepancies against the chosen one.

    >>> p = Claim(source="https://example.org", locator="code")
    >>> s = Claim(source="https://example.org/blog", locator="post", status="secondary")
    >>> settle([[s], [p]]), settle([[s], [s]]), settle([[p], [p]])
    ((1, [0]), (None, []), (None, []))
    """
    with_primary = [i for i, claims in enumerate(alternatives) if any(c.primary for c in claims)]
    if len(with_primary) == 1:
        chosen = with_primary[0]
        return chosen, [i for i in range(len(alternatives)) if i != chosen]
    if len(alternatives) == 1:
        return 0, []
    return None, []


class Fact(RootModel[list[Claim]]):
    """A fact as the claims made about it: a value, the discrepancies against it, or a dispute.

    The deciding claims are the primary ones when there are any, else all claims. When the deciding claims
    agree (at any precision), the fact's value is the most precise of them and every other claim that does
    not agree with it is a discrepancy; when they conflict, the fact is disputed and has no value.
    """

    model_config = ConfigDict(strict=True, frozen=True)

    @field_validator("root")
    @classmethod
    def _not_empty(cls, claims: list[Claim]) -> list[Claim]:
        if not claims:
            raise ValueError("a fact needs at least one claim")
        return claims

    @property
    def claims(self) -> list[Claim]:
        return self.root

    @property
    def values(self) -> list[ClaimValue]:
        """The distinct values claimed, in the order first seen."""
        seen: list[ClaimValue] = []
        for claim in self.root:
            if claim.value not in seen:
                seen.append(claim.value)
        return seen

    @property
    def deciding(self) -> list[Claim]:
        """The claims that decide the value: the primary ones, or all claims when none is primary."""
        return [c for c in self.root if c.primary] or list(self.root)

    @property
    def disputed(self) -> bool:
        """Whether the deciding claims conflict (values that agree at different precision do not)."""
        return not _all_agree([c.value for c in self.deciding])

    @property
    def value(self) -> ClaimValue:
        """The most precise deciding value when they agree; ``None`` (unknown) when the fact is disputed."""
        return None if self.disputed else _most_precise([c.value for c in self.deciding])

    @property
    def discrepancies(self) -> list[Claim]:
        """Claims outside the deciding ones whose value does not agree with the fact's value."""
        if self.disputed:
            return []
        value = self.value
        return [c for c in self.root if not values_agree(c.value, value)]


class Source(Strict):
    """A reusable source in the ``sources`` registry."""

    id: Slug
    ref: str
    title: str
    status: Annotated[SourceStatus, Field(strict=False)] = SourceStatus.primary
    note: str | None = None


class Organization(Strict):
    id: Slug
    name: str
    url: str | None = None
    aliases: list[str] = []
    sources: list[Claim]


class Clause(Strict):
    """A short quote from a license text, where it stands, and which side it supports in a dispute."""

    quote: str
    locator: str | None = None
    source: str | None = None  # defaults to the license's own URL
    status: Annotated[SourceStatus, Field(strict=False)] = SourceStatus.primary
    supports: Literal["yes", "no", "conditional"] | None = None
    #: The quote comes from another version's text (this license id) and is assumed to read the same here;
    #: such a clause must be ``status: unverified``. Answers show it as an assumption.
    assumed_from: str | None = None

    @model_validator(mode="after")
    def _assumption_is_unverified(self) -> Clause:
        if self.assumed_from and self.status != SourceStatus.unverified:
            raise ValueError("a clause with 'assumed_from' is an assumption: mark it 'status: unverified'")
        return self


Verdict = Literal["yes", "no", "conditional", "disputed", "unknown"]
USES: tuple[str, ...] = (
    "commercial-use",
    "paid-service",
    "sell-outputs",
    "train-on-outputs",
    "make-derivatives",
    "share-derivatives",
    "sell-derivatives",
    "no-attribution",
)

#: Uses a license record may leave out: the reasoner infers them from another use's term (making a
#: derivative for yourself is a step of publishing one, so a license that lets you publish derivatives lets
#: you make them). A term recorded for the use itself always wins.
INFERRED_USES: dict[str, str] = {"make-derivatives": "share-derivatives"}

#: License-level facts the reasoner and the model pages show.
LICENSE_FACT_KEYS: tuple[str, ...] = (
    "licensor_may_change",  # may the licensor change the terms unilaterally (value: bool)
    "retroactive_changes",  # do changed terms bind models already released (value: bool)
    "revocable",  # may the licensor terminate the grant at will (value: bool)
    "indemnification",  # must the user indemnify the licensor (value: bool)
    "claims_outputs",  # does the licensor claim rights in outputs (value: bool)
    "revenue_threshold_usd",  # annual revenue above which the free grant ends (value: int)
    "user_threshold_mau",  # monthly active users above which a separate license is needed (value: int)
    "territory",  # where the license does not apply (value: str)
    "use_restrictions",  # an acceptable-use list that binds the user (value: bool)
    "guardrail_termination",  # bypassing safety guardrails ends the license (value: bool)
    "copyleft",  # modifications must stay under this license or one allowing as much (value: bool)
    "readme_statement",  # extra statements outside the license text (value: str)
)


class Term(Strict):
    """What a license says about one use: a verdict, what it depends on, what it obliges, and the clauses."""

    verdict: Verdict
    conditions: list[str] = []
    obligations: list[str] = []
    clauses: list[Clause] = []
    note: str | None = None

    @model_validator(mode="after")
    def _justified(self) -> Term:
        if self.verdict != "unknown" and not self.clauses:
            raise ValueError(f"verdict {self.verdict!r} needs at least one clause quote")
        if self.verdict == "conditional" and not self.conditions:
            raise ValueError("a 'conditional' verdict needs the conditions it depends on")
        if self.verdict == "disputed" and len({c.supports for c in self.clauses} - {None}) < 2:
            raise ValueError("a 'disputed' verdict needs clauses that support at least two different sides")
        return self


class LicenseFact(Strict):
    """A license-level fact (may the licensor change the terms, is there an indemnity, ...)."""

    value: str | bool | int | None
    text: str | None = None
    clauses: list[Clause] = []


class FlowDown(Strict):
    """Whether, and which, terms a license passes to models derived from the licensed one."""

    applies: bool
    edge_types: list[Annotated[EdgeType, Field(strict=False)]] = []
    uses: list[str] = []  # which uses' terms flow down; empty means all
    text: str | None = None
    clauses: list[Clause] = []


class LicenseScope(Strict):
    """What a license calls its outputs and its derivatives, so the reasoner knows which uses of a part it reaches.

    ``outputs_of``: ``pipeline`` when the license's output clauses cover anything generated *using* the
    licensed model, even as one part of a pipeline (the conservative default); ``model`` when they cover only
    what the licensed model itself produces (a guardrail's outputs are its safety labels, not the images).
    """

    outputs: str | None = None  # what the license calls outputs (a short summary; ``clauses`` quote it)
    outputs_of: Literal["pipeline", "model"] = "pipeline"
    derivatives: str | None = None  # what it calls derivatives (a short summary; ``clauses`` quote it)
    clauses: list[Clause] = []


class License(Strict):
    id: Slug
    name: str
    version: str | None = None
    date: DateStr | None = None
    url: str | None = None
    spdx: str | None = None
    scancode: str | None = None
    hf: str | None = None
    civitai: str | None = None
    aliases: list[str] = []
    terms: dict[str, Term] = {}
    flow_down: FlowDown | None = None
    scope: LicenseScope | None = None
    facts: dict[str, LicenseFact] = {}
    attribution: str | None = None
    sources: list[Claim]

    @field_validator("terms")
    @classmethod
    def _known_uses(cls, terms: dict[str, Term]) -> dict[str, Term]:
        unknown = sorted(set(terms) - set(USES))
        if unknown:
            raise ValueError(f"unknown use(s) {unknown}; the uses are {list(USES)}")
        return terms

    @field_validator("facts")
    @classmethod
    def _known_facts(cls, facts: dict[str, LicenseFact]) -> dict[str, LicenseFact]:
        unknown = sorted(set(facts) - set(LICENSE_FACT_KEYS))
        if unknown:
            raise ValueError(f"unknown license fact(s) {unknown}; the facts are {list(LICENSE_FACT_KEYS)}")
        return facts


class WeightFile(Strict):
    name: str
    size: int | None = None
    sha256: Annotated[str, Field(pattern=SHA256_PATTERN)] | None = None
    sources: list[Claim]


class LicenseAssignment(Strict):
    """``node licensed_under license``, with its sources; ``dispute`` groups alternative claims."""

    id: Slug
    scope: Literal["weights", "code", "weights+code"] = "weights"
    dispute: str | None = None
    sources: list[Claim]


class Node(Strict):
    """A model release, a family, or a component (text encoder, denoiser, VAE, adapter, tokenizer)."""

    id: Slug
    name: str
    kind: Annotated[NodeKind, Field(strict=False)]
    aliases: list[str] = []
    organization: Slug | None = None
    family: Slug | None = None
    released: Fact | None = None
    parameters: Fact | None = None
    licenses: list[LicenseAssignment] = []
    files: list[WeightFile] = []
    file_patterns: list[str] = []
    architecture: str | None = None
    description: str | None = None
    sources: list[Claim]


class Edge(Strict):
    """``source --type--> target``; ``dispute`` groups edges that are alternatives (e.g. two claimed parents)."""

    source: Slug
    type: Annotated[EdgeType, Field(strict=False)]
    target: Slug
    date: DateStr | None = None
    dispute: str | None = None
    note: str | None = None
    #: A part people run the model without (a guardrail, safety checker, prompt upsampler or refiner that
    #: only the full reference pipeline adds): answers leave it out and say what it adds.
    optional: bool = False
    sources: list[Claim]


class Dataset(Strict):
    """Everything in the data files, after each record has been validated."""

    sources: list[Source] = []
    organizations: list[Organization] = []
    licenses: list[License] = []
    nodes: list[Node] = []
    edges: list[Edge] = []
