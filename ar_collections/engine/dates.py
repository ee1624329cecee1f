"""Calendar helpers: which day it is for a company."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def local_today(utc_now: datetime, tz_name: str | None) -> date:
    """Return the calendar date at ``utc_now`` in the time zone ``tz_name``.

    A naive ``utc_now`` is taken as UTC (Odoo stores datetimes naive in UTC).
    An empty or unknown zone falls back to UTC rather than failing the run.
    """
    if utc_now.tzinfo is None:
        utc_now = utc_now.replace(tzinfo=timezone.utc)
    try:
        zone = ZoneInfo(tz_name) if tz_name else timezone.utc
    except (ZoneInfoNotFoundError, ValueError):
        zone = timezone.utc
    return utc_now.astimezone(zone).date()
