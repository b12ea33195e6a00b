from datetime import UTC, datetime

from django.urls import reverse

from portal.appointments.ics import appointment_ics, escape_text, fold


def test_escape_and_fold():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "香港大學深圳醫院" * 10
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == line


def test_calendar_file(client_for, book, booker, slot, hospital):
    hospital.address = "1 Haiyuan Road, Futian; Shenzhen"
    hospital.save()
    appointment = book(slot)
    response = client_for(booker).get(reverse("appointments:calendar", args=[appointment.reference]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert f"appointment-{appointment.reference}.ics" in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    unfolded = text.replace("\r\n ", "")
    assert f"UID:{appointment.reference}@localhost" in unfolded
    assert f"DTSTART:{slot.starts_at.astimezone(UTC):%Y%m%dT%H%M%SZ}" in unfolded
    assert f"DTEND:{slot.ends_at.astimezone(UTC):%Y%m%dT%H%M%SZ}" in unfolded
    assert "LOCATION:The University of Hong Kong-Shenzhen Hospital\\, 1 Haiyuan Road\\, Futian\\; Shenzhen" in unfolded
    assert f"Reference: {appointment.reference}\\n" in unfolded
    assert "STATUS:CONFIRMED" in unfolded
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_calendar_in_chinese_and_cancelled(book, slot):
    from django.utils import translation

    appointment = book(slot)
    appointment.status = "cancelled"
    with translation.override("zh-hant"):
        text = appointment_ics(appointment, link="https://example.org/x", now=datetime(2030, 1, 1, tzinfo=UTC))
    assert "STATUS:CANCELLED" in text and "DTSTAMP:20300101T000000Z" in text
    assert "香港大學深圳醫院" in text.replace("\r\n ", "")
