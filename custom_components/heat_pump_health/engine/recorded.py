"""Recorded history as the engine takes it: states, with long-term statistics where they are gone.

The recorder keeps states for days and hourly statistics for years. Until the first recorded
state the statistics are all there is; from it on the states say more, so the statistics stop.
"""

from collections.abc import Iterable, Iterator, Sequence

from .observations import Observation


def with_statistics(
    states: Iterable[Observation], statistics: Sequence[Observation]
) -> Iterator[Observation]:
    """Time-ordered states, preceded by the statistics from before the first state."""
    first = True
    for observation in states:
        if first:
            first = False
            yield from (stat for stat in statistics if stat.time < observation.time)
        yield observation
    if first:
        yield from statistics
