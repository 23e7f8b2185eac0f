import sys

from ingest.cli import main
from vectorstore.clients.guard import guarded

sys.exit(guarded("ingest", main))
