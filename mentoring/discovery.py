"""Per-app modules found by Django's own autodiscovery (as the admin finds each app's
``admin.py``): ``privacy.py``, ``content.py``, ``demo.py``. An app fills these for the
core, which calls them without importing any app above it."""

from __future__ import annotations

import sys
from types import ModuleType

from django.apps import AppConfig, apps
from django.utils.module_loading import autodiscover_modules


def app_modules(name: str) -> list[tuple[AppConfig, ModuleType]]:
    """Each installed app's ``<app>.<name>`` module, in INSTALLED_APPS order (so an app
    comes after those it depends on)."""
    autodiscover_modules(name)
    found = [
        (config, sys.modules.get(f"{config.name}.{name}")) for config in apps.get_app_configs()
    ]
    return [(config, module) for config, module in found if module is not None]
