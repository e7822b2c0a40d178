"""Simulator of the Adobe Commerce (Magento 2) Web API, PaaS and SaaS flavours (see sandbox/README.md)."""

from sandbox.commerce.app import CommerceSimulator
from sandbox.commerce.config import CommerceSimConfig
from sandbox.commerce.faults import CommerceFault
from sandbox.commerce.seed import TrickyIds
from sandbox.commerce.webhooks import KeyPair, generate_key_pair

__all__ = ["CommerceFault", "CommerceSimConfig", "CommerceSimulator", "KeyPair", "TrickyIds", "generate_key_pair"]
