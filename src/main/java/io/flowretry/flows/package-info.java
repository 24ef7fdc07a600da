/**
 * Process flows: a source, a mapping and a destination. Every change is a new, immutable
 * {@code FlowVersion} (version + 1); old versions stay readable because runs and snapshots name
 * them. A definition is accepted only when its connections exist and fit it; table and column
 * names must be plain SQL identifiers because they end up in SQL. {@code FlowDefinition} is the
 * engine's ({@code control}): the console edits a definition as JSON text through
 * {@code ProcessFlows#createFromJson}/{@code updateFromJson}/{@code currentDefinitionJson} (not JSON →
 * 400 naming {@code definition}).
 * A flow no deployment uses is
 * deleted with all its versions ({@code FlowDeleting}: deployments refuse it with a 409 naming theirs).
 */
package io.flowretry.flows;
