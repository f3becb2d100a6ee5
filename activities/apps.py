from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "activities"

    def ready(self) -> None:
        from applications.models import Interest
        from mentoring import content_cache

        from .models import Activity, Category
        from .selectors import CATALOG, CATALOG_FILTERS

        # Staff changing an activity, a category or an interest's name: the shared copy
        # of the catalog the suggestions read is dropped.
        content_cache.connect_signals(CATALOG, [Activity, Category, Interest])
        # ... and of the categories the catalog's filters offer.
        content_cache.connect_signals(CATALOG_FILTERS, [Category])
