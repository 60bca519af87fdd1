"""Seeders: ``artisan db:seed`` runs ``DatabaseSeeder``, which calls the others."""
