"""Data in, graph out: the records of ``data/models.yaml`` and the questions answered from the graph they make.

Modules, in the order the data flows: :mod:`~lineage.core.safe_yaml` (a YAML loader for untrusted files),
:mod:`~lineage.core.schema` (the typed, sourced records), :mod:`~lineage.core.load` (files to records, with
line numbers), :mod:`~lineage.core.validate` and :mod:`~lineage.core.problems` (cross-record rules and what they
find), :mod:`~lineage.core.graph` (records to a networkx graph), then what is read off the graph:
:mod:`~lineage.core.queries`, :mod:`~lineage.core.resolve` (names people type), :mod:`~lineage.core.catalog`
and :mod:`~lineage.core.describe` (plain-data views). The answers built on it are in :mod:`lineage.answers`.
"""
