"""Videos: the row, prompts, the service, REST and edge-function routes, live events and the durable job."""
