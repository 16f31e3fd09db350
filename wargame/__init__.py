"""Agent-based crisis wargame of EU mutual assistance under Article 42.7 TEU."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wargame")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
