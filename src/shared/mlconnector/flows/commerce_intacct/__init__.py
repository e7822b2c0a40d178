"""Adobe Commerce → Intacct: orders to AP bills on the matched or newly created vendor, posted exactly once."""
