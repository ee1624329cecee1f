"""When a customer may be contacted, and by which channel.

A policy's contact rules, as the US CFPB's Regulation F sets them for
consumers: contact hours in the customer's own time zone (no call before
08:00 or after 21:00), at most so many call attempts and so many contacts in
any 7 days, no contact on weekends or public holidays if the policy asks,
and a customer's wish not to be called or texted.

Everything here is in the customer's local time, given as naive datetimes;
``to_local`` and ``to_utc`` convert from and to the UTC Odoo stores. Nothing
reads the clock or the database: the history of contacts comes in as counts
per channel and day.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import errors
from .errors import ContactRuleError

EMAIL = "email"
LETTER = "letter"
CALL = "call"
SMS = "sms"
CHANNELS = (EMAIL, LETTER, CALL, SMS)
# Channels that reach the customer's phone: a "do not call or text" stops them.
PHONE_CHANNELS = (CALL, SMS)

# Why a contact waits (stable identifiers, translated by the models).
REASON_NO_PHONE = "no_phone"
REASON_HOURS = "outside_hours"
REASON_WEEKEND = "weekend"
REASON_HOLIDAY = "holiday"
REASON_CALL_CAP = "call_cap"
REASON_CONTACT_CAP = "contact_cap"
CAP_REASONS = (REASON_CALL_CAP, REASON_CONTACT_CAP)

# The caps count what happened in any 7 days: today and the 6 days before.
CAP_DAYS = 7
# How far to look for the window's next opening (a year of holidays at most).
HORIZON_DAYS = 400


@dataclass(frozen=True)
class ContactRules:
    """The contact rules that apply to one customer.

    ``hours``: (from, until) in decimal hours of the customer's day, e.g.
    (8.0, 21.0); None: any hour. ``holidays``: days (the customer's dates)
    without contact, used when ``skip_holidays``. ``call_cap`` and
    ``contact_cap``: the most call attempts, and contacts by any channel, in
    any 7 days (None: no limit). ``hold_emails``: an email outside the
    contact window waits for it (False: it goes at once). ``no_phone``: the
    customer asked not to be called or texted.
    """

    hours: tuple[float, float] | None = None
    skip_weekends: bool = False
    skip_holidays: bool = False
    holidays: frozenset[date] = frozenset()
    call_cap: int | None = None
    contact_cap: int | None = None
    hold_emails: bool = True
    no_phone: bool = False

    def __post_init__(self) -> None:
        if self.hours:
            check_hours(*self.hours)
        for cap in (self.call_cap, self.contact_cap):
            if cap is not None:
                check_cap(cap)


@dataclass(frozen=True)
class Verdict:
    """Whether a channel may be used now, else why and from when.

    ``next_allowed``: the first local moment it may (None when ``allowed``,
    or never: the customer opted out). ``count`` and ``cap``: the contacts
    counted and the limit, when a cap is the reason.
    """

    channel: str
    allowed: bool
    reason: str | None = None
    next_allowed: datetime | None = None
    count: int = 0
    cap: int | None = None


def check_hours(hour_from: float, hour_to: float) -> None:
    """Refuse contact hours outside 0-24 or ending before they start."""
    for hour in (hour_from, hour_to):
        if not 0 <= hour <= 24:
            raise ContactRuleError(errors.CONTACT_HOURS_OUT_OF_RANGE, hour=hour)
    if hour_to <= hour_from:
        raise ContactRuleError(
            errors.CONTACT_HOURS_NOT_INCREASING, hour_from=hour_from, hour_to=hour_to
        )


def check_cap(cap: int) -> None:
    """Refuse a limit of contacts that allows none."""
    if cap < 1:
        raise ContactRuleError(errors.CONTACT_CAP_NOT_POSITIVE, cap=cap)


def hour_time(hour: float) -> time:
    """``8.5`` as 08:30 (24 is the end of the day, 23:59:59.999999)."""
    if hour >= 24:
        return time.max
    minutes = round(hour * 60)
    return time(minutes // 60, minutes % 60)


def _zone(tz_name: str | None):
    try:
        return ZoneInfo(tz_name) if tz_name else timezone.utc
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


def to_local(utc_naive: datetime, tz_name: str | None) -> datetime:
    """A naive UTC datetime as the naive local time of ``tz_name`` (an empty
    or unknown zone is UTC)."""
    aware = utc_naive.replace(tzinfo=timezone.utc).astimezone(_zone(tz_name))
    return aware.replace(tzinfo=None)


def to_utc(local_naive: datetime, tz_name: str | None) -> datetime:
    """A naive local time of ``tz_name`` as a naive UTC datetime."""
    aware = local_naive.replace(tzinfo=_zone(tz_name))
    return aware.astimezone(timezone.utc).replace(tzinfo=None)


def day_closed(day: date, rules: ContactRules) -> str | None:
    """Why no contact is made on ``day`` at all (weekend, holiday), or None."""
    if rules.skip_holidays and day in rules.holidays:
        return REASON_HOLIDAY
    if rules.skip_weekends and day.weekday() >= 5:
        return REASON_WEEKEND
    return None


def window_opening(local: datetime, rules: ContactRules) -> datetime | None:
    """The first moment at or after ``local`` inside the contact window.

    ``local`` itself when the window is open; None when no day opens within
    ``HORIZON_DAYS`` (every day a holiday).
    """
    start, end = (
        (hour_time(rules.hours[0]), hour_time(rules.hours[1]))
        if rules.hours
        else (time.min, time.max)
    )
    day = local.date()
    for offset in range(HORIZON_DAYS):
        current = day + timedelta(days=offset)
        if day_closed(current, rules):
            continue
        opening = datetime.combine(current, start)
        if offset == 0:
            if local.time() >= end:
                continue
            return max(local, opening)
        return opening
    return None


def _counted(history: Mapping[date, int], today: date) -> list[date]:
    """Days of the contacts of the last ``CAP_DAYS`` days, latest first, one
    entry per contact."""
    first = today - timedelta(days=CAP_DAYS - 1)
    return sorted(
        (
            day
            for day, count in history.items()
            if first <= day <= today
            for _ in range(count)
        ),
        reverse=True,
    )


def cap_reached(
    history: Mapping[date, int], today: date, cap: int
) -> tuple[int, date | None]:
    """Contacts counted today, and the day a new one is allowed again when
    ``cap`` of them were already made in the last 7 days (else None).

    The ``cap``-th latest contact stops counting 7 days after its day.
    """
    days = _counted(history, today)
    if len(days) < cap:
        return len(days), None
    return len(days), days[cap - 1] + timedelta(days=CAP_DAYS)


def _merge(histories: Mapping[str, Mapping[date, int]]) -> dict[date, int]:
    merged: dict[date, int] = {}
    for per_day in histories.values():
        for day, count in per_day.items():
            merged[day] = merged.get(day, 0) + count
    return merged


def check_contact(
    channel: str,
    local_now: datetime,
    rules: ContactRules,
    history: Mapping[str, Mapping[date, int]] | None = None,
    caps: bool = True,
) -> Verdict:
    """May ``channel`` be used at ``local_now`` (the customer's time)?

    ``history``: {channel: {day: contacts made}} of the last days. Checked
    in order: the customer's opt-out of calls and texts (final), the caps
    (``caps=False`` leaves them to the caller: a contact already recorded
    must not count against itself), then the contact window (weekends,
    holidays and hours). Calls and texts need the window; an email too when
    the rules hold emails; a letter never (the post delivers it). The next
    allowed moment is the first opening of the window once the caps allow.
    """
    if channel in PHONE_CHANNELS and rules.no_phone:
        return Verdict(channel, False, REASON_NO_PHONE)
    history = history or {}
    today = local_now.date()
    earliest, reason, count, cap = local_now, None, 0, None
    limits = []
    if caps and rules.contact_cap:
        limits.append((REASON_CONTACT_CAP, _merge(history), rules.contact_cap))
    if caps and rules.call_cap and channel == CALL:
        limits.append((REASON_CALL_CAP, history.get(CALL, {}), rules.call_cap))
    for limit_reason, per_day, limit in limits:
        counted, free_on = cap_reached(per_day, today, limit)
        if free_on and datetime.combine(free_on, time.min) > earliest:
            earliest = datetime.combine(free_on, time.min)
            reason, count, cap = limit_reason, counted, limit
    windowed = channel in PHONE_CHANNELS or (channel == EMAIL and rules.hold_emails)
    opening = window_opening(earliest, rules) if windowed else earliest
    if opening == local_now:
        return Verdict(channel, True)
    if reason is None:
        reason = day_closed(today, rules) or REASON_HOURS
    return Verdict(channel, False, reason, opening, count, cap)
