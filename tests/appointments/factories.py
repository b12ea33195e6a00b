from datetime import timedelta

import factory
from django.utils import timezone

from portal.appointments.models import Slot
from tests import factories


class ResidentProfileFactory(factories.ProfileFactory):
    travel_permit_number = factory.Sequence(lambda n: f"H{10000000 + n}")


def make_resident(**kwargs):
    return ResidentProfileFactory(**kwargs).user


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    department = factory.SubFactory(factories.DepartmentFactory)
    starts_at = factory.Sequence(lambda n: timezone.now().replace(microsecond=0, second=0) + timedelta(days=3, hours=n))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=30))
    capacity = 3
