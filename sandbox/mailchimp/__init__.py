"""Simulator of the Mailchimp Marketing API v3: audiences, members, merge fields, batch subscribe, /batches and
e-commerce (see app.py for the request pipeline and admin.py for the admin endpoints)."""

from sandbox.mailchimp.app import MailchimpSimulator
from sandbox.mailchimp.config import MailchimpSimConfig, MergeFieldSpec
from sandbox.mailchimp.faults import MailchimpFault

__all__ = ["MailchimpFault", "MailchimpSimConfig", "MailchimpSimulator", "MergeFieldSpec"]
