"""The Hong Kong-Macao Medicine and Equipment Connect list (港澳藥械通).

An item is a Hong Kong-registered drug or medical device approved for use at
designated mainland institutions; ItemApproval records each institution approved
to use it and when. Display text is translated with django-modeltranslation."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.hospitals.models import DatePrecision, Hospital, SearchAlias


def partial_date_display(value, precision: str) -> str:
    """A date to the precision published (2021, April 2021 or 29 April 2021; in
    Chinese 2021年, 2021年4月, 2021年4月29日), in the one formatting rule."""
    from portal.core.formatting import when

    return when(value, {DatePrecision.YEAR: "year", DatePrecision.MONTH: "month"}.get(precision, "date"))


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
    approval_date_precision = models.CharField(
        _("approval date known to the"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY,
        help_text=_("If only the month or the year is published, enter its first day and choose the month or the year."),
    )
    # Where the portal's record of this item comes from: the portal's list is
    # partial and gathered from public reports until the official list is imported.
    source = models.CharField(_("source"), max_length=300, blank=True)
    source_url = models.URLField(_("source address"), blank=True)
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
        from portal.hospitals.search import connect_item_search_key

        self.search_key = connect_item_search_key(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("medicines:detail", kwargs={"slug": self.slug})

    @property
    def approval_date_display(self) -> str:
        return partial_date_display(self.approval_date, self.approval_date_precision)


class ItemApproval(models.Model):
    """One designated institution approved to use one item."""

    item = models.ForeignKey(ConnectItem, on_delete=models.CASCADE, related_name="approvals")
    hospital = models.ForeignKey(Hospital, on_delete=models.CASCADE, related_name="connect_approvals",
                                 verbose_name=_("institution"))
    approved_on = models.DateField(_("approval date"), null=True, blank=True)
    approved_on_precision = models.CharField(
        _("approval date known to the"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)

    class Meta:
        ordering = ["item", "hospital__slug"]
        verbose_name = _("institution approval")
        verbose_name_plural = _("institution approvals")
        constraints = [models.UniqueConstraint(fields=["item", "hospital"], name="medicines_approval_unique")]

    def __str__(self) -> str:
        return f"{self.item} @ {self.hospital}"

    @property
    def approved_on_display(self) -> str:
        return partial_date_display(self.approved_on, self.approved_on_precision)


class ConnectListTotals(models.Model):
    """The totals of the official Connect list as published, with their source
    and date. The portal's own list is partial; pages show the latest of these
    beside it (docs/decisions/0081). Corrected in the admin when new figures
    are published."""

    items = models.PositiveIntegerField(_("items"))
    drugs = models.PositiveIntegerField(_("drugs"))
    devices = models.PositiveIntegerField(_("devices"))
    institutions = models.PositiveIntegerField(_("designated institutions"))
    patients = models.PositiveIntegerField(_("patients (about)"), null=True, blank=True)
    as_of = models.DateField(_("as of"), unique=True)
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source address"), blank=True)

    class Meta:
        ordering = ["-as_of"]
        verbose_name = _("published Connect list totals")
        verbose_name_plural = _("published Connect list totals")
        constraints = [
            models.CheckConstraint(condition=models.Q(items=models.F("drugs") + models.F("devices")),
                                   name="medicines_totals_items_add_up"),
        ]

    def __str__(self) -> str:
        return f"{self.items} ({self.as_of:%Y-%m-%d})"


class ConnectItemAlias(SearchAlias):
    """Another name people search for an item by: a brand (Leqvio for inclisiran),
    another generic spelling or a common short name."""

    owner_field = "item"
    item = models.ForeignKey(ConnectItem, on_delete=models.CASCADE, related_name="aliases",
                             verbose_name=_("Connect item"))
    name = models.CharField(_("other name"), max_length=200,
                            help_text=_("A brand name, other generic name or spelling people search for."))

    class Meta:
        ordering = ["item", "name"]
        verbose_name = _("other name for search")
        verbose_name_plural = _("other names for search")
        constraints = [models.UniqueConstraint(fields=["item", "name"], name="medicines_alias_unique")]
