-- Agents: the servers (Payara Micro with the WAR) that share this database. Each registers at
-- start and heartbeats; its state is judged from last_heartbeat_at against the run lease.
create table agents (
    id                 bigint primary key,
    name               varchar(200) not null,
    host               varchar(200),
    version            varchar(50),
    started_at         timestamp with time zone not null,
    last_heartbeat_at  timestamp with time zone not null,
    -- FLOWRETRY_AGENT_ENVIRONMENTS as given (comma-separated names); null = every environment
    environment_limit  varchar(1000),
    lock_version       bigint not null,
    constraint ux_agents_name unique (name)
);

-- An admin's attach (true) or detach (false) of an agent and an environment; without a row the
-- agent's limit decides. No foreign key to agents' environments: removing one leaves nothing to clean.
create table agent_environments (
    id              bigint primary key,
    agent_id        bigint not null,
    environment_id  bigint not null,
    attached        boolean not null,
    lock_version    bigint not null,
    constraint ux_agent_environments unique (agent_id, environment_id)
);

-- One row: what every agent polls. schedule_version moves with every change of a deployment,
-- an environment or an attachment (each agent then re-arms its timers from the database);
-- clock_offset_ms is the test clock of the whole fleet (FLOWRETRY_CLOCK_CONTROL only).
create table fleet_state (
    id                integer primary key,
    schedule_version  bigint not null,
    clock_offset_ms   bigint not null
);
insert into fleet_state (id, schedule_version, clock_offset_ms) values (1, 0, 0);

-- A stop posted to any agent: the agent running the run sees it at its next chunk.
alter table retry_runs add column stop_requested boolean default false not null;
