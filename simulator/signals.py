"""What a unit's controller reports of itself: its compressor's frequency and its error code."""

from .faults import Effects
from .unit import DEFROST_POWER_SHARE, HeatPump, UnitKind

FIXED_SPEED_HZ = 50.0  # a fixed-speed compressor turns with the mains
NO_ERROR = "0"


def compressor_frequency(unit: HeatPump) -> float:
    """Compressor frequency in Hz: 0 at rest, proportional to an inverter's modulation.

    An inverter defrosts at the share of full speed its defrost draws of full power.
    """
    if not unit.running:
        return 0.0
    spec = unit.spec
    if spec.kind is UnitKind.FIXED_SPEED:
        return FIXED_SPEED_HZ
    if unit.defrosting:
        return DEFROST_POWER_SHARE * spec.max_frequency_hz
    return max(unit.modulation, spec.min_modulation) * spec.max_frequency_hz


def error_code(fx: Effects) -> str:
    """The error sensor's state: the active code, or "0" when the unit is fine."""
    return fx.error_code or NO_ERROR
