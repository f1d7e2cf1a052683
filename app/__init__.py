"""Browser-only helpers of the explorer (no Streamlit import here, so every piece is testable without a server).

Each module turns the graph and the reasoner's answers into what one page shows: the family answer, the
license matrix, the comparison, the Hugging Face-style tree, the layered graph layout, the palette and the
data version. Nothing here decides a license question: verdicts come from :mod:`lineage.answers.reasoner`.
"""
