"""The Intacct client against the simulator over loopback, for Zendesk tickets: the custom object (lookup,
inspect, create with a relationship, readByName, update, a query across the relationship), the switch that
turns Platform Services off, and the attachment fallback linked through VENDOR.SUPDOCID."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mlconnector.http import HttpPolicy, RetryPolicy
from mlconnector.systems.intacct import InMemorySessionCache, IntacctClient, IntacctCredentials, ResultError
from mlconnector.systems.intacct.functions import (
    AttachmentFile,
    CreateSupdoc,
    CreateSupdocFolder,
    GetSupdoc,
    InstallApp,
    UpdateSupdoc,
)
from mlconnector.systems.intacct.functions.custom_object import (
    RelationshipKey,
    custom_datetime,
    parse_custom_datetime,
    relationship_value,
)
from mlconnector.systems.intacct.functions.filters import equalto
from mlconnector.systems.intacct.functions.lookup import unknown_object
from sandbox.intacct import IntacctSimConfig, IntacctSimulator
from tests.conftest import Serve


def _client(sim: IntacctSimulator) -> IntacctClient:
    credentials = IntacctCredentials.from_secret(sim.credentials.as_dict(), allowed_sandbox_hosts=("127.0.0.1",))
    policy = HttpPolicy(connect_timeout=2, read_timeout=10, retry=RetryPolicy(base=0.01, cap=0.1))
    return IntacctClient(credentials, InMemorySessionCache(), sleep=lambda _: None, http=policy)


def _start(serve: Serve, **config: object) -> tuple[IntacctSimulator, IntacctClient]:
    sim = IntacctSimulator(seed=3, size=10, config=IntacctSimConfig(**config))  # type: ignore[arg-type]
    serve(sim)
    return sim, _client(sim)


@pytest.mark.parametrize("key", ["ID", "RECORDNO"])
def test_tickets_as_custom_records(serve: Serve, key: RelationshipKey) -> None:
    sim, client = _start(serve, relationship_key=key)
    assert "zendesk_ticket" in [t.name for t in client.objects()]
    definition = client.object_definition("zendesk_ticket")
    vendor_link = definition.relationship_to("VENDOR")
    assert vendor_link is not None
    assert {"name", "zd_ticket_id", "zd_updated_at"} <= set(definition.field_ids())
    vendor = sim.store.all("VENDOR")[0]
    related = relationship_value(key, record_id=vendor["VENDORID"], recordno=vendor["RECORDNO"])
    record = {
        "name": "ZD-35436",
        "zd_ticket_id": 35436,
        "zd_status": "open",
        "zd_updated_at": custom_datetime(datetime(2024, 3, 2, 9, 30, tzinfo=UTC), "iso"),
        vendor_link.related_by: related,
    }
    created = client.create("zendesk_ticket", [record], "zd-35436-1", custom_object=True)
    (echo,) = created.records
    ticket_id = echo["ID"]

    (found,) = client.read_by_name("zendesk_ticket", ["ZD-35436"], ["id", "name", "zd_updated_at"])
    assert found["ID"] == ticket_id
    assert parse_custom_datetime(found["ZD_UPDATED_AT"]) == datetime(2024, 3, 2, 9, 30)

    change = {"id": ticket_id, "zd_status": "solved", "zd_updated_at": "03/03/2024 08:00:00"}
    client.update("zendesk_ticket", [change], "zd-35436-2", custom_object=True)
    select = ("name", "zd_status", vendor_link.field("VENDORID"))
    where = equalto(vendor_link.field("VENDORID"), vendor["VENDORID"])
    (page,) = client.query_pages("zendesk_ticket", select, where, tiebreak="id")
    assert page.records == [
        {"NAME": "ZD-35436", "ZD_STATUS": "solved", "R_ZENDESK_TICKET_VENDOR.VENDORID": vendor["VENDORID"]}
    ]


def test_without_platform_services_lookup_says_the_object_is_unknown(serve: Serve) -> None:
    _sim, client = _start(serve, platform_services=False)
    assert "zendesk_ticket" not in [t.name for t in client.objects()]
    with pytest.raises(ResultError) as caught:
        client.object_definition("zendesk_ticket")
    assert unknown_object(caught.value)
    with pytest.raises(ResultError) as refused:
        client.create("zendesk_ticket", [{"name": "ZD-1"}], "zd-1", custom_object=True)
    assert unknown_object(refused.value)


def test_install_app_then_use_the_object(serve: Serve) -> None:
    sim, client = _start(serve, custom_objects_installed=())
    assert "zendesk_ticket" not in [t.name for t in client.objects()]
    (installed,) = client.execute_writes([InstallApp("<application>zendesk_ticket</application>", controlid="app")])
    assert installed.ok
    assert client.object_definition("zendesk_ticket").relationship_to("CUSTOMER") is not None
    client.create("zendesk_ticket", [{"name": "ZD-1"}], "zd-1", custom_object=True)
    assert [r["NAME"] for r in sim.custom_records("zendesk_ticket")] == ["ZD-1"]


def test_attachment_fallback_appends_files_and_links_the_vendor(serve: Serve) -> None:
    sim, client = _start(serve, platform_services=False)
    vendor_id = sim.store.all("VENDOR")[0]["VENDORID"]
    snapshot = AttachmentFile("ticket-35436-1", "json", b'{"id": 35436, "status": "open"}')
    outcomes = client.execute_writes(
        [
            CreateSupdocFolder("Zendesk", controlid="zd-folder"),
            CreateSupdoc(f"Zendesk tickets {vendor_id}", "Zendesk", supdoc_id=f"ZD-{vendor_id}", files=(snapshot,),
                         controlid="zd-supdoc"),
        ]
    )  # fmt: skip
    assert [(o.ok, o.key) for o in outcomes] == [(True, "Zendesk"), (True, f"ZD-{vendor_id}")]
    client.update("VENDOR", [{"VENDORID": vendor_id, "SUPDOCID": f"ZD-{vendor_id}"}], "zd-link")
    later = AttachmentFile("ticket-35436-2", "json", b'{"id": 35436, "status": "solved"}')
    (added,) = client.execute_writes([UpdateSupdoc(f"ZD-{vendor_id}", files=(later,), controlid="zd-add")])
    assert added.ok
    (replaced,) = client.execute_writes([UpdateSupdoc(f"ZD-{vendor_id}", files=(later,), controlid="zd-again")])
    assert not replaced.ok
    assert replaced.error is not None
    [got] = client.execute([GetSupdoc(f"ZD-{vendor_id}")], write=False)
    (supdoc,) = got.records
    files = supdoc["ATTACHMENTS"]["ATTACHMENT"]
    assert [f["ATTACHMENTNAME"] for f in files] == ["ticket-35436-1", "ticket-35436-2"]
    stored = sim.supdoc(f"ZD-{vendor_id}")
    assert stored is not None
    assert [f.data for f in stored.files] == [snapshot.data, later.data]
    linked = sim.get_record("VENDOR", vendor_id)
    assert linked is not None
    assert linked["SUPDOCID"] == f"ZD-{vendor_id}"
