"""The declared production stack: gunicorn's own parser reads gunicorn.conf.py."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def resolved_config(**env):
    """The settings gunicorn resolves from gunicorn.conf.py, as it prints them."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("GUNICORN_")}
    environ.update(DJANGO_SETTINGS_MODULE="cms.settings.test", **env)
    out = subprocess.run(
        [str(GUNICORN), "-c", "gunicorn.conf.py", "--print-config"],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60, check=True,
    ).stdout
    config = {}
    for line in out.splitlines():
        name, sep, value = line.partition("=")
        if sep:
            config[name.strip()] = value.strip()
    return config


def test_defaults_are_explicit_and_sane():
    config = resolved_config()
    assert config["timeout"] == "30"
    assert config["graceful_timeout"] == "30"
    assert config["max_requests"] == "1000"
    assert config["max_requests_jitter"] == "100"
    assert config["bind"] == "['127.0.0.1:8001']"
    assert config["workers"] == str(os.cpu_count() * 2 + 1)
    assert config["control_socket_disable"] == "True"
    assert "req_id=%({x-request-id}i)s" in config["access_log_format"]
    assert "resp_id=%({x-request-id}o)s" in config["access_log_format"]
    assert "%(M)sms" in config["access_log_format"]


def test_environment_overrides():
    config = resolved_config(
        GUNICORN_WORKERS="3", GUNICORN_TIMEOUT="20", GUNICORN_BIND="0.0.0.0:9000,unix:/run/s.sock"
    )
    assert config["workers"] == "3"
    assert config["timeout"] == "20"
    assert config["bind"] == "['0.0.0.0:9000', 'unix:/run/s.sock']"


@pytest.mark.parametrize("unit", sorted((ROOT / "deploy" / "systemd").glob("*.service")))
def test_systemd_units_run_commands_that_exist(unit):
    """Every unit starts a manage.py command this project has, or gunicorn."""
    from django.core.management import get_commands

    text = unit.read_text()
    exec_start = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    if "manage.py" in exec_start:
        command = exec_start.split("manage.py", 1)[1].split()[0]
        assert command in get_commands(), exec_start
    else:
        assert exec_start.endswith("gunicorn -c gunicorn.conf.py")
    assert "EnvironmentFile=/etc/sikanda/sikanda.env" in text


def test_workers_are_one_template_with_the_instance_in_the_worker_id():
    """`sikanda-worker@1` … `@4`: each names itself after host and instance, so
    the task rows (and the error of a task whose worker died) say which one."""
    units = ROOT / "deploy" / "systemd"
    assert not (units / "sikanda-worker.service").exists()
    text = (units / "sikanda-worker@.service").read_text()
    exec_start = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    assert exec_start.endswith("manage.py db_worker --worker-id %H-%i")
    assert "sikanda-worker@{1..4}" in (units / "sikanda-web.service").read_text()


def test_procfile_names_web_worker_and_sweeper():
    from django.core.management import get_commands

    processes = dict(
        line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert processes["web"].strip() == "gunicorn -c gunicorn.conf.py"
    for name in ("worker", "sweeper", "release"):
        command = processes[name].split("manage.py", 1)[1].split()[0]
        assert command in get_commands()


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_serves_the_liveness_probe_under_production_settings(tmp_path):
    """The real server with the real config and production settings: /healthz
    answers over plain HTTP (exempt from the HTTPS redirect) and the access
    log line carries the request id."""
    import time
    import urllib.request

    port = free_port()
    log = tmp_path / "access.log"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("GUNICORN_")}
    environ.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        DJANGO_SECRET_KEY="gunicorn-test-only-key-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        GUNICORN_ACCESS_LOG=str(log),
    )
    server = subprocess.Popen(
        [str(GUNICORN), "-c", "gunicorn.conf.py"], cwd=ROOT, env=environ,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/healthz", headers={"X-Request-ID": "probe-1234abcd"}
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    status, body = response.status, response.read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        assert status == 200 and body == b'{"status": "ok"}'
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=30)
    line = log.read_text().strip().splitlines()[-1]
    assert '"GET /healthz HTTP/1.1" 200' in line
    assert "req_id=probe-1234abcd" in line
    assert b"Booting worker" in err
