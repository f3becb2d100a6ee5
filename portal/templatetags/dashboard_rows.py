"""The repeated rows of “My mentoring” written out in Python (``{% load dashboard_rows %}``).

Each match card lists its goals with their latest check-in, the activities done lately
and planned, and the suggested ones. In the template, every row went through a loop,
an include, one or two ``blocktranslate`` and a filter or two: on a page of two
matches, most of the time the page took above the site's layout. Here each row is one
string, with the same markup and the same translations (the catalogue's msgids are the
ones the template's ``blocktranslate trimmed`` made).
"""

from __future__ import annotations

import functools

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from goals.models import CheckIn
from mentoring.models import Event
from mentoring.templatetags.dates import date as date_filter
from mentoring.templatetags.program import daterange, event_when

register = template.Library()


def _day(day) -> str:
    """``day|daterange`` for one day, escaped: the same few days (goals' target dates,
    check-ins) come back on every card, each formatted once a process and language."""
    return _formatted_day(day, get_language())


@functools.lru_cache(maxsize=2048)
def _formatted_day(day, language: str) -> str:  # the language: part of the key only
    return esc(daterange(day))


# The whitespace between the rows, as the template's loop left it.
_GOAL_INDENT = "\n            "


@functools.lru_cache(maxsize=8)
def _words(language: str | None) -> dict[str, str]:
    """The cards' fixed words in the reader's language (``language``: part of the key
    only, each is translated in the language active), escaped as ``{% translate %}``
    writes them; the ones with values to put in (``_bt``) as translated. The same few
    dozen on every card: each looked up once a process and language, not on every card
    of every page (the lookups cost more than the rows they were for)."""
    return {
        "no_check_in": esc(_("No check-in yet")),
        "by": _("· by %(target_date)s"),
        "last_check_in": _("last check-in %(on)s"),
        # The check-in badge's label (``get_status_display``), by status.
        "check_in_status": {value: esc(label) for value, label in CheckIn.Status.choices},
        "concluded": esc(_("· concluded")),
        "deleted_account": _(
            "Your %(partner_role)s deleted their account; your match's history is kept"
            " without their name."
        ),
        "both_like": _("You both like %(shared_ways_words)s."),
        "meet_in_person": _("You can meet in person: you are %(place)s."),
        "meet_online": esc(_("You will most likely meet online or by phone.")),
        "more_about": _("More about %(display_name)s and how to reach them"),
        "your_partner": _("Your %(partner_role)s: %(display_name)s"),
        "complete": _("Your year as a %(role)s is complete. Verification code"),
        "check_it": esc(_("check it on this site")),
        "anyone_can": esc(_(": anyone can")),
        "certificate": esc(_("Certificate of completion")),
        "download": esc(_("Download the certificate (PDF)")),
        "without_goals": esc(_("Without the goals")),
        "overdue": esc(_("Overdue")),
        "contract": esc(_("Your contract for the year")),
        "smart_goals": esc(_(": one to three SMART goals,")),
        "goal_sheet": esc(_("Goal sheet")),
        "agreed_on": _(", agreed on %(agreed_at)s"),
        "was_due": esc(_("It was due on")),
        "due_by": esc(_("Due by")),
        "by_you": esc(_("submitted by you and confirmed by your mentor")),
        "by_your_mentee": esc(_("submitted by your mentee and confirmed by you")),
        "start_sheet": esc(_("Start your goal sheet")),
        "record_progress": esc(_("Open the goal sheet and record progress")),
        "review_sheet": esc(_("Review the goal sheet: confirm it or send it back")),
        "waiting_sheet": esc(_("Open the goal sheet (waiting for your mentor)")),
        "continue_sheet": esc(_("Continue the goal sheet")),
        "nothing_yet": esc(_("Nothing logged yet.")),
        "planned": esc(_("Planned")),
        "tried_all": esc(_("You have tried every suggestion in the catalog.")),
        "record": esc(_("Record an activity")),
        "activities": esc(_("Activities")),
        "done_lately": esc(_("Done lately")),
        "suggested": esc(_("Suggested next")),
        "log": esc(_("Your activity log")),
        # A goal sheet's status badge (goals/_status_badge.html): its class and label.
        "sheet_badges": {
            status: (css, esc(label)) for status, (css, label) in _SHEET_BADGES.items()
        },
        "not_started_badge": (_NOT_STARTED_BADGE[0], esc(_NOT_STARTED_BADGE[1])),
    }


@register.simple_tag
def dashboard_goals(goals) -> str:
    """The goals of a goal sheet: ``<li>`` after ``<li>``, each with its target date
    and its latest check-in (``goals/_check_in_badge.html``'s badge)."""
    words = _words(get_language())
    no_check_in, status_labels = words["no_check_in"], words["check_in_status"]
    rows = []
    for goal in goals:
        target = ""
        if goal.target_date:
            by = words["by"] % {"target_date": _day(goal.target_date)}
            target = f'<span class="text-muted"> {by}</span>'
        check_in = goal.latest_check_in
        if check_in:
            on = words["last_check_in"] % {"on": _day(check_in.on)}
            status = check_in.status
            label = status_labels[status] if status in status_labels else esc(status)
            latest = (
                f'<span class="badge check-in-status check-in-{esc(status)}">'
                f"{label}</span>\n"
                f' <span class="text-muted small">{on}</span>'
            )
        else:
            latest = f'<span class="text-muted small">{no_check_in}</span>'
        rows.append(
            f"{_GOAL_INDENT}<li>\n"
            f'              <span class="fw-semibold">{esc(goal.title)}</span>\n'
            f"              {target}\n"
            f"              <br>{latest}\n"
            f"            </li>{_GOAL_INDENT}"
        )
    return mark_safe("".join(rows))


@register.simple_tag
def dashboard_entries(entries) -> str:
    """Activities done or planned: their title and day."""
    return mark_safe(
        "".join(
            f'<li>{esc(entry["title"])} <span class="text-muted">· {_day(entry["on"])}</span></li>'
            for entry in entries
        )
    )


@register.simple_tag
def dashboard_suggestions(suggestions) -> str:
    """The suggested activities, each with a link and its first reason."""
    rows = []
    for suggestion in suggestions:
        activity = suggestion.activity
        reason = ""
        if suggestion.reasons:
            reason = f'<br><span class="text-muted">{esc(suggestion.reasons[0])}</span>'
        rows.append(
            f'<li class="mb-2"><a href="{esc(activity.get_absolute_url())}">'
            f"{esc(activity.title)}</a>{reason}</li>"
        )
    return mark_safe("".join(rows))


# A goal sheet's status badge, as goals/_status_badge.html draws it.
_SHEET_BADGES = {
    "agreed": ("agreed", gettext_lazy("Agreed")),
    "submitted": ("submitted", gettext_lazy("Submitted")),
    "draft": ("draft", gettext_lazy("Draft")),
}
_NOT_STARTED_BADGE = ("none", gettext_lazy("Not started"))


# A key no row reaches, reversed in a link's place (a link's other parts are the same
# for every match and application).
_SLOT = 987654321987654321


def _link(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])`` for the cards' links to a match's or an
    application's pages: reversed once a process for each URL configuration and script
    prefix, not once for each link of each card."""
    urlconf = get_urlconf(settings.ROOT_URLCONF)  # the request's, else the site's
    before, after = _around_the_key(name, urlconf, get_script_prefix())
    return f"{before}{int(pk)}{after}"


@functools.lru_cache(maxsize=64)
def _around_the_key(name: str, urlconf, prefix: str) -> tuple[str, str]:
    before, after = reverse(name, urlconf=urlconf, args=[_SLOT]).split(str(_SLOT))
    return before, after


def _bt(translated: str, **values) -> str:
    """What ``{% blocktranslate trimmed %}`` writes: the translation (not escaped) with
    its values escaped. (``{% translate %}``'s is ``esc(_("..."))``: escaped.)"""
    return translated % {key: esc(value) for key, value in values.items()}


@register.simple_tag
def dashboard_card(card) -> str:
    """One match's card, its certificate, its goal sheet and its activities: what the
    template's loop over ``panel.match_cards`` wrote for each."""
    pk = card.match.pk
    words = _words(get_language())
    return mark_safe(
        "\n"
        + _match_article(card, pk, words)
        + "\n      "
        + _certificate(card, pk, words)
        + "\n\n"
        + _goal_sheet(card, pk, words)
        + "\n\n"
        + _activities(card, pk, words)
        + "\n      "
    )


def _match_article(card, pk, words) -> str:
    intro = card.intro
    partner = intro.partner
    role = intro.partner_role
    concluded = "" if card.is_active else " " + words["concluded"]
    organization = f", {esc(partner.organization)}" if partner.organization else ""
    location = (
        f'<p class="mb-1 text-muted">{esc(intro.partner_location)}</p>'
        if intro.partner_location
        else ""
    )
    if partner.is_anonymised:
        reach = (
            '<p class="mb-1 text-muted">'
            + _bt(words["deleted_account"], partner_role=role)
            + "</p>"
        )
    else:
        email = esc(partner.email)
        phone = ""
        if partner.phone and "phone" in partner.communication_methods:
            phone = f' · <a href="tel:{esc(partner.phone)}">{esc(partner.phone)}</a>'
        reach = f'<p class="mb-1"><a href="mailto:{email}">{email}</a>{phone}</p>'
    shared = (
        '<p class="mb-1">'
        + _bt(words["both_like"], shared_ways_words=intro.shared_ways_words)
        + "</p>"
        if intro.shared_ways
        else ""
    )
    if intro.in_person_possible:
        meet = _bt(words["meet_in_person"], place=intro.place)
    else:
        meet = words["meet_online"]
    difference = (
        f'<p class="mb-1 text-muted">{esc(intro.time_difference)}</p>'
        if intro.time_difference
        else ""
    )
    name = partner.display_name
    more = _bt(words["more_about"], display_name=name)
    return f"""      <article class="card match-card mb-4" aria-labelledby="match-{pk}">
        <div class="card-body">
          <p class="text-muted mb-1">{esc(card.match.cycle.name)}{concluded}</p>
          <h3 class="h4" id="match-{pk}">{
        _bt(words["your_partner"], partner_role=role, display_name=name)
    }</h3>
          <div class="row g-3">
            <div class="col-md-6">
              <p class="mb-1">{esc(partner.position_title)}{organization}</p>
              {location}
              {reach}
            </div>
            <div class="col-md-6">
              {shared}
              <p class="mb-1">{meet}</p>
              {difference}
            </div>
          </div>
          <p class="mt-2 mb-0"><a href="{_link("matches:detail", pk)}">{more}</a></p>
        </div>
      </article>"""


def _certificate(card, pk, words) -> str:
    certificate = card.certificate
    if not certificate:
        return ""
    download = _link("certificates:download", pk)
    complete = _bt(words["complete"], role=card.role)
    code = f"<code>{esc(certificate.display_code)}</code>"
    check = f'<a href="{esc(certificate.get_absolute_url())}">{words["check_it"]}</a>'
    anyone_can = words["anyone_can"]
    heading = words["certificate"]
    with_goals = f'<a class="btn btn-primary" href="{download}">'
    with_goals += words["download"] + "</a>"
    without_goals = f'<a class="btn btn-link" href="{download}?goals=0">'
    without_goals += words["without_goals"] + "</a>"
    return f"""
      <section class="card mb-4 border-success" aria-labelledby="certificate-{pk}">
        <div class="card-body">
          <h3 class="h5" id="certificate-{pk}">{heading}</h3>
          <p class="mb-2">{complete} {code}{anyone_can} {check}.</p>
          <p class="mb-0">{with_goals} {without_goals}</p>
        </div>
      </section>
      """


def _goal_sheet(card, pk, words) -> str:
    overdue_label = words["overdue"]
    contract = words["contract"]
    smart_goals = words["smart_goals"]
    heading = words["goal_sheet"]
    sheet = card.goal_sheet
    state = sheet.state
    status = state.status
    css, label = words["sheet_badges"].get(status, words["not_started_badge"])
    badge = f'<span class="badge sheet-status sheet-status-{css}">{label}</span>\n'
    overdue = f'<span class="badge text-bg-danger">{overdue_label}</span>' if state.overdue else ""
    summary = ""
    if status == "agreed":
        agreed = ""
        if sheet.sheet.agreed_at:
            # The template's |date:"F j, Y" (the site's filter: the reader's order).
            day = date_filter(template_localtime(sheet.sheet.agreed_at), "F j, Y")
            agreed = _bt(words["agreed_on"], agreed_at=day)
        summary = f'\n            <p class="mt-2 mb-2">{contract}{agreed}.</p>\n          '
    elif state.due_on:
        due = words["was_due"] if state.overdue else words["due_by"]
        by_whom = words["by_you"] if card.role == "mentee" else words["by_your_mentee"]
        summary = (
            "\n            "
            f'<p class="mt-2 mb-2">{due} <strong>{_day(state.due_on)}</strong>'
            f"{smart_goals} {by_whom}.</p>"
            "\n          "
        )
    goals = ""
    if sheet.goals:
        goals = (
            '\n          <ul class="list-unstyled dashboard-goals mb-2">\n            '
            f"{dashboard_goals(sheet.goals)}\n          </ul>\n          "
        )
    if status == "not_started":
        open_it = words["start_sheet"]
    elif status == "agreed":
        open_it = words["record_progress"]
    elif status == "submitted" and card.role == "mentor":
        open_it = words["review_sheet"]
    elif status == "submitted":
        open_it = words["waiting_sheet"]
    else:
        open_it = words["continue_sheet"]
    return f"""      <section class="card mb-4" aria-labelledby="goals-{pk}">
        <div class="card-body">
          <div class="d-flex flex-wrap align-items-baseline gap-2">
            <h3 class="h5 mb-0" id="goals-{pk}">{heading}</h3>
            {badge}
            {overdue}
          </div>
          {summary}
          {goals}
          <p class="mb-0"><a href="{_link("goals:sheet", pk)}">{open_it}</a></p>
        </div>
      </section>"""


def _activities(card, pk, words) -> str:
    nothing_yet = words["nothing_yet"]
    planned_heading = words["planned"]
    tried_all = words["tried_all"]
    record_label = words["record"]
    heading = words["activities"]
    done_heading = words["done_lately"]
    suggested_heading = words["suggested"]
    log_label = words["log"]
    log_url = _link("activities:log", pk)
    if card.recent:
        recent = f'<ul class="list-unstyled small mb-0">{dashboard_entries(card.recent)}</ul>'
    else:
        recent = f'<p class="small text-muted mb-0">{nothing_yet}</p>'
    planned = ""
    if card.planned:
        planned = (
            f'<h4 class="h6 mt-3">{planned_heading}</h4>'
            f'<ul class="list-unstyled small mb-0">{dashboard_entries(card.planned)}</ul>'
        )
    if card.suggestions:
        suggested = (
            '\n              <ul class="list-unstyled small mb-0">\n                '
            f"{dashboard_suggestions(card.suggestions)}\n              </ul>\n              "
        )
    else:
        suggested = f'<p class="small text-muted mb-0">{tried_all}</p>'
    record = ""
    if card.is_active:
        record = f' · <a href="{_link("activities:log_entry_create", pk)}">{record_label}</a>'
    return f"""      <section class="card mb-4" aria-labelledby="activities-{pk}">
        <div class="card-body">
          <h3 class="h5" id="activities-{pk}">{heading}</h3>
          <div class="row g-3">
            <div class="col-md-6">
              <h4 class="h6">{done_heading}</h4>
              {recent}
              {planned}
            </div>
            <div class="col-md-6">
              <h4 class="h6">{suggested_heading}</h4>
              {suggested}
            </div>
          </div>
          <p class="mt-3 mb-0"><a href="{log_url}">{log_label}</a>{record}</p>
        </div>
      </section>"""


@register.simple_tag
def dashboard_applications(applications) -> str:
    """A program's current applications: a link to each and its status
    (``applications/_status_badge.html``'s badge)."""
    return mark_safe(
        "".join(
            f'{_GOAL_INDENT}<li class="mb-2"><a href="'
            f'{_link("applications:detail", application.pk)}">'
            f"{esc(application.get_role_display())}, {esc(application.cycle.name)}</a><br>"
            f'<span class="badge status-badge status-{esc(application.status)}">'
            f"{esc(application.get_status_display())}</span>\n</li>{_GOAL_INDENT}"
            for application in applications
        )
    )


def _when(entry, language: str | None) -> str:
    """An entry's dates (an event's in its own time zone), escaped: the same few entries
    come up on every participant's page, each written out once a process and language
    from what its words depend on."""
    item = entry.item
    if entry.is_event:
        return _event_when(item.all_day, item.starts_at, item.ends_at, item.time_zone, language)
    return _entry_dates(entry.starts_on, entry.ends_on, language)


@functools.lru_cache(maxsize=1024)
def _event_when(all_day, starts_at, ends_at, time_zone, language) -> str:
    event = Event(all_day=all_day, starts_at=starts_at, ends_at=ends_at, time_zone=time_zone)
    return esc(event_when(event))


@functools.lru_cache(maxsize=1024)
def _entry_dates(starts_on, ends_on, language) -> str:
    return esc(daterange(starts_on, ends_on))


@register.simple_tag
def dashboard_coming_up(entries) -> str:
    """The next entries of a program's timeline, each with its dates (an event's in its
    own time zone)."""
    return mark_safe(
        "".join(
            f'{_GOAL_INDENT}<li class="mb-2"><span class="fw-semibold">{esc(entry.item.title)}'
            '</span><br><span class="text-muted small">'
            f"{_when(entry, get_language())}"
            f"</span></li>{_GOAL_INDENT}"
            for entry in entries
        )
    )
