"""Plain-data state for the engine's dataclasses, so everything learned can be saved and restored.

Each tracker is a dataclass whose fields are numbers, strings, enums, deques, rings (saved as
lists), lists, dicts or other such dataclasses; `to_plain` and `from_plain` walk the type hints,
so adding a field does not mean writing serialisation code by hand.
"""

from collections import deque
from dataclasses import fields, is_dataclass
from enum import Enum
import types
from typing import Any, TypeAliasType, Union, get_args, get_origin, get_type_hints

from .rings import Ring

_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """The resolved type hints of a dataclass, cached."""
    if cls not in _HINTS:
        _HINTS[cls] = get_type_hints(cls)
    return _HINTS[cls]


def to_plain(value: Any) -> Any:  # noqa: ANN401
    """JSON-serialisable data for a value built of dataclasses, containers and scalars."""
    if is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: to_plain(getattr(value, field.name))
            for field in fields(value)
            if field.init and not field.name.startswith("_")  # not derived, not private
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(to_plain(key)): to_plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | deque | Ring):
        return [to_plain(item) for item in value]
    return value


def from_plain[T](cls: type[T], data: Any) -> T:  # noqa: ANN401
    """Rebuild a dataclass saved by `to_plain`; missing fields keep their defaults."""
    if not isinstance(data, dict):
        raise TypeError(f"{cls.__name__} state must be a mapping, not {type(data).__name__}")
    hints = _hints(cls)
    present = [field for field in fields(cls) if field.init and field.name in data]  # type: ignore[arg-type]
    queued = {field.name for field in present if _is_queue(hints[field.name])}
    instance = cls(
        **{
            field.name: _convert(hints[field.name], data[field.name])
            for field in present
            if field.name not in queued
        }
    )
    for name in queued:
        # a deque keeps the maxlen its default factory gave it, a ring its capacity
        queue: deque[Any] | Ring[Any] = getattr(instance, name)
        queue.clear()
        if isinstance(queue, Ring):
            _restore_ring(queue, data[name])
        else:
            queue.extend(_convert(hints[name], data[name]))
    return instance


def _restore_ring(ring: Ring[Any], saved: Any) -> None:  # noqa: ANN401
    """Fill a ring from its saved items, rows taken as they are where they can be."""
    for element in saved:
        if ring.saved_as_row:
            ring.append_row(element)
        else:
            ring.append(_convert(ring.item_type, element))


def _is_queue(hint: Any) -> bool:  # noqa: ANN401
    """Whether a field is a bounded queue, filled in place rather than built."""
    return get_origin(hint) is deque or (isinstance(hint, type) and issubclass(hint, Ring))


_SCALARS = (str, bool, int, float)


def _convert_union(hint: Any, value: Any) -> Any:  # noqa: ANN401
    """A value of an optional or union type: kept if it already is one of its scalar types."""
    if value is None:
        return None
    options = [arg for arg in get_args(hint) if arg is not type(None)]
    if type(value) in options and type(value) in _SCALARS:
        return value  # evidence keeps its text, flags and whole numbers
    return _convert(options[0], value)


def _convert(hint: Any, value: Any) -> Any:  # noqa: ANN401, PLR0911
    """Convert plain data back to the type a hint names."""
    if isinstance(hint, TypeAliasType):
        return _convert(hint.__value__, value)
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return _convert_union(hint, value)
    if origin in (list, deque):
        (item,) = get_args(hint)
        return [_convert(item, element) for element in value]
    if origin is tuple:
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], element) for element in value)
        return tuple(_convert(arg, element) for arg, element in zip(args, value, strict=True))
    if origin is dict:
        key_type, item_type = get_args(hint)
        return {_convert(key_type, key): _convert(item_type, item) for key, item in value.items()}
    if isinstance(hint, type):
        if is_dataclass(hint):
            return from_plain(hint, value)
        if issubclass(hint, Enum):
            return hint(value)
        if hint is float:
            return float(value)
        if hint is int:
            return int(value)
    return value
