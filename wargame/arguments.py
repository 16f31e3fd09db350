"""Argument types shared by the subcommands: a seed, a count, a folder name.

Each turns a bad value into argparse's one-line usage error (exit 2), so every command
refuses the same bad value with the same words.
"""

from __future__ import annotations

import argparse

from wargame.rules import SEED_MAX


def seed(text: str) -> int:
    """A random seed: a whole number that fits an unsigned 63-bit integer."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid int value: {text!r}") from None
    if not 0 <= value <= SEED_MAX:
        raise argparse.ArgumentTypeError(f"expected a whole number in [0, 2^63 - 1], got {value}")
    return value


def _whole(text: str, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"expected a whole number >= {least}, got {value}")
    return value


def positive(text: str) -> int:
    """A count of at least one (workers, runs per task, a run limit, a population)."""
    return _whole(text, 1)


def non_negative(text: str) -> int:
    """A count that may be 0 (posterior draws: 0 skips V11)."""
    return _whole(text, 0)


def folder(text: str) -> str:
    """A folder name: anything but an empty one (which would mean the current folder)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("expected a folder, got an empty name")
    return text
