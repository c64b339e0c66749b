"""Lengths of time the whole engine shares, in seconds of observed time."""

MINUTE = 60.0
HOUR = 3600.0
DAY = 86400.0
# How much history the engine wants before it calls its statistics settled; detectors that
# judge against normal wait this long.
LEARNING_PERIOD = DAY
# An hour with less observed time than this does not feed the baselines.
MIN_HOUR = 0.75 * HOUR
