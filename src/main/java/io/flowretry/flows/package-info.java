/**
 * Process flows: a source, a mapping and a destination. Every change is a new, immutable
 * {@code FlowVersion} (version + 1); old versions stay readable because runs and snapshots name
 * them. A definition is accepted only when its connections exist and fit it; table and column
 * names must be plain SQL identifiers because they end up in SQL.
 */
package io.flowretry.flows;
