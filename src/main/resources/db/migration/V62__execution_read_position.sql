-- A main execution's read position (the last source id of its last committed chunk), written with
-- each chunk's outcomes, and how often a live server took it over after its server died: the
-- sweep resumes it after that id, as it does a retry run (at most 3 times, then FAILED).
alter table executions add column read_position varchar(300);
alter table executions add column takeovers integer default 0 not null;
