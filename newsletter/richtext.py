"""Staff write the news in Markdown; participants read it as sanitized HTML.

The HTML kept for the site has no styles (the site's Content-Security-Policy refuses
``style`` attributes); the email's copy gets inline styles, which mail clients need.
"""

from __future__ import annotations

import markdown
import nh3

TAGS = {
    "p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li", "blockquote",
    "h3", "h4", "hr", "code", "pre",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Mail clients drop stylesheets: each element carries its own look.
EMAIL_STYLES = {
    "p": "margin:0 0 12px;",
    "a": "color:#0a58ca;",
    "ul": "margin:0 0 12px;padding-left:24px;",
    "ol": "margin:0 0 12px;padding-left:24px;",
    "li": "margin:0 0 6px;",
    "h3": "margin:16px 0 8px;font-size:17px;line-height:1.3;color:#0b5563;",
    "h4": "margin:12px 0 6px;font-size:16px;line-height:1.3;",
    "blockquote": "margin:0 0 12px;padding:8px 16px;border-left:4px solid #ced4da;color:#343a40;",
    "hr": "border:0;border-top:1px solid #dee2e6;margin:16px 0;",
    "code": "font-family:Consolas,Menlo,monospace;font-size:14px;",
    "pre": "margin:0 0 12px;white-space:pre-wrap;",
}


def markdown_to_html(text: str) -> str:
    """The news as sanitized HTML: what Markdown makes of it, less anything a person
    could use to run a script or load something from elsewhere. Headings start at
    level 3 (the page and the email have their own first headings)."""
    html = markdown.markdown(text or "", extensions=["sane_lists"], output_format="html")
    for level in (1, 2):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    return nh3.clean(
        html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel="noopener"
    )


def email_html(clean_html: str) -> str:
    """The sanitized news with inline styles for mail clients."""
    return nh3.clean(
        clean_html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        set_tag_attribute_values={tag: {"style": style} for tag, style in EMAIL_STYLES.items()},
    )
