"""People's names: one key to tell whether two spellings name the same person (pure).

Records, evidence logs and feedback files name the employee as typed. Matching by that key,
never by a file name's slug, keeps 王芳 and 李娜 apart (their old slugs were both `employee`),
and Zoë Smith apart from Zoe Smith (one slug, `zoe-smith`), while `Ana Ruiz`, `ana ruiz` and
`Ana  Ruiz` stay one person.
"""

from __future__ import annotations

import unicodedata


def person_key(name: str) -> str:
    """The name as compared: NFKC (full-width and composed forms alike), case folded, spaces collapsed.

    Accents are kept: Zoë and Zoe may be two people, and nothing here can tell that they are not.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())


def same_person(first: str, second: str) -> bool:
    """Whether two spellings name the same person (see `person_key`)."""
    return person_key(first) == person_key(second)
