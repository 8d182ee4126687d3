"""Every page a role can reach, found the way a user finds them: by following links.

``pages_of(page)`` starts at the home page of whoever is signed in and follows the links in
the header and in ``main``, breadth first, visiting one URL per *kind* of page (the RMA
page once, not once per RMA: digits and document numbers in a path are one kind). What it
returns is what the page sweep checks at every width.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Links that are not pages to look at: files (JSON documents too), the static tree, and
# what signs one out.
NOT_PAGES = re.compile(
    r"(/export|\.csv|\.json|\.pdf|\.png|\.svg|\.zip|/labels?/|/static/|/logout|/attachments?/|/photos?/"
    r"|/documents?/|/dev/mail/.+)(\?|$)"
)
NUMBER = re.compile(r"/(?:[A-Z]{2,4}-\d{4}-\d+|\d+)(?=/|$)")

LINKS = """() => Array.from(
  document.querySelectorAll('header a[href]:not([download]), main a[href]:not([download])'),
  (a) => a.href,
)"""


def kind(url: str) -> str:
    """The path with its ids and document numbers blanked: one kind of page."""
    return NUMBER.sub("/#", urlsplit(url).path)


def pages_of(page, base_url: str, limit: int = 60) -> list[str]:
    """The URLs of every kind of page reachable from "/" by links, in the order found."""
    page.goto("/")
    found = {kind(page.url): page.url}
    queue = [page.url]
    while queue and len(found) < limit:
        url = queue.pop(0)
        if url != page.url:
            response = page.goto(url)
            if response is None or not response.ok:
                continue
        for link in page.evaluate(LINKS):
            parts = urlsplit(link)
            if not link.startswith(base_url) or (
                parts.fragment and parts.path == urlsplit(url).path
            ):
                continue
            link = link.split("#", 1)[0]
            if NOT_PAGES.search(parts.path) or kind(link) in found:
                continue
            found[kind(link)] = link
            queue.append(link)
    return list(found.values())
