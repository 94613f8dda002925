"""User Markdown to safe HTML: CommonMark (markdown-it-py), then an allowlist sanitiser (nh3).

Rendered once when saved and stored next to the source. Links get rel="nofollow ugc noopener",
images are kept only when they come from the hub itself, and @mentions become profile links.
"""

import re
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt

from hub.inputs import clean_text

TAGS = {"p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a", "img",
        "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "span"}
ATTRIBUTES = {"a": {"href", "title", "class"}, "img": {"src", "alt", "title"}, "th": {"align"},
              "td": {"align"}, "ol": {"start"}, "span": {"class"}, "code": {"class"}}
URL_SCHEMES = {"http", "https", "mailto"}
MAX_NESTING = 20
MENTION = re.compile(r"(?<![\w@/])@([A-Za-z0-9][\w.-]{1,60}[A-Za-z0-9])")

_md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False, "maxNesting": MAX_NESTING})
_md.enable(["table", "strikethrough", "linkify"])


def _only_local_images(element, attribute, value):
    """nh3 attribute filter: images must be served by the hub (relative URLs); headings shift down."""
    if element == "img" and attribute == "src":
        parts = urlsplit(value)
        if parts.scheme or parts.netloc or not value.startswith("/"):
            return None
    return value


def render(source: str, mention_url=None) -> str:
    """Safe HTML for a Markdown text. mention_url(handle) -> URL or None turns @handle into a link."""
    html = _md.render(clean_text(source or ""))  # no lone surrogate reaches nh3 (it would raise)
    # Top-level headings are the page's own: a post's "# Title" renders as h2.
    html = re.sub(r"<(/?)h1>", r"<\1h2>", html)
    if mention_url is not None:
        html = _link_mentions(html, mention_url)
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="nofollow ugc noopener", attribute_filter=_only_local_images,
                     strip_comments=True)


def _link_mentions(html: str, mention_url) -> str:
    """Replace @handle in text (not inside tags, code or existing links) with a profile link."""
    out, inside_code, inside_link = [], 0, 0
    for part in re.split(r"(<[^>]+>)", html):
        if part.startswith("<"):
            tag = part[1:].split()[0].rstrip(">").lower() if len(part) > 2 else ""
            inside_code += 1 if tag in ("code", "pre") else -1 if tag in ("/code", "/pre") else 0
            inside_link += 1 if tag == "a" else -1 if tag == "/a" else 0
            out.append(part)
        elif inside_code or inside_link:
            out.append(part)
        else:
            out.append(MENTION.sub(lambda m: _mention(m, mention_url), part))
    return "".join(out)


def _mention(match, mention_url) -> str:
    url = mention_url(match.group(1))
    return f'<a class="mention" href="{url}">@{match.group(1)}</a>' if url else match.group(0)


def mentioned_handles(source: str) -> set[str]:
    """The @handles written in a Markdown text (for notifications)."""
    return set(MENTION.findall(source or ""))
