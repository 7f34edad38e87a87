"""Alembic's entry: run the migrations on the connection `simulator.db.upgrade` hands over.

There is no alembic.ini: `simulator.db.upgrade` builds the configuration, takes the lock
and opens the one transaction the migrations run in.
"""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection)
with context.begin_transaction():
    context.run_migrations()
