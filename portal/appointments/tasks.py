"""Celery tasks: thin wrappers around services."""

from celery import shared_task

from . import services


@shared_task(name="portal.appointments.tasks.generate_slots", ignore_result=True)
def generate_slots() -> int:
    return services.slots_generate()


@shared_task(name="portal.appointments.tasks.expire_waitlist_offers", ignore_result=True)
def expire_waitlist_offers() -> int:
    return services.waitlist_expire_offers()


@shared_task(name="portal.appointments.tasks.send_reminders", ignore_result=True)
def send_reminders() -> int:
    return services.appointment_reminders_send()
