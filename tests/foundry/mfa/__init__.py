"""Tests of foundry.mfa."""
