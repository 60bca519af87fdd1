"""The notification channels the framework ships, one module each."""
