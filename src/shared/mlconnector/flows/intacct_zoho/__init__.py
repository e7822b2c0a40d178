"""Intacct → Zoho CRM: customers to Accounts (with their hierarchy), vendors to Vendors, contacts to Contacts."""
