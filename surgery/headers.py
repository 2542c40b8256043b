"""Security headers on every response.

Pages whose address holds a private token (manage pages, private feeds, QR codes, feedback
links, check-in codes) never leak it through Referer, and neither they nor organiser pages
are kept by caches or listed by search engines.
"""

from flask import Flask, current_app, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
TOKEN_ARGS = ("token", "code")  # URL parts that are keys to someone's booking or arrival
PRIVATE_PREFIXES = ("/organise", "/kiosk", "/account")  # organisers' pages, a kiosk's own
HSTS = "max-age=31536000"


def register(app: Flask) -> None:
    """Add the headers after every request."""
    app.after_request(security_headers)


def security_headers(response):
    """Keep pages out of frames, private links out of logs and caches, and scripts ours."""
    headers = response.headers
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    holds_token = any(name in (request.view_args or {}) for name in TOKEN_ARGS)
    headers["Referrer-Policy"] = "no-referrer" if holds_token else "same-origin"
    if holds_token or request.path.startswith(PRIVATE_PREFIXES):
        headers["Cache-Control"] = "no-store"
        headers["X-Robots-Tag"] = "noindex, nofollow"
    if current_app.config["PUBLIC_BASE_URL"].startswith("https://"):
        headers["Strict-Transport-Security"] = HSTS
    return response
