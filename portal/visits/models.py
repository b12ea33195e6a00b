"""What a resident needs on the day of a visit, per hospital and per border
crossing: where the Hong Kong patients' counter is, how to pay, which building a
department is in, how to get from each crossing to the hospital, and each
crossing's opening hours. Every record carries its source and date; an empty
field means "not known" and the visit guide says so. Hospital admins keep their
own hospitals' records (admin.py); crossings' hours are kept by superusers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField


class Sourced(models.Model):
    source = models.CharField(_("source"), max_length=300, blank=True)
    source_url = models.URLField(_("source address"), blank=True)
    as_of = models.DateField(_("as of"), null=True, blank=True)

    class Meta:
        abstract = True


class HospitalVisitInfo(Sourced):
    class Accepted(models.TextChoices):
        YES = "yes", _("Accepted")
        NO = "no", _("Not accepted")
        UNKNOWN = "unknown", _("Not known")

    hospital = models.OneToOneField("hospitals.Hospital", on_delete=models.CASCADE, related_name="visit_info",
                                    verbose_name=_("hospital"))
    patients_counter = models.TextField(
        _("Hong Kong patients' counter"), blank=True,
        help_text=_("Where the counter or service area for Hong Kong and Macao patients is. Leave empty if not known."))
    wechat_pay = models.CharField(_("WeChat Pay"), max_length=8, choices=Accepted.choices, default=Accepted.UNKNOWN)
    alipay = models.CharField(_("Alipay"), max_length=8, choices=Accepted.choices, default=Accepted.UNKNOWN)
    cash = models.CharField(_("cash"), max_length=8, choices=Accepted.choices, default=Accepted.UNKNOWN)
    payment_note = models.TextField(_("how to pay"), blank=True)

    class Meta:
        verbose_name = _("hospital visit information")
        verbose_name_plural = _("hospital visit information")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(wechat_pay__in=["yes", "no", "unknown"], alipay__in=["yes", "no", "unknown"],
                                   cash__in=["yes", "no", "unknown"]),
                name="visits_info_payment_known_values"),
        ]

    def __str__(self) -> str:
        return str(self.hospital)


class DepartmentLocation(Sourced):
    department = models.OneToOneField("hospitals.Department", on_delete=models.CASCADE, related_name="location",
                                      verbose_name=_("department"))
    building = models.CharField(_("building and floor"), max_length=200)

    class Meta:
        verbose_name = _("department location")
        verbose_name_plural = _("department locations")

    def __str__(self) -> str:
        return f"{self.department}: {self.building}"


class CrossingRoute(Sourced):
    """How to get from one border crossing to one hospital."""

    hospital = models.ForeignKey("hospitals.Hospital", on_delete=models.CASCADE, related_name="crossing_routes",
                                 verbose_name=_("hospital"))
    border_point = models.ForeignKey("hospitals.BorderPoint", on_delete=models.CASCADE, related_name="hospital_routes",
                                     verbose_name=_("border crossing"))
    transport = models.TextField(_("shuttle or public transport"), blank=True)
    walking = models.TextField(_("walking"), blank=True)

    class Meta:
        ordering = ["hospital", "border_point"]
        verbose_name = _("route from a crossing")
        verbose_name_plural = _("routes from crossings")
        constraints = [models.UniqueConstraint(fields=["hospital", "border_point"], name="visits_route_unique")]

    def __str__(self) -> str:
        return f"{self.border_point} → {self.hospital}"


class CrossingHours(Sourced):
    border_point = models.OneToOneField("hospitals.BorderPoint", on_delete=models.CASCADE, related_name="hours",
                                        verbose_name=_("border crossing"))
    opening_hours = models.TextField(_("opening hours for passengers"), blank=True)

    class Meta:
        verbose_name = _("crossing opening hours")
        verbose_name_plural = _("crossing opening hours")

    def __str__(self) -> str:
        return str(self.border_point)


class VisitPreferences(models.Model):
    """The resident's own choices for their visits."""

    resident = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="visit_preferences")
    usual_crossing = models.ForeignKey("hospitals.BorderPoint", on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+", verbose_name=_("usual border crossing"))

    class Meta:
        verbose_name = _("visit preferences")
        verbose_name_plural = _("visit preferences")

    def __str__(self) -> str:
        return str(self.resident)


class HealthSummary(models.Model):
    """What a mainland doctor asks for, kept by the resident (or a caregiver with the
    health summary right): current medicines, allergies, main conditions and an
    emergency contact. The resident chooses what the printed card shows."""

    resident = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="health_summary")
    connect_items = models.ManyToManyField("medicines.ConnectItem", blank=True, related_name="+",
                                           verbose_name=_("medicines from the Connect list"))
    other_medicines = models.TextField(_("other medicines"), blank=True,
                                       help_text=_("One a line: name, strength and how often you take it."))
    allergies = models.TextField(_("allergies"), blank=True, help_text=_("One a line, with what happens."))
    conditions = models.TextField(_("main conditions"), blank=True, help_text=_("One a line."))
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=150, blank=True)
    emergency_contact_phone = PhoneNumberField(_("emergency contact's phone"), blank=True)
    show_medicines = models.BooleanField(_("show my medicines on the card"), default=True)
    show_allergies = models.BooleanField(_("show my allergies on the card"), default=True)
    show_conditions = models.BooleanField(_("show my main conditions on the card"), default=True)
    show_emergency_contact = models.BooleanField(_("show my emergency contact on the card"), default=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("last changed by"))
    # A caregiver's change is recorded with the relationship they acted through.
    updated_via = models.ForeignKey("care.CareLink", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("changed as caregiver through"))

    class Meta:
        verbose_name = _("health summary")
        verbose_name_plural = _("health summaries")

    def __str__(self) -> str:
        return str(self.resident)

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]


class VisitDocument(models.Model):
    """A document the resident was given at a mainland visit, stored under
    PRIVATE_MEDIA_ROOT with a random name and streamed only by
    views.document_download after the scope check (selectors.documents_visible_to).
    Private to the resident (and a caregiver with the health summary right) until
    the resident shares it with a service centre or attaches it to a transfer."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Report or test result")
        PRESCRIPTION = "prescription", _("Prescription")
        DISCHARGE = "discharge", _("Discharge note")
        OTHER = "other", _("Other document")

    appointment = models.ForeignKey("appointments.Appointment", on_delete=models.PROTECT, related_name="documents",
                                    verbose_name=_("visit"))
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visit_documents",
                                 verbose_name=_("resident"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_via = models.ForeignKey("care.CareLink", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("uploaded as caregiver through"))
    original_name = models.CharField(_("file name"), max_length=200)
    stored_name = models.CharField(max_length=80, unique=True, editable=False)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # The resident's consent to share it with one service centre they consent to.
    shared_with = models.ForeignKey("centres.ServiceCentre", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("shared with"))
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("visit document")
        verbose_name_plural = _("visit documents")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=["report", "prescription", "discharge", "other"]),
                                   name="visits_document_kind_known"),
            models.CheckConstraint(
                condition=models.Q(shared_with__isnull=True, shared_at__isnull=True)
                | models.Q(shared_with__isnull=False, shared_at__isnull=False),
                name="visits_document_shared_at_iff_shared"),
        ]

    def __str__(self) -> str:
        return self.original_name
