"""Which parts of a model a use touches, as data: the use's kind, the part's role, the license's own scope.

* Running the model (``commercial-use``, ``paid-service``, ``no-attribution``) touches every part that runs.
* Using its images (``sell-outputs``, ``train-on-outputs``) touches a part's license where that license's
  output clauses cover the images: always for licenses whose outputs are anything generated *using* the model
  (``scope.outputs_of: pipeline``, the default), and only for image-making parts (denoiser, VAE) for licenses
  whose outputs are what the licensed model itself returns (``outputs_of: model``, e.g. a guardrail's labels).
* Making, publishing or selling a fine-tune or LoRA (``*-derivatives``) touches the weights it changes: the
  model's own lineage, its denoiser and its adapter; other parts only if you redistribute them with it.

Parts whose edge is ``optional`` (guardrails, safety checkers, prompt upsamplers, refiners) are left out of
the default answer; :func:`lineage.answers.reasoner.can_i` says what they add.

>>> USE_KINDS["sell-outputs"], USE_KINDS["make-derivatives"]
('outputs', 'derivatives')
>>> role_touched("uses_guardrail", "train-on-outputs", "model")
False
>>> role_touched("uses_text_encoder", "share-derivatives", "pipeline")
False
"""

from __future__ import annotations

from lineage.core.schema import USES, EdgeType

USE_KINDS: dict[str, str] = {
    "commercial-use": "run",
    "paid-service": "run",
    "no-attribution": "run",
    "sell-outputs": "outputs",
    "train-on-outputs": "outputs",
    "make-derivatives": "derivatives",
    "share-derivatives": "derivatives",
    "sell-derivatives": "derivatives",
}
assert set(USE_KINDS) == set(USES), "every use needs a kind"

#: Parts whose product is the image itself.
IMAGE_ROLES: frozenset[str] = frozenset({EdgeType.uses_denoiser.value, EdgeType.uses_vae.value})
#: Parts a fine-tune or LoRA changes (and so publishes).
DERIVATIVE_ROLES: frozenset[str] = frozenset({EdgeType.uses_denoiser.value, EdgeType.uses_adapter.value})

#: Why a use leaves a part out, per use kind (shown beside the parts an answer did not apply).
WHY_NOT: dict[str, str] = {
    "outputs": "the images are not its outputs",
    "derivatives": "a fine-tune or LoRA does not contain it, unless you ship it along",
}


def role_touched(role: str | None, use: str, outputs_of: str = "pipeline") -> bool:
    """Whether ``use`` reaches a license attached through a part of ``role`` (``None``: the model itself).

    >>> role_touched(None, "sell-derivatives")
    True
    >>> role_touched("uses_vae", "sell-outputs", "model")
    True
    """
    if role is None:
        return True
    kind = USE_KINDS[use]
    if kind == "run":
        return True
    if kind == "outputs":
        return outputs_of == "pipeline" or role in IMAGE_ROLES
    return role in DERIVATIVE_ROLES
