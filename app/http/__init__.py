"""The application's HTTP layer: controllers, requests, resources and middleware."""
