"""The framework's settings classes and their defaults; the app's ``config/`` chooses over them."""
