"""Certificates in the committee's workspace: who has one, and withholding one with a
reason (clearing the reason gives it back). Issued only by the conclusion, never here."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from mentoring.admin import cycle_filter

from . import services
from .models import Certificate


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "cycle", "display_code", "issued_at", "withheld"]
    list_filter = [cycle_filter("match__cycle"), "application__role"]
    list_select_related = ["application", "match__cycle__program"]
    search_fields = ["application__full_name", "application__email", "code"]
    fields = ["person", "role", "cycle", "display_code", "issued_at", "withheld_reason"]
    readonly_fields = ["person", "role", "cycle", "display_code", "issued_at"]

    @admin.display(description=_("Person"), ordering="application__full_name")
    def person(self, certificate: Certificate) -> str:
        return certificate.application.full_name

    @admin.display(description=_("Role"), ordering="application__role")
    def role(self, certificate: Certificate) -> str:
        return certificate.application.get_role_display()

    @admin.display(description=_("Cycle"), ordering="match__cycle")
    def cycle(self, certificate: Certificate) -> str:
        return str(certificate.match.cycle)

    @admin.display(description=_("Withheld"), boolean=True)
    def withheld(self, certificate: Certificate) -> bool:
        return certificate.is_withheld

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        if obj.withheld_reason.strip():
            services.certificate_withhold(
                certificate=obj, reason=obj.withheld_reason, by=request.user
            )
        else:
            services.certificate_release(certificate=obj)
