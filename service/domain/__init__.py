"""The pure core: entities, money, calendar, the workflow engine and its guards.

Nothing in this package imports Flask or SQLAlchemy; the adapters map these
classes onto tables and the application layer drives them.
"""
