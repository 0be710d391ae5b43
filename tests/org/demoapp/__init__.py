"""A stand-in app with a `demo` module, to test the demo command's extension point."""
