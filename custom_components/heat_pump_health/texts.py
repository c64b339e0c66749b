"""The words that go with a finding: placeholders for Repairs issues and notification text.

Repairs issues are translated by the frontend from the placeholders; notifications and bus
events are rendered here, in the instance's language, from the same translation files.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo
import string

from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .engine import Finding, FindingKey
from .engine.findings import EvidenceValue

UNKNOWN_VALUE = "unknown"


def format_value(value: EvidenceValue) -> str:
    """One evidence value as text: whole numbers bare, others to one decimal."""
    if value is None:
        return UNKNOWN_VALUE
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(round(value)) if value.is_integer() else f"{value:.1f}"
    return str(value)


def placeholders(finding: Finding, name: str, zone: tzinfo) -> dict[str, str]:
    """The heat pump's name, when the finding started, and every evidence value, as text."""
    since = dt_util.utc_from_timestamp(finding.start).astimezone(zone)
    return {
        "name": name,
        "since": since.strftime("%Y-%m-%d %H:%M"),
        **{key: format_value(value) for key, value in finding.evidence.items()},
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
    """The translated strings notifications and events need, loaded once per setup."""

    strings: Mapping[str, str]

    @classmethod
    async def async_load(cls, hass: HomeAssistant) -> FindingTexts:
        """Load the issue titles and notification messages in the instance's language."""
        language = hass.config.language
        strings: dict[str, str] = {}
        for category in ("issues", "common"):
            strings.update(await async_get_translations(hass, language, category, {DOMAIN}))
        return cls(strings)

    def _get(self, category: str, key: str) -> str:
        return self.strings.get(f"component.{DOMAIN}.{category}.{key}", "")

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
