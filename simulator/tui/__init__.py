"""The Textual front end: `make_app(...)` in app.py, one file per screen and widget."""
