"""Diffusion Layers training side: GLIDE-style models, diffusion maths, export, packs."""
