"""The test application's configuration: the framework's defaults, except where it must differ."""
