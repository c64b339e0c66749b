"""End-to-end tests: the dev instance of scripts/develop in headless Chromium."""
