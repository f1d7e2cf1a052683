"""The license reasoner on the small fixture graph: composition, flow-down, disputes, and its properties."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lineage.answers.core import applies, term_for
from lineage.answers.reasoner import RANK, UnknownUse, attachments, can_i, normalise_use, verdict_table
from lineage.core.problems import LineageError
from lineage.core.schema import USES


@pytest.mark.parametrize(
    ("model", "use", "verdict", "deciding"),
    [
        # nc-lic says "non-commercial use only" and flows down finetuned_from: the child inherits the ban.
        ("child-model", "commercial-use", "no", ["nc-lic"]),
        # nc-lic's output clauses support both sides: the child's answer is disputed, not silently yes.
        ("child-model", "sell-outputs", "disputed", ["nc-lic"]),
        ("child-model", "train-on-outputs", "no", ["nc-lic"]),
        # both licenses allow sharing derivatives; their obligations are listed, not the verdict changed.
        ("child-model", "share-derivatives", "yes", ["open-lic", "nc-lic"]),
        ("child-model", "no-attribution", "no", ["open-lic", "nc-lic"]),
        # the VAE is only under open-lic: base-model's NC license does not leak into its part.
        ("the-vae", "commercial-use", "yes", ["open-lic"]),
        ("the-te", "sell-derivatives", "yes", ["open-lic"]),
        ("base-model", "paid-service", "no", ["nc-lic"]),
    ],
)
def test_verdicts_on_the_fixture(mini, model, use, verdict, deciding):
    answer = can_i(mini, model, use)
    assert answer.verdict == verdict
    assert sorted(answer.deciding) == sorted(deciding)
    assert answer.disclaimer.startswith("Not legal advice")


def test_reasons_carry_path_clause_and_url(mini):
    answer = can_i(mini, "child-model", "commercial-use")
    decisive = [r for r in answer.reasons if r.decisive]
    assert decisive[0].path == ["child-model", "base-model"]
    assert decisive[0].edges == ["finetuned_from"]
    assert decisive[0].how == "flow-down"
    assert decisive[0].clause == "non-commercial use only"
    assert decisive[0].url == "https://example.org/nc"


def test_components_are_inherited_from_the_parent_and_bring_their_own_license(mini):
    atts = attachments(mini, "child-model")
    vae = [a for a in atts if a.path[-1] == "the-vae"]
    assert vae and vae[0].path == ("child-model", "base-model", "the-vae")
    assert vae[0].license == "open-lic" and vae[0].how == "component"


def test_obligations_are_collected_and_conditions_need_conditional(mini):
    answer = can_i(mini, "child-model", "share-derivatives")
    assert answer.obligations == ["keep the notice", "include this license"]
    assert answer.conditions == []


def test_conditional_license_reports_its_condition(mini):
    g = mini.copy()
    g.add_edge("the-te", "revenue-lic", key="licensed_under", type="licensed_under", sources=[], disputed=False)
    answer = can_i(g, "the-te", "commercial-use")
    assert answer.verdict == "conditional"
    assert answer.conditions == ["annual revenue under US$1M"]
    # revenue-lic says nothing about paid services: the answer cannot be yes.
    assert can_i(g, "the-te", "paid-service").verdict == "unknown"


def test_disputed_license_claims_give_a_disputed_answer_with_both_sides(mini):
    g = mini.copy()
    for lic in ("open-lic", "nc-lic"):
        g.add_edge("the-te", lic, key="licensed_under", type="licensed_under", sources=[], disputed=False)
    # replace the TE's license edges by two alternatives in one dispute group
    g.remove_edges_from([("the-te", v, k) for _, v, k in list(g.out_edges("the-te", keys=True))])
    g.add_edge(
        "the-te", "open-lic", key="licensed_under", type="licensed_under", sources=[], dispute="te", disputed=True
    )
    g.add_edge("the-te", "nc-lic", key="licensed_under", type="licensed_under", sources=[], dispute="te", disputed=True)
    answer = can_i(g, "the-te", "commercial-use")
    assert answer.verdict == "disputed"
    assert {r.license for r in answer.reasons} == {"open-lic", "nc-lic"}
    assert any("differs by claim" in n for n in answer.notes)
    # where both alternatives agree, the answer is not disputed
    assert can_i(g, "the-te", "no-attribution").verdict == "no"


def test_bad_input_gives_clear_errors(mini):
    with pytest.raises(UnknownUse, match="Did you mean: sell-outputs"):
        can_i(mini, "child-model", "sell-output")
    with pytest.raises(LineageError, match="not a model"):
        can_i(mini, "nc-lic", "commercial-use")
    assert normalise_use("Sell Outputs") == "sell-outputs"


def test_table_has_every_use(mini):
    assert list(verdict_table(mini, "child-model")) == list(USES)


# --- properties, on the shipped graph ------------------------------------------------------------


def _restrictive_license(graph: nx.MultiDiGraph) -> str:
    """A license in the data whose commercial-use term is 'no' (there must be one, e.g. a NC license)."""
    for node, attrs in graph.nodes(data=True):
        term = attrs["record"].terms.get("commercial-use") if attrs["kind"] == "license" else None
        if term is not None and term.verdict == "no":
            return node
    raise AssertionError("the data has no license that forbids commercial use")


def _models(graph: nx.MultiDiGraph) -> list[str]:
    return sorted(n for n, a in graph.nodes(data=True) if a["kind"] not in {"license", "family"})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_adding_a_restriction_upstream_never_loosens(graph, data):
    models = _models(graph)
    target = data.draw(st.sampled_from(models), label="model")
    upstream = data.draw(st.sampled_from([target, *[a.path[-1] for a in attachments(graph, target)]]), label="where")
    use = data.draw(st.sampled_from(USES), label="use")
    before = can_i(graph, target, use).verdict
    g = graph.copy()
    lic = _restrictive_license(graph)
    g.add_edge(upstream, lic, key="licensed_under", type="licensed_under", sources=[], disputed=False)
    after = can_i(g, target, use).verdict
    if before == "no":
        assert after == "no"
    # with no license that reaches this use, "unknown" only means "nothing recorded"
    if any(applies(graph, a, use) for a in attachments(graph, target)):
        if after == "yes":
            assert before == "yes"
        if before != "disputed" and after != "disputed":
            assert RANK[after] >= RANK[before]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_components_license_never_leaks_to_its_siblings(graph, data):
    uses = [(u, v, k) for u, v, k in graph.edges(keys=True) if k.startswith("uses_")]
    user, part, _ = data.draw(st.sampled_from(uses), label="edge")
    use = data.draw(st.sampled_from(USES), label="use")
    before = can_i(graph, part, use).verdict
    g = graph.copy()
    g.add_edge(
        user, _restrictive_license(graph), key="licensed_under", type="licensed_under", sources=[], disputed=False
    )
    # restricting the model that uses the part changes nothing for the part itself ...
    assert can_i(g, part, use).verdict == before
    # ... nor for the other parts the same model uses
    for _, sibling, k in graph.out_edges(user, keys=True):
        if k.startswith("uses_") and sibling != part:
            assert can_i(g, sibling, use).verdict == can_i(graph, sibling, use).verdict


def test_every_clause_cited_in_a_reason_is_in_the_data(graph):
    for model in _models(graph):
        for use in USES:
            for reason in can_i(graph, model, use).reasons:
                term, _ = term_for(graph.nodes[reason.license]["record"], use)
                if not term.clauses:
                    assert reason.verdict == "unknown"
                    continue
                assert reason.clause in {c.quote for c in term.clauses}, (model, use, reason.license)


def test_unverified_edges_carry_no_terms_but_are_named(mini):
    g = mini.copy()
    g.add_node("rumoured-parent", kind="model", name="Rumoured Parent", aliases=[], licenses=["nc-lic"])
    g.add_edge("rumoured-parent", "nc-lic", key="licensed_under", type="licensed_under", sources=[], disputed=False)
    g.add_edge("the-te", "rumoured-parent", key="finetuned_from", type="finetuned_from", disputed=False,
               sources=[{"source": "fixture", "locator": "a guess", "status": "unverified"}])
    answer = can_i(g, "the-te", "commercial-use")
    assert answer.verdict == "yes"
    # following the edge would change the verdict, so the answer says, in words, why it was not followed
    assert any("No verified source says that" in n and "Rumoured Parent" in n for n in answer.notes), answer.notes
    # the same edge with one primary source does carry the parent's non-commercial terms
    g["the-te"]["rumoured-parent"]["finetuned_from"]["sources"].append({"source": "fixture", "locator": "x"})
    assert can_i(g, "the-te", "commercial-use").verdict == "no"
