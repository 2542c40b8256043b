"""Sharing a day: link cards (Open Graph, Twitter), share images, the Atom feed, the sitemap."""
