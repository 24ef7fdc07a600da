/**
 * The product's own OpenAPI document, served at {@code /openapi} by the WAR itself (portable: WildFly's
 * standalone-full has no MicroProfile OpenAPI, and Payara's is switched off in domain.xml).
 * Paths, parameters and schemas are read from the JAX-RS resources and their records by reflection;
 * {@code ApiOperations} adds what reflection cannot see (operationId, summary, status codes).
 * Depends on every area's boundary; no area depends on it.
 */
package io.flowretry.openapi;
