"""The goal sheet page's goals, each written out in Python.

A goal's card (its SMART parts, its final outcome, its latest and earlier check-ins, the
link to add one) took the template more than half of the page's rendering, three goals
over. The markup is character for character what the template wrote (it still writes
the rest of the page), with the same messages; the goals come from
``selectors.goal_sheet_summary``."""

from __future__ import annotations

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from matches.models import Match
from mentoring.templatetags.dates import date

from .models import CheckIn, Goal, GoalSheet

DAY = "F j, Y"
DASH = "—"


def goal_cards(
    goals: list[Goal], *, match: Match, sheet: GoalSheet, can_check_in: bool
) -> list[SafeString]:
    """Each current goal's card, in the sheet's order."""
    # The words every card repeats, translated once (escaped, as {% translate %} is).
    words = {
        "specific": escape(gettext("Specific")),
        "measurable": escape(gettext("Measurable")),
        "achievable": escape(gettext("Achievable")),
        "relevant": escape(gettext("Relevant")),
        "time_bound": escape(gettext("Time-bound")),
        "areas": escape(gettext("Competency areas")),
        "progress": escape(gettext("Progress")),
        "no_check_in": escape(gettext("No check-in yet.")),
        "not_yet": escape(gettext("Check-ins start once the sheet is agreed.")),
        "add": escape(gettext("Add a check-in")),
    }
    # The check-in link reversed once a page, each goal's id put in its place; the
    # statuses' labels translated once a page, not once a check-in.
    words["check_in_url"] = (
        reverse("goals:check_in", args=[match.pk, _NO_GOAL]).split(f"/{_NO_GOAL}/")
        if can_check_in
        else ""
    )
    words["statuses"] = {value: str(label) for value, label in CheckIn.Status.choices}
    return [
        _card(goal, match=match, sheet=sheet, can_check_in=can_check_in, words=words)
        for goal in goals
    ]


# A goal id no goal has, reversed in the check-in link's place.
_NO_GOAL = 2_147_483_647


def _text(value: str) -> str:
    return linebreaksbr(value) or DASH


def _check_in(check_in: CheckIn, statuses: dict[str, str]) -> str:
    """The badge, the day and the author, as the template wrote them (a newline after
    the badge, the end of the include it came from)."""
    author = check_in.author.get_short_name() if check_in.author else ""
    return (
        f'<span class="badge check-in-status check-in-{escape(check_in.status)}">'
        f"{escape(statuses.get(check_in.status, check_in.status))}</span>\n"
        f' <span class="text-muted">{escape(date(check_in.on, DAY))}, '
        f"{escape(author or 'a former participant')}</span>"
    )


def _card(
    goal: Goal, *, match: Match, sheet: GoalSheet, can_check_in: bool, words: dict
) -> SafeString:
    pk = goal.pk
    title = escape(goal.title)
    number = gettext("Goal %(position)s.") % {"position": escape(goal.position)}
    if goal.target_date:
        by = gettext("By %(target_date)s") % {"target_date": escape(date(goal.target_date, DAY))}
    else:
        by = DASH
    areas = list(goal.competency_areas.all())
    areas_row = (
        f'<dt class="col-sm-3">{words["areas"]}</dt><dd class="col-sm-9">'
        f"{', '.join(escape(str(area)) for area in areas)}</dd>"
        if areas
        else ""
    )
    outcome = ""
    if goal.final_outcome:
        heading = gettext("Final outcome: %(final_outcome_display)s") % {
            "final_outcome_display": escape(goal.get_final_outcome_display())
        }
        outcome = (
            '\n      <div class="final-outcome mt-3">\n'
            f'        <h4 class="h6 mb-1">{heading}</h4>\n'
            f'        <p class="mb-0">{linebreaksbr(goal.reflection)}</p>\n'
            "      </div>\n      "
        )
    latest = goal.latest_check_in
    if latest:
        note = f'<p class="mb-1">{linebreaksbr(latest.note)}</p>' if latest.note else ""
        earlier = ""
        if len(goal.check_in_list) > 1:
            summary = gettext("Earlier check-ins (%(check_in_list)s)") % {
                "check_in_list": len(goal.check_in_list) - 1
            }
            items = "".join(
                f'\n              <li class="mb-2">{_check_in(c, words["statuses"])}'
                f"{'<br>' + linebreaksbr(c.note) if c.note else ''}</li>\n              "
                for c in goal.check_in_list[1:]
            )
            earlier = (
                '\n          <details class="mt-2">\n'
                f"            <summary>{summary}</summary>\n"
                '            <ul class="list-unstyled mt-2 mb-0 check-in-list">\n'
                f"              {items}\n"
                "            </ul>\n"
                "          </details>\n          "
            )
        progress = (
            f'\n          <p class="mb-1">{_check_in(latest, words["statuses"])}</p>\n'
            f"          {note}\n"
            f"          {earlier}\n        "
        )
    elif sheet.agreed_revision:
        progress = f'\n          <p class="mb-1 text-muted">{words["no_check_in"]}</p>\n        '
    else:
        progress = f'\n          <p class="mb-1 text-muted">{words["not_yet"]}</p>\n        '
    add = ""
    if can_check_in:
        head, tail = words["check_in_url"]
        url = f"{head}/{pk}/{tail}"
        on = gettext("on “%(title)s”") % {"title": title}
        add = (
            f'<a class="btn btn-sm btn-outline-primary mt-2" href="{url}">{words["add"]}'
            f'<span class="visually-hidden"> {on}</span></a>'
        )
    # Every value above is escaped, or the site's own markup.
    return mark_safe(
        f'\n  <article class="card goal-card mb-3" id="goal-{pk}" '
        f'aria-labelledby="goal-{pk}-title">\n'
        '    <div class="card-body">\n'
        f'      <h3 class="h5" id="goal-{pk}-title"><span class="goal-number">{number}</span> '
        f"{title}</h3>\n"
        "      \n"
        '<dl class="smart row mb-0">\n'
        f'  <dt class="col-sm-3">{words["specific"]}</dt><dd class="col-sm-9">'
        f"{_text(goal.specific)}</dd>\n"
        f'  <dt class="col-sm-3">{words["measurable"]}</dt><dd class="col-sm-9">'
        f"{_text(goal.measurable)}</dd>\n"
        f'  <dt class="col-sm-3">{words["achievable"]}</dt><dd class="col-sm-9">'
        f"{_text(goal.achievable)}</dd>\n"
        f'  <dt class="col-sm-3">{words["relevant"]}</dt><dd class="col-sm-9">'
        f"{_text(goal.relevant)}</dd>\n"
        f'  <dt class="col-sm-3">{words["time_bound"]}</dt><dd class="col-sm-9">{by}</dd>\n'
        f"  {areas_row}\n"
        "</dl>\n"
        "\n"
        "\n"
        f"      {outcome}\n"
        "\n"
        '      <div class="progress-block mt-3">\n'
        f'        <h4 class="h6">{words["progress"]}</h4>\n'
        "        \n"
        f"        {progress}\n"
        "        \n"
        f"        {add}\n"
        "      </div>\n"
        "    </div>\n"
        "  </article>\n"
        "  "
    )
