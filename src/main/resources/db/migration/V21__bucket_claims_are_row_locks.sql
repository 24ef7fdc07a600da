-- Retry runs claim bucket items with row locks held by the chunk's transaction
-- (select ... for update skip locked, see BucketClaims): the lease columns are gone.
alter table bucket_items drop column claimed_by_run;
alter table bucket_items drop column claim_expires_at;
