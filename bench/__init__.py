"""Benchmarks: they print figures (calls per record, records/s, peak memory); tests never time anything."""
