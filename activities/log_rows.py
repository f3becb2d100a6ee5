"""A match's log entries as the log page shows them, each written out in Python.

The page rendered each entry through a template of its own (three links, a form, half a
dozen translated words and a date): more than half of the page's time for a year's log.
The markup is character for character what that template wrote, so the styles, the
scripts and the accessibility checks see no difference; the words are the same messages,
translated as before."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from matches.models import Match
from mentoring.templatetags.dates import date as date_filter
from mentoring.templatetags.program import daterange

from .models import ActivityLogEntry
from .suggestions import Suggestion


def attach_rows(
    entries: list[ActivityLogEntry],
    *,
    request: HttpRequest,
    match: Match,
    can_change: bool,
    today: dt.date,
) -> None:
    """Give each entry its markup as ``entry.row`` (the entries come with their activity,
    who recorded them and their goals, ``entry.served_goals``: ``log_page.log_page``)."""
    user_pk = request.user.pk
    partner = match.partner_of(request.user)
    # The words every entry repeats, translated once (escaped, as {% translate %} is).
    words = {
        "you": escape(gettext("you")),
        "date_passed": escape(gettext("date passed")),
        "served": escape(gettext("Served")),
        "added_by": escape(gettext("Added by")),
        "former": escape(gettext("a former participant")),
        "marked_done_by": escape(gettext("; marked done by")),
        "we_did_this": escape(gettext("We did this")),
        "edit": escape(gettext("Edit")),
        "delete": escape(gettext("Delete")),
        "partner": escape(partner.display_name) if partner is not None else "",
        # Not escaped, as {% blocktranslate %} writes its message.
        "done_on": gettext("Done %(on)s"),
        "planned_for": gettext("Planned for %(on)s"),
    }
    # The "We did this" forms' token, as {% csrf_token %} writes it (only a log that can
    # change has the forms).
    csrf = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(get_token(request))}">'
        if can_change
        else ""
    )
    urls = {name: _entry_url(name, match) for name in ENTRY_URLS}
    for entry in entries:
        entry.row = _row(
            entry,
            user_pk=user_pk,
            can_change=can_change,
            today=today,
            words=words,
            csrf=csrf,
            urls=urls,
        )


ENTRY_URLS = ("log_entry_mark_done", "log_entry_edit", "log_entry_delete")
# An entry id no entry has, reversed in its place and then swapped for each entry's.
_NO_ENTRY = 2_147_483_647


def _entry_url(name: str, match: Match) -> tuple[str, str]:
    """An entry link of the match, split around the entry's id: one reverse a page for
    each kind of link, not one for each entry."""
    url = reverse(f"activities:{name}", args=[match.pk, _NO_ENTRY])
    head, tail = url.rsplit(f"/{_NO_ENTRY}/", 1)
    return head, tail


def _link(url: tuple[str, str], pk: int) -> str:
    return f"{url[0]}/{pk}/{url[1]}"


def _row(
    entry: ActivityLogEntry,
    *,
    user_pk: int,
    can_change: bool,
    today: dt.date,
    words: dict[str, str],
    csrf: str,
    urls: dict[str, tuple[str, str]],
) -> SafeString:
    pk = entry.pk
    title = escape(entry.title)
    activity = entry.activity
    if activity and activity.is_published:
        heading = f'<a href="{escape(activity.get_absolute_url())}">{title}</a>'
    else:
        heading = title
    on = escape(daterange(entry.on))
    if entry.is_done:
        when = words["done_on"] % {"on": on}
    else:
        when = words["planned_for"] % {"on": on}
        if entry.on < today:
            when += f' <span class="badge text-bg-warning">{words["date_passed"]}</span>'
    notes = f'<p class="mb-1 log-notes">{linebreaksbr(entry.notes)}</p>' if entry.notes else ""
    goals = entry.served_goals
    served = ""
    if goals:
        the_goals = ngettext("the goal", "the goals", len(goals)) % {"counter": len(goals)}
        titles = ", ".join(f"“{escape(goal.title)}”" for goal in goals)
        served = f'\n      <p class="mb-1 small">{words["served"]} {the_goals}: {titles}</p>\n    '
    if entry.recorded_by_id == user_pk:
        by = words["you"]
    elif entry.recorded_by:
        by = escape(entry.recorded_by.get_short_name())
    else:
        by = words["former"]
    if entry.completed_by_id:
        done_by = words["you"] if entry.completed_by_id == user_pk else words["partner"]
        by += f"{words['marked_done_by']} {done_by}"
    actions = ""
    if can_change:
        mark_done = ""
        if not entry.is_done:
            url = _link(urls["log_entry_mark_done"], pk)
            mark_done = (
                f'\n        <form method="post" action="{url}">\n'
                f"          {csrf}\n"
                f'          <button type="submit" class="btn btn-sm btn-outline-success">'
                f'{words["we_did_this"]}<span class="visually-hidden">: {title}</span></button>\n'
                "        </form>\n      "
            )
        own = ""
        if entry.recorded_by_id == user_pk:
            edit = _link(urls["log_entry_edit"], pk)
            delete = _link(urls["log_entry_delete"], pk)
            own = (
                f'\n        <a class="btn btn-sm btn-outline-secondary" href="{edit}">'
                f'{words["edit"]}<span class="visually-hidden"> {title}</span></a>\n'
                f'        <a class="btn btn-sm btn-outline-danger" href="{delete}">'
                f'{words["delete"]}<span class="visually-hidden"> {title}</span></a>\n      '
            )
        actions = (
            '\n    <div class="d-flex flex-wrap gap-2 mt-1">\n'
            f"      {mark_done}\n"
            f"      {own}\n"
            "    </div>\n    "
        )
    # Every value above is escaped, or the site's own markup.
    return mark_safe(
        f'<li class="log-entry card mb-2" aria-labelledby="entry-{pk}">\n'
        '  <div class="card-body py-2">\n'
        '    <div class="d-flex flex-wrap justify-content-between gap-2">\n'
        f'      <h4 class="h6 mb-1" id="entry-{pk}">{heading}</h4>\n'
        f'      <p class="mb-1 small text-muted">{when}</p>\n'
        "    </div>\n"
        f"    {notes}\n"
        f"    {served}\n"
        f'    <p class="mb-1 small text-muted">{words["added_by"]} {by}</p>\n'
        f"    {actions}\n"
        "  </div>\n"
        "</li>\n"
    )


def entry_list(entries: list[ActivityLogEntry]) -> SafeString:
    """The entries (each with its ``row``: :func:`attach_rows`) under a heading for each
    month, character for character what the log template's loop over them wrote (its
    ``{% ifchanged %}`` on the year and month, a list a month): a dozen template nodes an
    entry."""
    parts = []
    month = None
    last = len(entries) - 1
    for number, entry in enumerate(entries):
        heading = ""
        if (entry.on.year, entry.on.month) != month:
            month = (entry.on.year, entry.on.month)
            heading = (
                ("</ul>" if number else "")
                + '\n        <h3 class="h6 text-muted mt-3">'
                + escape(date_filter(entry.on, "F Y"))  # the site's filter, as the template's
                + '</h3>\n        <ul class="list-unstyled log-entries">'
            )
        end = "</ul>" if number == last else ""
        parts.append(f"\n        {heading}\n        {entry.row}\n        {end}\n      ")
    # Every value above is escaped, or the site's own markup.
    return mark_safe("".join(parts))


def suggestion_list(suggestions: list[Suggestion], *, match: Match) -> SafeString:
    """The suggestions' items, character for character what the log template's loop over
    them wrote (a link to the activity, the reasons, the two buttons); the words the same
    messages, translated once a page."""
    if not suggestions:
        everything = escape(gettext("You have logged every activity in the catalog. Add your own!"))
        return mark_safe(f"\n          <li>{everything}</li>\n          ")
    new_entry = escape(reverse("activities:log_entry_create", args=[match.pk]))
    plan_this = escape(gettext("Plan this"))
    we_did_this = escape(gettext("We did this"))
    parts = []
    for suggestion in suggestions:
        activity = suggestion.activity
        title = escape(activity.title)
        pk = escape(localize(activity.pk))
        reasons = "".join(f"<li>{escape(reason)}</li>" for reason in suggestion.reasons)
        parts.append(
            '\n          <li class="suggestion">\n'
            f'            <h3 class="h6 mb-1"><a href="{escape(activity.get_absolute_url())}">'
            f"{title}</a></h3>\n"
            f'            <ul class="small reasons mb-2">{reasons}</ul>\n'
            '            <div class="d-flex flex-wrap gap-2">\n'
            f'              <a class="btn btn-outline-primary btn-sm" href="{new_entry}?activity='
            f'{pk}&amp;status=planned">{plan_this}<span class="visually-hidden">: {title}'
            "</span></a>\n"
            f'              <a class="btn btn-outline-secondary btn-sm" href="{new_entry}?activity='
            f'{pk}&amp;status=done">{we_did_this}<span class="visually-hidden">: {title}'
            "</span></a>\n"
            "            </div>\n"
            "          </li>\n          "
        )
    # Every value above is escaped, or the site's own markup.
    return mark_safe("".join(parts))
