-- The sync tick an AUTO execution ran for (null for one started over the API): one execution per
-- deployment and tick, so of several agents whose timers fire for the same tick exactly one runs it
-- (the insert is the claim, as retry_runs' slot is).
alter table executions add column tick_at timestamp with time zone;
create unique index ux_executions_tick on executions (deployment_id, tick_at);
-- The agent whose job runs the execution; null while an execution started through an agent not
-- attached to its environment waits for an attached agent to claim it (at its next fleet poll).
alter table executions add column agent_id bigint;
create index ix_executions_unclaimed on executions (status, agent_id);
