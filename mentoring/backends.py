"""Django's ModelBackend, asking for a person's permissions in one query.

The admin checks permissions on every page (its navigation lists each model a person may
open); the stock backend reads the person's own permissions and their groups' in two
queries. Here both come in one, with the same result and the same per-request memo; and
whether a person may open an app at all is a look-up in the set of their apps, not a
walk through every permission they hold for each of the thirty models listed."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class ModelBackendInOneQuery(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                granted = Permission.objects.all()
            else:
                granted = Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj))
            rows = granted.values_list("content_type__app_label", "codename").order_by()
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in rows.distinct()}
        return user_obj._perm_cache

    def has_module_perms(self, user_obj, app_label):
        if not user_obj.is_active:
            return False
        granted = self.get_all_permissions(user_obj)
        memo = getattr(user_obj, "_perm_apps_cache", None)
        if memo is None or memo[0] is not granted:  # made for this set of permissions
            memo = (granted, {perm.partition(".")[0] for perm in granted})
            user_obj._perm_apps_cache = memo
        return app_label in memo[1]
