"""A package's names imported on first use (PEP 562), so importing one light module of the
package does not import every heavy one (pydantic above all) before the first frame."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, homes: Mapping[str, str], into: dict[str, Any]) -> Callable[[str], Any]:
    """A module `__getattr__` for `package`: each name in `homes` comes from its submodule.

    `into` is the package's `globals()`: a name once imported is kept there, so the next use is
    a plain attribute lookup.
    """

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{home}"), name)
        into[name] = value
        return value

    return __getattr__
