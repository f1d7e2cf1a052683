"""The footer every page ends with: the data version, a copyable link to this exact view, the disclaimer."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

import resources


def share_url() -> str:
    """The address of the current view: the page's URL plus every query parameter the page wrote."""
    base = st.context.url or ""
    params = st.query_params.to_dict()
    return base + ("?" + urlencode(params) if params else "")


def footer() -> None:
    st.divider()
    left, right = st.columns([3, 2])
    with left:
        st.caption("Link to this view (the copy button is on the right of the box):")
        st.code(share_url(), language=None, wrap_lines=True)
    with right:
        st.caption(f"{resources.version().label()} · not legal advice: read the licenses themselves.",
                   help="The content hash changes whenever any data file changes; the commit is the last one "
                        "that touched the data folder.")
