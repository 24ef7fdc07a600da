-- Process Flow Retry schema. Runs unchanged on H2 2.x and PostgreSQL 15.
-- ${sourceIdCollation} is ' COLLATE "C"' on PostgreSQL (byte order, so a LIKE 'prefix%' and the
-- keyset cursor use the index exactly as on H2) and empty on H2.

-- EclipseLink preallocates ids nextval-49 .. nextval, so the sequence starts at its increment
create sequence app_seq start with 50 increment by 50;

create table users (
    username      varchar(100) primary key,
    password_hash varchar(512) not null,
    created_at    timestamp with time zone not null
);

create table user_roles (
    username varchar(100) not null references users (username),
    role     varchar(20)  not null,
    primary key (username, role)
);

create table environments (
    id           bigint primary key,
    name         varchar(100) not null,
    description  varchar(1000),
    time_zone    varchar(64)  not null,
    active       boolean      not null,
    created_at   timestamp with time zone not null,
    lock_version bigint       not null,
    constraint ux_environments_name unique (name)
);

create table connections (
    id           bigint primary key,
    name         varchar(100) not null,
    type         varchar(10)  not null,
    jdbc_url     varchar(1000),
    username     varchar(200),
    password     varchar(500),
    base_url     varchar(1000),
    headers      varchar(8000),
    created_at   timestamp with time zone not null,
    lock_version bigint       not null,
    constraint ux_connections_name unique (name)
);

create table process_flows (
    id              bigint primary key,
    name            varchar(200) not null,
    description     varchar(1000),
    current_version integer      not null,
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    lock_version    bigint       not null,
    constraint ux_process_flows_name unique (name)
);

-- every version of a flow definition is kept: snapshots name the version they ran
create table flow_versions (
    id          bigint primary key,
    flow_id     bigint        not null references process_flows (id),
    version_no  integer       not null,
    definition  varchar(1000000) not null,
    created_at  timestamp with time zone not null,
    constraint ux_flow_versions unique (flow_id, version_no)
);

create table deployments (
    id                       bigint primary key,
    environment_id           bigint      not null references environments (id),
    flow_id                  bigint      not null references process_flows (id),
    flow_version             integer     not null,
    first_deployed_at        timestamp with time zone not null,
    deployed_at              timestamp with time zone not null,
    undeployed_at            timestamp with time zone,
    deployed_by              varchar(100),
    sync_mode                varchar(10) not null,
    sync_every_minutes       integer,
    retry_mode               varchar(10) not null,
    retry_frequency          varchar(10) not null,
    retry_daily_at           varchar(5),
    retry_interval_hours     integer     not null,
    retry_time_lapse_minutes integer     not null,
    retry_batch_size         integer     not null,
    next_run_at              timestamp with time zone,
    lock_version             bigint      not null,
    constraint ux_deployments_env_flow unique (environment_id, flow_id)
);

-- the main runs of a flow
create table executions (
    id               bigint primary key,
    deployment_id    bigint      not null references deployments (id),
    job_execution_id bigint,
    trigger_type     varchar(10) not null,
    started_by       varchar(100),
    flow_version     integer     not null,
    status           varchar(12) not null,
    started_at       timestamp with time zone not null,
    finished_at      timestamp with time zone,
    read_count       integer     not null,
    succeeded        integer     not null,
    failed           integer     not null,
    error            varchar(4000),
    lock_version     bigint      not null
);
create index ix_executions_deployment on executions (deployment_id, id);

-- the resync bucket: one row per (deployment, source id)
-- queue_state takes a record out of the auto-retry index once it cannot be auto-due any more:
--   QUEUED (failed, auto tries left), EXHAUSTED (4 auto tries used), PARKED (source missing), RESOLVED (succeeded)
create table bucket_items (
    id               bigint primary key,
    deployment_id    bigint       not null references deployments (id),
    source_id        varchar(200)${sourceIdCollation} not null,
    node_name        varchar(100) not null,
    status           varchar(10)  not null,
    queue_state      varchar(10)  not null,
    tries            integer      not null,
    auto_tries       integer      not null,
    last_attempt_at  timestamp with time zone not null,
    next_attempt_at  timestamp with time zone not null,
    error_class      varchar(20),
    last_error       varchar(4000),
    claimed_by_run   bigint,
    claim_expires_at timestamp with time zone,
    created_at       timestamp with time zone not null,
    lock_version     bigint       not null,
    constraint ux_bucket_items_source unique (deployment_id, source_id)
);
-- the due query: equality on deployment and queue state, then the time range, then id
create index ix_bucket_items_due on bucket_items (deployment_id, queue_state, next_attempt_at, id);
-- the bucket view filtered by status, paged by source id
create index ix_bucket_items_status on bucket_items (deployment_id, status, source_id);

create table attempts (
    id            bigint primary key,
    item_id       bigint      not null references bucket_items (id),
    attempted_at  timestamp with time zone not null,
    trigger_type  varchar(10) not null,
    outcome       varchar(10) not null,
    error_class   varchar(20),
    error         varchar(4000),
    run_id        bigint,
    execution_id  bigint
);
create index ix_attempts_item on attempts (item_id, attempted_at);

-- retry runs (auto and manual) and their snapshots
-- a scheduled slot is claimed by inserting its run: unique (deployment_id, slot_at)
create table retry_runs (
    id               bigint primary key,
    deployment_id    bigint       not null references deployments (id),
    trigger_type     varchar(10)  not null,
    started_by       varchar(100) not null,
    status           varchar(10)  not null,
    reason           varchar(1000),
    slot_at          timestamp with time zone,
    started_at       timestamp with time zone not null,
    finished_at      timestamp with time zone,
    heartbeat_at     timestamp with time zone,
    flow_version     integer,
    config           varchar(4000),
    selection        varchar(1000000),
    job_execution_id bigint,
    picked           integer      not null,
    succeeded        integer      not null,
    failed           integer      not null,
    lock_version     bigint       not null,
    constraint ux_retry_runs_slot unique (deployment_id, slot_at)
);
create index ix_retry_runs_deployment on retry_runs (deployment_id, id);
create index ix_retry_runs_status on retry_runs (status, deployment_id);

create table run_items (
    id           bigint primary key,
    run_id       bigint       not null references retry_runs (id),
    item_id      bigint       not null,
    source_id    varchar(200) not null,
    outcome      varchar(10)  not null,
    error_class  varchar(20),
    error        varchar(4000),
    input_json   varchar(70000),
    output_json  varchar(70000),
    attempted_at timestamp with time zone not null
);
create index ix_run_items_run on run_items (run_id, id);
