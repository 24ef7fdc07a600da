-- HTTP connections (issue 12): in-flight and rate limits per server, their own time-outs, and an
-- auth object (JSON text, sealed at rest like the other secrets: room for the sealed form of 4000 characters)
alter table connections add column max_concurrency integer;
alter table connections add column requests_per_second double precision;
alter table connections add column connect_timeout_seconds integer;
alter table connections add column request_timeout_seconds integer;
alter table connections add column auth varchar(8000);
