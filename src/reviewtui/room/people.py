"""Who can be in a room: the people of a draft, each with the key their link and sign-off use.

The names are taken once, when the room opens: a sign-off made in the room uses the name the
person had then, never what the draft says later (a participant could rename anyone in the draft).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

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


def presence_rows(
    people: list[Person], connections: Iterable[Any], host: tuple[int | None, str] | None
) -> list[dict]:
    """Who is in the room, as the host writes it in `room.people`: every person with the ways they
    are connected (`connections`: objects with person, via, step, field, since), their step and
    field; the manager is on the host's screen at `host` (step, field) while the room is open."""
    rows = []
    for person in people:
        mine = sorted((c for c in connections if c.person == person), key=lambda c: c.since)
        vias = sorted({c.via for c in mine})
        step, field_key = None, ""
        if person.role == "manager" and host is not None:
            vias = ["host_screen", *vias]
            step, field_key = host
        for c in mine:  # the latest connection to say where it is wins
            if c.step is not None:
                step, field_key = c.step, c.field
        rows.append(
            {"key": person.key, "name": person.name, "role": person.role}
            | {"connected": vias, "step": step, "field": field_key}
        )
    return rows
