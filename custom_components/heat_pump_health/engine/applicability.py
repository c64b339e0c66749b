"""Which findings a heat pump can have, from the roles its sources fill.

A finding whose inputs are not configured can never be raised; the integration gives it no
entity rather than one that stays off forever.
"""

from .findings import FindingKey
from .observations import Role

# Each finding needs every role group listed; a group is satisfied by any one of its roles.
# Findings not listed need nothing beyond the activity source every heat pump has.
REQUIREMENTS: dict[FindingKey, tuple[frozenset[Role], ...]] = {
    FindingKey.NONSTOP_RUNNING: (frozenset({Role.CLIMATE}),),
    FindingKey.RUNAWAY_ENERGY: (
        frozenset({Role.ENERGY, Role.POWER}),
        frozenset({Role.OUTDOOR_TEMPERATURE}),
    ),
    FindingKey.DEFROST_TOO_FREQUENT: (
        frozenset({Role.DEFROST, Role.CLIMATE, Role.SUPPLY_TEMPERATURE}),
    ),
    FindingKey.DEFROST_TOO_LONG: (
        frozenset({Role.DEFROST, Role.CLIMATE, Role.SUPPLY_TEMPERATURE}),
    ),
    FindingKey.DEFROST_MISSING: (
        frozenset({Role.DEFROST, Role.CLIMATE, Role.SUPPLY_TEMPERATURE}),
        frozenset({Role.OUTDOOR_TEMPERATURE}),
    ),
    FindingKey.WEAK_AIRFLOW: (
        frozenset({Role.SUPPLY_TEMPERATURE}),
        frozenset({Role.RETURN_TEMPERATURE}),
    ),
    FindingKey.LOW_TEMPERATURE_SPLIT: (
        frozenset({Role.SUPPLY_TEMPERATURE}),
        frozenset({Role.RETURN_TEMPERATURE}),
    ),
    FindingKey.EFFICIENCY_DROP: (
        frozenset({Role.HEAT_OUTPUT}),
        frozenset({Role.ENERGY, Role.POWER}),
    ),
    FindingKey.AUX_HEAT_OVERUSE: (
        frozenset({Role.AUX_HEAT, Role.POWER}),
        frozenset({Role.OUTDOOR_TEMPERATURE}),
    ),
    FindingKey.NOT_HEATING: (frozenset({Role.CLIMATE}),),
    FindingKey.NOT_COOLING: (frozenset({Role.CLIMATE}),),
    FindingKey.POWER_INTERRUPTED: (frozenset({Role.POWER}),),
    FindingKey.WATER_LEAK: (frozenset({Role.LEAK}),),
}
# Inferring defrost from the temperatures needs both of them.
DEFROST_FROM_SPLIT = frozenset({Role.SUPPLY_TEMPERATURE, Role.RETURN_TEMPERATURE})


def applicable_findings(roles: set[Role] | frozenset[Role]) -> tuple[FindingKey, ...]:
    """The findings these configured roles can raise, in the order of `FindingKey`."""
    return tuple(key for key in FindingKey if _applies(key, roles))


def _applies(key: FindingKey, roles: set[Role] | frozenset[Role]) -> bool:
    """Whether every input group of a finding has a configured role."""
    for group in REQUIREMENTS.get(key, ()):
        satisfied = group & roles
        if satisfied == {Role.SUPPLY_TEMPERATURE} and not roles >= DEFROST_FROM_SPLIT:
            satisfied = frozenset()
        if not satisfied:
            return False
    return True
