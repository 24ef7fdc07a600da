/**
 * Alerts: channels (WEBHOOK, or EMAIL where the server has a mail session) subscribed to events
 * (RECORD_EXHAUSTED, RUN_FAILED, BUCKET_DEPTH; CONNECTION_DOWN accepted, raised once connections
 * have a status). At most one alert per channel, event and deployment per quiet period, claimed by a
 * unique key in the database; each delivery is recorded and retried with back-off.
 */
package io.flowretry.alerts;
