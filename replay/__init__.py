"""Replay recorded Home Assistant history through the Heat Pump Health engine.

`python -m replay --history FILE --roles ROLES.json` shows what the integration would have
concluded over that history: a way to tune thresholds and check detectors on real data.
"""
