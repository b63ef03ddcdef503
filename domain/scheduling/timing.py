"""When a rule's message is due for a booking, computed in the property's timezone and kept in UTC.

Daylight-saving changes: a local time that does not exist (02:30 on a spring-forward night) is moved
forward by the gap (03:30); a local time that happens twice (02:30 on a fall-back night) is the first
of the two. Quiet hours push a send that would fall inside them to their end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from domain.scheduling.facts import RuleLike, Stay
from domain.scheduling.model import Trigger

CHECK_IN_TIME = time(15, 0)  # when "at check-in" means, for hour offsets, absent a booking time
CHECK_OUT_TIME = time(11, 0)


@dataclass(frozen=True)
class QuietHours:
    start: time = time(21, 0)
    end: time = time(8, 0)

    def contains(self, moment: time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


def local_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    # fold=0 reads a skipped time with the offset in force before the change, which lands it the gap
    # later on the wall clock (02:30 -> 03:30), and a repeated time as its first occurrence
    return datetime.combine(day, at).replace(tzinfo=tz, fold=0).astimezone(UTC)


def _parse(hhmm: str) -> time:
    hours, minutes = hhmm.split(":")
    return time(int(hours), int(minutes))


def _before(trigger: Trigger) -> bool:
    return trigger in (Trigger.BEFORE_CHECK_IN, Trigger.BEFORE_CHECK_OUT)


def due_at(
    rule: RuleLike, booking: Stay, event_at: datetime, tz_name: str, quiet: QuietHours | None = None
) -> datetime:
    """`event_at` is when the booking was confirmed or cancelled (for those triggers)."""
    trigger = Trigger(rule.trigger)
    # the anchor is a calendar day for the stay's triggers: a rule planned for 100,000 bookings meets a few
    # hundred distinct days, so the timezone arithmetic is done once per day, not once per booking
    if trigger in (Trigger.BEFORE_CHECK_IN, Trigger.AFTER_CHECK_IN):
        anchor: date | datetime = booking.check_in
    elif trigger in (Trigger.BEFORE_CHECK_OUT, Trigger.AFTER_CHECK_OUT):
        anchor = booking.check_out
    else:
        anchor = event_at  # confirmed or cancelled: when it happened
    return _due(trigger, rule.offset_days, rule.offset_hours, rule.send_time, anchor, tz_name, quiet)


@lru_cache(maxsize=4096)
def _due(
    trigger: Trigger,
    offset_days: int,
    offset_hours: int,
    send_time: str | None,
    anchor_at: date | datetime,
    tz_name: str,
    quiet: QuietHours | None,
) -> datetime:
    tz = ZoneInfo(tz_name)
    if isinstance(anchor_at, datetime):
        anchor = anchor_at
    else:
        at_check_in = trigger in (Trigger.BEFORE_CHECK_IN, Trigger.AFTER_CHECK_IN)
        anchor = local_to_utc(anchor_at, CHECK_IN_TIME if at_check_in else CHECK_OUT_TIME, tz)
    if send_time:
        # days count on the property's calendar, then the local send time applies (hour offsets are
        # refused with a send time when the rule is saved)
        local_day = anchor.astimezone(tz).date() + timedelta(days=-offset_days if _before(trigger) else offset_days)
        due = local_to_utc(local_day, _parse(send_time), tz)
    else:
        delta = timedelta(days=offset_days, hours=offset_hours)
        due = anchor - delta if _before(trigger) else anchor + delta
    return push_out_of_quiet_hours(due, tz, quiet) if quiet else due


def push_out_of_quiet_hours(due: datetime, tz: ZoneInfo, quiet: QuietHours) -> datetime:
    local = due.astimezone(tz)
    if not quiet.contains(local.time().replace(tzinfo=None)):
        return due
    end_day = local.date() if local.time() < quiet.end else local.date() + timedelta(days=1)
    return local_to_utc(end_day, quiet.end, tz)
