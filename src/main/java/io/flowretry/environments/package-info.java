/**
 * Environments a flow is deployed to. Flows execute and retries run only while their environment
 * is active; its IANA time zone places the "retry daily at" time. Names are unique.
 */
package io.flowretry.environments;
