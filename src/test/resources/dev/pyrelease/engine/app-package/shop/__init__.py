"""A tiny app package used by the venv step's tests."""
