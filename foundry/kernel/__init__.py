"""The kernel: application, container, providers, facades, config access, errors and keys."""
