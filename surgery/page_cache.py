"""A few seconds' memory of public pages for visitors without a cookie.

The front page and event pages are the same for every anonymous visitor and are read far
more often than bookings change them. Serving a copy up to PAGE_CACHE_SECONDS old lets one
process answer a burst of visitors without rebuilding the page each time; places left may
lag by that long, never the booking itself, which is always decided in the database. A
write through this process clears its copies at once. Anyone with a cookie (signed in,
part-way through a form, just booked) always gets a fresh page.
"""

import re
import threading
import time

CACHEABLE = re.compile(r"^/(past)?$|^/events/\d+$")
MAX_ENTRIES = 512


class PageCache:
    """WSGI middleware keeping recent copies of anonymous GETs of public pages."""

    def __init__(self, app, seconds: float) -> None:
        self.app = app
        self.seconds = seconds
        self.pages: dict[str, tuple[float, str, list, bytes]] = {}
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        key = self._key(environ)
        if key is None:
            if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
                with self.lock:
                    self.pages.clear()
            return self.app(environ, start_response)
        copy = self.pages.get(key)
        if copy is not None and copy[0] > time.monotonic():
            start_response(copy[1], copy[2])
            return [copy[3]]
        return self._fill(key, environ, start_response)

    def _key(self, environ) -> str | None:
        """The cache key, or None when this request must go to the app."""
        if environ["REQUEST_METHOD"] != "GET" or environ.get("HTTP_COOKIE"):
            return None
        if environ.get("HTTP_AUTHORIZATION") or not CACHEABLE.match(environ.get("PATH_INFO", "")):
            return None
        # per host: a Host the app refuses (TRUSTED_HOSTS) is never answered from a copy
        host = environ.get("HTTP_HOST", "")
        return f"{host}{environ.get('PATH_INFO')}?{environ.get('QUERY_STRING', '')}"

    def _fill(self, key: str, environ, start_response):
        """Ask the app, and keep the page if it is a plain 200 that sets no cookie."""
        seen = {}

        def remember(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        body = b"".join(self.app(environ, remember))
        headers = seen.get("headers", [])
        if seen.get("status", "").startswith("200") and not _sets_cookie(headers):
            with self.lock:
                if len(self.pages) >= MAX_ENTRIES:
                    self.pages.clear()
                self.pages[key] = (time.monotonic() + self.seconds, seen["status"], headers, body)
        return [body]


def _sets_cookie(headers) -> bool:
    """True if a response sets a cookie (so it belongs to one visitor)."""
    return any(name.lower() == "set-cookie" for name, _ in headers)
