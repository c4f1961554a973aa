"""Video providers: the interface every one offers, the registry of a process's providers, local and Higgsfield."""
