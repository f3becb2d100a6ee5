from django.contrib.admin.apps import AdminConfig


class CommitteeAdminConfig(AdminConfig):
    """Django's admin, as the committee's workspace: its index is the year's work and its
    sections follow the year (committee/sites.py). It stands in INSTALLED_APPS where
    django.contrib.admin did; a roof app, like portal: nothing imports it."""

    default_site = "committee.sites.CommitteeAdminSite"
