"""The Hong Kong-Macao Medicine and Equipment Connect list (港澳藥械通).

An item is a Hong Kong-registered drug or medical device approved for use at
designated mainland institutions; ItemApproval records each institution approved
to use it and when. Display text is translated with django-modeltranslation."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.hospitals.models import Hospital


class TherapeuticArea(models.Model):
    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("therapeutic area")
        verbose_name_plural = _("therapeutic areas")

    def __str__(self) -> str:
        return self.name


class ConnectItem(models.Model):
    class Kind(models.TextChoices):
        DRUG = "drug", _("Drug")
        DEVICE = "device", _("Medical device")

    class Status(models.TextChoices):
        LISTED = "listed", _("Listed")
        DELISTED = "delisted", _("Delisted")

    slug = models.SlugField(unique=True, max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    generic_name = models.CharField(_("generic name"), max_length=200)
    brand_name = models.CharField(_("brand name"), max_length=200, blank=True)
    dosage_form = models.CharField(_("dosage form or model"), max_length=200, blank=True)
    indication = models.TextField(_("indication"), blank=True)
    therapeutic_area = models.ForeignKey(
        TherapeuticArea, on_delete=models.PROTECT, related_name="items", verbose_name=_("therapeutic area")
    )
    hk_registration_no = models.CharField(_("Hong Kong registration number"), max_length=50, blank=True)
    holder = models.CharField(_("marketing authorisation holder"), max_length=200, blank=True)
    approval_date = models.DateField(_("first approval date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.LISTED)
    coverage_notes = models.TextField(_("coverage notes"), blank=True)
    source_note = models.TextField(_("source notes for admins"), blank=True)
    institutions = models.ManyToManyField(
        Hospital, through="ItemApproval", related_name="connect_items", verbose_name=_("approved institutions")
    )
    # Normalised names in every language (see portal/hospitals/search.py); a
    # trigram GIN index on PostgreSQL (migration 0002).
    search_key = models.TextField(default="", blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["generic_name", "slug"]
        verbose_name = _("Connect item")
        verbose_name_plural = _("Connect items")

    def __str__(self) -> str:
        return self.generic_name

    def save(self, *args, **kwargs):
        from portal.hospitals.search import build_key

        self.search_key = build_key(
            [getattr(self, f"{field}_{code}", "") or "" for field in ("generic_name", "brand_name")
             for code in ("en", "zh_hant", "zh_hans")] + [self.hk_registration_no]
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("medicines:detail", kwargs={"slug": self.slug})


class ItemApproval(models.Model):
    """One designated institution approved to use one item."""

    item = models.ForeignKey(ConnectItem, on_delete=models.CASCADE, related_name="approvals")
    hospital = models.ForeignKey(Hospital, on_delete=models.CASCADE, related_name="connect_approvals",
                                 verbose_name=_("institution"))
    approved_on = models.DateField(_("approval date"), null=True, blank=True)

    class Meta:
        ordering = ["item", "hospital__slug"]
        verbose_name = _("institution approval")
        verbose_name_plural = _("institution approvals")
        constraints = [models.UniqueConstraint(fields=["item", "hospital"], name="medicines_approval_unique")]

    def __str__(self) -> str:
        return f"{self.item} @ {self.hospital}"
