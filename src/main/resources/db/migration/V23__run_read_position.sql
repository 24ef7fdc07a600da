-- A retry run's read position (the key of the last item of its last committed chunk), written with
-- each chunk's outcomes in the chunk's transaction: a restarted run reads on after it. The batch
-- runtime's own checkpoint is no longer in this database (domain.xml: jdbc/batch-repository).
alter table retry_runs add column read_position varchar(300);
