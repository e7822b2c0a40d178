"""start_all() and the Intacct admin endpoints used from other processes."""

from __future__ import annotations

import socket

import pytest
import requests

from mlconnector.systems.registry import SYSTEMS
from sandbox.registry import start_all


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_start_all_gives_urls_simulators_and_credentials() -> None:
    with start_all(seed=3, size=10) as sandbox:
        assert set(sandbox.urls) == {"intacct", "marketo", "commerce", "mailchimp", "zoho", "zendesk"}
        assert sandbox.urls["intacct"].startswith("http://127.0.0.1:")
        creds = sandbox.credentials["intacct"]
        secret = creds.as_dict()["user_password"]
        assert secret
        assert secret not in repr(creds)
        assert secret not in repr(sandbox.intacct.config)
        assert creds.as_dict()["endpoint_url"] == sandbox.intacct.gateway_url
        assert sandbox.simulators["intacct"] is sandbox.intacct
        assert sandbox.intacct.store.count("VENDOR") == 10
        url = sandbox.urls["intacct"]
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/_sandbox/health", timeout=2)


def test_one_simulator_per_registered_system_by_name() -> None:
    with start_all(seed=3, size=5) as sandbox:
        assert list(sandbox.simulators) == list(SYSTEMS)
        for name in SYSTEMS:
            simulator = sandbox[name]
            assert simulator.name == name
            assert sandbox.of(type(simulator)) is simulator
        assert sandbox.intacct is sandbox["intacct"]


def test_ports_can_be_pinned() -> None:
    login_port, session_port = _free_port(), _free_port()
    with start_all(ports={"intacct": login_port, "intacct.session": session_port}) as sandbox:
        assert sandbox.intacct.urls == {
            "login": f"http://127.0.0.1:{login_port}",
            "session": f"http://127.0.0.1:{session_port}",
        }
    with pytest.raises(ValueError, match="unknown simulators"):
        start_all(ports={"netsuite": 1})


def test_record_and_session_admin_endpoints() -> None:
    with start_all(seed=3, size=10) as sandbox:
        base = sandbox.urls["intacct"] + "/_sandbox"
        sim = sandbox.intacct
        sim.clock.advance(60)
        listed = requests.get(base + "/records/VENDOR?limit=3", timeout=5).json()
        assert listed["total"] == 10
        assert [r["VENDORID"] for r in listed["records"]] == ["V100", "V101", "V102"]
        before = requests.get(base + "/records/VENDOR/V102", timeout=5).json()["record"]
        edited = requests.patch(base + "/records/VENDOR/V102", json={"fields": {"NAME": "Edited"}}, timeout=5).json()
        assert edited["record"]["NAME"] == "Edited"
        assert edited["record"]["WHENMODIFIED"] != before["WHENMODIFIED"]
        created = requests.post(base + "/records/VENDOR", json={"fields": {"VENDORID": "VX", "NAME": "X"}}, timeout=5)
        assert created.status_code == 201
        assert sim.get_record("VENDOR", "VX") is not None
        assert (
            requests.post(base + "/records/VENDOR", json={"fields": {"VENDORID": "VX"}}, timeout=5).status_code == 409
        )
        assert requests.patch(base + "/records/VENDOR/V102", json={"fields": {"NOPE": 1}}, timeout=5).status_code == 400
        assert requests.delete(base + "/records/VENDOR/VX", timeout=5).status_code == 200
        assert requests.get(base + "/records/VENDOR/VX", timeout=5).status_code == 404
        assert requests.get(base + "/records/NOSUCH", timeout=5).status_code == 404
        assert requests.post(base + "/sessions/expire", timeout=5).json() == {"expired": 0}

        config = requests.patch(base + "/config", json={"session_lifetime_s": 2, "concurrency_limit": 2}, timeout=5)
        assert config.json()["session_lifetime_s"] == 2
        assert "user_password" not in config.json()
        assert sim.config.concurrency_limit == 2
        assert requests.patch(base + "/config", json={"user_password": "x"}, timeout=5).status_code == 400
        assert requests.patch(base + "/config", json={"auth_failure_mode": "loud"}, timeout=5).status_code == 400
