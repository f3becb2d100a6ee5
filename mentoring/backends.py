"""Django's ModelBackend, asking for a person's permissions in one query.

The admin checks permissions on every page (its navigation lists each model a person may
open); the stock backend reads the person's own permissions and their groups' in two
queries. Here both come in one, with the same result and the same per-request memo; and
whether a person may open an app at all is a look-up in the set of their apps, not a
walk through every permission they hold for each of the thirty models listed.

The person behind a signed-in session is read with SQL written out, on every request:
composed by the ORM, that one-row read cost more than the database took to answer it."""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connections, router

from mentoring import sql


class ModelBackendInOneQuery(ModelBackend):
    # Its answers come from the person's permissions alone, as ModelBackend's do (the
    # user model asks no backend about a permission the person does not hold).
    answers_from_permissions_alone = True

    def get_user(self, user_id):
        # ModelBackend.get_user, the row read without the ORM composing its query.
        people = get_user_model()
        try:
            pk = people._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        statement, fields = _person_sql()
        rows = sql.read(statement, [pk], fields)
        if not rows:
            return None
        user = sql.instance(people, fields, rows[0])
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                granted = Permission.objects.all()
                rows = granted.values_list("content_type__app_label", "codename").order_by()
            else:
                rows = _granted_rows(user_obj)
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in rows}
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


def _granted_rows(user) -> list[tuple[str, str]]:
    """(app label, codename) of each permission ``user`` holds, their own or through a
    group. Written out: the queryset saying the same (two joins through many-to-many
    tables) took twice as long to build as the database took to answer, on every admin
    page; and the permissions are found by their ids in two small lookups rather than
    by joining every permission to every group and person. Portable SQL."""
    connection = connections[router.db_for_read(Permission)]
    q = connection.ops.quote_name

    def through(model, name: str):
        field = model._meta.get_field(name)
        table = field.remote_field.through._meta
        own = table.get_field(field.m2m_field_name()).column
        other = table.get_field(field.m2m_reverse_field_name()).column
        return q(table.db_table), q(own), q(other)

    own, own_user, own_permission = through(type(user), "user_permissions")
    member, member_user, member_group = through(type(user), "groups")
    held, held_group, held_permission = through(Group, "permissions")
    permission, content_type = Permission._meta, ContentType._meta
    sql = (
        f"SELECT c.{q('app_label')}, p.{q('codename')} FROM {q(permission.db_table)} p "
        f"INNER JOIN {q(content_type.db_table)} c "
        f"ON p.{q(permission.get_field('content_type').column)} = c.{q(content_type.pk.column)} "
        f"WHERE p.{q(permission.pk.column)} IN "
        f"(SELECT {own_permission} FROM {own} WHERE {own_user} = %s) "
        f"OR p.{q(permission.pk.column)} IN (SELECT g.{held_permission} FROM {held} g "
        f"INNER JOIN {member} m ON g.{held_group} = m.{member_group} WHERE m.{member_user} = %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, user.pk])
        return cursor.fetchall()


@functools.cache
def _person_sql() -> tuple[str, list]:
    """The query reading one person by id, every column, and its fields in order."""
    people = get_user_model()
    fields = sql.model_fields(people)
    return (
        f"SELECT {sql.columns(fields)} FROM {sql.table(people)} "
        f"WHERE {sql.column(people, people._meta.pk.name)} = %s",
        fields,
    )
