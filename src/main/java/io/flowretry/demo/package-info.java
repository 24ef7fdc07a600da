/**
 * Demo data for a first look ({@code DEMO_DATA=true}): created once, only into an empty installation
 * (no environment yet), with the source and destination apps as H2 files under
 * {@code FLOWRETRY_DATA_DIR}. Tests leave it off. {@code boundary.DemoData} is a start-up entry point
 * calling the areas' facades, as a user of the API would.
 */
package io.flowretry.demo;
