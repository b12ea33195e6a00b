"""Pluggable senders for SMS and WhatsApp.

The interface, which a real provider implements (named by dotted path in
settings.SMS_BACKEND / settings.WHATSAPP_BACKEND, nothing else to change):

    class MyProviderBackend:
        def __init__(self, channel: str): ...          # "sms" or "whatsapp"
        def send(self, to: str, body: str, *, key: str) -> None: ...

`to` is an E.164 number ("+85291234567"); `body` is the message in the
recipient's language; `key` is stable for one notification on one channel: pass
it to the provider as its idempotency key where it has one. `send` returns when
the provider has accepted the message. It raises TransientSendError for failures
worth retrying (timeout, rate limit, 5xx; any OSError counts as transient too)
and PermanentSendError (or any other exception) for ones that are not (invalid
number, rejected content). Credentials come from the backend's own settings.
"""

import json
import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class TransientSendError(Exception):
    """The provider failed in a way worth retrying (timeout, rate limit, 5xx)."""


class PermanentSendError(Exception):
    """Retrying will not help (no address, number rejected)."""


class ConsoleMessageBackend:
    """Development: prints each message."""

    def __init__(self, channel: str):
        self.channel = channel

    def send(self, to: str, body: str, *, key: str = "") -> None:
        print(f"[{self.channel} to {to}] ({key})\n{body}\n", flush=True)  # noqa: T201


class FileMessageBackend:
    """Development: appends one JSON line per message to
    settings.MESSAGE_FILE_PATH (default: sent_messages.jsonl)."""

    def __init__(self, channel: str):
        self.channel = channel
        self.path = Path(getattr(settings, "MESSAGE_FILE_PATH", "sent_messages.jsonl"))

    def send(self, to: str, body: str, *, key: str = "") -> None:
        line = {"at": timezone.now().isoformat(), "channel": self.channel, "to": to, "key": key, "body": body}
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")


class LocmemMessageBackend:
    """Keeps messages in memory for tests, like Django's locmem e-mail backend."""

    outbox: list[dict] = []

    def __init__(self, channel: str):
        self.channel = channel

    def send(self, to: str, body: str, *, key: str = "") -> None:
        LocmemMessageBackend.outbox.append({"channel": self.channel, "to": to, "body": body, "key": key})


class NullMessageBackend:
    """Accepts and drops every message (benchmarks)."""

    def __init__(self, channel: str):
        self.channel = channel

    def send(self, to: str, body: str, *, key: str = "") -> None:
        return None


_backend_classes: dict[str, type] = {}


def get_message_backend(channel: str):
    path = settings.SMS_BACKEND if channel == "sms" else settings.WHATSAPP_BACKEND
    if path not in _backend_classes:
        _backend_classes[path] = import_string(path)
    return _backend_classes[path](channel)
