"""Places: cities, border control points, hospitals and their departments.

Display text is translated with django-modeltranslation (see translation.py):
each translated field has name_en, name_zh_hant and name_zh_hans columns.
"""

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    MAINLAND = "mainland", _("Mainland")
    HONG_KONG = "hong_kong", _("Hong Kong")
    MACAO = "macao", _("Macao")


class DatePrecision(models.TextChoices):
    """How much of a published date is known; a page shows no more than that."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year only")


class City(models.Model):
    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self) -> str:
        return self.name


class BorderPoint(models.Model):
    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    connects = models.CharField(_("connects"), max_length=50, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5)
    longitude = models.DecimalField(max_digits=8, decimal_places=5)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("border control point")
        verbose_name_plural = _("border control points")

    def __str__(self) -> str:
        return self.name


class Specialty(models.Model):
    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")

    def __str__(self) -> str:
        return self.name


class Hospital(models.Model):
    class AmbulanceRole(models.TextChoices):
        NONE = "", _("Not part of the ambulance pilot")
        SENDING = "sending", _("Sends patients")
        RECEIVING = "receiving", _("Receives patients")
        BOTH = "both", _("Sends and receives patients")

    slug = models.SlugField(unique=True, max_length=80)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=300, blank=True)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="hospitals", verbose_name=_("city"))
    district = models.CharField(_("district"), max_length=100, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True,
                             help_text=_("As published, with the country code (+86 ...). Leave empty if not known."))
    website = models.URLField(_("website"), blank=True)
    booking_without_portal = models.TextField(
        _("how to book when online booking is closed"), blank=True,
        help_text=_("As the hospital publishes it (phone line, counter, its own app). Leave empty if not known."),
    )
    # Where the phone, address, hours and booking facts were taken from, and when:
    # the page shows it, so a reader can check the facts again.
    contact_source_title = models.CharField(_("source of the contact details"), max_length=200, blank=True)
    contact_source_url = models.URLField(_("source address (URL)"), max_length=500, blank=True)
    contact_checked_on = models.DateField(_("contact details checked on"), null=True, blank=True)
    # Languages spoken at the front desk and by clinicians.
    speaks_cantonese = models.BooleanField(_("Cantonese"), default=False)
    speaks_putonghua = models.BooleanField(_("Putonghua"), default=True)
    speaks_english = models.BooleanField(_("English"), default=False)
    speaks_portuguese = models.BooleanField(_("Portuguese"), default=False)
    # Programmes.
    is_connect_designated = models.BooleanField(_("Medicine and Equipment Connect designated institution"), default=False)
    connect_batch = models.CharField(_("Connect designation batch"), max_length=30, blank=True)
    is_voucher_point = models.BooleanField(_("Elderly Health Care Voucher service point"), default=False)
    voucher_since = models.DateField(_("voucher service point since"), null=True, blank=True)
    # As published: a day, or only a month or a year (then voucher_since is its first day).
    voucher_since_precision = models.CharField(
        _("start date known to the"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY,
        help_text=_("If only the month or the year is published, enter its first day and choose the month or the year."),
    )
    ambulance_role = models.CharField(
        _("cross-boundary ambulance role"), max_length=10, choices=AmbulanceRole.choices, default="", blank=True
    )
    has_hk_style_gp = models.BooleanField(_("Hong Kong-style general practice"), default=False)
    accepts_insurance = models.BooleanField(_("accepts Hong Kong or international insurance"), default=False)
    is_active = models.BooleanField(_("open"), default=True)
    notes = models.TextField(_("notes for admins"), blank=True)
    # Normalised text for cross-script search (see portal/hospitals/search.py):
    # every name in every language, Chinese converted to Simplified and split
    # into character pairs. Kept in step by Hospital.save() and the import.
    search_key = models.TextField(default="", blank=True, editable=False)

    class Meta:
        ordering = ["city__sort_order", "slug"]
        verbose_name = _("hospital")
        verbose_name_plural = _("hospitals")
        # On PostgreSQL a trigram GIN index on search_key is created by
        # migration 0003 (SQLite has no such index and is only for demos).

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from .search import hospital_search_key

        self.search_key = hospital_search_key(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("hospitals:detail", kwargs={"slug": self.slug})

    # The programmes a hospital takes part in, as the search filter and the API name them.
    PROGRAMMES = (
        ("connect", _("Medicine and Equipment Connect")),
        ("voucher", _("Elderly Health Care Vouchers")),
        ("ambulance", _("Cross-boundary ambulance transfer")),
        ("hk-gp", _("Hong Kong-style general practice")),
        ("insurance", _("Accepts Hong Kong or international insurance")),
        ("macao-voucher", _("Macao medical vouchers")),
    )

    @cached_property
    def takes_macao_vouchers(self) -> bool:
        """A place listed for Macao's medical vouchers points to this hospital. The
        search and the hospital page read it in their own query (selectors annotate
        the same condition), so this query runs only for a hospital read elsewhere."""
        return self.macao_voucher_places.accepting().exists()

    @property
    def programmes(self) -> list[str]:
        taking_part = {"connect": self.is_connect_designated, "voucher": self.is_voucher_point,
                       "ambulance": bool(self.ambulance_role), "hk-gp": self.has_hk_style_gp,
                       "insurance": self.accepts_insurance, "macao-voucher": self.takes_macao_vouchers}
        return [code for code, _name in self.PROGRAMMES if taking_part[code]]

    @property
    def programme_names(self) -> list[str]:
        names = dict(self.PROGRAMMES)
        return [str(names[code]) for code in self.programmes]

    @property
    def voucher_since_display(self) -> str:
        """The start date to the precision published: 2025, 2025-08 or 2025-08-21."""
        if self.voucher_since is None:
            return ""
        formats = {DatePrecision.YEAR: "%Y", DatePrecision.MONTH: "%Y-%m"}
        return self.voucher_since.strftime(formats.get(self.voucher_since_precision, "%Y-%m-%d"))

    @property
    def languages(self) -> list[str]:
        return [str(label) for flag, label in (
            (self.speaks_cantonese, _("Cantonese")), (self.speaks_putonghua, _("Putonghua")),
            (self.speaks_english, _("English")), (self.speaks_portuguese, _("Portuguese")),
        ) if flag]


class Department(models.Model):
    """A bookable department of one hospital, of one specialty."""

    hospital = models.ForeignKey(Hospital, on_delete=models.CASCADE, related_name="departments",
                                 verbose_name=_("hospital"))
    specialty = models.ForeignKey(Specialty, on_delete=models.PROTECT, related_name="departments",
                                  verbose_name=_("specialty"))
    name = models.CharField(_("name"), max_length=150, blank=True, help_text=_("Leave empty to use the specialty's name."))
    accepts_vouchers = models.BooleanField(
        _("designated for voucher use"), default=False,
        help_text=_("Only designated outpatient departments of a service point may accept vouchers."),
    )

    class Meta:
        ordering = ["hospital", "specialty__code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["hospital", "specialty"], name="hospitals_department_unique_specialty")
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.specialty.name


class SearchAlias(models.Model):
    """Another name people search for (港大深圳, HKU-SZH, a brand such as Leqvio),
    in any script: its owner's search key includes it, stored normalised. Every
    change re-saves the owner's key and retires the pages cached from older data.
    A subclass names its owner in `owner_field`."""

    owner_field = ""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._refresh_search()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._refresh_search()
        return result

    def _refresh_search(self) -> None:
        from portal.hospitals.services import search_data_changed

        owner = self._meta.get_field(self.owner_field).related_model
        owner.objects.get(pk=getattr(self, f"{self.owner_field}_id")).save(update_fields=["search_key"])
        search_data_changed()


class HospitalAlias(SearchAlias):
    """Another name people use for a hospital (港大深圳, HKU-SZH)."""

    owner_field = "hospital"
    hospital = models.ForeignKey(Hospital, on_delete=models.CASCADE, related_name="aliases",
                                 verbose_name=_("hospital"))
    name = models.CharField(_("other name"), max_length=200,
                            help_text=_("A short name, abbreviation or common spelling people search for."))

    class Meta:
        ordering = ["hospital", "name"]
        verbose_name = _("other name for search")
        verbose_name_plural = _("other names for search")
        constraints = [models.UniqueConstraint(fields=["hospital", "name"], name="hospitals_alias_unique")]


class HospitalMembership(models.Model):
    """Links a hospital admin to a hospital whose data they may see and change."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hospital_memberships")
    hospital = models.ForeignKey(Hospital, on_delete=models.CASCADE, related_name="memberships",
                                 verbose_name=_("hospital"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hospital admin membership")
        verbose_name_plural = _("hospital admin memberships")
        constraints = [models.UniqueConstraint(fields=["user", "hospital"], name="hospitals_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.hospital}"
