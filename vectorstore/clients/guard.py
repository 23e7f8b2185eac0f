"""One wrapper for the command-line entry points: the errors a person can
act on become one plain line on stderr and an exit code, never a traceback.

Exit codes (also in docs/reliability.md):
  0  done
  1  done with errors (reported above), or an unexpected error
  2  bad usage
  3  nothing is loaded yet (`ask` on an empty store)
  4  the store cannot be reached (a Chroma server that is down)
  5  the store was built with another embedding model
  130 interrupted (Ctrl-C)
"""
from __future__ import annotations

import os
import sys
from typing import Callable

from vectorstore.clients.base import StoreUnavailable, is_unreachable, unreachable_message

EXIT_ERRORS, EXIT_USAGE, EXIT_EMPTY, EXIT_UNREACHABLE, EXIT_MISMATCH, EXIT_INTERRUPTED = 1, 2, 3, 4, 5, 130

NOTHING_LOADED = ("nothing is loaded yet: the store holds no manuals. "
                  "Ingest them first, e.g. `python -m ingest data/manuals`")


def store_problem(exc: BaseException) -> str | None:
    """A person's message for a store that cannot be reached, else None."""
    if isinstance(exc, StoreUnavailable):
        return str(exc)
    if is_unreachable(exc):
        from vectorstore.settings import Settings

        return unreachable_message(Settings.from_env(), exc)
    return None


def guarded(prog: str, main: Callable[[], int]) -> int:
    """Run `main()`, turning known failures into a message and an exit code.
    PA_DEBUG=1 lets the traceback through instead."""
    if os.environ.get("PA_DEBUG"):
        return main()
    from vectorstore.store import StoreMismatch

    try:
        return main()
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `… | head`: the reader left; nothing more to say
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
    except StoreMismatch as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return EXIT_MISMATCH
    except Exception as exc:  # noqa: BLE001 - the last line of defence for a person at a terminal
        problem = store_problem(exc)
        if problem:
            print(f"{prog}: {problem}", file=sys.stderr)
            return EXIT_UNREACHABLE
        print(f"{prog}: unexpected error: {type(exc).__name__}: {exc} "
              f"(set PA_DEBUG=1 to see where)", file=sys.stderr)
        return EXIT_ERRORS
