"""The URLconf as a list of routes, for the tests that visit every URL (fuzz, access matrix)."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name" (the pattern itself when unnamed)
    pieces: tuple  # RoutePattern / RegexPattern objects, outermost first


def walk(resolver=None, pieces=(), namespace="") -> list[Route]:
    """Every URL pattern of the URLconf, with the patterns of the includes leading to it."""
    routes = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            routes += walk(entry, (*pieces, entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else f"{namespace}{entry.pattern}"
            routes.append(Route(name, (*pieces, entry.pattern)))
    return routes
