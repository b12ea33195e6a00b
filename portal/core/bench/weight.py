"""Page weight: a page and everything it loads, as the server sends it."""

import gzip
import re
import urllib.parse
import urllib.request
from html.parser import HTMLParser

import brotli

# Target of issue #9: each page ≤ 100 KB transferred (compressed), fonts included.
# 100 KB is read as 100,000 bytes, the stricter reading.
PAGE_WEIGHT_LIMIT = 100_000

KINDS = ("html", "css", "js", "font", "image")


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.assets: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rel = a.get("rel") or ""
        if tag == "link" and a.get("href") and ("stylesheet" in rel or a.get("as") == "font"):
            self.assets.append(("css" if "stylesheet" in rel else "font", a["href"]))
        elif tag == "link" and a.get("href") and "icon" in rel:
            self.assets.append(("image", a["href"]))
        elif tag == "script" and a.get("src"):
            self.assets.append(("js", a["src"]))
        elif tag == "img" and a.get("src"):
            self.assets.append(("image", a["src"]))


def _decompress(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        return brotli.decompress(body)
    return body


def _fetch(url: str) -> tuple[bytes, str, int]:
    """(body as transferred, content-encoding, uncompressed size)."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "br, gzip", "Accept-Language": "en"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        body = response.read()
        encoding = response.headers.get("Content-Encoding", "")
    return body, encoding, len(_decompress(body, encoding))


def css_references(css: str) -> list[str]:
    """The files a stylesheet refers to with url(...), skipping inline data and
    fragment-only references such as Leaflet's `behavior: url(#default#VML)`. Every
    one counts, whether or not the page uses the rule: an upper bound."""
    refs = re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css)
    return [ref for ref in refs if not ref.startswith(("data:", "#"))]


def _absolute(base: str, ref: str) -> str:
    """The URL a browser fetches: relative to `base`, without a #fragment."""
    return urllib.parse.urldefrag(urllib.parse.urljoin(base, ref)).url


def page_weight(base: str, path: str) -> dict:
    """Bytes of a page and everything it loads (stylesheets, scripts, fonts from
    @font-face in those stylesheets, icons and images), as the server sends them."""
    seen: dict[str, tuple[str, str, int, int]] = {}

    def get(kind: str, url: str) -> bytes:
        if url in seen:
            return b""
        body, encoding, raw = _fetch(url)
        seen[url] = (kind, encoding, len(body), raw)
        return body

    html_url = base + path
    html = _decompress(get("html", html_url), seen[html_url][1]).decode("utf-8", errors="replace")
    parser = _Assets()
    parser.feed(html)
    for kind, href in parser.assets:
        url = _absolute(html_url, href)
        data = get(kind, url)
        if kind == "css" and data:
            css = _decompress(data, seen[url][1]).decode("utf-8", errors="replace")
            for ref in css_references(css):
                ref_kind = "font" if re.search(r"\.(woff2?|ttf|otf)(\?|$)", ref) else "image"
                get(ref_kind, _absolute(url, ref))
    by_kind: dict[str, tuple[int, int, int]] = {}
    for kind, _enc, sent, raw in seen.values():
        files, s, r = by_kind.get(kind, (0, 0, 0))
        by_kind[kind] = (files + 1, s + sent, r + raw)
    return {
        "url": path,
        "by_kind": by_kind,
        "files": len(seen),
        "transferred": sum(v[2] for v in seen.values()),
        "uncompressed": sum(v[3] for v in seen.values()),
        "files_list": [(u.replace(base, ""), v[1], v[2]) for u, v in seen.items()],
    }
