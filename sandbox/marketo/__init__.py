"""Simulator of the Marketo REST API: Identity, Companies and Leads (see sandbox/README.md)."""

from sandbox.marketo.app import MarketoSimulator
from sandbox.marketo.config import FieldSpec, MarketoSimConfig
from sandbox.marketo.faults import MarketoFault

__all__ = ["FieldSpec", "MarketoFault", "MarketoSimConfig", "MarketoSimulator"]
