"""Command line: read the inputs, run the replay, print the report, write --json."""

import argparse
from collections.abc import Sequence
import json
from pathlib import Path
import sys

from .history import HistoryError, Tally, read_history
from .report import Report, render_text
from .roles import RolesError, load_setup
from .runner import Replay

EXIT_OK = 0
EXIT_INPUT_ERROR = 2


def parser() -> argparse.ArgumentParser:
    """The command's arguments."""
    parser = argparse.ArgumentParser(
        prog="replay",
        description=(
            "Run the Heat Pump Health engine over recorded Home Assistant history: REST"
            " /api/history/period JSON, a recorder database or a history panel CSV download."
        ),
    )
    parser.add_argument(
        "--history", type=Path, required=True, metavar="FILE", help="the recorded history"
    )
    parser.add_argument(
        "--roles",
        type=Path,
        required=True,
        metavar="ROLES.json",
        help="which entity plays which role",
    )
    parser.add_argument(
        "--json", type=Path, metavar="OUT.json", help="also write the report as JSON"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one replay; input errors are one line on stderr and exit code 2."""
    args = parser().parse_args(argv)
    try:
        report = replay(args.history, args.roles)
        if args.json is not None:
            write_json(report, args.json)
    except (HistoryError, RolesError, OSError) as err:
        sys.stderr.write(f"replay: {err}\n")
        return EXIT_INPUT_ERROR
    sys.stdout.write(render_text(report))
    return EXIT_OK


def replay(history: Path, roles: Path) -> Report:
    """Read the roles and the history, and run the engine over it."""
    setup = load_setup(roles)
    tally = Tally()
    kind, rows = read_history(history, set(setup.sources.values()), setup.zone, tally)
    result = Replay(setup).run(rows, rows.end)
    return Report(history, kind, setup.zone, tally, result, setup.name)


def write_json(report: Report, path: Path) -> None:
    """Write the report as JSON."""
    path.write_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n", "utf-8")
