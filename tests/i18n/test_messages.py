"""The messages of the services, forms and admin pages (not of templates) read in the
language of whoever sees them: a refusal, a broken rule, a survey's error."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from applications.models import Application
from applications.selectors import export_rows
from evaluation.forms import question_field
from evaluation.models import Question
from goals.conflicts import FIELDS
from matches.board import run_text
from matches.models import MatchingRun
from matches.services import SAVING
from mentoring import services
from mentoring.models import User
from newsletter.admin_messages import _source
from newsletter.models import GroupMessage
from tests.factories import ApplicationFactory, CycleFactory, UserFactory, verified_user

pytestmark = pytest.mark.django_db


def test_a_spanish_staff_member_is_refused_account_deletion_in_spanish(client):
    client.force_login(verified_user(is_staff=True, language="es"))

    page = client.get(reverse("my_account_delete")).content.decode()

    assert "Las cuentas del personal del comité no se pueden eliminar aquí" in page
    assert "Committee staff accounts" not in page


def test_a_service_s_broken_rule_reads_in_the_active_language():
    cycle = CycleFactory()

    with translation.override("es"), pytest.raises(ValidationError) as refused:
        services.cycle_copy(cycle=cycle, year=cycle.applications_open_on.year)

    assert "ya comienza en" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("language", "label", "required", "out_of_scale"),
    [
        ("en", "(optional)", "Choose a number from 1 to 5.", "“9” is not on the scale."),
        ("es", "(opcional)", "Elija un número del 1 al 5.", "«9» no está en la escala."),
    ],
)
def test_a_survey_question_s_label_and_errors_follow_the_language(
    language, label, required, out_of_scale
):
    question = Question(kind=Question.Kind.SCALE, text="Confident?", required=False)

    with translation.override(language):
        field = question_field(question)
        with pytest.raises(forms.ValidationError) as wrong:
            field.clean("9")
        assert str(field.label).endswith(label)
        assert str(field.error_messages["required"]) == required
        assert out_of_scale in wrong.value.messages[0]


# A month or weekday name through strftime (“%B”, “%b”, “%A”) speaks the server's
# locale, whatever the reader's language; mentoring/dates.py says it in theirs.
STRFTIME_NAMES = re.compile(r"""(strftime\(\s*["'][^"']*%[aAbB]|\{[^{}]*:[^{}]*%[aAbB][^{}]*\})""")


def test_no_month_or_weekday_name_comes_from_strftime():
    root = Path(settings.BASE_DIR)
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for app in ("activities", "applications", "certificates", "committee", "evaluation")
        + ("goals", "matches", "mentoring", "newsletter", "portal")
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts and path != root / "mentoring" / "dates.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if STRFTIME_NAMES.search(line)
    ]
    assert STRFTIME_NAMES.search('f"{day:%B %Y}"') and STRFTIME_NAMES.search('strftime("%b")')
    assert not offenders, f"Use mentoring.dates (long_date, month_day, month_year): {offenders}"


def test_a_group_message_s_source_reads_in_the_staff_member_s_language(rf):
    request = rf.get("/", {"q": "Rosa", "cycle": "3"})

    with translation.override("es"):
        source = _source(User.objects.none(), request, 2)
        message = str(GroupMessage(source=source))

    assert source == "2 personas (cycle: 3, búsqueda «Rosa»)"
    assert message == "Mensaje a 2 personas (cycle: 3, búsqueda «Rosa»)"


@pytest.mark.parametrize(
    ("model", "field", "spanish"),
    [
        ("mentoring.User", "is_active", "cuenta activa"),
        ("goals.ExampleGoal", "is_active", "activa"),
        ("applications.Interest", "is_active", "activo"),
        ("activities.Resource", "is_published", "publicado"),
        ("activities.Activity", "is_published", "publicada"),
    ],
)
def test_a_field_s_spanish_label_says_what_it_is_of(model, field, spanish):
    """One English label (“is active”) said of different things reads in Spanish as each
    thing takes it, not as a catch-all “activo/a”."""
    label = apps.get_model(model)._meta.get_field(field).verbose_name

    with translation.override("es"):
        assert str(label) == spanish


def test_the_catalogue_keeps_the_glossary_s_words():
    """locale/GLOSSARY.md: a goal is a «meta», never an «objetivo»; to apply is
    «postularse», never «aplicar»; a mentee is never an «aprendiz»."""
    catalogue = (Path(settings.BASE_DIR) / "locale/es/LC_MESSAGES/django.po").read_text("utf-8")
    entries = re.findall(r'\nmsgid "(.*)"\nmsgstr "(.*)"', catalogue)
    assert len(entries) > 1000
    wrong = [
        (english, spanish)
        for english, spanish in entries
        if (re.search(r"\bgoals?\b", english, re.I) and re.search(r"objetivo", spanish, re.I))
        or re.search(r"\baplica(r|ndo)\b|\baprendiz", spanish, re.I)
    ]
    assert not wrong


def test_the_matching_board_says_a_run_in_the_reader_s_language():
    run_at = dt.datetime(2026, 3, 2, 15, 30, tzinfo=dt.UTC)
    done = MatchingRun(
        state=MatchingRun.State.DONE,
        run_at=run_at,
        mentees=12,
        mentors=5,
        places=14,
        proposed=11,
        kept=1,
        unmatched=1,
        seconds=0.4,
    )
    running = MatchingRun(
        state=MatchingRun.State.RUNNING, run_at=run_at, started_at=run_at, step=SAVING
    )

    with translation.override("es"):
        said = run_text(done, dt.UTC)
        going = run_text(running, dt.UTC)

    assert said == (
        "Última ejecución el 2 de marzo de 2026, 15:30: 12 mentorados/as aceptados/as, "
        "5 mentores (14 lugares); 11 parejas propuestas, 1 conservadas, 1 mentorado/a sin "
        "pareja, en 0,4 s."
    )
    assert "Guardando las propuestas" in going
    with translation.override("en"):
        assert run_text(done, dt.UTC).startswith("Last run March 2, 2026, 3:30 PM: 12 accepted")


def test_an_admin_page_s_own_title_is_in_the_staff_member_s_language(client):
    client.force_login(verified_user(is_staff=True, is_superuser=True, language="es"))

    page = client.get(reverse("admin:evaluation_programhealth_changelist")).content.decode()

    assert "Estado del programa: elija un ciclo" in page
    assert "Program health: choose a cycle" not in page


def test_a_goal_sheet_conflict_names_its_fields_in_the_reader_s_language():
    with translation.override("es"):
        labels = [str(label) for _name, label in FIELDS]

    assert labels[0] == "Título" and labels[-2:] == ["Fecha prevista", "Áreas de competencia"]


def test_the_applications_export_is_in_the_language_of_the_staff_member_downloading():
    ApplicationFactory(role="mentee", in_person_ok=True, funding_requested=False)
    staff = UserFactory(is_staff=True, is_superuser=True)

    with translation.override("es"):
        header, row = export_rows(Application.objects.all(), viewer=staff)

    values = dict(zip(header, row, strict=True))
    assert values["Se reúne en persona"] == "sí" and values["Ayuda solicitada"] == "no"
    assert values["Rol"] == "Mentorado/a"


def test_a_goal_s_broken_rules_read_in_the_reader_s_language():
    from goals.validation import goal_errors

    cycle = CycleFactory()
    after = cycle.ends_on + dt.timedelta(days=1)

    with translation.override("es"):
        errors = goal_errors(title=" ", parts={}, target_date=after, cycle=cycle, complete=True)
        shown = {name: str(message) for name, message in errors.items()}

    assert shown["title"] == "Dé a la meta un título breve."
    assert shown["measurable"] == "Diga cómo sabrá que lo logró (medible)."
    assert shown["target_date"].startswith("Elija una fecha dentro del programa: del ")


def test_what_an_application_still_misses_reads_in_the_applicant_s_language():
    from applications import services as applications

    application = ApplicationFactory.build(
        full_name="", hopes="Storytime, please.", cycle=CycleFactory()
    )

    with translation.override("es"):
        errors = applications.missing_answers(application, interests=[])
        shown = {name: [str(m) for m in messages] for name, messages in errors.items()}

    assert shown["full_name"] == ["Escriba su nombre completo."]
    assert shown["interests"] == ["Elija al menos un área de interés."]
    assert shown["hopes"] == [
        "Escriba un poco más sobre lo que espera obtener: al menos 20 palabras (escribió 2)."
    ]


def test_a_newsletter_issue_s_status_reads_in_the_staff_member_s_language():
    from django.contrib import admin as django_admin
    from django.utils import timezone

    from newsletter.models import NewsletterIssue
    from tests.factories.newsletter import NewsletterIssueFactory

    issue = NewsletterIssueFactory(
        status=NewsletterIssue.Status.SCHEDULED, send_at=timezone.now() + dt.timedelta(days=2)
    )
    issue_admin = django_admin.site._registry[NewsletterIssue]

    with translation.override("es"):
        listed = issue_admin.status_display(issue)
        summary = issue_admin.status_summary(issue)

    assert listed.startswith("Programado para el ")
    assert summary.startswith("Programado para enviarse el ")


def test_a_sent_issue_s_deliveries_read_in_the_staff_member_s_language_with_their_links():
    from django.contrib import admin as django_admin

    from newsletter.models import NewsletterIssue
    from tests.factories.newsletter import NewsletterIssueFactory

    issue = NewsletterIssueFactory(status=NewsletterIssue.Status.SENT)
    issue.delivered, issue.failed, issue.pending = 3, 1, 0
    issue_admin = django_admin.site._registry[NewsletterIssue]

    with translation.override("es"):
        shown = issue_admin.deliveries(issue)

    report = reverse("admin:newsletter_newsletterissue_report", args=[issue.pk])
    assert shown == (
        f'<a href="{report}?status=delivered">3</a> entregados, '
        f'<a href="{report}?status=failed">1</a> fallidos, '
        f'<a href="{report}?status=pending">0</a> pendientes'
    )


def test_a_day_is_written_in_each_readers_language_however_often_it_is_asked():
    from django.utils.formats import date_format

    from mentoring.dates import long_date, month_day, month_year

    days = [dt.date(2027, 1, 1) + dt.timedelta(days=n * 37) for n in range(12)]
    for _ in range(2):  # worked out, then read back
        for language in ("en", "es", "en"):
            with translation.override(language):
                for day in days:
                    assert long_date(day) == date_format(day, "DATE_FORMAT")
                    assert month_day(day) == date_format(day, "MONTH_DAY_FORMAT")
                    assert month_year(day) == date_format(day, "YEAR_MONTH_FORMAT")
    with translation.override("es"):
        assert long_date(dt.date(2027, 3, 15)) == "15 de marzo de 2027"
    with translation.override("en"):
        assert long_date(dt.date(2027, 3, 15)) == "March 15, 2027"
