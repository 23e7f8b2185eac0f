"""Named factories for swappable backends (embedders, store clients, answer
writers): a new backend is a new module that registers itself."""
from __future__ import annotations

from typing import Callable, Generic, TypeVar

from vectorstore.settings import Settings

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, what: str, setting: str):
        self.what = what  # "embedder", for messages
        self.setting = setting  # the environment variable that chooses one
        self._factories: dict[str, Callable[[Settings], T]] = {}

    def register(self, name: str, factory: Callable[[Settings], T]) -> None:
        self._factories[name] = factory

    def available(self) -> list[str]:
        return sorted(self._factories)

    def make(self, name: str, settings: Settings) -> T:
        """The backend called `name`; the error lists the valid names."""
        try:
            factory = self._factories[name]
        except KeyError:
            raise ValueError(f"unknown {self.what} {name!r} ({self.setting}); "
                             f"choose one of: {', '.join(self.available())}") from None
        return factory(settings)
