"""Answer writers. Importing this package registers the built-in ones."""
from assistant.writers.base import WriteContext, Writer, available, make_writer, register
from assistant.writers import extractive as _extractive  # noqa: F401

__all__ = ["WriteContext", "Writer", "available", "make_writer", "register"]
