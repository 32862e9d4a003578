"""The workspace file: schema, migrations, runs, erasure, backups and every SQL query."""
