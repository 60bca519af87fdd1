"""The application's mailables."""
