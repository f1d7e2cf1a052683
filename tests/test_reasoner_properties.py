"""Properties of the reasoner on the shipped graph: swaps, optional parts and families never loosen an answer."""

from __future__ import annotations

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lineage.answers.core import applies, attachments, evaluate, license_record, term_for
from lineage.answers.family import family_answer
from lineage.answers.reasoner import RANK, can_i
from lineage.answers.whatif import what_if
from lineage.core.schema import USES

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _of_kind(graph: nx.MultiDiGraph, *kinds: str) -> list[str]:
    return sorted(n for n, a in graph.nodes(data=True) if a["kind"] in kinds)


def _lineage_verdicts(graph: nx.MultiDiGraph, node: str, use: str) -> list[str]:
    """What the node's own (undisputed) lineage licenses say about ``use``."""
    return [term_for(license_record(graph, a.license), use)[0].verdict for a in attachments(graph, node)
            if a.role is None and not a.assumptions and applies(graph, a, use)]


@SETTINGS
@given(data=st.data())
def test_a_swap_never_drops_the_swapped_in_parts_restrictions(graph, data):
    model = data.draw(st.sampled_from(_of_kind(graph, "model")), label="model")
    other = data.draw(st.sampled_from([n for n in _of_kind(graph, "model", "denoiser") if n != model]), label="other")
    use = data.draw(st.sampled_from(USES), label="use")
    after = what_if(graph, model, {"denoiser": other}).after[use]["verdict"]
    brought = _lineage_verdicts(graph, other, use)
    if "no" in brought:
        assert after == "no", (model, other, use)
    if after == "yes":
        assert all(v == "yes" for v in brought), (model, other, use, brought)


@SETTINGS
@given(data=st.data())
def test_a_swapped_vae_keeps_its_restrictions_for_the_uses_it_touches(graph, data):
    model = data.draw(st.sampled_from(_of_kind(graph, "model")), label="model")
    vae = data.draw(st.sampled_from(_of_kind(graph, "vae")), label="vae")
    use = data.draw(st.sampled_from(["commercial-use", "paid-service", "sell-outputs", "no-attribution"]), label="use")
    after = what_if(graph, model, {"vae": vae}).after[use]["verdict"]
    if "no" in _lineage_verdicts(graph, vae, use):
        assert after == "no", (model, vae, use)


@SETTINGS
@given(data=st.data())
def test_adding_an_optional_part_never_loosens(graph, data):
    model = data.draw(st.sampled_from(_of_kind(graph, "model")), label="model")
    part = data.draw(st.sampled_from(_of_kind(graph, "guardrail", "text_encoder", "vae")), label="part")
    use = data.draw(st.sampled_from(USES), label="use")
    before = can_i(graph, model, use)
    g = graph.copy()
    g.add_edge(model, part, key="uses_guardrail", type="uses_guardrail", optional=True, disputed=False,
               dispute=None, sources=[{"source": "test", "locator": "an optional part"}])
    answer = can_i(g, model, use)
    assert answer.verdict == before.verdict  # people run the model without it
    full = evaluate(g, model, use, include_optional=True).verdict
    if before.verdict == "no":
        assert full == "no"
    if full == "yes":
        assert before.verdict in {"yes", "unknown"}  # unknown: nothing reached the use before
    if "disputed" not in {full, before.verdict} and before.verdict != "unknown":
        assert RANK[full] >= RANK[before.verdict]
    for extra in answer.optional:
        assert extra["verdict"] == full


@SETTINGS
@given(data=st.data())
def test_a_family_never_says_yes_where_a_member_says_no(graph, data):
    chosen = data.draw(st.lists(st.sampled_from(_of_kind(graph, "model")), min_size=1, max_size=4, unique=True),
                       label="members")
    g = graph.copy()
    g.add_node("test-family", kind="family", name="Test Family", aliases=[], licenses=[])
    for m in chosen:
        g.add_edge(m, "test-family", key="member_of", type="member_of", sources=[], disputed=False)
    for use in USES:
        fa = family_answer(g, "test-family", use)
        members = {m.id: m.verdict for m in fa.members}
        assert set(members) == set(chosen)
        assert members == {m: can_i(graph, m, use).verdict for m in chosen}
        if "no" in members.values():
            assert fa.verdict != "yes"
        if fa.verdict != "depends":
            assert set(members.values()) == {fa.verdict}
        assert can_i(g, "test-family", use).verdict == fa.verdict
