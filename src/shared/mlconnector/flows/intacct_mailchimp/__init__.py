"""Intacct → Mailchimp: audience members, e-commerce customers, products (GL accounts), orders (AP bills)."""
