"""Auxiliary heat: from its own sensor, or inferred from total power far above the compressor's."""

from dataclasses import dataclass

# A reading counts as aux heat running when its power sensor reads above this (W).
AUX_POWER_ON = 100.0
# Inference: total power this far above the compressor's learned maximum is a resistive
# element (strips are typically 3-10 kW) switching in.
MIN_AUX_STEP = 1500.0
AUX_STEP_FRACTION = 0.5
# The compressor's maximum is tracked as the 95th percentile of running power.
MAX_QUANTILE = 0.95
QUANTILE_RATE = 0.002
MIN_RUNNING_SAMPLES = 200


@dataclass(slots=True)
class AuxHeatTracker:
    """Whether aux heat runs now, and the compressor's learned maximum power."""

    running: bool = False
    inferred: bool = False
    compressor_max: float | None = None
    running_samples: int = 0

    def update(
        self, flag: bool | None, aux_power: float | None, power: float | None, compressor: bool
    ) -> None:
        """Decide from the aux source when there is one, else from total power."""
        if flag is not None:
            self.running, self.inferred = flag, False
            return
        if aux_power is not None:
            self.running, self.inferred = aux_power > AUX_POWER_ON, False
            return
        if power is None or not compressor:
            self.running = False
            return
        limit = self.inference_limit
        self.running = limit is not None and power > limit
        self.inferred = self.running
        if not self.running:
            self._learn(power)

    def _learn(self, watts: float) -> None:
        """Move the running-power quantile estimate towards a reading."""
        self.running_samples += 1
        if self.compressor_max is None:
            self.compressor_max = watts
            return
        rate = max(QUANTILE_RATE, 1 / self.running_samples) * max(self.compressor_max, 100.0)
        if watts > self.compressor_max:
            self.compressor_max += rate * MAX_QUANTILE
        else:
            self.compressor_max -= rate * (1 - MAX_QUANTILE)

    @property
    def inference_limit(self) -> float | None:
        """Total power above which aux heat must be running, once learned."""
        if self.compressor_max is None or self.running_samples < MIN_RUNNING_SAMPLES:
            return None
        return self.compressor_max + max(MIN_AUX_STEP, AUX_STEP_FRACTION * self.compressor_max)
