-- Each restart, takeover or resume of a retry run starts a new generation of its work; an agent
-- that worked an earlier generation (its run_workers row ended) may join the new one.
alter table retry_runs add column generation integer default 0 not null;
alter table run_workers add column generation integer default 0 not null;
