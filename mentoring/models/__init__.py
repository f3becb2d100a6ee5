"""The program core's models: people, programs and cycles (``core``), the year's
milestones and events (``calendar``), and the email outbox with spent form tokens
(``deliveries``)."""

from .calendar import Event, Milestone
from .core import (
    DEFAULT_DAYS_WITHOUT_MEETING,
    OUTCOMES_GRACE_DAYS,
    Committee,
    Cycle,
    CycleQuerySet,
    Program,
    ProgramObjective,
    User,
    UserManager,
    validate_time_zone,
)
from .deliveries import Delivery, DeliveryQuerySet, SpentFormToken, new_message_id

__all__ = [
    "DEFAULT_DAYS_WITHOUT_MEETING",
    "OUTCOMES_GRACE_DAYS",
    "Committee",
    "Cycle",
    "CycleQuerySet",
    "Delivery",
    "DeliveryQuerySet",
    "Event",
    "Milestone",
    "Program",
    "ProgramObjective",
    "SpentFormToken",
    "User",
    "UserManager",
    "new_message_id",
    "validate_time_zone",
]
