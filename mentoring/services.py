"""Writes of the program core."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from . import content_cache, privacy
from .content_spanish import in_every_language
from .dates import long_date
from .models import Cycle, Event, Milestone, User

# Lazy: a module's constant, read on a page in the reader's language.
STAFF_CANNOT_DELETE = gettext_lazy(
    "Committee staff accounts cannot be deleted here: the program's records name who "
    "reviewed, matched and decided. Ask another administrator to remove your staff "
    "access first, then delete your account."
)
CYCLE_NOT_FINISHED = gettext_noop(
    "%(cycle)s is not finished: its program ends on %(ends_on)s. A cycle can be "
    "anonymised only after its last day."
)


def shift_date_by_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later; February 29 becomes February 28."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def shift_datetime_by_years(moment: dt.datetime, years: int, tz) -> dt.datetime:
    """The same wall-clock time in ``tz`` a year on, so a 7 pm session stays at 7 pm
    whatever daylight saving does."""
    local = moment.astimezone(tz)
    shifted_day = shift_date_by_years(local.date(), years)
    return dt.datetime.combine(shifted_day, local.timetz().replace(tzinfo=None), tzinfo=tz)


def cycle_name_for(name: str, years: int) -> str:
    """The name of a copy ``years`` on: “2019-2020” three years on is “2022-2023”; a
    name without years gets the shift said in words."""
    if re.search(r"\d{4}", name):
        return re.sub(r"\d{4}", lambda m: str(int(m.group()) + years), name)
    return ngettext("%(name)s (next year)", "%(name)s (+%(years)d years)", years) % {
        "name": name,
        "years": years,
    }


def cycle_first_year(cycle: Cycle) -> int:
    """The calendar year a cycle's program year begins in: the year its applications open."""
    return cycle.applications_open_on.year


@transaction.atomic
def cycle_copy(*, cycle: Cycle, year: int) -> Cycle:
    """Set up the program year beginning in ``year`` from this cycle: the same milestones
    and events, every date shifted by whole years (the same calendar days, each event at
    the same local time). Staff then adjust what differs."""
    years = year - cycle_first_year(cycle)
    if years == 0:
        raise ValidationError(
            _("%(cycle)s already begins in %(year)s: choose another year.")
            % {"cycle": cycle, "year": year}
        )
    name = cycle_name_for(cycle.name, years)
    slug = slugify(name)
    if Cycle.objects.filter(program_id=cycle.program_id, slug=slug).exists():
        raise ValidationError(
            _("The %(name)s cycle of %(program)s already exists.")
            % {"name": name, "program": cycle.program.short_name}
        )
    new_cycle = Cycle(
        program_id=cycle.program_id,
        name=name,
        slug=slug,
        applications_open_on=shift_date_by_years(cycle.applications_open_on, years),
        applications_close_on=shift_date_by_years(cycle.applications_close_on, years),
        starts_on=shift_date_by_years(cycle.starts_on, years),
        ends_on=shift_date_by_years(cycle.ends_on, years),
        outcomes_close_on=(
            shift_date_by_years(cycle.outcomes_close_on, years) if cycle.outcomes_close_on else None
        ),
        days_without_meeting=cycle.days_without_meeting,
    )
    new_cycle.full_clean()
    new_cycle.save()
    Milestone.objects.bulk_create(
        Milestone(
            cycle=new_cycle,
            kind=m.kind,
            # Both languages' text as it is (the plain field is only the active one's).
            **in_every_language(m, "title", "description"),
            starts_on=shift_date_by_years(m.starts_on, years),
            ends_on=shift_date_by_years(m.ends_on, years),
        )
        for m in cycle.milestones.all()
    )
    Event.objects.bulk_create(
        Event(
            cycle=new_cycle,
            kind=e.kind,
            **in_every_language(e, "title", "description", "location"),
            starts_at=shift_datetime_by_years(e.starts_at, years, e.tz),
            ends_at=shift_datetime_by_years(e.ends_at, years, e.tz),
            time_zone=e.time_zone,
            all_day=e.all_day,
            join_url=e.join_url,
            # A recording belongs to the year it was made.
            recording_url="",
        )
        for e in cycle.events.all()
    )
    content_cache.content_changed()  # the bulk inserts above send no signal
    return new_cycle


def cycle_copy_to_next_year(*, cycle: Cycle) -> Cycle:
    """Set up the following year's cycle from this one (see :func:`cycle_copy`)."""
    return cycle_copy(cycle=cycle, year=cycle_first_year(cycle) + 1)


# --- Language -----------------------------------------------------------------------------


def person_set_language(*, user: User, language: str) -> None:
    """Keep the person's language on their account: their pages open in it wherever they
    sign in, and every email to them is written in it."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose English or Spanish.")})
    if user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language


# --- Personal data ------------------------------------------------------------------------


@transaction.atomic
def account_delete(*, user: User) -> None:
    """The person deletes their account: every app anonymises what it holds about them
    (their applications keep what reports count, their matches keep their history
    without their name), then the account and its email addresses go. Staff accounts
    are refused: the program's records need to say who decided."""
    if user.is_staff or user.is_superuser:
        raise ValidationError(STAFF_CANNOT_DELETE)
    user = User.objects.select_for_update().get(pk=user.pk)
    privacy.personal_data_erase(user)
    user.delete()


@transaction.atomic
def cycle_anonymise(*, cycle: Cycle) -> Cycle:
    """Staff anonymise a finished cycle: every application of it, and the personal
    words of its matches, goal sheets, activity logs and surveys (each app's own
    anonymisation, the same as when a person deletes their account). Safe to run again;
    the date of the first run is kept."""
    cycle = Cycle.objects.select_for_update().select_related("program").get(pk=cycle.pk)
    if not cycle.is_finished:
        raise ValidationError(
            _(CYCLE_NOT_FINISHED) % {"cycle": cycle, "ends_on": long_date(cycle.ends_on)}
        )
    privacy.cycle_erase(cycle)
    if cycle.anonymised_at is None:
        cycle.anonymised_at = timezone.now()
        cycle.save(update_fields=["anonymised_at"])
    return cycle
