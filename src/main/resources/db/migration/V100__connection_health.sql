-- Issue 12: one circuit breaker per connection (app), shared by every run and server. A missing row
-- reads as UP with no failures. next_probe_at: when the next probe of a DOWN app is due;
-- probe_delay_seconds: the back-off before it (doubling up to the maximum).
create table connection_health (
    connection_id        bigint primary key references connections (id) on delete cascade,
    state                varchar(10)   not null,
    since                timestamp with time zone not null,
    last_error           varchar(1000),
    checked_at           timestamp with time zone,
    failures             integer       not null,
    next_probe_at        timestamp with time zone,
    probe_delay_seconds  integer       not null,
    lock_version         bigint        not null
);
create index ix_connection_health_probe on connection_health (state, next_probe_at);

-- SKIPPED_OUTAGE (an attempt that counts no try) needs more than 10 characters.
alter table attempts alter column outcome set data type varchar(20);
alter table run_items alter column outcome set data type varchar(20);
