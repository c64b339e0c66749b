"""Short cycling and nonstop running: how the compressor's runs are shaped."""

from ..durations import HOUR, MINUTE
from ..findings import ABSENT, UNKNOWN, Condition, Guidance, Severity
from ..observations import Role
from ..readings import Season
from .base import Context, confidence

# Once raised, short cycling clears only when starts fall below this share of the threshold,
# or runs grow beyond this multiple of the run-time limit (hysteresis).
CYCLING_CLEAR_SHARE = 0.75
RUN_CLEAR_FACTOR = 1.25
# Against typical units, over a whole day: healthy air-source units start 0.27 times an hour
# at the median and 1.2 at the 99th percentile of a fleet of about 300, so this many starts an
# hour with runs this short, all day, is far beyond them. Such a verdict is at most this sure.
TYPICAL_WINDOW_HOURS = 24.0
TYPICAL_STARTS_PER_HOUR = 3.0
TYPICAL_MAX_MEDIAN_RUN_MINUTES = 20.0
TYPICAL_CONFIDENCE = 0.6
# Nonstop running: the setpoint counts as not held when the room is this far off it (K).
SETPOINT_MISSED = 1.0
# Without a learned runtime baseline, nonstop running is normal at or beyond typical design
# temperatures: at or below this in heating, at or above the other in cooling (°C).
DESIGN_HEATING = -7.0
DESIGN_COOLING = 32.0
# Where the unit needed this share of its highest learned power to hold the setpoint, it works
# at its capacity: colder, windier or cloudier hours at the same temperature beat it, so the
# room must be this many times further off before that counts; near its capacity, so many.
AT_CAPACITY = 0.9
AT_CAPACITY_FACTOR = 3.0
NEAR_CAPACITY = 0.7
NEAR_CAPACITY_FACTOR = 2.0
# A room that came this much closer to its setpoint over the last hours (K) is recovering
# from harsher weather: the unit has heat to spare, so it is not falling short.
RECOVERING = 0.3


def short_cycling(context: Context, raised: bool) -> Condition:
    """Many starts an hour with short runs: over the configured window, or all day long."""
    configured = _cycling(context, raised, typical=False)
    if configured.present:
        return configured
    typical = _cycling(context, raised, typical=True)
    if typical.present or configured.present is None:
        return typical
    return configured


def _cycling(context: Context, raised: bool, *, typical: bool) -> Condition:
    """Starts an hour and the median run against the options' limits, or typical units'."""
    state, config, now = context.state, context.config, context.now
    if typical:
        window_hours = TYPICAL_WINDOW_HOURS
        limit_starts, limit_run = TYPICAL_STARTS_PER_HOUR, TYPICAL_MAX_MEDIAN_RUN_MINUTES
    else:
        window_hours = config.short_cycling_window_hours
        limit_starts = config.short_cycling_starts_per_hour
        limit_run = config.short_cycling_max_median_run_minutes
    window = window_hours * HOUR
    first = state.first_time
    if first is None or now - first < window:
        return UNKNOWN
    # hot water is heated in runs of its own, whatever the rooms need: they are left out
    hot_water = state.hot_water
    starts = state.cycles.starts_within(now, window) - hot_water.starts_within(now, window)
    per_hour = starts / (window / HOUR)
    if raised:
        limit_starts *= CYCLING_CLEAR_SHARE
        limit_run *= RUN_CLEAR_FACTOR
    elif per_hour < limit_starts:
        # Too few starts, and nothing open for an unknown verdict to age: the median run,
        # a sort, is not needed. Asked every minute, this is the common case.
        return ABSENT
    median_run = state.cycles.median_run(now, window, skip=hot_water.started_run)
    if median_run is None:
        return ABSENT if starts == 0 else UNKNOWN
    median_minutes = median_run / MINUTE
    present = per_hour >= limit_starts and median_minutes <= limit_run
    sure = confidence(starts, 2 * limit_starts * window_hours)
    return Condition(
        present,
        Severity.WARNING,
        Guidance.DIY,
        {
            "starts_per_hour": round(per_hour, 1),
            "median_run_minutes": round(median_minutes, 1),
            "window_hours": window_hours,
            "reference": "typical" if typical else "limit",
        },
        min(sure, TYPICAL_CONFIDENCE) if typical else sure,
    )


def nonstop_running(context: Context, raised: bool) -> Condition:
    """Running without a break for hours while the room stays off its setpoint.

    Long runs that hold the setpoint are what heat pumps do in the cold, so they are fine; so
    is missing it beyond the design temperature, unless this unit has kept up there before,
    and missing it by a little where the unit already needs (nearly) all its power to keep up.
    """
    state, config, now = context.state, context.config, context.now
    readings = state.readings
    if context.learning:
        return UNKNOWN
    run_hours = state.cycles.run_length(now) / HOUR
    if run_hours < config.nonstop_running_hours:
        return ABSENT if state.cycles.running is not None else UNKNOWN
    season = readings.season
    if season is None or (off_setpoint := readings.off_setpoint(season)) is None:
        return UNKNOWN
    outdoor = readings.outdoor
    harshest = _harshest(context, outdoor, season)
    missed = SETPOINT_MISSED
    share = _capacity_share(context, harshest) if harshest is not None else 0.0
    if state.frequency.at_full(readings.values.get(Role.COMPRESSOR_FREQUENCY)):
        share = max(share, AT_CAPACITY)  # an inverter near its top speed is at full capacity
    if share > 0:
        if share >= AT_CAPACITY:
            missed *= AT_CAPACITY_FACTOR
        elif share >= NEAR_CAPACITY:
            missed *= NEAR_CAPACITY_FACTOR
    if raised:
        missed /= 2
    if (
        off_setpoint < missed
        or (not raised and _recovering(context, season))
        or (harshest is not None and _nonstop_is_normal(context, harshest, season))
    ):
        return ABSENT
    return Condition(
        True,
        Severity.WARNING,
        Guidance.DIY,
        {
            "run_hours": round(run_hours, 1),
            "off_setpoint": round(off_setpoint, 1),
            "outdoor_temperature": None if outdoor is None else round(outdoor, 1),
        },
        confidence(1.0 if outdoor is not None else 0.6, 1.0),
    )


def _nonstop_is_normal(context: Context, outdoor: float, season: Season) -> bool:
    """Whether missing the setpoint while running nonstop is expected at this temperature.

    The runtime baseline learns only from hours in which the setpoint was held, so a learned
    temperature is one where this unit has kept up before: missing the setpoint there is not
    normal, however long its runs usually are (an inverter runs nonstop by design). Beyond the
    harshest temperature it has kept up at, it is sized for milder weather, and missing the
    setpoint is what it does; until it has learned anything, typical design temperatures
    stand in.
    """
    baseline = context.state.runtime_baseline
    if baseline.expected(outdoor, neighbours=0) is not None:
        return False
    learned = baseline.learned_range()
    if season is Season.HEAT:
        return outdoor < learned[0] if learned else outdoor <= DESIGN_HEATING
    return outdoor >= learned[1] + baseline.width if learned else outdoor >= DESIGN_COOLING


def _harshest(context: Context, outdoor: float | None, season: Season) -> float | None:
    """The harshest outdoor temperature of now and the last hours' means.

    A room that fell short in the colder night (the hotter afternoon) is still short an hour
    or two later: the load it reflects is that of the harsher hours.
    """
    if outdoor is None:
        return None
    recent = [*context.state.outdoor_hours, outdoor]
    return min(recent) if season is Season.HEAT else max(recent)


def _capacity_share(context: Context, outdoor: float) -> float:
    """How much of its highest learned power the unit needed to hold the setpoint here.

    Learned from the power sensor in hours the setpoint was held; 0 where it is unknown.
    """
    baseline = context.state.load_baseline
    held = baseline.expected(outdoor, neighbours=0)
    peak = baseline.peak()
    return held / peak if held is not None and peak else 0.0


def _recovering(context: Context, season: Season) -> bool:
    """Whether the room has come clearly closer to the setpoint over the last few hours."""
    indoor = context.state.readings.indoor
    marks = context.state.indoor_marks
    if indoor is None or not marks:
        return False
    change = indoor - marks[0][1]
    return (change if season is Season.HEAT else -change) >= RECOVERING
