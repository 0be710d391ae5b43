"""Append-only rows (打刻, 監査証跡): written once through the ORM, never updated or deleted.

A programming error, not a user's: `AppendOnlyViolation` is a `RuntimeError`, never answered as a domain error.
The database refuses the same on PostgreSQL where a table needs it (the audit chain's triggers).
"""

from django.db import models


class AppendOnlyViolation(RuntimeError):
    """An attempt to change or remove an append-only row through the ORM."""


class AppendOnlyQuerySet(models.QuerySet):
    """Reads and inserts only: every bulk write that could change or remove a row is refused."""

    def _refuse(self, operation: str):
        raise AppendOnlyViolation(f"{self.model.__name__} rows are append-only; {operation} is refused")

    def update(self, **kwargs):
        self._refuse("update()")

    def delete(self):
        self._refuse("delete()")

    def _raw_delete(self, using):
        self._refuse("delete()")

    def bulk_update(self, objs, fields, batch_size=None):
        self._refuse("bulk_update()")

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        self._refuse("update_or_create()")


class AppendOnlyModel(models.Model):
    """A row written once: `save()` inserts only, `delete()` always refuses, the manager refuses bulk writes."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyViolation(f"{type(self).__name__} rows are append-only; an update is refused")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyViolation(f"{type(self).__name__} rows are append-only; delete() is refused")
