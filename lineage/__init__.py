"""Lineage and licensing knowledge graph of open image-generation models.

Data flows one way: ``data/models.yaml`` -> :mod:`lineage.core.load` (validated records) -> :mod:`lineage.core.graph`
(networkx) -> queries and the license reasoner -> CLI, Streamlit pages and the inference trace.
"""

__version__ = "0.1.0"
