"""The embedded default's message queue: kombu's file-system transport, made safe for a web server and a
worker writing and reading the same folder at once.

kombu writes a message straight into its final file name, so a worker listing the folder can pick up a
file before its writer has finished, read half a message and stop with a JSONDecodeError (and the
scheduler running inside it stops too). Here each message is written under a temporary name and renamed
into place in one step, so a reader sees a whole message or none; a file that still cannot be read is set
aside (var/celery/damaged/) and logged instead of stopping the worker; an exchange table caught half
written is read again. Registered as the `embedded://` broker URL in cms/celery.py.
"""

import logging
import os
import shutil
import time
import uuid
from pathlib import Path

from kombu.transport import filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

logger = logging.getLogger(__name__)

TABLE_READ_ATTEMPTS = 5


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{int(round(time.monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        # A dot-name: never taken for a message of any queue while it is being written.
        partial = os.path.join(self.data_folder_out, f".{name}.part")
        with open(partial, "wb") as handle:
            handle.write(str_to_bytes(dumps(payload)))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, os.path.join(self.data_folder_out, name))

    def _get(self, queue):
        wanted = f"{queue}.msg"
        for name in sorted(os.listdir(self.data_folder_in)):
            if name.startswith(".") or name.partition(".")[2] != wanted:
                continue
            claimed = os.path.join(self._claim_folder(), name)
            try:
                # One rename claims the message: a second reader finds it gone and moves on.
                os.replace(os.path.join(self.data_folder_in, name), claimed)
            except OSError:
                continue
            with open(claimed, "rb") as handle:
                payload = handle.read()
            try:
                message = loads(bytes_to_str(payload))
            except ValueError:
                self._set_aside(claimed, name)
                continue
            if not self.store_processed:
                os.remove(claimed)
            return message
        raise filesystem.Empty()

    def get_table(self, exchange):
        for attempt in range(TABLE_READ_ATTEMPTS):
            try:
                return super().get_table(exchange)
            except ValueError:
                # Caught between the table file's creation and its first write: read it again.
                time.sleep(0.01 * (attempt + 1))
        return super().get_table(exchange)

    def _claim_folder(self):
        return self.processed_folder if self.store_processed else self._private_folder()

    def _private_folder(self):
        folder = Path(self.data_folder_in).parent / "claimed"
        folder.mkdir(exist_ok=True)
        return str(folder)

    def _set_aside(self, path, name):
        damaged = Path(self.data_folder_in).parent / "damaged"
        damaged.mkdir(exist_ok=True)
        shutil.move(path, damaged / name)
        logger.error("A queued message could not be read and was set aside in %s", damaged / name)


class Transport(filesystem.Transport):
    Channel = Channel
