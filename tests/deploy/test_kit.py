"""The deploy kit (deploy/, Dockerfile, compose.yaml): one install script and one start script that systemd, the
image and CI's loopback topology all call; gunicorn's and nginx's settings match the application's."""

import os
import re
import subprocess
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"


def gunicorn_config(**env: str) -> dict:
    namespace: dict = {}
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        exec((DEPLOY / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102 - our own configuration file
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return namespace


def rendered_site(**env: str) -> str:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("QORGAU_")}
    result = subprocess.run(
        [str(DEPLOY / "bin" / "qorgau-nginx-site")], env={**clean, **env}, capture_output=True, text=True, check=True
    )
    return result.stdout


def test_gunicorn_workers_follow_the_cores_and_recycle_with_jitter():
    config = gunicorn_config()

    assert config["workers"] == os.cpu_count() * 2 + 1
    assert config["timeout"] == 60 and config["graceful_timeout"] == 30
    assert config["max_requests"] == 1000 and config["max_requests_jitter"] == 100
    assert config["preload_app"] is True
    assert "%({x-request-id}i)s" in config["access_log_format"]


def test_gunicorn_believes_forwarded_headers_from_the_trusted_proxies_only():
    assert gunicorn_config(QORGAU_TRUSTED_PROXIES="10.0.0.5")["forwarded_allow_ips"] == "10.0.0.5"
    assert gunicorn_config(GUNICORN_WORKERS="3")["workers"] == 3


def test_nginx_takes_what_django_takes_and_forwards_what_it_needs():
    site = rendered_site()
    params = (DEPLOY / "nginx" / "proxy_params.conf").read_text()

    assert f"client_max_body_size {settings.QORGAU_REQUEST_MAX_BYTES};" in site
    assert "ssl_certificate /etc/ssl/qorgau/fullchain.pem;" in site
    assert f"alias {ROOT}/staticfiles/;" in site
    assert re.search(r"location /protected-media/ \{\s+internal;", site)
    assert "server 127.0.0.1:8000 max_fails=1 fail_timeout=5s;" in site
    assert "$request_uri" in site and "${" not in site  # nginx's variables kept, ours all replaced
    for header in ("X-Forwarded-For $proxy_add_x_forwarded_for", "X-Forwarded-Proto $scheme", "X-Request-ID"):
        assert header in params


def test_nginx_body_limit_follows_the_upload_limits():
    site = rendered_site(QORGAU_UPLOAD_MAX_BYTES="1048576", QORGAU_UPLOAD_MAX_FILES="3")

    assert f"client_max_body_size {3 * 1048576 + settings.DATA_UPLOAD_MAX_MEMORY_SIZE};" in site
    assert "server 10.0.0.1:8000" in rendered_site(QORGAU_UPSTREAMS="10.0.0.1:8000 10.0.0.2:8000")


def test_systemd_units_read_one_environment_file_and_call_the_start_script():
    roles = {"qorgau-web.service": "web", "qorgau-worker@.service": "worker worker%i", "qorgau-beat.service": "beat"}
    for unit, role in roles.items():
        text = (DEPLOY / "systemd" / unit).read_text()
        assert "EnvironmentFile=/etc/qorgau/qorgau.env" in text
        assert f"ExecStart=/srv/qorgau/deploy/bin/qorgau-start {role}\n" in text
        assert "User=qorgau" in text and "UMask=0027" in text
    web = (DEPLOY / "systemd" / "qorgau-web.service").read_text()
    assert "ExecStartPre=/srv/qorgau/deploy/bin/qorgau-start deploy" in web


def test_the_image_and_compose_call_the_same_scripts():
    dockerfile = (ROOT / "Dockerfile").read_text()
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())

    assert "RUN deploy/bin/qorgau-install" in dockerfile
    assert 'ENTRYPOINT ["deploy/bin/qorgau-start"]' in dockerfile
    commands = {name: service.get("command") for name, service in compose["services"].items()}
    assert commands["deploy"] == ["deploy"] and commands["web"] == ["web"] and commands["beat"] == ["beat"]
    assert commands["worker"][0] == "worker"
    assert {"db", "redis", "nginx"} <= set(compose["services"])
    assert (
        "./deploy/nginx/qorgau.conf.template:/etc/nginx/templates/qorgau.conf.template:ro"
        in (compose["services"]["nginx"]["volumes"])
    )


def test_the_start_script_refuses_an_unknown_role():
    result = subprocess.run([str(DEPLOY / "bin" / "qorgau-start"), "scheduler"], capture_output=True, text=True)

    assert result.returncode == 2 and "unknown role" in result.stderr
