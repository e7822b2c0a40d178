"""Static checks of template.yaml (run in the application's virtual environment)."""
