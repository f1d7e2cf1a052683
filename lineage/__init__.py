"""Lineage and licensing knowledge graph of open image-generation models.

Data flows one way, and the packages follow it: ``data/models.yaml`` -> :mod:`lineage.core` (validated records,
the networkx graph, queries) -> :mod:`lineage.answers` (the license reasoner, what-ifs, questions) ->
:mod:`lineage.inspection` (what a file is) and :mod:`lineage.scan` (a whole models folder) -> the CLI
(:mod:`lineage.cli`), the Streamlit pages and the inference trace.
"""

__version__ = "0.1.0"
