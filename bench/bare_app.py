"""The baseline for bench/web.py: a bare Flask app with one small HTML page."""

from flask import Flask

app = Flask(__name__)

PAGE = """<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Bare page</title></head>
<body><h1>Hello</h1><p>A small page from a bare Flask app.</p></body>
</html>
"""


@app.get("/")
def page() -> str:
    """One small HTML page, no database, no templates."""
    return PAGE
