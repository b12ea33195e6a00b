"""The portal's Celery application plus the no-op task that is the notification
benchmark's baseline (`celery -A bench.worker worker`)."""

from portal.celery import app


@app.task(name="bench.noop")
def noop() -> None:
    return None
