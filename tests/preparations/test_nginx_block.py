"""The nginx server block of docs/deployment.md (« Reverse proxy »), which
`bin/bench-coedit-browsers --proxy nginx` reads from the docs and runs: it routes /ws/ to
uvicorn with the upgrade headers and the rest to gunicorn, with the headers the settings read,
and the bench only changes its addresses."""

import importlib.machinery
import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bin" / "bench-coedit-browsers"
FORWARDED = (
    "proxy_set_header Host $http_host;",
    "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "proxy_set_header X-Forwarded-Proto $scheme;",
)


@pytest.fixture(scope="module")
def bench():
    loader = importlib.machinery.SourceFileLoader("preau_bin_bench_coedit_browsers", str(BENCH))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def block(bench):
    return bench.documented_nginx((ROOT / "docs" / "deployment.md").read_text())


def location(block: str, path: str) -> str:
    found = re.findall(rf"location {re.escape(path)} \{{([^}}]*)\}}", block)
    assert len(found) == 1, f"one location {path}"
    return found[0]


def test_the_documented_block_routes_websockets_to_uvicorn_and_pages_to_gunicorn(block):
    live = location(block, "/ws/")
    assert "proxy_pass http://preau_live;" in live
    assert "proxy_http_version 1.1;" in live
    assert "proxy_set_header Upgrade $http_upgrade;" in live
    assert "proxy_set_header Connection $connection_upgrade;" in live
    assert re.search(r"proxy_read_timeout (\d+)h;", live), "hours, not nginx's 60 s"
    assert "proxy_pass http://preau_pages;" in location(block, "/")
    assert "server 127.0.0.1:8000;  # gunicorn" in block
    assert "server 127.0.0.1:8001;  # uvicorn" in block


def test_each_location_sets_the_forwarded_headers_itself(block):
    # nginx drops the server level's proxy_set_header in a location that sets any.
    for path in ("/ws/", "/"):
        for header in FORWARDED:
            assert header in location(block, path), (path, header)


def test_the_block_keeps_the_other_sections_promises(block):
    assert "access_log off;" in block  # Logs, docs/privacy.md
    assert "client_max_body_size 310m;" in block  # Request size (HR uploads)
    assert "proxy_request_buffering off" not in block


def _render(bench, block, directory, **changes) -> str:
    """The bench's configuration of `block`: nginx on 8443, the pages on 9000, the sockets on
    9001, the certificate and key in `directory` (unless `changes` says otherwise)."""
    options = {
        "port": 8443,
        "pages": 9000,
        "live": 9001,
        "certificate": directory / "cert.pem",
        "key": directory / "key.pem",
        "directory": directory,
    }
    return bench.render_nginx(block, **{**options, **changes})


def test_rendering_changes_only_the_addresses(bench, block, tmp_path):
    conf = _render(bench, block, tmp_path)
    assert "listen 127.0.0.1:8443 ssl;" in conf
    assert "listen 80;" not in conf and "listen 443" not in conf
    assert "server 127.0.0.1:9000;" in conf and "server 127.0.0.1:9001;" in conf
    assert f"ssl_certificate     {tmp_path / 'cert.pem'};" in conf
    assert "daemon off;" in conf
    for line in block.splitlines():
        if not re.search(r"listen |server 127|ssl_certificate", line):
            assert line in conf


def test_without_the_ws_location_only_that_location_goes(bench, block, tmp_path):
    conf = _render(bench, block, tmp_path, websocket=False)
    assert "location /ws/" not in conf and "proxy_pass http://preau_live;" not in conf
    assert "proxy_pass http://preau_pages;" in location(conf, "/")


def test_a_block_that_drifted_is_refused_not_half_run(bench, block, tmp_path):
    with pytest.raises(ValueError, match="listen 443 ssl"):
        _render(bench, block.replace("listen 443 ssl;", "listen 8443 ssl;"), tmp_path)
    with pytest.raises(SystemExit, match="no section"):
        bench.documented_nginx("# Deployment\n")


@pytest.mark.skipif(
    not (shutil.which("nginx", path="/usr/sbin:/usr/bin") and shutil.which("openssl")),
    reason="nginx or openssl not installed",
)
@pytest.mark.parametrize("websocket", [True, False])
def test_nginx_accepts_the_rendered_configuration(bench, block, tmp_path, websocket):
    key, certificate = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )
    conf = tmp_path / "nginx.conf"
    conf.write_text(_render(bench, block, tmp_path, websocket=websocket))
    nginx = shutil.which("nginx", path="/usr/sbin:/usr/bin")
    checked = subprocess.run(
        [nginx, "-t", "-q", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "e.log")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
