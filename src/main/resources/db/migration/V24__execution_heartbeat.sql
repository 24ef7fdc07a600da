-- A main execution's heartbeat, renewed by every chunk (as a retry run's): an execution whose
-- heartbeat is older than the run lease is dead. It no longer blocks the next execution of its
-- deployment, and the startup after a crash marks it FAILED instead of leaving it STARTED.
alter table executions add column heartbeat_at timestamp with time zone;
update executions set heartbeat_at = coalesce(finished_at, started_at);
alter table executions alter column heartbeat_at set not null;
