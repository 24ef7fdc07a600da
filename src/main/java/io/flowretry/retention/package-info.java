/**
 * Retention: deletes what no one needs any more, in batches of at most {@code InLists.MAX} rows per
 * transaction (never a table-long lock), on H2 and PostgreSQL: RESOLVED and DISCARDED bucket items
 * (with their attempts) after {@code FLOWRETRY_RETENTION_RESOLVED_DAYS}; snapshot items, main
 * executions and the batch job repository's ended executions after {@code FLOWRETRY_RETENTION_SNAPSHOT_DAYS}
 * (run rows stay, with their counts). A FAILED record is never deleted: every delete re-checks it under a row lock.
 */
package io.flowretry.retention;
