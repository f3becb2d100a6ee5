"""The demo's last step, run by ``manage.py seed_demo`` after every app's own: what ties
the apps together and none of them can do alone. Last year's demo cycle (built by the
evaluation's demo, after the newsletter's) gets the newsletter issues its deliveries
stand for, so its partners find them in their archive. Idempotent."""

from __future__ import annotations

from collections.abc import Callable

from mentoring.models import Cycle
from newsletter import demo as newsletter_demo


def seed(*, log: Callable[[str], object] = print) -> None:
    for cycle in Cycle.objects.select_related("program").order_by("starts_on"):
        if cycle.is_finished:
            newsletter_demo.past_issues(cycle, log=log)
