-- The bucket view's filters and orders (issue 14), each read from an index in the page's order
-- (see BucketQueries): one equality filter, then the source id or the sort key and the source id.
-- Time stamp and tries are descending (newest, most first): H2 reads an index in one direction only.
-- Filter by queue state or error class, in source id order
create index ix_bucket_items_queue_view on bucket_items (deployment_id, queue_state, source_id);
create index ix_bucket_items_error_view on bucket_items (deployment_id, error_class, source_id);
-- Sort by time stamp or tries, of all items or of one status (sort by status is ix_bucket_items_status)
create index ix_bucket_items_time on bucket_items (deployment_id, last_attempt_at desc, source_id);
create index ix_bucket_items_status_time on bucket_items (deployment_id, status, last_attempt_at desc, source_id);
create index ix_bucket_items_tries on bucket_items (deployment_id, tries desc, source_id);
create index ix_bucket_items_status_tries on bucket_items (deployment_id, status, tries desc, source_id);
