"""Message backends for real-worker tests. They run in the worker process, so
they keep their state in files named by environment variables."""

import os
from pathlib import Path

from portal.notifications.backends import FileMessageBackend, TransientSendError


class FlakyFileBackend(FileMessageBackend):
    """Fails with a transient error while the file $FLAKY_FAILURES holds a
    number above zero (counting it down), then records like FileMessageBackend."""

    def send(self, to: str, body: str, *, key: str = "") -> None:
        counter = Path(os.environ["FLAKY_FAILURES"])
        left = int(counter.read_text() or "0")
        if left > 0:
            counter.write_text(str(left - 1))
            raise TransientSendError("provider busy")
        super().send(to, body, key=key)
