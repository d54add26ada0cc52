"""Command-line values converted without pydantic, which typer (0.2x) loads for every command: about
0.1 s of CPU at each start, a third of a query command's budget.

For the plain types this command line uses (str, int, float, Path, Enum, lists of them) the value is
converted here; anything else, and any value that does not convert, goes to typer's own code, so
errors read exactly as typer writes them. With a typer without this conversion layer nothing changes.
"""
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

import typer.core

try:
    from typer._coercion import RuntimeParam
    from typer._param_types import coerce_cli_path
except ImportError:  # an older or newer typer: keep its own conversion
    RuntimeParam = None  # type: ignore[assignment,misc]


class _Unhandled(Exception):
    """Not a type converted here: typer's own code does it."""


def _leaf(annotation: Any, info: Any, value: Any, param: Any, ctx: Any) -> Any:
    if info.parser is not None or not isinstance(annotation, type):
        raise _Unhandled
    if issubclass(annotation, Enum):
        if isinstance(value, annotation):
            return value
        if not info.case_sensitive:
            raise _Unhandled
        return annotation(value)
    if annotation is str and isinstance(value, str):
        return value
    if annotation in (int, float) and not info.clamp and not isinstance(value, bool):
        number = annotation(value)
        if (info.min is not None and number < info.min) or (info.max is not None and number > info.max):
            raise _Unhandled
        return number
    if issubclass(annotation, Path):
        path_type = info.path_type or annotation
        if isinstance(value, str) and isinstance(path_type, type) and issubclass(path_type, Path):
            value = path_type(value)  # typer's own str-to-Path step would load pydantic
        return coerce_cli_path(value, info, path_type=path_type, param=param, ctx=ctx)
    raise _Unhandled


if RuntimeParam is not None and hasattr(typer.core, "build_runtime_param"):
    _typer_build = typer.core.build_runtime_param

    @dataclass(frozen=True)
    class _Plain(RuntimeParam):
        """A parameter converted by ``_leaf``, falling back to typer's conversion."""
        descriptor: Any

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                if get_origin(self.annotation) is list:
                    (item,) = get_args(self.annotation)
                    return [_leaf(item, self.parameter_info, v, param, ctx) for v in value]
                return _leaf(self.annotation, self.parameter_info, value, param, ctx)
            except (_Unhandled, ValueError, TypeError):
                return _typer_build(self.descriptor)._coerce_value(value, param=param, ctx=ctx)

    def _build(descriptor: Any) -> Any:
        if descriptor.file_annotation is not None:
            return _typer_build(descriptor)
        return _Plain(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation,
                      descriptor=descriptor)

    typer.core.build_runtime_param = _build
