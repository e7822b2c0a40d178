"""One module per webhook sender, each defining `SPEC` (see ../spec.py) and registered in ../registry.py."""
