"""The form as data: definition objects (definition), the YAML loader and its checker (loader),
expressions, value types and parsing (values), the catalog of installed forms (catalog).

May import: persian, paths. Holds no SQL.
"""
