-- One retry run is worked by every connected attached agent: each one's job (the first, a takeover
-- or a worker that joined) has a row here while it runs. The last one to end completes the run.
create table run_workers (
    id            bigint primary key,
    run_id        bigint not null,
    agent_id      bigint not null,
    started_at    timestamp with time zone not null,
    heartbeat_at  timestamp with time zone not null,
    ended_at      timestamp with time zone,
    constraint ux_run_workers unique (run_id, agent_id)
);

-- what every agent's poll asks: the live runs it could join
create index ix_retry_runs_live on retry_runs (status, heartbeat_at);
