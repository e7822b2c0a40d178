"""Protocol-faithful simulators of the external systems, served over HTTP on 127.0.0.1. Never deployed."""
