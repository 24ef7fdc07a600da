-- How often a retry run whose server died was taken over by another server's sweep and resumed
-- from its read position (at most 3 times, then the run ends FAILED with the reason).
alter table retry_runs add column takeovers integer default 0 not null;
