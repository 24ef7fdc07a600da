/**
 * The operators' console: Faces pages (under {@code src/main/webapp/<area>/}) and their backing beans
 * ({@code io.flowretry.web.<area>.*Backing}). Rules: backing beans call the areas' facades directly,
 * never the REST API; every change is a postback (CSRF-safe server-side view state) and checks the
 * caller's role on the server, not only by hiding the button; output is escaped (no {@code escape="false"}).
 */
package io.flowretry.web;
