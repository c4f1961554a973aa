"""Who is calling: accounts, passwords, JWTs, the web session and its CSRF check."""
