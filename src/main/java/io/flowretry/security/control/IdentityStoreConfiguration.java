package io.flowretry.security.control;

import io.flowretry.platform.control.AppDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.identitystore.DatabaseIdentityStoreDefinition;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;

/** The single identity store: users and their roles in the application's database. */
@ApplicationScoped
@DatabaseIdentityStoreDefinition(
        dataSourceLookup = AppDataSource.NAME,
        callerQuery = "select password_hash from users where username = ?",
        groupsQuery = "select role from user_roles where username = ?",
        hashAlgorithm = Pbkdf2PasswordHash.class)
public class IdentityStoreConfiguration {
}
