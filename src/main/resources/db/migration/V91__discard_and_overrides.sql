-- Operators act on records (issue 14). A discard is an attempt (trigger DISCARD) and an item
-- status/queue state DISCARDED (varchar(10) holds it); who acted and why go with the attempt.
alter table attempts add column user_name varchar(100);
alter table attempts add column reason varchar(1000);

-- "Edit before resync": one override of an item's input fields per item, put over the record
-- re-read from the source by the next resync, dropped by a successful one (BucketOverrides).
create table bucket_overrides (
    item_id    bigint primary key references bucket_items (id),
    fields     varchar(70000) not null,
    reason     varchar(1000) not null,
    user_name  varchar(100) not null,
    created_at timestamp with time zone not null
);

-- A snapshot item shows the override its resync applied beside the values read from the source.
alter table run_items add column override_json varchar(70000);
