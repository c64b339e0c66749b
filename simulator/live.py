"""A simulation driven live: its fault is switched while it runs, and may age faster.

`LiveSimulation` is a `Simulation` whose fault is not fixed by the scenario but set at any
moment with `set_fault`. `LiveFaults.speed` makes the fault develop that many times faster than
simulated time passes (a filter that clogs, refrigerant that leaks or a sensor that drifts in
minutes instead of days), while everything else (runs, defrosts, the house and the weather)
keeps the simulation's own pace. The mode can be switched too, as a user would. Used by the
dev-only Home Assistant integration in dev/heat_pump_sim; nothing else here depends on it.
"""

from dataclasses import replace

from .faults import EFFECTS_REFRESH_S, Effects, Fault, FaultSchedule
from .scenario import Scenario
from .simulation import Simulation
from .thermostat import HvacMode


class LiveFaults(FaultSchedule):
    """At most one fault, switched at any moment; it ages `speed` times faster than time."""

    __slots__ = ("_age", "_fault", "_seen", "speed")

    def __init__(self) -> None:
        """Start healthy, at normal speed."""
        super().__init__((), 0.0)
        self._fault: Fault | None = None
        self._age = 0.0
        self._seen: float | None = None
        self.speed = 1.0

    @property
    def fault(self) -> Fault | None:
        """The active fault, if any."""
        return self._fault

    @property
    def age(self) -> float:
        """How far the active fault has developed, in seconds at normal speed."""
        return self._age

    def set(self, fault: Fault | None, time: float, age: float = 0.0) -> None:
        """Make `fault` the active one from `time`, as if it had acted for `age` seconds."""
        self._fault = None if fault is None else replace(fault, start_day=0.0, end_day=None)
        self._age = age
        self._seen = time

    def effects_at(self, time: float) -> Effects:
        """The active fault's effects at `time`, its age moved on by the time since last asked."""
        if self._seen is not None and time > self._seen:
            self._age += (time - self._seen) * self.speed
        self._seen = time
        if self._fault is None:
            return Effects()
        return FaultSchedule((self._fault,), time - self._age).effects_at(time)

    def next_refresh(self, time: float) -> float:
        """Refresh more often when the fault ages faster, so its development stays smooth."""
        return time + EFFECTS_REFRESH_S / max(1.0, self.speed)


class LiveSimulation(Simulation):
    """A simulation whose fault and mode change while it runs; the scenario's faults are unused.

    A scenario with a fixed `mode` keeps that mode until `set_mode` changes it; without one
    the mode still follows the weather day by day.
    """

    def __init__(self, scenario: Scenario) -> None:
        """Set up as `Simulation` does, healthy, with the fault under live control."""
        super().__init__(scenario)
        self.faults = LiveFaults()
        self._schedule = self.faults
        self._refresh_effects(self.time)

    def set_fault(self, fault: Fault | None, age: float = 0.0) -> None:
        """Switch to `fault` now (None: healthy), as if it had acted for `age` seconds."""
        self.faults.set(fault, self.time, age)
        self._refresh_effects(self.time)

    def set_mode(self, mode: HvacMode) -> None:
        """Switch the thermostat's mode now and keep it."""
        self._fixed_mode = mode
        self.thermostat.set_mode(mode, self.time)
