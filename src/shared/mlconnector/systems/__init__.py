"""External systems, one package each, plugged in by a spec (systems/<name>/spec.py, see plugin.py) listed once in
registry.py."""
