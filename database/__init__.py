"""Database migrations, seeders and factories of the application."""
