"""The words that go with a finding: placeholders for Repairs issues and notification text.

The frontend fills a Repairs issue's translation with its placeholders as they are, so the
placeholders are already words in the instance's language: evidence codes (a source's role, a
sensor fault's kind, why the unit is not heating) by their translated names, flags as yes or
no, a missing value as unknown, numbers with the language's decimal mark and the start in its
date order. Notifications and bus events are rendered here from the same translation files.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
import string

from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .engine import Finding, FindingKey, Role
from .engine.findings import EvidenceValue

# Evidence keys whose values are codes, and the vocabulary that names them: a code's name is
# the translation `common.<vocabulary>_<code>`.
CODED_EVIDENCE: dict[str, str] = {
    "sensor": "role",
    "problem": "problem",
    "reason": "reason",
    "reference": "reference",
}
# Evidence shown with more decimals than one: a water pressure (bar) moves by hundredths.
EVIDENCE_DECIMALS: dict[str, int] = {"pressure": 2, "fall_per_day": 2}
# What an instance without the translations shows (English, with an unambiguous date).
FALLBACK: dict[str, str] = {
    "value_yes": "yes",
    "value_no": "no",
    "value_unknown": "unknown",
    "decimal_mark": ".",
    "date_time": "{year}-{month}-{day} {hour}:{minute}",
}


class _Lenient(dict[str, str]):
    """Placeholders that leave an unknown name as it is instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill a translation's placeholders; a malformed translation is shown unfilled."""
    try:
        return string.Formatter().vformat(template, (), _Lenient(values))
    except ValueError, IndexError:
        return template


@dataclass(frozen=True, slots=True)
class FindingTexts:
    """The translated strings notifications, events and issues need, loaded once per setup."""

    strings: Mapping[str, str]

    @classmethod
    async def async_load(cls, hass: HomeAssistant) -> FindingTexts:
        """Load the issue titles, messages and value names in the instance's language."""
        language = hass.config.language
        strings: dict[str, str] = {}
        for category in ("issues", "common"):
            strings.update(await async_get_translations(hass, language, category, {DOMAIN}))
        return cls(strings)

    def _get(self, category: str, key: str) -> str:
        return self.strings.get(f"component.{DOMAIN}.{category}.{key}", "")

    def _common(self, key: str) -> str:
        """A shared string, or its English fallback."""
        return self._get("common", key) or FALLBACK.get(key, key)

    def code(self, vocabulary: str, code: str) -> str:
        """A code's name in the instance's language; a code without one is shown as it is."""
        return self._get("common", f"{vocabulary}_{code}") or code

    def role(self, role: Role) -> str:
        """A source's role by name, e.g. "Outdoor temperature"."""
        return self.code("role", role.value)

    def value(self, key: str, value: EvidenceValue) -> str:
        """One evidence value as text: whole numbers bare, others rounded, codes named."""
        if value is None:
            return self._common("value_unknown")
        if isinstance(value, bool):
            return self._common("value_yes" if value else "value_no")
        if isinstance(value, str):
            vocabulary = CODED_EVIDENCE.get(key)
            return value if vocabulary is None else self.code(vocabulary, value)
        if isinstance(value, float):
            if value.is_integer():
                text = str(round(value))
            elif (decimals := EVIDENCE_DECIMALS.get(key)) is not None:
                text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
            else:
                text = f"{value:.1f}"
        else:
            text = str(value)
        return text.replace(".", self._common("decimal_mark"))

    def time(self, moment: datetime) -> str:
        """A date and time to the minute, in the language's usual order."""
        return render(
            self._common("date_time"),
            {
                "year": f"{moment.year:04d}",
                "month": f"{moment.month:02d}",
                "day": f"{moment.day:02d}",
                "hour": f"{moment.hour:02d}",
                "minute": f"{moment.minute:02d}",
            },
        )

    def placeholders(self, finding: Finding, name: str, zone: tzinfo) -> dict[str, str]:
        """The heat pump's name, when the finding started, and every evidence value, as text.

        A finding saved before it said what it is judged against was judged against the unit's
        own normal.
        """
        since = dt_util.utc_from_timestamp(finding.start).astimezone(zone)
        return {
            "name": name,
            "since": self.time(since),
            "reference": self.value("reference", "own"),
            **{key: self.value(key, value) for key, value in finding.evidence.items()},
        }

    def title(self, key: FindingKey, values: Mapping[str, str]) -> str:
        """The finding's Repairs title, e.g. "Living room heat pump is short cycling"."""
        return render(self._get("issues", f"{key}.title") or key.value, values)

    def message(self, finding: Finding, values: Mapping[str, str]) -> str:
        """What the finding is and what to do first, in a sentence or two."""
        return render(self._get("common", f"notify_{finding.key}"), values)

    def cleared(self, key: FindingKey, values: Mapping[str, str]) -> tuple[str, str]:
        """Title and message of the all-clear for a finding that ended.

        Titles name only the heat pump, so an all-clear needs no evidence.
        """
        title = render(self._get("common", "notify_cleared_title"), values)
        values = {**values, "finding": self.title(key, values)}
        return title, render(self._get("common", "notify_cleared_message"), values)

    def digest_title(self, values: Mapping[str, str]) -> str:
        """Title of one message that reports several findings at once."""
        return render(self._get("common", "notify_digest_title"), values)
