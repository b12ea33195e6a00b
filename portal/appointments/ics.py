"""An RFC 5545 calendar file for one appointment, written by hand: text values
escaped (backslash, semicolon, comma, newline), lines folded at 75 octets
without splitting a UTF-8 character, CRLF line endings, times in UTC."""

from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from .models import Appointment


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets (continuations start with a space)."""
    out, current, size = [], "", 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def appointment_ics(appointment: Appointment, *, link: str, now: datetime) -> str:
    slot = appointment.slot
    hospital = slot.department.hospital
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    summary = _("Appointment at %(hospital)s (%(department)s)") % {
        "hospital": hospital.name, "department": slot.department.display_name,
    }
    description = "\n".join([
        _("Reference: %(reference)s") % {"reference": appointment.reference},
        _("Bring: %(document)s") % {"document": appointment.get_id_document_display()},
        link,
    ])
    location = ", ".join(part for part in [hospital.name, hospital.address] if part)
    status = "CANCELLED" if appointment.status == Appointment.Status.CANCELLED else "CONFIRMED"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//GBA Health Portal//Appointments//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{appointment.reference}@{host}",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART:{_utc(slot.starts_at)}",
        f"DTEND:{_utc(slot.ends_at)}",
        f"SUMMARY:{escape_text(summary)}",
        f"LOCATION:{escape_text(location)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{link}",
        f"STATUS:{status}",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape_text(summary)}",
        "TRIGGER:-PT2H",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
