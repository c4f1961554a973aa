"""The web app people use: server-rendered pages and a little JavaScript."""
