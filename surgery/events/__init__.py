"""Surgery days and their sessions: public listing and pages."""
