from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from . import identity

# Every kind of identity document the portal accepts, with its label: the three a
# profile may hold as its identity document, and the Mainland Travel Permit.
IDENTITY_DOCUMENT_CHOICES = [
    (identity.HKID, _("Hong Kong identity card")),
    (identity.MACAO_ID, _("Macao resident identity card")),
    (identity.CERTIFICATE_OF_EXEMPTION, _("Certificate of Exemption (Hong Kong)")),
    (identity.TRAVEL_PERMIT, _("Mainland Travel Permit for Hong Kong and Macao Residents")),
]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def for_request(self):
        """Users as a signed-in request needs them (portal.accounts.backends): the
        profile and centre membership joined and whether they manage a hospital
        annotated, so the pages' questions about the user's role cost no query."""
        from portal.hospitals.models import HospitalMembership

        return self.select_related("profile", "centre_membership__centre").annotate(
            manages_hospitals=models.Exists(HospitalMembership.objects.filter(user=models.OuterRef("pk"))))


class User(AbstractUser):
    """A person who signs in: a resident, a hospital admin, centre staff or a superuser.

    The role is not a column: it follows from memberships (hospitals.HospitalMembership,
    centres.CentreMembership) and is exposed by the properties below.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        WHATSAPP = "whatsapp", _("WhatsApp")

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en",
        help_text=_("Pages open in this language after you sign in, and messages are sent in it."),
    )
    notify_by_email = models.BooleanField(_("send me e-mail"), default=True)
    notify_by_sms = models.BooleanField(_("send me SMS messages"), default=False)
    notify_by_whatsapp = models.BooleanField(_("send me WhatsApp messages"), default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        profile = getattr(self, "profile", None)
        if profile is not None and (profile.name_zh or profile.name_en):
            return profile.name_en or profile.name_zh
        return self.get_full_name() or self.email

    @property
    def is_hospital_admin(self) -> bool:
        annotated = getattr(self, "manages_hospitals", None)  # UserManager.for_request
        return annotated if annotated is not None else self.hospital_memberships.exists()

    @property
    def is_centre_staff(self) -> bool:
        try:
            return self.centre_membership is not None
        except ObjectDoesNotExist:
            return False

    @property
    def needs_two_factor(self) -> bool:
        """Staff of any kind must use TOTP; residents may choose to."""
        return self.is_superuser or self.is_hospital_admin or self.is_centre_staff

    @property
    def preferred_channels(self) -> list[str]:
        channels = []
        if self.notify_by_email:
            channels.append(self.Channel.EMAIL)
        if self.notify_by_sms:
            channels.append(self.Channel.SMS)
        if self.notify_by_whatsapp:
            channels.append(self.Channel.WHATSAPP)
        return channels


EARLIEST_DATE_OF_BIRTH = date(1900, 1, 1)


def validate_date_of_birth(value: date) -> None:
    """A date of birth lies between 1 January 1900 and today (Hong Kong time): the
    voucher rules count age from it, and 9999-12-31 made the vouchers page promise
    vouchers from the year 10064."""
    if not EARLIEST_DATE_OF_BIRTH <= value <= timezone.localdate():
        raise ValidationError(
            _("Enter a date of birth between %(earliest)s and today."),
            params={"earliest": formats.date_format(EARLIEST_DATE_OF_BIRTH, "DATE_FORMAT")}, code="date_of_birth",
        )


class Profile(models.Model):
    """A resident's personal details. Identity numbers are stored normalised,
    unique, and only ever displayed masked."""

    class DocumentType(models.TextChoices):
        HKID = identity.HKID, _("Hong Kong identity card")
        MACAO_ID = identity.MACAO_ID, _("Macao resident identity card")
        CERTIFICATE_OF_EXEMPTION = identity.CERTIFICATE_OF_EXEMPTION, _("Certificate of Exemption (Hong Kong)")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    name_en = models.CharField(_("name in English"), max_length=150, blank=True)
    name_zh = models.CharField(_("name in Chinese"), max_length=50, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True, validators=[validate_date_of_birth])
    id_document_type = models.CharField(
        _("identity document"), max_length=10, choices=DocumentType.choices, blank=True
    )
    id_document_number = models.CharField(_("identity document number"), max_length=16, blank=True)
    travel_permit_number = models.CharField(
        _("Mainland Travel Permit number"), max_length=16, blank=True
    )
    phone = PhoneNumberField(_("phone number (Hong Kong or Macao)"), blank=True)
    mainland_phone = PhoneNumberField(_("mainland phone number"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("resident profile")
        verbose_name_plural = _("resident profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["id_document_type", "id_document_number"],
                condition=~models.Q(id_document_number=""),
                name="accounts_profile_identity_unique",
            ),
            models.UniqueConstraint(
                fields=["travel_permit_number"],
                condition=~models.Q(travel_permit_number=""),
                name="accounts_profile_travel_permit_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name_en or self.name_zh or str(self.user_id)

    @property
    def masked_id_number(self) -> str:
        return identity.mask_identity_number(self.id_document_number)

    @property
    def masked_travel_permit(self) -> str:
        return identity.mask_identity_number(self.travel_permit_number)

    @property
    def id_last_digits(self) -> str:
        return identity.last_digits(self.id_document_number)

    @property
    def is_hong_kong_resident(self) -> bool:
        """Holds a Hong Kong identity card or a Certificate of Exemption (the
        documents the Elderly Health Care Voucher Scheme accepts)."""
        return self.id_document_type in (self.DocumentType.HKID, self.DocumentType.CERTIFICATE_OF_EXEMPTION) and bool(
            self.id_document_number)

    @property
    def is_macao_resident(self) -> bool:
        return self.id_document_type == self.DocumentType.MACAO_ID and bool(self.id_document_number)

    @property
    def travel_permit_issued_to(self) -> str:
        return identity.travel_permit_issued_to(self.travel_permit_number) if self.travel_permit_number else ""
