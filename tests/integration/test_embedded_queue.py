"""The embedded default's queue under concurrent writers and a reader, as `make run` has them: the web
server and the scheduler publish while the worker consumes from the same folder.

kombu's own file-system transport lets the reader take a message file before its writer has finished, so
the reader gets half a message (the worker stopped on a JSONDecodeError) or loses it. Our transport
(cms/embedded_broker.py) delivers every message whole, exactly once, under the same load.
"""

import multiprocessing
import threading
import time

import pytest
from kombu import Connection
from kombu.transport import filesystem

import cms.celery  # noqa: F401  (registers the embedded:// transport)
from cms import embedded_broker

PRODUCERS = 4
MESSAGES_EACH = 400
# Large enough that writing one takes several system calls' time, as a task with its arguments does.
PADDING = "x" * 20_000


def options(folder):
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }


def produce(url, folder, producer):
    with Connection(url, transport_options=options(folder)) as connection:
        queue = connection.SimpleQueue("default")
        for number in range(MESSAGES_EACH):
            queue.put({"id": f"{producer}-{number}", "padding": PADDING})
        queue.close()


def drain(url, folder, producers):
    """Consume while the producers write; returns (ids received, errors raised to the reader)."""
    received, errors = [], []
    with Connection(url, transport_options=options(folder)) as connection:
        queue = connection.SimpleQueue("default")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                message = queue.get(block=True, timeout=0.2)
            except queue.Empty:
                if not any(process.is_alive() for process in producers):
                    break
                continue
            except Exception as exc:  # what stopped the worker
                errors.append(type(exc).__name__)
                continue
            received.append(message.payload["id"])
            message.ack()
        queue.close()
    return received, errors


def run(url, folder):
    context = multiprocessing.get_context("fork")
    producers = [context.Process(target=produce, args=(url, folder, n)) for n in range(PRODUCERS)]
    for process in producers:
        process.start()
    received, errors = drain(url, folder, producers)
    for process in producers:
        process.join(timeout=30)
    return received, errors


def run_afresh(url, folder):
    """`run` in a new interpreter, so nothing kombu keeps in this process changes the outcome."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=_run_into, args=(url, folder, results))
    process.start()
    outcome = results.get(timeout=120)
    process.join(timeout=30)
    return outcome


def _run_into(url, folder, results):
    results.put(run(url, folder))


def write_slowly(module, monkeypatch):
    """Writing a message takes a moment, as a large task's arguments do on a busy disk."""
    real = module.dumps

    def slow(payload):
        time.sleep(0.4)
        return real(payload)

    monkeypatch.setattr(module, "dumps", slow)


@pytest.mark.parametrize("url", ["filesystem://", "embedded://"])
def test_a_reader_never_sees_a_message_its_writer_has_not_finished(tmp_path, monkeypatch, url):
    write_slowly(filesystem if url == "filesystem://" else embedded_broker, monkeypatch)
    with Connection(url, transport_options=options(tmp_path)) as writer_connection:
        writer = writer_connection.channel()
        thread = threading.Thread(target=writer._put, args=("default", {"id": "whole", "padding": PADDING}))
        thread.start()
        time.sleep(0.1)  # the writer has begun, not finished
        with Connection(url, transport_options=options(tmp_path)) as reader_connection:
            reader = reader_connection.channel()
            if url == "filesystem://":
                # kombu's own transport: the worker reads an empty file and stops (JSONDecodeError).
                with pytest.raises(ValueError):
                    reader._get("default")
                thread.join()
                return
            with pytest.raises(filesystem.Empty):
                reader._get("default")
            thread.join()
            assert reader._get("default")["id"] == "whole"


def test_the_embedded_transport_delivers_every_message_once_under_load(tmp_path):
    received, errors = run_afresh("embedded://", tmp_path)
    expected = sorted(f"{p}-{n}" for p in range(PRODUCERS) for n in range(MESSAGES_EACH))
    assert errors == []
    assert sorted(received) == expected
    assert not list((tmp_path / "queue").iterdir())  # nothing left behind, no partial files


def test_a_message_that_cannot_be_read_is_set_aside_and_the_next_one_delivered(tmp_path):
    with Connection("embedded://", transport_options=options(tmp_path)) as connection:
        channel = connection.channel()
        (tmp_path / "queue" / "0_broken.default.msg").write_text('{"half": ')
        channel._put("default", {"id": "next"})
        assert channel._get("default")["id"] == "next"
    assert (tmp_path / "damaged" / "0_broken.default.msg").exists()
