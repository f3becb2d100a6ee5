"""The site's URLs as the URL configuration declares them: the one list of the tests that
must cover every one of them (the permission matrix, the form fuzzing, the query-count
guard and the accessibility sweep); a new URL fails those tests until someone says how
to treat it."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# The security tests leave out the admin and allauth, which have their own tests (and
# the admin add forms are fuzzed apart).
SKIPPED_PREFIXES = ("admin/", "accounts/")


@dataclass(frozen=True)
class SiteUrl:
    name: str  # "namespace:name"
    route: str  # the whole route, e.g. "matches/<int:pk>/"
    view: Callable
    namespace: str = ""  # "admin", "goals"... or "" outside a namespace
    url_name: str = ""  # the pattern's own name, "" when it has none

    @property
    def kwargs(self) -> tuple[str, ...]:
        return tuple(re.findall(r"<(?:\w+:)?(\w+)>", self.route))

    @property
    def takes_post(self) -> bool:
        """Whether the view reads a POST body or only accepts POST (decorators included:
        ``inspect.getsource`` starts at the first decorator)."""
        source = inspect.getsource(inspect.unwrap(self.view))
        return bool(re.search(r"request\.POST|request\.method|require_POST|\"POST\"", source))

    @property
    def query_keys(self) -> tuple[str, ...] | None:
        """The query-string keys the view reads by name; None when it reads none (a view
        that hands ``request.GET`` to a form reads that form's fields too)."""
        source = inspect.getsource(inspect.unwrap(self.view))
        if "request.GET" not in source:
            return None
        return tuple(sorted(set(re.findall(r"request\.GET(?:\.get\(|\[)\"(\w+)\"", source))))


def _walk(
    patterns, prefix: str = "", namespace: str = "", *, skipped_prefixes: tuple[str, ...]
) -> Iterator[SiteUrl]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith(skipped_prefixes):
                continue
            ns = pattern.namespace
            inner = f"{namespace}{ns}:" if ns else namespace
            yield from _walk(pattern.url_patterns, route, inner, skipped_prefixes=skipped_prefixes)
        elif isinstance(pattern, URLPattern):
            if route.startswith(skipped_prefixes):
                continue
            name = f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {route!r}>"
            yield SiteUrl(
                name=name,
                route=route,
                view=pattern.callback,
                namespace=namespace.rstrip(":"),
                url_name=pattern.name or "",
            )


def site_urls(*, skipped_prefixes: tuple[str, ...] = SKIPPED_PREFIXES) -> list[SiteUrl]:
    """Every URL of the site, in the configuration's order, but for those under
    ``skipped_prefixes`` (by default the admin and allauth)."""
    return list(_walk(get_resolver().url_patterns, skipped_prefixes=skipped_prefixes))
