/**
 * Who may do what. One identity store (the users table, PBKDF2 hashes) serves HTTP Basic on
 * {@code /api/*} and the form login of the console. Roles: admin (everything), operator
 * (execute, resync, read), viewer (read). The first start creates {@code admin}.
 */
package io.flowretry.security;
