"""Factories shared by every domain's tests. Domain-specific factories live in
tests/<app>/factories.py."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from portal.accounts.models import Profile
from portal.accounts.roles import centre_staff_add, hospital_admin_add
from portal.centres.models import Consent, ServiceCentre
from portal.hospitals.models import BorderPoint, City, Department, Hospital, Specialty

PASSWORD = "correct horse battery staple"


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("code",)

    code = "shenzhen"
    name_en = "Shenzhen"
    name_zh_hant = "深圳"
    name_zh_hans = "深圳"
    region = "mainland"
    latitude = "22.543"
    longitude = "114.058"


class BorderPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BorderPoint
        django_get_or_create = ("code",)

    code = "shenzhen-bay"
    name_en = "Shenzhen Bay Port"
    name_zh_hant = "深圳灣口岸"
    name_zh_hans = "深圳湾口岸"
    latitude = "22.503"
    longitude = "113.946"


class HospitalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hospital

    slug = factory.Sequence(lambda n: f"hospital-{n}")
    name_en = factory.Sequence(lambda n: f"Test Hospital {n}")
    name_zh_hant = factory.Sequence(lambda n: f"測試醫院{n}")
    name_zh_hans = factory.Sequence(lambda n: f"测试医院{n}")
    city = factory.SubFactory(CityFactory)
    latitude = "22.540"
    longitude = "114.050"


class SpecialtyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialty
        django_get_or_create = ("code",)

    code = "general-practice"
    name_en = "General practice"
    name_zh_hant = "全科"
    name_zh_hans = "全科"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    hospital = factory.SubFactory(HospitalFactory)
    specialty = factory.SubFactory(SpecialtyFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    language = "en"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    name_en = "CHAN Tai Man"
    name_zh = "陳大文"


class ServiceCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCentre

    slug = factory.Sequence(lambda n: f"centre-{n}")
    name_en = factory.Sequence(lambda n: f"Health Service Centre {n}")
    name_zh_hant = factory.Sequence(lambda n: f"健康服務中心{n}")
    name_zh_hans = factory.Sequence(lambda n: f"健康服务中心{n}")
    city = factory.SubFactory(CityFactory, code="guangzhou", name_en="Guangzhou", name_zh_hant="廣州", name_zh_hans="广州")


def make_hospital_admin(hospital, **kwargs):
    user = UserFactory(**kwargs)
    hospital_admin_add(user=user, hospital=hospital)
    return user


def make_centre_staff(centre, is_manager=False, **kwargs):
    user = UserFactory(**kwargs)
    centre_staff_add(user=user, centre=centre, is_manager=is_manager)
    return user


def give_consent(resident, centre):
    return Consent.objects.create(resident=resident, centre=centre)


CAREGIVER_RIGHTS = ("appointments", "vouchers", "transfers", "messages")


def make_caregiver(elder, caregiver=None, *, rights=CAREGIVER_RIGHTS, relationship="daughter", end_date=None,
                   transfer=None, **user_fields):
    """An accepted care relationship: `caregiver` (a new account without any
    identity document unless given) may do `rights` for `elder`. Returns the link."""
    from django.utils import timezone

    from portal.care.models import CareLink

    if caregiver is None:
        user_fields.setdefault("language", "zh-hans")
        caregiver = ProfileFactory(user=UserFactory(**user_fields), name_en="CHAN Siu Fan", name_zh="陳小芬").user
    return CareLink.objects.create(
        elder=elder, caregiver=caregiver, relationship=relationship, status=CareLink.Status.ACTIVE,
        end_date=end_date, transfer=transfer, created_by=elder, accepted_at=timezone.now(),
        invite_email=caregiver.email, **dict.fromkeys(rights, True),
    )
