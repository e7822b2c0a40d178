"""Simulator of Zoho CRM v8: the accounts server (refresh-token grant, mint limit) and the API host (upsert with the
duplicate check, record reads and search, module and field metadata, editions, credits and concurrency); see app.py
for the request pipeline and admin.py for the admin endpoints."""

from sandbox.zoho.app import ZohoSimulator
from sandbox.zoho.config import ZohoSimConfig
from sandbox.zoho.faults import ZohoFault
from sandbox.zoho.fields import FieldSpec

__all__ = ["FieldSpec", "ZohoFault", "ZohoSimConfig", "ZohoSimulator"]
