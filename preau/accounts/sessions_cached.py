"""SESSION_ENGINE when a shared cache is configured: sessions.py's store, read through it."""

from .sessions import CachedSessionStore as SessionStore

__all__ = ["SessionStore"]
