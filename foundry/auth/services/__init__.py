"""Authentication services: registration, login, email verification, password resets."""
