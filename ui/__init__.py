"""The PySide6 office application (right-to-left Persian wizard over the report core)."""
