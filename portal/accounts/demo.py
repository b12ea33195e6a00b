"""Demo accounts, one per role (password: core.demo.DEMO_PASSWORD)."""

from datetime import date

from allauth.account.models import EmailAddress
from django.utils import timezone

from portal.core.demo import DEMO_PASSWORD

from .models import Profile, User
from .roles import centre_staff_add, hospital_admin_add

ORDER = 30
STAFF_EMAILS = ["hospital.admin@example.com", "receiving.admin@example.com", "centre.staff@example.com", "admin@example.com"]

# email, role shown by load_demo_data, language, profile
DEMO_USERS = [
    ("resident@example.com", "Resident (Hong Kong, 72)", "zh-hant",
     {"name_en": "CHAN Tai Man", "name_zh": "陳大文", "date_of_birth": date(1954, 3, 8),
      "id_document_type": "hkid", "id_document_number": "A123456(3)", "travel_permit_number": "H12345678",
      "phone": "+85291234567"}),
    ("resident2@example.com", "Resident (Macao, 70, lives in Zhuhai)", "zh-hant",
     {"name_en": "WONG Mei Ling", "name_zh": "黃美玲", "date_of_birth": date(1956, 7, 1),
      "id_document_type": "macao_id", "id_document_number": "1234567(8)", "travel_permit_number": "M87654321",
      "phone": "+85366123456", "mainland_phone": "+8613800138000"}),
    ("resident3@example.com", "Resident (Hong Kong, Certificate of Exemption, 80)", "en",
     {"name_en": "LAM Siu Fong", "name_zh": "林小芳", "date_of_birth": date(1946, 2, 14),
      "id_document_type": "coe", "id_document_number": "CE123456/78", "travel_permit_number": "H23456789",
      "phone": "+85291234568"}),
    # Needs no identity document: a daughter living in Shenzhen (portal.care.demo links her to CHAN Tai Man).
    ("caregiver@example.com", "Caregiver (HK resident's daughter)", "zh-hans",
     {"name_en": "CHAN Siu Fan", "name_zh": "陈小芬", "mainland_phone": "+8613812345678"}),
    ("hospital.admin@example.com", "Hospital admin (HKU-Shenzhen)", "en", {"name_en": "LI Wei", "name_zh": "李偉"}),
    ("receiving.admin@example.com", "Hospital admin (Tuen Mun)", "en", {"name_en": "HO Ka Yan", "name_zh": "何嘉欣"}),
    ("centre.staff@example.com", "Service-centre staff (Guangzhou)", "zh-hans", {"name_en": "ZHANG Min", "name_zh": "张敏"}),
    ("admin@example.com", "Superuser", "en", {"name_en": "Portal administrator"}),
]


def load() -> str:
    for email, _role, language, profile in DEMO_USERS:
        user, created = User.objects.get_or_create(email=email, defaults={"language": language})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        Profile.objects.update_or_create(user=user, defaults=profile)
    from portal.centres.models import Consent, ServiceCentre
    from portal.hospitals.models import Hospital

    hospital_admin_add(user=User.objects.get(email="hospital.admin@example.com"), hospital=Hospital.objects.get(slug="hku-szh"))
    hospital_admin_add(user=User.objects.get(email="receiving.admin@example.com"), hospital=Hospital.objects.get(slug="tuen-mun"))
    centre = ServiceCentre.objects.get(slug="gz-huangpu")
    centre_staff_add(user=User.objects.get(email="centre.staff@example.com"), centre=centre, is_manager=True)
    superuser = User.objects.get(email="admin@example.com")
    if not superuser.is_superuser:
        superuser.is_superuser = superuser.is_staff = True
        superuser.save(update_fields=["is_superuser", "is_staff"])
    for email in STAFF_EMAILS:
        _ensure_demo_totp(User.objects.get(email=email))
    resident = User.objects.get(email="resident@example.com")
    if not Consent.objects.active().filter(resident=resident, centre=centre).exists():
        Consent.objects.create(resident=resident, centre=centre, granted_at=timezone.now())
    return f"{len(DEMO_USERS)} demo accounts"


def _ensure_demo_totp(user) -> None:
    """Staff must use two-step sign-in; demo staff get an authenticator whose
    current code `manage.py demo_totp EMAIL` prints (DEBUG only)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
