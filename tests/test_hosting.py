"""Serving a built site as the hosts do: at the path of its address, and quietly when a visitor
closes its connection early."""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from privacy_kit.serving.hosting import base_path, deployed_path, serve


def status(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


@pytest.fixture
def site(tmp_path) -> Path:
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "index.html").write_text("home", encoding="utf-8")
    (site / "404.html").write_text("not found", encoding="utf-8")
    (site / "en" / "404.html").write_text("en: not found", encoding="utf-8")
    (site / "big.bin").write_bytes(b"x" * 20_000_000)
    (site / "_headers").write_text("/*\n  X-Test: all\n/big.bin\n  X-Big: yes\n", encoding="utf-8")
    return site


def test_a_site_is_served_at_the_path_of_its_address_and_nothing_outside_it(site):
    with serve(site, base="/docs/") as origin:
        code, body, headers = status(origin + "/docs/")
        assert (code, body, headers["X-Test"]) == (200, b"home", "all")
        assert status(origin + "/docs/big.bin")[2]["X-Big"] == "yes"  # _headers' paths are the site's
        assert status(origin + "/docs")[0] == 200  # redirected to /docs/
        assert status(origin + "/")[0] == 404 and status(origin + "/index.html")[0] == 404
        assert status(origin + "/docs/_headers")[0] == 404  # hosts hide the deploy files
        assert status(origin + "/docs/en/nothing/")[1] == b"en: not found"  # each language's 404
        assert status(origin + "/docs/nothing/")[1] == b"not found"


def test_the_path_a_site_is_deployed_at_comes_from_its_site_url(tmp_path, monkeypatch):
    assert base_path("https://example.org/docs") == base_path("https://example.org/docs/") == "/docs/"
    assert base_path(None) == base_path("https://example.org") == "/"
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nsite_url: !ENV SITE_URL\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    monkeypatch.delenv("SITE_URL", raising=False)
    assert deployed_path(config) == "/"
    monkeypatch.setenv("SITE_URL", "https://example.org/handbook/")
    assert deployed_path(config) == "/handbook/"


def test_a_visitor_that_closes_its_connection_early_is_not_an_error(site, capsys):
    with serve(site) as origin:
        port = int(origin.rsplit(":", 1)[1])
        for _ in range(5):
            with socket.create_connection(("127.0.0.1", port)) as client:
                client.sendall(b"GET /big.bin HTTP/1.0\r\n\r\n")
                client.recv(1000)  # the start of the answer, then gone
            time.sleep(0.2)
        time.sleep(0.5)
        assert status(origin + "/")[0] == 200  # still serving
    assert "Traceback" not in capsys.readouterr().err
