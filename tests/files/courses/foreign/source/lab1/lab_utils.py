"""Helpers the labs import (a public course's own small module)."""


def greet(name):
    """A greeting for ``name``."""
    return f"Hello, {name}!"


def check_if_counted(tally, item, items):
    """True when ``tally(items)`` counts ``item`` (at least once)."""
    return tally(items).get(item, 0) > 0
