"""Graph in, answers out: which licenses reach a use of a model, and the answers built from them.

Modules, in the order the data flows: :mod:`~lineage.answers.scope` (which parts a use touches),
:mod:`~lineage.answers.core` (the licenses that reach a model and the verdict they give),
:mod:`~lineage.answers.evidence` (what an answer rests on, in plain words),
:mod:`~lineage.answers.alternatives`, :mod:`~lineage.answers.family` and
:mod:`~lineage.answers.combination`. :mod:`~lineage.answers.reasoner` assembles the full answer. Built on it:
:mod:`~lineage.answers.whatif` (swap a part, see the verdicts change), :mod:`~lineage.answers.civitai` (the
permission flags a verdict implies), and :mod:`~lineage.answers.ask` with :mod:`~lineage.answers.mentions` (a
plain-English question to a model and a use).
"""
