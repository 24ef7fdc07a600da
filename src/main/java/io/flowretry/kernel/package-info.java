/**
 * The shared vocabulary every business area may use and that depends on none: why a record failed
 * ({@code ErrorClass}) and who may do what ({@code Roles}). Rules: only types that several areas must agree on live here; nothing here
 * calls another area, so the areas' dependencies stay one way (docs/architecture.md).
 */
package io.flowretry.kernel;
