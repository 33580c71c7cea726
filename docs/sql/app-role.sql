-- The privileges of the role the service runs as (recordaccess_app): everything it needs, and no way to change
-- or remove an audit entry. Run as the database's owner (the role that runs `recordaccess migrate`), after every
-- migrate, since new tables need their grants:
--   psql "postgres://recordaccess_owner@db.internal:5432/recordaccess" -f docs/sql/app-role.sql
-- The role itself is created once, by an administrator, and must not own the tables (an owner can switch the
-- audit triggers off) nor be a superuser:
--   CREATE ROLE recordaccess_app LOGIN PASSWORD '...' NOSUPERUSER NOCREATEDB NOCREATEROLE;
GRANT USAGE ON SCHEMA public TO recordaccess_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO recordaccess_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO recordaccess_app;
-- The audit trail: read and append only. Its head row is updated (under a lock) with every entry.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditentry FROM recordaccess_app;
REVOKE DELETE, TRUNCATE ON audit_audithead FROM recordaccess_app;
