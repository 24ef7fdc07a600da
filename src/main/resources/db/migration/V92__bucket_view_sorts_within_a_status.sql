-- The V90 indexes cost the resync job 17 % and the main run 12 % on PostgreSQL (docs/benchmarks.md):
-- every attempt moves last_attempt_at, so no update is HOT and each index of bucket_items takes a new
-- entry per attempt. The Time Stamp and Tries orders are now offered within one status only (the
-- console's default is Failed), served by ix_bucket_items_status_time and ix_bucket_items_status_tries;
-- the two orders over every status go with their indexes (BucketQueries.Filter#invalid refuses them).
drop index ix_bucket_items_time;
drop index ix_bucket_items_tries;
