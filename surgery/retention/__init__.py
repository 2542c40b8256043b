"""How long people's data is kept: the settings, removal when due, and the privacy page."""
