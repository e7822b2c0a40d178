"""One package per integration: pure mappings plus the wiring of reader, mapping and writer into a Flow."""
