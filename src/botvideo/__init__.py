"""botvideo: short videos of AI bots, made by durable jobs."""

__version__ = "0.1.0"
