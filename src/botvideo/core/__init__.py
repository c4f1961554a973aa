"""What every feature stands on and that imports no feature: settings, database, errors, kinds, DBOS."""
