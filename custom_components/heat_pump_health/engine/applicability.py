"""Which findings a heat pump can have, from the roles its sources fill.

A finding whose inputs are not configured can never be raised; the integration gives it no
entity rather than one that stays off forever. What each finding needs is declared by its
detector (`Detector.needs`).
"""

from .detectors import BY_KEY
from .findings import FindingKey
from .observations import Role

# Inferring defrost from the temperatures needs both of them.
DEFROST_FROM_SPLIT = frozenset({Role.SUPPLY_TEMPERATURE, Role.RETURN_TEMPERATURE})


def applicable_findings(roles: set[Role] | frozenset[Role]) -> tuple[FindingKey, ...]:
    """The findings these configured roles can raise, in the order of `FindingKey`."""
    return tuple(key for key in FindingKey if _applies(key, roles))


def _applies(key: FindingKey, roles: set[Role] | frozenset[Role]) -> bool:
    """Whether every input group of a finding has a configured role."""
    for group in BY_KEY[key].needs:
        satisfied = group & roles
        if satisfied == {Role.SUPPLY_TEMPERATURE} and not roles >= DEFROST_FROM_SPLIT:
            satisfied = frozenset()
        if not satisfied:
            return False
    return True
