"""Wearable sync: pairing, heart-rate ingest, the companion that streams from a watch or strap."""
