"""Demo data: a realistic synthetic history for demos and benchmarks.

Rules: the history goes through the same tables and numbering as real work, so the
dashboard and reports read it like a real center's.
"""
