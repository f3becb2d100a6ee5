"""The catalog's activity cards, each written out in Python.

The template's card (a link, the summary, when it suits and how long it takes, the
competency areas) was more than half of the catalog page's time, thirty times over. The
markup is character for character what the template wrote, with the same messages; the
activities are the shared catalog's (read-only), so the cards come back beside them."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .models import Activity


def with_cards(activities: Iterable[Activity]) -> list[tuple[Activity, SafeString]]:
    """Each activity beside its card."""
    # The words every card repeats, translated once (escaped, as {{ }} escapes them).
    words = {
        "best_time": escape(gettext("Best time:")),
        "any_time": escape(gettext("any time")),
        "takes": escape(gettext("Takes:")),
        "areas": escape(gettext("Competency areas")),
    }
    # Each choice's label, as get_phase_display() and get_time_needed_display() say it,
    # written once a page rather than looked up among the choices for every card.
    for name in ("phase", "time_needed"):
        for value, label in Activity._meta.get_field(name).flatchoices:
            words[f"{name}:{value}"] = escape(str(label).lower())
    links = _Links()
    return [(activity, _card(activity, words, links)) for activity in activities]


# A slug no activity has, reversed in its place and then swapped for each activity's.
_NO_SLUG = "no-such-activity"


class _Links:
    """Each activity's page (``get_absolute_url``) from one reverse per program, not one
    per card."""

    def __init__(self) -> None:
        self._parts: dict[str, tuple[str, str]] = {}

    def of(self, activity: Activity) -> str:
        program = activity.program.slug
        parts = self._parts.get(program)
        if parts is None:
            url = reverse(
                "activities:activity_detail", kwargs={"program_slug": program, "slug": _NO_SLUG}
            )
            head, tail = url.rsplit(f"/{_NO_SLUG}/", 1)
            parts = self._parts[program] = (head, tail)
        return f"{parts[0]}/{activity.slug}/{parts[1]}"


def _label(words: dict[str, str], name: str, value) -> str:
    """The choice's label as written once a page; a value among no choices, as itself
    (as Django's get_FOO_display says it)."""
    label = words.get(f"{name}:{value}")
    return label if label is not None else escape(str(value).lower())


def _card(activity: Activity, words: dict[str, str], links: _Links) -> SafeString:
    pk = activity.pk
    if activity.suits_any_phase:
        phase = words["any_time"]
    else:
        phase = _label(words, "phase", activity.phase)
    takes = _label(words, "time_needed", activity.time_needed)
    # The shared catalog's activities carry their areas as a list (suggestions.py).
    kept = getattr(activity, "areas_and_topics", None)
    areas = kept[0] if kept is not None else list(activity.competency_areas.all())
    badges = ""
    if areas:
        items = "".join(
            f'<li class="list-inline-item"><span class="badge competency-badge">{escape(area.name)}'
            "</span></li>"
            for area in areas
        )
        badges = (
            f'\n          <ul class="list-inline mb-0" aria-label="{words["areas"]}">\n'
            f"            {items}\n"
            "          </ul>\n          "
        )
    link = f'<a href="{escape(links.of(activity))}">{escape(activity.title)}</a>'
    # Every value above is escaped, or the site's own markup.
    return mark_safe(
        f'<article class="card activity-card mb-3" aria-labelledby="activity-{pk}">\n'
        '        <div class="card-body">\n'
        f'          <h4 class="h5 card-title" id="activity-{pk}">{link}</h4>\n'
        f'          <p class="card-text mb-2">{escape(activity.summary)}</p>\n'
        f'          <p class="activity-facts small mb-1"><span class="text-muted">'
        f'{words["best_time"]}</span> {phase} · <span class="text-muted">{words["takes"]}'
        f"</span> {takes}</p>\n"
        f"          {badges}\n"
        "        </div>\n"
        "      </article>"
    )
