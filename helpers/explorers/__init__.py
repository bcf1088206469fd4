"""The explorers, one module per idea (the lesson → module table is in `helpers/__init__.py`).

Every explorer follows `helpers.explorer.Explorer`."""
