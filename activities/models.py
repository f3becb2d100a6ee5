"""The suggested-activity catalog, the reading list, and each match's activity log.

The catalog (categories, activities, resources) is program content: loaded from the
program's own pages by ``content.py`` and edited by staff in admin. The activity log is
a match's own record of what the partners planned and did.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from applications.models import Interest
from goals.models import Goal
from matches.models import Match
from mentoring.languages import in_any_language, written_in_any_language
from mentoring.limits import PAGE_MAX_LENGTH, PROSE_MAX_LENGTH
from mentoring.models import Milestone, Program

from .citations import apa_citation

# The program phase an activity suits: any milestone kind of the timeline, or any time.
ANY_PHASE = "any"
PHASE_CHOICES = [
    (ANY_PHASE, _("Any time")),
    *[(kind.value, kind.label) for kind in Milestone.Kind if kind != Milestone.Kind.OTHER],
]


class Category(models.Model):
    """A heading of a program's catalog (“Practice interviews”, “Topic discussions”...)."""

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="activity_categories",
        verbose_name=_("program"),
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120)
    description = models.TextField(
        _("description"),
        max_length=PROSE_MAX_LENGTH,
        blank=True,
        help_text=_("A sentence shown under the heading."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    content_key = models.CharField(
        _("content key"),
        max_length=120,
        blank=True,
        editable=False,
        help_text=_(
            "Set for categories loaded from the program's pages, so loading again "
            "finds them whatever staff renamed."
        ),
    )

    class Meta:
        verbose_name = _("category")
        ordering = ["program", "position", "name"]
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "slug"], name="activity_category_slug_unique_in_program"
            ),
            models.UniqueConstraint(
                fields=["program", "content_key"],
                condition=~Q(content_key=""),
                name="activity_category_content_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ActivityQuerySet(models.QuerySet):
    def published(self) -> ActivityQuerySet:
        return self.filter(is_published=True)

    def for_listing(self) -> ActivityQuerySet:
        """With what a list of activities shows: program, category, competency areas."""
        return self.select_related("program", "category").prefetch_related(
            models.Prefetch("competency_areas", queryset=Interest.objects.order_by("position"))
        )

    def discussion_questions(self) -> ActivityQuerySet:
        """The question bank: published activities with a question for the newsletter."""
        return self.published().filter(written_in_any_language("discussion_question"))

    def search(self, text: str) -> ActivityQuerySet:
        """Activities in which every word of ``text`` appears: in the title, summary,
        steps, discussion question, category or a competency area's name, in any of
        the languages they are written in (a Spanish reader finds the English too)."""
        queryset = self
        for word in text.split():
            names_a_competency = Exists(
                Interest.objects.filter(
                    in_any_language("name__icontains", word), activities=OuterRef("pk")
                ).values("pk")
            )
            queryset = queryset.filter(
                in_any_language("title__icontains", word)
                | in_any_language("summary__icontains", word)
                | in_any_language("steps__icontains", word)
                | in_any_language("discussion_question__icontains", word)
                | in_any_language("category__name__icontains", word)
                | names_a_competency
            )
        return queryset


class Activity(models.Model):
    """A suggested activity of a program's catalog, which matches pick from."""

    class TimeNeeded(models.TextChoices):
        UNDER_AN_HOUR = "under_an_hour", _("Under an hour")
        AN_HOUR_OR_TWO = "an_hour_or_two", _("An hour or two")
        A_FEW_HOURS = "a_few_hours", _("A few hours, over a week or two")
        ONGOING = "ongoing", _("A little at a time, over several weeks")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="activities", verbose_name=_("program")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="activities", verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    summary = models.TextField(
        _("summary"),
        max_length=PROSE_MAX_LENGTH,
        help_text=_("What the activity is, in a sentence or two."),
    )
    steps = models.TextField(
        _("how to do it"),
        max_length=PAGE_MAX_LENGTH,
        blank=True,
        help_text=_("One step per line; they are shown numbered in this order."),
    )
    competency_areas = models.ManyToManyField(
        Interest,
        blank=True,
        related_name="activities",
        limit_choices_to={"kind": Interest.Kind.COMPETENCY},
        help_text=_("The program's competency areas this activity develops."),
        verbose_name=_("competency areas"),
    )
    topics = models.ManyToManyField(
        Interest,
        blank=True,
        related_name="topic_activities",
        limit_choices_to={"kind": Interest.Kind.TOPIC},
        help_text=_(
            "Interests applicants choose that this activity speaks to (used to "
            "suggest it to matches who share them)."
        ),
        verbose_name=_("topics"),
    )
    phase = models.CharField(
        _("suits the phase"),
        max_length=20,
        choices=PHASE_CHOICES,
        default=ANY_PHASE,
        help_text=_("The part of the program year it fits best."),
    )
    time_needed = models.CharField(
        _("time needed"),
        max_length=20,
        choices=TimeNeeded.choices,
        default=TimeNeeded.AN_HOUR_OR_TWO,
        help_text=_("A rough idea of the time it takes."),
    )
    discussion_question = models.TextField(
        _("discussion question"),
        max_length=PROSE_MAX_LENGTH,
        blank=True,
        help_text=_(
            "For the newsletter's discussion section: the question put to every "
            "match. Leave empty to keep this activity out of the question bank."
        ),
    )
    resources = models.ManyToManyField(
        "Resource",
        blank=True,
        related_name="activities",
        help_text=_("Reading and recordings that go with the activity."),
        verbose_name=_("resources"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_published = models.BooleanField(
        _("published"),
        default=True,
        help_text=_(
            "Unpublished activities leave the catalog and suggestions; logs that "
            "mention them keep them. Unpublish rather than delete a loaded activity: a "
            "deleted one comes back the next time the program content is loaded."
        ),
    )
    content_key = models.CharField(_("content key"), max_length=120, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        ordering = ["program", "category__position", "position", "title"]
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "slug"], name="activity_slug_unique_in_program"
            ),
            models.UniqueConstraint(
                fields=["program", "content_key"],
                condition=~Q(content_key=""),
                name="activity_content_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return _activity_url(
            self.program.slug, self.slug, get_urlconf(settings.ROOT_URLCONF), get_script_prefix()
        )

    def clean(self) -> None:
        if self.category_id and self.program_id and self.category.program_id != self.program_id:
            raise ValidationError(
                {
                    "category": gettext("Choose a category of the %(program)s catalog.")
                    % {"program": self.program.short_name}
                }
            )

    @property
    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]

    @property
    def suits_any_phase(self) -> bool:
        return self.phase == ANY_PHASE


@functools.lru_cache(maxsize=2048)
def _activity_url(program_slug: str, slug: str, urlconf: str, prefix: str) -> str:
    """An activity's page, reversed once a process for each URL configuration and script
    prefix (the request's, else the site's): the log and its suggestions link a dozen
    activities a page, each reverse costing more than the rest of its row."""
    return reverse(
        "activities:activity_detail",
        urlconf=urlconf,
        kwargs={"program_slug": program_slug, "slug": slug},
    )


class Resource(models.Model):
    """A reading-list entry: an article, book, webinar or recording, as a citation."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Journal article")
        JOURNAL_ISSUE = "journal_issue", _("Journal issue")
        BOOK = "book", _("Book")
        CHAPTER = "chapter", _("Book chapter")
        WEBINAR = "webinar", _("Webinar")
        RECORDING = "recording", _("Recording")
        WEB_PAGE = "web_page", _("Web page or blog post")

    program = models.ForeignKey(
        Program,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="resources",
        help_text=_("Leave empty for reading that suits every program."),
        verbose_name=_("program"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ARTICLE)
    authors = models.TextField(
        _("authors"),
        max_length=PROSE_MAX_LENGTH,
        blank=True,
        help_text=_(
            "One per line, family name first: “Hussey, L. K.”. For a webinar, the "
            "presenters; for an edited issue, the editors."
        ),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, help_text=_("Empty: no date.")
    )
    title = models.CharField(
        _("title"),
        max_length=300,
        blank=True,
        help_text=_(
            "In sentence case, as APA style writes it. May be empty for a whole "
            "journal issue that has no title of its own."
        ),
    )
    publication = models.CharField(
        _("publication"),
        max_length=200,
        blank=True,
        help_text=_("The journal, or the book a chapter is in, or the site a web page is on."),
    )
    volume = models.CharField(_("volume"), max_length=20, blank=True)
    issue = models.CharField(_("issue"), max_length=20, blank=True)
    pages = models.CharField(_("pages"), max_length=30, blank=True, help_text=_("As “500–516”."))
    publisher = models.CharField(
        _("publisher"),
        max_length=200,
        blank=True,
        help_text=_("For books, webinars and recordings."),
    )
    url = models.URLField(_("link"), max_length=500, blank=True, help_text=_("A DOI link if any."))
    note = models.TextField(
        _("note"),
        max_length=PROSE_MAX_LENGTH,
        blank=True,
        help_text=_("Why it is worth reading, for the list."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Spanish: “publicado”, as a recurso (an activity is “publicada”).
    is_published = models.BooleanField(pgettext_lazy("resource", "published"), default=True)
    content_key = models.CharField(_("content key"), max_length=120, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["authors", "year", "title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_key"],
                condition=~Q(content_key=""),
                name="resource_content_key_unique",
            ),
        ]

    def __str__(self) -> str:
        first_author = self.author_list[0].split(",")[0] if self.author_list else ""
        label = self.title or self.publication
        return f"{first_author} ({self.year or 'n.d.'}). {label}" if first_author else label

    def clean(self) -> None:
        if not self.title and not self.publication:
            raise ValidationError(
                {"title": gettext("Give a title, or the journal of a whole issue.")}
            )

    @property
    def group(self) -> str:
        """The heading the reading list shows it under."""
        return RESOURCE_GROUPS[self.kind][1]

    @property
    def sort_key(self) -> tuple:
        """Reference-list order (APA): by the first author's name, or the title when
        there is no author, then by year."""
        lead = self.author_list[0] if self.author_list else (self.title or self.publication)
        return (RESOURCE_GROUPS[self.kind][0], lead.casefold(), self.year or 0, self.pk or 0)

    @property
    def author_list(self) -> list[str]:
        return [line.strip() for line in self.authors.splitlines() if line.strip()]

    @property
    def citation(self) -> str:
        """The reference in APA style (7th edition), as safe HTML with italics."""
        return apa_citation(self)


# The reading list's headings, in order, for each kind of resource.
RESOURCE_GROUPS = {
    Resource.Kind.ARTICLE: (1, "Articles"),
    Resource.Kind.JOURNAL_ISSUE: (1, "Articles"),
    Resource.Kind.BOOK: (2, "Books"),
    Resource.Kind.CHAPTER: (2, "Books"),
    Resource.Kind.WEBINAR: (3, "Webinars and recordings"),
    Resource.Kind.RECORDING: (3, "Webinars and recordings"),
    Resource.Kind.WEB_PAGE: (4, "On the web"),
}


class ActivityLogEntryQuerySet(models.QuerySet):
    def for_listing(self) -> ActivityLogEntryQuerySet:
        return self.select_related("activity__program", "recorded_by").prefetch_related(
            models.Prefetch("goals", queryset=Goal.objects.order_by("position", "id"))
        )

    def done(self) -> ActivityLogEntryQuerySet:
        return self.filter(status=ActivityLogEntry.Status.DONE)

    def planned(self) -> ActivityLogEntryQuerySet:
        return self.filter(status=ActivityLogEntry.Status.PLANNED)


class ActivityLogEntry(models.Model):
    """One activity in a match's log: picked from the catalog or their own, planned or
    done, on a day inside the program, and the goals of their sheet it served."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")

    match = models.ForeignKey(
        Match, on_delete=models.CASCADE, related_name="activity_log", verbose_name=_("match")
    )
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="log_entries",
        help_text=_("The catalog activity, if they picked one."),
        verbose_name=_("activity"),
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DONE
    )
    on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), max_length=PROSE_MAX_LENGTH, blank=True)
    goals = models.ManyToManyField(
        Goal, blank=True, related_name="activity_log_entries", verbose_name=_("goals")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="activity_log_entries",
        verbose_name=_("recorded by"),
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who marked it done, when that was the partner of whoever planned it."),
        verbose_name=_("completed by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ActivityLogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["match", "-on", "-id"]
        verbose_name = _("activity log entry")
        verbose_name_plural = _("activity log entries")
        indexes = [models.Index(fields=["match", "status", "on"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display().lower()} {self.on:%Y-%m-%d})"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE
