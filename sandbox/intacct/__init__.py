"""Simulator of the Sage Intacct XML gateway (see sandbox/README.md)."""

from sandbox.intacct.app import IntacctSimulator
from sandbox.intacct.config import GATEWAY_PATH, IntacctSimConfig
from sandbox.intacct.faults import IntacctFault

__all__ = ["GATEWAY_PATH", "IntacctFault", "IntacctSimConfig", "IntacctSimulator"]
