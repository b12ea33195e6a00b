"""Factories for the Connect list (hospital factories are shared in tests/factories.py)."""

import factory

from portal.medicines.models import ConnectItem, ItemApproval, TherapeuticArea


class TherapeuticAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TherapeuticArea
        django_get_or_create = ("code",)

    code = "oncology"
    name_en = "Oncology"
    name_zh_hant = "腫瘤科"
    name_zh_hans = "肿瘤科"


class ConnectItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConnectItem

    slug = factory.Sequence(lambda n: f"item-{n}")
    kind = "drug"
    generic_name_en = factory.Sequence(lambda n: f"Testinib {n}")
    generic_name_zh_hant = factory.Sequence(lambda n: f"測試替尼{n}")
    generic_name_zh_hans = factory.Sequence(lambda n: f"测试替尼{n}")
    indication_en = "A test indication"
    therapeutic_area = factory.SubFactory(TherapeuticAreaFactory)


class ItemApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemApproval

    item = factory.SubFactory(ConnectItemFactory)
    hospital = factory.SubFactory("tests.factories.HospitalFactory")
