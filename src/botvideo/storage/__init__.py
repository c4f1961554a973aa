"""Where media lives: local files, signed URLs, the media route and SSRF-guarded fetching."""
