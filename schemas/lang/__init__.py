"""Language data: how council papers talk, kept as TOML per language (``en/*.toml``).

A data file holds ``[words]`` (lists of cue words) and ``[patterns]`` (regexes, matched
case-insensitively unless the key ends in ``_case``). A pattern may name a word list as
``{list}``: it is replaced by an alternation of that list's words, longest first.
"""
from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

import regex

LANGUAGE = "en"


@cache
def data(name: str) -> dict:
    """The parsed data file ``<LANGUAGE>/<name>.toml``."""
    text = resources.files(__package__).joinpath(LANGUAGE, f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def words(name: str, key: str) -> tuple[str, ...]:
    """A word list of data file ``name``."""
    return tuple(data(name)["words"][key])


def alternation(items: tuple[str, ...] | list[str]) -> str:
    """A non-capturing alternation of literal words, longest first."""
    return "(?:" + "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in sorted(items, key=len, reverse=True)) + ")"


@cache
def pattern(name: str, key: str) -> regex.Pattern:
    """Pattern ``key`` of data file ``name``, with its ``{list}`` references expanded."""
    entry = data(name)
    source = entry["patterns"][key]
    for list_name, items in entry.get("words", {}).items():
        source = source.replace("{" + list_name + "}", alternation(items))
    return regex.compile(source, 0 if key.endswith("_case") else regex.I)
