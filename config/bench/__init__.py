"""The benchmark (`make bench`): its floor views, served only under config.settings.bench, and the harness."""
