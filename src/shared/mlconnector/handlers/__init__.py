"""Event parsing shared by the Lambda handlers (the handlers themselves live in src/functions/)."""
