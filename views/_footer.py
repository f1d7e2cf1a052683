"""The footer every page ends with: a copy-link button for this exact view, the data version, the disclaimer."""

from __future__ import annotations

import html
from urllib.parse import urlencode

import streamlit as st

import resources

#: Copies the address bar (always the current view: every page keeps its state in the URL). A plain button
#: and a few lines of script: a code block's copy button would load a syntax highlighter on every page.
_COPY = """<div class="share" style="display:flex;gap:.5em;align-items:center;flex-wrap:wrap;font-size:.85rem">
<button type="button" id="copy-link" style="border:1px solid #bbb;border-radius:.5em;background:#fff;
 padding:.25em .8em;cursor:pointer">Copy link to this view</button>
<input id="share-url" readonly value="{url}" aria-label="Link to this view"
 style="flex:1;min-width:12em;border:1px solid #ddd;border-radius:.4em;padding:.2em .4em;color:#555">
</div>
<script>
(function () {{
  const button = document.getElementById("copy-link"), field = document.getElementById("share-url");
  button.onclick = async function () {{
    field.value = window.location.href;
    try {{ await navigator.clipboard.writeText(field.value); }}
    catch (e) {{ field.select(); document.execCommand("copy"); }}
    button.textContent = "Copied";
    setTimeout(function () {{ button.textContent = "Copy link to this view"; }}, 2000);
  }};
}})();
</script>"""


def share_url() -> str:
    """The address of the current view: the page's URL plus every query parameter the page wrote."""
    base = st.context.url or ""
    params = st.query_params.to_dict()
    return base + ("?" + urlencode(params) if params else "")


def footer() -> None:
    st.divider()
    st.html(_COPY.format(url=html.escape(share_url())), unsafe_allow_javascript=True)
    st.caption(f"{resources.version().label()} · not legal advice: read the licenses themselves.",
               help="The data version: a hash of the data files (it changes whenever any of them changes) and the "
                    "last commit that touched the data folder.")
