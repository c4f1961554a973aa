"""Communities (bots): their members and roles, avatars and tokens."""
