"""ml-connector: the Lambda layer package (engine, clients, state)."""
