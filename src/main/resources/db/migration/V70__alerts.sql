-- Alert channels (issue 15) and every delivery of an alert to one of them.
create table alert_channels (
    id                     bigint primary key,
    name                   varchar(100)  not null,
    type                   varchar(10)   not null,
    url                    varchar(1000),
    email_to               varchar(320),
    secret                 varchar(500),
    events                 varchar(200)  not null,
    bucket_depth_threshold integer,
    created_at             timestamp with time zone not null,
    lock_version           bigint        not null,
    constraint ux_alert_channels_name unique (name)
);

-- quiet_slot = the quiet period an alert falls in: the unique key lets one alert per channel, event
-- and deployment through per period, also with several servers (the second insert fails).
create table alert_deliveries (
    id            bigint primary key,
    channel_id    bigint        not null references alert_channels (id) on delete cascade,
    event         varchar(20)   not null,
    deployment_id bigint        not null,
    quiet_slot    bigint        not null,
    message       varchar(2000) not null,
    status        varchar(10)   not null,
    attempts      integer       not null,
    http_status   integer,
    last_error    varchar(1000),
    created_at    timestamp with time zone not null,
    next_try_at   timestamp with time zone,
    sent_at       timestamp with time zone,
    lock_version  bigint        not null,
    constraint ux_alert_deliveries_quiet unique (channel_id, event, deployment_id, quiet_slot)
);
create index ix_alert_deliveries_pending on alert_deliveries (status, next_try_at);
create index ix_alert_deliveries_channel on alert_deliveries (channel_id, id);
