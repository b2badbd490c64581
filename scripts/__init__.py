"""Developer scripts run from the project root, e.g. `.venv/bin/python -m scripts.screenshots`."""
