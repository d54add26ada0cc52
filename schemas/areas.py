"""The areas a figure can belong to besides one authority, and the qualifiers of a figure.

England has one GSS code; regions are ``E12…`` codes; an authority's statistical
neighbours are the group ``SN-<authority code>``. Every module asks here rather than
spelling a code or prefix itself.
"""
from __future__ import annotations

ENGLAND = "E92000001"
ENGLAND_NAME = "England"
REGION_PREFIX = "E12"
NEIGHBOURS_PREFIX = "SN-"
QUALIFIERS = ("actual", "target", "forecast")


def neighbour_group(authority_code: str) -> str:
    """The code of an authority's statistical-neighbour group."""
    return f"{NEIGHBOURS_PREFIX}{authority_code}"


def neighbours_base(code: str) -> str | None:
    """The authority whose neighbour group ``code`` is, or None if it is not a group."""
    return code[len(NEIGHBOURS_PREFIX):] if code.startswith(NEIGHBOURS_PREFIX) else None


def is_region(code: str) -> bool:
    return code.startswith(REGION_PREFIX)
