"""Who can be in a room: the people of a draft, each with the key their link and sign-off use.

The names are taken once, when the room opens: a sign-off made in the room uses the name the
person had then, never what the draft says later (a participant could rename anyone in the draft).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Via = Literal["host_screen", "joined_terminal", "browser"]
"""How a person takes part: at the host's keyboard, from `reviewtui join`, or from a browser."""

Role = Literal["manager", "employee", "partner"]


@dataclass(frozen=True)
class Person:
    """One person of the room, fixed when the room opens."""

    key: str
    """`manager` (the host), `employee`, `partner-1`, `partner-2`, ... (N = index + 1 in the draft's partners)."""
    name: str
    """The name in the draft when the room opened."""
    role: Role


def people_of(draft_data: dict) -> list[Person]:
    """The manager first, then the employee, then every partner whose name is not empty.

    A partner keeps the number of its row in the draft (`partner-3` is the third row), so a
    blank row before it does not renumber the others' links.
    """
    people = [
        Person("manager", _name(draft_data.get("manager_name")), "manager"),
        Person("employee", _name(draft_data.get("employee_name")), "employee"),
    ]
    partners = draft_data.get("partners") or []
    for index, partner in enumerate(partners if isinstance(partners, list) else []):
        name = _name(partner.get("name")) if isinstance(partner, dict) else ""
        if name:
            people.append(Person(f"partner-{index + 1}", name, "partner"))
    return people


def _name(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
