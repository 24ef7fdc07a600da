-- Runs and executions are listed newest first (order by deployment_id desc, id desc). H2 reads an
-- index in one direction only, so these indexes are descending; with ascending ones H2 sorted
-- every run of the deployment for each list. PostgreSQL reads them either way.
drop index ix_retry_runs_deployment;
create index ix_retry_runs_deployment on retry_runs (deployment_id desc, id desc);
drop index ix_executions_deployment;
create index ix_executions_deployment on executions (deployment_id desc, id desc);
