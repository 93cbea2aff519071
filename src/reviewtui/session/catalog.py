"""The rubric catalog, read once when first needed: off the first frame, shared by every screen."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the catalog's modules load pydantic; this one must not
    from ..storage.rubrics import RubricCatalog


class CatalogSource:
    """A rubric catalog given now, or a function that reads it, called once on first `get()`.

    `get()` may be called from any thread; a second caller waits for the first one's read
    instead of reading the rubrics again. A read that raised is tried again on the next call.
    """

    def __init__(self, catalog: RubricCatalog | Callable[[], RubricCatalog]) -> None:
        self._lock = threading.Lock()
        if callable(catalog):
            self._read: Callable[[], RubricCatalog] | None = catalog
            self._catalog: RubricCatalog | None = None
        else:
            self._read, self._catalog = None, catalog

    @property
    def loaded(self) -> RubricCatalog | None:
        """The catalog if it has been read, else None: never reads it."""
        return self._catalog

    def get(self) -> RubricCatalog:
        """The catalog, read on the first call."""
        catalog = self._catalog
        if catalog is not None:
            return catalog
        with self._lock:
            if self._catalog is None:
                assert self._read is not None
                self._catalog = self._read()
            return self._catalog


def catalog_source(catalog: CatalogSource | RubricCatalog | Callable[[], RubricCatalog]) -> CatalogSource:
    """A CatalogSource for what a caller gave: a source as it is, a catalog, or its reader."""
    return catalog if isinstance(catalog, CatalogSource) else CatalogSource(catalog)
