"""Exceptions. Each class carries the exit code the command line uses for it."""

from __future__ import annotations


class FeedgenError(Exception):
    """Root of every error this package raises on purpose."""

    exit_code = 2


class ConfigError(FeedgenError):
    """The configuration cannot be used; ``problems`` lists every reason at once."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


class ArticleError(FeedgenError):
    """One article could not be built. The others go on; the run exits 1."""

    exit_code = 1

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class OutputError(FeedgenError):
    """The output folder cannot be written."""


class UsageError(FeedgenError):
    """The command line asks for something that cannot be done (options that do not go
    together, an extra that is not installed)."""
