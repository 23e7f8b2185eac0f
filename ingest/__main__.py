import os
import sys

from ingest.cli import main
from vectorstore.clients.guard import guarded

try:
    sys.exit(guarded("ingest", main))
except BrokenPipeError:
    # `python -m ingest entries | head`: the reader stopped early, which is not an error.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(0)
