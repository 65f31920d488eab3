"""What every step shares: settings, errors, the course layout, plugin bases, statuses, results, the work directory."""
