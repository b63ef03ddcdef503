"""When a rule's message is due for a booking, computed in the property's timezone and kept in UTC.

Daylight-saving changes: a local time that does not exist (02:30 on a spring-forward night) is moved
forward by the gap (03:30); a local time that happens twice (02:30 on a fall-back night) is the first
of the two. Quiet hours push a send that would fall inside them to their end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.scheduling.facts import Stay
from domain.scheduling.model import ScheduledRule, Trigger

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


def _anchor(rule: ScheduledRule, booking: Stay, event_at: datetime, tz: ZoneInfo) -> datetime:
    trigger = Trigger(rule.trigger)
    if trigger in (Trigger.BEFORE_CHECK_IN, Trigger.AFTER_CHECK_IN):
        return local_to_utc(booking.check_in, CHECK_IN_TIME, tz)
    if trigger in (Trigger.BEFORE_CHECK_OUT, Trigger.AFTER_CHECK_OUT):
        return local_to_utc(booking.check_out, CHECK_OUT_TIME, tz)
    return event_at  # confirmed or cancelled: when it happened


def _signed(rule: ScheduledRule) -> timedelta:
    delta = timedelta(days=rule.offset_days, hours=rule.offset_hours)
    return -delta if Trigger(rule.trigger) in (Trigger.BEFORE_CHECK_IN, Trigger.BEFORE_CHECK_OUT) else delta


def due_at(
    rule: ScheduledRule, booking: Stay, event_at: datetime, tz_name: str, quiet: QuietHours | None = None
) -> datetime:
    """`event_at` is when the booking was confirmed or cancelled (for those triggers)."""
    tz = ZoneInfo(tz_name)
    anchor = _anchor(rule, booking, event_at, tz)
    if rule.send_time:
        # days count on the property's calendar, then the local send time applies (hour offsets are
        # refused with a send time when the rule is saved)
        before = Trigger(rule.trigger) in (Trigger.BEFORE_CHECK_IN, Trigger.BEFORE_CHECK_OUT)
        local_day = anchor.astimezone(tz).date() + timedelta(days=-rule.offset_days if before else rule.offset_days)
        due = local_to_utc(local_day, _parse(rule.send_time), tz)
    else:
        due = anchor + _signed(rule)
    return push_out_of_quiet_hours(due, tz, quiet) if quiet else due


def push_out_of_quiet_hours(due: datetime, tz: ZoneInfo, quiet: QuietHours) -> datetime:
    local = due.astimezone(tz)
    if not quiet.contains(local.time().replace(tzinfo=None)):
        return due
    end_day = local.date() if local.time() < quiet.end else local.date() + timedelta(days=1)
    return local_to_utc(end_day, quiet.end, tz)
