"""Capacity mapping: survey rounds, the map of strengths and needs, and who can help whom."""
