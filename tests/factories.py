"""factory_boy factories for tests. All data is synthetic."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from cairn.accounts.models import Agency, Role, Team, User
from cairn.accounts.services import user_sync_staff_flags
from cairn.children.models import CaseNote, Child, Involvement, Placement
from cairn.core.models import LocalAuthority, Locality, Ward


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"AG{n}")
    name = factory.LazyAttribute(lambda o: f"Agency {o.code}")
    kind = Agency.Kind.CHILDRENS_SERVICES


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    role = Role.PRACTITIONER
    agency = factory.SubFactory(AgencyFactory)
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-passphrase")

    @factory.post_generation
    def staff_flags(obj: User, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        user_sync_staff_flags(obj)
        if create:
            obj.save()


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("code",)

    code = "E10000099"
    name = "Synthetshire County Council"


class LocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locality
        django_get_or_create = ("code",)

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    code = "N"
    name = "North"


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E05{n:06d}")
    name = factory.Sequence(lambda n: f"Ward {n}")
    locality = factory.SubFactory(LocalityFactory)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    child_ref = factory.Sequence(lambda n: f"T-{n:06d}")
    agency = factory.SubFactory(AgencyFactory)
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=15 * 365))
    sex = "female"


class InvolvementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Involvement

    child = factory.SubFactory(ChildFactory)
    user = factory.SubFactory(UserFactory)
    agency = factory.LazyAttribute(lambda o: o.user.agency if o.user else o.team.agency)
    reason = Involvement.Reason.ALLOCATED
    started_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    placement_ref = factory.Sequence(lambda n: f"PL-{n:06d}")
    child = factory.SubFactory(ChildFactory)
    agency = factory.LazyAttribute(lambda o: o.child.agency)
    provider_name = "Hillside House"
    placement_type = "childrens_home"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=100))


class CaseNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseNote

    child = factory.SubFactory(ChildFactory)
    author = factory.SubFactory(UserFactory)
    agency = factory.LazyAttribute(lambda o: o.author.agency)
    occurred_on = factory.LazyFunction(timezone.localdate)
    subject = "Home visit"
    text = "Visited at home; she talked about school."
