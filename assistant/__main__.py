import sys

from assistant.cli import main
from vectorstore.clients.guard import guarded

sys.exit(guarded("ask" if sys.argv[1:2] == ["ask"] else "assistant", main))
