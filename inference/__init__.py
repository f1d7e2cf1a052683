"""Anima inference: load the weight files users have, generate, and trace every image.

The heavy lifting (models, sampling loop) is diffusers' ``AnimaModularPipeline``; this package
adds loading of ComfyUI split files and diffusers folders, ComfyUI-compatible schedules and
noise, PNG/C2PA metadata, a gallery, a queueing service, and the lineage trace.

Examples
--------
>>> from inference.sampling import comfy_simple_sigmas
>>> [round(s, 4) for s in comfy_simple_sigmas(2)]
[1.0, 0.75, 0.0]
"""

__version__ = "0.1.0"
