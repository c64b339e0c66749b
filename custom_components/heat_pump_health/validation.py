"""The schema library Home Assistant validates with: probatio from 2026.10, voluptuous before.

probatio is API-compatible with voluptuous; flows must use the one Home Assistant itself uses,
because it recognises schema markers by their class.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import probatio as vol
else:
    try:
        import probatio as vol
    except ImportError:  # pragma: no cover - Home Assistant 2026.8 and 2026.9
        import voluptuous as vol

__all__ = ["vol"]
