"""Field-level change history (django-auditlog) for the records an import writes in bulk.

`bulk_create` and `bulk_update` send no signals, so the importer writes the `LogEntry` rows that
auditlog would have written for one `save()` each. auditlog's `model_instance_diff` works the
fields out again for every record and asks the database for each new record's reverse one-to-one
relations and for whatever its `str()` names; at a million rows that dominates an import. Here
the fields and how to read them are worked out once per model, and related records are read a
chunk at a time. The result is the same as `model_instance_diff` (tests/exchange/test_history.py
compares them), falling back to auditlog's own `get_field_value` for anything unusual.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from functools import cache
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.encoding import smart_str

from cairn.audit.context import current_ip
from cairn.exchange.bulk import insert_rows

if TYPE_CHECKING:
    from cairn.accounts.models import User

Reader = Callable[[models.Model], Any]
Changes = dict[str, tuple[Any, Any]]


def _default(field: Any) -> str:
    """auditlog's value for a field it cannot read: the field's default, as text."""
    default = getattr(field, "default", models.NOT_PROVIDED)
    if default is models.NOT_PROVIDED:
        default = None
    elif callable(default):
        default = default()
    return smart_str(default)


def _reader(field: Any) -> Reader:
    """Reads one field as auditlog's `get_field_value` does (without JSON changes)."""
    name = field.name
    default = _default(field)
    if field.concrete and isinstance(field, models.DateTimeField):
        attname = field.attname
        use_tz = settings.USE_TZ

        def read_datetime(instance: models.Model) -> Any:
            value = field.to_python(getattr(instance, attname))
            if value is not None and use_tz and value.utcoffset() is not None:
                value = value.astimezone(UTC).replace(tzinfo=None)  # timezone.make_naive
            return value

        return read_datetime
    if field.concrete and isinstance(field, models.JSONField):
        attname = field.attname

        def read_json(instance: models.Model) -> Any:
            value = field.to_python(getattr(instance, attname))
            try:
                return json.dumps(value, sort_keys=True, cls=field.encoder)
            except TypeError:
                return value

        return read_json
    if (
        not getattr(settings, "AUDITLOG_USE_FK_STRING_REPRESENTATION", False)
        and (field.one_to_one or field.many_to_one)
        and hasattr(field, "rel_class")
    ):
        attname = field.attname
        return lambda instance: smart_str(getattr(instance, attname), strings_only=True)
    if field.is_relation:  # a related record (or a reverse manager) as text: may need a query

        def read_related(instance: models.Model) -> Any:
            try:
                return smart_str(getattr(instance, name))
            except (ObjectDoesNotExist, AttributeError):
                return default

        return read_related
    attname = field.attname

    def read(instance: models.Model) -> Any:
        value = smart_str(getattr(instance, attname))
        return str(value) if type(value).__name__ == "__proxy__" else value

    return read


Plan = list[tuple[str, Reader, bool]]

#: Fields auditlog reads as `smart_str(getattr(record, name))`: read all at once for new records.
_PLAIN = (
    models.AutoField, models.BigAutoField, models.BigIntegerField, models.BooleanField,
    models.CharField, models.DateField, models.IntegerField, models.PositiveBigIntegerField,
    models.PositiveIntegerField, models.PositiveSmallIntegerField, models.SmallIntegerField,
    models.TextField,
)  # fmt: skip


@dataclass(frozen=True)
class _Plans:
    on_create: Plan  # every tracked field (reverse relations too) but the plain ones
    plain: tuple[tuple[str, bool], ...]  # the plain fields of a new record: (name, masked)
    read_plain: Callable[[models.Model], tuple[Any, ...]]
    on_update: Plan  # the model's concrete fields
    mask: Callable[[str], str]


@cache
def _plans(model: type[models.Model]) -> _Plans:
    """For one registered model: how auditlog reads and compares each field when a record is
    created and when it is updated, and the function that masks the masked fields."""
    from auditlog.diff import get_fields_in_model, get_mask_function
    from auditlog.registry import auditlog

    options = auditlog.get_model_fields(model)
    masked = set(options["mask_fields"])

    def chosen(fields: list[Any]) -> list[Any]:
        if options["include_fields"]:
            fields = [f for f in fields if f.name in options["include_fields"]]
        if options["exclude_fields"]:
            fields = [f for f in fields if f.name not in options["exclude_fields"]]
        return fields

    on_create = chosen(list(get_fields_in_model(model())))
    plain = [f for f in on_create if f.concrete and type(f) in _PLAIN]
    getter = attrgetter(*[f.attname for f in plain]) if plain else (lambda record: ())
    return _Plans(
        on_create=[(f.name, _reader(f), f.name in masked) for f in on_create if f not in plain],
        plain=tuple((f.name, f.name in masked) for f in plain),
        read_plain=(lambda record: (getter(record),)) if len(plain) == 1 else getter,
        on_update=[
            (f.name, _reader(f), f.name in masked) for f in chosen(list(model._meta.fields))
        ],
        mask=get_mask_function(options.get("mask_callable")),
    )


def instance_diff(
    model: type[models.Model], before: models.Model | None, after: models.Model
) -> Changes | None:
    """`auditlog.diff.model_instance_diff(before, after)` for a record of `model` (its change
    history entry's `changes`): `before` None for a new record."""
    plans = _plans(model)
    mask = plans.mask
    diff: Changes = {}
    if before is None:  # auditlog's value of every field of no record is "None"
        for (name, masked), value in zip(plans.plain, plans.read_plain(after), strict=True):
            if type(value) is not str:
                value = smart_str(value)
            if value != "None":
                diff[name] = (mask("None"), mask(value)) if masked else ("None", value)
        for name, read, masked in plans.on_create:
            try:
                new = read(after)
            except (ObjectDoesNotExist, AttributeError):
                new = _default(after._meta.get_field(name))
            if new == "None":
                continue
            text = new if type(new) is str else smart_str(new)
            diff[name] = (mask("None"), mask(text)) if masked else ("None", text)
        return diff or None
    for name, read, masked in plans.on_update:
        try:
            new = read(after)
        except (ObjectDoesNotExist, AttributeError):
            new = _default(after._meta.get_field(name))
        try:
            old = read(before)
        except (ObjectDoesNotExist, AttributeError):
            old = _default(before._meta.get_field(name))
        if old == new:
            continue
        if masked:
            diff[name] = (mask(smart_str(old)), mask(smart_str(new)))
        else:
            diff[name] = (smart_str(old), smart_str(new))
    return diff or None


def load_relations(
    model: type[models.Model], instances: list[models.Model], *, created: list[models.Model]
) -> None:
    """What a change history entry reads, one query per relation for a chunk instead of one per
    row: the related records `str()` names (`str(episode)` names its child: found by asking the
    first record), and, for new records, that nothing is behind their reverse one-to-one
    relations yet (a new record's diff reads them)."""
    reverse = [relation for relation in model._meta.related_objects if relation.one_to_one]
    for instance in created:
        for relation in reverse:
            relation.set_cached_value(instance, None)
    if not instances:
        return
    relations = [field for field in model._meta.concrete_fields if field.is_relation]
    probe = instances[0]
    before = {field for field in relations if field.is_cached(probe)}  # type: ignore[attr-defined]
    str(probe)
    for field in relations:
        if field in before or not field.is_cached(probe):  # type: ignore[attr-defined]
            continue
        target = field.target_field.name  # type: ignore[attr-defined]
        wanted = {getattr(instance, field.attname) for instance in instances} - {None}
        related = field.related_model._base_manager  # type: ignore[union-attr]
        found = related.in_bulk(wanted, field_name=target) if wanted else {}
        for instance in instances:
            value = getattr(instance, field.attname)
            if value is not None and not field.is_cached(instance):  # type: ignore[attr-defined]
                field.set_cached_value(instance, found.get(value))  # type: ignore[attr-defined]


def record_history(
    model: type[models.Model],
    key_field: str,
    creates: list[models.Model],
    updates: list[tuple[models.Model, models.Model]],
    actor: User | None,
) -> None:
    """Field-level change history for bulk writes, as django-auditlog would record one save."""
    from auditlog.cid import get_cid
    from auditlog.models import LogEntry
    from auditlog.registry import auditlog

    if not auditlog.contains(model) or not (creates or updates):
        return
    if creates and creates[0].pk is None:
        # The database did not return the new keys: read them back.
        ids = dict(
            model._default_manager.filter(
                **{f"{key_field}__in": [getattr(c, key_field) for c in creates]}
            ).values_list(key_field, "pk")
        )
        for instance in creates:
            instance.pk = ids[getattr(instance, key_field)]
    pairs = [(None, instance) for instance in creates] + list(updates)
    load_relations(model, [after for _, after in pairs], created=creates)
    user = actor if actor is not None and actor.is_authenticated else None
    entries = []
    for before, after in pairs:
        changes = instance_diff(model, before, after)
        if not changes:
            continue
        entries.append(
            {
                "object_pk": str(after.pk),
                "object_id": after.pk,
                "object_repr": smart_str(after),
                "action": LogEntry.Action.CREATE if before is None else LogEntry.Action.UPDATE,
                "changes": changes,
            }
        )
    insert_rows(
        LogEntry,
        entries,
        same={
            "content_type_id": ContentType.objects.get_for_model(model).pk,
            "actor_id": user.pk if user else None,
            "actor_email": getattr(user, "email", None) if user else None,
            "cid": get_cid(),
            "remote_addr": current_ip.get(),
            "timestamp": timezone.now(),
            "additional_data": {"via": "exchange import"},
        },
    )
