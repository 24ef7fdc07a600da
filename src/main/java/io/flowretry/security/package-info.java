/**
 * Who may do what. One identity store (the users table, PBKDF2-HMAC-SHA256 hashes with 600,000
 * iterations, older ones upgraded at sign-in) serves HTTP Basic on {@code /api/*} and the console's
 * form login. Roles: admin (everything), operator (execute, resync, read), viewer (read). The first
 * start creates {@code admin}. Failed sign-ins are throttled per user and per client address.
 */
package io.flowretry.security;
