"""The audit log: who viewed or exported sensitive data, and who changed what."""
